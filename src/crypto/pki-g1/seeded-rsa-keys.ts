import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededDrbg } from './hmac-drbg.ts';
import { deriveRsaKeyPair, MODULUS_BYTES, type RsaKeyPair } from './rsa-keys.ts';

/**
 * The test PKI's gen1 RSA keys, derived from a seed and a stream (deriveRsaKeyPair: a prime search, about 0.1 s a
 * key), kept once derived: in the process, and in a file per key under the OS's temporary directory, so the
 * next process (a `rig` command, a `--jobs` worker, a test file) reads what the last one derived instead of
 * searching for the same primes again. The derivation is deterministic, so a kept key is the derived key; a file
 * that does not hold a consistent key pair (cut short, edited) is derived again and rewritten.
 * `TACHO_RIG_KEY_CACHE=off` keeps nothing on disk; another value names the directory.
 */
const FORMAT = 'tacho-rig/rsa-key/1';
const kept = new Map<string, RsaKeyPair>();

function cacheDir(): string | null {
  const setting = process.env.TACHO_RIG_KEY_CACHE;
  if (setting === 'off') return null;
  return setting || join(tmpdir(), 'tacho-rig-key-cache');
}

export function seededRsaKeyPair(seed: number, stream: string): RsaKeyPair {
  const id = `${seed}\u0000${stream}`;
  const known = kept.get(id);
  if (known) return known;
  const dir = cacheDir();
  const file = dir && join(dir, `${createHash('sha256').update(`${FORMAT}\u0000${id}`).digest('hex')}.json`);
  let key = file ? readKept(file) : null;
  if (!key) {
    key = deriveRsaKeyPair(seededDrbg(seed, stream));
    if (dir && file) keep(dir, file, key);
  }
  kept.set(id, key);
  return key;
}

/** Tests: forget the keys this process holds, so the next call reads the directory (or derives). */
export function forgetKeptKeys(): void {
  kept.clear();
}

function readKept(file: string): RsaKeyPair | null {
  try {
    const key = JSON.parse(readFileSync(file, 'utf8')) as RsaKeyPair;
    return consistent(key) ? key : null;
  } catch {
    return null;
  }
}

/** n = p·q, e·d ≡ 1 (mod p-1 and q-1), the CRT parts d mod p-1, d mod q-1 and q⁻¹ mod p: what a key pair is. */
export function consistent(key: RsaKeyPair): boolean {
  const fields = [key.modulus, key.publicExponent, key.privateExponent, key.p, key.q, key.dp, key.dq, key.qi];
  if (!fields.every((f) => typeof f === 'string' && /^[0-9A-Fa-f]+$/.test(f))) return false;
  if (key.modulus.length !== MODULUS_BYTES * 2) return false;
  const [n, e, d, p, q, dp, dq, qi] = fields.map((f) => BigInt(`0x${f}`)) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  return p * q === n && (e * d) % (p - 1n) === 1n && (e * d) % (q - 1n) === 1n && d % (p - 1n) === dp && d % (q - 1n) === dq && (q * qi) % p === 1n;
}

function keep(dir: string, file: string, key: RsaKeyPair): void {
  try {
    mkdirSync(dir, { recursive: true });
    // atomic: a reader sees the whole file or none (processes derive side by side)
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, JSON.stringify(key));
    renameSync(part, file);
  } catch {
    // a directory we cannot write is no error: the key is derived again next time
  }
}
