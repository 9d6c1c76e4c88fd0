import { fullCardNumberOf } from '../../cards/card.ts';
import { isActivitiesTrtp, isEventsFaultsTrtp, type TransferRequest } from '../../../protocols/app7/index.ts';
import { currentMode, modeCard, slotCards } from '../cards/card-slots.ts';
import { beginSpan, endSpan } from '../data-memory/event-store.ts';
import { noteControlTransfer, overSpeedingControlled } from '../modes/control-activities.ts';
import { timeReal } from '../time/vu-clock.ts';
import type { VuContext } from '../vu-machine.ts';
import { downloadAccess, type DownloadAccess } from './access.ts';
import { gen1DownloadAllowed } from './gen1-format.ts';
import { lastDownloadAfterTransfer } from './last-download.ts';
import type { SessionAccess } from './types.ts';

/**
 * The VU's side of a download session beyond the protocol: what the session may read (access.ts), the
 * downloading self-test (Annex IC 89), and what a session leaves in the data memory: the last download in
 * company or calibration mode (Annex IC 129), and in control mode the control activity (69, 126, 127) and the
 * over speeding control (70).
 */
export interface DownloadSession {
  /** Whether the session is the rig's own read (access.ts); fixed when it opens. */
  rigRead: boolean;
  /** The session's control activity record is open (its later transfers add to it). */
  controlOpen: boolean;
  /** The day a TREP 22 being answered covers, VU time ms: the control activity's downloaded period. */
  pendingDay: number | null;
}

/** App. 1 EventFaultType '34'H downloading fault. */
export const DOWNLOADING_FAULT = 0x34;

/**
 * A session opens (Start Communication) at VU time `vuNow`: the downloading self-test runs (Annex IC 89,
 * "performed only during downloading"; "proper operation" of the download interface). A failure begins a
 * '34'H fault (Annex IC 88: not in calibration mode) unless one is on-going, and the upload is refused; a
 * self-test that passes ends an on-going one. The fault is a span from the failed self-test to the first
 * passing one: the VU learns of a repair only by testing again.
 */
export function openDownloadSession(context: VuContext, vuNow: number, rigRead: boolean): { patch: Partial<VuContext>; access: SessionAccess } {
  const at = timeReal(vuNow);
  const cards = slotCards(context.slots);
  let { events, downloadFaultEvent } = context;
  if (context.downloadInterfaceFault && downloadFaultEvent === null && currentMode(context.slots) !== 'calibration') {
    ({ memory: events, id: downloadFaultEvent } = beginSpan(events, { type: DOWNLOADING_FAULT, at, cards }));
  } else if (!context.downloadInterfaceFault && downloadFaultEvent !== null) {
    events = endSpan(events, { id: downloadFaultEvent, at, cards });
    downloadFaultEvent = null;
  }
  const access = downloadAccess(context.slots, rigRead);
  return {
    patch: { events, downloadFaultEvent, downloadSession: { rigRead, controlOpen: false, pendingDay: null } },
    access: { vuData: access.vuData, driverCard: access.driverCard, internalFault: context.downloadInterfaceFault, gen1Format: gen1DownloadAllowed(context.slots, rigRead, context.gen1DownloadSelected) },
  };
}

/** The access of the session in progress, judged now (a card may have gone since it opened). */
export function sessionAccess(context: VuContext): DownloadAccess {
  return downloadAccess(context.slots, context.downloadSession?.rigRead ?? false);
}

/** A Transfer Data Request the VU is about to answer: a TREP 22's day is kept for the control activity. */
export function noteFetch(context: VuContext, request: TransferRequest): Partial<VuContext> {
  if (!context.downloadSession) return {};
  const pendingDay = isActivitiesTrtp(request.trtp) && request.date !== undefined ? Math.floor((request.date * 1000) / 86_400_000) * 86_400_000 : null;
  return { downloadSession: { ...context.downloadSession, pendingDay } };
}

/** A whole message went out at VU time `vuNow`: what the session leaves in the data memory. */
export function afterTransfer(context: VuContext, transfer: { trep: number; first: boolean }, vuNow: number): Partial<VuContext> {
  const patch: Partial<VuContext> = {};
  const last = lastDownloadAfterTransfer(context.slots, transfer, vuNow);
  if (last) patch.lastDownload = last;
  const session = context.downloadSession;
  const access = sessionAccess(context);
  const controlCard = access.mode === 'control' ? modeCard(context.slots) : undefined;
  if (session && controlCard) {
    const at = Math.floor(vuNow / 1000) * 1000;
    const day = isActivitiesTrtp(transfer.trep) ? (session.pendingDay ?? undefined) : undefined;
    patch.controlActivities = noteControlTransfer(context.controlActivities, { trep: transfer.trep, ...(day === undefined ? {} : { day }) }, fullCardNumberOf(controlCard), at, session.controlOpen);
    patch.downloadSession = { ...session, controlOpen: true, pendingDay: null };
    // Annex IC 70: 'events and faults' downloaded in control mode is an over speeding control (TREP 23, 03 or 33)
    if (isEventsFaultsTrtp(transfer.trep)) patch.overSpeedingControl = overSpeedingControlled(timeReal(vuNow));
  }
  return patch;
}
