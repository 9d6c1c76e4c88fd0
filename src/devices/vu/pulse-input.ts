import { decodePulseFrame, deframePulses } from '../../protocols/motion-sensor/pulse-frame.ts';
import type { PulseLineItem } from './motion/pulse-line.ts';
import type { PulseDecoder } from './vu-machine.ts';

/**
 * The VU's pulse input: the pulses of every well-formed count frame, and the rate frames and damaged frames
 * in order, and a no-signal frame (the line cut, as a far end outside the rig hears of it) taken as the cut
 * itself (motion/pulse-line.ts counts the signal). A garbled count frame's pulses are lost to the count, as
 * pulses lost on a real line; a garbled rate frame leaves the VU without a signal until the next one. The
 * authenticated counter check against the sensor (Annex IC 3.9, motion data error) is what notices either.
 */
export const decodePulseLine: PulseDecoder = (held, bytes) => {
  const { chunks, held: rest } = deframePulses(held, bytes);
  let pulses = 0;
  const line: PulseLineItem[] = [];
  for (const chunk of chunks) {
    const frame = decodePulseFrame(chunk);
    if (!frame.ok) line.push({ damaged: true });
    else if (frame.rate) line.push({ rate: frame.rate });
    else if (frame.cut !== undefined) line.push({ cut: frame.cut });
    else pulses += frame.count;
  }
  return { pulses, held: rest, line };
};
