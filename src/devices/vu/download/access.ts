import { canRead } from '../modes/access-rights.ts';
import type { Mode } from '../modes/mode-of-operation.ts';
import { currentMode, slotHolders, type CardSlotsState } from '../cards/card-slots.ts';

/**
 * What a download session through the front connector may read (Annex IC 12, 13, 192; App. 7 §2.1 note: "the
 * card inserted will trigger the appropriate access rights"), from the valid cards in the slots.
 *
 * - Operational mode: no VU data (12); a driver card may be downloaded when no other card type is inserted
 *   (12 (b)).
 * - Company mode: everything, but driver related data (13: 102, 105, 108, 133a, 133e, all in TREP 22) only
 *   for periods no other company has locked.
 * - Control and calibration modes: everything.
 *
 * `rigRead`: the test rig reading an emulated VU for a scenario's records (`vu.rigRead`). The rig has no card
 * to insert without changing what it reads (a card is an insertion record, an activity, maybe a conflict), so
 * in operational mode alone its own sessions read as in control mode, leaving no control record behind. In
 * every other mode a rig session gets that mode's rights like any IDE. A choice of the rig, not of Annex IC.
 */
export interface DownloadAccess {
  mode: Mode;
  vuData: boolean;
  driverCard: boolean;
  /** Annex IC 13, company mode: the company (13 characters) whose locks and unlocked periods it may read; null: no restriction. */
  company: string | null;
  /** The rig's own read, lifted from operational mode. */
  rigRead: boolean;
}

const FRONT_CONNECTOR = { channel: 'download' } as const;

export function downloadAccess(slots: CardSlotsState, rigRead = false): DownloadAccess {
  const holders = slotHolders(slots);
  const mode = currentMode(slots);
  const vuData = canRead(holders, 'overview', FRONT_CONNECTOR).allowed;
  // Annex IC 12 (b) opens an operational-mode session to a driver card in a slot: with none, there is nothing to open
  const driverInSlot = [holders.driver, holders.coDriver].some((h) => h?.type === 'driver');
  const driverCard = canRead(holders, 'driverCard', FRONT_CONNECTOR).allowed && (vuData || driverInSlot);
  if (!vuData && rigRead) return { mode, vuData: true, driverCard: true, company: null, rigRead: true };
  const activities = canRead(holders, 'activities', FRONT_CONNECTOR);
  const lock = activities.allowed ? activities.restrictions.find((r) => r.kind === 'company-lock-periods') : undefined;
  return { mode, vuData, driverCard, company: lock?.kind === 'company-lock-periods' ? lock.company : null, rigRead: false };
}
