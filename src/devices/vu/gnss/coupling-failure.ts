import { calibrationAccess, workshopCardNumber, type CalibrationError } from '../calibration/calibration-access.ts';
import type { GnssLinkReport } from '../gnss-link/types.ts';
import { timeReal, vuTime } from '../time/vu-clock.ts';
import type { VuContext } from '../vu-machine.ts';

/**
 * An EGF coupling given up after its attempts (gnss-link/recovery.ts): the message to the workshop card
 * holder, kept as a `calibrationError` with function 'coupling', as an aborted pairing is (CSM_217 step 2
 * and later steps; CSM_202: the coupling is the workshop's, in calibration mode). Pure: the machine assigns it.
 */
export function noteCouplingFailure(context: VuContext, report: Extract<GnssLinkReport, { type: 'gnss.couplingFailed' }>, rigNow: number): Partial<VuContext> {
  const access = calibrationAccess(context.slots);
  const error: CalibrationError = {
    at: timeReal(vuTime(context.clock, rigNow)),
    function: 'coupling',
    reason: report.reason,
    detail: report.detail,
    workshopCard: access.ok ? workshopCardNumber(access.card) : null,
  };
  return { calibrationErrors: [...context.calibrationErrors, error] };
}
