import {
  decodeFullCardNumberAndGeneration,
  decodeName,
  decodeOdometerShort,
  decodeTimeReal,
  encodeFullCardNumberAndGeneration,
  encodeName,
  encodeOdometerShort,
  encodeTimeReal,
  encodeIa5,
  type FullCardNumberAndGeneration,
} from '../app1/app1-codec.ts';
import { concatBytes } from '../../crypto/bytes.ts';
import { decodeGnssPlaceRecord, encodeGnssPlaceRecord, type GnssPlace } from '../app1/gnss-place-record.ts';

/**
 * App. 1 records of TREP 21, 22 and 24 that no device module encodes yet (gen2 sizes), with their decoders.
 * Times are ms (TimeReal keeps whole seconds). Records the VU already encodes (VuCardIWRecord,
 * ActivityChangeInfo) are reused.
 */

function sized(bytes: Uint8Array, offset: number, size: number, what: string): Uint8Array {
  const b = bytes.subarray(offset, offset + size);
  if (b.length !== size) throw new RangeError(`${what} needs ${size} bytes, ${b.length} left`);
  return b;
}

/** An IA5String field, trailing space padding removed. */
export function decodeIa5(bytes: Uint8Array, offset: number, size: number): string {
  return String.fromCharCode(...sized(bytes, offset, size, 'IA5String')).replace(/ +$/, '');
}

function requiredCard(b: Uint8Array, at: number, what: string): FullCardNumberAndGeneration {
  const card = decodeFullCardNumberAndGeneration(b, at);
  if (!card) throw new RangeError(`${what}: no card number`);
  return card;
}

/** App. 1 `CardSlotsStatus`: 'ccccdddd', co-driver slot high nibble, driver slot low nibble; 0 no card,
 * 1 driver, 2 workshop, 3 control, 4 company card. */
export type SlotCardKind = 'none' | 'driver' | 'workshop' | 'control' | 'company';
const SLOT_CODE: Record<SlotCardKind, number> = { none: 0, driver: 1, workshop: 2, control: 3, company: 4 };
export function encodeCardSlotsStatus(driver: SlotCardKind, codriver: SlotCardKind): Uint8Array {
  return Uint8Array.of((SLOT_CODE[codriver] << 4) | SLOT_CODE[driver]);
}

const SLOT_KIND = Object.keys(SLOT_CODE) as SlotCardKind[];
export function decodeCardSlotsStatus(bytes: Uint8Array, offset = 0): { driver: SlotCardKind; codriver: SlotCardKind } {
  const v = sized(bytes, offset, 1, 'CardSlotsStatus')[0]!;
  const kind = (code: number): SlotCardKind => {
    const k = SLOT_KIND[code];
    if (!k) throw new RangeError(`CardSlotsStatus: slot code ${code} is not 0..4`);
    return k;
  };
  return { driver: kind(v & 0x0f), codriver: kind(v >> 4) };
}

/** App. 1 `VuDownloadActivityData` (gen2, 59 bytes). */
export interface VuDownloadActivity {
  downloadingTime: number;
  card: FullCardNumberAndGeneration | null;
  companyOrWorkshopName: string;
}
export function encodeVuDownloadActivityData(d: VuDownloadActivity): Uint8Array {
  return concatBytes(encodeTimeReal(d.downloadingTime), encodeFullCardNumberAndGeneration(d.card), encodeName(d.companyOrWorkshopName));
}
export function decodeVuDownloadActivityData(bytes: Uint8Array, offset = 0): VuDownloadActivity {
  const b = sized(bytes, offset, 59, 'VuDownloadActivityData');
  return { downloadingTime: decodeTimeReal(b, 0), card: decodeFullCardNumberAndGeneration(b, 4), companyOrWorkshopName: decodeName(b, 23) };
}

/** App. 1 `VuCompanyLocksRecord` (gen2, 99 bytes); lockOutTime 0 while the lock is on (a choice). */
export interface VuCompanyLock {
  lockInTime: number;
  lockOutTime: number | null;
  companyName: string;
  companyAddress: string;
  companyCard: FullCardNumberAndGeneration;
}
export function encodeVuCompanyLocksRecord(l: VuCompanyLock): Uint8Array {
  return concatBytes(
    encodeTimeReal(l.lockInTime),
    encodeTimeReal(l.lockOutTime ?? 0),
    encodeName(l.companyName),
    encodeName(l.companyAddress),
    encodeFullCardNumberAndGeneration(l.companyCard),
  );
}
export function decodeVuCompanyLocksRecord(bytes: Uint8Array, offset = 0): VuCompanyLock {
  const b = sized(bytes, offset, 99, 'VuCompanyLocksRecord');
  const out = decodeTimeReal(b, 4);
  return { lockInTime: decodeTimeReal(b, 0), lockOutTime: out === 0 ? null : out, companyName: decodeName(b, 8), companyAddress: decodeName(b, 44), companyCard: requiredCard(b, 80, 'VuCompanyLocksRecord') };
}

/** App. 1 `VuControlActivityRecord` (gen2, 32 bytes); controlType is the `ControlType` bit field. */
export interface VuControlActivity {
  controlType: number;
  controlTime: number;
  controlCard: FullCardNumberAndGeneration;
  downloadPeriodBeginTime: number;
  downloadPeriodEndTime: number;
}
export function encodeVuControlActivityRecord(c: VuControlActivity): Uint8Array {
  return concatBytes(
    Uint8Array.of(c.controlType),
    encodeTimeReal(c.controlTime),
    encodeFullCardNumberAndGeneration(c.controlCard),
    encodeTimeReal(c.downloadPeriodBeginTime),
    encodeTimeReal(c.downloadPeriodEndTime),
  );
}
export function decodeVuControlActivityRecord(bytes: Uint8Array, offset = 0): VuControlActivity {
  const b = sized(bytes, offset, 32, 'VuControlActivityRecord');
  return { controlType: b[0]!, controlTime: decodeTimeReal(b, 1), controlCard: requiredCard(b, 5, 'VuControlActivityRecord'), downloadPeriodBeginTime: decodeTimeReal(b, 24), downloadPeriodEndTime: decodeTimeReal(b, 28) };
}

/** App. 1 `VuGNSSADRecord` (56 bytes): Annex IC 108, each 3 h of accumulated driving. */
export interface VuGnssAd {
  timeStamp: number;
  driverCard: FullCardNumberAndGeneration | null;
  codriverCard: FullCardNumberAndGeneration | null;
  place: GnssPlace;
  odometerKm: number;
}
export function encodeVuGnssAdRecord(r: VuGnssAd): Uint8Array {
  return concatBytes(
    encodeTimeReal(r.timeStamp),
    encodeFullCardNumberAndGeneration(r.driverCard),
    encodeFullCardNumberAndGeneration(r.codriverCard),
    encodeGnssPlaceRecord(r.place),
    encodeOdometerShort(r.odometerKm),
  );
}
export function decodeVuGnssAdRecord(bytes: Uint8Array, offset = 0): VuGnssAd {
  const b = sized(bytes, offset, 56, 'VuGNSSADRecord');
  return { timeStamp: decodeTimeReal(b, 0), driverCard: decodeFullCardNumberAndGeneration(b, 4), codriverCard: decodeFullCardNumberAndGeneration(b, 23), place: decodeGnssPlaceRecord(b, 42), odometerKm: decodeOdometerShort(b, 53) };
}

/** App. 1 `VuPlaceDailyWorkPeriodRecord` (gen2, 40 bytes): card, then `PlaceRecord` (gen2). */
export interface VuPlaceDailyWorkPeriod {
  card: FullCardNumberAndGeneration;
  entryTime: number;
  /** `EntryTypeDailyWorkPeriod`. */
  entryType: number;
  country: number;
  region: number;
  odometerKm: number;
  place: GnssPlace;
}
export function encodeVuPlaceDailyWorkPeriodRecord(p: VuPlaceDailyWorkPeriod): Uint8Array {
  return concatBytes(
    encodeFullCardNumberAndGeneration(p.card),
    encodeTimeReal(p.entryTime),
    Uint8Array.of(p.entryType, p.country, p.region),
    encodeOdometerShort(p.odometerKm),
    encodeGnssPlaceRecord(p.place),
  );
}
export function decodeVuPlaceDailyWorkPeriodRecord(bytes: Uint8Array, offset = 0): VuPlaceDailyWorkPeriod {
  const b = sized(bytes, offset, 40, 'VuPlaceDailyWorkPeriodRecord');
  return {
    card: requiredCard(b, 0, 'VuPlaceDailyWorkPeriodRecord'),
    entryTime: decodeTimeReal(b, 19),
    entryType: b[23]!,
    country: b[24]!,
    region: b[25]!,
    odometerKm: decodeOdometerShort(b, 26),
    place: decodeGnssPlaceRecord(b, 29),
  };
}

/** App. 1 `SpecificConditionRecord` (5 bytes). */
export interface SpecificCondition {
  entryTime: number;
  /** `SpecificConditionType`: 1 out of scope begin, 2 end, 3 ferry/train begin, 4 end. */
  type: number;
}
export function encodeSpecificConditionRecord(s: SpecificCondition): Uint8Array {
  return concatBytes(encodeTimeReal(s.entryTime), Uint8Array.of(s.type));
}
export function decodeSpecificConditionRecord(bytes: Uint8Array, offset = 0): SpecificCondition {
  const b = sized(bytes, offset, 5, 'SpecificConditionRecord');
  return { entryTime: decodeTimeReal(b, 0), type: b[4]! };
}

/** App. 1 `VuDetailedSpeedBlock` (64 bytes): begin TimeReal and 60 `Speed` bytes. */
export function encodeVuDetailedSpeedBlock(block: { begin: number; speeds: readonly number[] }): Uint8Array {
  if (block.speeds.length !== 60) throw new RangeError(`a detailed speed block has 60 speeds, got ${block.speeds.length}`);
  const out = new Uint8Array(64);
  // the VU's DetailedSpeedBlock begin is TimeReal seconds already
  out.set(encodeTimeReal(block.begin * 1000), 0);
  block.speeds.forEach((s, i) => (out[4 + i] = Math.max(0, Math.min(255, Math.round(s)))));
  return out;
}
/** Back to the VU's DetailedSpeedBlock shape: begin in TimeReal seconds. */
export function decodeVuDetailedSpeedBlock(bytes: Uint8Array, offset = 0): { begin: number; speeds: number[] } {
  const b = sized(bytes, offset, 64, 'VuDetailedSpeedBlock');
  return { begin: decodeTimeReal(b, 0) / 1000, speeds: Array.from(b.subarray(4, 64)) };
}

export { encodeIa5, type GnssPlace };
