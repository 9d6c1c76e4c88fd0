import { fromHex } from '../../../crypto/bytes.ts';
import type { VuDsrcKeys } from '../../../crypto/dsrc/index.ts';
import type { SlotCards } from '../../../protocols/app1/slot-cards.ts';
import {
  APPLICATION_RTM,
  DsrcDecodeError,
  decodeVuLinkFrame,
  deframeVuLink,
  encodeTachographPayload,
  encodeVuLinkFrame,
  protectRtmData,
  type TachographPayload,
} from '../../../protocols/dsrc/index.ts';
import { beginSpan, endSpan, type EventMemory } from '../data-memory/event-store.ts';

/**
 * The VU's remote communication function (App. 14 §4.1.1, §5.6-5.7; App. 11 §13) as plain data and pure
 * steps: the VUPM's 60-second update (DSC_12/13), the VUSM's protection of each set (CSM_223-227), the
 * application protocol with the DSRC-VU (DSC_71-76) and the VUSM's check that each set reached the DSRC-VU's
 * memory (DSC_77), with its events. The machine (vu-machine.ts) calls these on its ticks and its `dsrc` port.
 */
export interface VuDsrcState {
  /** CSM_225: the counter of the last set made, -1 before the first. Kept in the data memory: never reused. */
  counter: number;
  /** DSC_72/74: the link to the DSRC-VU is initialised (a restart drops it, DSC_76). */
  linked: boolean;
  /** DataTransactionId of the next send-data command. */
  nextTransactionId: number;
  /** What the VU waits an answer to. */
  pending: { kind: 'init' } | { kind: 'data'; transactionId: number } | null;
  /** Bytes of a frame not yet complete. */
  held: number[];
  /** DSC_74: NoK answers in a row. */
  noks: number;
  /** Transfers in a row that did not reach the DSRC-VU's memory (NoK or no answer). */
  failures: number;
  /** Open spans in the event memory: 0x0C (DSC_77) and 0x38 (the facility absent or broken). */
  communicationErrorEvent: number | null;
  facilityFaultEvent: number | null;
}

export function createVuDsrcState(): VuDsrcState {
  return { counter: -1, linked: false, nextTransactionId: 1, pending: null, held: [], noks: 0, failures: 0, communicationErrorEvent: null, facilityFaultEvent: null };
}

/** DSC_76: at a restart every link is dropped (a dangling link of a VU that lost its supply is gone). */
export function afterRestart(state: VuDsrcState): VuDsrcState {
  return { ...state, linked: false, pending: null, held: [] };
}

/** The link identifier the VU picks (DSC_74); one link, RTM. */
export const RTM_LINK_ID = 1;
/** DSC_74: "more than three answers equal to 0" (NoK). */
export const NOK_ANSWERS_BEFORE_EVENT = 3;
/** Failed transfers in a row (4 sets, 4 minutes at 60 s) after which the facility counts as absent or broken (0x38). */
export const FAILURES_BEFORE_FAULT = 3;

export interface DsrcStepContext {
  /** VU time, TimeReal. */
  now: number;
  cards: SlotCards;
  events: EventMemory;
}

export interface DsrcStep {
  state: VuDsrcState;
  events: EventMemory;
  /** Bytes for the dsrc port. */
  tx: Uint8Array[];
  /** The awaited answer came (the machine stops its answer timer). */
  answered: boolean;
  /** The link came up: the first set goes at once, not a period later. */
  sendNow: boolean;
}

const step = (state: VuDsrcState, events: EventMemory, extra: Partial<DsrcStep> = {}): DsrcStep => ({ state, events, tx: [], answered: false, sendNow: false, ...extra });

/**
 * DSC_12/13, DSC_75: a period is due. Without a link the VU initialises it; with one it sends a new set:
 * the counter goes up by 1 before each set (CSM_225; 0 for the first ever), the payload is OER-encoded,
 * encrypted and MACed with the security data (time, counter, VU id, key version).
 */
export function dsrcDue(state: VuDsrcState, ctx: DsrcStepContext, payload: () => TachographPayload, keys: { enc: string; mac: string; version: number; vuId: string }): DsrcStep {
  if (!state.linked) {
    return step({ ...state, pending: { kind: 'init' } }, ctx.events, { tx: [encodeVuLinkFrame({ command: 'initRequest', linkId: RTM_LINK_ID })] });
  }
  const counter = state.counter + 1;
  if (counter > 0xffffff) throw new Error('CSM_225: the 3-byte RTM counter is exhausted');
  const vuKeys: VuDsrcKeys = { enc: fromHex(keys.enc), mac: fromHex(keys.mac) };
  const data = protectRtmData(encodeTachographPayload(payload()), { timeReal: ctx.now, counter, vuId: fromHex(keys.vuId), keyVersion: keys.version }, vuKeys);
  const transactionId = state.nextTransactionId;
  const frame = encodeVuLinkFrame({ command: 'sendData', linkId: RTM_LINK_ID, transactionId, applicationId: APPLICATION_RTM, data });
  return step({ ...state, counter, nextTransactionId: (transactionId % 0xffff) + 1, pending: { kind: 'data', transactionId } }, ctx.events, { tx: [frame] });
}

/** Bytes from the DSRC-VU: answers to what the VU waits for; anything else (garbled, stale, foreign) is ignored. */
export function dsrcReceive(state: VuDsrcState, ctx: DsrcStepContext, bytes: Uint8Array): DsrcStep {
  const { chunks, held } = deframeVuLink(state.held, bytes);
  let result = step({ ...state, held }, ctx.events);
  for (const chunk of chunks) {
    let message;
    try {
      message = decodeVuLinkFrame(chunk);
    } catch (e) {
      if (e instanceof DsrcDecodeError) continue; // the answer timer judges a transfer whose answer is lost
      throw e;
    }
    const s = result.state;
    if (message.linkId !== RTM_LINK_ID) continue;
    if (message.command === 'initResponse' && s.pending?.kind === 'init') {
      result = message.success
        ? { ...step({ ...s, linked: true, pending: null }, result.events), answered: true, sendNow: true }
        : { ...failed({ ...s, pending: null }, { ...ctx, events: result.events }, 'noAnswer'), answered: true };
    } else if (message.command === 'dataAck' && s.pending?.kind === 'data' && message.transactionId === s.pending.transactionId) {
      // DSC_77: the DSRC-VU stored the set (Ok) or not (NoK)
      result = message.ack === 'ok' ? { ...succeeded({ ...s, pending: null }, { ...ctx, events: result.events }), answered: true } : { ...failed({ ...s, pending: null }, { ...ctx, events: result.events }, 'nok'), answered: true };
    }
  }
  return result;
}

/** DSC_74: no answer within the VU's answer time: the transfer failed, and the link is taken down (re-initialised next period). */
export function dsrcNoAnswer(state: VuDsrcState, ctx: DsrcStepContext): DsrcStep {
  if (!state.pending) return step(state, ctx.events);
  return failed({ ...state, pending: null, linked: false }, ctx, 'noAnswer');
}

function succeeded(state: VuDsrcState, ctx: DsrcStepContext): DsrcStep {
  let events = ctx.events;
  if (state.communicationErrorEvent !== null) events = endSpan(events, { id: state.communicationErrorEvent, at: ctx.now, cards: ctx.cards });
  if (state.facilityFaultEvent !== null) events = endSpan(events, { id: state.facilityFaultEvent, at: ctx.now, cards: ctx.cards });
  return step({ ...state, noks: 0, failures: 0, communicationErrorEvent: null, facilityFaultEvent: null }, events);
}

/**
 * DSC_74, DSC_77 (M3): a transfer that did not reach the DSRC-VU's memory. No acknowledgement for a set (or no
 * answer to the initialisation: the cable is cut) begins 0x0C at once; NoK answers begin it when there are more
 * than three in a row. More than three failed transfers in a row is the facility absent or broken: 0x38
 * (README "DSRC"). Both end at the next set the DSRC-VU acknowledges Ok.
 */
function failed(state: VuDsrcState, ctx: DsrcStepContext, kind: 'noAnswer' | 'nok'): DsrcStep {
  const noks = kind === 'nok' ? state.noks + 1 : 0;
  const failures = state.failures + 1;
  let events = ctx.events;
  let { communicationErrorEvent, facilityFaultEvent } = state;
  if (communicationErrorEvent === null && (kind === 'noAnswer' || noks > NOK_ANSWERS_BEFORE_EVENT)) {
    const begun = beginSpan(events, { type: 0x0c, at: ctx.now, cards: ctx.cards });
    events = begun.memory;
    communicationErrorEvent = begun.id;
  }
  if (facilityFaultEvent === null && failures > FAILURES_BEFORE_FAULT) {
    const begun = beginSpan(events, { type: 0x38, at: ctx.now, cards: ctx.cards });
    events = begun.memory;
    facilityFaultEvent = begun.id;
  }
  return step({ ...state, noks, failures, communicationErrorEvent, facilityFaultEvent }, events);
}
