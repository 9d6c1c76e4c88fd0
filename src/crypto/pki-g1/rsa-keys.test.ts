import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes.ts';
import { seededDrbg } from './hmac-drbg.ts';
import { bigintOf, bytesOf, deriveRsaKeyPair, rsaPrivateKeyObject, rsaPrivateOperation, rsaPublicOperation } from './rsa-keys.ts';
import { modPow } from './rsa-test-helpers.ts';

const key = deriveRsaKeyPair(seededDrbg(7027, 'eur'));
const big = (hex: string) => BigInt(`0x${hex}`);

describe('deterministic RSA keys (CSM_003, CSM_014)', () => {
  it('are the same on every machine: golden SHA-256 of the modulus for seed 7027, stream "eur"', () => {
    expect(createHash('sha256').update(fromHex(key.modulus)).digest('hex')).toBe('1b25bcc00fd520992ff5c961340fdfb0537e1d01c7a22bff48eaa1dbe4d688e9');
    expect(key.modulus.slice(0, 16)).toBe('eb42349aa800995b');
    expect(toHex(fromHex(deriveRsaKeyPair(seededDrbg(7027, 'eur')).privateExponent))).toBe(key.privateExponent);
  });

  it('a 1024-bit n = p·q, e = 65537 in 8 bytes, e·d ≡ 1 mod lcm(p-1, q-1), CRT parameters consistent', () => {
    const [n, e, d, p, q] = [key.modulus, key.publicExponent, key.privateExponent, key.p, key.q].map(big) as [bigint, bigint, bigint, bigint, bigint];
    expect([fromHex(key.modulus).length, n.toString(2).length, key.publicExponent]).toEqual([128, 1024, '0000000000010001']);
    expect(p * q).toBe(n);
    const g = (a: bigint, b: bigint): bigint => (b === 0n ? a : g(b, a % b));
    const lambda = ((p - 1n) * (q - 1n)) / g(p - 1n, q - 1n);
    expect((e * d) % lambda).toBe(1n);
    expect([big(key.dp), big(key.dq), (big(key.qi) * q) % p]).toEqual([d % (p - 1n), d % (q - 1n), 1n]);
    expect(rsaPrivateKeyObject(key).asymmetricKeyDetails).toEqual({ modulusLength: 1024, publicExponent: 65537n });
  });

  it('other streams give other keys', () => {
    expect(deriveRsaKeyPair(seededDrbg(7027, 'ms')).modulus).not.toBe(key.modulus);
    expect(deriveRsaKeyPair(seededDrbg(7028, 'eur')).modulus).not.toBe(key.modulus);
  });

  it('the raw operations of node:crypto are m^d and s^e mod n', () => {
    const m = bytesOf(0x6a_0123_4567_89abn << 960n, 128);
    const s = rsaPrivateOperation(key, m);
    expect(bigintOf(s)).toBe(modPow(bigintOf(m), big(key.privateExponent), big(key.modulus)));
    expect(toHex(rsaPublicOperation(key, s))).toBe(toHex(m));
    expect(bigintOf(rsaPublicOperation(key, s))).toBe(modPow(bigintOf(s), 65537n, big(key.modulus)));
    expect(() => rsaPublicOperation(key, new Uint8Array(128).fill(0xff))).toThrow();
    expect(() => rsaPrivateOperation(key, new Uint8Array(127))).toThrow('an RSA block is 128 bytes, not 127');
  });
});
