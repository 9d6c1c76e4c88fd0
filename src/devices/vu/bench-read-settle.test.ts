import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../harness/clock/index.ts';
import { createWorld } from '../../harness/world/index.ts';
import { untilVuSeesStop, VU_SEES_STOP_MS } from './index.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

/**
 * Found on the bench (sensor-swap against the stand-in): its check came 0.6 s after `world: stop`, the bench
 * inserted its download card, and the real VU, whose speed is still that of the last second with pulses,
 * recorded a card insertion while driving (0x05) and driving without an appropriate card (0x04).
 */
describe('a bench read of a real VU right after the vehicle stops', () => {
  it('waits until the VU has seen the stop: the second after the one the stop fell in', async () => {
    const clock = new VirtualClock({ start: T0 });
    const world = createWorld(clock);
    world.vehicle.setSpeed(60);
    await clock.advance(600_000);
    world.vehicle.setSpeed(0); // stopped at +10 min
    await clock.advance(600);
    await untilVuSeesStop({ clock, world });
    expect(clock.now()).toBe(T0 + 600_000 + VU_SEES_STOP_MS);
    expect(VU_SEES_STOP_MS).toBe(2500);
  });

  it('does not wait when the vehicle stopped long enough ago, or never moved', async () => {
    const clock = new VirtualClock({ start: T0 });
    const world = createWorld(clock);
    await untilVuSeesStop({ clock, world });
    expect(clock.now()).toBe(T0);
    world.vehicle.setSpeed(30);
    await clock.advance(5000);
    world.vehicle.setSpeed(0);
    world.vehicle.setHeading(90); // a change that is not a stop: the stop is still the one at +5 s
    await clock.advance(3000);
    await untilVuSeesStop({ clock, world });
    expect(clock.now()).toBe(T0 + 8000);
    expect(world.vehicle.stoppedAt(clock.now())).toBe(T0 + 5000);
  });

  it('knows when the vehicle stopped, and that a moving one has not', async () => {
    const clock = new VirtualClock({ start: T0 });
    const world = createWorld(clock);
    expect(world.vehicle.stoppedAt(T0)).toBeUndefined();
    world.vehicle.setSpeed(50);
    await clock.advance(1000);
    expect(world.vehicle.stoppedAt(clock.now())).toBeUndefined();
    world.vehicle.setSpeed(0);
    await clock.advance(1000);
    world.vehicle.setSpeed(0);
    expect(world.vehicle.stoppedAt(clock.now())).toBe(T0 + 1000);
  });
});
