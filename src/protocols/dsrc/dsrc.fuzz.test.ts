import { describe, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { bytesAround, chunked, fuzzDecoder, streamAround } from '../fuzz/fuzz.ts';
import { crc16CcittFalse } from '../seal/crc16.ts';
import { DsrcDecodeError } from './dsrc-error.ts';
import { EXAMPLE_MASTER_KEY_V1, EXAMPLE_PAYLOAD_OER, EXAMPLE_RTM_DATA } from './rtm-example.ts';
import { parseRtmData, processDsrcMessage } from './rtm-data.ts';
import { CONTAINER_RTM_DATA, decodeTApdu, encodeTApdu, rtmContextMark } from './t-apdu.ts';
import { decodeTachographPayload } from './tachograph-payload.ts';
import { decodeVuLinkFrame, deframeVuLink, encodeVuLinkFrame, VU_LINK_MAX_LEN } from './vu-link.ts';
import { BROADCAST_LID, decodeAirFrame, deframeAir, dsrcAirCodec, encodeAirFrame } from './air-frame.ts';

const APDUS = [
  encodeTApdu({ type: 'bst', beaconManufacturerId: 42, beaconIndividualId: 0x123456, time: 0x69689e80, profile: 0, mandAids: [2] }),
  encodeTApdu({ type: 'vst', profile: 0, applications: [{ aid: 2, eid: 1, parameter: rtmContextMark() }], equipmentClass: 1, manufacturerId: 42 }),
  encodeTApdu({ type: 'getRequest', eid: 1, attributeIds: [1] }),
  encodeTApdu({ type: 'getResponse', eid: 1, attributes: [{ attributeId: 1, container: CONTAINER_RTM_DATA, value: fromHex(EXAMPLE_RTM_DATA) }] }),
  encodeTApdu({ type: 'release', eid: 0 }),
  encodeTApdu({ type: 'echoRequest', eid: 0, data: new Uint8Array(100).fill(0xa5) }),
];
const LINK_FRAMES = [
  encodeVuLinkFrame({ command: 'initRequest', linkId: 1 }),
  encodeVuLinkFrame({ command: 'sendData', linkId: 1, transactionId: 9, applicationId: 9, data: fromHex(EXAMPLE_RTM_DATA) }),
  encodeVuLinkFrame({ command: 'dataAck', linkId: 1, transactionId: 9, ack: 'ok' }),
];
const fixLinkFrame = (b: Uint8Array) => {
  if (b.length < 6) return b;
  const out = Uint8Array.from(b);
  out[1] = (out.length - 5) >> 8;
  out[2] = (out.length - 5) & 0xff;
  const crc = crc16CcittFalse(out.subarray(1, out.length - 2));
  out[out.length - 2] = crc >> 8;
  out[out.length - 1] = crc & 0xff;
  return out;
};

describe('DSRC decoders under fuzzing', () => {
  it('T-APDUs: decodeTApdu throws DsrcDecodeError at most', () => {
    fuzzDecoder(bytesAround({ valid: APDUS }), decodeTApdu, DsrcDecodeError, { runs: 600 });
  });

  it('payload, RTM data and PROCESS DSRC MESSAGE: a verdict or a DsrcDecodeError for any bytes', () => {
    fuzzDecoder(bytesAround({ valid: [fromHex(EXAMPLE_PAYLOAD_OER)] }), decodeTachographPayload, DsrcDecodeError, { runs: 300 });
    fuzzDecoder(bytesAround({ valid: [fromHex(EXAMPLE_RTM_DATA)] }), parseRtmData, DsrcDecodeError, { runs: 300 });
    const card = { masterKeys: [{ version: 1, key: EXAMPLE_MASTER_KEY_V1 }], validityBegin: 0, expiryDate: 0xffffffff };
    fuzzDecoder(bytesAround({ valid: [fromHex(EXAMPLE_RTM_DATA)] }), (b) => processDsrcMessage(b, card), null, { runs: 300 });
  });

  it('VU link: decodeVuLinkFrame throws DsrcDecodeError at most; the deframer never throws and holds at most one frame', () => {
    fuzzDecoder(bytesAround({ valid: LINK_FRAMES, fix: fixLinkFrame }), decodeVuLinkFrame, DsrcDecodeError, { runs: 600 });
    fuzzDecoder(
      chunked(streamAround({ valid: LINK_FRAMES, fix: fixLinkFrame })),
      (chunks) => {
        let held: number[] = [];
        for (const c of chunks) {
          const r = deframeVuLink(held, c);
          held = r.held;
          if (held.length > VU_LINK_MAX_LEN + 5) throw new Error(`held ${held.length} bytes`);
        }
      },
      null,
      { runs: 300 },
    );
  });

  it('air frames: decodeAirFrame and the codec throw DsrcDecodeError at most; the deframer never throws', () => {
    const frames = APDUS.map((a, i) => encodeAirFrame(i % 2 ? Uint8Array.of(0x12, 0x34, 0x56, 0x79) : BROADCAST_LID, i % 2 === 1, a));
    fuzzDecoder(bytesAround({ valid: frames }), decodeAirFrame, DsrcDecodeError, { runs: 600 });
    fuzzDecoder(bytesAround({ valid: frames }), dsrcAirCodec.describe, DsrcDecodeError, { runs: 200 });
    fuzzDecoder(
      chunked(streamAround({ valid: frames })),
      (chunks) => {
        let held: number[] = [];
        for (const c of chunks) held = deframeAir(held, c).held;
      },
      null,
      { runs: 300 },
    );
  });
});
