import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import {
  decodeNph,
  decodeNpl,
  decodePacket,
  encodePacket,
  NdtpError,
  NplError,
  NphResult,
  navDegrees,
  resultFor,
  resultName,
  deframeNpl,
  PROFILES,
  CONN_FLAG_SECURE,
  decodeSecureAuth,
  isEncrypted,
  openFrame,
  proofMatches,
  sealFrame,
  sessionKeys,
  type NdtpRefusal,
  type NphPacketMessage,
  type NavRecord,
  type ProfileName,
} from '../../protocols/ndtp/index.ts';

/**
 * The collection server's (ССД) handling of what arrives from one terminal, as a pure step: bytes in, the
 * server's state, answers out, records for scenarios. Every NPH packet from the terminal is acknowledged
 * (seed 001 section 1: "все пакеты типа NPH, передаваемые со стороны СТС, передаются с подтверждением
 * приема"), real-time and history data are told apart and labelled so (section 6: "на стороне сервера ...
 * необходимо различать"), and every packet is validated (CRC, lengths, cell order, ranges) before it counts.
 */

/** `route`: an NPL routing error (NPL_TYPE_ERROR) for navigation data instead of an NPH_RESULT. */
export type AnswerScope = 'connRequest' | 'authString' | 'navdata' | 'route';
/** What a scenario made the server answer next (`answer` stimulus): a code, for some packets or until changed. */
export interface AnswerRule {
  scope: AnswerScope;
  result: number;
  /** How many packets it applies to; undefined: until changed. */
  times?: number;
}

export interface Client {
  peerAddress: number;
  /** Expected NPH_SGC_CONN_AUTH_STRING; without it the client is admitted on its connection request. */
  auth?: string;
  /** The terminal's pre-shared 128-bit key, hex: it must then ask for a secure session (secure.ts). */
  key?: string;
}

/** One terminal's connection (one of the server's ports, one link): its partial frame and its session. */
export interface Connection {
  held: number[];
  session: Session;
}
export interface Session {
  step: 'none' | 'auth' | 'online';
  peerAddress: number;
  /** The connection request asked for a secure session (its AUTH_STRING carries the key proof and nonce). */
  wantsSecure?: boolean;
  /** Once secure: the session keys (hex) and the last counter sent and received (secure.ts). */
  secure?: SecureSession;
}
export interface SecureSession {
  up: string;
  down: string;
  sent: number;
  received: number;
}
export const NO_CONNECTION: Connection = { held: [], session: { step: 'none', peerAddress: 0 } };

export interface ServerState {
  profile: ProfileName;
  address: number;
  clients: Client[];
  /** By port (`ndtp`, `ndtp2`, ...): each link to the server is one terminal's connection. */
  connections: Record<string, Connection>;
  rules: AnswerRule[];
  /** `${peer}:${the record's cells}` of every record taken in: a resend is acknowledged, not kept twice. */
  seen: string[];
  log: DeviceRecord[];
}

export interface IntakeResult {
  state: ServerState;
  out: Uint8Array[];
  refusals: { code: string; detail: string }[];
}

/** Which NPH_RESULT a refused packet gets, by the reason (NPL-level damage gets an NPL_TYPE_ERROR instead). */
const NPH_ANSWER: Partial<Record<NdtpRefusal, number>> = {
  'nph-header': NphResult.PACKET_INVALID_SIZE,
  packet: NphResult.PACKET_NOT_SUPPORTED,
  format: NphResult.PACKET_INVALID_FORMAT,
  'cell-order': NphResult.PACKET_INVALID_FORMAT,
  'cell-unknown': NphResult.PACKET_INVALID_FORMAT,
  range: NphResult.PACKET_INVALID_PARAMETER,
};

/** `NPL_ERR_PEER_NOT_AVAILABLE` for 101, as the seed names them. */
export function nplErrorName(code: number): string {
  const name = (Object.keys(NplError) as (keyof typeof NplError)[]).find((k) => NplError[k] === code);
  return name ? `NPL_ERR_${name}` : `0x${code.toString(16)}`;
}

function endSessionsElsewhere(connections: Record<string, Connection>, port: string, peer: number): Record<string, Connection> {
  const out: Record<string, Connection> = {};
  for (const [name, c] of Object.entries(connections)) out[name] = name !== port && c.session.peerAddress === peer ? { ...c, session: { step: 'none', peerAddress: peer } } : c;
  return out;
}

/** A level for a record: 4 decimals (a float32 holds about 7 digits; the fields compare exactly). */
const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function navFields(record: NavRecord, extra: Record<string, unknown>): Record<string, unknown> {
  const { lat, lon } = navDegrees(record.nav);
  return {
    ...extra,
    valid: record.nav.valid,
    lat: round(lat, 7),
    lon: round(lon, 7),
    speedKmh: record.nav.speedAvg,
    nsat: record.nav.nsat,
    ...(record.sensors ? { odometerKm: record.sensors.odometer } : {}),
    levels: record.levels.map((l) => round(l.level, 4)),
    ...(record.levels.length ? { compartments: record.levels.map((l) => l.compartment), temperaturesC: record.levels.map((l) => round(l.temperatureC, 2)), strengths: record.levels.map((l) => round(l.strength, 2)) } : {}),
  };
}

/**
 * Takes in what arrived on one port. Several terminals may be connected at once (a port each); what they
 * share is the server's: registered clients, answer rules, what was taken in (`seen`), the records. Every
 * record names the port it came in on, and a terminal's records carry its peer address.
 */
export function intake(state: ServerState, port: string, chunk: Uint8Array, now: number): IntakeResult {
  const p = PROFILES[state.profile];
  const before = state.connections[port] ?? NO_CONNECTION;
  const { pieces, held } = deframeNpl(before.held, chunk);
  const conn: Connection = { held, session: before.session };
  let s: ServerState = { ...state, connections: { ...state.connections, [port]: conn }, log: [...state.log], rules: [...state.rules], seen: state.seen };
  const out: Uint8Array[] = [];
  const refusals: IntakeResult['refusals'] = [];
  const at = now;
  const refuse = (code: string, detail: string, answer: string) => {
    refusals.push({ code, detail });
    s.log.push({ kind: 'refused', code, at, fields: { port, detail, answer } });
  };
  // NPL_TYPE_ERROR carries the NPL request id of the frame it answers (0 where none could be read); it is
  // never encrypted (seed 001 section 4.1).
  const nplError = (error: number, nplRequestId = 0) =>
    out.push(encodePacket({ npl: 'error', peerAddress: s.address, nplRequestId, error }, p));
  const nplRequestIdOf = (frame: Uint8Array) => frame[13]! | (frame[14]! << 8);

  for (const piece of pieces) {
    if (piece.kind === 'garbage') {
      // Line noise between frames is not a packet: traced, not answered, not a record.
      refusals.push({ code: 'garbage', detail: `${piece.bytes.length} bytes before a 7E7E signature` });
      continue;
    }
    if (piece.kind === 'corrupt') {
      refuse('crc', piece.detail, 'NPL_ERR_CRC_FAILED');
      nplError(NplError.CRC_FAILED);
      continue;
    }
    // A secure session's frames are opened first (secure.ts); one that does not open is refused with
    // NPL_ERR_DECRYPTION_FAILED, as is an encrypted frame outside a secure session.
    let frameBytes = piece.bytes;
    if (isEncrypted(frameBytes)) {
      const secure = conn.session.secure;
      try {
        decodeNpl(frameBytes, p); // signature, size, the CRC in the profile's order, as for any frame
        if (!secure) throw new NdtpError('decrypt', 'an encrypted frame outside a secure session');
        const opened = openFrame(frameBytes, fromHex(secure.up), secure.received, p);
        conn.session = { ...conn.session, secure: { ...secure, received: opened.counter } };
        frameBytes = opened.plain;
      } catch (error) {
        if (!(error instanceof NdtpError)) throw error;
        const [name, code] = error.reason === 'crc' ? ['NPL_ERR_CRC_FAILED', NplError.CRC_FAILED] : error.reason === 'decrypt' ? ['NPL_ERR_DECRYPTION_FAILED', NplError.DECRYPTION_FAILED] : ['NPL_ERR_UNDEFINED', NplError.UNDEFINED];
        refuse(error.reason, error.message, name);
        nplError(code, nplRequestIdOf(frameBytes));
        continue;
      }
    }
    const opened = frameBytes !== piece.bytes;
    let packet;
    try {
      packet = decodePacket(frameBytes, p);
    } catch (error) {
      if (!(error instanceof NdtpError)) throw error;
      const code = NPH_ANSWER[error.reason];
      if (code === undefined) {
        // NPL-level: the frame itself is wrong (its CRC in the other byte order, an unknown NPL type)
        refuse(error.reason, error.message, error.reason === 'crc' ? 'NPL_ERR_CRC_FAILED' : 'NPL_ERR_UNDEFINED');
        nplError(error.reason === 'crc' ? NplError.CRC_FAILED : NplError.UNDEFINED);
        continue;
      }
      refuse(error.reason, error.message, resultName(code));
      const frame = decodeNpl(frameBytes, p);
      if (frame.data.length >= 10) {
        const { header } = decodeNph(frame.data);
        const to = { npl: 'nph', peerAddress: frame.peerAddress, nplRequestId: frame.requestId, nplFlags: frame.flags, service: header.service, flags: header.flags, requestId: header.requestId, body: { kind: 'result', error: 0 } } as NphPacketMessage;
        out.push(encodePacket(resultFor(to, s.address, code), p));
      } else nplError(NplError.UNDEFINED);
      continue;
    }
    if (packet.npl === 'error') {
      refuse('npl-type', `NPL_TYPE_ERROR ${packet.error} from the terminal`, 'none');
      continue;
    }
    // In a secure session everything but the set-up packets comes encrypted (seed 001 section 5).
    if (conn.session.secure && !opened && packet.body.kind !== 'connRequest' && packet.body.kind !== 'authString') {
      refuse('decrypt', `a plain ${packet.body.kind} packet in a secure session`, 'NPL_ERR_DECRYPTION_FAILED');
      nplError(NplError.DECRYPTION_FAILED, packet.nplRequestId);
      continue;
    }
    // An answer in a secure session is encrypted, but a refusal: "if the connection is refused at any stage,
    // the server sends an unencrypted NPH_RESULT with the error code" (seed 001 section 5); the rig holds
    // every answer other than OK a refusal.
    const answer = (error: number) => {
      const plain = encodePacket(resultFor(packet, s.address, error), p);
      const secure = conn.session.secure;
      if (!secure || error !== NphResult.OK) return out.push(plain);
      conn.session = { ...conn.session, secure: { ...secure, sent: secure.sent + 1 } };
      out.push(sealFrame(plain, fromHex(secure.down), secure.sent + 1, p));
    };
    const takeRule = (scope: AnswerScope): number | undefined => {
      const i = s.rules.findIndex((r) => r.scope === scope);
      if (i < 0) return undefined;
      const rule = s.rules[i]!;
      if (rule.times !== undefined) {
        if (rule.times <= 1) s.rules.splice(i, 1);
        else s.rules[i] = { ...rule, times: rule.times - 1 };
      }
      return rule.result === NphResult.OK ? undefined : rule.result;
    };
    const body = packet.body;
    const peer = packet.peerAddress;
    switch (body.kind) {
      case 'result':
        // The terminal acknowledges nothing the server sends in this rig: an answer to nothing.
        refuse('packet', `NPH_RESULT ${resultName(body.error)} from the terminal, which was asked nothing`, 'none');
        break;
      case 'connRequest': {
        const client = s.clients.find((c) => c.peerAddress === body.request.peerAddress && c.peerAddress === peer);
        const wantsSecure = (body.request.connectionFlags & CONN_FLAG_SECURE) !== 0;
        // seed 001 section 5: <proto_version_high> must always be 1. A terminal with a key must ask for a
        // secure session and one without cannot (README "NDTP": the rig's choice).
        const result =
          body.request.protoVersionHigh !== 1
            ? NphResult.PROTO_VER_NOT_SUPPORTED
            : !client
              ? NphResult.CLIENT_NOT_REGISTERED
              : (client.key !== undefined) !== wantsSecure
                ? NphResult.CLIENT_AUTH_FAILED
                : (takeRule('connRequest') ?? NphResult.OK);
        conn.session =
          result === NphResult.OK
            ? { step: client?.auth !== undefined || wantsSecure ? 'auth' : 'online', peerAddress: peer, ...(wantsSecure ? { wantsSecure } : {}) }
            : { step: 'none', peerAddress: peer };
        // A terminal that connects again while its old connection is still open here (a GPRS connection the
        // network dropped without a word): the new connection is the terminal now, the old one's session ends.
        if (result === NphResult.OK) s.connections = endSessionsElsewhere(s.connections, port, peer);
        s.log.push({ kind: 'session', code: resultName(result), at, fields: { port, peerAddress: peer, step: 'connRequest', protoVersion: `${body.request.protoVersionHigh}.${body.request.protoVersionLow}`, secure: wantsSecure } });
        answer(result);
        break;
      }
      case 'authString': {
        const client = s.clients.find((c) => c.peerAddress === peer);
        const secure = conn.session.wantsSecure === true;
        // A secure session's string is the key proof and the nonce the session keys come from (secure.ts).
        const proof = secure ? decodeSecureAuth(body.auth) : undefined;
        const authentic = secure ? proof !== undefined && client?.key !== undefined && proofMatches(fromHex(client.key), peer, proof.nonce, proof.proof) : client?.auth === body.auth;
        const result =
          conn.session.step !== 'auth' || conn.session.peerAddress !== peer
            ? NphResult.PACKET_UNEXPECTED
            : !authentic
              ? NphResult.CLIENT_AUTH_FAILED
              : (takeRule('authString') ?? NphResult.OK);
        if (result === NphResult.OK && secure) {
          const keys = sessionKeys(fromHex(client!.key!), peer, proof!.nonce);
          conn.session = { step: 'online', peerAddress: peer, secure: { up: toHex(keys.up), down: toHex(keys.down), sent: 0, received: 0 } };
        } else conn.session = result === NphResult.OK ? { step: 'online', peerAddress: peer } : { step: 'none', peerAddress: peer };
        s.log.push({ kind: 'session', code: resultName(result), at, fields: { port, peerAddress: peer, step: 'authString', secure } });
        answer(result);
        break;
      }
      case 'realtime':
      case 'history': {
        const label = body.kind;
        const routing = (error: number) => {
          s.log.push({ kind: 'routing', code: nplErrorName(error), at, fields: { port, peerAddress: peer, requestId: packet.requestId, packet: label, ...(conn.session.step === 'online' ? { sessionPeer: conn.session.peerAddress } : {}) } });
          nplError(error, packet.nplRequestId);
        };
        // NPL routing (seed 001 section 4.1: the routing errors). The <peer_address> names the sender: one no
        // client of this server has is an invalid address; a registered terminal's address on a connection
        // whose session is another terminal's is a packet sent in another's name, refused; a scenario may
        // make the routing behind the server unavailable (`route` stimulus).
        if (!s.clients.some((c) => c.peerAddress === peer)) {
          routing(NplError.INVALID_PEER_ADDRESS);
          break;
        }
        if (conn.session.step === 'online' && conn.session.peerAddress !== peer) {
          routing(NplError.PEER_PERM_DENIED);
          break;
        }
        if (conn.session.step !== 'online' || conn.session.peerAddress !== peer) {
          s.log.push({ kind: 'answer', code: 'PACKET_UNEXPECTED', at, fields: { port, peerAddress: peer, requestId: packet.requestId, packet: label } });
          answer(NphResult.PACKET_UNEXPECTED);
          break;
        }
        const routed = takeRule('route');
        if (routed !== undefined) {
          routing(routed);
          break;
        }
        const ruled = takeRule('navdata');
        if (ruled !== undefined) {
          s.log.push({ kind: 'answer', code: resultName(ruled), at, fields: { port, peerAddress: peer, requestId: packet.requestId, packet: label } });
          answer(ruled);
          break;
        }
        // A resend carries the same cells (under a new request id); two records of one time that differ (a GNSS
        // time that went back) are both kept.
        const key = `${peer}:${JSON.stringify(body.record)}`;
        const recordAt = body.record.nav.time * 1000;
        if (s.seen.includes(key)) {
          s.log.push({ kind: 'duplicate', code: label, at: recordAt, fields: { port, peerAddress: peer, requestId: packet.requestId, receivedAt: new Date(at).toISOString() } });
        } else {
          s.seen = [...s.seen, key];
          s.log.push({ kind: 'navdata', code: label, at: recordAt, fields: navFields(body.record, { port, peerAddress: peer, requestId: packet.requestId, receivedAt: new Date(at).toISOString() }) });
        }
        answer(NphResult.OK);
        break;
      }
    }
  }
  return { state: s, out, refusals };
}
