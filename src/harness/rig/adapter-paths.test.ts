import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceKinds } from '../../devices/index.ts';
import { HardwareMapError } from '../bench/hardware-map.ts';
import { DeviceRegistry } from '../devices/registry.ts';
import { loadRigFile, RigFileError } from './index.ts';

/** A link's `paths` value `adapter:<name>` resolved through a hardware map (issue 13). */

const lines = (...text: string[]) => text.join('\n') + '\n';
const registry = new DeviceRegistry(deviceKinds);

const MAP = lines(
  'version: 1',
  'adapters:',
  '  - { name: vu-download, path: /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0, serialNumber: A10KXYZ }',
  '  - { name: vu-sensor, path: ../ptys/sensor, loopback: true }',
);

/** A bench rig: the VU external, the rig's IDE and sensor on adapters. */
function benchRig(...extra: string[]): string {
  return lines(
    'clock: wall',
    ...extra,
    'devices:',
    '  vu: { kind: vu, mode: external }',
    '  ide: { kind: ide }',
    '  sensor: { kind: motion-sensor }',
    'links:',
    '  - { ends: [ide.vu, vu.download], transport: serial, framing: 8E1, paths: { ide.vu: "adapter:vu-download" } }',
    '  - { ends: [sensor.vu, vu.sensor], transport: serial, paths: { sensor.vu: "adapter:vu-sensor" } }',
  );
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adapter-paths-'));
  await mkdir(join(dir, 'maps'));
  await mkdir(join(dir, 'rigs'));
  await writeFile(join(dir, 'maps', 'bench.yaml'), MAP);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function issuesOf(rigFile: string, options: { hardwareMap?: string } = {}): Promise<string[]> {
  try {
    await loadRigFile(rigFile, registry, options);
  } catch (error) {
    if (error instanceof RigFileError) return error.message.split('\n');
    throw error;
  }
  throw new Error('the rig was accepted');
}

describe('adapter: paths', () => {
  it("resolve through --hardware-map to the adapters' paths (relative ones relative to the map), remembering which adapter each is", async () => {
    const file = join(dir, 'rigs', 'bench.yaml');
    await writeFile(file, benchRig());
    const rig = await loadRigFile(file, registry, { hardwareMap: join(dir, 'maps', 'bench.yaml') });
    expect(rig.links.map((l) => [l.paths, l.adapters])).toStrictEqual([
      [{ 'ide.vu': '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0' }, { 'ide.vu': 'vu-download' }],
      [{ 'sensor.vu': join(dir, 'ptys', 'sensor') }, { 'sensor.vu': 'vu-sensor' }],
    ]);
    expect(rig.hardwareMap?.adapters.map((a) => [a.name, a.loopback])).toStrictEqual([
      ['vu-download', false],
      ['vu-sensor', true],
    ]);
  });

  it("resolve through the rig file's hardwareMap, relative to the rig file; --hardware-map overrides it", async () => {
    const file = join(dir, 'rigs', 'bench.yaml');
    await writeFile(file, benchRig('hardwareMap: ../maps/bench.yaml'));
    const rig = await loadRigFile(file, registry);
    expect(rig.links[0]!.paths['ide.vu']).toBe('/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0');
    const other = join(dir, 'other.yaml');
    await writeFile(other, lines('version: 1', 'adapters:', '  - { name: vu-download, path: /dev/ttyUSB4 }', '  - { name: vu-sensor, path: /dev/ttyUSB5 }'));
    const overridden = await loadRigFile(file, registry, { hardwareMap: other });
    expect(overridden.links.map((l) => Object.values(l.paths)[0])).toStrictEqual(['/dev/ttyUSB4', '/dev/ttyUSB5']);
  });

  it('leave a rig without adapter paths as it was: no adapters key, no map', async () => {
    const file = join(dir, 'rigs', 'plain.yaml');
    await writeFile(file, benchRig().replace('"adapter:vu-download"', '/dev/ttyUSB0').replace('"adapter:vu-sensor"', '/dev/ttyUSB1'));
    const rig = await loadRigFile(file, registry);
    expect(rig.links.map((l) => l.adapters)).toStrictEqual([undefined, undefined]);
    expect(rig.hardwareMap).toBeUndefined();
  });

  it('refuse a name the map lacks, naming the adapter and the map, at the line of the path', async () => {
    const file = join(dir, 'rigs', 'bench.yaml');
    const mapFile = join(dir, 'maps', 'bench.yaml');
    await writeFile(file, benchRig().replace('adapter:vu-sensor', 'adapter:vu-sensr'));
    expect(await issuesOf(file, { hardwareMap: mapFile })).toStrictEqual([
      `${file}:8:76: links[1].paths["sensor.vu"]: adapter 'vu-sensr' is not in hardware map ${mapFile} (did you mean 'vu-sensor'?); it has: vu-download, vu-sensor`,
    ]);
  });

  it('refuse adapter paths with no map at all, saying how to give one', async () => {
    const file = join(dir, 'rigs', 'bench.yaml');
    await writeFile(file, benchRig());
    const issues = await issuesOf(file);
    expect(issues).toHaveLength(2);
    expect(issues[0]).toBe(
      `${file}:7:86: links[0].paths["ide.vu"]: adapter 'vu-download' needs a hardware map to resolve it: give --hardware-map FILE, or hardwareMap: FILE in the rig file (rig bench discover --out FILE writes one)`,
    );
  });

  it("refuse a hardwareMap the rig file names that cannot be read, at its key; a malformed map with the map's own lines", async () => {
    const file = join(dir, 'rigs', 'bench.yaml');
    await writeFile(file, benchRig('hardwareMap: ../maps/none.yaml'));
    const issues = await issuesOf(file);
    expect(issues[0]).toBe(`${file}:2:14: hardwareMap: cannot read hardware map ${join(dir, 'maps', 'none.yaml')}: ENOENT: no such file or directory, open '${join(dir, 'maps', 'none.yaml')}'`);
    const bad = join(dir, 'maps', 'bad.yaml');
    await writeFile(bad, lines('version: 1', 'adapters:', '  - { name: vu-download }'));
    await expect(loadRigFile(file, registry, { hardwareMap: bad })).rejects.toThrow(HardwareMapError);
    await expect(loadRigFile(file, registry, { hardwareMap: bad })).rejects.toThrow(`${bad}:3:5: adapters[0].path: missing required key 'path' (expected string)`);
  });

  it('refuse an adapter on a pty link, and one adapter on two ports', async () => {
    const file = join(dir, 'rigs', 'bench.yaml');
    await writeFile(
      file,
      benchRig()
        .replace('"adapter:vu-sensor"', '"adapter:vu-download"')
        .concat('  - { ends: [sensor.pulses, vu.pulses], transport: pty, paths: { sensor.pulses: "adapter:vu-sensor" } }\n'),
    );
    expect(await issuesOf(file, { hardwareMap: join(dir, 'maps', 'bench.yaml') })).toStrictEqual([
      `${file}:8:76: links[1].paths["sensor.vu"]: adapter 'vu-download' already carries ide.vu (links[0]): one adapter, one port`,
      `${file}:9:81: links[2].paths["sensor.pulses"]: 'adapter:vu-sensor': adapters of the hardware map are for serial links; a pty link's path is one the rig makes`,
    ]);
  });
});
