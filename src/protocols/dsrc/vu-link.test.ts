import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import { crc16CcittFalse } from '../seal/crc16.ts';
import { DsrcDecodeError } from './dsrc-error.ts';
import { EXAMPLE_RTM_DATA } from './rtm-example.ts';
import { APPLICATION_RTM, decodeVuLinkFrame, deframeVuLink, dsrcVuLinkCodec, encodeVuLinkFrame, type VuLinkMessage } from './vu-link.ts';

const MESSAGES: VuLinkMessage[] = [
  { command: 'initRequest', linkId: 7 },
  { command: 'initResponse', linkId: 7, success: true },
  { command: 'sendData', linkId: 7, transactionId: 0x1234, applicationId: APPLICATION_RTM, data: fromHex(EXAMPLE_RTM_DATA) },
  { command: 'dataAck', linkId: 7, transactionId: 0x1234, ack: 'ok' },
  { command: 'dataAck', linkId: 7, transactionId: 0x1235, ack: 'nok' },
  { command: 'terminateRequest', linkId: 7 },
  { command: 'terminateResponse', linkId: 7 },
];

describe('VU <-> DSRC-VU link frame (DSC_68 a, DSC_72)', () => {
  it('frames an initialisation request: C5, LEN 0002, CMD 01, link 07, CRC-16/CCITT-FALSE of 00 02 01 07', () => {
    // CRC a976 computed with a separate Python implementation of the same CRC (poly 1021, init FFFF)
    expect(toHex(encodeVuLinkFrame({ command: 'initRequest', linkId: 7 }))).toBe('c500020107a976');
  });

  it('frames send data as link, transaction id, application id 9 (RTM), then the RTM data as is', () => {
    const frame = encodeVuLinkFrame(MESSAGES[2]!);
    expect(toHex(frame.subarray(0, 8))).toBe('c5' + '0064' + '03' + '07' + '1234' + '09'); // LEN = 1 + 4 + 95 = 100
    expect(toHex(frame.subarray(8, 8 + 95))).toBe(EXAMPLE_RTM_DATA);
    expect(toHex(encodeVuLinkFrame(MESSAGES[3]!)).slice(0, 16)).toBe('c5' + '0005' + '04' + '07' + '1234' + '01');
  });

  it('round-trips every command', () => {
    for (const m of MESSAGES) expect(decodeVuLinkFrame(encodeVuLinkFrame(m))).toEqual(m);
  });

  it('refuses a bad CRC, a wrong LEN, an unknown command and an RtmTransferAck other than 1 or 2', () => {
    const ok = encodeVuLinkFrame(MESSAGES[3]!);
    const flip = (i: number) => { const b = ok.slice(); b[i]! ^= 0x01; return b; };
    expect(() => decodeVuLinkFrame(flip(5))).toThrow(/CRC/);
    expect(() => decodeVuLinkFrame(ok.subarray(0, ok.length - 1))).toThrow(/LEN/);
    const badAck = ok.slice();
    badAck[7] = 3; // RtmTransferAck 3, CRC fixed up so only the value is wrong
    const crc = crc16CcittFalse(badAck.subarray(1, badAck.length - 2));
    badAck[badAck.length - 2] = crc >> 8;
    badAck[badAck.length - 1] = crc & 0xff;
    expect(() => decodeVuLinkFrame(badAck)).toThrow(/RtmTransferAck 3/);

    expect(() => decodeVuLinkFrame(fromHex('0102'))).toThrow(DsrcDecodeError);
  });
});

describe('VU link deframer (resynchronising)', () => {
  const frames = MESSAGES.map(encodeVuLinkFrame);

  it('cuts frames that arrive byte by byte', () => {
    let held: number[] = [];
    const out: string[] = [];
    for (const b of concatBytes(...frames)) {
      const r = deframeVuLink(held, Uint8Array.of(b));
      held = r.held;
      out.push(...r.chunks.map(toHex));
    }
    expect(out).toEqual(frames.map(toHex));
    expect(held).toEqual([]);
  });

  it('hands junk before a frame over as one chunk, then the frame', () => {
    const r = deframeVuLink([], concatBytes(fromHex('0011ff'), frames[0]!));
    expect(r.chunks.map(toHex)).toEqual(['0011ff', toHex(frames[0]!)]);
    expect(() => dsrcVuLinkCodec.describe(r.chunks[0]!)).toThrow(DsrcDecodeError);
  });

  it('finds the next frame after a garbled one (a bit flipped inside): the garbled octets come out as junk', () => {
    const garbled = frames[2]!.slice();
    garbled[40]! ^= 0x10;
    const r = deframeVuLink([], concatBytes(garbled, frames[3]!));
    expect(r.chunks.length).toBeGreaterThanOrEqual(2);
    expect(toHex(r.chunks.at(-1)!)).toBe(toHex(frames[3]!));
    expect(r.chunks.slice(0, -1).map(toHex).join('')).toBe(toHex(garbled));
    expect(r.held).toEqual([]);
  });

  it('a false SOF with an absurd LEN is skipped at once', () => {
    const r = deframeVuLink([], concatBytes(fromHex('c5ffff'), frames[5]!));
    expect(r.chunks.map(toHex)).toEqual(['c5ffff', toHex(frames[5]!)]);
  });

  it('holds a partial frame until the rest arrives', () => {
    const r1 = deframeVuLink([], frames[2]!.subarray(0, 50));
    expect(r1.chunks).toEqual([]);
    const r2 = deframeVuLink(r1.held, frames[2]!.subarray(50));
    expect(r2.chunks.map(toHex)).toEqual([toHex(frames[2]!)]);
  });
});
