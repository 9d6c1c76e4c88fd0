import { describe, expect, it } from 'vitest';
import { fromHex, toHex, xorBytes } from './bytes.ts';
import { CV_128, decryptZeroIv } from './motion-sensor-keys.ts';
import { TestMsca } from './test-msca.ts';

const NS = fromHex('00 00 30 39 07 26 07 10');

describe('TestMsca', () => {
  it('issues the same keys for the same seed, version and length, and others otherwise', () => {
    const a = new TestMsca(1).generation(2, 128);
    const b = new TestMsca(1).generation(2, 128);
    expect(a).toEqual(b);
    expect(toHex(new TestMsca(2).generation(2, 128).kmVu)).not.toBe(toHex(a.kmVu));
    expect(toHex(new TestMsca(1).generation(3, 128).kmVu)).not.toBe(toHex(a.kmVu));
    expect(a.km).toEqual(xorBytes(a.kmVu, a.kmWc));
    expect(a.kid).toEqual(xorBytes(a.km, CV_128));
    expect(new TestMsca(1).generation(1, 192).kmVu.length).toBe(24);
    expect(new TestMsca(1).generation(1, 256).kid.length).toBe(32);
  });

  it('gives a VU one KM-VU and a workshop card every KM-WC asked for, with versions', () => {
    const msca = new TestMsca(5);
    expect(msca.vuKey(2, 128)).toEqual({ version: 2, key: toHex(msca.generation(2, 128).kmVu) });
    expect(msca.workshopCardKeys([1, 2], 128).map((k) => k.version)).toEqual([1, 2]);
    expect(msca.workshopCardKeys([2], 128)[0]!.key).toBe(toHex(msca.generation(2, 128).kmWc));
  });

  it('encrypts KP under each KM generation and Ns under each KID generation (CSM_107, 108, 116)', () => {
    const msca = new TestMsca(5);
    for (const keyBits of [128, 192, 256] as const) {
      const kp = new Uint8Array(keyBits / 8).fill(0x5a);
      const material = msca.issueSensor(NS, [3, 1, 2].map((version) => ({ version, kp })));
      expect(material.ns).toBe('0000303907260710');
      expect(material.entries.map((e) => [e.kmVersion, e.kidVersion])).toEqual([[1, 1], [2, 2], [3, 3]]);
      for (const e of material.entries) {
        const g = msca.generation(e.kmVersion, keyBits);
        expect(fromHex(e.encKp).length).toBe(keyBits === 128 ? 16 : 32); // Table 6, instruction 41 reply
        expect(fromHex(e.encNs).length).toBe(16); // Table 6, instruction 41 request
        expect(decryptZeroIv(g.km, fromHex(e.encKp), keyBits / 8)).toEqual({ ok: true, data: kp });
        expect(decryptZeroIv(g.kid, fromHex(e.encNs), 8)).toEqual({ ok: true, data: NS });
      }
    }
  });
});
