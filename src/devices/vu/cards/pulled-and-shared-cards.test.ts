import { describe, expect, it } from 'vitest';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import { anna } from '../../cards/test-cards.ts';
import { listRecords } from '../data-memory/event-store.ts';
import type { VuContext } from '../vu-machine.ts';
import { testVuOptions, vusWithSensorPlan } from '../vu-test-rig.ts';

// Issue 15: a card pulled while the VU has no supply (the pullCard stimulus), and a card shared by the rig's VUs
const T0 = Date.UTC(2026, 2, 2, 6);
const vuOf = (serialNumber: number, registrationNumber: string) => testVuOptions(serialNumber, registrationNumber, { cards: { anna } });
const plan = (vus: { name: string; options: ReturnType<typeof vuOf> }[]): RigPlan => vusWithSensorPlan('pulled-card', vus);
const context = (rig: Rig, vu: string) => (rig.actor(vu)!.getSnapshot() as { context: VuContext }).context;
const events = (rig: Rig, vu: string) => listRecords(context(rig, vu).events, rig.clock.now() / 1000).map((r) => [r.type, r.begin, r.data]);

describe('a card pulled while the VU has no supply (pullCard)', () => {
  it('is refused while the VU is powered, and from an empty slot; the VU runs on with the card in', async () => {
    const rig = await Rig.start(plan([{ name: 'vu', options: vuOf(1, 'B-RIG-001') }]), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: anna });
      await rig.clock.advance(60_000);
      expect(() => rig.host.stimulate('vu', 'pullCard', { slot: 'driver' })).toThrow(/pullCard takes a card out while the VU has no supply/);
      rig.host.stimulate('vu', 'supply', { on: false });
      expect(() => rig.host.stimulate('vu', 'pullCard', { slot: 'co-driver' })).toThrow(/the co-driver slot holds no card/);
      rig.host.stimulate('vu', 'supply', { on: true });
      expect(context(rig, 'vu').slots.driver?.card.cardNumber).toBe(anna.cardNumber);
    } finally {
      await rig.close();
    }
  });

  it('the VU finds the slot empty at power-up (the insertion closed then), and the card, re-inserted, had its session left open: 0x06; withdrawn normally, none', async () => {
    const rig = await Rig.start(plan([{ name: 'vu', options: vuOf(1, 'B-RIG-001') }]), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
      await rig.clock.advance(60_000);
      rig.host.stimulate('vu', 'supply', { on: false });
      await rig.clock.advance(30_000);
      rig.host.stimulate('vu', 'pullCard', { slot: 'driver' });
      // unpowered, the VU has not seen it go
      expect(context(rig, 'vu').slots.driver?.card.cardNumber).toBe(anna.cardNumber);
      await rig.clock.advance(30_000);
      rig.host.stimulate('vu', 'supply', { on: true });
      expect(context(rig, 'vu').slots.driver).toBeNull();
      expect(context(rig, 'vu').slots.iw.map((r) => [r.cardInsertionTime, r.cardWithdrawalTime])).toEqual([[T0, T0 + 120_000]]);
      // 0x08 from the cut to the return, the card in at its begin only
      const cut = listRecords(context(rig, 'vu').events, rig.clock.now() / 1000).find((r) => r.type === 0x08)!;
      expect([cut.begin, cut.end, cut.cardsAtBegin?.driver?.cardNumber, cut.cardsAtEnd?.driver]).toEqual([(T0 + 60_000) / 1000, (T0 + 120_000) / 1000, anna.cardNumber, null]);
      await rig.clock.advance(60_000);
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
      await rig.clock.advance(60_000);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(60_000);
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
      await rig.clock.advance(1_000);
      expect(events(rig, 'vu').filter(([type]) => type === 0x06)).toEqual([
        [0x06, (T0 + 180_000) / 1000, { lastSessionInsertion: T0 / 1000, lastVehicleRegistrationNation: 6, lastVehicleRegistrationNumber: 'B-RIG-001', lastVuGeneration: 2 }],
      ]);
    } finally {
      await rig.close();
    }
  });
});

describe('a shared card is one card for the rig', () => {
  it('pulled from VU A during its supply cut and inserted into VU B: B records 0x06 with A’s session; an unshared card in B is a card of its own: none', async () => {
    for (const shared of [true, false]) {
      const rig = await Rig.start(plan([{ name: 'vu-a', options: vuOf(5001, 'B-DAY-001') }, { name: 'vu-b', options: vuOf(5002, 'B-DAY-002') }]), { start: T0 });
      try {
        const card = { ...anna, shared };
        rig.host.stimulate('vu-a', 'insertCard', { slot: 'driver', card });
        await rig.clock.advance(60_000);
        rig.host.stimulate('vu-a', 'supply', { on: false });
        rig.host.stimulate('vu-a', 'pullCard', { slot: 'driver' });
        await rig.clock.advance(60_000);
        rig.host.stimulate('vu-b', 'insertCard', { slot: 'driver', card });
        await rig.clock.advance(1_000);
        expect(events(rig, 'vu-b')).toEqual(
          shared ? [[0x06, (T0 + 120_000) / 1000, { lastSessionInsertion: T0 / 1000, lastVehicleRegistrationNation: 6, lastVehicleRegistrationNumber: 'B-DAY-001', lastVuGeneration: 2 }]] : [],
        );
      } finally {
        await rig.close();
      }
    }
  }, 60_000);

  it('two VUs describing the shared card differently: the insertion fails, naming the card', async () => {
    const rig = await Rig.start(plan([{ name: 'vu-a', options: vuOf(5001, 'B-DAY-001') }, { name: 'vu-b', options: vuOf(5002, 'B-DAY-002') }]), { start: T0 });
    try {
      rig.host.stimulate('vu-a', 'insertCard', { slot: 'driver', card: { ...anna, shared: true } });
      // out of A first: a shared card is in one slot at a time
      rig.host.stimulate('vu-a', 'withdrawCard', { slot: 'driver' });
      expect(() => rig.host.stimulate('vu-b', 'insertCard', { slot: 'driver', card: { ...anna, shared: true, holder: { surname: 'OTHER', firstNames: 'Anna' } } })).toThrow(/the shared card .* is described differently by two VUs/);
    } finally {
      await rig.close();
    }
  });

  it('is in one slot at a time: offered to VU B while in VU A (or to A\'s other slot) it is refused naming both places; withdrawn from A it goes into B', async () => {
    const rig = await Rig.start(plan([{ name: 'vu-a', options: vuOf(5001, 'B-DAY-001') }, { name: 'vu-b', options: vuOf(5002, 'B-DAY-002') }]), { start: T0 });
    try {
      const card = { ...anna, shared: true };
      rig.host.stimulate('vu-a', 'insertCard', { slot: 'driver', card });
      await rig.clock.advance(60_000);
      expect(() => rig.host.stimulate('vu-b', 'insertCard', { slot: 'co-driver', card })).toThrow(
        "device 'vu-b' refused stimulus 'insertCard' and runs on as before it: the shared card driver:6:B000000012345601 is in vu-a's driver slot, so it cannot go into vu-b's co-driver slot: a card is in one slot at a time (Annex IC 19, 20); withdraw it from vu-a first, or pull it there during a supply cut",
      );
      expect(() => rig.host.stimulate('vu-a', 'insertCard', { slot: 'co-driver', card })).toThrow(/is in vu-a's driver slot, so it cannot go into vu-a's co-driver slot/);
      expect([context(rig, 'vu-b').slots.driver, context(rig, 'vu-b').slots['co-driver'], context(rig, 'vu-a').slots['co-driver']]).toEqual([null, null, null]);
      // positive control: out of A, the card goes into B
      rig.host.stimulate('vu-a', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(60_000);
      rig.host.stimulate('vu-b', 'insertCard', { slot: 'co-driver', card });
      await rig.clock.advance(1_000);
      expect(context(rig, 'vu-b').slots['co-driver']?.card.cardNumber).toBe(anna.cardNumber);
      expect(rig.host.errors).toEqual([]);
    } finally {
      await rig.close();
    }
  }, 60_000);

  it('an unshared card is each VU\'s own: the same card in both VUs at once is two cards', async () => {
    const rig = await Rig.start(plan([{ name: 'vu-a', options: vuOf(5001, 'B-DAY-001') }, { name: 'vu-b', options: vuOf(5002, 'B-DAY-002') }]), { start: T0 });
    try {
      rig.host.stimulate('vu-a', 'insertCard', { slot: 'driver', card: anna });
      rig.host.stimulate('vu-b', 'insertCard', { slot: 'driver', card: anna });
      await rig.clock.advance(1_000);
      expect([context(rig, 'vu-a').slots.driver?.valid, context(rig, 'vu-b').slots.driver?.valid]).toEqual([true, true]);
    } finally {
      await rig.close();
    }
  });
});
