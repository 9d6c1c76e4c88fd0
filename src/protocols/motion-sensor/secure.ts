import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  bytesEqual,
  concatBytes,
  decryptZeroIv,
  encryptZeroIv,
  padMethod2,
  pairingInfoKey,
  unpadToLength,
  ZERO_IV,
  type AesKeyBits,
} from '../../crypto/index.ts';

/**
 * The encrypted payloads of App. 11 Table 6, sealed by one end and opened by the other. Every opening
 * returns an error value, never throws: a wrong key, a tampered byte or a replayed answer is a reason.
 *
 * Encryption (CSM_220, CSM_221): AES-CBC, m = 1, IV '00'{16}, ISO 9797-1 padding method 2 when the
 * plaintext is not whole blocks; instruction 0x11 chains its file from the padded authentication block.
 */
export type Opened<T> = { ok: true; value: T } | { ok: false; reason: string };

const AUTH_BLOCK = 8;

/** 0x41 request, CSM_217 step 4: the VU encrypts the serial number it received with KID. */
export function sealSerialNumber(kid: Uint8Array, ns: Uint8Array): Uint8Array {
  return encryptZeroIv(kid, ns);
}

/** 0x41 reply, CSM_217 step 6: the VU decrypts the pairing key with KM; KP has the master key's length (CSM_100). */
export function openPairingKey(km: Uint8Array, payload: Uint8Array, keyBits: AesKeyBits): Opened<Uint8Array> {
  return opened(decryptZeroIv(km, payload, keyBits / 8), 'pairing key');
}

/** 0x42 request, CSM_217 step 6: E(KP, KS); KS has the length of KM-VU (CSM_112), which is KP's. */
export function sealSessionKey(kp: Uint8Array, ks: Uint8Array): Uint8Array {
  return encryptZeroIv(kp, ks);
}

export function openSessionKey(kp: Uint8Array, payload: Uint8Array): Opened<Uint8Array> {
  return opened(decryptZeroIv(kp, payload, kp.length), 'session key');
}

/** 0x43 request, CSM_217 step 7 with CSM_219: the pairing information under K'p = KP xor (Ns‖Ns…). */
export function sealPairingInfoRequest(kp: Uint8Array, ns: Uint8Array, info: Uint8Array): Uint8Array {
  return encryptZeroIv(pairingInfoKey(kp, ns), info);
}

export function openPairingInfoRequest(kp: Uint8Array, ns: Uint8Array, payload: Uint8Array): Opened<Uint8Array> {
  return opened(decryptZeroIv(pairingInfoKey(kp, ns), payload, 24), 'pairing information');
}

/** 0x50 reply, CSM_217 step 8: the sensor returns the pairing information under KS. */
export function sealPairingInfoReply(ks: Uint8Array, info: Uint8Array): Uint8Array {
  return encryptZeroIv(ks, info);
}

export function openPairingInfoReply(ks: Uint8Array, payload: Uint8Array): Opened<Uint8Array> {
  return opened(decryptZeroIv(ks, payload, 24), 'pairing information');
}

/** 0x10 request: 7 bytes of fresh authentication data ‖ file number, under KS. */
export function sealFileRequest(ks: Uint8Array, authData: Uint8Array, file: number): Uint8Array {
  if (authData.length !== AUTH_BLOCK - 1) throw new RangeError(`instruction 0x10 carries 7 bytes of authentication data, got ${authData.length}`);
  return encryptZeroIv(ks, concatBytes(authData, Uint8Array.of(file)));
}

/** The sensor's view of 0x10: the 8-byte authentication block (which 0x11 echoes) and the file asked for. */
export function openFileRequest(ks: Uint8Array, payload: Uint8Array): Opened<{ authBlock: Uint8Array; file: number }> {
  const r = opened(decryptZeroIv(ks, payload, AUTH_BLOCK), 'authentication data');
  return r.ok ? { ok: true, value: { authBlock: r.value, file: r.value[AUTH_BLOCK - 1]! } } : r;
}

/**
 * 0x11 reply, CSM_221 and its note: the padded 8-byte authentication block is encrypted as the first block
 * and is the IV of the CBC encryption of the (padded) file that follows.
 */
export function sealFileReply(ks: Uint8Array, authBlock: Uint8Array, data: Uint8Array): Uint8Array {
  const iv = padMethod2(authBlock);
  if (iv.length !== 16) throw new RangeError(`the authentication block is 8 bytes, got ${authBlock.length}`);
  return concatBytes(aesCbcEncrypt(ks, ZERO_IV, iv), encryptWithIv(ks, iv, data));
}

export function openFileReply(ks: Uint8Array, payload: Uint8Array, authBlock: Uint8Array, fileLength: number): Opened<Uint8Array> {
  const fileBlocks = fileLength % 16 === 0 ? fileLength : (Math.floor(fileLength / 16) + 1) * 16;
  if (payload.length !== 16 + fileBlocks) return { ok: false, reason: `a ${fileLength}-byte file comes in ${16 + fileBlocks} bytes, got ${payload.length}` };
  const iv = padMethod2(authBlock);
  const first = aesCbcDecrypt(ks, ZERO_IV, payload.subarray(0, 16));
  if (!bytesEqual(first, iv)) return { ok: false, reason: 'authentication block does not match the request' };
  return opened(unpadToLength(aesCbcDecrypt(ks, iv, payload.subarray(16)), fileLength), 'file contents');
}

/** 0x70 request: 8 bytes of fresh authentication data (the VU's challenge), under KS. */
export function sealCounterRequest(ks: Uint8Array, challenge: Uint8Array): Uint8Array {
  if (challenge.length !== AUTH_BLOCK) throw new RangeError(`instruction 0x70 carries 8 bytes of authentication data, got ${challenge.length}`);
  return encryptZeroIv(ks, challenge);
}

export function openCounterRequest(ks: Uint8Array, payload: Uint8Array): Opened<Uint8Array> {
  return opened(decryptZeroIv(ks, payload, AUTH_BLOCK), 'authentication data');
}

/**
 * 0x80 reply: counter value (4 bytes, MSB first, modulo 2^32) ‖ the first 4 bytes of the VU's challenge,
 * under KS. The echo binds the counter to this request, so an old answer replayed does not pass.
 */
export function sealCounterReply(ks: Uint8Array, counter: number, challenge: Uint8Array): Uint8Array {
  const plain = new Uint8Array(8);
  new DataView(plain.buffer).setUint32(0, counter >>> 0);
  plain.set(challenge.subarray(0, 4), 4);
  return encryptZeroIv(ks, plain);
}

export function openCounterReply(ks: Uint8Array, payload: Uint8Array, challenge: Uint8Array): Opened<number> {
  const r = opened(decryptZeroIv(ks, payload, 8), 'counter value');
  if (!r.ok) return r;
  if (!bytesEqual(r.value.subarray(4, 8), challenge.subarray(0, 4))) return { ok: false, reason: 'authentication data does not echo the challenge' };
  return { ok: true, value: new DataView(r.value.buffer, r.value.byteOffset, 8).getUint32(0) };
}

function encryptWithIv(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const padded = data.length % 16 === 0 ? data : padMethod2(data);
  return aesCbcEncrypt(key, iv, padded);
}

function opened(r: { ok: true; data: Uint8Array } | { ok: false; reason: string }, what: string): Opened<Uint8Array> {
  return r.ok ? { ok: true, value: r.data } : { ok: false, reason: `${what}: ${r.reason}` };
}
