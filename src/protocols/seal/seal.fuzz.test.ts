import { describe, it } from 'vitest';
import { bytesAround, chunked, fuzzDecoder, streamAround } from '../fuzz/fuzz.ts';
import { crc16CcittFalse } from './crc16.ts';
import { PeerMessageSchema, SealAckSchema, SealMessageSchema, type SealMessage } from './messages.ts';
import { decodeFrame, deframeShortRange, describeFrame, encodeFrame, FrameError } from './short-range-frame.ts';
import { decodeDocument, encodeDocument, nestingDepth } from './wire-format.ts';

const FRAMES = [
  encodeFrame({ type: 'activate', src: 'READER-1', dst: 'RU-0001' }),
  encodeFrame({ type: 'challenge', src: 'RU-0001', dst: 'READER-1', nonce: new Uint8Array(16).fill(7) }),
  encodeFrame({ type: 'response', src: 'READER-1', dst: 'RU-0001', nonce: new Uint8Array(16).fill(7), mac: new Uint8Array(16).fill(9) }),
  encodeFrame({
    type: 'status',
    src: 'RU-0001',
    dst: '',
    custody: 'tracking',
    batteryPercent: 87.5,
    diagnostics: { gnss: 'ok', lock: 'fault', housing: 'ok', memory: 'ok', modem: 'ok', battery: 'ok' },
    framesRefused: 2,
    mac: new Uint8Array(16).fill(1),
  }),
  encodeFrame({ type: 'refused', src: 'RU-0001', dst: 'READER-1', reason: 'badMac' }),
];
/** LEN then CRC-16/CCITT-FALSE over LEN..BODY, fixed up so a damaged frame reaches the body checks. */
const fixFrame = (b: Uint8Array) => {
  if (b.length < 4) return b;
  const out = Uint8Array.from(b);
  out[1] = Math.min(255, out.length - 4);
  const crc = crc16CcittFalse(out.subarray(1, out.length - 2));
  out[out.length - 2] = crc >> 8;
  out[out.length - 1] = crc & 0xff;
  return out;
};

const message: SealMessage = {
  v: 1,
  id: '3f2b8c1e-9d4a-4e6f-8a1b-2c3d4e5f6a7b',
  type: 'position',
  sealId: 'RU-0001',
  homeState: 'RU',
  seq: 0,
  createdAt: '2026-03-02T08:00:00.000Z',
  custody: 'tracking',
  consignment: 'EAEU-2026-000117',
  fix: { lat: 55.75, lon: 37.62, speedKmh: 80, time: '2026-03-02T07:59:59.000Z', status: 'current' },
  power: { batteryPercent: 99.9 },
};
const DOCUMENTS = [
  encodeDocument(message),
  encodeDocument({ v: 1, id: 'a1b2c3d4-0000-4000-8000-000000000001', type: 'forward', from: 'RU', to: 'KZ', sentAt: '2026-03-02T08:00:00.000Z', document: message }),
  encodeDocument({ v: 1, id: 'a1b2c3d4-0000-4000-8000-000000000002', type: 'ack', ackOf: message.id, status: 'accepted', at: '2026-03-02T08:00:01.000Z' }),
];

describe('seal decoders under fuzzing', () => {
  it('short-range frames: decodeFrame and describeFrame throw FrameError at most', () => {
    const frames = bytesAround({ valid: FRAMES, fix: fixFrame });
    fuzzDecoder(frames, decodeFrame, FrameError, { runs: 600 });
    fuzzDecoder(frames, describeFrame, FrameError);
  });

  it('short-range frames: the deframer never throws and holds at most one frame', () => {
    fuzzDecoder(
      chunked(streamAround({ valid: FRAMES, fix: fixFrame })),
      (chunks) => {
        let held: number[] = [];
        for (const c of chunks) {
          const r = deframeShortRange(held, c);
          held = r.held;
          if (held.length > 257) throw new Error(`held ${held.length} bytes`);
        }
      },
      null,
      { runs: 300 },
    );
  });

  it('wire format: decodeDocument returns a verdict for any bytes, and no value it accepts is NaN or infinite (JSON.parse reads 1e999 as Infinity)', () => {
    const documents = bytesAround({ valid: DOCUMENTS, maxRandomLength: 200 });
    fuzzDecoder(documents, (b) => [decodeDocument(b, SealMessageSchema), decodeDocument(b, PeerMessageSchema), decodeDocument(b, SealAckSchema)], null, { runs: 600 });
    fuzzDecoder(documents, (b) => nestingDepth(new TextDecoder().decode(b)), null);
  });
});
