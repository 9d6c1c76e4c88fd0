import { describe, expect, it } from 'vitest';
import type { PortCodec } from '../harness/devices/device-kind.ts';
import { App7FrameError, checksum, negativeResponse, segmentMessage, startCommunicationRequest, toIde, transferDataRequest } from '../protocols/app7/index.ts';
import { DecodeError } from '../protocols/decode-error.ts';
import { bytesAround, chunked, fuzzDecoder, streamAround } from '../protocols/fuzz/fuzz.ts';
import { encodePulseFrames, INS, MotionSensorError, rigFraming } from '../protocols/motion-sensor/index.ts';
import { crc16CcittFalse, encodeFrame as encodeShortRange, FrameError } from '../protocols/seal/index.ts';
import { encodeBlock, lrc, T1Error } from '../protocols/t1/index.ts';
import { encodeKeypadAnswer, encodeKeypadRequest, encodeLcusStatus, encodeLcusSwitch, encodeScpiLine, KeypadError, LcusError, lcusChecksum, ScpiError } from '../protocols/bench/index.ts';
import { BROADCAST_LID, DsrcDecodeError, encodeAirFrame, encodeTApdu, encodeVuLinkFrame, fcs16, rtmContextMark } from '../protocols/dsrc/index.ts';
import { crc16Modbus, NdtpError } from '../protocols/ndtp/index.ts';
import { SEED_EX1_HEX, SEED_EX2_HEX } from '../protocols/ndtp/seed-vectors.ts';
import { fromHex } from '../crypto/bytes.ts';
import { encodeServiceFrame, encodeWriteVehicle, ServiceLinkError } from '../protocols/skzi-service-link/service-link.ts';
import { deviceKinds } from './index.ts';

/** A byte sum (App. 7, the motion sensor framing) as the last byte. */
const fixSum = (b: Uint8Array) => {
  if (b.length < 2) return b;
  const out = Uint8Array.from(b);
  out[out.length - 1] = checksum(out, out.length - 1);
  return out;
};

/**
 * Every codec a device port declares, with what it may throw and frames to start from. A port codec is the
 * trace's reading of bytes a device under test sent: its deframer must take any stream, and describe must
 * describe a frame or throw the codec's own DecodeError with a reason (the trace keeps the raw hex with it).
 */
const CODECS: Record<string, { error: abstract new (...args: never[]) => DecodeError; frames: Uint8Array[]; fix?: (b: Uint8Array) => Uint8Array }> = {
  'app7-download': {
    error: App7FrameError,
    frames: [startCommunicationRequest(), transferDataRequest({ trtp: 0x21 }), negativeResponse(0x36, 0xfa), ...segmentMessage(0x21, new Uint8Array(300).fill(7)).map(toIde)],
    fix: fixSum,
  },
  'motion-sensor-link': {
    error: MotionSensorError,
    frames: [rigFraming.encode({ direction: 'request', instruction: INS.COUNTER, payload: new Uint8Array(16) }), rigFraming.encode({ direction: 'reply', instruction: INS.NEGATIVE, payload: Uint8Array.of(0x70, 6) })],
    fix: fixSum,
  },
  'motion-sensor-pulses': { error: MotionSensorError, frames: [encodePulseFrames(1234), encodePulseFrames(0)] },
  t1: {
    error: T1Error,
    frames: [encodeBlock({ type: 'I', nad: 0, ns: 0, more: false, inf: Uint8Array.of(0, 0xb2, 1, 4, 0x55) }), encodeBlock({ type: 'R', nad: 0, nr: 1, error: 'none' }), encodeBlock({ type: 'S', nad: 0, kind: 'wtx', response: true, inf: Uint8Array.of(2) })],
    fix: (b) => (b.length < 2 ? b : Uint8Array.from([...b.subarray(0, -1), lrc(b.subarray(0, -1))])),
  },
  'lcus-relay-command': {
    error: LcusError,
    frames: [encodeLcusSwitch(1, true), encodeLcusSwitch(8, false), Uint8Array.of(0xff)],
    fix: (b) => (b.length === 4 ? Uint8Array.from([0xa0, b[1]!, b[2]!, lcusChecksum(0xa0, b[1]!, b[2]!)]) : b),
  },
  'lcus-relay-status': { error: LcusError, frames: [encodeLcusStatus([true]), encodeLcusStatus([false, true])] },
  'scpi-line': { error: ScpiError, frames: [encodeScpiLine('OUTP ON'), encodeScpiLine('-113,"Undefined header"'), encodeScpiLine('*IDN?')] },
  // issue 20: the СКЗИ service link (XOR of LEN..DATA as the last byte)
  'skzi-service-link': {
    error: ServiceLinkError,
    frames: [encodeServiceFrame(0x01), encodeWriteVehicle('XTA210990Y2765432', 'А123ВС77'), encodeServiceFrame(0x90, Uint8Array.of(0))],
    fix: (b) => (b.length < 3 ? b : Uint8Array.from([...b.subarray(0, -1), b.subarray(1, -1).reduce((x, y) => x ^ y, 0)])),
  },
  'keypad-line': {
    error: KeypadError,
    frames: [
      encodeKeypadRequest({ type: 'run', action: 'calibrate', args: { w: 8000, tyreSize: '315/80 R22.5', seals: [{ equipmentType: 6 }] } }),
      encodeKeypadRequest({ type: 'id' }),
      encodeKeypadAnswer({ type: 'ok' }),
      encodeKeypadAnswer({ type: 'err', reason: 'busy: running pairSensor' }),
    ],
  },
  'seal-short-range': {
    error: FrameError,
    frames: [encodeShortRange({ type: 'activate', src: 'READER-1', dst: 'RU-0001' }), encodeShortRange({ type: 'refused', src: 'RU-0001', dst: 'READER-1', reason: 'expired' })],
    fix: (b) => {
      if (b.length < 4) return b;
      const crc = crc16CcittFalse(b.subarray(1, -2));
      return Uint8Array.from([...b.subarray(0, -2), crc >> 8, crc & 0xff]);
    },
  },
  // Issue 16: the VU's cable to its DSRC-VU, and the 5.8 GHz link
  'dsrc-vu-link': {
    error: DsrcDecodeError,
    frames: [
      encodeVuLinkFrame({ command: 'initRequest', linkId: 1 }),
      encodeVuLinkFrame({ command: 'sendData', linkId: 1, transactionId: 7, applicationId: 9, data: new Uint8Array(95).fill(0x87) }),
      encodeVuLinkFrame({ command: 'dataAck', linkId: 1, transactionId: 7, ack: 'nok' }),
    ],
    fix: (b) => {
      if (b.length < 6) return b;
      const out = Uint8Array.from(b);
      out[1] = (out.length - 5) >> 8;
      out[2] = (out.length - 5) & 0xff;
      const crc = crc16CcittFalse(out.subarray(1, -2));
      out[out.length - 2] = crc >> 8;
      out[out.length - 1] = crc & 0xff;
      return out;
    },
  },
  'dsrc-air': {
    error: DsrcDecodeError,
    frames: [
      encodeAirFrame(BROADCAST_LID, false, encodeTApdu({ type: 'bst', beaconManufacturerId: 42, beaconIndividualId: 1, time: 0, profile: 0, mandAids: [2] })),
      encodeAirFrame(Uint8Array.of(0x12, 0x34, 0x56, 0x79), true, encodeTApdu({ type: 'vst', profile: 0, applications: [{ aid: 2, eid: 1, parameter: rtmContextMark() }], equipmentClass: 1, manufacturerId: 66 })),
      encodeAirFrame(Uint8Array.of(0x12, 0x34, 0x56, 0x79), true, encodeTApdu({ type: 'getResponse', eid: 1, attributes: [{ attributeId: 1, container: 10, value: new Uint8Array(95).fill(0x7e) }] })),
    ],
    // an FCS fixed up over the unescaped body reaches the T-APDU decoder (only for frames without escapes)
    fix: (b) => {
      if (b.length < 9 || b[0] !== 0x7e || b[b.length - 1] !== 0x7e || b.subarray(1, -1).some((x) => x === 0x7d || x === 0x7e)) return b;
      const body = b.subarray(1, -3);
      const fcs = fcs16(body);
      return Uint8Array.from([0x7e, ...body, fcs & 0xff, fcs >> 8, 0x7e]);
    },
  },
  // Issue 19: NDTP frames (seed 001's two packets); size and CRC made right again, in either byte order
  ndtp: {
    error: NdtpError,
    frames: [fromHex(SEED_EX1_HEX), fromHex(SEED_EX2_HEX)],
    fix: (b) => {
      if (b.length < 15) return b;
      const out = Uint8Array.from(b.subarray(0, 1024));
      out[2] = (out.length - 15) & 0xff;
      out[3] = (out.length - 15) >> 8;
      const crc = crc16Modbus(out.subarray(15));
      const msb = out.length % 2 === 0;
      out[6] = msb ? crc >> 8 : crc & 0xff;
      out[7] = msb ? crc & 0xff : crc >> 8;
      return out;
    },
  },
};

const codecs = new Map<string, PortCodec>();
for (const kind of deviceKinds) for (const port of Object.values(kind.ports)) if (port.codec) codecs.set(port.codec.name, port.codec);

describe('the trace codec of every device port under fuzzing', () => {
  it('every codec a port declares is fuzzed here', () => {
    expect([...codecs.keys()].sort()).toEqual(Object.keys(CODECS).sort());
  });

  for (const [name, { error, frames, fix }] of Object.entries(CODECS)) {
    it(`${name}: the deframer takes any stream; describe throws ${error.name} at most`, () => {
      const codec = codecs.get(name)!;
      fuzzDecoder(
        chunked(streamAround({ valid: frames, ...(fix ? { fix } : {}) })),
        (chunks) => {
          const deframer = codec.createDeframer();
          const described: unknown[] = [];
          for (const c of chunks) {
            for (const frame of deframer.push(c)) {
              try {
                described.push(codec.describe(frame));
              } catch (e) {
                if (!(e instanceof error)) throw e;
              }
            }
          }
          return described;
        },
        null,
        { runs: 300 },
      );
      fuzzDecoder(bytesAround({ valid: frames, ...(fix ? { fix } : {}) }), (b) => codec.describe(b), error, { runs: 300 });
    });
  }
});
