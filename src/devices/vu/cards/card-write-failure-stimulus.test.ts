import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import { anna } from '../../cards/test-cards.ts';
import { listRecords } from '../data-memory/event-store.ts';
import type { VuContext } from '../vu-machine.ts';
import { vuWithIdePlan } from '../vu-test-rig.ts';

// Issue 15: the cardWriteFailure stimulus on a card whose memory is a file (re-read at each insertion), and on an empty slot
const T0 = Date.UTC(2026, 2, 2, 8);
const MIN = 60_000;
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const context = (rig: Rig) => (rig.actor('vu')!.getSnapshot() as { context: VuContext }).context;
/** [type, begin (s from T0)] of the VU's events and faults. */
const events = (rig: Rig) =>
  listRecords(context(rig).events, rig.clock.now() / 1000)
    .map((r) => [r.type, r.begin - T0 / 1000])
    .sort((a, b) => a[1]! - b[1]! || a[0]! - b[0]!);

describe('cardWriteFailure (Annex IC 149)', () => {
  for (const withFile of [false, true]) {
    it(`${withFile ? 'a card with a memoryFile' : 'positive control, a card without one'}: writes failing from 08:02, the withdrawal at 08:03 is a card fault (0x40)`, async () => {
      dir = mkdtempSync(join(tmpdir(), 'card-write-failure-'));
      const card = withFile ? { ...anna, memoryFile: join(dir, 'anna.card.json') } : anna;
      const rig = await Rig.start(vuWithIdePlan('card-write-failure', {}), { start: T0 });
      try {
        rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
        await rig.clock.advance(2 * MIN);
        rig.host.stimulate('vu', 'cardWriteFailure', { slot: 'driver', on: true });
        await rig.clock.advance(MIN);
        rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
        await rig.clock.advance(1_000);
        expect(events(rig)).toEqual([[0x40, 180]]);
      } finally {
        await rig.close();
      }
    });
  }

  it("is kept in the card's file: inserted again (into the next VU, or the next run), the card still fails: non-valid at insertion (0x01, 0x40); switched off, it works again", async () => {
    dir = mkdtempSync(join(tmpdir(), 'card-write-failure-'));
    const file = join(dir, 'anna.card.json');
    const card = { ...anna, memoryFile: file };
    const rig = await Rig.start(vuWithIdePlan('card-write-failure', {}), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
      await rig.clock.advance(MIN);
      rig.host.stimulate('vu', 'cardWriteFailure', { slot: 'driver', on: true });
      expect(JSON.parse(readFileSync(file, 'utf8')).failingWrites).toBe(true);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(MIN);
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
      await rig.clock.advance(1_000);
      expect(context(rig).slots.driver?.valid).toBe(false);
      rig.host.stimulate('vu', 'cardWriteFailure', { slot: 'driver', on: false });
      expect(JSON.parse(readFileSync(file, 'utf8')).failingWrites).toBe(false);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(MIN);
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
      await rig.clock.advance(1_000);
      expect(context(rig).slots.driver?.valid).toBe(true);
      // 08:01 the withdrawal; 08:02 the insertion of a non-valid card; 08:03:01 its session (left open at 08:00) not closed
      expect(events(rig)).toEqual([
        [0x40, 60],
        [0x01, 120],
        [0x40, 120],
        [0x06, 181],
      ]);
    } finally {
      await rig.close();
    }
  });

  it('on an empty slot is an error naming the slot', async () => {
    const rig = await Rig.start(vuWithIdePlan('card-write-failure', {}), { start: T0 });
    try {
      expect(() => rig.host.stimulate('vu', 'cardWriteFailure', { slot: 'co-driver', on: true })).toThrow('cardWriteFailure: the co-driver slot holds no card');
    } finally {
      await rig.close();
    }
  });
});
