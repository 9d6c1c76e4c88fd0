import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StimulusRefusedError } from '../../../harness/devices/device-host.ts';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import { anna, wendy } from '../../cards/test-cards.ts';
import type { VuContext } from '../vu-machine.ts';
import { vuWithIdePlan } from '../vu-test-rig.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const HOUR = 3_600_000;

/** The card insertions a download gives: card number, insertion and withdrawal (rig ms, relative to T0). */
async function insertions(rig: Rig) {
  return (await rig.records('vu')).filter((r) => r.kind === 'cardInsertion').map((r) => [r.code, r.at! - T0, r.end === undefined ? 'in' : r.end - T0]);
}

describe('a card offered to an occupied slot (Annex IC 19, 20): refused, the VU runs on', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('refuses a second card with the reason; the first card and its session stay, downloads still answer', async () => {
    const rig = await Rig.start(vuWithIdePlan('occupied-slot', { cards: { anna, wendy } }, 10), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
      await rig.clock.advance(60_000);
      const before = (rig.actor('vu')!.getSnapshot().context as VuContext).slots;
      expect(() => rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' })).toThrow(StimulusRefusedError);
      expect(() => rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' })).toThrow(
        "device 'vu' refused stimulus 'insertCard' and runs on as before it: the driver slot already holds a card, driver card B000000012345601: a slot takes one card and holds it until it is withdrawn (Annex IC 19, 20), so nothing was inserted; withdraw it first",
      );
      expect(rig.actor('vu')!.getSnapshot().status).toBe('active');
      expect((rig.actor('vu')!.getSnapshot().context as VuContext).slots).toBe(before);
      await rig.clock.advance(60_000);
      expect(await insertions(rig)).toEqual([['B000000012345601', 0, 'in']]);
      // the co-driver slot is free: the card goes in there
      const at = Math.floor((rig.clock.now() - T0) / 1000) * 1000;
      rig.host.stimulate('vu', 'insertCard', { slot: 'co-driver', card: 'wendy' });
      await rig.clock.advance(1000);
      expect(await insertions(rig)).toEqual([
        ['B000000012345601', 0, 'in'],
        ['B000000000777000', at, 'in'],
      ]);
      expect(rig.host.errors).toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('keeps a card restored from the data memory in its slot, its session open, and refuses it a second time', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vu-occupied-'));
    const options = { cards: { anna }, dataMemoryFile: join(dir, 'vu.dm') };
    const first = await Rig.start(vuWithIdePlan('occupied-slot', options, 10), { start: T0 });
    first.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
    first.worldAction('speed', { kmh: 60 });
    await first.clock.advance(60_000);
    first.worldAction('stop', {});
    await first.clock.advance(60_000);
    await first.close();

    // a rig restart: the card is still in the slot (locked in position, Annex IC 19) and its session resumes
    const again = await Rig.start(vuWithIdePlan('occupied-slot', options, 10), { start: T0 + HOUR });
    try {
      await again.clock.advance(60_000);
      expect(() => again.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' })).toThrow(
        "device 'vu' refused stimulus 'insertCard' and runs on as before it: the driver slot already holds that very card, driver card B000000012345601: a slot takes one card and holds it until it is withdrawn (Annex IC 19, 20), so nothing was inserted; withdraw it first",
      );
      expect(again.actor('vu')!.getSnapshot().status).toBe('active');
      expect(await insertions(again)).toEqual([['B000000012345601', 0, 'in']]);
      // the session goes on: withdrawn now, it closes the record the first run opened, and the card goes in again
      again.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      const out = Math.floor((again.clock.now() - T0) / 1000) * 1000;
      await again.clock.advance(1000);
      again.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
      await again.clock.advance(1000);
      expect(await insertions(again)).toEqual([
        ['B000000012345601', 0, out],
        ['B000000012345601', out + 1000, 'in'],
      ]);
      expect(again.host.errors).toEqual([]);
    } finally {
      await again.close();
    }
  });
});
