import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // pty tests spawn socat and open real file descriptors: keep them off the other worker's toes
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
