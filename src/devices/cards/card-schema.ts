import { z } from 'zod';
import { cardNumberProblems } from '../../protocols/app1/card-number.ts';
import type { CardType } from '../../protocols/app1/card-type.ts';
import { nationByAlpha, nationByNumeric } from './nations.ts';

/**
 * A virtual tachograph card as written in a rig or scenario file. Parsing normalises it to plain data
 * (`VirtualCard`): the issuing state as both codes, defaults filled in. The card's files are its emulator's
 * memory (emulator/card-memory.ts), personalised from these options, kept in `memoryFile` when one is given.
 */

/** App. 1 2.99 `Name`: 35 bytes in a code page. The rig writes code page 1 (ISO/IEC 8859-1) only. */
const name35 = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(35, { error: 'at most 35 characters (App. 1 Name)' })
  .refine((text) => [...text].every((c) => c.charCodeAt(0) <= 0xff), {
    error: 'only ISO 8859-1 characters (code page 1) are supported',
  });

const holder = z
  .strictObject({
    surname: name35.describe('Surname (family name), without titles.'),
    firstNames: name35.describe('First name(s) and initials.'),
  })
  .describe('App. 1 HolderName of the card holder.');

const isoDate = z.iso.date({ error: 'expected a date YYYY-MM-DD' });

const validity = z
  .strictObject({
    begin: isoDate.describe('cardValidityBegin: the first day the card is valid (UTC).'),
    expiry: isoDate.describe('cardExpiryDate: the last day the card is valid (UTC).'),
  })
  .refine((v) => v.begin <= v.expiry, { error: 'the expiry date is before the begin date', path: ['expiry'] })
  .describe('Card validity, whole UTC days, both inclusive.');

const nationObject = z.strictObject({
  alpha: z.string().regex(/^[A-Z]{0,3}$/, { error: 'NationAlpha is up to 3 upper-case letters' }),
  numeric: z.number().int().min(0).max(255),
});

/** 'D', or { alpha, numeric } for a code outside the built-in list. Parsed to both codes. */
const issuingMemberState = z
  .union([z.string(), nationObject])
  .transform((value, ctx) => {
    if (typeof value !== 'string') {
      const known = nationByNumeric(value.numeric);
      if (known && known.alpha !== value.alpha) {
        ctx.addIssue({ code: 'custom', message: `NationNumeric ${value.numeric} is '${known.alpha}', not '${value.alpha}'` });
        return z.NEVER;
      }
      return value;
    }
    const nation = nationByAlpha(value);
    if (!nation) {
      ctx.addIssue({ code: 'custom', message: `unknown NationAlpha '${value}': give { alpha, numeric } for a code outside the list` });
      return z.NEVER;
    }
    return { alpha: nation.alpha, numeric: nation.numeric };
  })
  .describe("Issuing Member State: its NationAlpha ('D', 'F', 'NL'...) or { alpha, numeric }.");

function cardNumber(type: CardType) {
  return z
    .string()
    .superRefine((text, ctx) => {
      for (const message of cardNumberProblems(type, text)) ctx.addIssue({ code: 'custom', message });
    })
    .describe(
      type === 'driver'
        ? 'App. 1 CardNumber: 14 characters of driver identification, replacement index, renewal index.'
        : 'App. 1 CardNumber: 13 characters of owner identification, consecutive, replacement and renewal indexes.',
    );
}

const kmwcKey = z
  .strictObject({
    version: z.number().int().min(0).max(255).describe('Key version (App. 1 KMWCKey keyVersion).'),
    key: z
      .string()
      .regex(/^(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48}|[0-9A-Fa-f]{64})$/, {
        error: 'an AES key of 16, 24 or 32 bytes, as 32, 48 or 64 hex digits',
      })
      .transform((hex) => hex.toLowerCase()),
  })
  .describe('One generation of the workshop part of the motion sensor master key, K_M-WC.');

const common = {
  generation: z
    .union([z.literal(1), z.literal(2)], { error: 'generation is 1 or 2' })
    .default(2)
    .describe('Card generation (App. 1 Generation). Default 2.'),
  issuingMemberState,
  validity,
  language: z.string().regex(/^[a-z]{2}$/, { error: 'two lower-case letters (ISO 639)' }).default('en'),
  failAuthentication: z
    .boolean()
    .default(false)
    .describe(
      "The card fails mutual authentication with the VU whatever its certificates, so the VU treats it as non-valid: events 0x12 and 0x01. A gen2 card refuses the VU's signature in terminal authentication ('6300' to EXTERNAL AUTHENTICATE); a gen1 card, whose authentication is not emulated yet, fails the simple way.",
    ),
  faulty: z.boolean().default(false).describe('The card is detected as faulty, so the VU treats it as non-valid.'),
  pki: z
    .strictObject({ seed: z.number().int() })
    .optional()
    .describe(
      "The test PKI (src/crypto/pki/) that issued the card's certificates. Default: the VU's own (its pki.seed), so the card chains to the root the VU trusts; a card of another seed chains to another root, and the VU's authentication of it fails (events 0x12 and 0x01).",
    ),
  memoryFile: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Where the card's memory persists (src/devices/cards/emulator/card-memory-file.ts): read when the card is first inserted, written atomically after every change (the VU's writes, the PIN counter), so the card moves between VUs and runs and holds what was written to it. Default: none, a card as personalised in every run.",
    ),
  // Issue 15 (card scenarios): one physical card for the whole rig
  shared: z
    .boolean()
    .default(false)
    .describe(
      "One card for the whole rig: every VU of the rig that names this card (same type, nation, number and PKI) holds the same card device, its memory and PIN counter, so a card taken from one VU and inserted into another carries what the first wrote (its session data too). Default: each VU holds a card of its own, as personalised. A card with a memoryFile is shared through its file anyway.",
    ),
  alteredResponses: z
    .boolean()
    .default(false)
    .describe(
      "The card's answers reach the VU altered (a damaged or manipulated card contact): the MAC of the secure-messaging read at insertion fails, a card data input integrity error (events 0x14 and 0x01).",
    ),
  // CSM_193: a card's own limit of SM commands and responses per session, its manufacturer's, 240 at most
  smSessionLimit: z
    .number({ error: 'smSessionLimit is a number of SM commands and responses' })
    .int({ error: 'smSessionLimit is a whole number of SM commands and responses' })
    .min(1, { error: 'smSessionLimit is at least 1 (a session carries one SM command and response at least)' })
    .max(240, { error: 'smSessionLimit is at most 240 SM commands and responses per session (CSM_193)' })
    .optional()
    .describe(
      "CSM_193: the card's own limit of secure messaging commands and responses per session (its manufacturer's, 1 to 240); the card aborts the session with the last and answers a protected command after it '6988' in plain (CSM_194); the VU sets up a new session at once and sends the command again (CSM_195). A generation 2 card's secure messaging only. Default 240.",
    ),
  abortsSecureMessaging: z
    .boolean()
    .optional()
    .describe(
      "A hostile or broken card: it answers every protected command '6988' in plain, aborting the session (CSM_193, CSM_194). The VU sets up a new session and sends the command again three times (CSM_195), then declares the card faulty: fault 0x40 (at insertion, 0x01 too). A generation 2 card's secure messaging only. Default false.",
    ),
  failWrites: z
    .boolean()
    .default(false)
    .describe(
      "Issue 15: every UPDATE BINARY the card gets is answered '6581' (memory failure, App. 2 TCS_29): the VU tries each write three times more, then declares the card faulty and non-valid (Annex IC 149: fault 0x40; at insertion, where the card session data is written, 0x01 too). The cardWriteFailure stimulus switches it while the card is in; the card keeps the stimulus's last word (in its memoryFile too), which then overrides this option.",
    ),
};

const address = z.string().max(35).optional().describe('App. 1 Address (35 characters).');

/** The refusal of `structureVersion: 2` on a generation 1 card (every card type's). */
const GEN1_STRUCTURE_VERSION = 'structureVersion 2 is a generation 2 card structure: a generation 1 card has version 1';

function controlOrCompanyStructureVersion(requirement: string) {
  return z
    .union([z.literal(1), z.literal(2)], { error: 'structureVersion is 1 or 2' })
    .default(1)
    .describe(`Version of a generation 2 card structure (App. 1 2.36 CardStructureVersion {01 00} or {01 01}); 2 adds EF Application_Identification_V2 and EF VU_Configuration (App. 2 ${requirement}). Default 1.`);
}

export const driverCardSchema = z
  .strictObject({
    type: z.literal('driver'),
    cardNumber: cardNumber('driver'),
    holder,
    ...common,
    // Issue 15: version 2 of a gen2 card (App. 2 TCS_152 note: cardStructureVersion {01 01}) adds the EFs of border
    // crossings, load/unload operations, load types, VU configurations and position authentication
    structureVersion: z
      .union([z.literal(1), z.literal(2)], { error: 'structureVersion is 1 or 2' })
      .default(1)
      .describe('Version of a generation 2 card structure (App. 1 2.36 CardStructureVersion {01 00} or {01 01}); 2 adds the gen2 v2 EFs. Default 1.'),
  })
  .refine((c) => c.generation === 2 || c.structureVersion === 1, { error: 'structureVersion 2 is a generation 2 card structure: a generation 1 card has version 1', path: ['structureVersion'] });

export const workshopCardSchema = z.strictObject({
  type: z.literal('workshop'),
  cardNumber: cardNumber('workshop'),
  workshopName: name35,
  address,
  holder,
  // TCS_72: the PIN travels as ASCII padded to 8 bytes; the rig takes 4 to 8 digits (a choice).
  pin: z.string().regex(/^\d{4,8}$/, { error: 'a workshop card PIN is 4 to 8 digits' }).default('1234'),
  // CSM_217: a workshop card holds up to three generations of K_M-WC; the VU picks the one whose version is
  // its K_M-VU version.
  kmwcKeys: z
    .array(kmwcKey)
    .max(3, { error: 'a workshop card holds at most 3 K_M-WC generations' })
    .refine((keys) => new Set(keys.map((k) => k.version)).size === keys.length, { error: 'key versions must differ' })
    .default([]),
  // Issue 16: CSM_127, CSM_131/132: the DSRC master key generations (K_M-DSRC) the card holds, by version, from
  // the test PKI of the card's seed (src/crypto/pki/test-pki.ts dsrcMasterKey); PROCESS DSRC MESSAGE uses them.
  dsrcKeyVersions: z
    .array(z.number().int().min(0).max(255))
    .max(3, { error: 'a card holds at most 3 DSRC master key generations (CSM_131)' })
    .default([1])
    .describe('Versions of the DSRC master key K_M-DSRC the card holds (CSM_127, CSM_131/132), from the test PKI. Default [1].'),
  ...common,
  // Issue 15: version 2 of a gen2 workshop card (App. 2 TCS_160 notes: cardStructureVersion {01 01}) adds the EFs of
  // border crossings, load/unload operations, load types, additional calibration data, VU configurations and
  // position authentication
  structureVersion: z
    .union([z.literal(1), z.literal(2)], { error: 'structureVersion is 1 or 2' })
    .default(1)
    .describe('Version of a generation 2 card structure (App. 1 2.36 CardStructureVersion {01 00} or {01 01}); 2 adds the gen2 v2 EFs (App. 2 TCS_160). Default 1.'),
}).refine((c) => c.generation === 2 || c.structureVersion === 1, { error: 'structureVersion 2 is a generation 2 card structure: a generation 1 card has version 1', path: ['structureVersion'] });

export const controlCardSchema = z.strictObject({
  type: z.literal('control'),
  cardNumber: cardNumber('control'),
  controlBodyName: name35,
  address,
  holder,
  // Issue 16: CSM_127, CSM_131/132: the DSRC master key generations (K_M-DSRC) the card holds, by version, from
  // the test PKI of the card's seed (src/crypto/pki/test-pki.ts dsrcMasterKey); PROCESS DSRC MESSAGE uses them.
  dsrcKeyVersions: z
    .array(z.number().int().min(0).max(255))
    .max(3, { error: 'a card holds at most 3 DSRC master key generations (CSM_131)' })
    .default([1])
    .describe('Versions of the DSRC master key K_M-DSRC the card holds (CSM_127, CSM_131/132), from the test PKI. Default [1].'),
  ...common,
  // Issue 15: version 2 of a gen2 control card (App. 2 TCS_168 notes: cardStructureVersion {01 01}) adds EF
  // Application_Identification_V2 and EF VU_Configuration
  structureVersion: controlOrCompanyStructureVersion('TCS_168'),
}).refine((c) => c.generation === 2 || c.structureVersion === 1, { error: GEN1_STRUCTURE_VERSION, path: ['structureVersion'] });

export const companyCardSchema = z.strictObject({
  type: z.literal('company'),
  cardNumber: cardNumber('company'),
  companyName: name35,
  address,
  ...common,
  // Issue 15: version 2 of a gen2 company card (App. 2 TCS_176 notes: cardStructureVersion {01 01}), as a control card's
  structureVersion: controlOrCompanyStructureVersion('TCS_176'),
}).refine((c) => c.generation === 2 || c.structureVersion === 1, { error: GEN1_STRUCTURE_VERSION, path: ['structureVersion'] });


export const cardSchema = z
  .discriminatedUnion('type', [driverCardSchema, workshopCardSchema, controlCardSchema, companyCardSchema], {
    error: "type must be one of 'driver', 'workshop', 'control', 'company'",
  })
  // CSM_193 is App. 11 part B's: a gen1 card's session key has its own 240 uses (CSM_013)
  .refine((c) => c.generation === 2 || (c.smSessionLimit === undefined && c.abortsSecureMessaging === undefined), {
    error: "smSessionLimit and abortsSecureMessaging are a generation 2 card's secure messaging (CSM_193)",
  })
  .describe('A virtual tachograph card.');

/** Cards by name, as a rig or scenario lists them. */
export const cardsSchema = z.record(
  z.string().regex(/^[A-Za-z][\w-]*$/, { error: 'a card name is letters, digits, - and _, starting with a letter' }),
  cardSchema,
);

export type CardInput = z.input<typeof cardSchema>;
export type VirtualCard = z.output<typeof cardSchema>;
export type DriverCard = z.output<typeof driverCardSchema>;
export type WorkshopCard = z.output<typeof workshopCardSchema>;
export type ControlCard = z.output<typeof controlCardSchema>;
export type CompanyCard = z.output<typeof companyCardSchema>;
