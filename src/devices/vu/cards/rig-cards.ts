import { resolve } from 'node:path';
import type { VirtualCard } from '../../cards/card.ts';
import type { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { cardIdentityKey } from '../../cards/emulator/card-memory.ts';
import type { CardSlot } from '../../../protocols/app1/card-type.ts';

/**
 * The rig's `shared` cards (card option, issue 15): one card device per card for the whole rig, so a driver
 * card taken out of one VU and put into another is the same card, holding what the first VU wrote (its day,
 * its vehicle, its session data). Every VU of a rig is built on the rig's one clock, so the clock object is
 * the rig's identity here: two rigs in one process (the parallel suite) never see each other's cards.
 */
const rigs = new WeakMap<object, Map<string, { description: string; device: CardEmulator }>>();

/**
 * The card's description with its keys in order: a card restored from a VU's data memory (its slot part, parsed
 * again) holds the same values as the rig file's, its keys in another order.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

/** The rig's device for `card`, made by `make` on the first VU that asks. Two VUs describing the card differently: an error. */
export function sharedCardDevice(rig: object, card: VirtualCard, pkiSeed: number, make: () => CardEmulator): CardEmulator {
  let cards = rigs.get(rig);
  if (!cards) rigs.set(rig, (cards = new Map()));
  const key = `${pkiSeed}/${cardIdentityKey(card)}`;
  const description = canonicalJson(card);
  const held = cards.get(key);
  if (held) {
    if (held.description !== description) throw new Error(`the shared card ${cardIdentityKey(card)} is described differently by two VUs of the rig: one card, one description`);
    return held.device;
  }
  const device = make();
  cards.set(key, { description, device });
  return device;
}

/** Where a physical card is: a VU of the rig (its device name) and a slot. */
export interface CardPlace {
  vu: string;
  slot: CardSlot;
}

/**
 * Issue 15: a physical card is in one slot at a time. A `shared` card (one device for the rig) and a card with a
 * `memoryFile` (one file) are one card each, whichever VU names them; a card of neither kind is each VU's own
 * (a VU-local copy, as the sensor-pairing scenarios insert one driver card into three VUs at once).
 */
const places = new WeakMap<object, Map<string, CardPlace>>();

function physicalKey(card: VirtualCard, pkiSeed: number): string | null {
  if (card.memoryFile) return `file:${resolve(card.memoryFile)}`;
  if (card.shared) return `shared:${pkiSeed}/${cardIdentityKey(card)}`;
  return null;
}

/** A card offered to a slot while it is in another VU's slot (or another slot of the same VU). */
export class CardElsewhereError extends Error {}

const describePlace = (p: CardPlace) => `${p.vu}'s ${p.slot} slot`;

/**
 * Throws CardElsewhereError, naming both places, when `card` is one physical card of the rig that is in a slot
 * other than `place`. Choice (Annex IC 19, 20: a card is locked in its slot and goes out only by its holder's
 * action at that VU, or pulled while the VU has no supply): refused, not modelled as taking it out.
 */
export function checkCardFree(rig: object, card: VirtualCard, pkiSeed: number, place: CardPlace): void {
  const at = placeElsewhere(rig, card, pkiSeed, place);
  if (!at) return;
  throw new CardElsewhereError(
    `${describeCard(card)} is in ${describePlace(at)}, so it cannot go into ${describePlace(place)}: a card is in one slot at a time (Annex IC 19, 20); withdraw it from ${at.vu} first, or pull it there during a supply cut`,
  );
}

/** Where `card`, one physical card of the rig, is when that is a slot other than `place`; else null. */
function placeElsewhere(rig: object, card: VirtualCard, pkiSeed: number, place: CardPlace): CardPlace | null {
  const key = physicalKey(card, pkiSeed);
  const at = key === null ? undefined : places.get(rig)?.get(key);
  return !at || (at.vu === place.vu && at.slot === place.slot) ? null : at;
}

const describeCard = (card: VirtualCard) => (card.memoryFile ? `the card ${cardIdentityKey(card)} (memoryFile ${card.memoryFile})` : `the shared card ${cardIdentityKey(card)}`);

/** The card is in `place` now (inserted, valid or not). */
export function cardPlaced(rig: object, card: VirtualCard, pkiSeed: number, place: CardPlace): void {
  const key = physicalKey(card, pkiSeed);
  if (key === null) return;
  let map = places.get(rig);
  if (!map) places.set(rig, (map = new Map()));
  map.set(key, place);
}

/** The card left `place` (withdrawn, or pulled): free for any slot. Nothing happens when it is recorded elsewhere. */
export function cardRemoved(rig: object, card: VirtualCard, pkiSeed: number, place: CardPlace): void {
  const key = physicalKey(card, pkiSeed);
  const map = key === null ? undefined : places.get(rig);
  const at = map?.get(key!);
  if (at && at.vu === place.vu && at.slot === place.slot) map!.delete(key!);
}

/**
 * A VU started from its data memory file with `card` in a slot: the card is in that slot (cardPlaced), so the
 * one-slot-at-a-time rule holds across a restart. The same physical card restored in a slot of another VU too (two
 * data memories that each kept it) cannot be: an error naming both places, before the VU runs.
 */
export function cardRestored(rig: object, card: VirtualCard, pkiSeed: number, place: CardPlace): void {
  const at = placeElsewhere(rig, card, pkiSeed, place);
  if (at) throw new CardElsewhereError(`${place.vu}'s data memory holds ${describeCard(card)} in its ${place.slot} slot, but the card is in ${describePlace(at)}: a card is in one slot at a time (Annex IC 19, 20)`);
  cardPlaced(rig, card, pkiSeed, place);
}
