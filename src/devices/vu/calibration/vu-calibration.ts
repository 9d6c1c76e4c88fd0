import { noteCalibration } from '../data-memory/event-store.ts';
import { anchorOdometer, odometerKm } from '../motion/motion-state.ts';
import { timeReal, vuTime } from '../time/vu-clock.ts';
import type { VuContext } from '../vu-machine.ts';
import { calibrate, type CalibrationChange } from './calibration.ts';
import { calibrationAccess, type CalibrationError } from './calibration-access.ts';

/**
 * A calibration applied to the VU's context (Annex IC 119): the new parameters take effect at once, the
 * record is kept, the event memory's "first after the last calibration" rules start again, and the odometer
 * carries on from its value (or the one the workshop set) under the new k.
 */
export function calibrateVu(context: VuContext, change: CalibrationChange, rigNow: number): Partial<VuContext> {
  const at = timeReal(vuTime(context.clock, rigNow));
  const access = calibrationAccess(context.slots);
  if (!access.ok) {
    const error: CalibrationError = { at, function: 'calibration', reason: access.reason, detail: access.detail, workshopCard: null };
    return { calibrationErrors: [...context.calibrationErrors, error] };
  }
  const odometer = odometerKm(context.motion, context.calibration.k);
  // Annex IC 120 (version 2): the country of the calibration, the one the VU takes the vehicle to be in (the rig has no
  // map: the last border crossing's, else the registering nation, v2-records.ts), with the time of its last GNSS position
  const position = context.gnss.lastPosition;
  const country = { nation: context.v2Records.country ?? context.calibration.registrationNation, positionTime: position ? Math.floor(position.gnssTime / 1000) : 0 };
  const { parameters, record } = calibrate({ current: context.calibration, change, card: access.card, at, odometerKm: odometer, country });
  // Distance so far was measured under the old k: the odometer reads on from here under the new one.
  const motion = anchorOdometer(context.motion, change.odometerKm ?? odometer);
  return { calibration: parameters, calibrations: [...context.calibrations, record], events: noteCalibration(context.events, at), motion };
}
