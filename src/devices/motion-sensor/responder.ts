import { bytesEqual, fromHex, keyFromHex, toHex, type SensorPairingEntry } from '../../crypto/index.ts';
import {
  encodeIdentificationFile,
  encodeSecurityEventsFile,
  FILE,
  INS,
  NEGATIVE_REASON,
  openCounterRequest,
  openFileRequest,
  openPairingInfoRequest,
  openSessionKey,
  sealCounterReply,
  sealFileReply,
  sealPairingInfoReply,
  SENSOR_EVENT_CODES,
  type FrameError,
  type LinkFrame,
  type SensorEventCode,
} from '../../protocols/motion-sensor/index.ts';

/**
 * The sensor's side of the secured link as a pure function: a request and the sensor's security state in,
 * the reply and the new state out. Plain data throughout, so the machine keeps it in its context.
 */
export interface SensorSecurityState {
  /** Ns, hex. */
  ns: string;
  approvalNumber: string;
  /** 2: AES material (App. 11 Part B); 1: TDES only, which a gen2 VU cannot pair with (CSM_222). */
  generation: 1 | 2;
  /** CSM_110, CSM_116: the pairing data of each KM generation, oldest first. */
  entries: SensorPairingEntry[];
  /** Progress of a pairing under way (CSM_217 steps 4-8). */
  pairing: { stage: 'idle' | 'vuAuthenticated' | 'sessionKeyReceived'; entry: number; ks: string | null };
  /** The session key of the current pairing, used for every later exchange. */
  ks: string | null;
  /** The pairing information of the current pairing, hex (file 0x02). */
  pairingInfo: string | null;
  /** Occurrences of sensor-side events '21'H..'25'H, modulo 256 (file 0x03). */
  eventCounts: number[];
  /** Requests in a row that failed authentication, since the last one that passed ({@link AUTH_FAILURES_FOR_EVENT}). */
  authFailures: number;
}

/**
 * The sensor's '21'H authentication failure is counted at the third request in a row it cannot authenticate,
 * with none authenticated between, and again at every third after. Annex IC 85 leaves sensor-side security
 * breaches to App. 10, whose motion sensor security target audits consecutive unsuccessful authentication
 * attempts after a number the manufacturer chooses (the VU's UIA_208 allows at most 20). Three, as the VU
 * (sensor-link/attempts.ts): a VU that fails every authentication is counted once per request it tries three
 * times, and a request damaged on the line in a way its checksum misses (two bit errors can cancel in a sum),
 * which the VU sends again, is not a security breach. Each such request is still refused.
 */
export const AUTH_FAILURES_FOR_EVENT = 3;

export interface RespondResult {
  state: SensorSecurityState;
  /** Nothing when the sensor stays silent. */
  reply?: LinkFrame;
  /** Sensor-side security events the request caused. */
  events: SensorEventCode[];
}

export function initialSecurityState(init: { ns: string; approvalNumber: string; generation: 1 | 2; entries: SensorPairingEntry[] }): SensorSecurityState {
  return { ...init, pairing: { stage: 'idle', entry: -1, ks: null }, ks: null, pairingInfo: null, eventCounts: SENSOR_EVENT_CODES.map(() => 0), authFailures: 0 };
}

/** Counts one occurrence of a sensor-side event (Annex IC §3.9, '21'H..'25'H). */
export function recordSensorEvent(state: SensorSecurityState, code: SensorEventCode): SensorSecurityState {
  const i = SENSOR_EVENT_CODES.indexOf(code);
  return { ...state, eventCounts: state.eventCounts.map((c, j) => (j === i ? (c + 1) & 0xff : c)) };
}

const reply = (instruction: number, payload: Uint8Array): LinkFrame => ({ direction: 'reply', instruction, payload });
const negative = (instruction: number, reason: number): LinkFrame => reply(INS.NEGATIVE, Uint8Array.of(instruction, reason));

/**
 * Answers one well-formed request. `counter` is the sensor's authenticated pulse counter at this instant
 * (used by 0x70 only).
 */
export function respond(state: SensorSecurityState, frame: LinkFrame, counter: number): RespondResult {
  if (frame.direction !== 'request') return { state, events: [] }; // a reply on the sensor's input is line noise
  const { instruction: ins, payload } = frame;
  if (ins === INS.SERIAL) {
    return { state: { ...state, pairing: { stage: 'idle', entry: -1, ks: null } }, reply: reply(INS.SERIAL, fromHex(state.ns)), events: [] };
  }
  // CSM_222: a first-generation sensor holds no AES material; a gen2 VU cannot pair with it or talk to it.
  if (state.generation === 1 || state.entries.length === 0) return { state, reply: negative(ins, NEGATIVE_REASON.AES_NOT_SUPPORTED), events: [] };
  switch (ins) {
    case INS.PAIRING_KEY:
      return authenticateVu(state, payload);
    case INS.SESSION_KEY:
      return receiveSessionKey(state, payload);
    case INS.PAIRING_INFO:
      return receivePairingInfo(state, payload);
    case INS.READ_FILE:
      return readFile(state, payload);
    case INS.COUNTER_REQUEST:
      return counterValue(state, payload, counter);
    default:
      return { state, reply: negative(ins, NEGATIVE_REASON.UNKNOWN_INSTRUCTION), events: [] };
  }
}

/**
 * A frame the codec refused. A frame whose checksum holds but whose instruction or length is wrong gets a
 * negative reply; bytes that fail the checksum are not trusted enough to answer (as App. 7 ignores them).
 */
export function respondToMalformed(error: FrameError, chunk: Uint8Array): LinkFrame | undefined {
  if (chunk[0] !== 0xa5) return undefined;
  if (error.code === 'unknown-instruction') return negative(chunk[1]!, NEGATIVE_REASON.UNKNOWN_INSTRUCTION);
  if (error.code === 'bad-length' && chunk.length >= 4 && chunk[2] === chunk.length - 4) return negative(chunk[1]!, NEGATIVE_REASON.MALFORMED);
  return undefined;
}

// CSM_217 step 5: match E(KID, Ns) against each stored encryption in turn; the match names the generation.
function authenticateVu(state: SensorSecurityState, payload: Uint8Array): RespondResult {
  const reset = { ...state, pairing: { stage: 'idle' as const, entry: -1, ks: null } };
  const entry = state.entries.findIndex((e) => bytesEqual(fromHex(e.encNs), payload));
  if (entry < 0) return failed(reset, INS.PAIRING_KEY, NEGATIVE_REASON.VU_NOT_AUTHENTICATED);
  return { state: { ...reset, pairing: { stage: 'vuAuthenticated', entry, ks: null }, authFailures: 0 }, reply: reply(INS.PAIRING_KEY, fromHex(state.entries[entry]!.encKp)), events: [] };
}

// CSM_217 step 6: the sensor decrypts KS with the pairing key of the generation the VU proved.
function receiveSessionKey(state: SensorSecurityState, payload: Uint8Array): RespondResult {
  if (state.pairing.stage !== 'vuAuthenticated') return { state, reply: negative(INS.SESSION_KEY, NEGATIVE_REASON.SEQUENCE), events: [] };
  const kp = fromHex(state.entries[state.pairing.entry]!.kp);
  const ks = openSessionKey(kp, payload);
  if (!ks.ok) return failed({ ...state, pairing: { stage: 'idle', entry: -1, ks: null } }, INS.SESSION_KEY, NEGATIVE_REASON.INTEGRITY);
  return { state: { ...state, pairing: { ...state.pairing, stage: 'sessionKeyReceived', ks: toHex(ks.value) }, authFailures: 0 }, reply: reply(INS.SESSION_KEY, new Uint8Array(0)), events: [] };
}

// CSM_217 steps 7-8 with CSM_219: decrypt under K'p, keep it, return it under KS; the pairing is now in force.
function receivePairingInfo(state: SensorSecurityState, payload: Uint8Array): RespondResult {
  if (state.pairing.stage !== 'sessionKeyReceived' || !state.pairing.ks) return { state, reply: negative(INS.PAIRING_INFO, NEGATIVE_REASON.SEQUENCE), events: [] };
  const kp = fromHex(state.entries[state.pairing.entry]!.kp);
  const info = openPairingInfoRequest(kp, fromHex(state.ns), payload);
  if (!info.ok) return failed({ ...state, pairing: { stage: 'idle', entry: -1, ks: null } }, INS.PAIRING_INFO, NEGATIVE_REASON.INTEGRITY);
  const ks = fromHex(state.pairing.ks);
  return {
    state: { ...state, ks: state.pairing.ks, pairingInfo: toHex(info.value), pairing: { stage: 'idle', entry: -1, ks: null }, authFailures: 0 },
    reply: reply(INS.PAIRING_INFO_REPLY, sealPairingInfoReply(ks, info.value)),
    events: [],
  };
}

function readFile(state: SensorSecurityState, payload: Uint8Array): RespondResult {
  if (!state.ks) return { state, reply: negative(INS.READ_FILE, NEGATIVE_REASON.NOT_PAIRED), events: [] };
  const ks = keyFromHex(state.ks); // decoded once per session key
  const request = openFileRequest(ks, payload);
  if (!request.ok) return failed(state, INS.READ_FILE, NEGATIVE_REASON.INTEGRITY);
  const authenticated = { ...state, authFailures: 0 };
  const data = fileContents(state, request.value.file);
  if (!data) return { state: authenticated, reply: negative(INS.READ_FILE, NEGATIVE_REASON.UNKNOWN_FILE), events: [] };
  return { state: authenticated, reply: reply(INS.FILE, sealFileReply(ks, request.value.authBlock, data)), events: [] };
}

function counterValue(state: SensorSecurityState, payload: Uint8Array, counter: number): RespondResult {
  if (!state.ks) return { state, reply: negative(INS.COUNTER_REQUEST, NEGATIVE_REASON.NOT_PAIRED), events: [] };
  const ks = keyFromHex(state.ks); // decoded once per session key
  const challenge = openCounterRequest(ks, payload);
  if (!challenge.ok) return failed(state, INS.COUNTER_REQUEST, NEGATIVE_REASON.INTEGRITY);
  return { state: { ...state, authFailures: 0 }, reply: reply(INS.COUNTER, sealCounterReply(ks, counter, challenge.value)), events: [] };
}

function fileContents(state: SensorSecurityState, file: number): Uint8Array | undefined {
  switch (file) {
    case FILE.IDENTIFICATION:
      return encodeIdentificationFile({ sensorSerialNumber: state.ns, sensorApprovalNumber: state.approvalNumber });
    case FILE.PAIRING:
      return state.pairingInfo ? fromHex(state.pairingInfo) : new Uint8Array(24);
    case FILE.SECURITY_EVENTS:
      return encodeSecurityEventsFile(state.eventCounts);
    default:
      return undefined;
  }
}

// Annex IC §3.9: requests the sensor cannot authenticate are a sensor-side authentication failure, '21'H,
// counted at the third in a row (AUTH_FAILURES_FOR_EVENT); each is refused.
function failed(state: SensorSecurityState, instruction: number, reason: number): RespondResult {
  const authFailures = state.authFailures + 1;
  if (authFailures < AUTH_FAILURES_FOR_EVENT) return { state: { ...state, authFailures }, reply: negative(instruction, reason), events: [] };
  return { state: { ...recordSensorEvent(state, 0x21), authFailures: 0 }, reply: negative(instruction, reason), events: [0x21] };
}
