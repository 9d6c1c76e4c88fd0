import { describe, expect, it } from 'vitest';
import { oddInsOffset, oddInsResponse, performHashOfFile, psoComputeDigitalSignature, readBinaryOdd, verifyPin } from './card-commands.ts';
import { SW, command, decodeCommand, decodeResponse, encodeCommand, encodeResponse, readBinary, readRecord, selectByAid, selectByFid, swName, updateBinary, writeRecord } from './index.ts';
import { dynamicAuthenticationData, psoVerifyCertificateOf } from './security-commands.ts';
import { fromHex, toHex } from '../../crypto/bytes.ts';

const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/ /g, ''), 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');

describe('command APDU codec', () => {
  // Vectors: the App. 2 §3.5 command tables (SELECT by AID '00 A4 04 0C Lc AID', by FID '00 A4 02 0C 02 FID',
  // READ BINARY '00 B0 P1 P2 Le'), App. 12 GNS_24 / GNS_26b (READ RECORD 'B2 xx 04', WRITE RECORD 'D2 xx 04'),
  // and the length encodings of ISO/IEC 7816-4 §5.1 (table 1).
  it('codes the commands App. 12 sends', () => {
    expect(x(encodeCommand(selectByAid(h('FF445445474D'))))).toBe('00 A4 04 0C 06 FF 44 54 45 47 4D');
    expect(x(encodeCommand(selectByFid(0x3f00, 0x00)))).toBe('00 A4 00 0C 02 3F 00');
    expect(x(encodeCommand(selectByFid(0x2f2f)))).toBe('00 A4 02 0C 02 2F 2F');
    expect(x(encodeCommand(readRecord(0x01, 85, 0x0c)))).toBe('0C B2 01 04 55');
    expect(x(encodeCommand(writeRecord(0x02, h('0010'))))).toBe('00 D2 02 04 02 00 10');
    expect(x(encodeCommand(readBinary(0x0100, 256)))).toBe('00 B0 01 00 00');
    expect(x(encodeCommand(updateBinary(2, h('AABB'))))).toBe('00 D6 00 02 02 AA BB');
  });

  it('codes every case, short and extended', () => {
    expect(x(encodeCommand(command(0x00, 0x84, 0, 0)))).toBe('00 84 00 00');
    expect(x(encodeCommand(command(0x00, 0xb0, 0, 0, new Uint8Array(0), 257)))).toBe('00 B0 00 00 00 01 01');
    expect(x(encodeCommand(command(0x00, 0xb0, 0, 0, new Uint8Array(0), 65536)))).toBe('00 B0 00 00 00 00 00');
    const big = new Uint8Array(256).fill(0xaa);
    const e3 = encodeCommand(command(0x00, 0xd6, 0, 0, big));
    expect(x(e3.subarray(0, 8))).toBe('00 D6 00 00 00 01 00 AA');
    expect(e3.length).toBe(7 + 256);
    const e4 = encodeCommand(command(0x00, 0x2a, 0x9e, 0x9a, big, 300));
    expect(x(e4.subarray(e4.length - 2))).toBe('01 2C');
    expect(e4.length).toBe(9 + 256);
    expect(x(encodeCommand({ cla: 0, ins: 0x84, p1: 0, p2: 0, data: new Uint8Array(0), le: 8, extended: true }))).toBe('00 84 00 00 00 00 08');
  });

  it('decodes each case back, with Ne 256 and 65536 for Le 00', () => {
    expect(decodeCommand(h('0084000008'))).toEqual({ ok: true, case: '2S', apdu: { cla: 0, ins: 0x84, p1: 0, p2: 0, data: new Uint8Array(0), le: 8, extended: false } });
    expect(decodeCommand(h('00B0000000'))).toMatchObject({ case: '2S', apdu: { le: 256 } });
    expect(decodeCommand(h('00A4040C06FF445445474D'))).toMatchObject({ case: '3S', apdu: { data: h('FF445445474D') } });
    expect(decodeCommand(h('00A4040006FF445445474D00'))).toMatchObject({ case: '4S', apdu: { le: 256 } });
    expect(decodeCommand(h('00B00000000000'))).toMatchObject({ case: '2E', apdu: { le: 65536 } });
    expect(decodeCommand(h('00D60000000002AABB'))).toMatchObject({ case: '3E', apdu: { data: h('AABB'), extended: true } });
    expect(decodeCommand(h('00D60000000002AABB0100'))).toMatchObject({ case: '4E', apdu: { le: 256 } });
    expect(decodeCommand(h('00840000'))).toMatchObject({ case: '1' });
    const all = [h('0084000008'), h('00A4040C06FF445445474D'), h('00D60000000002AABB0100'), h('00B0000000FFFF')];
    for (const b of all) {
      const d = decodeCommand(b);
      expect(d.ok && encodeCommand(d.apdu)).toEqual(b);
    }
  });

  it('refuses malformed commands with the reason', () => {
    expect(decodeCommand(h('00A4'))).toEqual({ ok: false, reason: 'a command APDU has at least 4 bytes, got 2' });
    expect(decodeCommand(h('00A4040C06FF44'))).toEqual({ ok: false, reason: 'Lc 6 does not match a body of 3 bytes' });
    expect(decodeCommand(h('00D6000000000011'))).toEqual({ ok: false, reason: 'extended Lc is 0000' });
    expect(() => encodeCommand(command(0x100, 0, 0, 0))).toThrow('CLA must be a byte, got 256');
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(0), le: 257, extended: false })).toThrow('Ne must be 1..256, got 257');
  });
});

describe('response APDU codec', () => {
  it('codes data and status word', () => {
    expect(x(encodeResponse({ data: h('0102'), sw: SW.OK }))).toBe('01 02 90 00');
    expect(decodeResponse(h('6690'))).toEqual({ data: new Uint8Array(0), sw: 0x6690 });
    expect(decodeResponse(h('FFFF9000'))).toEqual({ data: h('FFFF'), sw: 0x9000 });
    expect(() => decodeResponse(h('90'))).toThrow('at least SW1-SW2');
    expect([swName(0x6a83), swName(0x6690), swName(0x6110), swName(0x1234)]).toEqual(['RECORD_NOT_FOUND', 'TAMPERED', 'MORE_DATA', 'UNKNOWN']);
  });
});

describe('the card commands of App. 2 §3.5', () => {
  it('codes VERIFY, odd-INS READ BINARY, PERFORM HASH OF FILE and PSO: COMPUTE DIGITAL SIGNATURE', () => {
    // TCS_72: ASCII PIN padded with 'FF' to 8 bytes
    expect(x(encodeCommand(verifyPin('1234')))).toBe('00 20 00 00 08 31 32 33 34 FF FF FF FF');
    // TCS_52: the offset in DO '54'
    expect(x(encodeCommand(readBinaryOdd(0x8000, 0xff)))).toBe('00 B1 00 00 04 54 02 80 00 FF');
    expect(x(encodeCommand(readBinaryOdd(0x012345, 0x10)))).toBe('00 B1 00 00 05 54 03 01 23 45 10');
    // TCS_124, §3.5.14
    expect(x(encodeCommand(performHashOfFile()))).toBe('80 2A 90 00');
    expect(x(encodeCommand(psoComputeDigitalSignature()))).toBe('00 2A 9E 9A 00');
    expect(() => verifyPin('12a4')).toThrow('a workshop card PIN is 4 to 8 digits');
  });

  it('reads the DO 54 offset back and wraps odd-INS data in DO 53', () => {
    expect(oddInsOffset(h('54028000'))).toBe(0x8000);
    expect(oddInsOffset(h('5403012345'))).toBe(0x012345);
    expect(oddInsOffset(h('53028000'))).toBeNull();
    expect(oddInsOffset(h('540380'))).toBeNull();
    expect(x(oddInsResponse(h('AABB')))).toBe('53 02 AA BB');
  });
});

describe('the security commands of App. 2 §3.5.7-3.5.12', () => {
  it("PSO: VERIFY CERTIFICATE of a whole certificate carries its body and signature, without the outer '7F21'", () => {
    const der = fromHex('7F210A' + '7F4E02AABB5F3702CCDD');
    expect(toHex(encodeCommand(psoVerifyCertificateOf(der)))).toBe('002a00be0a7f4e02aabb5f3702ccdd');
  });

  it("reads GENERAL AUTHENTICATE's answer: '7C' { '81' 8-byte nonce, '82' token } exactly, nothing else", () => {
    const answer = fromHex('7C0E' + '8108' + '0102030405060708' + '8202' + 'EEFF');
    const fields = dynamicAuthenticationData(answer);
    expect(fields && [toHex(fields.nonce), toHex(fields.token)]).toEqual(['0102030405060708', 'eeff']);
    expect(dynamicAuthenticationData(fromHex('7C0E8108010203040506070882 02EEFF00'.replace(/ /g, '')))).toBeNull(); // a byte after it
    expect(dynamicAuthenticationData(fromHex('7C0D81070102030405060782 02EEFF'.replace(/ /g, '')))).toBeNull(); // a 7-byte nonce
    expect(dynamicAuthenticationData(fromHex('7D0E81080102030405060708 8202EEFF'.replace(/ /g, '')))).toBeNull(); // not '7C'
    expect(dynamicAuthenticationData(fromHex('7C04 8102 0102'.replace(/ /g, '')))).toBeNull(); // no token
  });
});
