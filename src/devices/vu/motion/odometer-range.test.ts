import { describe, expect, it } from 'vitest';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import { anna } from '../../cards/test-cards.ts';
import { vuWithIdePlan } from '../vu-test-rig.ts';
import { createMotionState, odometerKm } from './motion-state.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);

describe('the odometer past 9 999 999,9 km (Annex IC 29, App. 1 OdometerShort)', () => {
  it('rolls over to 0, as an odometer does', () => {
    const k = 8000;
    expect(odometerKm({ ...createMotionState(9_999_999), totalPulses: 0.5 * k }, k)).toBe(9_999_999.5);
    expect(odometerKm({ ...createMotionState(9_999_999), totalPulses: 3 * k }, k)).toBe(2);
  });

  it('keeps a VU whose odometer rolled over downloadable, the records with the rolled-over value', async () => {
    const rig = await Rig.start(vuWithIdePlan('odometer-range', { cards: { anna }, calibration: { odometerKm: 9_999_999 } }, 10), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
      rig.worldAction('speed', { kmh: 120 });
      await rig.clock.advance(60_000); // 2 km
      rig.worldAction('stop', {});
      await rig.clock.advance(60_000);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(1000);
      const insertion = (await rig.records('vu')).filter((r) => r.kind === 'cardInsertion');
      expect(insertion.map((r) => [r.fields?.['odometerAtInsertion'], r.fields?.['odometerAtWithdrawal']])).toEqual([[9_999_999, 1]]);
      expect(rig.host.errors).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});
