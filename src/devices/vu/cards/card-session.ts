import { selectByAid, selectByFid, readBinary, updateBinary, swHex, SW, type CommandApdu, type ResponseApdu } from '../../../protocols/apdu/index.ts';
import { CARD_CURRENT_USE_BYTES, decodeCardCurrentUse, encodeCardCurrentUse, FID, NO_SESSION } from '../../../protocols/card-files/index.ts';

/**
 * The card session data (EF Current_Usage, App. 1 CardCurrentUse) a VU keeps on a driver or workshop card:
 * set right after insertion (Annex IC 145: sessionOpenTime = the insertion, the vehicle's VRN and registering
 * Member State), reset to App. 2's default before the card is released (Annex IC 150). A card inserted with a
 * session still open was withdrawn before the VU could close it: the last card session was not correctly
 * closed (Annex IC 77, '06'H). Both applications hold it (App. 2 TCS_148, TCS_152; DF Tachograph's is the
 * one a gen1 VU writes, Annex IC 136-137); the VU writes both, under secure messaging (SC3, SM-MAC-G2).
 */
export type SecuredSend = (command: CommandApdu, what: string) => ResponseApdu;

export interface OpenSession {
  /** ms */
  insertion: number;
  vehicleRegistrationNation: number;
  vehicleRegistrationNumber: string;
  /** Choice: the generation of the VU that opened it, from the application it is open in (DF Tachograph_G2: 2; DF Tachograph alone: 1). */
  vuGeneration: 1 | 2;
}

const AID = { tachograph: Uint8Array.of(0xff, 0x54, 0x41, 0x43, 0x48, 0x4f), 'tachograph-g2': Uint8Array.of(0xff, 0x53, 0x4d, 0x52, 0x44, 0x54) } as const;

class SessionRefused extends Error {}

/**
 * Annex IC 149 (142 for a gen1 card): a write the card refused three more times. The VU declares the card
 * faulty and non-valid (card-reader.ts: failure 'write'; card-slots.ts: '40'H card fault).
 */
export class CardWriteFailed extends SessionRefused {}

/** Annex IC 149: a write error is tried again, three times at most. */
export const WRITE_RETRIES = 3;

/** Sends an UPDATE BINARY (or any write) and tries it again up to three times while the card refuses it (Annex IC 149). */
export function writeWithRetries(send: SecuredSend, c: CommandApdu, what: string): void {
  let sw = 0;
  for (let attempt = 0; attempt <= WRITE_RETRIES && sw !== SW.OK; attempt++) sw = send(c, what).sw;
  if (sw !== SW.OK) throw new CardWriteFailed(`${what}: ${swHex(sw)} after ${WRITE_RETRIES} retries (Annex IC 149)`);
}

/** Sends a command of the card session under secure messaging; anything but '9000' is SessionRefused. */
export function ok(send: SecuredSend, c: CommandApdu, what: string): ResponseApdu {
  const r = send(c, what);
  if (r.sw !== SW.OK) throw new SessionRefused(`${what}: ${swHex(r.sw)}`);
  return r;
}

/** One generation's secure messaging, as the card readers use it (crypto/sm for gen2, crypto/sm-g1 for gen1). */
export interface SecureMessaging<S> {
  wrap(session: S, command: CommandApdu): { session: S; command: Omit<CommandApdu, 'extended'> };
  unwrap(session: S, response: ResponseApdu): { ok: true; session: S; response: ResponseApdu } | { ok: false; reason: string };
  /** The session key can protect no further command (gen1: its 240 uses, CSM_013): the reader renews it first. */
  spent?(session: S): boolean;
  /**
   * The answer is the card's abort of the session (gen2: '6987' or '6988' in plain, CSM_194): the reader
   * establishes a new session at once and sends the command again (CSM_195, SM_ABORT_RETRIES).
   */
  abortedByCard?(response: ResponseApdu): boolean;
}

/**
 * CSM_195 gives no bound to the new sessions a card that aborts may ask for. Choice, after Annex IC 149 (a write
 * error: the same command tried again three times at most, then the card is faulty and non-valid): a command the
 * card aborts is sent again under a new session three times at most; aborted a fourth time, the card cannot keep
 * a secure messaging session and is declared faulty (card-reader.ts failure 'write': fault '40'H, Annex IC 87).
 */
export const SM_ABORT_RETRIES = 3;

/**
 * The secured channel a reader opens after mutual authentication, for either generation: each command wrapped,
 * sent with short lengths, its answer unwrapped; an answer whose SM does not verify is no card data
 * (`refuse('integrity')`: CSM_027 gen1, CSM_192 gen2). `answer` gives the card's status word as it came,
 * `expectOk` refuses anything but '9000'. `plain` names commands sent without SM (gen1 selects a DF in plain).
 * `renew`: a new mutual authentication, for a session whose key is spent (`sm.spent`), run before the command
 * that would be one use too many; without it such a command is refused ('integrity'). `renew` also answers a
 * session the card aborted (`sm.abortedByCard`, CSM_192 third case, CSM_195): a new session at once, the command
 * sent again; aborted once more after SM_ABORT_RETRIES new sessions, the card is faulty (`refuse('write')`).
 */
export function securedChannel<S>(
  send: (command: CommandApdu) => ResponseApdu,
  start: S,
  sm: SecureMessaging<S>,
  refuse: (failure: 'integrity' | 'write', detail: string) => never,
  plain: (command: CommandApdu) => boolean = () => false,
  renew?: () => S,
): { answer: SecuredSend; expectOk: SecuredSend; session: () => S } {
  let session = start;
  const answer: SecuredSend = (c, what) => {
    if (plain(c)) return send(c);
    if (sm.spent?.(session)) {
      if (!renew) refuse('integrity', `${what}: the session key is spent`);
      session = renew!();
    }
    let wrapped = sm.wrap(session, c);
    let response = send({ ...wrapped.command, extended: false });
    // CSM_192, CSM_195: the card aborted the session (its limit reached, or an SM error it found): the keys are
    // dropped, a new session set up at once and the command sent again under it, within SM_ABORT_RETRIES
    for (let retry = 1; renew && sm.abortedByCard?.(response); retry++) {
      if (retry > SM_ABORT_RETRIES) refuse('write', `${what}: the card aborted secure messaging (${swHex(response.sw)}) again after ${SM_ABORT_RETRIES} new sessions (CSM_195): declared faulty`);
      session = renew();
      wrapped = sm.wrap(session, c);
      response = send({ ...wrapped.command, extended: false });
    }
    const unwrapped = sm.unwrap(wrapped.session, response);
    if (!unwrapped.ok) refuse('integrity', `${what}: ${unwrapped.reason}`);
    session = unwrapped.session;
    return unwrapped.response;
  };
  const expectOk: SecuredSend = (c, what) => {
    const r = answer(c, what);
    if (r.sw !== SW.OK) refuse('integrity', `${what}: ${swHex(r.sw)}`);
    return r;
  };
  return { answer, expectOk, session: () => session };
}

/** What a reader asks of the card session after authentication: open it at insertion or close it before release, and its own secured work between. */
export interface CardSessionRequest {
  cardSession?: { open: { at: number; vehicleRegistrationNation: number; vehicleRegistrationNumber: string } } | { close: true };
  secured?: (send: SecuredSend, lastSession: OpenSession | null) => void;
}

/**
 * The step both generations' readers take after mutual authentication (card-reader.ts, card-reader-g1.ts), with
 * their generation's `open` and `close`: the session data opened (the session found open returned), the caller's
 * secured work, the session data closed. Choice: a card that refuses to give or take its session data is one whose
 * data cannot be trusted (a card data input integrity error, as a damaged EF is: `refuse('integrity')`); a write
 * still refused after three retries makes it faulty (Annex IC 149: `refuse('write')`).
 */
export function runCardSession(
  send: SecuredSend,
  request: CardSessionRequest,
  steps: { open: (send: SecuredSend, session: { at: number; vehicleRegistrationNation: number; vehicleRegistrationNumber: string }) => OpenSession | null; close: (send: SecuredSend) => void },
  refuse: (failure: 'integrity' | 'write', detail: string) => never,
): OpenSession | null {
  let lastSession: OpenSession | null = null;
  try {
    if (request.cardSession && 'open' in request.cardSession) lastSession = steps.open(send, request.cardSession.open);
    request.secured?.(send, lastSession);
    if (request.cardSession && 'close' in request.cardSession) steps.close(send);
  } catch (error) {
    if (error instanceof CardWriteFailed) refuse('write', error.message);
    if (error instanceof SessionRefused) refuse('integrity', error.message);
    throw error;
  }
  return lastSession;
}

function currentUse(send: SecuredSend, df: keyof typeof AID): Uint8Array {
  ok(send, selectByAid(AID[df]), `secured SELECT of ${df === 'tachograph' ? 'DF Tachograph' : 'DF Tachograph_G2'}`);
  ok(send, selectByFid(FID.CURRENT_USAGE), 'secured SELECT of EF Current_Usage');
  return ok(send, readBinary(0, CARD_CURRENT_USE_BYTES), 'secured read of CardCurrentUse').data;
}

/**
 * Reads the card session data of both applications (the last one read stays selected), then writes the new
 * session into both. Returns the session found open, or null. Throws SessionRefused (as an Error) when the
 * card refuses a step.
 */
export function openCardSession(send: SecuredSend, session: { at: number; vehicleRegistrationNation: number; vehicleRegistrationNumber: string }): OpenSession | null {
  const g1 = decodeCardCurrentUse(currentUse(send, 'tachograph'));
  const g2 = decodeCardCurrentUse(currentUse(send, 'tachograph-g2'));
  const found = g2.sessionOpenTime !== 0 ? { use: g2, vuGeneration: 2 as const } : g1.sessionOpenTime !== 0 ? { use: g1, vuGeneration: 1 as const } : null;
  writeBoth(send, encodeCardCurrentUse({ sessionOpenTime: session.at, vehicleRegistrationNation: session.vehicleRegistrationNation, vehicleRegistrationNumber: session.vehicleRegistrationNumber }));
  if (!found) return null;
  return { insertion: found.use.sessionOpenTime, vehicleRegistrationNation: found.use.vehicleRegistrationNation, vehicleRegistrationNumber: found.use.vehicleRegistrationNumber, vuGeneration: found.vuGeneration };
}

/** Annex IC 150: the card session data reset in both applications before the card is released. */
export function closeCardSession(send: SecuredSend): void {
  writeBoth(send, encodeCardCurrentUse(NO_SESSION));
}

function writeBoth(send: SecuredSend, content: Uint8Array): void {
  for (const df of ['tachograph-g2', 'tachograph'] as const) {
    ok(send, selectByAid(AID[df]), `secured SELECT of ${df === 'tachograph' ? 'DF Tachograph' : 'DF Tachograph_G2'}`);
    ok(send, selectByFid(FID.CURRENT_USAGE), 'secured SELECT of EF Current_Usage');
    writeWithRetries(send, updateBinary(0, content), 'secured UPDATE of CardCurrentUse');
  }
}

export { SessionRefused };
