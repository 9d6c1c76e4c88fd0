import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/index.ts';
import { createWorld } from '../../../harness/world/index.ts';
import { internalReceiverReading, internalReceiverReport, receiverReadings } from './internal-receiver.ts';
import { MIN, T0 } from './test-support.ts';

describe('internal GNSS receiver (GNS_34)', () => {
  it("reads the world's sky through NMEA: the last whole second's position, 1/10 minute, least HDOP; no fix is noFix", () => {
    const world = createWorld(new VirtualClock({ start: T0 }));
    expect(internalReceiverReport(world, T0 + 20_700)).toEqual({ type: 'gnss.position', position: { time: T0 + 20_000, latitude: 50510, longitude: 4211, speedKmh: 0, hdop: 0.9 } });
    world.gnss.setAvailable(false);
    expect(internalReceiverReport(world, T0 + 40_000)).toEqual({ type: 'gnss.noFix', time: T0 + 40_000 });
  });

  it('a faulty receiver fails the self-test, sky or not (Annex IC 89): a receiver fault, no position', () => {
    const world = createWorld(new VirtualClock({ start: T0 }));
    expect(internalReceiverReport(world, T0 + 20_000, true)).toEqual({ type: 'gnss.receiverFault' });
    expect(internalReceiverReport(world, T0 + 20_000, false).type).toBe('gnss.position');
  });

  it('repeats the last reading, its time moved on, only where the sentences would say the same (issue 18): every read equal to one made from sentences', async () => {
    // across midnight and the year's end, a parked vehicle, driving, a ferry, outages, a sky change, GNSS time offsets
    const start = Date.UTC(2026, 11, 31, 23, 40, 0);
    const clock = new VirtualClock({ start });
    const world = createWorld(clock);
    const changes: [number, () => void][] = [
      [5 * MIN, () => world.vehicle.setSpeed(50)],
      [9 * MIN, () => world.vehicle.setHeading(90)],
      [12 * MIN, () => world.vehicle.setSpeed(0)],
      [15 * MIN, () => world.gnss.setTimeOffset(123)],
      [18 * MIN, () => world.gnss.setAvailable(false)],
      [22 * MIN, () => world.gnss.setTimeOffset(90_500)],
      [26 * MIN, () => world.gnss.setAvailable(true)],
      [30 * MIN, () => world.gnss.setConstellation('gps', { hdop: 2.5 })],
      [33 * MIN, () => world.vehicle.moveTo({ lat: 51.05, lon: 3.72 })],
      [36 * MIN, () => world.gnss.setTimeOffset(0)],
    ];
    for (const [at, change] of changes) clock.schedule(start + at, change);
    const before = receiverReadings.fromSentences;
    let reads = 0;
    const kinds = new Set<string>();
    for (let t = start + 20_000; t <= start + 40 * MIN; t += 20_000) {
      for (const late of [0, 700]) {
        await clock.runUntil(t + late);
        const reading = internalReceiverReading(world, t + late);
        expect([t + late, reading]).toEqual([t + late, internalReceiverReport(world, t + late)]);
        kinds.add(reading.type);
        reads++;
      }
    }
    expect([...kinds].sort()).toEqual(['gnss.noFix', 'gnss.position']);
    // positive control: most reads repeated (parked, or no fix), the rest made from sentences
    const made = receiverReadings.fromSentences - before;
    expect(made).toBeGreaterThan(20);
    expect(made).toBeLessThan(reads / 2);
  });
});
