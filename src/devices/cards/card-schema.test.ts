import { describe, expect, it } from 'vitest';
import { cardSchema, cardsSchema, type CardInput } from './card-schema.ts';

const driver: CardInput = {
  type: 'driver',
  generation: 2,
  issuingMemberState: 'D',
  cardNumber: 'DF000012345678' + '0' + '1',
  holder: { surname: 'MUSTERMANN', firstNames: 'Max' },
  validity: { begin: '2024-03-01', expiry: '2029-02-28' },
};

function issues(input: unknown): { path: PropertyKey[]; message: string }[] {
  const result = cardSchema.safeParse(input);
  if (result.success) throw new Error('expected the card to be refused');
  return result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

describe('card schema', () => {
  it('normalises a driver card: both nation codes, defaults filled in', () => {
    expect(cardSchema.parse(driver)).toEqual({
      type: 'driver',
      generation: 2,
      issuingMemberState: { alpha: 'D', numeric: 0x0d },
      cardNumber: 'DF00001234567801',
      holder: { surname: 'MUSTERMANN', firstNames: 'Max' },
      validity: { begin: '2024-03-01', expiry: '2029-02-28' },
      language: 'en',
      failAuthentication: false,
      failWrites: false,
      faulty: false,
      shared: false,
      alteredResponses: false,
      structureVersion: 1,
    });
  });

  it('takes version 2 of a generation 2 card structure only (issue 15)', () => {
    expect(cardSchema.parse({ ...driver, structureVersion: 2 })).toMatchObject({ generation: 2, structureVersion: 2 });
    expect(() => cardSchema.parse({ ...driver, generation: 1, structureVersion: 2 })).toThrow('structureVersion 2 is a generation 2 card structure');
    expect(() => cardSchema.parse({ ...driver, structureVersion: 3 })).toThrow('structureVersion is 1 or 2');
  });

  it('defaults the generation to 2', () => {
    const { generation: _, ...rest } = driver as Record<string, unknown>;
    expect(cardSchema.parse(rest).generation).toBe(2);
  });

  it('parses a workshop card with its PIN and K_M-WC generations (hex lower-cased)', () => {
    const card = cardSchema.parse({
      type: 'workshop',
      issuingMemberState: 'F',
      cardNumber: 'F123456789012' + '0' + '0' + '0',
      workshopName: 'Garage du Centre',
      holder: { surname: 'DURAND', firstNames: 'Paul' },
      validity: { begin: '2026-01-01', expiry: '2026-12-31' },
      pin: '975310',
      kmwcKeys: [
        { version: 1, key: '00112233445566778899AABBCCDDEEFF' },
        { version: 2, key: '00112233445566778899aabbccddeeff0011223344556677' },
      ],
    });
    expect(card).toMatchObject({
      type: 'workshop',
      issuingMemberState: { alpha: 'F', numeric: 0x11 },
      pin: '975310',
      kmwcKeys: [
        { version: 1, key: '00112233445566778899aabbccddeeff' },
        { version: 2, key: '00112233445566778899aabbccddeeff0011223344556677' },
      ],
    });
  });

  it('parses control and company cards; an issuing state outside the list takes both codes', () => {
    expect(
      cardSchema.parse({
        type: 'control',
        issuingMemberState: 'NL',
        cardNumber: 'NL00000000042' + 'A' + '0' + '1',
        controlBodyName: 'ILT',
        holder: { surname: 'DE VRIES', firstNames: 'Anna' },
        validity: { begin: '2025-01-01', expiry: '2026-12-31' },
      }).issuingMemberState,
    ).toEqual({ alpha: 'NL', numeric: 0x26 });
    expect(
      cardSchema.parse({
        type: 'company',
        issuingMemberState: { alpha: 'KG', numeric: 0x38 },
        cardNumber: 'KG00000000007' + 'z' + '0' + '0',
        companyName: 'Bishkek Freight',
        validity: { begin: '2025-01-01', expiry: '2029-12-31' },
      }).issuingMemberState,
    ).toEqual({ alpha: 'KG', numeric: 0x38 });
  });

  it('refuses a driver card number of the wrong length, naming the field and the layout', () => {
    expect(issues({ ...driver, cardNumber: 'DF0000123456780' })).toEqual([
      {
        path: ['cardNumber'],
        message:
          "a driver card number is 16 characters: 14 of driver identification, then the replacement index and the renewal index (got 15: 'DF0000123456780')",
      },
    ]);
  });

  it('refuses a workshop card number of the wrong length with the owner layout', () => {
    expect(issues({ ...driver, type: 'workshop', workshopName: 'W', cardNumber: 'F12' })).toEqual([
      {
        path: ['cardNumber'],
        message: "a workshop card number is 16 characters: 13 of owner identification, then the consecutive, replacement and renewal indexes (got 3: 'F12')",
      },
    ]);
  });

  it('refuses bad characters in the identification and the indexes, each as an issue', () => {
    expect(issues({ ...driver, cardNumber: 'df0000123456' + '78' + 'a' + '-' })).toEqual([
      { path: ['cardNumber'], message: "the driver identification 'df000012345678' must be digits and upper-case letters" },
      { path: ['cardNumber'], message: "the replacement index 'a' must be one of 0-9, A-Z" },
      { path: ['cardNumber'], message: "the renewal index '-' must be one of 0-9, A-Z" },
    ]);
    const { holder: _, ...noHolder } = driver as Record<string, unknown>;
    expect(issues({ ...noHolder, type: 'company', companyName: 'C', cardNumber: 'D123456789012' + '#' + '0' + '0' })).toEqual([
      { path: ['cardNumber'], message: "the consecutive index '#' must be one of 0-9, A-Z, a-z" },
    ]);
  });

  it('refuses an unknown NationAlpha and a numeric code that contradicts the list', () => {
    expect(issues({ ...driver, issuingMemberState: 'XX' })).toEqual([
      { path: ['issuingMemberState'], message: "unknown NationAlpha 'XX': give { alpha, numeric } for a code outside the list" },
    ]);
    expect(issues({ ...driver, issuingMemberState: { alpha: 'F', numeric: 0x0d } })).toEqual([
      { path: ['issuingMemberState'], message: "NationNumeric 13 is 'D', not 'F'" },
    ]);
  });

  it('refuses bad validity dates', () => {
    expect(issues({ ...driver, validity: { begin: '2024-03-01', expiry: '2024-02-29' } })).toEqual([
      { path: ['validity', 'expiry'], message: 'the expiry date is before the begin date' },
    ]);
    expect(issues({ ...driver, validity: { begin: '2024-03-01T00:00:00Z', expiry: '2029-02-30' } })).toEqual([
      { path: ['validity', 'begin'], message: 'expected a date YYYY-MM-DD' },
      { path: ['validity', 'expiry'], message: 'expected a date YYYY-MM-DD' },
    ]);
  });

  it('refuses names that do not fit App. 1 Name', () => {
    expect(issues({ ...driver, holder: { surname: 'X'.repeat(36), firstNames: 'Ιωάννης' } })).toEqual([
      { path: ['holder', 'surname'], message: 'at most 35 characters (App. 1 Name)' },
      { path: ['holder', 'firstNames'], message: 'only ISO 8859-1 characters (code page 1) are supported' },
    ]);
  });

  it('refuses bad workshop card secrets', () => {
    const workshop = { ...driver, type: 'workshop', workshopName: 'W', cardNumber: 'D123456789012000' };
    expect(issues({ ...workshop, pin: '12a4' })).toEqual([{ path: ['pin'], message: 'a workshop card PIN is 4 to 8 digits' }]);
    expect(issues({ ...workshop, kmwcKeys: [{ version: 1, key: 'abcd' }] })).toEqual([
      { path: ['kmwcKeys', 0, 'key'], message: 'an AES key of 16, 24 or 32 bytes, as 32, 48 or 64 hex digits' },
    ]);
    const key = (version: number) => ({ version, key: '0'.repeat(32) });
    expect(issues({ ...workshop, kmwcKeys: [key(1), key(2), key(3), key(4)] })).toEqual([
      { path: ['kmwcKeys'], message: 'a workshop card holds at most 3 K_M-WC generations' },
    ]);
    expect(issues({ ...workshop, kmwcKeys: [key(1), key(1)] })).toEqual([{ path: ['kmwcKeys'], message: 'key versions must differ' }]);
  });

  it('refuses an unknown card type, a bad generation and unknown keys', () => {
    expect(issues({ ...driver, type: 'manufacturing' })).toEqual([
      { path: ['type'], message: "type must be one of 'driver', 'workshop', 'control', 'company'" },
    ]);
    expect(issues({ ...driver, generation: 3 })).toEqual([{ path: ['generation'], message: 'generation is 1 or 2' }]);
    expect(issues({ ...driver, pin: '1234' })).toEqual([{ path: [], message: 'Unrecognized key: "pin"' }]);
  });

  it('reads a deck of named cards', () => {
    expect(Object.keys(cardsSchema.parse({ alice: driver, 'bob-2': driver }))).toEqual(['alice', 'bob-2']);
    expect(cardsSchema.safeParse({ '2bad': driver }).success).toBe(false);
  });
});
