import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import type { VirtualCard } from '../card-schema.ts';
import { anna, wendy } from '../test-cards.ts';
import { CardEmulator } from './card-emulator.ts';
import { cardIdentityKey, personaliseCard } from './card-memory.ts';
import { encodeCardMemory, readCardMemoryFile, writeCardMemoryFile } from './card-memory-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'card-memory-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A card device whose memory is the file: read at start, written after every change. */
const open = (file: string, card: VirtualCard = anna) =>
  new CardEmulator(card, {
    pkiSeed: TEST_PKI_DEFAULT_SEED,
    rng: createRng(1, 'card'),
    ...(() => {
      const memory = readCardMemoryFile(file, cardIdentityKey(card));
      return memory ? { memory } : {};
    })(),
    onWrite: (memory) => writeCardMemoryFile(file, memory),
  });
const tx = (device: CardEmulator, hex: string) => toHex(device.transmit(fromHex(hex.replace(/ /g, '')))).toUpperCase();

describe("a card's memory as a file of its own", () => {
  it('holds a write when the card is opened again from its file (a card moved to another VU)', () => {
    const file = join(dir, 'anna.card.json');
    const first = open(file);
    tx(first, '00 A4 04 0C 06 FF534D524454');
    tx(first, '00 A4 02 0C 02 050E');
    expect(tx(first, '00 D6 00 00 04 6A0B1C00')).toBe('9000');
    const second = open(file);
    tx(second, '00 A4 04 0C 06 FF534D524454');
    tx(second, '00 A4 02 0C 02 050E');
    expect(tx(second, '00 B0 00 00 04')).toBe('6A0B1C00' + '9000');
    // the rest is the card as personalised
    expect({ ...second.memory.files, 'tachograph-g2/050E': '00000000' }).toEqual(personaliseCard(anna).files);
  });

  it("keeps the PIN counter: a workshop card blocked in one VU is blocked in the next ('6983')", () => {
    const file = join(dir, 'wendy.card.json');
    const first = open(file, wendy);
    const wrong = '00 20 00 00 08 39393939FFFFFFFF';
    expect([tx(first, wrong), tx(first, wrong), tx(first, wrong), tx(first, wrong), tx(first, wrong)]).toEqual(['63C4', '63C3', '63C2', '63C1', '6983']);
    expect(tx(open(file, wendy), '00 20 00 00 08 31323334FFFFFFFF')).toBe('6983');
  });

  it('a torn write (the temporary file left behind, the rename not done) leaves the file as it was', () => {
    const file = join(dir, 'anna.card.json');
    const first = open(file);
    tx(first, '00 A4 04 0C 06 FF534D524454');
    tx(first, '00 A4 02 0C 02 050E');
    tx(first, '00 D6 00 00 04 6A0B1C00');
    const whole = readFileSync(file, 'utf8');
    // the crash: half of the next document in the temporary file, never renamed
    const next = encodeCardMemory({ ...first.memory, files: { ...first.memory.files, 'tachograph-g2/050E': '11111111' } });
    writeFileSync(`${file}.tmp`, next.slice(0, next.length / 2));
    expect(readFileSync(file, 'utf8')).toBe(whole);
    const reopened = open(file);
    tx(reopened, '00 A4 04 0C 06 FF534D524454');
    tx(reopened, '00 A4 02 0C 02 050E');
    expect(tx(reopened, '00 B0 00 00 04')).toBe('6A0B1C00' + '9000');
    // and the next write goes through, over the stale temporary file
    expect(tx(reopened, '00 D6 00 00 04 01020304')).toBe('9000');
    expect(readCardMemoryFile(file, cardIdentityKey(anna))!.files['tachograph-g2/050E']).toBe('01020304');
  });

  it("finds an EF whose content no longer matches its check: SELECT answers '6400' (App. 2 TCS_41), the other EFs still read", () => {
    const file = join(dir, 'anna.card.json');
    writeCardMemoryFile(file, personaliseCard(anna));
    const document = JSON.parse(readFileSync(file, 'utf8'));
    const identification: string = document.files['tachograph-g2/0520'].data;
    document.files['tachograph-g2/0520'].data = `07${identification.slice(2)}`;
    writeFileSync(file, JSON.stringify(document));
    const device = open(file);
    tx(device, '00 A4 04 0C 06 FF534D524454');
    expect(tx(device, '00 A4 02 0C 02 0520')).toBe('6400');
    expect(tx(device, '00 B0 86 00 01')).toBe('6400'); // by its SFID too
    expect(tx(device, '00 A4 02 0C 02 050E')).toBe('9000');
    expect(tx(device, '00 B0 00 00 04')).toBe('00000000' + '9000');
    // writing the memory back does not repair the damaged EF
    tx(device, '00 D6 00 00 01 01');
    expect(readCardMemoryFile(file, cardIdentityKey(anna))!.damaged).toEqual({ 'tachograph-g2/0520': document.files['tachograph-g2/0520'].check });
  });

  it("refuses another card's file and a file that is not a card memory, naming it", () => {
    const file = join(dir, 'anna.card.json');
    writeCardMemoryFile(file, personaliseCard(anna));
    expect(() => readCardMemoryFile(file, cardIdentityKey(wendy))).toThrow(`card memory file ${file} belongs to card driver:6:B000000012345601, not workshop:6:B000000000777000`);
    writeFileSync(file, '{"format":"tacho-rig/vu-data-memory"}');
    expect(() => readCardMemoryFile(file, cardIdentityKey(anna))).toThrow(`card memory file ${file} is not one`);
    expect(readCardMemoryFile(join(dir, 'none.json'), cardIdentityKey(anna))).toBeUndefined();
  });
});
