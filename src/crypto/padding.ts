import { concatBytes } from './bytes.ts';

/**
 * ISO/IEC 9797-1 padding method 2: append one '80' byte, then '00' bytes up to a whole number of blocks.
 * The method always adds the '80', even to data already a whole number of blocks long.
 */
export function padMethod2(data: Uint8Array, blockSize = 16): Uint8Array {
  const total = (Math.floor(data.length / blockSize) + 1) * blockSize;
  const out = new Uint8Array(total);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/**
 * CSM_220 / CSM_109: padding method 2 is applied only "when necessary", i.e. when the plaintext is not
 * already a whole number of AES blocks (a 16- or 32-byte key is encrypted as is, a 24-byte one is padded).
 */
export function padToBlock(data: Uint8Array, blockSize = 16): Uint8Array {
  return data.length % blockSize === 0 ? concatBytes(data) : padMethod2(data, blockSize);
}

export type UnpadResult = { ok: true; data: Uint8Array } | { ok: false; reason: string };

/**
 * Reverses {@link padToBlock} for a plaintext whose length the receiver knows (every payload of the motion
 * sensor link has a fixed plaintext length per Table 6): checks the '80 00..' tail and cuts it off. A wrong
 * key or tampered ciphertext almost always breaks the tail, which is how the receiver notices.
 */
export function unpadToLength(padded: Uint8Array, length: number, blockSize = 16): UnpadResult {
  const expected = length % blockSize === 0 ? length : (Math.floor(length / blockSize) + 1) * blockSize;
  if (padded.length !== expected) return { ok: false, reason: `expected ${expected} bytes for ${length} plaintext bytes, got ${padded.length}` };
  if (padded.length === length) return { ok: true, data: padded.slice() };
  if (padded[length] !== 0x80) return { ok: false, reason: `padding: byte ${length} is ${hexByte(padded[length]!)}, not 80` };
  for (let i = length + 1; i < padded.length; i++) {
    if (padded[i] !== 0) return { ok: false, reason: `padding: byte ${i} is ${hexByte(padded[i]!)}, not 00` };
  }
  return { ok: true, data: padded.slice(0, length) };
}

/** Removes method-2 padding of unknown data length (the last '80' followed only by '00'). */
export function unpadMethod2(padded: Uint8Array, blockSize = 16): UnpadResult {
  if (padded.length === 0 || padded.length % blockSize !== 0) return { ok: false, reason: `padded data of ${padded.length} bytes is not whole ${blockSize}-byte blocks` };
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0) i--;
  if (i < 0 || padded[i] !== 0x80) return { ok: false, reason: 'padding: no 80 byte before the trailing zeros' };
  if (padded.length - i > blockSize) return { ok: false, reason: 'padding: longer than one block' };
  return { ok: true, data: padded.slice(0, i) };
}

function hexByte(b: number): string {
  return b.toString(16).padStart(2, '0');
}
