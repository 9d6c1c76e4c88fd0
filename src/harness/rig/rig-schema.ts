import { z } from 'zod';
import type { LoadedHardwareMap } from '../bench/hardware-map.ts';
import type { FaultSettings, Framing, LinkOptions, Parity, Transport } from '../links/index.ts';

/**
 * A rig file (`rigs/*.yaml`): which devices, emulated or external, and which link each port uses. This is
 * the structural schema; what needs the device registry (kinds, ports, options) is checked by the loader.
 */

const FRAMING_PATTERN = /^([5-8])([NEOMS])(1|1\.5|2)$/;

const PARITY: Record<string, Parity> = { N: 'none', E: 'even', O: 'odd', M: 'mark', S: 'space' };

/** `8E1` → `{ dataBits: 8, parity: 'even', stopBits: 1 }`. Throws on anything else. */
export function parseFraming(text: string): Framing {
  const match = FRAMING_PATTERN.exec(text);
  if (!match) throw new Error(`invalid framing '${text}': ${FRAMING_HELP}`);
  return {
    dataBits: Number(match[1]) as Framing['dataBits'],
    parity: PARITY[match[2]!]!,
    stopBits: Number(match[3]) as Framing['stopBits'],
  };
}

const FRAMING_HELP = 'expected data bits 5-8, parity N|E|O|M|S, stop bits 1|1.5|2, e.g. 8N1 or 8E1';

/**
 * YAML 1.2 reads an unquoted `8E1` as the float 8×10¹ = 80. Even parity is the tachograph norm, so rather
 * than make every author quote it, the numbers `dE1`/`dE2` can stand for are read back as that framing.
 */
function framingFromYamlFloat(value: unknown): unknown {
  if (typeof value !== 'number') return value;
  for (const dataBits of [5, 6, 7, 8]) {
    if (value === dataBits * 10) return `${dataBits}E1`;
    if (value === dataBits * 100) return `${dataBits}E2`;
  }
  return value;
}

const FramingText = z
  .preprocess(framingFromYamlFloat, z.string().regex(FRAMING_PATTERN, { error: `invalid framing: ${FRAMING_HELP}` }))
  .describe(`UART character framing as data bits, parity, stop bits: ${FRAMING_HELP}. Default 8N1.`);

const DeviceName = z
  .string()
  .regex(/^[A-Za-z][\w-]*$/, { error: 'a device name is letters, digits, - and _, starting with a letter' });

const PortRef = z
  .string()
  .regex(/^[A-Za-z][\w-]*\.\S+$/, { error: "expected a port as 'device.port', e.g. vu.download" })
  .describe("A device port, 'device.port'.");

const Rate = z.number().min(0).max(1);

export const FaultsSchema = z
  .strictObject({
    dropRate: Rate.default(0).describe('Probability in [0,1] that a byte is lost.'),
    bitFlipRate: Rate.default(0).describe('Probability in [0,1] that any one bit of a byte is inverted.'),
    latencyMs: z.number().min(0).default(0).describe('Extra delay added to every byte, ms of rig time.'),
  })
  .describe('Fault injection, the same in both directions; scenarios may change it at run time. Default: none.');

const BROKER_URL = /^(mqtts?|wss?):\/\/[^\s/]+/;

const BrokerUrl = z
  .string()
  .regex(BROKER_URL, { error: 'expected a broker URL like mqtt://host:1883 (mqtt, mqtts, ws or wss)' })
  .describe('Broker URL: mqtt://, mqtts://, ws:// or wss://.');

export const BrokerTlsSchema = z
  .strictObject({
    ca: z.string().min(1).optional().describe('CA certificate (PEM file), relative to the rig file.'),
    cert: z.string().min(1).optional().describe('Client certificate (PEM file), relative to the rig file.'),
    key: z.string().min(1).optional().describe('Client private key (PEM file), relative to the rig file.'),
    rejectUnauthorized: z
      .boolean()
      .optional()
      .describe('Refuse a broker whose certificate does not verify. Default true.'),
  })
  .describe('TLS settings for an mqtts:// or wss:// broker.');

export const BrokerObjectSchema = z
  .strictObject({
    url: BrokerUrl,
    username: z.string().optional().describe('MQTT user name.'),
    password: z.string().optional().describe('MQTT password.'),
    tls: BrokerTlsSchema.optional(),
  })
  .describe('An MQTT broker outside the rig.');

export const BrokerSchema = z
  .union([
    // one string schema, not a literal|url union: a typo of 'embedded' should be told both options
    z
      .string()
      .refine((s) => s === 'embedded' || BROKER_URL.test(s), {
        error: "expected 'embedded' or a broker URL like mqtt://host:1883",
      }),
    BrokerObjectSchema,
  ])
  .default('embedded')
  .describe("'embedded' (an in-process broker), a broker URL, or { url, username, password, tls }. Default embedded.");

export const RigDeviceSchema = z
  .strictObject({
    kind: z.string().min(1).describe('A registered device kind, e.g. vu.'),
    mode: z
      .enum(['emulated', 'external'])
      .default('emulated')
      .describe(
        'emulated: the rig runs the device. external: a real device under test, reached over its links. ' +
          'Default emulated.',
      ),
    options: z.unknown().optional().describe("Device options, validated by the kind's own options schema. Default {}."),
  })
  .describe('One device of the rig.');

export const RigLinkSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^\S+$/, { error: 'a link id has no spaces' })
      .optional()
      .describe("The link's id in traces and scenarios. Default '<a>~<b>' from its ends."),
    ends: z.tuple([PortRef, PortRef]).describe('The two ports the link joins.'),
    transport: z
      .enum(['memory', 'pty', 'serial', 'tcp'])
      .describe(
        'memory: in-process null modem. pty: a socat pseudo-terminal pair. serial: a real serial port. ' +
          'tcp: a real TCP connection; the second end listens (a free loopback port, or its path tcp://host:port), the first connects.',
      ),
    baud: z.int().positive().optional().describe("Line speed, bit/s. Default: the ports' declared baud, else 9600."),
    framing: FramingText.optional(),
    pacing: z.boolean().default(true).describe('Pace bytes by the baud rate on the rig clock. Default true.'),
    deliveryQuantumMs: z
      .number()
      .min(0)
      .optional()
      .describe('Bytes due within this many ms are handed to the receiver together, as a UART FIFO. Default: 0 (byte by byte), 2 on pty.'),
    timingAllowanceMs: z
      .number()
      .min(0)
      .optional()
      .describe(
        'pty and serial on a wall clock: how far inter-byte times read from the OS may be off because of what lies ' +
          'between the line and the rig (socat and the peer program on a pty, a USB adapter latency timer), ms; ' +
          "added to the rig process's own measured stalls when App. 7 P1/P4 are judged. Default 100 on pty, 16 on serial.",
      ),
    faults: FaultsSchema.optional(),
    trace: z
      .enum(['frames', 'count'])
      .default('frames')
      .describe(
        "frames: each frame in the trace, with raw hex and the codec's description. count: frames only counted " +
          "(a link that talks all the time, such as a pulse line in the `pulseLine: count` form with ten frames a second: a day of them is a trace nobody reads). Default frames.",
      ),
    paths: z
      .record(PortRef, z.string().min(1))
      .default({})
      .describe(
        'OS path per end, by port: serial needs one for each local (emulated) end; pty may fix a symlink path. ' +
          "On serial, 'adapter:<name>' names an adapter of the hardware map (--hardware-map or hardwareMap).",
      ),
  })
  .describe('A link between two device ports.');

export const RigFileSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe("The rig's name in reports. Default: the file name."),
    description: z.string().optional().describe('What the rig is for.'),
    clock: z
      .enum(['virtual', 'wall'])
      .default('virtual')
      .describe('virtual: time advances only when the rig says so. wall: real time, needed with an external device.'),
    seed: z
      .int()
      .min(0)
      .max(0xffff_ffff)
      .default(1)
      .describe('Seed from which all randomness derives: the same seed gives the same run. Default 1.'),
    broker: BrokerSchema,
    modules: z
      .array(z.string().min(1))
      .default([])
      .describe('Extra device-kind modules (each exports deviceKinds), relative to the rig file.'),
    devices: z.record(DeviceName, RigDeviceSchema).default({}).describe('The devices, by name.'),
    links: z.array(RigLinkSchema).default([]).describe('The links between device ports.'),
    windowSlackMs: z
      .number()
      .min(0)
      .default(0)
      .describe(
        "How much later than a scenario's window ends a real device under test may stamp a record (it reads an inserted " +
          'card for seconds, the rig actuates over a serial line): the end of every window and ended span is moved this ' +
          'much later on this rig. Default 0: the emulated devices react at the instant the rig clock says.',
      ),
    aliases: z
      .record(DeviceName, DeviceName)
      .default({})
      .describe(
        "Device names scenarios may use for this rig's devices, e.g. { vu-egf: vu }: a scenario written for " +
          "loopback.yaml's vu-egf runs on a bench whose one VU is vu. A key may not be a device of the rig.",
      ),
    hardwareMap: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Hardware map file resolving the links' 'adapter:<name>' paths (rig bench discover writes one), relative to the " +
          'rig file; --hardware-map overrides it.',
      ),
  })
  .describe('A test rig: devices and the links between their ports.');

export type RigFile = z.output<typeof RigFileSchema>;
export type RigDevice = z.output<typeof RigDeviceSchema>;
export type RigLinkSpec = z.output<typeof RigLinkSchema>;
export type RigBroker = z.output<typeof BrokerSchema>;
export type BrokerTls = z.output<typeof BrokerTlsSchema>;

export type ClockMode = RigFile['clock'];
export type DeviceMode = RigDevice['mode'];

export const DEFAULT_BAUD = 9600;
export const DEFAULT_FRAMING = '8N1';

export type ResolvedBroker =
  | { type: 'embedded' }
  | { type: 'external'; url: string; username?: string; password?: string; tls?: BrokerTls };

export interface ResolvedDevice {
  name: string;
  kind: string;
  mode: DeviceMode;
  /** As output by the kind's options schema: defaults filled. */
  options: unknown;
}

export type LinkTrace = 'frames' | 'count';

/** A link with every default filled: what a transport needs, plus where its ends live on the OS. */
export interface ResolvedLink extends LinkOptions {
  transport: Transport;
  /** What the trace keeps of the link's frames. */
  trace: LinkTrace;
  /** OS path by port name, for the ends that have one. */
  paths: Record<string, string>;
  /** The hardware map's adapter name by port, for the ends whose path came from one (`adapter:<name>`). */
  adapters?: Record<string, string>;
}

/** A rig file with defaults filled and cross-references checked. */
export interface ResolvedRig {
  name: string;
  description?: string;
  clock: ClockMode;
  seed: number;
  broker: ResolvedBroker;
  /** In file order. */
  devices: ResolvedDevice[];
  links: ResolvedLink[];
  /** Scenario device name → this rig's device (`aliases` in the file). */
  aliases: Record<string, string>;
  /** How much later a window's end is on this rig (`windowSlackMs`). */
  windowSlackMs: number;
  /** The hardware map the links' `adapter:` paths were resolved through, when one was given. */
  hardwareMap?: LoadedHardwareMap;
}

export function defaultLinkId(ends: readonly [string, string]): string {
  return `${ends[0]}~${ends[1]}`;
}

export function resolveFaults(faults: Partial<FaultSettings> | undefined): FaultSettings {
  return { dropRate: faults?.dropRate ?? 0, bitFlipRate: faults?.bitFlipRate ?? 0, latencyMs: faults?.latencyMs ?? 0 };
}
