import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { servedHardwareMap } from './served-map.ts';
import { HardwareMapError, loadHardwareMap, lookUpAdapter, parseHardwareMap, renderHardwareMap, writeHardwareMap, type HardwareMap } from './hardware-map.ts';

const lines = (...text: string[]) => text.join('\n') + '\n';

function issuesOf(text: string, file = 'bench.map.yaml'): string[] {
  try {
    parseHardwareMap(text, file);
  } catch (error) {
    if (error instanceof HardwareMapError) return error.message.split('\n');
    throw error;
  }
  throw new Error('the map was accepted');
}

const FTDI = {
  name: 'vu-download',
  path: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0',
  serialNumber: 'A10KXYZ',
  vendorId: '0403',
  productId: '6001',
  manufacturer: 'FTDI',
  loopback: false,
};

describe('hardware map files', () => {
  it('reads the format of BENCH-PLAN.md, USB ids as written whether YAML took them for numbers or not', () => {
    const map = parseHardwareMap(
      lines(
        '# tacho-rig hardware map, version 1',
        'version: 1',
        'adapters:',
        '  - name: vu-download',
        '    path: /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0',
        '    serialNumber: A10KXYZ',
        '    vendorId: 0403', // YAML: the number 403
        '    productId: 6001', // YAML: the number 6001
        '    manufacturer: FTDI',
        '  - { name: spare, path: /dev/ttyUSB3, vendorId: 10C4, productId: ea60, loopback: true }',
      ),
      'maps/bench.yaml',
    );
    expect(map).toStrictEqual({
      file: 'maps/bench.yaml',
      version: 1,
      adapters: [FTDI, { name: 'spare', path: '/dev/ttyUSB3', vendorId: '10c4', productId: 'ea60', loopback: true }],
    });
  });

  it('refuses what a rig could not use, each problem at its line', () => {
    expect(
      issuesOf(
        lines(
          'version: 2',
          'adapters:',
          '  - { name: vu-download, path: /dev/ttyUSB0, vendorId: 04g3 }',
          '  - { name: vu-download, path: /dev/ttyUSB0 }',
          '  - { name: 9lives, path: /dev/ttyUSB1, loopbak: true }',
        ),
      ),
    ).toStrictEqual([
      "bench.map.yaml:1:10: version: this rig reads hardware maps of version 1; 2 is not allowed; expected one of: 1",
      "bench.map.yaml:3:56: adapters[0].vendorId: expected a USB id of 4 hex digits, e.g. '0403'",
      "bench.map.yaml:4:13: adapters[1].name: duplicate adapter name 'vu-download' (also adapters[0])",
      'bench.map.yaml:4:32: adapters[1].path: path /dev/ttyUSB0 is also the path of adapters[0]: one adapter, one name',
      'bench.map.yaml:5:13: adapters[2].name: an adapter name is letters, digits, - and _, starting with a letter',
      "bench.map.yaml:5:41: adapters[2].loopbak: unknown key 'loopbak' (did you mean 'loopback'?)",
    ]);
  });

  it('names a missing version and a YAML syntax error', () => {
    expect(issuesOf('adapters: []\n')).toStrictEqual(["bench.map.yaml:1:1: version: missing required key 'version' (expected one of: 1)"]);
    expect(issuesOf('version: 1\nadapters: [\n')[0]).toBe('bench.map.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ] (BAD_INDENT)');
  });

  it('renders a map that reads back the same, the header first', () => {
    const map: HardwareMap = { version: 1, adapters: [FTDI, { name: 'ch340', path: '/dev/ttyUSB1', vendorId: '1a86', productId: '7523', loopback: true }] };
    const text = renderHardwareMap(map);
    expect(text.split('\n').slice(0, 12)).toStrictEqual([
      '# tacho-rig hardware map, version 1',
      '',
      'version: 1',
      'adapters:',
      '  - name: vu-download',
      '    path: /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0',
      '    serialNumber: A10KXYZ',
      '    vendorId: "0403"',
      '    productId: "6001"',
      '    manufacturer: FTDI',
      '    loopback: false',
      '  - name: ch340',
    ]);
    const { file: _f, ...back } = parseHardwareMap(text, 'x');
    expect(back).toStrictEqual(map);
  });

  it('keeps the comments and order of the file it replaces, updating adapters by name, dropping those gone', () => {
    const before = lines(
      '# the reference bench, room 2',
      'version: 1',
      'adapters:',
      '  # the front connector, RS-232 cable',
      '  - name: vu-download # grey cable',
      '    path: /dev/ttyUSB9',
      '    loopback: false',
      '  - name: retired',
      '    path: /dev/ttyUSB7',
    );
    const text = renderHardwareMap({ version: 1, adapters: [FTDI, { name: 'spare', path: '/dev/ttyUSB2', loopback: true }] }, before);
    expect(text).toBe(
      lines(
        '# the reference bench, room 2',
        'version: 1',
        'adapters:',
        '  # the front connector, RS-232 cable',
        '  - name: vu-download # grey cable',
        '    path: /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0',
        '    loopback: false',
        '    serialNumber: A10KXYZ',
        '    vendorId: "0403"',
        '    productId: "6001"',
        '    manufacturer: FTDI',
        '  - name: spare',
        '    path: /dev/ttyUSB2',
        '    loopback: true',
      ),
    );
  });
});

describe('adapter look-up', () => {
  const map = { file: '/benches/room2/map.yaml', version: 1 as const, adapters: [FTDI, { name: 'rel', path: 'ptys/a', loopback: false }] };

  it("gives the adapter's path, a relative one relative to the map", () => {
    expect(lookUpAdapter(map, 'vu-download')).toStrictEqual({ ok: true, adapter: FTDI, path: FTDI.path });
    expect(lookUpAdapter(map, 'rel')).toMatchObject({ ok: true, path: '/benches/room2/ptys/a' });
  });

  it('names the adapter and the map when the map lacks it, with the closest name', () => {
    expect(lookUpAdapter(map, 'vu-downlaod')).toStrictEqual({
      ok: false,
      message: "adapter 'vu-downlaod' is not in hardware map /benches/room2/map.yaml (did you mean 'vu-download'?); it has: vu-download, rel",
    });
    expect(lookUpAdapter(undefined, 'vu-download')).toStrictEqual({
      ok: false,
      message:
        "adapter 'vu-download' needs a hardware map to resolve it: give --hardware-map FILE, or hardwareMap: FILE in the rig file (rig bench discover --out FILE writes one)",
    });
  });
});

describe('map files on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hwmap-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a map, and writing again over it keeps what people wrote beside it', async () => {
    const file = join(dir, 'bench.yaml');
    await writeHardwareMap(file, { version: 1, adapters: [FTDI] });
    await writeFile(file, (await readFile(file, 'utf8')).replace('  - name: vu-download', '  # bought 2025\n  - name: vu-download'));
    await writeHardwareMap(file, { version: 1, adapters: [{ ...FTDI, loopback: true }] });
    const text = await readFile(file, 'utf8');
    expect(text).toContain('  # bought 2025\n  - name: vu-download\n');
    expect((await loadHardwareMap(file)).adapters).toStrictEqual([{ ...FTDI, loopback: true }]);
  });

  it('says which map it could not read', async () => {
    await expect(loadHardwareMap(join(dir, 'none.yaml'))).rejects.toThrow(`cannot read hardware map ${join(dir, 'none.yaml')}: ENOENT`);
  });
});

describe('a stand-in on a scaled time base', () => {
  it('writes its time base into the map and a rig reads it back; a map without one has none', () => {
    const served = servedHardwareMap([{ device: 'ide', port: 'vu', path: '/tmp/p/ide.vu', peer: 'vu.download' }], { scale: 4, anchor: 1796473189362 });
    const text = renderHardwareMap(served);
    expect(text).toContain('timeBase:\n  scale: 4\n  anchor: 1796473189362\n');
    expect(parseHardwareMap(text, 'm.yaml').timeBase).toStrictEqual({ scale: 4, anchor: 1796473189362 });
    // at scale 1 the wall is the base: nothing written, and a rewrite drops an old base
    const plain = renderHardwareMap(servedHardwareMap([{ device: 'ide', port: 'vu', path: '/tmp/p/ide.vu', peer: 'vu.download' }], { scale: 1, anchor: 1 }), text);
    expect(plain).not.toContain('timeBase');
    expect(parseHardwareMap(plain, 'm.yaml').timeBase).toBeUndefined();
  });

  it('refuses a time base a clock cannot keep', () => {
    expect(issuesOf(lines('version: 1', 'adapters: []', 'timeBase: { scale: 0.5, anchor: 1 }')).join('\n')).toMatch(/timeBase\.scale/);
    expect(issuesOf(lines('version: 1', 'adapters: []', 'timeBase: { scale: 1000, anchor: 1 }')).join('\n')).toMatch(/timeBase\.scale/);
  });
});

