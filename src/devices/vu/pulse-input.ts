import { decodePulseFrame, deframePulses } from '../../protocols/motion-sensor/pulse-frame.ts';
import type { PulseDecoder } from './vu-machine.ts';

/**
 * The VU's pulse input: counts the pulses of every well-formed frame on the pulse line. A garbled frame's
 * pulses are lost to the count, as pulses lost on a real line; the authenticated counter check against the
 * sensor (Annex IC 3.9, motion data error) is what notices it.
 */
export const decodePulseLine: PulseDecoder = (held, bytes) => {
  const { chunks, held: rest } = deframePulses(held, bytes);
  let pulses = 0;
  for (const chunk of chunks) {
    const frame = decodePulseFrame(chunk);
    if (frame.ok) pulses += frame.count;
  }
  return { pulses, held: rest };
};
