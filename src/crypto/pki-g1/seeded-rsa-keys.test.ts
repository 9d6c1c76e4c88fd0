import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededDrbg } from './hmac-drbg.ts';
import { deriveRsaKeyPair } from './rsa-keys.ts';
import { consistent, forgetKeptKeys, seededRsaKeyPair } from './seeded-rsa-keys.ts';

describe('the test PKI\'s RSA keys kept across processes', () => {
  let dir = '';
  const setting = process.env.TACHO_RIG_KEY_CACHE;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rsa-key-cache-'));
    process.env.TACHO_RIG_KEY_CACHE = dir;
    forgetKeptKeys();
  });
  afterEach(() => {
    if (setting === undefined) delete process.env.TACHO_RIG_KEY_CACHE;
    else process.env.TACHO_RIG_KEY_CACHE = setting;
    rmSync(dir, { recursive: true, force: true });
    forgetKeptKeys();
  });
  const onlyFile = () => join(dir, readdirSync(dir)[0]!);

  it('keeps the derived key, read back as it was derived', () => {
    const derived = deriveRsaKeyPair(seededDrbg(7, 'kept'));
    expect(seededRsaKeyPair(7, 'kept')).toEqual(derived);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(JSON.parse(readFileSync(onlyFile(), 'utf8'))).toEqual(derived);
    forgetKeptKeys();
    expect(seededRsaKeyPair(7, 'kept')).toEqual(derived);
  });

  it('reads a kept key pair (positive control), and derives again over one that is not a key pair', () => {
    const derived = seededRsaKeyPair(7, 'kept');
    const other = deriveRsaKeyPair(seededDrbg(8, 'other'));
    writeFileSync(onlyFile(), JSON.stringify(other));
    forgetKeptKeys();
    // what the directory holds is used: a consistent pair is taken as the kept key (so the read is real)
    expect(seededRsaKeyPair(7, 'kept')).toEqual(other);
    // one hex digit of the modulus changed: not a key pair, so derived again and the file rewritten
    const flipped = other.modulus.slice(0, -1) + (other.modulus.endsWith('0') ? '1' : '0');
    writeFileSync(onlyFile(), JSON.stringify({ ...other, modulus: flipped }));
    forgetKeptKeys();
    expect(seededRsaKeyPair(7, 'kept')).toEqual(derived);
    expect(JSON.parse(readFileSync(onlyFile(), 'utf8'))).toEqual(derived);
    writeFileSync(onlyFile(), '{"modulus": "cut sh');
    forgetKeptKeys();
    expect(seededRsaKeyPair(7, 'kept')).toEqual(derived);
  });

  it('off keeps nothing on disk', () => {
    process.env.TACHO_RIG_KEY_CACHE = 'off';
    expect(seededRsaKeyPair(7, 'kept')).toEqual(deriveRsaKeyPair(seededDrbg(7, 'kept')));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('consistent: each CRT part checked', () => {
    const key = deriveRsaKeyPair(seededDrbg(7, 'kept'));
    expect(consistent(key)).toBe(true);
    for (const field of ['privateExponent', 'p', 'dp', 'dq', 'qi'] as const) {
      const v = key[field];
      expect(consistent({ ...key, [field]: v.slice(0, -1) + (v.endsWith('2') ? '4' : '2') }), field).toBe(false);
    }
  });
});
