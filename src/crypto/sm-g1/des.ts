import { createCipheriv, createDecipheriv } from 'node:crypto';
import { concatBytes } from '../bytes.ts';

/**
 * Single DES block operations (FIPS 46-3), the building block of the gen1 retail MAC (App. 11 Part A CSM_028).
 * Node 20's OpenSSL 3 keeps single DES ('des-ecb') in the legacy provider only, so a block is enciphered with
 * two-key triple DES in EDE mode under (K, K, K): E(K, D(K, E(K, x))) = E(K, x).
 */
export const DES_BLOCK = 8;

function check(key: Uint8Array, block: Uint8Array): void {
  if (key.length !== 8) throw new RangeError(`a DES key is 8 bytes, not ${key.length}`);
  if (block.length !== DES_BLOCK) throw new RangeError(`a DES block is 8 bytes, not ${block.length}`);
}

export function desEncrypt(key: Uint8Array, block: Uint8Array): Uint8Array {
  check(key, block);
  const cipher = createCipheriv('des-ede-ecb', concatBytes(key, key), null).setAutoPadding(false);
  return new Uint8Array(cipher.update(block));
}

export function desDecrypt(key: Uint8Array, block: Uint8Array): Uint8Array {
  check(key, block);
  const decipher = createDecipheriv('des-ede-ecb', concatBytes(key, key), null).setAutoPadding(false);
  return new Uint8Array(decipher.update(block));
}
