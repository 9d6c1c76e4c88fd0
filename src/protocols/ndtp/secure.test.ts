import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { NdtpError } from './ndtp-error.ts';
import { decodePacket, encodePacket } from './packet.ts';
import { PROFILES } from './profiles.ts';
import { authProof, decodeSecureAuth, encodeSecureAuth, isEncrypted, openFrame, proofMatches, sealFrame, sessionKeys } from './secure.ts';
import { SEED_EX2_HEX } from './seed-vectors.ts';

const p = PROFILES['seed-ex2'];
const key = fromHex('000102030405060708090a0b0c0d0e0f');
const nonce = fromHex('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
const seed = fromHex(SEED_EX2_HEX);
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    if (error instanceof NdtpError) return error.reason;
    throw error;
  }
  return 'none';
};

describe('the secure NDTP session (AES-128-GCM, HKDF-SHA256 session keys, HMAC-SHA256 key proof)', () => {
  it('seals a frame so that none of its data shows, and opens it back to the same frame', () => {
    const { up } = sessionKeys(key, 1024, nonce);
    const sealed = sealFrame(seed, up, 1, p);
    expect(isEncrypted(sealed)).toBe(true);
    expect(isEncrypted(seed)).toBe(false);
    // 4 bytes of counter and a 16-byte tag more; flags 0x0003 (CRC present, encrypted); the CRC is the ciphertext's
    expect(sealed.length).toBe(seed.length + 20);
    expect(toHex(sealed.subarray(0, 6))).toBe(toHex(Uint8Array.of(0x7e, 0x7e, seed.length - 15 + 20, 0, 0x03, 0x00)));
    // the frame is whole (its CRC fits): without the key only its content fails to read
    expect(['format', 'packet', 'nph-header', 'cell-order', 'cell-unknown', 'range']).toContain(reason(() => decodePacket(sealed, p)));
    // neither the NPH header (0100 6500 0100 99050000) nor the navigation cell's time and coordinates show
    const wire = toHex(sealed.subarray(15));
    for (const plain of ['01006500010099050000', '931B4E4F', 'F1459B1D', 'AF2FED22', 'F5676F3F']) expect(wire.toUpperCase()).not.toContain(plain);
    const { plain, counter } = openFrame(sealed, up, 0, p);
    expect(counter).toBe(1);
    expect(toHex(plain)).toBe(toHex(seed));
  });

  it('refuses to open a frame under another key, with a changed byte or header, or with a counter it had', () => {
    const { up, down } = sessionKeys(key, 1024, nonce);
    const sealed = sealFrame(seed, up, 7, p);
    expect(reason(() => openFrame(sealed, down, 0, p))).toBe('decrypt');
    expect(reason(() => openFrame(sealed, sessionKeys(key, 1024, nonce.map((b) => b ^ 1)).up, 0, p))).toBe('decrypt');
    const body = sealed.slice();
    body[40]! ^= 0x01;
    expect(reason(() => openFrame(body, up, 0, p))).toBe('decrypt');
    const header = sealed.slice();
    header[9] = 0x01; // another sender address: the header is additional data
    expect(reason(() => openFrame(header, up, 0, p))).toBe('decrypt');
    expect(reason(() => openFrame(sealed, up, 7, p))).toBe('decrypt'); // a replay
    expect(openFrame(sealed, up, 6, p).counter).toBe(7);
    expect(reason(() => openFrame(seed, up, 0, p))).toBe('decrypt');
  });

  it('derives a key per direction, another for another nonce or terminal, and a proof only the key makes', () => {
    const a = sessionKeys(key, 1024, nonce);
    expect(a.up).toHaveLength(16);
    expect(toHex(a.up)).not.toBe(toHex(a.down));
    expect(toHex(sessionKeys(key, 1025, nonce).up)).not.toBe(toHex(a.up));
    const proof = authProof(key, 1024, nonce);
    const text = encodeSecureAuth(nonce, proof);
    expect(text).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    const back = decodeSecureAuth(text)!;
    expect(toHex(back.nonce)).toBe(toHex(nonce));
    expect(proofMatches(key, 1024, back.nonce, back.proof)).toBe(true);
    expect(proofMatches(key.map((b) => b ^ 0xff), 1024, back.nonce, back.proof)).toBe(false);
    expect(proofMatches(key, 1025, back.nonce, back.proof)).toBe(false);
    expect(decodeSecureAuth('tanker-0001')).toBeUndefined();
    // HMAC-SHA256 of "NDTP-AUTH" ‖ 00040000 ‖ nonce, its first 16 bytes (computed here with node:crypto's HMAC
    // independently of secure.ts's byte assembly)
    const mac = createHmac('sha256', Buffer.from(key)).update(Buffer.concat([Buffer.from('NDTP-AUTH'), Buffer.from([0, 4, 0, 0]), Buffer.from(nonce)])).digest();
    expect(toHex(proof)).toBe(toHex(new Uint8Array(mac.subarray(0, 16))));
  });

  it('keeps the encoder honest: a sealed then opened packet decodes to what was encoded', () => {
    const packet = decodePacket(seed, p);
    const { up } = sessionKeys(key, 1024, nonce);
    const round = decodePacket(openFrame(sealFrame(encodePacket(packet, p), up, 1, p), up, 0, p).plain, p);
    expect(round).toEqual(packet);
  });
});
