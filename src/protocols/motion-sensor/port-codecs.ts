import type { Deframer, PortCodec } from '../port-codec.ts';
import { toHex } from '../../crypto/index.ts';
import { rigFraming, type MotionSensorFraming } from './framing.ts';
import { instructionName, INS, NEGATIVE_REASON_TEXT } from './instructions.ts';
import { MotionSensorError } from './payloads.ts';
import { decodePulseFrame, deframePulses } from './pulse-frame.ts';

/** The trace's view of the secured link: each frame named, its payload as hex (encrypted payloads stay opaque). */
export function motionSensorLinkCodec(framing: MotionSensorFraming = rigFraming): PortCodec {
  return {
    name: framing.name,
    createDeframer(): Deframer {
      let held: number[] = [];
      return {
        push(bytes) {
          const r = framing.deframe(held, bytes);
          held = r.held;
          return r.chunks;
        },
      };
    },
    describe(chunk) {
      const r = framing.decode(chunk);
      if (!r.ok) throw new MotionSensorError(`${r.error.code}: ${r.error.message}`);
      const { direction, instruction, payload } = r.frame;
      const described: Record<string, unknown> = { direction, instruction: instruction.toString(16).padStart(2, '0'), name: instructionName(direction, instruction), payload: toHex(payload) };
      if (direction === 'reply' && instruction === INS.NEGATIVE) {
        described.refused = payload[0]!.toString(16).padStart(2, '0');
        described.reason = NEGATIVE_REASON_TEXT[payload[1]!] ?? `reason ${payload[1]}`;
      }
      return described;
    },
  };
}

export const pulseCodec: PortCodec = {
  name: 'motion-sensor-pulses',
  createDeframer(): Deframer {
    let held: number[] = [];
    return {
      push(bytes) {
        const r = deframePulses(held, bytes);
        held = r.held;
        return r.chunks;
      },
    };
  },
  describe(chunk) {
    const r = decodePulseFrame(chunk);
    if (!r.ok) throw new MotionSensorError(r.reason);
    if (r.cut !== undefined) return { noSignalFrom: new Date(r.cut).toISOString() };
    return r.rate ? { at: new Date(r.rate.at).toISOString(), position: r.rate.position, pulsesPerSecond: r.rate.pulsesPerSecond } : { pulses: r.count };
  },
};
