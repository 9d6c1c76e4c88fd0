import { describe, expect, it } from 'vitest';
import { createRng } from '../random.ts';
import { fromHex, toHex } from '../bytes.ts';
import { aesCmac } from '../cmac.ts';
import { deriveKeyPair } from '../pki/ec-keys.ts';
import { authenticationToken, compressedPoint, deriveSessionKeys, ecdhSecret, encodeDo, incrementSsc, parseDos, startSession, unwrapCommand, unwrapResponse, wrapCommand, wrapResponse } from './index.ts';

const keys = { kEnc: fromHex('101112131415161718191a1b1c1d1e1f'), kMac: fromHex('000102030405060708090a0b0c0d0e0f') };
const x = (b: Uint8Array) => toHex(b).toUpperCase();
// Expected MACs were computed outside this code with `openssl mac -cipher AES-128-CBC CMAC` over SSC ‖ padded datagram.

describe('secure messaging, authentication only (App. 11 §10.5)', () => {
  it("carries an odd INS's BER-TLV data in DO 'B3' (CSM_188, App. 2 TCS_67, TCS_55) both ways; the card refuses it in '81' ('6987')", () => {
    const data = fromHex('540280A6' + '530101');
    const w = wrapCommand(startSession(keys), { cla: 0, ins: 0xd7, p1: 0, p2: 0, data });
    expect(x(w.command.data).slice(0, 18)).toBe('B307540280A6530101');
    const u = unwrapCommand(startSession(keys), w.command);
    expect(u.ok && x(u.command.data)).toBe('540280A6530101');
    // the same data as an even INS's: '81'; under an odd INS the card refuses it
    const even = wrapCommand(startSession(keys), { cla: 0, ins: 0xd6, p1: 0, p2: 0, data });
    expect(x(even.command.data).slice(0, 4)).toBe('8107');
    expect(unwrapCommand(startSession(keys), { ...even.command, ins: 0xd7 })).toMatchObject({ ok: false, sw: 0x6987 });
    // the answer to a READ BINARY 'B1' in 'B3', read back by the VU
    const r = wrapResponse(startSession(keys), { data: fromHex('5302ABCD'), sw: 0x9000 }, 0xb1);
    expect(x(r.response.data).slice(0, 12)).toBe('B3045302ABCD');
    const back = unwrapResponse(startSession(keys), r.response);
    expect(back.ok && x(back.response.data)).toBe('5302ABCD');
  });

  it('protects a case 2 command: DO 97 with Le, MAC over SSC 1 ‖ padded header ‖ padded DOs, Le 00', () => {
    const s = startSession(keys);
    const w = wrapCommand(s, { cla: 0, ins: 0xb2, p1: 1, p2: 4, data: new Uint8Array(0), le: 0x55 });
    expect(w.session.ssc).toBe('00'.repeat(15) + '01');
    expect([w.command.cla, w.command.ins, w.command.p1, w.command.p2, w.command.le]).toEqual([0x0c, 0xb2, 1, 4, 256]);
    expect(x(w.command.data)).toBe('970155' + '8E08' + '87C2C411FA2D7B3E');
  });

  it('protects a response: DO 81 data, DO 99 status, MAC over SSC 2, the same SW outside', () => {
    const s = { ...startSession(keys), ssc: incrementSsc('00'.repeat(16)) };
    const w = wrapResponse(s, { data: fromHex('414243'), sw: 0x9000 });
    expect(x(w.response.data)).toBe('8103414243' + '99029000' + '8E08' + 'F043B912A43BD308');
    expect(w.response.sw).toBe(0x9000);
    expect(w.session.pairs).toBe(1);
  });

  it('round-trips a case 3 command and a case 1/3 response between two ends', () => {
    let vu = { ...startSession(keys), ssc: '00'.repeat(15) + '02' };
    let egf = vu;
    const c = wrapCommand(vu, { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('2F2F') });
    vu = c.session;
    expect(x(c.command.data)).toBe('81022F2F' + '8E08' + '77672BC58950C95D');
    const u = unwrapCommand(egf, c.command);
    if (!u.ok) throw new Error(u.reason);
    egf = u.session;
    expect(u.command).toEqual({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('2F2F') });
    const r = wrapResponse(egf, { data: new Uint8Array(0), sw: 0x9000 });
    expect(x(r.response.data)).toBe('99029000' + '8E08' + 'FB70F4A8B4421FCA');
    const back = unwrapResponse(vu, r.response);
    expect(back.ok && back.response).toEqual({ data: new Uint8Array(0), sw: 0x9000 });
    expect(back.ok && back.session.ssc).toBe('00'.repeat(15) + '04');
  });

  it("refuses a wrong MAC with '6988', a missing MAC or an unknown DO with '6987' (CSM_194)", () => {
    const s = startSession(keys);
    const c = wrapCommand(s, { cla: 0, ins: 0xb2, p1: 1, p2: 4, data: new Uint8Array(0), le: 0x55 }).command;
    const bad = { ...c, data: Uint8Array.from(c.data) };
    bad.data[bad.data.length - 1]! ^= 1;
    expect(unwrapCommand(s, bad)).toEqual({ ok: false, sw: 0x6988, reason: 'wrong MAC' });
    expect(unwrapCommand(s, { ...c, data: fromHex('970155') })).toEqual({ ok: false, sw: 0x6987, reason: "data object '8E' missing" });
    expect(unwrapCommand(s, { ...c, data: fromHex('870101' + '8E080000000000000000') })).toEqual({ ok: false, sw: 0x6987, reason: "unexpected data object '87'" });
    expect(unwrapCommand(s, { ...c, data: fromHex('8E0800000000000000009701 55') })).toMatchObject({ ok: false, sw: 0x6987 });
    // Replaying the command with a later SSC fails: the counter is in the MAC.
    expect(unwrapCommand({ ...s, ssc: incrementSsc(incrementSsc(s.ssc)) }, c)).toMatchObject({ ok: false, sw: 0x6988 });
  });

  it('the VU refuses a plain response, a tampered one and an SM error status (CSM_192)', () => {
    const s = { ...startSession(keys), ssc: '00'.repeat(15) + '01' };
    const r = wrapResponse(s, { data: fromHex('414243'), sw: 0x9000 }).response;
    expect(unwrapResponse(s, { data: new Uint8Array(0), sw: 0x6a82 })).toMatchObject({ ok: false, kind: 'plain' });
    expect(unwrapResponse(s, { data: new Uint8Array(0), sw: 0x6988 })).toMatchObject({ ok: false, kind: 'sm-error-status' });
    const t = { ...r, data: Uint8Array.from(r.data) };
    t.data[2]! ^= 0x20;
    expect(unwrapResponse(s, t)).toMatchObject({ ok: false, kind: 'mac' });
  });

  it('encodes DO lengths in minimal form (CSM_189) and rejects non-minimal ones', () => {
    expect(x(encodeDo(0x81, new Uint8Array(127))).slice(0, 4)).toBe('817F');
    expect(x(encodeDo(0x81, new Uint8Array(128))).slice(0, 6)).toBe('818180');
    expect(x(encodeDo(0x81, new Uint8Array(300))).slice(0, 8)).toBe('8182012C');
    expect(parseDos(fromHex('81 81 05 0102030405'))).toMatchObject({ ok: false });
    expect(parseDos(fromHex('81 03 0102'))).toMatchObject({ ok: false });
  });

  it('increments the 128-bit SSC with carry', () => {
    expect(incrementSsc('00'.repeat(14) + '00ff')).toBe('00'.repeat(14) + '0100');
    expect(incrementSsc('ff'.repeat(16))).toBe('00'.repeat(16));
  });
});

describe('key agreement (App. 11 §10.4)', () => {
  it('derives KENC and KMAC as SHA-256(K ‖ NPICC ‖ counter) truncated to 128 bits (CSM_179)', () => {
    const k = deriveSessionKeys(fromHex('0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20'), fromHex('A1A2A3A4A5A6A7A8'), 128);
    // sha256sum of the concatenations, computed outside this code.
    expect(toHex(k.kEnc)).toBe('4be716a23e9c45663b7caa7734722b7f');
    expect(toHex(k.kMac)).toBe('892f0306db1790468d2f9e1117723490');
  });

  it('both ends of ECDH on brainpoolP256r1 agree, and TPICC is the CMAC of the uncompressed point (CSM_176)', () => {
    const egf = deriveKeyPair(createRng(1, 'egf'));
    const eph = deriveKeyPair(createRng(1, 'eph'));
    const a = ecdhSecret(egf, fromHex(eph.publicPoint));
    const b = ecdhSecret(eph, fromHex(egf.publicPoint));
    expect(toHex(a)).toBe(toHex(b));
    expect(a.length).toBe(32);
    expect(toHex(compressedPoint(fromHex(eph.publicPoint)))).toBe(eph.publicPoint.slice(2, 66));
    const kMac = deriveSessionKeys(a, fromHex('0000000000000001'), 128).kMac;
    expect(toHex(authenticationToken(kMac, fromHex(eph.publicPoint)))).toBe(toHex(aesCmac(kMac, fromHex(eph.publicPoint)).slice(0, 8)));
  });
});
