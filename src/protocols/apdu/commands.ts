import { command, type CommandApdu } from './command.ts';

/**
 * The commands App. 12 uses on the EGF (GNS_23, GNS_23a, GNS_24..GNS_27), coded as App. 2 §3.5 gives them.
 * CLA '00' is plain; App. 12 asks for '0C' (secure messaging) on EF.EGF and EF VU, which the secure messaging
 * layer sets when it wraps the command.
 */
export const INS = {
  SELECT: 0xa4,
  READ_BINARY: 0xb0,
  UPDATE_BINARY: 0xd6,
  READ_RECORD: 0xb2,
  WRITE_RECORD: 0xd2,
  UPDATE_RECORD: 0xdc,
  GET_CHALLENGE: 0x84,
} as const;

/** App. 2 §3.5.1: select by AID, P1 '04', P2 '0C' (no response data). */
export function selectByAid(aid: Uint8Array, cla = 0x00): CommandApdu {
  return command(cla, INS.SELECT, 0x04, 0x0c, aid);
}

/** App. 2 §3.5.1: select the MF ('00' with '3F00'), a DF ('01') or an EF ('02') under the current DF, by file identifier. */
export function selectByFid(fid: number, p1: 0x00 | 0x01 | 0x02 = 0x02, cla = 0x00): CommandApdu {
  return command(cla, INS.SELECT, p1, 0x0c, Uint8Array.of(fid >> 8, fid & 0xff));
}

/** App. 2 §3.5.2: P1-P2 is the offset (b8 of P1 clear: no short file identifier). */
export function readBinary(offset: number, length: number, cla = 0x00): CommandApdu {
  if (offset < 0 || offset > 0x7fff) throw new RangeError(`offset must be 0..32767, got ${offset}`);
  return command(cla, INS.READ_BINARY, offset >> 8, offset & 0xff, new Uint8Array(0), length);
}

export function updateBinary(offset: number, data: Uint8Array, cla = 0x00): CommandApdu {
  if (offset < 0 || offset > 0x7fff) throw new RangeError(`offset must be 0..32767, got ${offset}`);
  return command(cla, INS.UPDATE_BINARY, offset >> 8, offset & 0xff, data);
}

/** GNS_24: READ RECORD, P1 the record number, P2 '04' (the record P1 names), Le the bytes wanted. */
export function readRecord(record: number, length: number, cla = 0x00): CommandApdu {
  return command(cla, INS.READ_RECORD, record, 0x04, new Uint8Array(0), length);
}

/** GNS_26b: WRITE RECORD, P1 the record number, P2 '04'. */
export function writeRecord(record: number, data: Uint8Array, cla = 0x00): CommandApdu {
  return command(cla, INS.WRITE_RECORD, record, 0x04, data);
}
