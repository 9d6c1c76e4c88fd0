import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/index.ts';
import { createRng } from '../../../crypto/random.ts';
import { createWorld } from '../../../harness/world/index.ts';
import { anna, wendy } from '../../cards/test-cards.ts';
import { createVuMachine, type PulseDecoder } from '../vu-machine.ts';
import { vuOptionsSchema } from '../vu-options.ts';
import { eventRecords } from '../vu-records.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const S = (seconds: number) => T0 + seconds * 1000;

/** A test double for the pulse line: each pair of bytes is a big-endian pulse count. */
const pairsDecoder: PulseDecoder = (held, bytes) => {
  const all = [...held, ...bytes];
  let pulses = 0;
  let i = 0;
  for (; i + 1 < all.length; i += 2) pulses += (all[i]! << 8) | all[i + 1]!;
  return { pulses, held: all.slice(i) };
};


/**
 * A VU with an internal receiver (GNS_34) reading the world's vehicle, whose pulse line is fed by the test:
 * the world's speed is what the GNSS sees, `drive` what the sensor says (k = 8000, mid-second).
 */
function startVu() {
  const clock = new VirtualClock({ start: T0 });
  const world = createWorld(clock);
  const options = vuOptionsSchema.parse({ gnss: { receiver: 'internal' } });
  const actor = createActor(createVuMachine(clock, options, pairsDecoder, createRng(1, 'vu'), world), { clock }).start();
  const drive = async (sensorKmh: number, seconds: number) => {
    for (let s = 0; s < seconds; s++) {
      await clock.advance(500);
      const pulses = Math.round((sensorKmh * 8000) / 3600);
      if (pulses > 0) actor.send({ type: 'port.rx', port: 'pulses', bytes: Uint8Array.of(pulses >> 8, pulses & 0xff) });
      await clock.advance(500);
    }
  };
  const conflicts = () =>
    eventRecords(actor.getSnapshot().context.events, Math.floor(clock.now() / 1000))
      .filter((r) => r.code === 0x0a)
      .map((r) => [r.at, r.end ?? null]);
  return { clock, world, actor, drive, conflicts };
}

describe('the VU records 0x0A vehicle motion conflict (Annex IC 84, GNS_42)', () => {
  it('GNSS 80 km/h against pulses for 60 km/h during 9 minutes: one 0x0A, from the 19th comparison to the 12th after', async () => {
    const vu = startVu();
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
    vu.world.vehicle.setSpeed(80);
    // Comparisons at 1, 11, 21 s ...; the first GNSS read is at 20 s, so the first made is at 21 s.
    await vu.drive(80, 300);
    await vu.drive(60, 480); // 13 min: the first comparison with the misreading at 301 s, the 19th at 481 s
    expect(vu.conflicts()).toEqual([]); // at 780 s: the mean above 10 km/h for 4 min 59 s
    await vu.drive(60, 60);
    expect(vu.conflicts()).toEqual([[S(481), null]]); // recorded at 781 s
    await vu.drive(80, 240); // true again from 840 s: the 12th comparison after, at 951 s, ends it
    expect(vu.conflicts()).toEqual([[S(481), S(951)]]);
  });

  it('agreeing speeds, starts and stops with the GNSS a read behind, give nothing', async () => {
    const vu = startVu();
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
    for (let i = 0; i < 10; i++) {
      vu.world.vehicle.setSpeed(80);
      await vu.drive(80, 150);
      vu.world.vehicle.setSpeed(0);
      await vu.drive(0, 45);
    }
    expect(vu.conflicts()).toEqual([]);
    expect(vu.actor.getSnapshot().context.motionConflict.window.length).toBeGreaterThan(20);
  });

  it('the sensor stationary while the GNSS shows 8 km/h: one 0x0A after 10 minutes of it (trigger 3), ended when pulses return', async () => {
    const vu = startVu();
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
    vu.world.vehicle.setSpeed(8);
    await vu.drive(8, 120);
    await vu.drive(0, 600); // the first discrepancy at 121 s, the 60th at 711 s: 9 min 50 s
    expect(vu.conflicts()).toEqual([]);
    await vu.drive(0, 10);
    expect(vu.conflicts()).toEqual([[S(121), null]]); // recorded at 721 s
    await vu.drive(8, 10);
    expect(vu.conflicts()).toEqual([[S(121), S(731)]]);
  });

  it('none in calibration mode (Annex IC 84)', async () => {
    const vu = startVu();
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: wendy });
    vu.world.vehicle.setSpeed(80);
    await vu.drive(0, 1200);
    expect(vu.conflicts()).toEqual([]);
    // the same out of calibration mode: five minutes from the first comparison after it
    vu.actor.send({ type: 'vu.withdrawCard', slot: 'driver' });
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
    await vu.drive(0, 310);
    expect(vu.conflicts()).toEqual([[S(1201), null]]);
  });

  it('none during a ferry/train crossing (Annex IC 84): the vehicle carried at 80 km/h, its wheels still', async () => {
    const vu = startVu();
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
    vu.actor.send({ type: 'vu.specificCondition', condition: 'ferry-train-begin' });
    vu.world.vehicle.setSpeed(80);
    await vu.drive(0, 1200);
    expect(vu.conflicts()).toEqual([]);
    // the same once the crossing is ended: five minutes from the first comparison after it
    vu.actor.send({ type: 'vu.specificCondition', condition: 'ferry-train-end' });
    await vu.drive(0, 310);
    expect(vu.conflicts()).toEqual([[S(1201), null]]);
  });
});
