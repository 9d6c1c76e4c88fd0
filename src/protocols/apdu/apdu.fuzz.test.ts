import { describe, it } from 'vitest';
import { bytesAround, fuzzDecoder } from '../fuzz/fuzz.ts';
import { command, decodeCommand, encodeCommand } from './command.ts';
import { readBinary, readRecord, selectByAid, selectByFid, writeRecord } from './commands.ts';
import { ApduError, decodeResponse, encodeResponse, SW } from './response.ts';
import { getChallenge, mseSetDst, psoVerifyCertificate } from './security-commands.ts';

/** The commands the VU sends the EGF, every ISO case, short and extended, and responses with and without data. */
const COMMANDS = [
  selectByAid(Uint8Array.of(0xff, 0x44, 0x54, 0x43, 0x47)),
  selectByFid(0x2f2f),
  readBinary(0, 85),
  readRecord(1, 85),
  writeRecord(2, Uint8Array.of(1, 2, 3)),
  getChallenge(),
  mseSetDst(Uint8Array.from({ length: 8 }, (_, i) => i)),
  psoVerifyCertificate(new Uint8Array(200).fill(0x5a)),
  command(0, 0xb0, 0, 0, new Uint8Array(0), 256),
  command(0, 0xd6, 0, 0, new Uint8Array(300).fill(1), 65536),
].map(encodeCommand);
const RESPONSES = [encodeResponse({ data: new Uint8Array(0), sw: SW.OK }), encodeResponse({ data: new Uint8Array(85).fill(0x24), sw: SW.OK }), encodeResponse({ data: new Uint8Array(0), sw: SW.TAMPERED })];

describe('APDU decoders under fuzzing', () => {
  it('decodeCommand returns a verdict for any bytes', () => {
    fuzzDecoder(bytesAround({ valid: COMMANDS }), decodeCommand, null, { runs: 600 });
  });
  it('decodeResponse throws ApduError at most', () => {
    fuzzDecoder(bytesAround({ valid: RESPONSES }), decodeResponse, ApduError);
  });
});
