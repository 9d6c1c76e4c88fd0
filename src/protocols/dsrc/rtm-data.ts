import { bytesEqual, concatBytes } from '../../crypto/bytes.ts';
import { decryptRtmPayload, deriveVuDsrcKeys, dsrcMacLength, encryptRtmPayload, rtmMac, type VuDsrcKeys } from '../../crypto/dsrc/index.ts';
import { DsrcDecodeError } from './dsrc-error.ts';

/**
 * The RTM data (App. 14 DSC_38, App. 11 §13): the encrypted TachographPayload followed by the DSRC security
 * data and the MAC. App. 11 does not give the "tags and lengths" CSM_227's MAC covers; App. 2 TCS_138 gives the
 * form in which the control card takes "the entire RTM data" (CSM_228), and the rig uses exactly that as the
 * RTM data everywhere (VU -> DSRC-VU -> air -> card), so the MAC input is defined (README "DSRC"):
 *
 *   87 L87 00 <EncryptedTachographPayload>   SM DO '87', padding-content indicator '00'; L87 = 1 + 16k, 17..193
 *   81 10 <TimeReal 4><counter 3><VU serial number or certificate request ID 8><master key version 1>
 *   8E L8E <MAC>                             L8E = 08 | 0C | 10 (CSM_50)
 *   MAC = AES-CMAC(K_VUDSRC_MAC, '87'... || '81 10'...) truncated (CSM_227)
 */
export const TAG_ENCRYPTED = 0x87;
export const TAG_SECURITY_DATA = 0x81;
export const TAG_MAC = 0x8e;
export const SECURITY_DATA_LENGTH = 16;
/** TCS_138: the encrypted payload is 1 to 12 AES blocks. */
export const MIN_L87 = 17;
export const MAX_L87 = 193;

/** CSM_224: the DSRC security data, in this order. */
export interface DsrcSecurityData {
  /** TimeReal of the VU when the set was made (it also seeds the IV, CSM_226). */
  timeReal: number;
  /** CSM_225: 3 octets, 0 for the first set, +1 before each next. */
  counter: number;
  /** VuSerialNumber or CertificateRequestID (CSM_123), 8 octets. */
  vuId: Uint8Array;
  /** CSM_122/126: the version of the K_M-DSRC the VU's keys derive from. */
  keyVersion: number;
}

/** App. 1 2.44: a CertificateRequestID has crIdentifier 'FF' in its last-but-one octet; a serial number never does. */
export function isCertificateRequestId(vuId: Uint8Array): boolean {
  return vuId.length === 8 && vuId[6] === 0xff;
}

export function encodeSecurityData(s: DsrcSecurityData): Uint8Array {
  if (!Number.isInteger(s.timeReal) || s.timeReal < 0 || s.timeReal > 0xffffffff) throw new RangeError(`TimeReal ${s.timeReal} is outside 0..2^32-1`);
  if (!Number.isInteger(s.counter) || s.counter < 0 || s.counter > 0xffffff) throw new RangeError(`counter ${s.counter} is outside 3 octets`);
  if (s.vuId.length !== 8) throw new RangeError(`the VU serial number or certificate request ID is 8 octets, got ${s.vuId.length}`);
  if (!Number.isInteger(s.keyVersion) || s.keyVersion < 0 || s.keyVersion > 255) throw new RangeError(`key version ${s.keyVersion} is not one octet`);
  const out = new Uint8Array(SECURITY_DATA_LENGTH);
  new DataView(out.buffer).setUint32(0, s.timeReal);
  out[4] = s.counter >>> 16;
  out[5] = (s.counter >>> 8) & 0xff;
  out[6] = s.counter & 0xff;
  out.set(s.vuId, 7);
  out[15] = s.keyVersion;
  return out;
}

export function decodeSecurityData(b: Uint8Array): DsrcSecurityData {
  if (b.length !== SECURITY_DATA_LENGTH) throw new DsrcDecodeError(`DSRC security data is ${SECURITY_DATA_LENGTH} octets, got ${b.length}`);
  return {
    timeReal: new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0),
    counter: (b[4]! << 16) | (b[5]! << 8) | b[6]!,
    vuId: b.slice(7, 15),
    keyVersion: b[15]!,
  };
}

/** BER-TLV length (ISO/IEC 7816-4 §5.2.2.1): one octet up to 127, else '81' xx (the RTM data never needs more). */
function berLength(n: number): Uint8Array {
  return n <= 0x7f ? Uint8Array.of(n) : Uint8Array.of(0x81, n);
}

/** The MAC input: the '87' and '81' data objects, tags and lengths included (CSM_227). */
export function rtmMacInput(encryptedPayload: Uint8Array, security: DsrcSecurityData): Uint8Array {
  const l87 = encryptedPayload.length + 1;
  if (l87 < MIN_L87 || l87 > MAX_L87 || (l87 - 1) % 16 !== 0) throw new RangeError(`an encrypted payload is 1..12 AES blocks, got ${encryptedPayload.length} octets`);
  return concatBytes(Uint8Array.of(TAG_ENCRYPTED), berLength(l87), Uint8Array.of(0x00), encryptedPayload, Uint8Array.of(TAG_SECURITY_DATA, SECURITY_DATA_LENGTH), encodeSecurityData(security));
}

/**
 * CSM_223-227, the VUSM's side: encrypt the OER payload under K_VUDSRC_ENC (IV from the security data), then
 * MAC the whole under K_VUDSRC_MAC: encrypt-then-MAC.
 */
export function protectRtmData(payloadOer: Uint8Array, security: DsrcSecurityData, keys: VuDsrcKeys): Uint8Array {
  const encrypted = encryptRtmPayload(keys.enc, security.timeReal, security.counter, payloadOer);
  const macInput = rtmMacInput(encrypted, security);
  const mac = rtmMac(keys.mac, macInput);
  return concatBytes(macInput, Uint8Array.of(TAG_MAC, mac.length), mac);
}

export interface ParsedRtmData {
  encryptedPayload: Uint8Array;
  security: DsrcSecurityData;
  mac: Uint8Array;
  /** The octets the MAC covers, as received. */
  macInput: Uint8Array;
}

/** TCS_137/138: the three data objects in this order, each of its allowed length; else a DsrcDecodeError. */
export function parseRtmData(bytes: Uint8Array): ParsedRtmData {
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > bytes.length) throw new DsrcDecodeError(`RTM data ends inside ${what} (offset ${at}, ${bytes.length} octets)`);
  };
  need(2, "the '87' object");
  if (bytes[at] !== TAG_ENCRYPTED) throw new DsrcDecodeError(`RTM data must start with tag 87, got ${hex2(bytes[at]!)}`);
  at++;
  let l87 = bytes[at++]!;
  if (l87 === 0x81) {
    need(1, "the '87' length");
    l87 = bytes[at++]!;
    if (l87 <= 0x7f) throw new DsrcDecodeError(`length 81 ${hex2(l87)} is not the shortest form`);
  } else if (l87 > 0x7f) throw new DsrcDecodeError(`'87' length form ${hex2(l87)} is not allowed`);
  if (l87 < MIN_L87 || l87 > MAX_L87 || (l87 - 1) % 16 !== 0) throw new DsrcDecodeError(`L87 = ${l87} is not 1 + 16k within ${MIN_L87}..${MAX_L87} (TCS_138)`);
  need(l87, "the '87' value");
  if (bytes[at] !== 0x00) throw new DsrcDecodeError(`padding-content indicator is ${hex2(bytes[at]!)}, not 00`);
  const encryptedPayload = bytes.slice(at + 1, at + l87);
  at += l87;
  need(2 + SECURITY_DATA_LENGTH, "the '81' object");
  if (bytes[at] !== TAG_SECURITY_DATA || bytes[at + 1] !== SECURITY_DATA_LENGTH) throw new DsrcDecodeError(`expected '81 10' after the '87' object, got ${hex2(bytes[at]!)} ${hex2(bytes[at + 1]!)}`);
  const security = decodeSecurityData(bytes.subarray(at + 2, at + 2 + SECURITY_DATA_LENGTH));
  at += 2 + SECURITY_DATA_LENGTH;
  const macInput = bytes.slice(0, at);
  need(2, "the '8E' object");
  if (bytes[at] !== TAG_MAC) throw new DsrcDecodeError(`expected tag 8E after the security data, got ${hex2(bytes[at]!)}`);
  const l8e = bytes[at + 1]!;
  if (l8e !== 8 && l8e !== 12 && l8e !== 16) throw new DsrcDecodeError(`L8E = ${l8e} is not 8, 12 or 16`);
  at += 2;
  need(l8e, "the '8E' value");
  const mac = bytes.slice(at, at + l8e);
  at += l8e;
  if (at !== bytes.length) throw new DsrcDecodeError(`${bytes.length - at} octets after the MAC`);
  return { encryptedPayload, security, mac, macInput };
}

/** TCS_139 status words of PROCESS DSRC MESSAGE. */
export const DSRC_SW = {
  ok: 0x9000,
  /** wrong parameters, data objects missing or out of order */
  wrongData: 0x6a80,
  /** the master key version is not available */
  keyVersionUnknown: 0x6a88,
  /** MAC verification or decryption failed */
  securityFailure: 0x6900,
  /** M1: the timestamp is outside the card's validity */
  outsideValidity: 0x6985,
} as const;

export interface DsrcCardKeys {
  /** CSM_127/131/132: the K_M-DSRC generations the card holds, hex. */
  masterKeys: readonly { version: number; key: string }[];
  /** TimeReal of cardValidityBegin and cardExpiryDate (TCS_139, M1). */
  validityBegin: number;
  expiryDate: number;
}

export type ProcessDsrcResult = { sw: typeof DSRC_SW.ok; payload: Uint8Array; security: DsrcSecurityData } | { sw: number; reason: string };

/**
 * CSM_228 / TCS_137-139, the card's side of PROCESS DSRC MESSAGE on the command data: the data objects and
 * their order (6A80), the key version (6A88, before any MAC work), key derivation from the serial number or
 * request ID in the security data (CSM_228 step 2), the MAC (6900), decryption and the padding (6900). The
 * validity check (6985) comes after the MAC, so only an authentic timestamp is judged (a choice: TCS_139 gives
 * no order; README "DSRC"). The card does not interpret the payload (TCS_136).
 */
export function processDsrcMessage(data: Uint8Array, card: DsrcCardKeys): ProcessDsrcResult {
  let parsed: ParsedRtmData;
  try {
    parsed = parseRtmData(data);
  } catch (e) {
    if (e instanceof DsrcDecodeError) return { sw: DSRC_SW.wrongData, reason: e.message };
    throw e;
  }
  const { security } = parsed;
  const master = card.masterKeys.find((k) => k.version === security.keyVersion);
  if (!master) return { sw: DSRC_SW.keyVersionUnknown, reason: `no DSRC master key of version ${security.keyVersion}` };
  const keys = deriveVuDsrcKeys(Uint8Array.from(Buffer.from(master.key, 'hex')), security.vuId);
  if (parsed.mac.length !== dsrcMacLength(keys.mac.length)) return { sw: DSRC_SW.securityFailure, reason: `a ${parsed.mac.length}-octet MAC for a ${keys.mac.length * 8}-bit key` };
  if (!bytesEqual(rtmMac(keys.mac, parsed.macInput), parsed.mac)) return { sw: DSRC_SW.securityFailure, reason: 'MAC verification failed' };
  if (security.timeReal < card.validityBegin || security.timeReal > card.expiryDate) {
    return { sw: DSRC_SW.outsideValidity, reason: `timestamp ${security.timeReal} is outside the card validity ${card.validityBegin}..${card.expiryDate}` };
  }
  const plain = decryptRtmPayload(keys.enc, security.timeReal, security.counter, parsed.encryptedPayload);
  if (!plain.ok) return { sw: DSRC_SW.securityFailure, reason: `decryption: ${plain.reason}` };
  return { sw: DSRC_SW.ok, payload: plain.data, security };
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** TCS_138: PROCESS DSRC MESSAGE, CLA 80 INS 2A P1 80 P2 B0, the RTM data as the data field, Le 00 (M3). */
export function encodeProcessDsrcMessage(rtmData: Uint8Array): Uint8Array {
  if (rtmData.length < 1 || rtmData.length > 255) throw new RangeError(`PROCESS DSRC MESSAGE carries 1..255 octets (short Lc), got ${rtmData.length}`);
  return concatBytes(Uint8Array.of(0x80, 0x2a, 0x80, 0xb0, rtmData.length), rtmData, Uint8Array.of(0x00));
}
