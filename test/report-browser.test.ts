import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSuite, runSuite } from '../src/scenarios/engine/suite.ts';
import { writeReports } from '../src/scenarios/reports/write-reports.ts';

/**
 * The HTML report opened in a real browser (headless Chromium, Debian's `chromium`, driven by playwright-core):
 * it must render its timelines and charts without a console error, and a failure's near miss must take the
 * reader to the expectation's place on the timeline. `.ci/run` installs Chromium; elsewhere, without one, the
 * test says so and is skipped (RIG_CHROMIUM names another executable).
 */
const CANDIDATES = [process.env['RIG_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p);
const executablePath = CANDIDATES.find((p) => existsSync(p));
if (!executablePath) {
  const message = `no Chromium at ${CANDIDATES.join(', ')}: the HTML report's browser test is skipped (apt-get install chromium, or set RIG_CHROMIUM)`;
  // in CI a missing browser is a broken setup, not a reason to skip
  if (process.env['CI']) throw new Error(message);
  console.warn(message);
}

const DRIVE = `id: drive-two-minutes
title: two minutes at 60 km/h, driving recorded from the first
requires: { emulated: [vu, sensor] }
start: 2026-03-02T08:00:00Z
steps:
  - { do: stimulus, device: vu, name: insertCard, args: { slot: driver, card: anna } }
  - { do: until, at: 1m }
  - { do: world, name: speed, args: { kmh: 60 } }
  - { do: until, at: 3m }
  - { do: world, name: stop }
  - { do: until, at: 4m }
expect:
  - { records: { device: vu, kind: activity, code: driving, count: 1, window: { from: 1m, to: 1m }, fields: { slot: driver } } }
`;
// the same drive, expecting the driving a minute late: a near miss (the window)
const LATE = DRIVE.replace('id: drive-two-minutes', 'id: driving-expected-late').replace('window: { from: 1m, to: 1m }', 'window: { from: 2m, to: 2m }');

describe.skipIf(!executablePath)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let report: string;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rig-html-'));
    await writeFile(join(dir, 'a-drive.scenario.yaml'), DRIVE);
    await writeFile(join(dir, 'b-late.scenario.yaml'), LATE);
    // what `rig run <dir> --report <dir>/reports` does, in this process
    const suite = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: [dir] });
    const reports = join(dir, 'reports');
    const results = await runSuite(suite, { reportDir: reports });
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ['drive-two-minutes', 'pass'],
      ['driving-expected-late', 'fail'],
    ]);
    await writeReports(results, reports, { rigFile: 'rigs/loopback.yaml', gitCommit: 'test' });
    report = join(reports, 'index.html');
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders every timeline and chart without a console error, and a screenshot that is not blank', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`fetched ${r.url()}`));
    await page.goto(pathToFileURL(report).href);
    expect(await page.title()).toBe('rig report: 1 passed, 1 failed, 0 errors, 0 skipped');
    // each scenario: a timeline, the speed chart (commanded and recorded), the activity bar
    expect(await page.locator('section.scenario svg.timeline').count()).toBe(2);
    expect(await page.locator('svg.speed path.commanded').count()).toBe(2);
    expect(await page.locator('svg.speed path.recorded').count()).toBe(2);
    expect(await page.locator('svg.activities rect.activity.driving').count()).toBe(2);
    expect(await page.locator('g.expectation.fail').count()).toBe(1);
    expect(await page.locator('g.expectation.pass').count()).toBe(1);
    // the devices' conversation: the download's frames, the VU's state changes, the frames listed to expand
    expect(await page.locator('#s0 svg.timeline g.frames[data-link="ide.vu~vu.download"]').count()).toBe(1);
    expect(await page.locator('#s0 svg.timeline g.actor').count()).toBeGreaterThan(0);
    // listed to expand: the download's frames and the pulse line's rate frames
    expect(await page.locator('#s0 details.frames').count()).toBe(2);
    // what the sensor signalled: the pulse line's rate frames as steps, one line per scenario
    expect(await page.locator('svg.pulse-lines path.pulses').count()).toBe(2);
    const pulseLine = await page.locator('#s0 svg.pulse-lines path.pulses').boundingBox();
    expect(pulseLine!.width).toBeGreaterThan(500);
    // laid out: the drawn shapes have a size on the page
    const speedLine = await page.locator('#s0 svg.speed path.recorded').boundingBox();
    expect(speedLine!.width).toBeGreaterThan(500);
    expect(speedLine!.height).toBeGreaterThan(50);
    expect(problems).toEqual([]);

    // not blank: the screenshot of the first timeline holds many colours (a blank one holds one)
    const shot = await page.locator('#s0 svg.timeline').screenshot();
    // (the page's own code, as text: this project's TypeScript has no DOM types)
    const colours = await page.evaluate(`(async () => {
      const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,${shot.toString('base64')}')).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const seen = new Set();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    })()`);
    expect(colours).toBeGreaterThan(10);
  });

  it("clicking a failed expectation's near miss scrolls to its place on the timeline", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 700 } });
    await page.goto(pathToFileURL(report).href);
    expect(await page.evaluate('window.scrollY')).toBe(0);
    const target = page.locator('g.expectation.fail');
    const id = await target.getAttribute('id');
    // below the fold before the click
    expect((await target.boundingBox())!.y).toBeGreaterThan(700);
    await page.locator('section.failures a.goto').first().click();
    expect(await page.evaluate('location.hash')).toBe(`#${id}`);
    // in view: its middle within the viewport (scrolled to the top edge, its box may start a pixel above)
    const box = (await target.boundingBox())!;
    expect(box.y + box.height / 2).toBeGreaterThan(0);
    expect(box.y + box.height / 2).toBeLessThan(700);
    expect(await page.evaluate('window.scrollY')).toBeGreaterThan(0);
    // and marked as the target
    expect(await page.locator(`#${id}:target`).count()).toBe(1);
    expect(await readFile(report, 'utf8')).toContain(`<a class="goto" href="#${id}">`);
  });
});
