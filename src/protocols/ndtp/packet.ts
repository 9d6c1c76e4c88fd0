import type { Deframer, PortCodec } from '../port-codec.ts';

import { NdtpError } from './ndtp-error.ts';
import { decodeNavData, encodeNavData, navDegrees, type NavRecord } from './navdata.ts';
import {
  decodeAuthString,
  decodeConnRequest,
  decodeNph,
  decodeResultBody,
  encodeAuthString,
  encodeConnRequest,
  encodeNph,
  encodeResultBody,
  NPH_FLAG_REQUEST,
  NphPacket,
  NphService,
  resultName,
  type ConnRequest,
} from './nph.ts';
import { decodeNpl, encodeNpl, NPL_FLAG_CRC, NplDeframer, NplType, type NplFrame } from './npl.ts';
import { PROFILES, PROFILE_NAMES, type NdtpProfile } from './profiles.ts';
import { isEncrypted } from './secure.ts';

/** What an NPH packet carries, by service and packet type. */
export type NphBody =
  | { kind: 'result'; error: number }
  | { kind: 'connRequest'; request: ConnRequest }
  | { kind: 'authString'; auth: string }
  | { kind: 'realtime'; record: NavRecord }
  | { kind: 'history'; record: NavRecord };

/** One NDTP packet, both layers: what the terminal and the server exchange. */
export type NdtpPacket =
  | { npl: 'error'; peerAddress: number; nplRequestId: number; error: number }
  | {
      npl: 'nph';
      peerAddress: number;
      nplRequestId: number;
      nplFlags: number;
      service: number;
      flags: number;
      requestId: number;
      body: NphBody;
    };
export type NphPacketMessage = Extract<NdtpPacket, { npl: 'nph' }>;

function bodyHeader(body: NphBody, service: number): { service: number; packetType: number } {
  switch (body.kind) {
    case 'result':
      return { service, packetType: NphPacket.RESULT };
    case 'connRequest':
      return { service: NphService.genericControls, packetType: NphPacket.SGC_CONN_REQUEST };
    case 'authString':
      return { service: NphService.genericControls, packetType: NphPacket.SGC_CONN_AUTH_STRING };
    case 'realtime':
      return { service: NphService.navdata, packetType: NphPacket.SND_REALTIME };
    case 'history':
      return { service: NphService.navdata, packetType: NphPacket.SND_HISTORY };
  }
}

function encodeBody(body: NphBody, p: NdtpProfile): Uint8Array {
  switch (body.kind) {
    case 'result':
      return encodeResultBody(body.error);
    case 'connRequest':
      return encodeConnRequest(body.request);
    case 'authString':
      return encodeAuthString(body.auth);
    case 'realtime':
    case 'history':
      return encodeNavData(body.record, p);
  }
}

export function encodePacket(packet: NdtpPacket, p: NdtpProfile): Uint8Array {
  let frame: NplFrame;
  if (packet.npl === 'error') {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, packet.error >>> 0, true);
    frame = { type: NplType.error, flags: NPL_FLAG_CRC, peerAddress: packet.peerAddress, requestId: packet.nplRequestId, data };
  } else {
    const { service, packetType } = bodyHeader(packet.body, packet.service);
    const data = encodeNph({ service, packetType, flags: packet.flags, requestId: packet.requestId }, encodeBody(packet.body, p));
    frame = { type: NplType.nph, flags: packet.nplFlags, peerAddress: packet.peerAddress, requestId: packet.nplRequestId, data };
  }
  return encodeNpl(frame, p);
}

/** A request's packet with the usual NPL flags (CRC present) and NPH flags (answer expected). */
export function request(peerAddress: number, requestId: number, body: NphBody): NdtpPacket {
  return { npl: 'nph', peerAddress, nplRequestId: 0, nplFlags: NPL_FLAG_CRC, service: bodyHeader(body, 0).service, flags: NPH_FLAG_REQUEST, requestId, body };
}

/** The NPH_RESULT answering `to` (same service, same request id). */
export function resultFor(to: NphPacketMessage, peerAddress: number, error: number): NdtpPacket {
  return { npl: 'nph', peerAddress, nplRequestId: to.nplRequestId, nplFlags: NPL_FLAG_CRC, service: to.service, flags: 0, requestId: to.requestId, body: { kind: 'result', error } };
}

/** Decodes a whole frame under a profile; throws NdtpError with the reason on anything wrong. */
export function decodePacket(bytes: Uint8Array, p: NdtpProfile): NdtpPacket {
  const frame = decodeNpl(bytes, p);
  if (frame.type === NplType.error) {
    if (frame.data.length !== 4) throw new NdtpError('format', `NPL_TYPE_ERROR data is ${frame.data.length} bytes, not 4`);
    return { npl: 'error', peerAddress: frame.peerAddress, nplRequestId: frame.requestId, error: new DataView(frame.data.buffer).getUint32(0, true) };
  }
  const { header, data } = decodeNph(frame.data);
  const base = { npl: 'nph' as const, peerAddress: frame.peerAddress, nplRequestId: frame.requestId, nplFlags: frame.flags, service: header.service, flags: header.flags, requestId: header.requestId };
  if (header.packetType === NphPacket.RESULT) return { ...base, body: { kind: 'result', error: decodeResultBody(data) } };
  if (header.service === NphService.genericControls) {
    if (header.packetType === NphPacket.SGC_CONN_REQUEST) return { ...base, body: { kind: 'connRequest', request: decodeConnRequest(data) } };
    if (header.packetType === NphPacket.SGC_CONN_AUTH_STRING) return { ...base, body: { kind: 'authString', auth: decodeAuthString(data) } };
  }
  if (header.service === NphService.navdata) {
    if (header.packetType === NphPacket.SND_REALTIME) return { ...base, body: { kind: 'realtime', record: decodeNavData(data, p) } };
    if (header.packetType === NphPacket.SND_HISTORY) return { ...base, body: { kind: 'history', record: decodeNavData(data, p) } };
  }
  throw new NdtpError('packet', `service ${header.service} packet type ${header.packetType}`);
}

/** A packet for people (the trace): numbers named, coordinates in degrees, times in ISO. */
export function describePacket(packet: NdtpPacket): unknown {
  if (packet.npl === 'error') return { npl: 'NPL_TYPE_ERROR', peerAddress: packet.peerAddress, error: packet.error };
  const b = packet.body;
  const head = { peerAddress: packet.peerAddress, requestId: packet.requestId };
  switch (b.kind) {
    case 'result':
      return { ...head, packet: 'NPH_RESULT', service: packet.service, error: resultName(b.error) };
    case 'connRequest':
      return { ...head, packet: 'NPH_SGC_CONN_REQUEST', ...b.request };
    case 'authString':
      return { ...head, packet: 'NPH_SGC_CONN_AUTH_STRING', length: b.auth.length };
    case 'realtime':
    case 'history': {
      const r = b.record;
      return {
        ...head,
        packet: b.kind === 'realtime' ? 'NPH_SND_REALTIME' : 'NPH_SND_HISTORY',
        time: new Date(r.nav.time * 1000).toISOString(),
        valid: r.nav.valid,
        ...(r.nav.valid ? navDegrees(r.nav) : {}),
        speed: r.nav.speedAvg,
        nsat: r.nav.nsat,
        levels: r.levels.map((l) => ({ n: l.compartment, level: Number(l.level.toFixed(4)) })),
      };
    }
  }
}

/**
 * Decodes a frame of unknown dialect, for the trace: the first profile under which it decodes. Profiles
 * differ in the CRC's byte order and the cell lengths, so at most one of the seed's fits a real frame.
 */
export function decodeAnyProfile(bytes: Uint8Array): { profile: NdtpProfile; packet: NdtpPacket } {
  let first: NdtpError | undefined;
  for (const name of PROFILE_NAMES) {
    try {
      return { profile: PROFILES[name], packet: decodePacket(bytes, PROFILES[name]) };
    } catch (error) {
      if (!(error instanceof NdtpError)) throw error;
      first ??= error;
    }
  }
  throw first!;
}

/** The trace's codec for NDTP ports: every frame and damaged candidate; garbage between frames is left out. */
export const ndtpPortCodec: PortCodec = {
  name: 'ndtp',
  createDeframer(): Deframer {
    const d = new NplDeframer();
    return { push: (bytes) => d.push(bytes).flatMap((piece) => (piece.kind === 'garbage' ? [] : [piece.bytes])) };
  },
  describe(frame) {
    // An encrypted frame (a secure session): only its header can be read without the session key.
    if (isEncrypted(frame)) {
      const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
      return { encrypted: true, npl: frame[8] === NplType.error ? 'NPL_TYPE_ERROR' : 'NPL_TYPE_NPH', peerAddress: view.getUint32(9, true), dataLength: frame.length - 15 };
    }
    const { profile, packet } = decodeAnyProfile(frame);
    return { profile: profile.name, ...(describePacket(packet) as object) };
  },
};

