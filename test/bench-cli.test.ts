import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `rig bench ...` and the pre-flight of `rig run`, as a bench team types them (issue 13). */

function rig(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/rig.js', ...args], { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lines = (...text: string[]) => text.join('\n') + '\n';
const MISSING = '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-cli-'));
  await writeFile(
    join(dir, 'bench.yaml'),
    lines(
      'clock: wall',
      'devices:',
      '  vu: { kind: vu, mode: external }',
      '  ide: { kind: ide }',
      'links:',
      '  - { ends: [ide.vu, vu.download], transport: serial, framing: 8E1, paths: { ide.vu: "adapter:vu-download" } }',
    ),
  );
  await writeFile(join(dir, 'map.yaml'), lines('version: 1', 'adapters:', `  - { name: vu-download, path: ${MISSING} }`));
  // a scenario that runs on the bench rig and passes whatever the VU does: only the pre-flight can stop it
  await writeFile(
    join(dir, 'wait.scenario.yaml'),
    lines('id: bench-wait', 'title: a second on the bench', 'start: 2026-03-02T08:00:00Z', 'requires: { mayBeExternal: [vu] }', 'steps:', '  - { do: wait, for: 1s }'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rig run on a rig with serial links', () => {
  it('stops before any scenario when an adapter is missing, naming it and its path (issue 13: it used to start and fail 4 s later)', async () => {
    const r = await rig('run', join(dir, 'wait.scenario.yaml'), '--rig', join(dir, 'bench.yaml'), '--hardware-map', join(dir, 'map.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pre-flight failed, nothing was run:\n  adapter vu-download (ide.vu): missing: ${MISSING} does not exist`);
    expect(r.stderr).not.toContain('bench-wait');
    expect(r.stdout).toBe('');
  });
});

describe('rig bench check', () => {
  it('reports the missing adapter and exits 1', async () => {
    const r = await rig('bench', 'check', '--rig', join(dir, 'bench.yaml'), '--hardware-map', join(dir, 'map.yaml'));
    expect(r.code).toBe(1);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe(`rig bench check: rig bench, hardware map ${join(dir, 'map.yaml')}, 1 serial port`);
    expect(out[1]).toBe(`FAIL  adapter vu-download (ide.vu) to vu.download: ${MISSING}`);
    expect(out[2]).toMatch(new RegExp(`^ {8}FAIL  present: ${MISSING} does not exist`));
    expect(out[3]).toMatch(/^stopped after \d+ ms: 1 of 1 ports missing, nothing opened$/);
  });

  it('refuses a rig without serial links: there is nothing to check', async () => {
    const r = await rig('bench', 'check', '--rig', 'rigs/loopback.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('rig loopback has no serial links: nothing on a bench to check\n');
  });

  it('treats a hardware map that does not exist as misuse', async () => {
    const r = await rig('bench', 'check', '--rig', join(dir, 'bench.yaml'), '--hardware-map', join(dir, 'none.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`no such hardware map: ${join(dir, 'none.yaml')}\n`);
  });
});

describe('rig validate with a hardware map', () => {
  it('resolves adapter paths through --hardware-map, and names an adapter the map lacks', async () => {
    expect(await rig('validate', join(dir, 'bench.yaml'), '--hardware-map', join(dir, 'map.yaml'))).toStrictEqual({ code: 0, stdout: `ok ${join(dir, 'bench.yaml')}\n`, stderr: '' });
    await writeFile(join(dir, 'other.yaml'), lines('version: 1', 'adapters:', '  - { name: vu-dl, path: /dev/ttyUSB0 }'));
    const r = await rig('validate', join(dir, 'bench.yaml'), '--hardware-map', join(dir, 'other.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${join(dir, 'bench.yaml')}:6:86: links[0].paths["ide.vu"]: adapter 'vu-download' is not in hardware map ${join(dir, 'other.yaml')}; it has: vu-dl\n`);
  });
});

/** A host with a USB-serial adapter plugged in (a bench PC) lists it: the test below is for one without. */
const adaptersPlugged = readdirSync('/sys/class/tty', { withFileTypes: true }).some((e) => /^tty(USB|ACM)\d+$/.test(e.name));

describe('rig bench discover', () => {
  it.skipIf(adaptersPlugged)('says so when it finds no USB-serial adapter (none plugged into this host), and writes no map', async () => {
    const out = join(dir, 'found.yaml');
    const r = await rig('bench', 'discover', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('no USB-serial adapter found\n');
    await expect(readFile(out)).rejects.toThrow('ENOENT');
  });
});
