import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deviceKinds } from '../../devices/index.ts';
import type { DeviceKind } from '../devices/device-kind.ts';
import { DeviceRegistry } from '../devices/registry.ts';
import { loadRigFile, parseFraming, parseRig, RigFileError, type FileIssue } from './index.ts';

const notStarted = (): never => {
  throw new Error('not started in this test');
};

const vuKind: DeviceKind<{ speedKmh: number }> = {
  kind: 'vu',
  description: 'a test vehicle unit',
  options: z.strictObject({ speedKmh: z.number().min(0).max(255).default(0) }),
  ports: {
    download: { description: 'front connector', baud: 115200 },
    motion: { description: 'motion sensor line' },
  },
  machine: notStarted,
  stimuli: {},
};

const ideKind: DeviceKind<{ company?: string }> = {
  kind: 'ide',
  description: 'a test download tool',
  options: z.strictObject({ company: z.string().optional() }),
  ports: { vu: { description: 'to the VU front connector' } },
  machine: notStarted,
  stimuli: {},
};

const registry = new DeviceRegistry([vuKind, ideKind]);

const FILE = 'rigs/test.yaml';

function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}

/** The issues a refused rig text yields. */
function issuesOf(text: string): FileIssue[] {
  try {
    parseRig(text, FILE, registry);
  } catch (error) {
    if (error instanceof RigFileError) return error.issues;
    throw error;
  }
  throw new Error('the rig was accepted');
}

function issue(line: number, column: number, path: (string | number)[], message: string): FileIssue {
  return { file: FILE, line, column, path, message };
}

const twoDevices = ['devices:', '  vu: { kind: vu }', '  ide: { kind: ide }'];

describe('parseFraming', () => {
  it('reads data bits, parity and stop bits', () => {
    expect(parseFraming('8E1')).toStrictEqual({ dataBits: 8, parity: 'even', stopBits: 1 });
    expect(parseFraming('8N1')).toStrictEqual({ dataBits: 8, parity: 'none', stopBits: 1 });
    expect(parseFraming('7O2')).toStrictEqual({ dataBits: 7, parity: 'odd', stopBits: 2 });
    expect(parseFraming('5M1.5')).toStrictEqual({ dataBits: 5, parity: 'mark', stopBits: 1.5 });
    expect(parseFraming('6S1')).toStrictEqual({ dataBits: 6, parity: 'space', stopBits: 1 });
  });

  it('refuses anything else', () => {
    expect(() => parseFraming('9N1')).toThrow("invalid framing '9N1'");
    expect(() => parseFraming('8X1')).toThrow("invalid framing '8X1'");
    expect(() => parseFraming('8N3')).toThrow("invalid framing '8N3'");
    expect(() => parseFraming('8n1')).toThrow("invalid framing '8n1'");
  });
});

describe('parseRig: a valid rig', () => {
  it('fills every default and parses the framing', () => {
    const rig = parseRig(
      lines(
        'clock: wall',
        'devices:',
        '  vu:',
        '    kind: vu',
        '    options: { speedKmh: 50 }',
        '  ide:',
        '    kind: ide',
        '    mode: external',
        'links:',
        '  - ends: [vu.download, ide.vu]',
        '    transport: pty',
        "    framing: '8E1'",
      ),
      'rigs/bench-a.yaml',
      registry,
    );
    expect(rig).toStrictEqual({
      name: 'bench-a',
      clock: 'wall',
      seed: 1,
      broker: { type: 'embedded' },
      devices: [
        { name: 'vu', kind: 'vu', mode: 'emulated', options: { speedKmh: 50 } },
        { name: 'ide', kind: 'ide', mode: 'external', options: {} },
      ],
      links: [
        {
          id: 'vu.download~ide.vu',
          ends: ['vu.download', 'ide.vu'],
          transport: 'pty',
          baud: 115200, // declared by the vu.download port
          framing: { dataBits: 8, parity: 'even', stopBits: 1 },
          pacing: true,
          faults: { dropRate: 0, bitFlipRate: 0, latencyMs: 0 },
          trace: 'frames',
          paths: {},
        },
      ],
      aliases: {},
      windowSlackMs: 0,
    });
  });

  it('reads an unquoted 8E1, which YAML reads as the number 80, as even parity', () => {
    const rig = parseRig(lines(...twoDevices, 'links:', '  - { ends: [vu.download, ide.vu], transport: memory, framing: 8E1 }'), FILE, registry);
    expect(rig.links[0]!.framing).toStrictEqual({ dataBits: 8, parity: 'even', stopBits: 1 });
  });

  it('takes every field as written', () => {
    const rig = parseRig(
      lines(
        'name: bench',
        'description: two devices on a bench',
        'clock: wall',
        'seed: 42',
        'broker:',
        '  url: mqtts://broker.local:8883',
        '  username: rig',
        '  password: secret',
        '  tls: { ca: certs/ca.pem, rejectUnauthorized: false }',
        'devices:',
        '  vu: { kind: vu, mode: emulated }',
        '  ide: { kind: ide, mode: external, options: { company: ACME } }',
        'links:',
        '  - id: dl',
        '    ends: [ide.vu, vu.download]',
        '    transport: serial',
        '    baud: 9600',
        "    framing: '7O2'",
        '    pacing: false',
        '    faults: { dropRate: 0.01, latencyMs: 5 }',
        '    trace: count',
        '    paths: { vu.download: /dev/ttyUSB0 }',
        'aliases: { vu-egf: vu }',
        'windowSlackMs: 1500',
      ),
      'rigs/whatever.yaml',
      registry,
    );
    expect(rig).toStrictEqual({
      name: 'bench',
      description: 'two devices on a bench',
      clock: 'wall',
      seed: 42,
      broker: {
        type: 'external',
        url: 'mqtts://broker.local:8883',
        username: 'rig',
        password: 'secret',
        tls: { ca: resolve('rigs/certs/ca.pem'), rejectUnauthorized: false },
      },
      devices: [
        { name: 'vu', kind: 'vu', mode: 'emulated', options: { speedKmh: 0 } },
        { name: 'ide', kind: 'ide', mode: 'external', options: { company: 'ACME' } },
      ],
      links: [
        {
          id: 'dl',
          ends: ['ide.vu', 'vu.download'],
          transport: 'serial',
          baud: 9600,
          framing: { dataBits: 7, parity: 'odd', stopBits: 2 },
          pacing: false,
          faults: { dropRate: 0.01, bitFlipRate: 0, latencyMs: 5 },
          trace: 'count',
          paths: { 'vu.download': '/dev/ttyUSB0' },
        },
      ],
      aliases: { 'vu-egf': 'vu' },
      windowSlackMs: 1500,
    });
  });

  it('defaults the baud to 9600 when no port declares one, and accepts a broker URL string', () => {
    const rig = parseRig(
      lines('broker: mqtt://localhost:1883', ...twoDevices, 'links:', '  - { ends: [vu.motion, ide.vu], transport: memory }'),
      FILE,
      registry,
    );
    expect(rig.broker).toStrictEqual({ type: 'external', url: 'mqtt://localhost:1883' });
    expect(rig.links[0]!.baud).toBe(9600);
    expect(rig.links[0]!.framing).toStrictEqual({ dataBits: 8, parity: 'none', stopBits: 1 });
  });
});

describe('parseRig: refused rigs, located in the file', () => {
  it('refuses a typo key with its line, column and a did-you-mean', () => {
    const text = lines(...twoDevices, 'links:', '  - ends: [vu.download, ide.vu]', '    trasport: memory');
    expect(issuesOf(text)).toStrictEqual([
      issue(6, 5, ['links', 0, 'trasport'], "unknown key 'trasport' (did you mean 'transport'?)"),
    ]);
    expect(() => parseRig(text, FILE, registry)).toThrow(
      "rigs/test.yaml:6:5: links[0].trasport: unknown key 'trasport' (did you mean 'transport'?)",
    );
  });

  it('refuses an alias that is itself a device, or that stands for no device', () => {
    const messages = issuesOf(lines(...twoDevices, 'aliases: { ide: vu, vu-egf: vu2 }')).map((i) => i.message);
    expect(messages).toStrictEqual([
      "'ide' is a device of this rig: an alias names a device the rig does not have",
      "alias 'vu-egf' stands for 'vu2', which is no device of this rig (it has: vu, ide)",
    ]);
  });

  it('refuses a top-level typo, and lists the known keys when none is close', () => {
    expect(issuesOf(lines('devies: {}', 'colour: red'))).toStrictEqual([
      issue(1, 1, ['devies'], "unknown key 'devies' (did you mean 'devices'?)"),
      issue(
        2,
        1,
        ['colour'],
        "unknown key 'colour' (expected one of: name, description, clock, seed, broker, modules, devices, links, windowSlackMs, aliases, hardwareMap)",
      ),
    ]);
  });

  it('refuses a bad enum value at the value', () => {
    expect(issuesOf(lines(...twoDevices, 'links:', '  - ends: [vu.download, ide.vu]', '    transport: modem'))).toStrictEqual([
      issue(6, 16, ['links', 0, 'transport'], "'modem' is not allowed; expected one of: memory, pty, serial, tcp"),
    ]);
  });

  it('names a missing required key at the entry that lacks it', () => {
    expect(issuesOf(lines('devices:', '  vu:', '    mode: emulated'))).toStrictEqual([
      issue(2, 3, ['devices', 'vu', 'kind'], "missing required key 'kind' (expected string)"),
    ]);
  });

  it('refuses an unknown device kind and lists the known ones', () => {
    expect(issuesOf(lines('devices:', '  vu:', '    kind: vuu'))).toStrictEqual([
      issue(3, 11, ['devices', 'vu', 'kind'], "unknown device kind 'vuu' (did you mean 'vu'?); known kinds: ide, vu"),
    ]);
  });

  it('refuses a port the kind does not declare and lists its ports', () => {
    expect(issuesOf(lines(...twoDevices, 'links:', '  - ends: [vu.dowload, ide.vu]', '    transport: memory'))).toStrictEqual([
      issue(
        5,
        12,
        ['links', 0, 'ends', 0],
        "device 'vu' (kind vu) has no port 'dowload' (did you mean 'download'?); its ports: download, motion",
      ),
    ]);
  });

  it('refuses a link end on an unknown device', () => {
    expect(issuesOf(lines(...twoDevices, 'links:', '  - { ends: [vu.download, idee.vu], transport: memory }'))).toStrictEqual([
      issue(5, 27, ['links', 0, 'ends', 1], "unknown device 'idee' (did you mean 'ide'?); devices: vu, ide"),
    ]);
  });

  it('refuses a port used by two links', () => {
    expect(
      issuesOf(
        lines(
          ...twoDevices,
          'links:',
          '  - { id: dl, ends: [vu.download, ide.vu], transport: memory }',
          '  - { ends: [vu.motion, ide.vu], transport: memory }',
        ),
      ),
    ).toStrictEqual([issue(6, 25, ['links', 1, 'ends', 1], "port ide.vu is already used by link 'dl' (links[0])")]);
  });

  it('refuses a link joining a port to itself', () => {
    expect(issuesOf(lines(...twoDevices, 'links:', '  - { ends: [vu.download, vu.download], transport: memory }'))).toStrictEqual([
      issue(5, 27, ['links', 0, 'ends', 1], 'a link cannot join port vu.download to itself'),
    ]);
  });

  it('refuses an external device on virtual time', () => {
    expect(issuesOf(lines('devices:', '  ide:', '    kind: ide', '    mode: external'))).toStrictEqual([
      issue(4, 11, ['devices', 'ide', 'mode'], 'an external device needs clock: wall (a real device cannot run on virtual time)'),
    ]);
  });

  it('refuses a memory link to an external device, and a link between two external devices', () => {
    expect(
      issuesOf(
        lines(
          'clock: wall',
          'devices:',
          '  vu: { kind: vu }',
          '  ide: { kind: ide, mode: external }',
          '  vu2: { kind: vu, mode: external }',
          'links:',
          '  - { ends: [vu.download, ide.vu], transport: memory }',
          '  - { ends: [vu2.download, ide.vu], transport: pty }',
        ),
      ),
    ).toStrictEqual([
      issue(7, 47, ['links', 0, 'transport'], "a memory link cannot reach external device 'ide': use transport pty or serial"),
      issue(8, 7, ['links', 1, 'ends'], 'both ends are on external devices: the rig would have nothing to drive on this link'),
      issue(8, 28, ['links', 1, 'ends', 1], "port ide.vu is already used by link 'vu.download~ide.vu' (links[0])"),
    ]);
  });

  it('refuses a serial link without a path for its local end, or with one for its external end', () => {
    expect(
      issuesOf(
        lines(
          'clock: wall',
          'devices:',
          '  vu: { kind: vu }',
          '  ide: { kind: ide, mode: external }',
          'links:',
          '  - ends: [vu.download, ide.vu]',
          '    transport: serial',
          '    paths:',
          '      ide.vu: /dev/ttyUSB1',
        ),
      ),
    ).toStrictEqual([
      issue(
        8,
        5,
        ['links', 0, 'paths', 'vu.download'],
        'a serial link needs the OS path of its local end vu.download, e.g. paths: { vu.download: /dev/ttyUSB0 }',
      ),
      issue(
        9,
        7,
        ['links', 0, 'paths', 'ide.vu'],
        "ide.vu is on external device 'ide': a serial link takes paths only for its local (emulated) ends",
      ),
    ]);
  });

  it('points at the link when a serial link has no paths at all', () => {
    const needs = (end: string) =>
      `a serial link needs the OS path of its local end ${end}, e.g. paths: { ${end}: /dev/ttyUSB0 }`;
    expect(issuesOf(lines(...twoDevices, 'links:', '  - ends: [vu.download, ide.vu]', '    transport: serial'))).toStrictEqual([
      issue(5, 5, ['links', 0, 'paths', 'vu.download'], needs('vu.download')),
      issue(5, 5, ['links', 0, 'paths', 'ide.vu'], needs('ide.vu')),
    ]);
  });

  it("locates a bad option value at its own line, with the path into the kind's options", () => {
    expect(
      issuesOf(lines('devices:', '  vu:', '    kind: vu', '    options:', '      speedKmh: 300', '      sped: 2')),
    ).toStrictEqual([
      issue(5, 17, ['devices', 'vu', 'options', 'speedKmh'], 'Too big: expected number to be <=255'),
      issue(6, 7, ['devices', 'vu', 'options', 'sped'], "unknown key 'sped' (expected one of: speedKmh)"),
    ]);
  });

  it('reports a YAML syntax error with its line and column', () => {
    expect(issuesOf(lines('devices:', '  vu: { kind: vu }', ' ide: { kind: ide }'))).toStrictEqual([
      issue(3, 1, [], 'All mapping items must start at the same column (BAD_INDENT)'),
    ]);
    expect(issuesOf(lines('seed: 1', 'seed: 2'))).toStrictEqual([issue(2, 1, [], 'Map keys must be unique (DUPLICATE_KEY)')]);
  });

  it('refuses a file that is not a mapping', () => {
    expect(issuesOf('')).toStrictEqual([issue(1, 1, [], 'Invalid input: expected object, received null')]);
    expect(issuesOf('- vu\n')).toStrictEqual([issue(1, 1, [], 'Invalid input: expected object, received array')]);
  });

  it('reports several errors at once, structural and semantic, in file order', () => {
    const text = lines(
      'clock: sundial', // 1
      'seed: -1', // 2
      'broker: embeded', // 3
      'devices:', // 4
      '  vu:', // 5
      '    kind: vuu', // 6
      '  ide: { kind: ide, optons: {} }', // 7
      '  x.y: { kind: vu }', // 8
      'links:', // 9
      '  - ends: [vu.download, nope.vu]', // 10
      '    transport: pty', // 11
      "    framing: '8X1'", // 12
      '    faults: { dropRate: 2 }', // 13
      '  - id: dl', // 14
      '    ends: [nope.vu, ide.vu]', // 15
      '    transport: memory', // 16
      '  - id: dl', // 17
      '    ends: [vu.motion, ide.vu]', // 18
      '    transport: memory', // 19
    );
    const found = issuesOf(text);
    expect(found).toStrictEqual([
      issue(1, 8, ['clock'], "'sundial' is not allowed; expected one of: virtual, wall"),
      issue(2, 7, ['seed'], 'Too small: expected number to be >=0'),
      issue(3, 9, ['broker'], "expected 'embedded' or a broker URL like mqtt://host:1883"),
      issue(6, 11, ['devices', 'vu', 'kind'], "unknown device kind 'vuu' (did you mean 'vu'?); known kinds: ide, vu"),
      issue(7, 21, ['devices', 'ide', 'optons'], "unknown key 'optons' (did you mean 'options'?)"),
      issue(8, 3, ['devices', 'x.y'], "invalid key 'x.y': a device name is letters, digits, - and _, starting with a letter"),
      issue(12, 14, ['links', 0, 'framing'], 'invalid framing: expected data bits 5-8, parity N|E|O|M|S, stop bits 1|1.5|2, e.g. 8N1 or 8E1'),
      issue(13, 25, ['links', 0, 'faults', 'dropRate'], 'Too big: expected number to be <=1'),
      issue(15, 12, ['links', 1, 'ends', 0], "unknown device 'nope'; devices: vu, ide, x.y"),
      issue(17, 9, ['links', 2, 'id'], "duplicate link id 'dl' (also links[1])"),
      issue(18, 23, ['links', 2, 'ends', 1], "port ide.vu is already used by link 'dl' (links[1])"),
    ]);
    const message = (() => {
      try {
        parseRig(text, FILE, registry);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message?.split('\n')).toHaveLength(found.length);
    expect(message?.split('\n')[0]).toBe("rigs/test.yaml:1:8: clock: 'sundial' is not allowed; expected one of: virtual, wall");
  });

  it('checks the links that are well-formed even when another part of the file is not', () => {
    expect(
      issuesOf(
        lines(
          'clock: wal',
          ...twoDevices,
          'links:',
          '  - { ends: [vu.download, ide.vu], transport: memory, paths: { vu.download: /dev/x } }',
        ),
      ),
    ).toStrictEqual([
      issue(1, 8, ['clock'], "'wal' is not allowed (did you mean 'wall'?); expected one of: virtual, wall"),
      issue(6, 55, ['links', 0, 'paths'], 'a memory link has no OS paths'),
    ]);
  });

  it('takes a tcp path on the listening (second) end only, as tcp://host:port (issue 19)', () => {
    const refused = issuesOf(
      lines(...twoDevices, 'links:', '  - { ends: [vu.download, ide.vu], transport: tcp, paths: { vu.download: tcp://127.0.0.1:0, ide.vu: http://x } }'),
    ).map((i) => i.message);
    expect(refused).toStrictEqual([
      'vu.download is the connecting end of a tcp link: only the listening end (ide.vu) takes a path',
      "'http://x' is not a TCP address like tcp://127.0.0.1:5555",
    ]);
    expect(() => parseRig(lines(...twoDevices, 'links:', '  - { ends: [vu.download, ide.vu], transport: tcp, paths: { ide.vu: tcp://127.0.0.1:0 } }'), FILE, registry)).not.toThrow();
  });
});

describe('loadRigFile', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const productRegistry = new DeviceRegistry(deviceKinds);

  it.each(['loopback', 'pty'])('loads rigs/%s.yaml with the product registry', async (name) => {
    const rig = await loadRigFile(`rigs/${name}.yaml`, productRegistry);
    expect(rig).toMatchObject({
      file: `rigs/${name}.yaml`,
      name,
      clock: 'virtual',
      seed: 1,
      broker: { type: 'embedded' },
    });
    expect(rig.registry.names()).toStrictEqual(productRegistry.names());
  });

  it("loads the rig's device modules, relative to the file, into a copy of the registry", async () => {
    dir = await mkdtemp(join(tmpdir(), 'rig-loader-'));
    // the module lives outside the project, so it imports zod by its resolved file
    const zodUrl = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href;
    await writeFile(
      join(dir, 'echo-kind.mjs'),
      [
        `import { z } from ${JSON.stringify(zodUrl)};`,
        'export const deviceKinds = [{',
        "  kind: 'echo', description: 'echo', options: z.strictObject({ delayMs: z.number().default(1) }),",
        "  ports: { line: { description: 'line', baud: 19200 } },",
        "  machine: () => { throw new Error('not started in this test'); }, stimuli: {},",
        '}];',
      ].join('\n'),
    );
    const file = join(dir, 'echo.yaml');
    await writeFile(
      file,
      lines(
        'modules: [echo-kind.mjs]',
        'devices:',
        '  echo: { kind: echo }',
        '  vu: { kind: vu }',
        'links:',
        '  - { ends: [echo.line, vu.motion], transport: memory }',
      ),
    );
    const rig = await loadRigFile(file, registry);
    expect(rig.name).toBe('echo');
    expect(rig.devices).toStrictEqual([
      { name: 'echo', kind: 'echo', mode: 'emulated', options: { delayMs: 1 } },
      { name: 'vu', kind: 'vu', mode: 'emulated', options: { speedKmh: 0 } },
    ]);
    expect(rig.links[0]!.baud).toBe(19200);
    expect(rig.registry.names()).toStrictEqual(['echo', 'ide', 'vu']);
    expect(registry.names()).toStrictEqual(['ide', 'vu']);
  });

  it('locates a module that cannot be loaded', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rig-loader-'));
    const file = join(dir, 'broken.yaml');
    await writeFile(file, lines('modules:', '  - missing.mjs', 'devices: {}'));
    const error = await loadRigFile(file, registry).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RigFileError);
    const issues = (error as RigFileError).issues;
    expect(issues.map(({ line, column, path }) => ({ line, column, path }))).toStrictEqual([{ line: 2, column: 5, path: ['modules', 0] }]);
    expect(issues[0]!.message).toContain(`cannot load device module ${join(dir, 'missing.mjs')}`);
  });
});
