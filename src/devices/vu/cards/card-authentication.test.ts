import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { cardCredentials } from '../../cards/card-credentials.ts';
import { driverCardSchema } from '../../cards/card-schema.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { anna, wendy } from '../../cards/test-cards.ts';
import { listRecords, createEventMemory } from '../data-memory/event-store.ts';
import { authenticateCard, cardDeviceFor } from './card-authentication.ts';
import { createCardSlots, insertCard, type CardSlotsState } from './card-slots.ts';

/**
 * A cloned card: it gives the genuine card's certificates, and answers chip authentication with a key from
 * another PKI seed (it cannot know the genuine Card_MA private key).
 */
const cloneOf = (card: typeof anna) =>
  new CardEmulator(card, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(1, 'clone'), cardMaKey: cardCredentials(card, 7).cardMa.key });

const AT = Date.UTC(2026, 2, 2, 8, 0, 0);
const vu = () => ({ pkiSeed: TEST_PKI_DEFAULT_SEED, at: AT, rng: createRng(1, 'test') });
const foreign = driverCardSchema.parse({ ...anna, pki: { seed: 7 } });

describe("the VU's authentication of a gen2 card at insertion (App. 11 part B)", () => {
  it('accepts a card of its own test PKI: chain to its root, chip authentication, an intact secured read', () => {
    expect(authenticateCard(anna, vu())).toEqual({ ok: true });
    expect(authenticateCard(wendy, vu())).toEqual({ ok: true });
  });

  it("refuses a card issued under another root: its MSCA certificate does not verify with the VU's root key (CSM_157)", () => {
    // every test PKI names its root alike (CHR FD 'EC ' 01 FFFF 01): the root's key tells them apart
    expect(authenticateCard(foreign, vu())).toEqual({ ok: false, failure: 'authentication', detail: 'Card_MA certificate chain: EQT.CA certificate: signature does not verify with the key of fd45432001ffff01' });
    // the same card is fine in a VU of its own PKI
    expect(authenticateCard(foreign, { ...vu(), pkiSeed: 7 })).toEqual({ ok: true });
  });

  it('finds an altered answer by its secure-messaging MAC (CSM_192): a data input integrity error', () => {
    expect(authenticateCard({ ...anna, alteredResponses: true }, vu())).toEqual({ ok: false, failure: 'integrity', detail: 'secured read of CardIdentification: wrong MAC' });
  });

  it('keeps the failAuthentication flag as the simple way; judges a card past its expiry by its dates, not here', () => {
    expect(authenticateCard({ ...anna, failAuthentication: true }, vu())).toMatchObject({ ok: false, failure: 'authentication' });
    expect(authenticateCard(anna, { ...vu(), at: Date.UTC(2031, 5, 1) })).toEqual({ ok: true });
  });

  it('authenticates a first generation card by App. 11 part A (card-reader-g1.ts): its clone, its other root and its altered answers fail', () => {
    const gen1 = driverCardSchema.parse({ ...anna, generation: 1 });
    expect(authenticateCard(gen1, vu())).toEqual({ ok: true });
    expect(authenticateCard({ ...gen1, failAuthentication: true }, vu())).toMatchObject({ ok: false, failure: 'authentication', detail: expect.stringMatching(/^INTERNAL AUTHENTICATE token/) });
    expect(authenticateCard({ ...gen1, pki: { seed: 7 } }, vu())).toMatchObject({ ok: false, failure: 'authentication', detail: expect.stringMatching(/^Card certificate chain/) });
    expect(authenticateCard({ ...gen1, alteredResponses: true }, vu())).toEqual({ ok: false, failure: 'integrity', detail: 'secured read of CardIdentification: wrong cryptographic checksum' });
  });

  it('judges a card not yet valid by its dates too: its Card_MA certificate before its start is no authentication failure', () => {
    // anna's certificates run from her card's validity begin, 2025-01-01
    expect(authenticateCard(anna, { ...vu(), at: Date.UTC(2024, 11, 31, 23, 59, 59) })).toEqual({ ok: true });
    expect(authenticateCard(anna, { ...vu(), at: Date.UTC(2025, 0, 1) })).toEqual({ ok: true });
  });

  it('refuses a clone: genuine certificates, but it answers chip authentication without the Card_MA private key (CSM_176)', () => {
    // the clone holds a key of its own, not the one its certificate names
    expect(authenticateCard(anna, vu(), cloneOf(anna))).toEqual({ ok: false, failure: 'authentication', detail: 'TPICC does not verify: the card does not hold the Card_MA private key' });
    expect(authenticateCard(anna, vu())).toEqual({ ok: true });
  });
});

describe("a card whose memory is a file (its memoryFile): what one VU's authentication leaves, the next reads", () => {
  it("keeps the card's currentAuthenticatedTime (CSM_167) from one device to the next; a damaged EF Identification is an integrity error (0x14)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'card-auth-'));
    try {
      const card = { ...anna, memoryFile: join(dir, 'anna.card.json') };
      expect(authenticateCard(card, vu(), cardDeviceFor(card, TEST_PKI_DEFAULT_SEED))).toEqual({ ok: true });
      const afterFirst = JSON.parse(readFileSync(card.memoryFile, 'utf8'));
      expect(afterFirst.currentAuthenticatedTime).toBeGreaterThan(Date.UTC(2025, 0, 1));
      expect(cardDeviceFor(card, TEST_PKI_DEFAULT_SEED).memory.currentAuthenticatedTime).toBe(afterFirst.currentAuthenticatedTime);
      // the card's EF Identification in DF Tachograph_G2 damaged in its file: the secured SELECT answers '6400' (App. 2 TCS_41)
      afterFirst.files['tachograph-g2/0520'].data = `ff${afterFirst.files['tachograph-g2/0520'].data.slice(2)}`;
      writeFileSync(card.memoryFile, JSON.stringify(afterFirst));
      expect(authenticateCard(card, vu(), cardDeviceFor(card, TEST_PKI_DEFAULT_SEED))).toEqual({ ok: false, failure: 'integrity', detail: 'secured SELECT of EF Identification: 6400' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the events of a card the VU cannot trust (Annex IC 72, 85)', () => {
  const change = { at: AT, moving: false, odometerKm: 0, events: createEventMemory() };
  const codes = (state: ReturnType<typeof insertCard>) => listRecords(state.events, AT / 1000).map((r) => [r.type, r.begin]);
  const insert = (card: typeof anna, slots: CardSlotsState = createCardSlots(), events = change.events) =>
    insertCard(slots, 'driver', card, { ...change, events }, { authentication: authenticateCard(card, { ...vu(), pkiSeed: TEST_PKI_DEFAULT_SEED }) });

  it('records 0x01 and 0x12 for a card whose authentication fails, and leaves the slot as if empty', () => {
    const r = insert(foreign);
    expect(codes(r)).toEqual([
      [0x01, AT / 1000],
      [0x12, AT / 1000],
    ]);
    expect(r.slots.driver).toMatchObject({ valid: false, iw: null });
    // the same with the flag, the simple way
    expect(codes(insert({ ...anna, failAuthentication: true }))).toEqual([
      [0x01, AT / 1000],
      [0x12, AT / 1000],
    ]);
  });

  it('records the same for a first generation card, from its gen1 mutual authentication (App. 11 part A)', () => {
    const gen1 = driverCardSchema.parse({ ...anna, generation: 1 });
    expect(codes(insert(gen1))).toEqual([]);
    expect(codes(insert({ ...gen1, pki: { seed: 7 } }))).toEqual([
      [0x01, AT / 1000],
      [0x12, AT / 1000],
    ]);
    expect(codes(insert({ ...gen1, alteredResponses: true }))).toEqual([
      [0x01, AT / 1000],
      [0x14, AT / 1000],
    ]);
  });

  it('records 0x01 and 0x14 for a card whose secured read fails', () => {
    expect(codes(insert({ ...anna, alteredResponses: true }))).toEqual([
      [0x01, AT / 1000],
      [0x14, AT / 1000],
    ]);
  });

  it('records no security breach in calibration mode (Annex IC 85), the non-valid card still', () => {
    const calibration = insertCard(createCardSlots(), 'co-driver', wendy, change);
    expect(codes(insert(foreign, calibration.slots, calibration.events))).toEqual([[0x01, AT / 1000]]);
  });

  it('records nothing for a card that authenticates', () => {
    expect(codes(insert(anna))).toEqual([]);
  });

  it('records the insertion while driving (0x05) as well: Annex IC 76 counts any card, valid or not', () => {
    // 73 and 75 name "valid" cards; 76 says "a tachograph card is inserted in any slot, while driver activity is DRIVING".
    // A non-valid card leaves the slot as if empty, so the driving is without an appropriate card (0x04) too.
    const moving = (card: typeof anna, slots = createCardSlots(), events = change.events) =>
      insertCard(slots, 'driver', card, { ...change, moving: true, events }, { authentication: authenticateCard(card, vu()) });
    expect(codes(moving(anna))).toEqual([[0x05, AT / 1000]]);
    expect(codes(moving(foreign))).toEqual([
      [0x01, AT / 1000],
      [0x04, AT / 1000],
      [0x05, AT / 1000],
      [0x12, AT / 1000],
    ]);
    expect(codes(moving({ ...anna, alteredResponses: true }))).toEqual([
      [0x01, AT / 1000],
      [0x04, AT / 1000],
      [0x05, AT / 1000],
      [0x14, AT / 1000],
    ]);
    // in calibration mode: no security breach, the insertion while driving still
    const calibration = insertCard(createCardSlots(), 'co-driver', wendy, change);
    expect(codes(moving(foreign, calibration.slots, calibration.events))).toEqual([
      [0x01, AT / 1000],
      [0x04, AT / 1000],
      [0x05, AT / 1000],
    ]);
  });
});
