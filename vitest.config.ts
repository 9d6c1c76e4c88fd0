import { defineConfig } from 'vitest/config';

// In CI the run also leaves machine-readable results: .ci/run reads the JSON for its closing line, and CI
// servers read the JUnit file.
const ci = !!process.env.CI;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // pty tests spawn socat and scenario tests may simulate long spans: generous bounds, never the assertion
    testTimeout: 60_000,
    hookTimeout: 30_000,
    reporters: ci ? ['default', 'json', 'junit'] : ['default'],
    outputFile: ci ? { json: 'reports/vitest.json', junit: 'reports/vitest-junit.xml' } : undefined,
  },
});
