import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/index.ts';
import {
  acknowledgeSubMessage,
  linkControlResponse,
  linkControlTransitionRequest,
  linkControlVerifyRequest,
  negativeResponse,
  parseRequest,
  requestUploadRequest,
  requestUploadResponse,
  startCommunicationRequest,
  startCommunicationResponse,
  startDiagnosticSessionRequest,
  startDiagnosticSessionResponse,
  stopCommunicationRequest,
  stopCommunicationResponse,
  transferDataRequest,
  transferExitRequest,
  transferExitResponse,
} from './messages.ts';
import { checksum, decodeFrame } from './frame.ts';

const spaced = (b: Uint8Array) => toHex(b).toUpperCase().replace(/(..)(?!$)/g, '$1 ');

// Every fixed frame of the seed's App. 7 table (seed 003 L4245-4908), with the digest's corrected gen2
// checksums for the Transfer Data rows; the gen1 rows keep the seed's own values.
describe('App. 7 fixed frames, byte for byte', () => {
  const table: [string, Uint8Array, string][] = [
    ['Start Communication Request', startCommunicationRequest(), '81 EE F0 81 E0'],
    ['Positive Response Start Communication', startCommunicationResponse(), '80 F0 EE 03 C1 EA 8F 9B'],
    ['Start Diagnostic Session Request', startDiagnosticSessionRequest(), '80 EE F0 02 10 81 F1'],
    ['Positive Response Start Diagnostic', startDiagnosticSessionResponse(), '80 F0 EE 02 50 81 31'],
    ['Verify Baud Rate 9600', linkControlVerifyRequest(9600), '80 EE F0 04 87 01 01 01 EC'],
    ['Verify Baud Rate 19200', linkControlVerifyRequest(19200), '80 EE F0 04 87 01 01 02 ED'],
    ['Verify Baud Rate 38400', linkControlVerifyRequest(38400), '80 EE F0 04 87 01 01 03 EE'],
    ['Verify Baud Rate 57600', linkControlVerifyRequest(57600), '80 EE F0 04 87 01 01 04 EF'],
    ['Verify Baud Rate 115200', linkControlVerifyRequest(115200), '80 EE F0 04 87 01 01 05 F0'],
    ['Positive Response Verify Baud Rate', linkControlResponse(), '80 F0 EE 02 C7 01 28'],
    ['Transition Baud Rate (stage 2)', linkControlTransitionRequest(), '80 EE F0 03 87 02 03 ED'],
    ['Request Upload', requestUploadRequest(), '80 EE F0 0A 35 00 00 00 00 00 FF FF FF FF 99'],
    ['Positive Response Request Upload', requestUploadResponse(), '80 F0 EE 03 75 00 FF D5'],
    ['Overview gen1', transferDataRequest({ trtp: 0x01 }), '80 EE F0 02 36 01 97'],
    ['Events & Faults gen1', transferDataRequest({ trtp: 0x03 }), '80 EE F0 02 36 03 99'],
    ['Detailed Speed gen1', transferDataRequest({ trtp: 0x04 }), '80 EE F0 02 36 04 9A'],
    ['Technical Data gen1', transferDataRequest({ trtp: 0x05 }), '80 EE F0 02 36 05 9B'],
    ['Overview gen2', transferDataRequest({ trtp: 0x21 }), '80 EE F0 02 36 21 B7'],
    ['Events & Faults gen2', transferDataRequest({ trtp: 0x23 }), '80 EE F0 02 36 23 B9'],
    ['Detailed Speed gen2', transferDataRequest({ trtp: 0x24 }), '80 EE F0 02 36 24 BA'],
    ['Technical Data gen2', transferDataRequest({ trtp: 0x25 }), '80 EE F0 02 36 25 BB'],
    ['Card download, slot 1', transferDataRequest({ trtp: 0x06, slot: 1 }), '80 EE F0 03 36 06 01 9E'],
    ['Card download, slot 2', transferDataRequest({ trtp: 0x06, slot: 2 }), '80 EE F0 03 36 06 02 9F'],
    ['Card download, no slot', transferDataRequest({ trtp: 0x06 }), '80 EE F0 02 36 06 9C'],
    ['Request Transfer Exit', transferExitRequest(), '80 EE F0 01 37 96'],
    ['Positive Response Request Transfer Exit', transferExitResponse(), '80 F0 EE 01 77 D6'],
    ['Stop Communication Request', stopCommunicationRequest(), '80 EE F0 01 82 E1'],
    ['Positive Response Stop Communication', stopCommunicationResponse(), '80 F0 EE 01 C2 21'],
  ];
  for (const [name, frame, expected] of table) {
    it(name, () => {
      expect(spaced(frame)).toBe(expected);
      expect(decodeFrame(frame).ok).toBe(true);
    });
  }

  it('Activities: LEN 06, TimeReal date, CS = BC + date bytes (gen2) and 9C + date bytes (gen1)', () => {
    const date = Date.UTC(2026, 2, 2) / 1000;
    expect(date.toString(16)).toBe('69a4d300');
    // The digest's rule: CS = (BC + d1 + d2 + d3 + d4) mod 256 = (BC + 69 + A4 + D3 + 00) mod 256 = 9C.
    expect(spaced(transferDataRequest({ trtp: 0x22, date }))).toBe('80 EE F0 06 36 22 69 A4 D3 00 9C');
    expect(spaced(transferDataRequest({ trtp: 0x02, date }))).toBe('80 EE F0 06 36 02 69 A4 D3 00 7C');
  });

  it('negative responses to SID 36: the digest\'s checksums for every NRC', () => {
    const expected: [number, string][] = [
      [0x10, '26'], [0x11, '27'], [0x12, '28'], [0x13, '29'], [0x22, '38'], [0x31, '47'], [0x50, '66'], [0x78, '8E'], [0xfa, '10'],
    ];
    for (const [nrc, cs] of expected) expect(spaced(negativeResponse(0x36, nrc))).toBe(`80 F0 EE 03 7F 36 ${nrc.toString(16).toUpperCase().padStart(2, '0')} ${cs}`);
  });

  it('acknowledge sub message: 83 76 MsgC', () => {
    expect(spaced(acknowledgeSubMessage(2))).toBe('80 EE F0 04 83 76 00 02 5D');
    expect(spaced(acknowledgeSubMessage(0xffff))).toBe('80 EE F0 04 83 76 FF FF 59');
    expect(checksum(acknowledgeSubMessage(2), 8)).toBe(0x5d);
  });
});

describe('parseRequest (DDP_018, DDP_024)', () => {
  const data = (h: string) => {
    const r = decodeFrame(fromHex(h.replace(/ /g, '')));
    if (!r.ok) throw new Error(r.error.message);
    return r.frame.data;
  };
  it('reads each service', () => {
    expect(parseRequest(data('81 EE F0 81 E0'))).toEqual({ ok: true, request: { service: 'startCommunication' } });
    expect(parseRequest(data('80 EE F0 04 87 01 01 05 F0'))).toEqual({ ok: true, request: { service: 'linkControlVerify', baud: 115200 } });
    expect(parseRequest(data('80 EE F0 03 87 02 03 ED'))).toEqual({ ok: true, request: { service: 'linkControlTransition' } });
    expect(parseRequest(data('80 EE F0 06 36 22 69 A4 D3 00 9C'))).toEqual({ ok: true, request: { service: 'transferData', trtp: 0x22, date: 0x69a4d300 } });
    expect(parseRequest(data('80 EE F0 03 36 06 02 9F'))).toEqual({ ok: true, request: { service: 'transferData', trtp: 6, slot: 2 } });
    // DDP_011 gen2 v2: the download interface version (App. 7's table: 80 EE F0 02 36 00 96), the overview, a day
    expect(parseRequest(data('80 EE F0 02 36 00 96'))).toEqual({ ok: true, request: { service: 'transferData', trtp: 0x00 } });
    expect(parseRequest(data('80 EE F0 02 36 31 C7'))).toEqual({ ok: true, request: { service: 'transferData', trtp: 0x31 } });
    expect(parseRequest(data('80 EE F0 06 36 32 69 A4 D3 00 AC'))).toEqual({ ok: true, request: { service: 'transferData', trtp: 0x32, date: 0x69a4d300 } });
    expect(parseRequest(data('80 EE F0 04 83 76 00 02 5D'))).toEqual({ ok: true, request: { service: 'acknowledge', sid: 0x76, code: 2 } });
  });
  it('refuses content errors with the NRC of DDP_018', () => {
    expect(parseRequest(Uint8Array.of(0x31))).toEqual({ ok: false, sid: 0x31, nrc: 0x11 }); // unknown SID
    expect(parseRequest(Uint8Array.of(0x10, 0x85))).toEqual({ ok: false, sid: 0x10, nrc: 0x12 }); // other session
    expect(parseRequest(Uint8Array.of(0x36, 0x22))).toEqual({ ok: false, sid: 0x36, nrc: 0x13 }); // activities without date
    expect(parseRequest(Uint8Array.of(0x36, 0x21, 0x00))).toEqual({ ok: false, sid: 0x36, nrc: 0x13 });
    expect(parseRequest(Uint8Array.of(0x36, 0x06, 0x03))).toEqual({ ok: false, sid: 0x36, nrc: 0x31 }); // slot 3
    expect(parseRequest(Uint8Array.of(0x36, 0x11))).toEqual({ ok: false, sid: 0x36, nrc: 0x12 }); // manufacturer
    expect(parseRequest(Uint8Array.of(0x36, 0x1f))).toEqual({ ok: false, sid: 0x36, nrc: 0x12 }); // manufacturer (consolidated App. 7: 11..1F)
    expect(parseRequest(Uint8Array.of(0x36, 0x34))).toEqual({ ok: false, sid: 0x36, nrc: 0x12 }); // no gen2 v2 TRTP 34 (detailed speed is 24)
    expect(parseRequest(Uint8Array.of(0x36, 0x32))).toEqual({ ok: false, sid: 0x36, nrc: 0x13 }); // gen2 v2 activities without date
    expect(parseRequest(Uint8Array.of(0x36, 0x00, 0x00))).toEqual({ ok: false, sid: 0x36, nrc: 0x13 }); // TRTP 00 carries nothing
    expect(parseRequest(Uint8Array.of(0x87, 0x01, 0x01, 0x06))).toEqual({ ok: false, sid: 0x87, nrc: 0x31 }); // no such baud
    expect(parseRequest(Uint8Array.of(0x35, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xfe))).toEqual({ ok: false, sid: 0x35, nrc: 0x31 });
    expect(parseRequest(Uint8Array.of(0x83, 0x76, 0x00))).toEqual({ ok: false, sid: 0x83, nrc: 0x13 });
  });
});
