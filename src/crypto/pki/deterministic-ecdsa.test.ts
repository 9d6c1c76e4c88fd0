import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random.ts';
import { fromHex, toHex } from '../bytes.ts';
import { CURVE_PARAMETERS, multiplyBase, rfc6979Nonces, signDeterministic, signDigestDeterministic } from './deterministic-ecdsa.ts';
import { deriveKeyPair, keyPairFromPrivate, signPlain, verifyPlain, type CurveName } from './ec-keys.ts';
import { TestPki } from './test-pki.ts';

const text = (s: string) => new TextEncoder().encode(s);
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('RFC 6979 A.2.5: ECDSA, 256 bits (prime field), P-256 with SHA-256 (independent vectors)', () => {
  const x = fromHex('C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721');

  it('has the public key U of the appendix', () => {
    const U = multiplyBase('prime256v1', BigInt(`0x${toHex(x)}`));
    expect(U.x.toString(16)).toBe('60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6');
    expect(U.y.toString(16)).toBe('7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299');
  });

  it('signs "sample": k, r and s of the appendix', () => {
    const k = rfc6979Nonces('prime256v1', BigInt(`0x${toHex(x)}`), sha256(text('sample'))).next().value!;
    expect(k.toString(16)).toBe('a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60');
    expect(toHex(signDeterministic('prime256v1', x, text('sample')))).toBe(
      'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716' + 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
    );
  });

  it('signs "test": k, r and s of the appendix', () => {
    const k = rfc6979Nonces('prime256v1', BigInt(`0x${toHex(x)}`), sha256(text('test'))).next().value!;
    expect(k.toString(16)).toBe('d16b6ae827f17175e040871a1c7ec3500192c4c92677336ec2537acaee0008e0');
    expect(toHex(signDeterministic('prime256v1', x, text('test')))).toBe(
      'f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367' + '019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083',
    );
  });

  it('signs a hash computed before: "sample" of the appendix through its SHA-256', () => {
    expect(toHex(signDigestDeterministic('prime256v1', x, sha256(text('sample'))))).toBe(
      'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716' + 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
    );
  });
});

describe('deterministic ECDSA on the PKI curves', () => {
  it('computes the RFC 7027 A.1 brainpoolP256r1 public point (independent vector) as OpenSSL does', () => {
    const d = 0x81db1ee100150ff2ea338d708271be38300cb54241d79950f77b063039804f1dn;
    const U = multiplyBase('brainpoolP256r1', d);
    expect(U.x.toString(16)).toBe('44106e913f92bc02a1705d9953a8414db95e1aaa49e81d9e85f929a8e3100be5');
    expect(U.y.toString(16)).toBe('8ab4846f11caccb73ce49cbdd120f5a900a69fd32c272223f789ef10eb089bdc');
  });

  it('makes signatures node:crypto verifies, the same every time, different for other data', () => {
    for (const curve of ['brainpoolP256r1', 'prime256v1'] as CurveName[]) {
      const rng = createRng(11, `ecdsa/${curve}`);
      for (let i = 0; i < 12; i++) {
        const key = deriveKeyPair(rng, curve);
        const data = rng.bytes(1 + i * 37);
        const sig = signPlain(key, data);
        expect(sig.length).toBe(64);
        expect(verifyPlain(curve, fromHex(key.publicPoint), data, sig)).toBe(true);
        expect(toHex(signPlain(key, data))).toBe(toHex(sig));
        const other = data.slice();
        other[0] ^= 0x80;
        expect(verifyPlain(curve, fromHex(key.publicPoint), other, sig)).toBe(false);
        expect(toHex(signPlain(key, other))).not.toBe(toHex(sig));
      }
    }
  });

  it('refuses a private key outside [1, n-1]', () => {
    const n = CURVE_PARAMETERS.brainpoolP256r1.n.toString(16);
    expect(() => signDeterministic('brainpoolP256r1', fromHex(n), text('x'))).toThrow('private key is not in [1, n-1] of brainpoolP256r1');
    expect(() => signDeterministic('brainpoolP256r1', new Uint8Array(32), text('x'))).toThrow(/not in \[1, n-1\]/);
  });

  it('agrees with OpenSSL on the public point of every key it is given', () => {
    const key = keyPairFromPrivate('brainpoolP256r1', fromHex('0'.repeat(62) + '07'));
    const U = multiplyBase('brainpoolP256r1', 7n);
    expect(key.publicPoint).toBe('04' + U.x.toString(16).padStart(64, '0') + U.y.toString(16).padStart(64, '0'));
  });
});

describe('a seed gives byte-identical certificates and downloads', () => {
  const SERIAL = { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 };
  const digest = (hex: string) => toHex(sha256(fromHex(hex)));

  it('two independent hierarchies from one seed issue the same certificates', () => {
    const a = new TestPki({ seed: 31 });
    const b = new TestPki({ seed: 31 });
    expect(b.erca.certificate).toBe(a.erca.certificate);
    expect(b.msca.certificate).toBe(a.msca.certificate);
    expect(b.vu(SERIAL)).toEqual(a.vu(SERIAL));
    expect(new TestPki({ seed: 32 }).vu(SERIAL).vuSign.certificate).not.toBe(a.vu(SERIAL).vuSign.certificate);
  });
});
