import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../harness/clock/index.ts';
import { createVuMachine, type PulseDecoder } from './vu-machine.ts';
import { eventRecords } from './vu-records.ts';
import { vuOptionsSchema } from './vu-options.ts';
import { cardSchema } from '../cards/card-schema.ts';
import { wendy } from '../cards/test-cards.ts';

const driverCard = cardSchema.parse({
  type: 'driver',
  issuingMemberState: 'B',
  cardNumber: 'B000000012345601',
  holder: { surname: 'PEETERS', firstNames: 'An' },
  validity: { begin: '2025-01-01', expiry: '2030-01-01' },
});
const controlCard = cardSchema.parse({
  type: 'control',
  issuingMemberState: 'B',
  cardNumber: 'B000000000999000',
  controlBodyName: 'Rig Road Control',
  holder: { surname: 'CLAES', firstNames: 'Carla' },
  validity: { begin: '2025-01-01', expiry: '2030-01-01' },
});
const expiredCard = cardSchema.parse({ ...driverCard, cardNumber: 'B000000099999901', validity: { begin: '2020-01-01', expiry: '2025-01-01' } });
/** How the event records name the driver card: App. 1 FullCardNumberAndGeneration. */
const driverCardId = { cardType: 'driver', issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 };

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

/** A test double for the pulse line: each pair of bytes is a big-endian pulse count. */
const pairsDecoder: PulseDecoder = (held, bytes) => {
  const all = [...held, ...bytes];
  let pulses = 0;
  let i = 0;
  for (; i + 1 < all.length; i += 2) pulses += (all[i]! << 8) | all[i + 1]!;
  return { pulses, held: all.slice(i) };
};

function startVu(options: Record<string, unknown> = {}) {
  const clock = new VirtualClock({ start: T0 });
  const actor = createActor(createVuMachine(clock, vuOptionsSchema.parse(options), pairsDecoder), { clock }).start();
  /** Pulses for a speed held for `seconds`, delivered in the middle of each second, k = 8000. */
  const drive = async (kmh: number, seconds: number) => {
    for (let s = 0; s < seconds; s++) {
      await clock.advance(500);
      const pulses = Math.round((kmh * 8000) / 3600);
      actor.send({ type: 'port.rx', port: 'pulses', bytes: Uint8Array.of(pulses >> 8, pulses & 0xff) });
      await clock.advance(500);
    }
  };
  const records = () => eventRecords(actor.getSnapshot().context.events, Math.floor(clock.now() / 1000));
  return { clock, actor, drive, records };
}

describe('VU machine', () => {
  it('measures speed once a second from the pulses and keeps the odometer', async () => {
    const vu = startVu();
    await vu.drive(90, 10);
    const { motion } = vu.actor.getSnapshot().context;
    expect(motion.speedKmh).toBe(90);
    expect(motion.totalPulses).toBe(2000);
  });

  it('records one over speeding event for 61 s above the authorised speed, none for 59 s', async () => {
    const vu = startVu({ calibration: { authorisedSpeedKmh: 90 } });
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: driverCard });
    await vu.drive(100, 61);
    await vu.drive(80, 2);
    expect(vu.records()).toEqual([
      expect.objectContaining({ kind: 'event', code: 0x07, at: T0, end: T0 + 61_000, /* 61 seconds above the limit */ fields: expect.objectContaining({ maxSpeed: 100, averageSpeed: 100, ongoing: false }) }),
    ]);
    const short = startVu({ calibration: { authorisedSpeedKmh: 90 } });
    short.actor.send({ type: 'vu.insertCard', slot: 'driver', card: driverCard });
    await short.drive(100, 59);
    await short.drive(80, 2);
    expect(short.records()).toEqual([]);
  });

  it('records a power supply interruption with the VU clock running on, and none for a 200 ms glitch', async () => {
    const vu = startVu();
    await vu.clock.advance(10_000);
    vu.actor.send({ type: 'vu.supply', on: false });
    await vu.clock.advance(200);
    vu.actor.send({ type: 'vu.supply', on: true });
    expect(vu.records()).toEqual([]);
    vu.actor.send({ type: 'vu.supply', on: false });
    await vu.clock.advance(300_000);
    vu.actor.send({ type: 'vu.supply', on: true });
    expect(vu.records()).toEqual([expect.objectContaining({ kind: 'event', code: 0x08, at: T0 + 10_000, end: T0 + 310_000 })]);
  });

  it('records no power supply interruption in calibration or control mode, and one in operational mode (Annex IC 79)', async () => {
    const vu = startVu();
    const cut = async (ms: number) => {
      vu.actor.send({ type: 'vu.supply', on: false });
      await vu.clock.advance(ms);
      vu.actor.send({ type: 'vu.supply', on: true });
    };
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: wendy }); // calibration mode
    await vu.clock.advance(10_000);
    await cut(300_000);
    vu.actor.send({ type: 'vu.withdrawCard', slot: 'driver' });
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: controlCard }); // control mode
    await vu.clock.advance(10_000);
    await cut(300_000);
    expect(vu.records()).toEqual([]);
    vu.actor.send({ type: 'vu.withdrawCard', slot: 'driver' });
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: driverCard }); // operational mode: the positive control
    await vu.clock.advance(10_000);
    await cut(300_000);
    const begin = T0 + 10_000 + 300_000 + 10_000 + 300_000 + 10_000;
    expect(vu.records()).toEqual([expect.objectContaining({ kind: 'event', code: 0x08, at: begin, end: begin + 300_000 })]);
  });

  it('counts no pulses while unpowered', async () => {
    const vu = startVu();
    vu.actor.send({ type: 'vu.supply', on: false });
    await vu.drive(90, 5);
    expect(vu.actor.getSnapshot().context.motion.totalPulses).toBe(0);
  });

  it('runs its clock with the configured offset and a skew stimulus', async () => {
    const vu = startVu({ clock: { offsetMs: 5000 } });
    vu.actor.send({ type: 'vu.skewClock', seconds: 90 });
    const { clock } = vu.actor.getSnapshot().context;
    expect(clock.anchorVu - clock.anchorRig).toBe(95_000);
  });

  it('records driving without an appropriate card from the first second of movement until a card is inserted', async () => {
    const vu = startVu();
    await vu.drive(50, 30);
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: driverCard });
    await vu.drive(50, 5);
    expect(vu.records()).toEqual([
      expect.objectContaining({ code: 0x04, at: T0 + 1000, end: T0 + 30_000, fields: expect.objectContaining({ cardsAtBegin: { driver: null, codriver: null }, cardsAtEnd: { driver: driverCardId, codriver: null } }) }),
      expect.objectContaining({ code: 0x05, at: T0 + 30_000, end: T0 + 30_000 }),
    ]);
  });

  it('records a non-valid card and keeps ignoring it: no insertion record, driving without a card goes on', async () => {
    const vu = startVu();
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: expiredCard });
    await vu.drive(50, 3);
    expect(vu.records().map((r) => [r.code, r.at! - T0, r.end === undefined ? 'ongoing' : r.end - T0])).toEqual([
      [0x01, 0, 0],
      [0x04, 1000, 'ongoing'],
    ]);
    expect(vu.actor.getSnapshot().context.slots.iw).toEqual([]);
  });

  it('keeps an insertion and withdrawal record with times and odometer', async () => {
    const vu = startVu({ calibration: { odometerKm: 1000 } });
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: driverCard });
    await vu.drive(90, 3600);
    vu.actor.send({ type: 'vu.withdrawCard', slot: 'driver' });
    const [iw] = vu.actor.getSnapshot().context.slots.iw;
    expect(iw).toMatchObject({
      cardSlotNumber: 'driver',
      cardInsertionTime: T0,
      vehicleOdometerValueAtInsertion: 1000,
      cardWithdrawalTime: T0 + 3_600_000,
      vehicleOdometerValueAtWithdrawal: 1090,
    });
  });
});

describe('VU data memory across a restart', () => {
  it('is restored from its file and saved again byte for byte', async () => {
    const { mkdtempSync, readFileSync, rmSync, unlinkSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'vu-memory-'));
    const file = join(dir, 'vu.dm');
    try {
      const first = startVu({ dataMemoryFile: file, calibration: { authorisedSpeedKmh: 90 } });
      first.actor.send({ type: 'vu.insertCard', slot: 'driver', card: driverCard });
      await first.drive(100, 70);
      await first.drive(80, 5);
      first.actor.send({ type: 'vu.supply', on: false });
      await first.clock.advance(60_000);
      first.actor.send({ type: 'vu.supply', on: true });
      const before = first.actor.getSnapshot().context;
      first.actor.stop();
      const saved = readFileSync(file);

      // A new process: a new rig clock, later, and a new actor on the same file.
      const clock = new VirtualClock({ start: first.clock.now() + 3_600_000 });
      const second = createActor(createVuMachine(clock, vuOptionsSchema.parse({ dataMemoryFile: file, calibration: { authorisedSpeedKmh: 90 } }), pairsDecoder), { clock }).start();
      const after = second.getSnapshot().context;
      expect(after.events).toEqual(before.events);
      expect(after.slots).toEqual(before.slots);
      expect(after.motion.totalPulses).toBe(before.motion.totalPulses);
      expect(eventRecords(after.events, Math.floor(clock.now() / 1000)).map((r) => r.code)).toEqual([0x07, 0x08]);
      second.send({ type: 'vu.withdrawCard', slot: 'driver' }); // forces a save: the card's record closes
      second.send({ type: 'vu.insertCard', slot: 'driver', card: driverCard });
      second.stop();
      expect(readFileSync(file).equals(saved)).toBe(false);

      // Restart again without any change: the bytes do not move.
      const third = createActor(createVuMachine(clock, vuOptionsSchema.parse({ dataMemoryFile: file }), pairsDecoder), { clock }).start();
      const savedAgain = readFileSync(file);
      unlinkSync(file); // so the save at stop has to write it anew
      await clock.advance(500); // less than a second: nothing samples, nothing changes
      third.stop();
      expect(readFileSync(file).equals(savedAgain)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a file that is not a data memory at all, naming it', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'vu-memory-'));
    const file = join(dir, 'vu.dm');
    writeFileSync(file, 'not a data memory');
    try {
      expect(() => startVu({ dataMemoryFile: file })).toThrow(`VU data memory file ${file}:`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
