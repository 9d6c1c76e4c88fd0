import type { Deframer, PortCodec } from '../port-codec.ts';
import { toHex } from '../../crypto/index.ts';
import { deframe, EMPTY_DEFRAME_STATE, type DeframeState } from './deframer.ts';
import { ADDRESS, App7FrameError, decodeFrame, hex } from './frame.ts';
import { answerTooShort } from './messages.ts';
import { NRC_TEXT, SERVICE_NAMES, SID } from './services.ts';

/** The trace's view of the download link: each frame's direction, service, parameter and NRC. */
export const app7PortCodec: PortCodec = {
  name: 'app7-download',
  createDeframer(): Deframer {
    let state: DeframeState = EMPTY_DEFRAME_STATE;
    return {
      push(bytes) {
        const r = deframe(state, bytes);
        state = r.state;
        // The trace shows refused bytes too, so a garbled line is visible.
        return [...r.discarded.map((d) => d.bytes), ...r.frames];
      },
    };
  },
  /** Throws an App7FrameError (with the reason) for a frame that is not whole, or too short for its service. */
  describe(frame) {
    const r = decodeFrame(frame);
    if (!r.ok) throw new App7FrameError(`${r.error.code}: ${r.error.message}`);
    const { tgt, src, data } = r.frame;
    const sid = data[0]!;
    const direction = tgt === ADDRESS.VU && src === ADDRESS.IDE ? 'ide->vu' : tgt === ADDRESS.IDE && src === ADDRESS.VU ? 'vu->ide' : `${hex(src)}->${hex(tgt)}`;
    const described: Record<string, unknown> = { direction, sid: hex(sid), service: SERVICE_NAMES[sid] ?? 'unknown', length: data.length };
    // A frame whose checksum holds may still be too short for its service (81 85 BB 76 37: SID 76 alone).
    const short = answerTooShort(data);
    if (short) throw new App7FrameError(short);
    if (sid === SID.NEGATIVE_RESPONSE) {
      described.request = hex(data[1]!);
      described.nrc = hex(data[2]!);
      described.reason = NRC_TEXT[data[2]!] ?? 'unknown';
    } else if (sid === SID.TRANSFER_DATA || sid === SID.TRANSFER_DATA_OK) {
      described[sid === SID.TRANSFER_DATA ? 'trtp' : 'trep'] = hex(data[1]!);
      if (data.length > 2) described.data = toHex(data.subarray(2, Math.min(data.length, 34))) + (data.length > 34 ? '…' : '');
    } else if (data.length > 1) {
      described.data = toHex(data.subarray(1));
    }
    return described;
  },
};
