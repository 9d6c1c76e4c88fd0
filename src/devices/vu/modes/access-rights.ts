import type { CardType } from '../../../protocols/app1/card-type.ts';
import { parseCardNumber } from '../../../protocols/app1/card-number.ts';
import { modeOfOperation, type Mode } from './mode-of-operation.ts';

/** Annex IC 2.2 functions that Annex IC 12 opens in one mode only. */
export type ModeBoundFunction = 'calibration' | 'roadsideCalibrationCheck' | 'companyLocksManagement' | 'controlActivityMonitoring';

const FUNCTION_MODE: Readonly<Record<ModeBoundFunction, Mode>> = {
  calibration: 'calibration', // Annex IC 12: calibration mode only
  roadsideCalibrationCheck: 'control', // Annex IC 12: control mode only
  companyLocksManagement: 'company', // Annex IC 12: company mode only
  controlActivityMonitoring: 'control', // Annex IC 12: control mode only
};

/** Annex IC 12: whether a mode-bound function is available in `mode`. Every other function works in any mode. */
export function isFunctionAvailable(mode: Mode, fn: ModeBoundFunction): boolean {
  return FUNCTION_MODE[fn] === mode;
}

/**
 * What is read: the VU data of each App. 7 transfer (TREP 21..25: overview, activities, events and faults,
 * detailed speed, technical data) or a driver card through the VU. Displays and printouts read the same
 * classes (a VU daily printout reads `activities`, a card daily printout `driverCard`, ...).
 */
export const DATA_CLASSES = ['overview', 'activities', 'eventsAndFaults', 'detailedSpeed', 'technicalData', 'driverCard'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

/**
 * Driver related data in the sense of Annex IC 13: card insertions and withdrawals (102), driver activities
 * (105), places and positions (108), border crossings (133a), load/unload operations (133e). All are in the
 * activities transfer (TREP 22).
 */
const DRIVER_RELATED: ReadonlySet<DataClass> = new Set(['activities']);

/**
 * How the data leaves the VU: its display, its printer, the front connector download (Annex IC 192), or a
 * download through another interface to a company authenticated on it (Annex IC 193).
 */
export type Channel = 'display' | 'printer' | 'download' | 'remote-download';

export interface Requester {
  channel: Channel;
  /** For `remote-download`: the 13-character owner identification of the company authenticated. */
  company?: string;
}

/** A valid card in a slot (non-valid cards are ignored, Annex IC 11: pass null for them). */
export interface SlotHolder {
  type: CardType;
  cardNumber: string;
}

export interface Slots {
  driver: SlotHolder | null;
  coDriver: SlotHolder | null;
}

export type Restriction =
  /** Annex IC 13, operational mode: names of holders of cards not inserted blanked, their card numbers partially. */
  | { kind: 'blank-other-cards'; requirement: 'Annex IC 13' }
  /** Annex IC 13, company mode: driver related data only for periods no other company has locked. */
  | { kind: 'company-lock-periods'; company: string; requirement: 'Annex IC 13' }
  /** Annex IC 13, no card inserted: driver related data only for the current and 8 previous calendar days. */
  | { kind: 'recent-days'; days: 9; requirement: 'Annex IC 13' };

export type ReadDecision =
  | { allowed: true; mode: Mode; restrictions: Restriction[] }
  | { allowed: false; mode: Mode; reason: string; requirement: string };

/**
 * Annex IC 12, 13 and 193: whether `requester` may read `dataClass` with these valid cards inserted, and
 * what must be withheld from what it reads. Control and calibration modes read everything.
 */
export function canRead(slots: Slots, dataClass: DataClass, requester: Requester): ReadDecision {
  const { mode, driverSlotOnly } = modeOfOperation(slots.driver?.type ?? null, slots.coDriver?.type ?? null);
  const restrictions: Restriction[] = [];
  const driverRelated = DRIVER_RELATED.has(dataClass);

  if (requester.channel === 'remote-download') {
    // Annex IC 193: in any mode, with company mode rights, for the company authenticated on that channel.
    if (!requester.company) return { allowed: false, mode, reason: 'no company is authenticated on the remote channel', requirement: 'Annex IC 193' };
    if (driverRelated) restrictions.push({ kind: 'company-lock-periods', company: requester.company, requirement: 'Annex IC 13' });
    return { allowed: true, mode, restrictions };
  }

  if (requester.channel === 'download' && mode === 'operational') {
    // Annex IC 12 (b): a driver card may be downloaded when no other card type is inserted.
    const onlyDriverCards = [slots.driver, slots.coDriver].every((card) => card === null || card.type === 'driver');
    if (dataClass === 'driverCard' && onlyDriverCards) return { allowed: true, mode, restrictions };
    return { allowed: false, mode, reason: 'downloading is not accessible in operational mode', requirement: 'Annex IC 12' };
  }

  if (mode === 'operational') {
    restrictions.push({ kind: 'blank-other-cards', requirement: 'Annex IC 13' });
    if (driverRelated && slots.driver === null && slots.coDriver === null) restrictions.push({ kind: 'recent-days', days: 9, requirement: 'Annex IC 13' });
  }
  if (mode === 'company' && driverRelated) {
    const companyCard = driverSlotOnly || slots.driver?.type === 'company' ? slots.driver! : slots.coDriver!;
    const parts = parseCardNumber('company', companyCard.cardNumber);
    if (parts.kind === 'owner') restrictions.push({ kind: 'company-lock-periods', company: parts.ownerIdentification, requirement: 'Annex IC 13' });
  }
  return { allowed: true, mode, restrictions };
}

/** A half-open period [from, to), ms. */
export interface Period {
  from: number;
  to: number;
}

const DAY_MS = 86_400_000;

/**
 * Annex IC 13: the period a VU with no card inserted may output driver related data for: from 00:00 of the
 * 8th calendar day before `now` to `now`. Calendar days are UTC days, the time base of the VU's records (a
 * choice: the Annex does not say whether local or UTC days).
 */
export function recentDaysPeriod(now: number): Period {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { from: today - 8 * DAY_MS, to: now };
}

/**
 * Annex IC 13: a card number partially blanked, every odd character from the left (1st, 3rd, ...) replaced by
 * a space (the App. 1 padding character, so a blanked number still encodes as IA5; a choice).
 */
export function blankCardNumber(cardNumber: string): string {
  return [...cardNumber].map((c, i) => (i % 2 === 0 ? ' ' : c)).join('');
}

/** Annex IC 13: a holder name blanked. */
export function blankHolderName(): { surname: string; firstNames: string } {
  return { surname: '', firstNames: '' };
}
