import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/index.ts';
import { createWorld } from '../../../harness/world/index.ts';
import { internalReceiverReport } from './internal-receiver.ts';
import { T0 } from './test-support.ts';

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
});
