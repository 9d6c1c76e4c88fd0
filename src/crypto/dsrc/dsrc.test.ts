import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes.ts';
import { TestPki } from '../pki/test-pki.ts';
import { decryptRtmPayload, deriveVuDsrcKeys, dsrcMacLength, encryptRtmPayload, rtmIv, rtmMac } from './index.ts';

/**
 * Expected values from OpenSSL 3, independently of this code: `openssl kdf -keylen 2L -kdfopt digest:SHA<n>
 * -kdfopt hexkey:<KM> -kdfopt salt: -kdfopt hexinfo:<id> HKDF` (and test/fixtures/dsrc-rtm-vector.sh).
 */
const KM_V1 = '62f7f4205085ceeb8b1b55968deded15';
const VU_SERIAL = '0000000101260640'; // ExtendedSerialNumber 1, 01/26, type 06 (VU), manufacturer 40
const CERT_REQUEST_ID = '0000002a0126ff40'; // CertificateRequestID: crIdentifier 'FF' in the last-but-one octet

describe('DSRC keys (CSM_119-127)', () => {
  it('the test PKI holds a seeded AES-128 DSRC master key per version (CS#1, 256-bit curves)', () => {
    const pki = new TestPki();
    expect(pki.dsrcMasterKey(1)).toEqual({ version: 1, key: KM_V1 });
    expect(pki.dsrcMasterKey(2).key).toBe('1b5e14ebbfa229d2c5da83fb69bfa7f8');
    expect(() => pki.dsrcMasterKey(256)).toThrow(RangeError);
  });

  it('CSM_124: K_VUDSRC_ENC and K_VUDSRC_MAC from the VU serial number, equal to OpenSSL HKDF-SHA256', () => {
    const keys = deriveVuDsrcKeys(fromHex(KM_V1), fromHex(VU_SERIAL));
    expect(toHex(keys.enc)).toBe('63c689a39159c8219085494b520acae9');
    expect(toHex(keys.mac)).toBe('685b326a94d35a1b57beb5985204927f');
    // the MSCA's answer (CSM_125/126) is the same derivation, with the version the VU keeps
    expect(new TestPki().vuDsrcKeys(fromHex(VU_SERIAL), 1)).toEqual({ version: 1, enc: '63c689a39159c8219085494b520acae9', mac: '685b326a94d35a1b57beb5985204927f' });
  });

  it('CSM_123/124 (Reg. 2018/502): a certificate request ID derives keys the same way, and different ones', () => {
    const keys = deriveVuDsrcKeys(fromHex(KM_V1), fromHex(CERT_REQUEST_ID));
    expect(toHex(keys.enc)).toBe('9f78607dc8eb0228d0380cdfb7ee301f');
    expect(toHex(keys.mac)).toBe('d9bfd4af236709b8143666bfac08fe3b');
  });

  it('CSM_50: a 192-bit master key uses SHA-384 and a 256-bit one SHA-512, each split in halves', () => {
    const k24 = deriveVuDsrcKeys(fromHex('000102030405060708090a0b0c0d0e0f1011121314151617'), fromHex(VU_SERIAL));
    expect(toHex(k24.enc) + toHex(k24.mac)).toBe('f47609fd51f7363c2e58586c50f3965a045fc59ccc4e6897adfbe086ff5e9b48c9bcb1b5fe5bec88da98791458d42224');
    const k32 = deriveVuDsrcKeys(fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'), fromHex(VU_SERIAL));
    expect(toHex(k32.enc)).toBe('3b67e27ba64d2374153b63e8660a0092e17e2eb9375d5903c42f7e6f31edd549');
    expect(toHex(k32.mac)).toBe('eca81d732b327a978d2d422b2bf52f81e744ddc633189d8838620538987d18ee');
    expect([dsrcMacLength(16), dsrcMacLength(24), dsrcMacLength(32)]).toEqual([8, 12, 16]);
  });

  it('refuses an identifier that is not 8 octets and a master key of another length', () => {
    expect(() => deriveVuDsrcKeys(fromHex(KM_V1), fromHex('00000001012606'))).toThrow(RangeError);
    expect(() => deriveVuDsrcKeys(new Uint8Array(20), fromHex(VU_SERIAL))).toThrow(RangeError);
  });
});

describe('RTM payload protection (CSM_225-227)', () => {
  const keys = deriveVuDsrcKeys(fromHex(KM_V1), fromHex(VU_SERIAL));

  it('CSM_226: IV = TimeReal || 9 x 00 || 3-byte counter', () => {
    expect(toHex(rtmIv(0x69689e80, 5))).toBe('69689e80000000000000000000000005');
    expect(toHex(rtmIv(1, 0xabcdef))).toBe('00000001000000000000000000abcdef');
    expect(() => rtmIv(0, 0x1000000)).toThrow(RangeError);
  });

  it('CSM_226: padding method 2 always adds 80, even to a whole block, and the card strips it', () => {
    const block = new Uint8Array(16).fill(0x11);
    const enc = encryptRtmPayload(keys.enc, 100, 0, block);
    expect(enc.length).toBe(32);
    expect(decryptRtmPayload(keys.enc, 100, 0, enc)).toEqual({ ok: true, data: block });
    // the IV is part of the key stream: another counter decrypts the first block to garbage and breaks the tail
    const wrong = decryptRtmPayload(keys.enc, 100, 1, enc);
    expect(wrong.ok && toHex(wrong.data) === toHex(block)).toBe(false);
  });

  it('CSM_227: the CMAC is truncated to its leftmost 8 octets for an AES-128 key', () => {
    // RFC 4493 example 2 key and message: CMAC 070a16b46b4d4144f79bdd9dd04a287c
    const mac = rtmMac(fromHex('2b7e151628aed2a6abf7158809cf4f3c'), fromHex('6bc1bee22e409f96e93d7e117393172a'));
    expect(toHex(mac)).toBe('070a16b46b4d4144');
  });
});
