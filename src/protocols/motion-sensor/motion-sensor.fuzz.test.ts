import { describe, expect, it } from 'vitest';
import { bytesAround, chunked, fc, FUZZ_SEED, fuzzDecoder, streamAround } from '../fuzz/fuzz.ts';
import { rigFraming } from './framing.ts';
import { INS } from './instructions.ts';
import { decodeExtendedSerialNumber, decodeIdentificationFile, decodePairingInformation, decodeSecurityEventsFile, MotionSensorError } from './payloads.ts';
import { encodePulseFrames, encodeRateFrame, decodePulseFrame, deframePulses } from './pulse-frame.ts';
import {
  openCounterReply,
  openCounterRequest,
  openFileReply,
  openFileRequest,
  openPairingInfoReply,
  openPairingInfoRequest,
  openPairingKey,
  openSessionKey,
  sealCounterReply,
  sealCounterRequest,
  sealFileReply,
  sealFileRequest,
  sealPairingInfoReply,
  sealSessionKey,
} from './secure.ts';

const KS = new Uint8Array(16).fill(3);
const NS = Uint8Array.of(0, 0, 0x30, 0x39, 0x07, 0x26, 0x07, 0x10);
const INFO = new Uint8Array(24).fill(0x11);
const CHALLENGE = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
/** Sealed payloads of each instruction, as the VU and the sensor write them (128-bit keys). */
const PAYLOADS = [
  sealSessionKey(KS, KS),
  sealPairingInfoReply(KS, INFO),
  sealFileRequest(KS, CHALLENGE.subarray(0, 7), 3),
  sealFileReply(KS, CHALLENGE, INFO),
  sealCounterRequest(KS, CHALLENGE),
  sealCounterReply(KS, 123456, CHALLENGE),
];
const FRAMES = [
  rigFraming.encode({ direction: 'request', instruction: INS.COUNTER, payload: PAYLOADS[4]! }),
  rigFraming.encode({ direction: 'reply', instruction: INS.COUNTER, payload: PAYLOADS[5]! }),
  rigFraming.encode({ direction: 'reply', instruction: INS.NEGATIVE, payload: Uint8Array.of(0x70, 0x06) }),
  rigFraming.encode({ direction: 'request', instruction: 0x11, payload: PAYLOADS[2]! }),
];
/** The rig framing's checksum is the byte sum of all before it, like App. 7's; the length byte is fixed up too. */
const fixFrame = (b: Uint8Array) => {
  if (b.length < 4) return b;
  const out = Uint8Array.from(b);
  out[2] = Math.min(255, out.length - 4);
  let sum = 0;
  for (let i = 0; i < out.length - 1; i++) sum = (sum + out[i]!) & 0xff;
  out[out.length - 1] = sum;
  return out;
};

describe('motion sensor link decoders under fuzzing', () => {
  it('frames: decode returns a verdict for any bytes', () => {
    fuzzDecoder(bytesAround({ valid: FRAMES, fix: fixFrame }), (b) => rigFraming.decode(b), null, { runs: 600 });
  });

  it('frames: the deframer keeps every byte, in order', () => {
    fc.assert(
      fc.property(chunked(streamAround({ valid: FRAMES, fix: fixFrame })), (chunks) => {
        let held: number[] = [];
        const out: number[] = [];
        for (const c of chunks) {
          const r = rigFraming.deframe(held, c);
          held = r.held;
          for (const x of r.chunks) out.push(...x);
        }
        expect([...out, ...held]).toEqual(chunks.flatMap((c) => [...c]));
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
  });

  it('payloads: the plaintext layouts throw MotionSensorError at most', () => {
    const plain = bytesAround({ valid: [INFO, NS, CHALLENGE, new Uint8Array(24).fill(0x20)] });
    fuzzDecoder(plain, decodeExtendedSerialNumber, MotionSensorError);
    fuzzDecoder(plain, decodeIdentificationFile, MotionSensorError);
    fuzzDecoder(plain, decodePairingInformation, MotionSensorError);
    fuzzDecoder(plain, decodeSecurityEventsFile, MotionSensorError);
  });

  it('sealed payloads: every opening returns a value or a reason, never throws (secure.ts)', () => {
    fuzzDecoder(
      bytesAround({ valid: PAYLOADS }),
      (p) => [
        openPairingKey(KS, p, 128),
        openSessionKey(KS, p),
        openPairingInfoRequest(KS, NS, p),
        openPairingInfoReply(KS, p),
        openFileRequest(KS, p),
        openFileReply(KS, p, CHALLENGE, 24),
        openFileReply(KS, p, CHALLENGE, 8),
        openCounterRequest(KS, p),
        openCounterReply(KS, p, CHALLENGE),
      ],
      null,
    );
  });

  it('pulse frames: decode returns a verdict, the deframer keeps every byte', () => {
    const pulses = [encodePulseFrames(0), encodePulseFrames(1234), encodePulseFrames(70_000), encodeRateFrame({ at: 1_772_438_400_000, position: 720_000.25, pulsesPerSecond: 200 }), encodeRateFrame({ at: 0, position: 0, pulsesPerSecond: 0 })];
    fuzzDecoder(bytesAround({ valid: pulses }), decodePulseFrame, null);
    fc.assert(
      fc.property(chunked(streamAround({ valid: pulses })), (chunks) => {
        let held: number[] = [];
        const out: number[] = [];
        for (const c of chunks) {
          const r = deframePulses(held, c);
          held = r.held;
          for (const x of r.chunks) out.push(...x);
        }
        expect([...out, ...held]).toEqual(chunks.flatMap((c) => [...c]));
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
  });
});
