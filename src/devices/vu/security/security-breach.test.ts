import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/index.ts';
import { anna, wendy } from '../../cards/test-cards.ts';
import { NO_CARDS } from '../../../protocols/app1/slot-cards.ts';
import { createEventMemory, listRecords } from '../data-memory/event-store.ts';
import { vuStimuli } from '../stimuli.ts';
import { createVuMachine, type VuContext } from '../vu-machine.ts';
import { vuOptionsSchema } from '../vu-options.ts';
import { eventRecords } from '../vu-records.ts';
import { recordDetection, VU_DETECTIONS } from './security-breach.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const T = T0 / 1000;

describe("the VU's own detections (0x16, 0x17, 0x18; Annex IC 85)", () => {
  it('records each as an instant, outside calibration mode only', () => {
    for (const code of [0x16, 0x17, 0x18] as const) {
      const kept = recordDetection(createEventMemory(), { code, at: T, cards: NO_CARDS, mode: 'operational' });
      expect(listRecords(kept, T).map((r) => [r.type, r.category, r.purpose, r.begin, r.end, r.similarEvents])).toEqual([[code, 'event', 0x00, T, T, 0]]);
      for (const mode of ['control', 'company'] as const) expect(recordDetection(createEventMemory(), { code, at: T, cards: NO_CARDS, mode }).records).toHaveLength(1);
      expect(recordDetection(createEventMemory(), { code, at: T, cards: NO_CARDS, mode: 'calibration' })).toEqual(createEventMemory());
    }
  });

  it('keeps the 10 most recent of each type (Annex IC 117, row "Security breach attempt")', () => {
    let events = createEventMemory();
    for (let i = 0; i < 11; i++) events = recordDetection(events, { code: 0x17, at: T + 60 * i, cards: NO_CARDS, mode: 'operational' });
    events = recordDetection(events, { code: 0x18, at: T + 3600, cards: NO_CARDS, mode: 'operational' });
    const listed = listRecords(events, T + 3600);
    expect(listed.filter((r) => r.type === 0x17).map((r) => r.begin - T)).toEqual([60, 120, 180, 240, 300, 360, 420, 480, 540, 600]);
    expect(listed.filter((r) => r.type === 0x18)).toHaveLength(1);
  });

  it('come from the stimuli openCase, sabotageHardware, internalTransferError; the case and the sabotage also while unpowered', async () => {
    const clock = new VirtualClock({ start: T0 });
    const options = vuOptionsSchema.parse({});
    const vu = createActor(createVuMachine(clock, options, () => ({ pulses: 0, held: [] })), { clock }).start();
    const stimulate = (name: string) => vu.send(vuStimuli[name]!.toEvent({}, { name: 'vu', options }) as never);
    const codes = () => eventRecords((vu.getSnapshot().context as VuContext).events, clock.now() / 1000).map((r) => [r.code, (r.at! - T0) / 1000]);

    vu.send({ type: 'vu.insertCard', slot: 'driver', card: wendy });
    for (const name of ['openCase', 'sabotageHardware', 'internalTransferError']) stimulate(name);
    expect(codes()).toEqual([]); // calibration mode
    vu.send({ type: 'vu.withdrawCard', slot: 'driver' });
    vu.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
    await clock.advance(10_000);
    for (const name of ['openCase', 'sabotageHardware', 'internalTransferError']) stimulate(name);
    await clock.advance(10_000);
    vu.send({ type: 'vu.supply', on: false });
    await clock.advance(10_000);
    for (const name of ['openCase', 'sabotageHardware', 'internalTransferError']) stimulate(name);
    await clock.advance(10_000);
    vu.send({ type: 'vu.supply', on: true });
    expect(codes()).toEqual([
      [0x17, 10],
      [0x18, 10],
      [0x16, 10],
      [0x17, 30],
      [0x18, 30],
      [0x08, 20],
    ]);
    expect(VU_DETECTIONS).toEqual({ internalDataTransfer: 0x16, caseOpening: 0x17, hardwareSabotage: 0x18 });
  });
});
