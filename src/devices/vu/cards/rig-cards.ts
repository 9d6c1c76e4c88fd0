import type { VirtualCard } from '../../cards/card.ts';
import type { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { cardIdentityKey } from '../../cards/emulator/card-memory.ts';

/**
 * The rig's `shared` cards (card option, issue 15): one card device per card for the whole rig, so a driver
 * card taken out of one VU and put into another is the same card, holding what the first VU wrote (its day,
 * its vehicle, its session data). Every VU of a rig is built on the rig's one clock, so the clock object is
 * the rig's identity here: two rigs in one process (the parallel suite) never see each other's cards.
 */
const rigs = new WeakMap<object, Map<string, { description: string; device: CardEmulator }>>();

/** The rig's device for `card`, made by `make` on the first VU that asks. Two VUs describing the card differently: an error. */
export function sharedCardDevice(rig: object, card: VirtualCard, pkiSeed: number, make: () => CardEmulator): CardEmulator {
  let cards = rigs.get(rig);
  if (!cards) rigs.set(rig, (cards = new Map()));
  const key = `${pkiSeed}/${cardIdentityKey(card)}`;
  const description = JSON.stringify(card);
  const held = cards.get(key);
  if (held) {
    if (held.description !== description) throw new Error(`the shared card ${cardIdentityKey(card)} is described differently by two VUs of the rig: one card, one description`);
    return held.device;
  }
  const device = make();
  cards.set(key, { description, device });
  return device;
}
