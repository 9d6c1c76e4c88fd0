import { describe, expect, it } from 'vitest';
import { bytesAround, chunked, fc, FUZZ_SEED, fuzzDecoder, streamAround } from '../fuzz/fuzz.ts';
import { deframe, EMPTY_DEFRAME_STATE } from './deframer.ts';
import { App7FrameError, checksum, decodeFrame } from './frame.ts';
import {
  acknowledgeSubMessage,
  linkControlVerifyRequest,
  negativeResponse,
  parseRequest,
  requestUploadRequest,
  startCommunicationRequest,
  startCommunicationResponse,
  startDiagnosticSessionRequest,
  stopCommunicationRequest,
  toIde,
  transferDataRequest,
  transferExitRequest,
} from './messages.ts';
import { app7PortCodec } from './port-codec.ts';
import { readTransferDataField, segmentMessage } from './sub-messages.ts';

/** Every frame of a session both ways, a message split into sub-messages among them. */
const FRAMES = [
  startCommunicationRequest(),
  startCommunicationResponse(),
  startDiagnosticSessionRequest(),
  linkControlVerifyRequest(115200),
  requestUploadRequest(),
  transferDataRequest({ trtp: 0x21 }),
  transferDataRequest({ trtp: 0x22, date: 1772496000 }),
  transferDataRequest({ trtp: 0x06, slot: 1 }),
  acknowledgeSubMessage(2),
  transferExitRequest(),
  stopCommunicationRequest(),
  negativeResponse(0x36, 0xfa),
  ...segmentMessage(0x21, Uint8Array.from({ length: 600 }, (_, i) => i & 0xff)).map(toIde),
];
/** DDP_002: the checksum is the last byte; a fixed-up mutant passes it and reaches the code behind. */
const fixChecksum = (b: Uint8Array) => {
  if (b.length < 2) return b;
  const out = Uint8Array.from(b);
  out[out.length - 1] = checksum(out, out.length - 1);
  return out;
};
const frames = bytesAround({ valid: FRAMES, fix: fixChecksum });

describe('App. 7 decoders under fuzzing: only their own error escapes', () => {
  it('decodeFrame returns a verdict for any bytes', () => {
    fuzzDecoder(frames, decodeFrame, null);
  });

  it('the trace codec describes a frame or throws App7FrameError', () => {
    fuzzDecoder(frames, (b) => app7PortCodec.describe(b), App7FrameError);
  });

  it("the VU's request parser and the IDE's transfer data reader take any data field", () => {
    const fields = bytesAround({ valid: FRAMES.map((f) => f.subarray(f[0] === 0x80 ? 4 : 3, -1)) }).filter((d) => d.length > 0);
    fuzzDecoder(fields, parseRequest, null);
    fuzzDecoder(fields, (d) => [readTransferDataField(d, false), readTransferDataField(d, true)], null);
  });

  it('the deframer loses no byte and never throws, however the stream is cut: every byte is in a frame, a discard or held', () => {
    fc.assert(
      fc.property(chunked(streamAround({ valid: FRAMES, fix: fixChecksum })), (chunks) => {
        let state = EMPTY_DEFRAME_STATE;
        const out: number[] = [];
        for (const chunk of chunks) {
          const r = deframe(state, chunk);
          state = r.state;
          for (const d of r.discarded) out.push(...d.bytes);
          for (const f of r.frames) out.push(...f);
        }
        const input = chunks.flatMap((c) => [...c]);
        // the result keeps discards and frames apart, so the bytes are compared as multisets
        expect(out.length + state.held.length).toBe(input.length);
        expect([...out, ...state.held].sort()).toEqual([...input].sort());
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
  });

  it("the trace codec's deframer, then describe, on a damaged stream", () => {
    fuzzDecoder(
      chunked(streamAround({ valid: FRAMES, fix: fixChecksum })),
      (chunks) => {
        const deframer = app7PortCodec.createDeframer();
        for (const c of chunks) {
          for (const f of deframer.push(c)) {
            try {
              app7PortCodec.describe(f);
            } catch (error) {
              if (!(error instanceof App7FrameError)) throw error;
            }
          }
        }
      },
      null,
      { runs: 300 },
    );
  });
});
