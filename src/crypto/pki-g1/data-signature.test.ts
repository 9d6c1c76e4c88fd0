import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../bytes.ts';
import { signDataG1, signDigestG1, verifyDataG1 } from './data-signature.ts';
import { seededDrbg } from './hmac-drbg.ts';
import { bigintOf, deriveRsaKeyPair, publicKeyOf, rsaPrivateOperation } from './rsa-keys.ts';
import { modPow } from './rsa-test-helpers.ts';

const key = deriveRsaKeyPair(seededDrbg(1, 'card'));
const data = new TextEncoder().encode('EF Identification');

describe('gen1 data signature (CSM_034, CSM_035)', () => {
  // the block CSM_034 spells out: '00' ‖ '01' ‖ PS ‖ '00' ‖ DigestInfo(SHA-1), 128 bytes
  const block = concatBytes(
    fromHex('0001'),
    new Uint8Array(128 - 3 - 35).fill(0xff),
    fromHex('00'),
    fromHex('30 21 30 09 06 05 2B 0E 03 02 1A 05 00 04 14'),
    new Uint8Array(createHash('sha1').update(data).digest()),
  );

  it("is the raw private operation on CSM_034's block (node:crypto sign and raw RSA agree)", () => {
    const signature = signDataG1(key, data);
    expect(signature.length).toBe(128);
    expect(toHex(signature)).toBe(toHex(rsaPrivateOperation(key, block)));
    expect(modPow(bigintOf(signature), 65537n, BigInt(`0x${key.modulus}`))).toBe(bigintOf(block));
    expect(toHex(signDataG1(key, data))).toBe(toHex(signature));
  });

  it('verifies with the public key; not other data, another key, a changed or short signature', () => {
    const signature = signDataG1(key, data);
    expect(verifyDataG1(publicKeyOf(key), data, signature)).toBe(true);
    expect(verifyDataG1(publicKeyOf(key), data.subarray(1), signature)).toBe(false);
    expect(verifyDataG1(publicKeyOf(deriveRsaKeyPair(seededDrbg(2, 'card'))), data, signature)).toBe(false);
    const changed = signature.slice();
    changed[64]! ^= 0x80;
    expect(verifyDataG1(publicKeyOf(key), data, changed)).toBe(false);
    expect(verifyDataG1(publicKeyOf(key), data, signature.subarray(1))).toBe(false);
  });

  it('signs a SHA-1 hash computed before as it signs the data (the card signs the hash PERFORM HASH OF FILE kept)', () => {
    const hash = new Uint8Array(createHash('sha1').update(data).digest());
    expect(toHex(signDigestG1(key, hash))).toBe(toHex(signDataG1(key, data)));
    expect(() => signDigestG1(key, hash.subarray(1))).toThrow('a SHA-1 hash is 20 bytes, got 19');
  });
});
