import {
  encodeFullCardNumberAndGeneration,
  encodeName,
  encodeOdometerShort,
  encodeTimeReal,
  encodeIa5,
  type FullCardNumberAndGeneration,
} from '../../devices/cards/app1-codec.ts';
import { concatBytes } from '../../crypto/bytes.ts';

/**
 * App. 1 records of TREP 21..25 that no device module encodes yet (gen2 sizes). Times are ms (TimeReal
 * keeps whole seconds). Records the VU already encodes (VuCardIWRecord, ActivityChangeInfo) are reused.
 */

/** App. 1 `VehicleRegistrationNumber`: codePage 1 then 13 bytes, space padded (code page 0 when empty). */
export function encodeVehicleRegistrationNumber(vrn: string): Uint8Array {
  if (vrn.length > 13) throw new Error(`VRN '${vrn}' is longer than 13 characters`);
  const out = new Uint8Array(14).fill(0x20);
  out[0] = vrn.length === 0 ? 0 : 1;
  for (let i = 0; i < vrn.length; i++) out[1 + i] = vrn.charCodeAt(i) & 0xff;
  return out;
}

/** App. 1 `CardSlotsStatus`: 'ccccdddd', co-driver slot high nibble, driver slot low nibble; 0 no card,
 * 1 driver, 2 workshop, 3 control, 4 company card. */
export type SlotCardKind = 'none' | 'driver' | 'workshop' | 'control' | 'company';
const SLOT_CODE: Record<SlotCardKind, number> = { none: 0, driver: 1, workshop: 2, control: 3, company: 4 };
export function encodeCardSlotsStatus(driver: SlotCardKind, codriver: SlotCardKind): Uint8Array {
  return Uint8Array.of((SLOT_CODE[codriver] << 4) | SLOT_CODE[driver]);
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

/** App. 1 `GNSSPlaceRecord` (11 bytes): timeStamp, gnssAccuracy, GeoCoordinates (lat, lon: ±DDMM.M × 10, 3 bytes
 * two's complement each). */
export interface GnssPlace {
  timeStamp: number;
  gnssAccuracy: number;
  /** ±DDMM.M × 10, as App. 1 GeoCoordinates stores it. */
  latitude: number;
  longitude: number;
}
function int24(v: number): Uint8Array {
  if (!Number.isInteger(v) || v < -0x800000 || v > 0x7fffff) throw new RangeError(`${v} does not fit 3 bytes`);
  const u = v & 0xffffff;
  return Uint8Array.of(u >> 16, (u >> 8) & 0xff, u & 0xff);
}
export function encodeGnssPlaceRecord(p: GnssPlace): Uint8Array {
  return concatBytes(encodeTimeReal(p.timeStamp), Uint8Array.of(p.gnssAccuracy), int24(p.latitude), int24(p.longitude));
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

/** App. 1 `SpecificConditionRecord` (5 bytes). */
export interface SpecificCondition {
  entryTime: number;
  /** `SpecificConditionType`: 1 out of scope begin, 2 end, 3 ferry/train begin, 4 end. */
  type: number;
}
export function encodeSpecificConditionRecord(s: SpecificCondition): Uint8Array {
  return concatBytes(encodeTimeReal(s.entryTime), Uint8Array.of(s.type));
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

export { encodeIa5 };
