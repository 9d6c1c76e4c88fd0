import { NdtpError } from './ndtp-error.ts';

/**
 * The NPH (presentation layer) packet: a 10-byte header, then the service's data. Layout from the seed's
 * split `0100 6500 0100 99050000` (seed 001 section 4.3, table lost):
 *
 *   off len field
 *   0   2   service type, u16 LE (NPH_SRV_NAVDATA = 1 in both seed packets)
 *   2   2   packet type, u16 LE (NPH_SND_REALTIME = 101 in both)
 *   4   2   flags, u16 LE: 0x0001 = the sender expects an NPH_RESULT
 *   6   4   request id, u32 LE (1433 in both): echoed in the NPH_RESULT
 *   10  n   <data>
 *
 * The names are the seed's; the numbers other than 1 and 101 were lost with its tables and are the public
 * Granit v6 values (digest §1.2.2-1.2.3, tagged EXT there).
 */
export const NPH_HEADER_LENGTH = 10;
export const NPH_FLAG_REQUEST = 0x0001;

export const NphService = { genericControls: 0, navdata: 1 } as const;

export const NphPacket = {
  /** Common to all services: the acknowledgement (seed 001 section 4.4). */
  RESULT: 0,
  /** NPH_SRV_GENERIC_CONTROLS */
  SGC_CONN_REQUEST: 100,
  SGC_CONN_AUTH_STRING: 101,
  /** NPH_SRV_NAVDATA: data from the device's memory ("ретроспектива") */
  SND_HISTORY: 100,
  /** NPH_SRV_NAVDATA: real-time data */
  SND_REALTIME: 101,
} as const;

/** NPH_RESULT <error> codes. "0 - успешное выполнение запроса" is the seed's only number. */
export const NphResult = {
  OK: 0,
  BUSY: 1,
  SERVICE_NOT_SUPPORTED: 100,
  SERVICE_NOT_ALLOWED: 101,
  SERVICE_NOT_AVAILABLE: 102,
  PACKET_NOT_SUPPORTED: 200,
  PACKET_INVALID_SIZE: 201,
  PACKET_INVALID_FORMAT: 202,
  PACKET_INVALID_PARAMETER: 203,
  PACKET_UNEXPECTED: 204,
  PROTO_VER_NOT_SUPPORTED: 300,
  CLIENT_NOT_REGISTERED: 301,
  CLIENT_TYPE_NOT_SUPPORTED: 302,
  CLIENT_AUTH_FAILED: 303,
  UNDEFINED: 0xffffffff,
} as const;
export type NphResultName = keyof typeof NphResult;

export function resultName(code: number): string {
  const found = (Object.keys(NphResult) as NphResultName[]).find((k) => NphResult[k] === code);
  return found ?? `0x${code.toString(16)}`;
}

export interface NphHeader {
  service: number;
  packetType: number;
  flags: number;
  requestId: number;
}

export function encodeNph(header: NphHeader, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(NPH_HEADER_LENGTH + data.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, header.service, true);
  view.setUint16(2, header.packetType, true);
  view.setUint16(4, header.flags, true);
  view.setUint32(6, header.requestId >>> 0, true);
  out.set(data, NPH_HEADER_LENGTH);
  return out;
}

export function decodeNph(bytes: Uint8Array): { header: NphHeader; data: Uint8Array } {
  if (bytes.length < NPH_HEADER_LENGTH) throw new NdtpError('nph-header', `${bytes.length} bytes, an NPH header is ${NPH_HEADER_LENGTH}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    header: { service: view.getUint16(0, true), packetType: view.getUint16(2, true), flags: view.getUint16(4, true), requestId: view.getUint32(6, true) },
    data: bytes.slice(NPH_HEADER_LENGTH),
  };
}

/** NPH_RESULT <data>: the <error> code, u32 LE (project choice after the public Granit layout; the seed's table is lost). */
export function encodeResultBody(error: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, error >>> 0, true);
  return out;
}

export function decodeResultBody(data: Uint8Array): number {
  if (data.length !== 4) throw new NdtpError('format', `NPH_RESULT data is ${data.length} bytes, not 4`);
  return new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
}

/**
 * NPH_SGC_CONN_REQUEST <data> (seed 001 section 5; table lost). The fields the seed names are
 * <proto_version_high> ("always 1"), <proto_version_low> and <connection_flags>; the order, widths and the
 * peer address and largest packet after them are the public Granit layout's first 12 bytes. 12 bytes.
 */
export interface ConnRequest {
  protoVersionHigh: number;
  protoVersionLow: number;
  /** 0x0001 = secure (encrypted) session (secure.ts); the rig's terminal asks for one when it has a key. */
  connectionFlags: number;
  peerAddress: number;
  maxPacketSize: number;
}
export const CONN_REQUEST_LENGTH = 12;
export const CONN_FLAG_SECURE = 0x0001;

export function encodeConnRequest(r: ConnRequest): Uint8Array {
  const out = new Uint8Array(CONN_REQUEST_LENGTH);
  const view = new DataView(out.buffer);
  view.setUint16(0, r.protoVersionHigh, true);
  view.setUint16(2, r.protoVersionLow, true);
  view.setUint16(4, r.connectionFlags, true);
  view.setUint32(6, r.peerAddress >>> 0, true);
  view.setUint16(10, r.maxPacketSize, true);
  return out;
}

export function decodeConnRequest(data: Uint8Array): ConnRequest {
  if (data.length !== CONN_REQUEST_LENGTH) throw new NdtpError('format', `NPH_SGC_CONN_REQUEST data is ${data.length} bytes, not ${CONN_REQUEST_LENGTH}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    protoVersionHigh: view.getUint16(0, true),
    protoVersionLow: view.getUint16(2, true),
    connectionFlags: view.getUint16(4, true),
    peerAddress: view.getUint32(6, true),
    maxPacketSize: view.getUint16(10, true),
  };
}

/** NPH_SGC_CONN_AUTH_STRING <data>: "an array of data for the client's authentication"; the rig sends printable ASCII (1..64 bytes). */
export const AUTH_STRING_MAX = 64;
export function decodeAuthString(data: Uint8Array): string {
  if (data.length < 1 || data.length > AUTH_STRING_MAX) throw new NdtpError('format', `auth string of ${data.length} bytes, 1..${AUTH_STRING_MAX} expected`);
  for (const b of data) if (b < 0x20 || b > 0x7e) throw new NdtpError('range', `auth string byte 0x${b.toString(16)} is not printable ASCII`);
  return String.fromCharCode(...data);
}
export function encodeAuthString(text: string): Uint8Array {
  if (!/^[\x20-\x7e]{1,64}$/.test(text)) throw new RangeError(`auth string must be 1..64 printable ASCII characters`);
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
