/**
 * Byte helpers shared by the crypto and protocol code. Keys and blocks cross machine boundaries as hex
 * strings (XState context stays JSON-serialisable), so conversion lives here, in one place.
 */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses hex, ignoring spaces (so spec-style `'B6 44 2C ...'` can be pasted as is). Throws on odd or non-hex input. */
export function fromHex(hex: string): Uint8Array {
  const clean = /\s/.test(hex) ? hex.replace(/\s+/g, '') : hex;
  // Buffer stops at the first pair that is not hex: a shorter result is the refusal
  const bytes = clean.length % 2 === 0 ? Buffer.from(clean, 'hex') : undefined;
  if (!bytes || bytes.length * 2 !== clean.length) throw new Error(`not a hex string: '${hex}'`);
  return Uint8Array.from(bytes);
}

/**
 * Keys kept as hex in machine contexts, decoded once (issue 18: the sensor link decoded its session key on
 * every request and answer, every 10 s): the same hex gives the same bytes object, which callers share and so
 * must never modify. Bounded, oldest dropped first.
 */
const KEY_CACHE_SIZE = 64;
const hexKeys = new Map<string, Uint8Array>();

export function keyFromHex(hex: string): Uint8Array {
  const cached = hexKeys.get(hex);
  if (cached) return cached;
  const key = fromHex(hex);
  if (hexKeys.size >= KEY_CACHE_SIZE) hexKeys.delete(hexKeys.keys().next().value!);
  hexKeys.set(hex, key);
  return key;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new RangeError(`xor of ${a.length} and ${b.length} bytes`);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Constant-time comparison: a match of secret-derived data must not leak where it first differs. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
