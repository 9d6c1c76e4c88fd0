import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { GnssSky } from './gnss-sky.ts';
import { createWorld, worldStimuli } from './world.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

describe('GnssSky', () => {
  it('has a fix under the default sky, none during an outage, and keeps the past', async () => {
    const clock = new VirtualClock({ start: T0 });
    const sky = new GnssSky(clock);
    expect(sky.viewAt(T0).fix).toBe(true);
    expect(sky.viewAt(T0).constellations.gps).toEqual({ satellites: [2, 5, 7, 13, 15, 20, 24, 30], pdop: 1.6, hdop: 0.9, vdop: 1.3 });
    await clock.advance(60_000);
    sky.setAvailable(false);
    await clock.advance(60_000);
    sky.setAvailable(true);
    expect(sky.fixAt(T0 + 59_999)).toBe(true);
    expect(sky.fixAt(T0 + 60_000)).toBe(false);
    expect(sky.viewAt(T0 + 90_000).constellations.galileo).toEqual({ satellites: [], pdop: 0, hdop: 0, vdop: 0 });
    expect(sky.fixAt(T0 + 120_000)).toBe(true);
  });

  it('needs 4 satellites for a fix', () => {
    const sky = new GnssSky(new VirtualClock({ start: T0 }), {
      constellations: { gps: { satellites: [1, 2, 3] }, glonass: { satellites: [] }, galileo: { satellites: [] }, sbas: { satellites: [] } },
    });
    expect(sky.fixAt(T0)).toBe(false);
    sky.setConstellation('galileo', { satellites: [1], hdop: 2.5 });
    expect(sky.viewAt(T0)).toMatchObject({ fix: true, constellations: { galileo: { satellites: [1], hdop: 2.5, pdop: 1.8 } } });
    expect(() => sky.setConstellation('gps', { hdop: 100 })).toThrow('hdop must be 0..99.9, got 100');
  });

  it('is driven by the world stimuli gnss and sky', () => {
    const world = createWorld(new VirtualClock({ start: T0 }));
    worldStimuli.gnss!.apply(world, worldStimuli.gnss!.args.parse({ available: false }));
    expect(world.gnss.fixAt(T0)).toBe(false);
    worldStimuli.gnss!.apply(world, { available: true });
    worldStimuli.sky!.apply(world, worldStimuli.sky!.args.parse({ constellation: 'beidou', satellites: [1, 2], hdop: 0.7 }));
    expect(world.gnss.viewAt(T0).constellations.beidou).toEqual({ satellites: [1, 2], pdop: 0, hdop: 0.7, vdop: 0 });
  });
});
