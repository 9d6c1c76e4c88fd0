import { downloadVu, type DownloadResult } from '../../harness/download/index.ts';
import { FRAMING_8N1, NO_FAULTS, type Framing } from '../../harness/links/index.ts';
import type { Rig, RigPlan } from '../../harness/rig/rig-runtime.ts';
import type { TestMsca } from '../../crypto/index.ts';
import { ideKind } from '../ide/index.ts';
import { motionSensorKind } from '../motion-sensor/index.ts';
import { vuKind } from './index.ts';
import { vuOptionsSchema } from './vu-options.ts';

/** For tests: the workshop card that calibrates and pairs (its KM_WC from `msca`), and a driver card. */
export const testWorkshopCard = (msca: TestMsca) => ({
  type: 'workshop',
  issuingMemberState: 'B',
  cardNumber: 'B000000000777000',
  workshopName: 'Rig Tachograph Workshop',
  holder: { surname: 'WOUTERS', firstNames: 'Wendy' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
  kmwcKeys: msca.workshopCardKeys([1], 128),
});
export const TEST_DRIVER_CARD = { type: 'driver', issuingMemberState: 'B', cardNumber: 'B000000012345601', holder: { surname: 'PEETERS', firstNames: 'Anna' }, validity: { begin: '2025-01-01', expiry: '2030-12-31' } };

/** For tests: a paced 8N1 memory link between two ports (9600 baud unless said), no faults. */
export const testMemoryLink = (a: string, b: string, { baud = 9600, deliveryQuantumMs }: { baud?: number; deliveryQuantumMs?: number } = {}) => ({
  id: `${a}~${b}`,
  ends: [a, b] as [string, string],
  transport: 'memory' as const,
  baud,
  framing: FRAMING_8N1,
  pacing: true,
  faults: NO_FAULTS,
  ...(deliveryQuantumMs === undefined ? {} : { deliveryQuantumMs }),
});

/**
 * For tests of what a rig's VUs share (its cards): the VUs, each `options` given to vuOptionsSchema with the
 * identification and registration testVuOptions makes, and one motion sensor on the first VU's pulse line.
 */
export const testVuOptions = (serialNumber: number, registrationNumber: string, more: object = {}) =>
  vuOptionsSchema.parse({ identification: { serialNumber: { serialNumber, monthYear: '0126', manufacturerCode: 0x40 } }, calibration: { registrationNumber }, ...more });

export function vusWithSensorPlan(name: string, vus: { name: string; options: ReturnType<typeof testVuOptions> }[]): RigPlan {
  return {
    name,
    clock: 'virtual',
    seed: 1,
    devices: [
      ...vus.map((v) => ({ name: v.name, kind: vuKind, mode: 'emulated' as const, options: v.options })),
      { name: 'sensor', kind: motionSensorKind, mode: 'emulated' as const, options: motionSensorKind.options.parse({}) },
    ],
    links: [{ ...testMemoryLink('sensor.pulses', `${vus[0]!.name}.pulses`, { deliveryQuantumMs: 0 }), id: 'pulses' }],
  };
}

/** App. 7: the K-line runs 8E1. */
const FRAMING_8E1: Framing = { dataBits: 8, parity: 'even', stopBits: 1 };

/**
 * For tests: a VU with its motion sensor on the pulse line and the rig's IDE on its download line, memory
 * links at 9600 baud, paced. `pulseQuantumMs` groups a pulse frame's bytes as the default rigs do.
 */
export function vuWithIdePlan(name: string, vuOptions: unknown, pulseQuantumMs = 0): RigPlan {
  const link = (id: string, ends: [string, string], framing: Framing, deliveryQuantumMs: number) => ({ id, ends, transport: 'memory' as const, baud: 9600, framing, pacing: true, faults: NO_FAULTS, deliveryQuantumMs });
  return {
    name,
    clock: 'virtual',
    seed: 1,
    devices: [
      { name: 'vu', kind: vuKind, mode: 'emulated', options: vuOptionsSchema.parse(vuOptions) },
      { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({}) },
      { name: 'ide', kind: ideKind, mode: 'emulated', options: {} },
    ],
    links: [link('pulses', ['sensor.pulses', 'vu.pulses'], FRAMING_8N1, pulseQuantumMs), link('download', ['ide.vu', 'vu.download'], FRAMING_8E1, 0)],
  };
}

/**
 * Downloads the VU at 115200 baud through the IDE, driving the rig clock while the client works, as a record
 * source does: as the rig's own read (download/access.ts) unless `rigRead` is false, when the VU gives what
 * the cards in its slots open (Annex IC 12).
 */
export async function downloadOnRigClock(rig: Rig, transfers: { trtp: number; date?: number }[], { rigRead = true, card }: { rigRead?: boolean; card?: 'driver' | 'co-driver' } = {}): Promise<DownloadResult> {
  let outcome: { result?: DownloadResult; error?: unknown } | undefined;
  if (rigRead) rig.actor('vu')!.send({ type: 'vu.rigRead', on: true });
  downloadVu(rig.port('ide.vu')!, rig.clock, { transfers, baud: 115200, ...(card ? { card } : {}) }).then(
    (result) => (outcome = { result }),
    (error) => (outcome = { error }),
  );
  try {
    while (!outcome) await rig.clock.advance(100);
  } finally {
    if (rigRead) rig.actor('vu')!.send({ type: 'vu.rigRead', on: false });
  }
  if (outcome.error) throw outcome.error;
  return outcome.result!;
}
