import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deviceKinds } from '../../devices/index.ts';
import { DeviceRegistry } from '../devices/registry.ts';
import { PtyPair } from '../links/index.ts';
import { planFromRig } from '../rig/plan.ts';
import { loadRigFile } from '../rig/rig-loader.ts';
import { Rig } from '../rig/rig-runtime.ts';
import { preflightFailure, renderPreflight, runPreflight } from './preflight.ts';

/**
 * `rig bench check` without hardware: adapters are socat pty pairs (a pty whose far end socat echoes
 * through `cat` is a loopback plug), and the DUT is an emulated VU served on a pty as `rig serve --rig
 * rigs/serve-vu.yaml` serves it, here in-process.
 */

const registry = new DeviceRegistry(deviceKinds);
const lines = (...text: string[]) => text.join('\n') + '\n';

let dir: string;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A bench rig: the VU external; the rig's IDE, sensor and EGF on adapters of the map. */
async function benchRig(name: string, adapters: { name: string; path: string; loopback?: boolean; serialNumber?: string }[]): Promise<string> {
  const map = join(dir, `${name}.map.yaml`);
  await writeFile(
    map,
    lines('version: 1', 'adapters:', ...adapters.map((a) => `  - { name: ${a.name}, path: '${a.path}', loopback: ${a.loopback ?? false}${a.serialNumber ? `, serialNumber: ${a.serialNumber}` : ''} }`)),
  );
  const rig = join(dir, `${name}.yaml`);
  await writeFile(
    rig,
    lines(
      'clock: wall',
      `hardwareMap: ${name}.map.yaml`,
      'devices:',
      '  vu: { kind: vu, mode: external }',
      '  ide: { kind: ide }',
      '  sensor: { kind: motion-sensor }',
      '  egf: { kind: gnss }',
      'links:',
      '  - { ends: [ide.vu, vu.download], transport: serial, framing: 8E1, paths: { ide.vu: "adapter:vu-download" } }',
      '  - { ends: [sensor.vu, vu.sensor], transport: serial, paths: { sensor.vu: "adapter:vu-sensor" } }',
      '  - { ends: [egf.vu, vu.gnss], transport: serial, baud: 115200, paths: { egf.vu: "adapter:vu-gnss" } }',
    ),
  );
  return rig;
}

/** A pty with socat echoing everything written to it back: what a loopback plug does to an adapter. */
async function loopbackPlug(name: string): Promise<string> {
  const path = join(dir, name);
  const socat: ChildProcess = spawn('socat', [`PTY,link=${path},raw,echo=0`, 'EXEC:cat'], { stdio: 'ignore' });
  cleanups.push(async () => {
    if (socat.exitCode === null) {
      socat.kill('SIGTERM');
      await new Promise((resolve) => socat.once('exit', resolve));
    }
  });
  for (let i = 0; i < 200 && !existsSync(path); i++) await sleep(10);
  return path;
}

/** A pty pair whose far end nobody reads or answers: a cable to a device that is off. */
async function silentLine(name: string): Promise<string> {
  const pair = await PtyPair.start({ paths: [join(dir, `${name}-a`), join(dir, `${name}-b`)] });
  cleanups.push(() => pair.dispose());
  return pair.paths[0];
}

/** The emulated VU of rigs/serve-vu.yaml, its download line on a pty, as `rig serve` runs it. */
async function servedVu(): Promise<string> {
  const file = await loadRigFile('rigs/serve-vu.yaml', registry);
  const rig = await Rig.start({ ...planFromRig(file, file.registry), clock: 'wall' }, { start: Date.now(), keepTrace: false });
  cleanups.push(() => rig.close());
  return rig.openEnds().find((e) => e.peer === 'vu.download')!.path;
}

describe('rig bench check', () => {
  it('stops in well under 2 s when adapters are missing, naming each adapter, its port and its path, and opens nothing', async () => {
    const sensor = await loopbackPlug('present-sensor');
    const rigFile = await benchRig('missing', [
      { name: 'vu-download', path: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0', serialNumber: 'A10KXYZ' },
      { name: 'vu-sensor', path: sensor, loopback: true },
      { name: 'vu-gnss', path: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_B20QRST-if00-port0' },
    ]);
    const rig = await loadRigFile(rigFile, registry);
    const started = performance.now();
    const report = await runPreflight(rig, { listPorts: async () => [{ path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60', serialNumber: '0001' }] });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(report.ok).toBe(false);
    expect(report.stoppedAt).toBe('present');
    expect(report.ports.map((p) => [p.port.adapter?.name, p.checks.map((c) => [c.check, c.ok])])).toStrictEqual([
      ['vu-download', [['present', false]]],
      ['vu-sensor', [['present', true]]],
      ['vu-gnss', [['present', false]]],
    ]);
    expect(preflightFailure(report)).toBe(
      lines(
        'pre-flight failed, nothing was run:',
        '  adapter vu-download (ide.vu): missing: /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0 does not exist; no adapter with serial number A10KXYZ is plugged in',
        '  adapter vu-gnss (egf.vu): missing: /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_B20QRST-if00-port0 does not exist; USB-serial adapters plugged in: /dev/ttyUSB0 (0001)',
      ).trimEnd(),
    );
    expect(renderPreflight(report, 'title').split('\n').at(-1)).toMatch(/^stopped after \d+ ms: 2 of 3 ports missing, nothing opened$/);
  });

  it('says where an adapter the map knows by serial number is plugged in instead', async () => {
    const rig = await loadRigFile(await benchRig('moved', [{ name: 'vu-download', path: '/dev/serial/by-id/gone', serialNumber: 'A10KXYZ' }, { name: 'vu-sensor', path: '/dev/null' }, { name: 'vu-gnss', path: '/dev/zero' }]), registry);
    const report = await runPreflight(rig, { listPorts: async () => [{ path: '/dev/ttyUSB3', vendorId: '0403', productId: '6001', serialNumber: 'A10KXYZ' }] });
    expect(report.ports[0]!.checks[0]!.detail).toBe('/dev/serial/by-id/gone does not exist; the adapter with serial number A10KXYZ is plugged in at /dev/ttyUSB3: point the map at its /dev/serial/by-id link (rig bench discover)');
  });

  it('opens every present port at its framing, passes a loopback plug, fails a loopback that does not come back, and has the DUT answer App. 7', async () => {
    const download = await servedVu();
    const plug = await loopbackPlug('plug');
    const dead = await silentLine('dead');
    const rig = await loadRigFile(
      await benchRig('present', [
        { name: 'vu-download', path: download },
        { name: 'vu-sensor', path: plug, loopback: true },
        { name: 'vu-gnss', path: dead, loopback: true },
      ]),
      registry,
    );
    const report = await runPreflight(rig, { listPorts: null });
    expect(report.ports.map((p) => [p.port.adapter?.name, p.ok, p.checks.map((c) => `${c.check}: ${c.detail}`)])).toStrictEqual([
      ['vu-download', true, [expect.stringMatching(/^present: leads to \/dev\/pts\/\d+$/), 'open: 9600 baud 8E1', expect.stringMatching(/^App\. 7: vu\.download answered Start Communication in \d+ ms \(key bytes EA 8F\); Stop Communication answered$/)]],
      ['vu-sensor', true, [expect.stringMatching(/^present: leads to \/dev\/pts\/\d+$/), 'open: 9600 baud 8N1', 'loopback: 24 bytes came back unchanged']],
      ['vu-gnss', false, [expect.stringMatching(/^present: leads to \/dev\/pts\/\d+$/), 'open: 115200 baud 8N1', 'loopback: nothing came back within 503 ms (is the loopback plug fitted, TX joined to RX?)']],
    ]);
    expect(report.ok).toBe(false);
    expect(renderPreflight(report, 'check').split('\n').at(-1)).toMatch(/^2 of 3 ports ok \(\d+ ms\)$/);
  });

  it('fails the App. 7 check on a download line nothing answers, naming the DUT port and what went wrong', async () => {
    const rig = await loadRigFile(
      await benchRig('silent', [
        { name: 'vu-download', path: await silentLine('vu-off') },
        { name: 'vu-sensor', path: await loopbackPlug('plug2'), loopback: true },
        { name: 'vu-gnss', path: await loopbackPlug('plug3'), loopback: true },
      ]),
      registry,
    );
    const report = await runPreflight(rig, { listPorts: null });
    expect(report.ok).toBe(false);
    expect(report.ports.map((p) => p.ok)).toStrictEqual([false, true, true]);
    expect(report.ports[0]!.checks.at(-1)).toStrictEqual({
      check: 'App. 7',
      ok: false,
      detail: 'vu.download did not answer: start communication: no response within P2 max after 3 transmissions (is the VU powered and its front connector wired? hardware/wiring.md)',
    });
  }, 15_000);

  it('refuses an adapter whose serial number is not the one the map names', async () => {
    const plug = await loopbackPlug('swapped');
    const rig = await loadRigFile(await benchRig('swapped', [{ name: 'vu-download', path: '/dev/null' }, { name: 'vu-sensor', path: plug, serialNumber: 'A10KXYZ' }, { name: 'vu-gnss', path: '/dev/zero' }]), registry);
    const real = (await import('node:fs')).realpathSync(plug);
    const report = await runPreflight(rig, { listPorts: async () => [{ path: real, vendorId: '0403', productId: '6001', serialNumber: 'B20QRST' }] });
    expect(report.ports[1]!.checks.find((c) => c.check === 'adapter')).toStrictEqual({ check: 'adapter', ok: false, detail: `the adapter at ${plug} has serial number B20QRST, the map says A10KXYZ` });
  });
});
