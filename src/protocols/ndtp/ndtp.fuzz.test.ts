import { describe, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { bytesAround, chunked, fuzzDecoder, streamAround } from '../fuzz/fuzz.ts';
import { crc16Modbus } from './crc16-modbus.ts';
import { NdtpError } from './ndtp-error.ts';
import { NPL_HEADER_LENGTH, NPL_MAX_DATA, NplDeframer } from './npl.ts';
import { decodeAnyProfile, decodePacket, describePacket, encodePacket, request } from './packet.ts';
import { PROFILES } from './profiles.ts';
import { SEED_EX1_HEX, SEED_EX2_HEX } from './seed-vectors.ts';
import { openFrame, sealFrame, sessionKeys } from './secure.ts';

const FRAMES = [
  fromHex(SEED_EX1_HEX),
  fromHex(SEED_EX2_HEX),
  encodePacket(request(1024, 1, { kind: 'connRequest', request: { protoVersionHigh: 1, protoVersionLow: 0, connectionFlags: 0, peerAddress: 1024, maxPacketSize: 1024 } }), PROFILES['seed-ex2']),
  encodePacket(request(1024, 2, { kind: 'authString', auth: 'tanker-0001' }), PROFILES['seed-ex1']),
];

/** Size and CRC made right again (MSB or LSB by a coin: the first byte's parity), so mutants reach the NPH and cell checks. */
const fix = (b: Uint8Array): Uint8Array => {
  if (b.length < NPL_HEADER_LENGTH) return b;
  const out = b.slice(0, Math.min(b.length, NPL_HEADER_LENGTH + NPL_MAX_DATA));
  const size = out.length - NPL_HEADER_LENGTH;
  out[0] = 0x7e;
  out[1] = 0x7e;
  out[2] = size & 0xff;
  out[3] = size >> 8;
  const crc = crc16Modbus(out.subarray(NPL_HEADER_LENGTH));
  const msb = (b[20] ?? 0) % 2 === 0;
  out[6] = msb ? crc >> 8 : crc & 0xff;
  out[7] = msb ? crc & 0xff : crc >> 8;
  return out;
};

describe('NDTP decoders under fuzzing', () => {
  it('decodePacket (either profile) and the trace description throw NdtpError at most', () => {
    const frames = bytesAround({ valid: FRAMES, fix });
    fuzzDecoder(frames, (b) => decodePacket(b, PROFILES['seed-ex1']), NdtpError, { runs: 600 });
    fuzzDecoder(frames, (b) => decodePacket(b, PROFILES['seed-ex2']), NdtpError, { runs: 600 });
    fuzzDecoder(frames, (b) => describePacket(decodeAnyProfile(b).packet), NdtpError);
  });

  it('opening a secure frame throws NdtpError at most, whatever arrives (a sealed frame mutated, anything else)', () => {
    const { up } = sessionKeys(fromHex('000102030405060708090a0b0c0d0e0f'), 1024, new Uint8Array(16));
    const sealed = FRAMES.map((f, i) => sealFrame(f, up, i + 1, PROFILES['seed-ex2']));
    fuzzDecoder(bytesAround({ valid: sealed, fix }), (b) => openFrame(b, up, 0, PROFILES['seed-ex2']), NdtpError, { runs: 600 });
  });

  it('the deframer never throws, and gives back every byte it was given, as frames, corrupt candidates or garbage, or still holds it', () => {
    fuzzDecoder(
      chunked(streamAround({ valid: FRAMES, fix })),
      (chunks) => {
        const d = new NplDeframer();
        let given = 0;
        let out = 0;
        for (const c of chunks) {
          given += c.length;
          for (const piece of d.push(c)) out += piece.kind === 'corrupt' ? 2 : piece.bytes.length; // a corrupt candidate's signature is consumed, its body rescanned
        }
        if (out + d.pending !== given) throw new Error(`gave ${given} bytes, got back ${out}, holds ${d.pending}`);
        if (d.pending > NPL_HEADER_LENGTH + NPL_MAX_DATA) throw new Error(`holds ${d.pending} bytes`);
      },
      null,
      { runs: 300 },
    );
  });
});
