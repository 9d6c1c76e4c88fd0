import { describe, expect, it } from 'vitest';
import { responseMac, statusMac } from './activation-auth.ts';
import { crc16CcittFalse } from './crc16.ts';
import { ShortRangeDeframer, decodeFrame, encodeFrame, statusBodyBytes, type ShortRangeFrame } from './short-range-frame.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const nonce = Uint8Array.from({ length: 16 }, (_, i) => 16 + i);
const ok = { gnss: 'ok', lock: 'ok', housing: 'ok', memory: 'ok', modem: 'ok', battery: 'ok' } as const;

describe('CRC-16/CCITT-FALSE', () => {
  it('gives the catalogue check value for "123456789"', () => {
    expect(crc16CcittFalse(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });
});

describe('short-range frames', () => {
  it('encodes ACTIVATE byte for byte (CRC computed independently)', () => {
    // A5 | LEN 07 | TYPE 01 | 02 "R1" | 02 "S1" | CRC DD15
    expect(encodeFrame({ type: 'activate', src: 'R1', dst: 'S1' })).toEqual(hex('A5 07 01 02 5231 02 5331 DD15'));
    expect(decodeFrame(hex('A5 07 01 02 5231 02 5331 DD15'))).toEqual({ type: 'activate', src: 'R1', dst: 'S1' });
  });

  it('round-trips every frame type', () => {
    const frames: ShortRangeFrame[] = [
      { type: 'activate', src: 'KZ-R1', dst: 'RU-0001' },
      { type: 'challenge', src: 'RU-0001', dst: 'KZ-R1', nonce },
      { type: 'response', src: 'KZ-R1', dst: 'RU-0001', nonce, mac: nonce.map((b) => b ^ 0xff) },
      { type: 'status', src: 'RU-0001', dst: 'KZ-R1', custody: 'violated', batteryPercent: 87.3, diagnostics: { ...ok, gnss: 'fault', battery: 'fault' }, framesRefused: 2, mac: nonce },
      { type: 'refused', src: 'RU-0001', dst: '', reason: 'badMac' },
    ];
    for (const f of frames) expect(decodeFrame(encodeFrame(f))).toEqual(f);
  });

  it('lays out STATUS: custody, battery in 0.1 % big-endian, diagnostic bits, refused count', () => {
    expect(statusBodyBytes({ custody: 'tracking', batteryPercent: 87.3, diagnostics: { ...ok, gnss: 'fault', modem: 'fault' }, framesRefused: 1 })).toEqual(
      hex('01 0369 11 01'),
    );
  });

  it('refuses a bad checksum with both values, and other damage with its reason', () => {
    const good = encodeFrame({ type: 'activate', src: 'R1', dst: 'S1' });
    const bad = good.slice();
    bad[bad.length - 1] ^= 0x01;
    expect(() => decodeFrame(bad)).toThrow('checksum mismatch: frame says 0xDD14, computed 0xDD15');
    expect(() => decodeFrame(good.subarray(0, 8))).toThrow('shorter than the minimum 9');
    const wrongType = hex('A5 07 09 02 5231 02 5331 0000');
    const crc = crc16CcittFalse(wrongType.subarray(1, 9));
    wrongType[9] = crc >> 8;
    wrongType[10] = crc & 0xff;
    expect(() => decodeFrame(wrongType)).toThrow('unknown frame type 0x09');
  });

  it('deframes across chunks, skips noise, and hands a corrupted frame on for the decoder to refuse', () => {
    const a = encodeFrame({ type: 'activate', src: 'R1', dst: 'S1' });
    const b = encodeFrame({ type: 'challenge', src: 'S1', dst: 'R1', nonce });
    const corrupted = a.slice();
    corrupted[4] ^= 0x20; // 'R' → 'r': the checksum no longer fits
    const stream = Uint8Array.from([0x00, 0x13, ...a, 0x42, ...corrupted, ...b]);
    const d = new ShortRangeDeframer();
    const frames = [...d.push(stream.subarray(0, 5)), ...d.push(stream.subarray(5, 20)), ...d.push(stream.subarray(20))];
    expect(frames).toEqual([a, corrupted, b]);
    expect(() => decodeFrame(frames[1]!)).toThrow(/checksum mismatch/);
  });
});

describe('activation MACs', () => {
  it('matches HMAC-SHA256 truncated to 16 bytes, as computed by an independent implementation', () => {
    // python3: hmac.new(bytes(range(32)), b"SEAL-ACT-RSP\0S1\0R1\0" + bytes(range(16,32)), sha256).hexdigest()[:32]
    expect(Buffer.from(responseMac(key, 'S1', 'R1', nonce)).toString('hex')).toBe('56606cf3d89ad1479b0c4d9f0d64074c');
  });

  it('binds the response to seal, reader and nonce, and the status to the nonce', () => {
    const base = responseMac(key, 'S1', 'R1', nonce);
    expect(responseMac(key, 'S1', 'R2', nonce)).not.toEqual(base);
    expect(responseMac(key, 'S2', 'R1', nonce)).not.toEqual(base);
    expect(responseMac(key, 'S1', 'R1', nonce.map((b) => b ^ 1))).not.toEqual(base);
    const body = hex('01 0369 00 00');
    expect(statusMac(key, nonce, body)).not.toEqual(statusMac(key, nonce.map((b) => b ^ 1), body));
  });
});
