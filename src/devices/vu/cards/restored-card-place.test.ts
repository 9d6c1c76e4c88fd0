import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import type { VirtualCard } from '../../cards/card.ts';
import { anna } from '../../cards/test-cards.ts';
import type { VuContext } from '../vu-machine.ts';
import { testVuOptions, vusWithSensorPlan } from '../vu-test-rig.ts';

/**
 * Issue 15: a physical card (one with a memoryFile, or a shared one) is in one slot of the rig at a time
 * (cards/rig-cards.ts). A VU started from its data memory file with such a card in a slot holds it there: offered to
 * another VU's slot, the card is refused as if that VU had just inserted it.
 */
const T0 = Date.UTC(2026, 2, 2, 6);
const vuOf = (serialNumber: number, registrationNumber: string, dataMemoryFile: string, card: VirtualCard) => testVuOptions(serialNumber, registrationNumber, { cards: { anna: card }, dataMemoryFile });
const plan = (vus: { name: string; options: ReturnType<typeof vuOf> }[]): RigPlan => vusWithSensorPlan('restored-card', vus);
const context = (rig: Rig, vu: string) => (rig.actor(vu)!.getSnapshot() as { context: VuContext }).context;

describe('a card restored in a slot from a VU data memory file is in that slot for the whole rig', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  for (const kind of ['memoryFile', 'shared'] as const) {
    it(`(${kind}) offered to VU B after VU A restarted with it in A's driver slot: refused naming both; withdrawn from A, it goes into B`, async () => {
      dir = mkdtempSync(join(tmpdir(), 'restored-card-'));
      const card: VirtualCard = kind === 'memoryFile' ? { ...anna, memoryFile: join(dir, 'anna.card.json') } : { ...anna, shared: true };
      const a = vuOf(5001, 'B-DAY-001', join(dir, 'vu-a.dm'), card);
      const b = vuOf(5002, 'B-DAY-002', join(dir, 'vu-b.dm'), card);
      const first = await Rig.start(plan([{ name: 'vu-a', options: a }]), { start: T0 });
      first.host.stimulate('vu-a', 'insertCard', { slot: 'driver', card: 'anna' });
      await first.clock.advance(60_000);
      await first.close();

      const rig = await Rig.start(plan([{ name: 'vu-a', options: a }, { name: 'vu-b', options: b }]), { start: T0 + 120_000 });
      try {
        expect(context(rig, 'vu-a').slots.driver?.card.cardNumber).toBe(anna.cardNumber);
        const what = kind === 'memoryFile' ? `the card driver:6:B000000012345601 (memoryFile ${card.memoryFile})` : 'the shared card driver:6:B000000012345601';
        expect(() => rig.host.stimulate('vu-b', 'insertCard', { slot: 'driver', card: 'anna' })).toThrow(
          `device 'vu-b' refused stimulus 'insertCard' and runs on as before it: ${what} is in vu-a's driver slot, so it cannot go into vu-b's driver slot: a card is in one slot at a time (Annex IC 19, 20); withdraw it from vu-a first, or pull it there during a supply cut`,
        );
        expect(context(rig, 'vu-b').slots.driver).toBeNull();
        // positive control: withdrawn from A, the same card goes into B
        rig.host.stimulate('vu-a', 'withdrawCard', { slot: 'driver' });
        await rig.clock.advance(60_000);
        rig.host.stimulate('vu-b', 'insertCard', { slot: 'driver', card: 'anna' });
        await rig.clock.advance(1_000);
        expect(context(rig, 'vu-b').slots.driver).toMatchObject({ valid: true, card: { cardNumber: anna.cardNumber } });
        expect(rig.host.errors).toEqual([]);
      } finally {
        await rig.close();
      }
    }, 60_000);
  }

  it("a VU whose slots part is found damaged at power-up holds no card any more: the card is free for another VU (undamaged: still refused)", async () => {
    for (const damaged of [false, true]) {
      dir = mkdtempSync(join(tmpdir(), 'restored-card-'));
      const card: VirtualCard = { ...anna, shared: true };
      const rig = await Rig.start(plan([{ name: 'vu-a', options: vuOf(5001, 'B-DAY-001', join(dir, 'vu-a.dm'), card) }, { name: 'vu-b', options: vuOf(5002, 'B-DAY-002', join(dir, 'vu-b.dm'), card) }]), { start: T0 });
      try {
        rig.host.stimulate('vu-a', 'insertCard', { slot: 'driver', card: 'anna' });
        await rig.clock.advance(60_000);
        rig.host.stimulate('vu-a', 'supply', { on: false });
        if (damaged) rig.host.stimulate('vu-a', 'damageDataMemory', { part: 'slots' });
        await rig.clock.advance(60_000);
        rig.host.stimulate('vu-a', 'supply', { on: true });
        await rig.clock.advance(1_000);
        if (!damaged) {
          expect(context(rig, 'vu-a').slots.driver?.card.cardNumber).toBe(anna.cardNumber);
          expect(() => rig.host.stimulate('vu-b', 'insertCard', { slot: 'driver', card: 'anna' })).toThrow(/is in vu-a's driver slot, so it cannot go into vu-b's driver slot/);
          continue;
        }
        expect(context(rig, 'vu-a').slots.driver).toBeNull();
        rig.host.stimulate('vu-b', 'insertCard', { slot: 'driver', card: 'anna' });
        await rig.clock.advance(1_000);
        expect(context(rig, 'vu-b').slots.driver).toMatchObject({ valid: true, card: { cardNumber: anna.cardNumber } });
        expect(rig.host.errors).toEqual([]);
      } finally {
        await rig.close();
        rmSync(dir, { recursive: true, force: true });
        dir = '';
      }
    }
  }, 60_000);

  it('two data memories that each kept the same card in a slot: the rig does not start, naming both places', async () => {
    dir = mkdtempSync(join(tmpdir(), 'restored-card-'));
    const card: VirtualCard = { ...anna, memoryFile: join(dir, 'anna.card.json') };
    const a = vuOf(5001, 'B-DAY-001', join(dir, 'vu-a.dm'), card);
    const b = vuOf(5002, 'B-DAY-002', join(dir, 'vu-b.dm'), card);
    // each VU alone in a run of its own, the card left in its driver slot
    for (const [name, options] of [['vu-a', a], ['vu-b', b]] as const) {
      const run = await Rig.start(plan([{ name, options }]), { start: T0 });
      run.host.stimulate(name, 'insertCard', { slot: 'driver', card: 'anna' });
      await run.clock.advance(60_000);
      await run.close();
    }
    // the rig starts; the second VU to start finds the card in the first one's slot: a run error naming both, and that VU stops
    const rig = await Rig.start(plan([{ name: 'vu-a', options: a }, { name: 'vu-b', options: b }]), { start: T0 + 120_000 });
    try {
      expect(rig.host.errors).toEqual([
        { device: 'vu-b', message: `vu-b's data memory holds the card driver:6:B000000012345601 (memoryFile ${card.memoryFile}) in its driver slot, but the card is in vu-a's driver slot: a card is in one slot at a time (Annex IC 19, 20)` },
      ]);
      expect([rig.actor('vu-a')!.getSnapshot().status, rig.actor('vu-b')!.getSnapshot().status]).toEqual(['active', 'error']);
    } finally {
      await rig.close();
    }
  }, 60_000);
});
