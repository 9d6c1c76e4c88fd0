import { SW, type CommandApdu, type ResponseApdu, INS } from '../../protocols/apdu/index.ts';
import type { ReceiverSentences } from '../../protocols/nmea/index.ts';
import type { EgfOptions } from './options.ts';

/**
 * The GNSS Secure Transceiver's file system (App. 12 GNS_18..GNS_21, Table 1) and its command interpreter
 * (GNS_24..GNS_27), as plain data and pure functions. File ids are upper-case hex strings.
 *
 *   MF 3F00 ─ EF.ICC 0002 (transparent)
 *           └ DF GNSS Facility 0501, AID FF 44 54 45 47 4D
 *               ├ EF EGF_MACertificate C100, EF CA_Certificate C108, EF Link_Certificate C109 (transparent)
 *               ├ EF EGF 2F2F (linear variable: 01 RMC, 02..06 GSA, 07 serial, 08 OS id, 09 approval, 10 SC id)
 *               └ EF VU 2F30 (linear fixed: 01 VuRtcTime 4 bytes, 02 VuGnssMaximalTimeDifference 2 bytes)
 */
export const EGF_AID = [0xff, 0x44, 0x54, 0x45, 0x47, 0x4d];
const MF = '3F00';
const DF = '0501';
const MF_EFS = ['0002'];
const DF_TRANSPARENT = ['C100', 'C108', 'C109'];
const EF_EGF = '2F2F';
const DF_RECORD = [EF_EGF, '2F30'];
/** GNS_19a: EF VU is fixed-length; its records' sizes (Table 1). */
const EF_VU_SIZES: Record<number, number> = { 1: 4, 2: 2 };
/** GNS_30: what record '01' reads after too long without receiver data. */
export const NO_DATA_RECORD = Array<number>(12).fill(0xff);

export interface EgfMemory {
  df: 'MF' | 'DF';
  /** The current EF, or null. */
  ef: string | null;
  /** The current record of the current EF (GNS_26, GNS_26c). */
  record: number | null;
  transparent: Record<string, number[]>;
  records: Record<string, Record<number, number[]>>;
}

export function createMemory(o: EgfOptions): EgfMemory {
  const s = o.serialNumber;
  const serial = [(s.serialNumber >>> 24) & 0xff, (s.serialNumber >>> 16) & 0xff, (s.serialNumber >>> 8) & 0xff, s.serialNumber & 0xff, bcd(s.monthYear.slice(0, 2)), bcd(s.monthYear.slice(2)), s.type, s.manufacturerCode];
  const cert = (h?: string) => (h ? [...Buffer.from(h, 'hex')] : Array<number>(204).fill(0));
  return {
    df: 'MF',
    ef: null,
    record: null,
    transparent: { '0002': serial, C100: cert(o.certificates.egfMa), C108: cert(o.certificates.ca), C109: cert(o.certificates.link) },
    records: {
      '2F2F': {
        7: serial,
        8: [...Buffer.from(o.osIdentifier, 'hex')],
        9: [...Buffer.from(o.approvalNumber.padEnd(16, ' '), 'latin1')],
        10: [...Buffer.from(o.securityComponentId, 'hex')],
      },
      '2F30': { 1: [0, 0, 0, 0], 2: [0, 0] },
    },
  };
}

/** GNS_29: tampering erases the whole memory, cryptographic material included. */
export function eraseMemory(): EgfMemory {
  return { df: 'MF', ef: null, record: null, transparent: {}, records: {} };
}

/** GNS_23 step 2: the transceiver keeps the receiver's latest sentences in records 01..06. */
export function storeSentences(m: EgfMemory, s: ReceiverSentences): EgfMemory {
  const egf = { ...m.records['2F2F'] };
  egf[1] = ascii(s.rmc);
  // Issue 18: the GSA sentences change only with the sky; a record that holds the same sentence is kept as is
  s.gsa.forEach((g, i) => {
    const held = egf[2 + i];
    if (!held || !holds(held, g)) egf[2 + i] = ascii(g);
  });
  return { ...m, records: { ...m.records, '2F2F': egf } };
}

function holds(record: readonly number[], sentence: string): boolean {
  if (record.length !== sentence.length) return false;
  for (let i = 0; i < record.length; i++) if (record[i] !== sentence.charCodeAt(i)) return false;
  return true;
}

export interface ApduContext {
  tampered: boolean;
  /** GNS_30: the receiver has given no data for more than the limit. */
  receiverSilent: boolean;
  /** The command came under secure messaging (App. 12 Table 1: EF EGF and EF VU are SM-MAC-G2). */
  secured: boolean;
  /** Bench option: serve EF EGF and EF VU without secure messaging. */
  plainAccess: boolean;
  /** A fault (the `fault` stimulus): EF EGF fails its integrity check, App. 2 TCS_41, TCS_43: '6400'. */
  efEgfCorrupted?: boolean;
}

export function executeApdu(m: EgfMemory, c: CommandApdu, ctx: ApduContext): { memory: EgfMemory; response: ResponseApdu } {
  const sw = (code: number, memory = m) => ({ memory, response: { data: new Uint8Array(0), sw: code } });
  // GNS_25, GNS_26b: a tampered EGF answers every command with '6690'.
  if (ctx.tampered) return sw(SW.TAMPERED);
  // Choice: GNS_16 forbids extended lengths; such a command is refused as a wrong length.
  if (c.extended) return sw(SW.WRONG_LENGTH);
  // The SM layer (transceiver.ts) has already checked and stripped CLA '0C'.
  if (c.cla !== 0x00) return sw(SW.CLA_NOT_SUPPORTED);
  switch (c.ins) {
    case INS.SELECT: {
      const r = select(m, c);
      // App. 2 TCS_41: a file found corrupted when selected answers '6400' (the current file does not change).
      return ctx.efEgfCorrupted && r.response.sw === SW.OK && r.memory.ef === EF_EGF ? sw(SW.EXECUTION_ERROR) : r;
    }
    case INS.READ_BINARY:
      return readBinary(m, c);
    case INS.UPDATE_BINARY:
      // Table 1: the transparent EFs are never updated (NEV).
      return m.ef === null ? sw(SW.NO_CURRENT_EF) : sw(SW.SECURITY_STATUS_NOT_SATISFIED);
    case INS.READ_RECORD:
      if (!smSatisfied(m, ctx)) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
      // App. 2 TCS_43 (READ BINARY; the EGF answers READ RECORD alike): a file found corrupted answers '6400'.
      if (ctx.efEgfCorrupted && m.ef === EF_EGF) return sw(SW.EXECUTION_ERROR);
      return readRecord(m, c, ctx);
    case INS.WRITE_RECORD:
      if (!smSatisfied(m, ctx)) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
      return writeRecord(m, c);
    default:
      return sw(SW.INS_NOT_SUPPORTED);
  }
}

/** App. 12 Table 1: reading EF EGF and reading/writing EF VU need secure messaging (SM-MAC-G2, CSM_214). */
function smSatisfied(m: EgfMemory, ctx: ApduContext): boolean {
  return ctx.secured || ctx.plainAccess || !(m.ef === '2F2F' || m.ef === '2F30');
}

type Result = { memory: EgfMemory; response: ResponseApdu };
const status = (memory: EgfMemory, code: number, data: number[] = []): Result => ({ memory, response: { data: Uint8Array.from(data), sw: code } });

/** App. 2 §3.5.1: P1 '04' by AID, '00' MF or any file by id, '01' a DF, '02' an EF under the current DF; P2 '0C'. */
function select(m: EgfMemory, c: CommandApdu): Result {
  if (c.p2 !== 0x0c) return status(m, SW.INCORRECT_P1_P2);
  if (c.p1 === 0x04) {
    if (!sameBytes(c.data, EGF_AID)) return status(m, SW.FILE_NOT_FOUND);
    return status({ ...m, df: 'DF', ef: null, record: null }, SW.OK);
  }
  if (c.p1 !== 0x00 && c.p1 !== 0x01 && c.p1 !== 0x02) return status(m, SW.INCORRECT_P1_P2);
  if (c.data.length !== 2) return status(m, SW.WRONG_LENGTH);
  const fid = Buffer.from(c.data).toString('hex').toUpperCase();
  if (fid === MF && c.p1 === 0x00) return status({ ...m, df: 'MF', ef: null, record: null }, SW.OK);
  if (fid === DF && c.p1 !== 0x02 && m.df === 'MF') return status({ ...m, df: 'DF', ef: null, record: null }, SW.OK);
  const efs = m.df === 'MF' ? MF_EFS : [...DF_TRANSPARENT, ...DF_RECORD];
  if (c.p1 !== 0x01 && efs.includes(fid) && (fid in m.transparent || fid in m.records)) return status({ ...m, ef: fid, record: null }, SW.OK);
  return status(m, SW.FILE_NOT_FOUND);
}

function readBinary(m: EgfMemory, c: CommandApdu): Result {
  if (m.ef === null) return status(m, SW.NO_CURRENT_EF);
  const file = m.transparent[m.ef];
  if (!file) return status(m, SW.NOT_RECORD_ORIENTED); // a record EF: incompatible with the file structure
  if (c.p1 & 0x80) return status(m, SW.INCORRECT_P1_P2); // short EF identifiers are not used here
  const offset = (c.p1 << 8) | c.p2;
  if (offset > file.length) return status(m, SW.WRONG_OFFSET);
  return status(m, SW.OK, file.slice(offset, offset + (c.le ?? 256)));
}

function readRecord(m: EgfMemory, c: CommandApdu, ctx: ApduContext): Result {
  if (c.p2 !== 0x04) return status(m, SW.INCORRECT_P1_P2);
  if (m.ef === null) return status(m, SW.NO_CURRENT_EF);
  const file = m.records[m.ef];
  if (!file) return status(m, SW.NOT_RECORD_ORIENTED); // GNS_26
  // GNS_26: P1 '00' is the current record; without one, the command is not allowed.
  const n = c.p1 === 0 ? m.record : c.p1;
  if (n === null) return status(m, SW.NO_CURRENT_EF);
  const data = m.ef === '2F2F' && n === 1 && ctx.receiverSilent ? NO_DATA_RECORD : file[n]; // GNS_30
  if (!data) return status(m, SW.RECORD_NOT_FOUND);
  const next = { ...m, record: n };
  // Choice: a record longer than Ne is answered '6C xx' with its length (ISO/IEC 7816-4 §5.6), not truncated.
  if (c.le !== undefined && data.length > c.le) return status(next, 0x6c00 | data.length);
  return status(next, SW.OK, data);
}

function writeRecord(m: EgfMemory, c: CommandApdu): Result {
  if (c.p2 !== 0x04) return status(m, SW.INCORRECT_P1_P2);
  if (m.ef === null) return status(m, SW.NO_CURRENT_EF);
  if (!m.records[m.ef]) return status(m, SW.NOT_RECORD_ORIENTED);
  // Table 1: EF EGF is never written by the VU.
  if (m.ef !== '2F30') return status(m, SW.SECURITY_STATUS_NOT_SATISFIED);
  const n = c.p1 === 0 ? m.record : c.p1;
  if (n === null) return status(m, SW.NO_CURRENT_EF);
  const size = EF_VU_SIZES[n];
  if (size === undefined) return status(m, SW.RECORD_NOT_FOUND);
  if (c.data.length !== size) return status(m, SW.WRONG_LENGTH);
  return status({ ...m, record: n, records: { ...m.records, '2F30': { ...m.records['2F30'], [n]: [...c.data] } } }, SW.OK);
}

/** NMEA sentences are printable ASCII (sentence.ts refuses anything else): a character is its byte. */
function ascii(s: string): number[] {
  const bytes = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i) & 0xff;
  return bytes;
}

function bcd(twoDigits: string): number {
  return (Number(twoDigits[0]) << 4) | Number(twoDigits[1]);
}

function sameBytes(a: Uint8Array, b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
