import { readJsonStateFile, writeFileAtomically } from '../state-file.ts';
import { z } from 'zod';
import { encodeWorkshopCardPin } from '../../protocols/app1/app1-codec.ts';
import type { Rng } from '../../crypto/random.ts';
import type { VirtualCard } from '../cards/card.ts';
import { CardEmulator } from '../cards/emulator/card-emulator.ts';
import { cardIdentityKey, personaliseCard, type CardMemory } from '../cards/emulator/card-memory.ts';
import { skziCardDataSchema, type SkziCardData } from './schemas.ts';

/**
 * The СКЗИ's workshop card blocks its PIN at the third wrong one: the choice issue 20 made when the card emulator's
 * counter started at 3 (the Russian card's own rule is not in the digest at hand); the EU cards now start at 5
 * (App. 2 TCS_75, card-memory.ts PIN_TRIES).
 */
const SKZI_PIN_TRIES = 3;

/**
 * The workshop card as the carrier between the АРМА and the tachograph (seed 5.3, 5.4: the card is the only
 * transport). Plain data, so it sits in machine context and moves between devices:
 *   - `memory`: the card's App. 2 memory, the card emulator's (cards/emulator), whose workshop PIN and retry
 *     counter the tachograph checks with a real VERIFY APDU through the emulator's public `transmit`;
 *   - `skzi`: the card's СКЗИ content, kept apart from the App. 2 EFs (the seed gives no file layout, and the
 *     App. 2 file system has no place for it): the activation request the АРМА writes, the request the block
 *     signed at STEP 1, the certificate the АРМА writes after the ЦОД issued it. At most one of each.
 * On disk the СКЗИ content is a file of its own beside the card's memory file (README "СКЗИ activation"):
 *   { "format": "tacho-rig/skzi-card", "version": 1, "card": "<type>:<nation>:<number>", "skzi": { ... } }
 */
export interface WorkshopCarrier {
  card: VirtualCard;
  memory: CardMemory;
  skzi: SkziCardData;
}

export function newCarrier(card: VirtualCard, memory?: CardMemory): WorkshopCarrier {
  if (card.type !== 'workshop') throw new Error(`the СКЗИ carrier is a workshop card, not a ${card.type} card`);
  return { card, memory: memory ?? personaliseCard(card, undefined, SKZI_PIN_TRIES), skzi: {} };
}

/** What the rig's `card` record shows of a carrier: ids of what it holds, not the content. */
export function cardRecordFields(carrier: WorkshopCarrier, inSlot: boolean) {
  return {
    request: carrier.skzi.request?.requestId ?? null,
    signedRequest: carrier.skzi.signedRequest?.request.requestId ?? null,
    certificate: carrier.skzi.certificate?.serial ?? null,
    pinTriesLeft: carrier.memory.pinTriesLeft,
    inSlot,
  };
}

export type PinOutcome = { ok: true; carrier: WorkshopCarrier } | { ok: false; carrier: WorkshopCarrier; triesLeft: number; blocked: boolean };

/**
 * VERIFY (App. 2 TCS_72) of the workshop PIN through the card emulator: the card's retry counter goes down on a
 * wrong PIN, back to full on a right one, and a blocked card ('6983') refuses even the right one.
 */
export function verifyCarrierPin(carrier: WorkshopCarrier, pin: string, rng: Rng): PinOutcome {
  let memory = carrier.memory;
  const emulator = new CardEmulator(carrier.card, { pkiSeed: 0, rng, memory, onWrite: (m) => (memory = m), pinTries: SKZI_PIN_TRIES });
  let data: Uint8Array;
  try {
    data = encodeWorkshopCardPin(pin);
  } catch {
    // not 4 to 8 digits: a wrong PIN for the card's counter (the keypad sends what was typed)
    data = new Uint8Array(8).fill(0xff);
  }
  const response = emulator.transmit(Uint8Array.of(0x00, 0x20, 0x00, 0x00, 0x08, ...data));
  const sw = (response[response.length - 2]! << 8) | response[response.length - 1]!;
  const next = { ...carrier, memory };
  if (sw === 0x9000) return { ok: true, carrier: next };
  return { ok: false, carrier: next, triesLeft: memory.pinTriesLeft ?? 0, blocked: sw === 0x6983 };
}

export const SKZI_CARD_FORMAT = 'tacho-rig/skzi-card';
const fileSchema = z.strictObject({ format: z.literal(SKZI_CARD_FORMAT), version: z.literal(1), card: z.string(), skzi: skziCardDataSchema });

export function encodeSkziCardFile(carrier: WorkshopCarrier): string {
  return `${JSON.stringify({ format: SKZI_CARD_FORMAT, version: 1, card: cardIdentityKey(carrier.card), skzi: carrier.skzi }, null, 1)}\n`;
}

/** The СКЗИ content in `file` for `card`, or empty when there is no file yet. Another card's file or a malformed one is an error naming it. */
export function readSkziCardFile(file: string, card: VirtualCard): SkziCardData {
  const doc = readJsonStateFile(file, fileSchema, 'СКЗИ card file');
  if (!doc) return {};
  if (doc.card !== cardIdentityKey(card)) throw new Error(`СКЗИ card file ${file} belongs to card ${doc.card}, not ${cardIdentityKey(card)}`);
  return doc.skzi;
}

/** Written atomically (a whole new file or the old one), as the card memory file is. */
export function writeSkziCardFile(file: string, carrier: WorkshopCarrier): void {
  writeFileAtomically(file, encodeSkziCardFile(carrier));
}
