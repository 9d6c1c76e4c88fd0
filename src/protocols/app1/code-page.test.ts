import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { codePageEncoding, decodeCodePaged, encodeCodePaged } from './code-page.ts';

/** A 36-byte `Name` of code page `cp` holding `hex`, space padded. */
function name(cp: number, hex: string): Uint8Array {
  const out = new Uint8Array(36).fill(0x20);
  out[0] = cp;
  out.set(fromHex(hex), 1);
  return out;
}

describe('App. 1 chapter 4 code pages', () => {
  // Byte vectors produced outside the rig with Python 3's codecs, e.g.
  //   python3 -c "print('Łódź'.encode('iso8859_2').hex())"  ->  a3f364bc
  const VECTORS: [number, string, string][] = [
    [2, 'a3f364bc', 'Łódź'],
    [3, 'a1616d72756e', 'Ħamrun'],
    [5, 'bcdee1dad2d0', 'Москва'],
    [7, 'd3f9eaf1dcf4e7f2', 'Σωκράτης'],
    [9, 'de69fe6c69', 'Şişli'],
    [13, '4beb6461696e69f8', 'Kėdainių'],
    [15, 'bc7576726520a4', 'Œuvre €'],
    [16, '427261ba6f76', 'Brașov'],
    [80, 'e4cdc9d4d2c9ca', 'Дмитрий'], // KOI8-R
    [85, 'b7d6c1decfcb', 'Їжачок'], // KOI8-U
  ];

  it.each(VECTORS)('code page %i: %s is %s', (cp, hex, text) => {
    expect(decodeCodePaged(name(cp, hex), 0, 36)).toEqual({ text, codePage: cp });
    expect(toHex(encodeCodePaged(text, 36, cp))).toBe(toHex(name(cp, hex)));
  });

  it('the same bytes read differently in another code page: the code page byte decides', () => {
    // a3 f3 64 bc in ISO/IEC 8859-1
    expect(decodeCodePaged(name(1, 'a3f364bc'), 0, 36).text).toBe('£ód¼');
  });

  it('decodes bytes 20..7E and A1..FF of every supported code page as Python 3 does (an outside reference)', () => {
    const pages = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 80, 85];
    const bytes = [...Array.from({ length: 0x5f }, (_, i) => 0x20 + i), ...Array.from({ length: 0x5f }, (_, i) => 0xa1 + i)];
    const python = pages.map((cp) => (cp === 80 ? 'koi8_r' : cp === 85 ? 'koi8_u' : `iso8859_${cp}`));
    // one python3 run: for each codec, each byte decoded alone (U+FFFD where the part leaves it undefined)
    const script = `import json,sys\nprint(json.dumps([[bytes([b]).decode(c, 'replace') for b in ${JSON.stringify(bytes)}] for c in ${JSON.stringify(python)}]))`;
    const reference = JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as string[][];
    pages.forEach((cp, i) => {
      const ours = bytes.map((b) => decodeCodePaged(Uint8Array.of(cp, b), 0, 2).text || ' ');
      expect([cp, ours.join('')]).toEqual([cp, reference[i]!.join('')]);
    });
    // the table has no ISO/IEC 8859-12
    expect(codePageEncoding(12)).toBeUndefined();
  });

  it('code page 0 with nothing is the App. 2 default; 0, 12 or 255 with text read as ISO/IEC 8859-1, flagged', () => {
    expect(decodeCodePaged(name(0, ''), 0, 36)).toEqual({ text: '', codePage: 0 });
    expect(decodeCodePaged(name(12, '4dfc6c6c6572'), 0, 36)).toEqual({
      text: 'Müller',
      codePage: 12,
      problem: 'code page 12 is not an App. 1 code page (chapter 4): read as ISO/IEC 8859-1',
    });
    expect(decodeCodePaged(name(0, '414243'), 0, 36).problem).toBe('code page 0 is not an App. 1 code page (chapter 4): read as ISO/IEC 8859-1');
    expect(decodeCodePaged(name(255, '414243'), 0, 36)).toMatchObject({ text: 'ABC', codePage: 255 });
  });

  it('strips trailing spaces and NUL padding, keeps inner spaces', () => {
    const nul = name(1, '4120420000');
    expect(decodeCodePaged(nul, 0, 36).text).toBe('A B');
  });

  it('refuses to encode a character its code page lacks, or too long a text', () => {
    expect(() => encodeCodePaged('Łódź', 36, 1)).toThrow("'Łódź' has a character outside code page 1 (iso-8859-1)");
    expect(() => encodeCodePaged('x'.repeat(36), 36, 1)).toThrow('longer than 35 characters');
    expect(() => encodeCodePaged('x', 36, 12)).toThrow('code page 12 is not an App. 1 code page');
    expect(toHex(encodeCodePaged('', 14))).toBe('00' + '20'.repeat(13));
  });
});
