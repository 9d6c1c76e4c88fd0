import { describe, expect, it } from 'vitest';
import { aesCbcEncrypt, concatBytes, encryptZeroIv, fromHex, pairingInfoKey, toHex, ZERO_IV, type AesKeyBits } from '../../crypto/index.ts';
import { INS, INSTRUCTIONS } from './instructions.ts';
import {
  openCounterReply,
  openCounterRequest,
  openFileReply,
  openFileRequest,
  openPairingInfoReply,
  openPairingInfoRequest,
  openPairingKey,
  openSessionKey,
  sealCounterReply,
  sealCounterRequest,
  sealFileReply,
  sealFileRequest,
  sealPairingInfoReply,
  sealPairingInfoRequest,
  sealSerialNumber,
  sealSessionKey,
} from './secure.ts';

const NS = fromHex('0000303907260710');
const key = (bits: AesKeyBits, fill: number) => new Uint8Array(bits / 8).fill(fill);
const INFO = fromHex('69a54380' + '000001c8f1250610' + '0000303907260710' + '02000000');

describe('sealed payloads: every instruction has its Table 6 length for each key length', () => {
  it.each([128, 192, 256] as const)('%i-bit keys', (bits) => {
    const km = key(bits, 1);
    const kp = key(bits, 2);
    const ks = key(bits, 3);
    const spec = (dir: 'request' | 'reply', ins: number, f?: 8 | 24) => INSTRUCTIONS[dir][ins]!.wire(bits, f);
    expect(sealSerialNumber(km, NS).length).toBe(spec('request', INS.PAIRING_KEY));
    expect(encryptZeroIv(km, kp).length).toBe(spec('reply', INS.PAIRING_KEY));
    expect(sealSessionKey(kp, ks).length).toBe(spec('request', INS.SESSION_KEY));
    expect(sealPairingInfoRequest(kp, NS, INFO).length).toBe(spec('request', INS.PAIRING_INFO));
    expect(sealPairingInfoReply(ks, INFO).length).toBe(spec('reply', INS.PAIRING_INFO_REPLY));
    expect(sealFileRequest(ks, new Uint8Array(7), 1).length).toBe(spec('request', INS.READ_FILE));
    expect(sealFileReply(ks, new Uint8Array(8), new Uint8Array(8)).length).toBe(spec('reply', INS.FILE, 8));
    expect(sealFileReply(ks, new Uint8Array(8), new Uint8Array(24)).length).toBe(spec('reply', INS.FILE, 24));
    expect(sealCounterRequest(ks, new Uint8Array(8)).length).toBe(spec('request', INS.COUNTER_REQUEST));
    expect(sealCounterReply(ks, 720000, new Uint8Array(8)).length).toBe(spec('reply', INS.COUNTER));
  });
});

describe('sealed payloads open at the other end, and refuse the wrong key or a tampered byte', () => {
  it.each([128, 192, 256] as const)('%i-bit keys', (bits) => {
    const km = key(bits, 1);
    const kp = key(bits, 2);
    const ks = key(bits, 3);
    const other = key(bits, 4);
    expect(openPairingKey(km, encryptZeroIv(km, kp), bits)).toEqual({ ok: true, value: kp });
    expect(openSessionKey(kp, sealSessionKey(kp, ks))).toEqual({ ok: true, value: ks });
    expect(openPairingInfoRequest(kp, NS, sealPairingInfoRequest(kp, NS, INFO))).toEqual({ ok: true, value: INFO });
    expect(openPairingInfoReply(ks, sealPairingInfoReply(ks, INFO))).toEqual({ ok: true, value: INFO });
    expect(openPairingInfoReply(other, sealPairingInfoReply(ks, INFO)).ok).toBe(false);
    const challenge = fromHex('0102030405060708');
    expect(openCounterRequest(ks, sealCounterRequest(ks, challenge))).toEqual({ ok: true, value: challenge });
    expect(openCounterReply(ks, sealCounterReply(ks, 720000, challenge), challenge)).toEqual({ ok: true, value: 720000 });
    const tampered = sealCounterReply(ks, 720000, challenge);
    tampered[3]! ^= 0x01;
    expect(openCounterReply(ks, tampered, challenge).ok).toBe(false);
  });
});

describe('instruction 11 (CSM_221)', () => {
  it('is E(KS, padded block) followed by the file chained from the padded block as IV', () => {
    const ks = fromHex('000102030405060708090a0b0c0d0e0f');
    const auth = fromHex('a1a2a3a4a5a6a701');
    const file = fromHex('0000303907260710');
    const iv = fromHex('a1a2a3a4a5a6a701' + '8000000000000000');
    const expected = concatBytes(aesCbcEncrypt(ks, ZERO_IV, iv), aesCbcEncrypt(ks, iv, fromHex('0000303907260710' + '8000000000000000')));
    const sealed = sealFileReply(ks, auth, file);
    expect(toHex(sealed)).toBe(toHex(expected));
    expect(openFileReply(ks, sealed, auth, 8)).toEqual({ ok: true, value: file });
    expect(openFileReply(ks, sealed, fromHex('a1a2a3a4a5a6a702'), 8)).toEqual({ ok: false, reason: 'authentication block does not match the request' });
    expect(openFileReply(ks, sealed, auth, 24)).toEqual({ ok: false, reason: 'a 24-byte file comes in 48 bytes, got 32' });
  });

  it('the file request carries 7 bytes of authentication data and the file number', () => {
    const ks = key(128, 9);
    const sealed = sealFileRequest(ks, fromHex('01020304050607'), 3);
    expect(openFileRequest(ks, sealed)).toEqual({ ok: true, value: { authBlock: fromHex('0102030405060703'), file: 3 } });
  });

  it("the pairing information request is under K'p, not KP", () => {
    const kp = key(128, 2);
    const sealed = sealPairingInfoRequest(kp, NS, INFO);
    expect(toHex(sealed)).toBe(toHex(encryptZeroIv(pairingInfoKey(kp, NS), INFO)));
    expect(openPairingInfoReply(kp, sealed).ok).toBe(false);
  });
});
