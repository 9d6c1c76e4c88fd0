import { fullCardNumberOf } from '../../cards/card.ts';
import type { VuDownloadActivity } from '../../../protocols/app7-records/index.ts';
import { currentMode, type CardSlotsState, type SlotState } from '../cards/card-slots.ts';

/**
 * Annex IC 129 (App. 1 VuDownloadActivityData): the VU keeps the date and time of its last data memory
 * download to external media made in company or calibration mode, with the company or workshop card used
 * and the company or workshop name. TREP 21 reports it.
 *
 * Choices (the Annex does not say what counts as "a download"): a download session counts once it has sent
 * one whole message (normally the Overview, which comes first, DDP_054), and its time is when that message
 * had gone out; later messages of the same session do not move it. A session in operational or control
 * mode leaves the record as it was (control-mode downloads belong to the control activity records). The
 * card is the valid company card (company mode) or workshop card (calibration mode), the driver slot's
 * first when both slots hold one.
 */
export function lastDownloadAfterTransfer(slots: CardSlotsState, transfer: { first: boolean }, vuNow: number): VuDownloadActivity | undefined {
  if (!transfer.first) return undefined;
  const mode = currentMode(slots);
  if (mode !== 'company' && mode !== 'calibration') return undefined;
  const type = mode === 'company' ? 'company' : 'workshop';
  const slot = [slots.driver, slots['co-driver']].find((s): s is SlotState => !!s && s.valid && s.card.type === type);
  if (!slot) return undefined;
  const card = slot.card;
  const name = card.type === 'company' ? card.companyName : card.type === 'workshop' ? card.workshopName : '';
  return { downloadingTime: Math.floor(vuNow / 1000) * 1000, card: fullCardNumberOf(card), companyOrWorkshopName: name };
}
