import { concatBytes } from '../../crypto/bytes.ts';
import { encodeActivityChangeInfo, type ActivityChangeInfo } from '../app1/activity-change-info.ts';
import { decodeTimeReal, decodeVehicleRegistrationNumber, encodeIa5, encodeOdometerShort, encodeTimeReal, encodeVehicleRegistrationNumber } from '../app1/app1-codec.ts';
import { encodeGnssPlaceRecord, type GnssPlace } from '../app1/gnss-place-record.ts';
import { CARD_EVENT_RECORD_SIZE, CARD_VEHICLE_RECORD_SIZE, PLACE_RECORD_SIZE } from './card-ef-codec.ts';

/**
 * How a recording equipment updates the record EFs of a driver card (App. 1 2.17, 2.19-2.22, 2.27, 2.31, 2.37,
 * 2.203-2.205; App. 2 TCS_150, TCS_154): pure functions from an EF's content and the records to store to its new
 * content, on the card's own storing rules: the cyclic activity string with its two pointers, the sets of
 * events and faults per type (the most recent replace the oldest, Annex IC 148), the cyclic record sets whose
 * pointer names the newest record. Each update is idempotent: storing the same records again (a card download
 * in the middle of a session, then the withdrawal) leaves the EF as it was, so a VU may update a card as often
 * as it likes. Times are ms (stored as TimeReal), odometers km.
 */

export type Generation = 1 | 2;

/** 'VehicleRegistrationIdentification' (App. 1 2.166): the registering Member State and the VRN. */
export interface Vehicle {
  nation: number;
  number: string;
}

const vehicleBytes = (v: Vehicle) => concatBytes(Uint8Array.of(v.nation), encodeVehicleRegistrationNumber(v.number));
const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const putU16 = (b: Uint8Array, at: number, v: number) => {
  b[at] = (v >> 8) & 0xff;
  b[at + 1] = v & 0xff;
};
/** App. 1 BCDString of 2 bytes (DailyPresenceCounter, VuDataBlockCounter): 0..9999. */
export function encodeBcd2(value: number): Uint8Array {
  const d = String(value % 10_000).padStart(4, '0');
  return Uint8Array.of((Number(d[0]) << 4) | Number(d[1]), (Number(d[2]) << 4) | Number(d[3]));
}
export function decodeBcd2(b: Uint8Array, at: number): number {
  const x = b[at]!;
  const y = b[at + 1]!;
  return (x >> 4) * 1000 + (x & 15) * 100 + (y >> 4) * 10 + (y & 15);
}
/** App. 2: a record at its default value is all zero but for its VRNs ({00, 20..20}) and texts (spaces): a zero first time field means unused. */
const isZero = (b: Uint8Array, from: number, to: number) => b.subarray(from, to).every((x) => x === 0);

// ---------------------------------------------------------------------------------------------------------
// EF Driver_Activity_Data (App. 1 2.17 CardDriverActivity, 2.9 CardActivityDailyRecord)

/** One calendar day as the card keeps it. `changes` use the driver card meaning of ActivityChangeInfo (App. 1 2.1, below). */
export interface CardActivityDay {
  /** 00:00 UTC of the day, ms. */
  date: number;
  /**
   * activityDailyPresenceCounter (App. 1 2.56, Annex IC 291: increased by one for each calendar day). Absent:
   * the record of the same date keeps its counter, a new day takes the newest record's plus one (1 on a card
   * that never recorded a day).
   */
  presenceCounter?: number;
  /** activityDayDistance, km (App. 1 2.60). */
  distanceKm: number;
  /**
   * App. 1 2.1, driver card meaning: 'p' the card status; with the card inserted 'c' is the driving status
   * (drivingStatus 'crew' = 1), with the card not inserted 'c' tells whether the activity is known (here
   * drivingStatus 'crew' = 1 = known, 'single' = 0 = unknown). Sorted by minute.
   */
  changes: ActivityChangeInfo[];
}

const DAY_HEADER = 12;

/** The newest day record of the string, or null when the card never recorded one (App. 2 default: all zero). */
export function newestActivityDay(value: Uint8Array): { date: number; presenceCounter: number; distanceKm: number; changes: Uint8Array } | null {
  const ring = ring_(value);
  if (!ring.records.length) return null;
  const last = ring.records[ring.records.length - 1]!;
  const bytes = ring.read(last.at, last.length);
  return { date: decodeTimeReal(bytes, 4), presenceCounter: decodeBcd2(bytes, 8), distanceKm: u16(bytes, 10), changes: bytes.subarray(DAY_HEADER) };
}

interface Ring {
  n: number;
  records: { at: number; length: number }[];
  read: (at: number, length: number) => Uint8Array;
}

/** The day records of the cyclic string, oldest first, walking back from the newest by the previous lengths. */
function ring_(value: Uint8Array): Ring {
  const body = value.subarray(4);
  const n = body.length;
  const read = (at: number, length: number) => Uint8Array.from({ length }, (_, i) => body[(at + i) % n]!);
  const oldest = u16(value, 0);
  const newest = u16(value, 2);
  const records: { at: number; length: number }[] = [];
  if (n === 0 || body.every((b) => b === 0)) return { n, records, read };
  let at = newest;
  for (let guard = 0; guard < n; guard++) {
    const head = read(at, 4);
    const length = u16(head, 2);
    if (length < DAY_HEADER || length > n) throw new RangeError(`CardDriverActivity: no day record at byte ${at} (length ${length})`);
    records.unshift({ at, length });
    if (at === oldest) return { n, records, read };
    const previous = u16(head, 0);
    if (previous === 0) throw new RangeError(`CardDriverActivity: activityPreviousRecordLength 0 at byte ${at} before the oldest record ${oldest}`);
    at = (at - previous + n) % n;
  }
  throw new RangeError('CardDriverActivity: the records run in a circle');
}

/**
 * Stores `days` (oldest first) in EF Driver_Activity_Data's value. A day of the newest record's date replaces
 * that record; a later day is appended after it; when the string is full the oldest days give way (App. 1
 * 2.17: the string wraps at its end, even inside a data element; the new oldest record's
 * activityPreviousRecordLength becomes 0). Choice: a day before the newest record's date (the card's
 * newest day is later than the VU's clock: a time overlap, Annex IC 74) is not written: the card keeps its
 * days in the order of their occurrence (Annex IC 293) and the VU's event 0x03 records the overlap.
 */
export function putActivityDays(value: Uint8Array, days: readonly CardActivityDay[]): Uint8Array {
  const out = value.slice();
  const body = out.subarray(4);
  const n = body.length;
  let { records } = ring_(out);
  const write = (at: number, bytes: Uint8Array) => bytes.forEach((b, i) => (body[(at + i) % n] = b));
  for (const day of days) {
    const newest = records[records.length - 1];
    const newestDate = newest ? decodeTimeReal(Uint8Array.from({ length: 4 }, (_, i) => body[(newest.at + 4 + i) % n]!), 0) : null;
    if (newestDate !== null && day.date < newestDate) continue;
    let at = 0;
    let previous = 0;
    const newestCounter = newest ? decodeBcd2(Uint8Array.from([body[(newest.at + 8) % n]!, body[(newest.at + 9) % n]!]), 0) : 0;
    const counter = day.presenceCounter ?? (newest && newestDate === day.date ? newestCounter : (newestCounter + 1) % 10_000);
    if (newest && newestDate === day.date) {
      at = newest.at;
      previous = u16(Uint8Array.from([body[at % n]!, body[(at + 1) % n]!]), 0);
      records = records.slice(0, -1);
    } else if (newest) {
      at = (newest.at + newest.length) % n;
      previous = newest.length;
    }
    const record = new Uint8Array(DAY_HEADER + 2 * day.changes.length);
    if (record.length > n) throw new RangeError(`a day of ${day.changes.length} changes does not fit ${n} bytes`);
    putU16(record, 2, record.length);
    record.set(encodeTimeReal(day.date), 4);
    record.set(encodeBcd2(counter), 8);
    putU16(record, 10, Math.min(0xffff, Math.max(0, Math.round(day.distanceKm))));
    day.changes.forEach((c, i) => record.set(encodeActivityChangeInfo(c), DAY_HEADER + 2 * i));
    // the oldest records the new one runs over give way (Annex IC 148)
    while (records.length > 0 && (records[0]!.at - at + n) % n < record.length) records = records.slice(1);
    if (records.length === 0) previous = 0;
    putU16(record, 0, previous);
    write(at, record);
    if (records.length > 0) write(records[0]!.at, Uint8Array.of(0, 0));
    records = [...records, { at, length: record.length }];
    putU16(out, 0, records[0]!.at);
    putU16(out, 2, at);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// EF Events_Data, EF Faults_Data (App. 1 2.19-2.22)

export interface CardEventOrFault {
  type: number;
  begin: number;
  end: number;
  vehicle: Vehicle;
}

/**
 * The sets of CardEventData, in card order (App. 1 2.19: ascending EventFaultType, the security breach
 * attempts gathered in the last set), with the event types each set takes: gen1 Annex IC 260 (6 types), gen2
 * Annex IC 285 (11 types).
 */
export const CARD_EVENT_SETS: Readonly<Record<Generation, readonly (readonly number[])[]>> = {
  1: [[0x03], [0x05], [0x06], [0x08], [0x09], SECURITY_BREACH()],
  2: [[0x03], [0x05], [0x06], [0x08], [0x09], [0x0a], [0x0b], [0x0c], [0x0d], [0x0e], SECURITY_BREACH()],
};
function SECURITY_BREACH(): number[] {
  return Array.from({ length: 16 }, (_, i) => 0x10 + i);
}
/** App. 1 2.21: the recording equipment faults ('30'H..'3F'H), then the card faults ('40'H..'4F'H) (Annex IC 263, 288). */
export const CARD_FAULT_SETS: readonly (readonly number[])[] = [Array.from({ length: 16 }, (_, i) => 0x30 + i), Array.from({ length: 16 }, (_, i) => 0x40 + i)];

/** The set of `sets` a type goes to, or -1 when the card does not store that type. */
export function cardSetOf(sets: readonly (readonly number[])[], type: number): number {
  return sets.findIndex((s) => s.includes(type));
}

/**
 * Stores events (or faults) in their type's set of `perSet` records: a record of the same type and begin is
 * replaced (the same event, its end now known), else the first unused record takes it, else the record with
 * the oldest begin gives way (Annex IC 262, 287: the most recent events of each type; 141). Types the card
 * does not store are left out (Annex IC 140).
 */
export function putEventRecords(value: Uint8Array, sets: readonly (readonly number[])[], perSet: number, records: readonly CardEventOrFault[]): Uint8Array {
  const out = value.slice();
  for (const r of records) {
    const set = cardSetOf(sets, r.type);
    if (set < 0) continue;
    const first = set * perSet * CARD_EVENT_RECORD_SIZE;
    const slots = Array.from({ length: perSet }, (_, i) => first + i * CARD_EVENT_RECORD_SIZE);
    const begin = (at: number) => decodeTimeReal(out, at + 1);
    const unused = (at: number) => isZero(out, at, at + 9);
    const at =
      slots.find((s) => !unused(s) && out[s] === r.type && begin(s) === Math.floor(r.begin / 1000) * 1000) ??
      slots.find(unused) ??
      slots.reduce((a, b) => (begin(b) < begin(a) ? b : a));
    out.set(concatBytes(Uint8Array.of(r.type), encodeTimeReal(r.begin), encodeTimeReal(r.end), vehicleBytes(r.vehicle)), at);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Cyclic record sets with a pointer to the newest record (App. 1 2.31 CardVehiclesUsed, 2.27
// CardPlaceDailyWorkPeriod, 2.203 CardVehicleUnitsUsed, 2.79 GNSSAccumulatedDriving)

export interface CyclicSet {
  pointerSize: 1 | 2;
  recordSize: number;
  /** Where in the record the first time field is: zero there means unused. */
  timeAt: number;
}

function cyclic(value: Uint8Array, set: CyclicSet) {
  const count = Math.floor((value.length - set.pointerSize) / set.recordSize);
  const pointer = set.pointerSize === 1 ? value[0]! : u16(value, 0);
  const offset = (i: number) => set.pointerSize + i * set.recordSize;
  const unused = (i: number) => isZero(value, offset(i) + set.timeAt, offset(i) + set.timeAt + 4);
  return { count, pointer, offset, unused, record: (i: number) => value.subarray(offset(i), offset(i) + set.recordSize) };
}

/**
 * Writes `record` in a cyclic set: over the record `same` finds (searched newest first), else after the
 * newest (App. 1: the pointer is the index of the last updated record; a card that never recorded starts at
 * record 0), the oldest giving way once the set is full (Annex IC 148).
 */
export function putCyclic(value: Uint8Array, set: CyclicSet, record: Uint8Array, same: (existing: Uint8Array) => boolean): Uint8Array {
  const out = value.slice();
  const c = cyclic(out, set);
  if (c.count === 0) return out;
  let index: number | undefined;
  for (let k = 0; k < c.count; k++) {
    const i = (c.pointer - k + c.count) % c.count;
    if (c.unused(i)) continue;
    if (same(c.record(i))) {
      index = i;
      break;
    }
  }
  if (index === undefined) {
    if (c.unused(c.pointer)) index = c.pointer;
    else index = (c.pointer + 1) % c.count;
    if (set.pointerSize === 1) out[0] = index;
    else putU16(out, 0, index);
  }
  out.set(record, c.offset(index));
  return out;
}

/** The newest record of a cyclic set, or null when none is used. */
function newestCyclic(value: Uint8Array, set: CyclicSet): Uint8Array | null {
  const c = cyclic(value, set);
  return c.count === 0 || c.unused(c.pointer) ? null : c.record(c.pointer);
}

// --- EF Vehicles_Used (App. 1 2.37 CardVehicleRecord: 31 bytes gen1, 48 gen2 with the VIN)

export interface CardVehicleUse {
  odometerBeginKm: number;
  odometerEndKm: number;
  firstUse: number;
  lastUse: number;
  vehicle: Vehicle;
  vuDataBlockCounter: number;
  /** Gen2 only. */
  vin: string;
}

const vehicleSet = (g: Generation): CyclicSet => ({ pointerSize: 2, recordSize: CARD_VEHICLE_RECORD_SIZE[g], timeAt: 6 });

export function encodeCardVehicleRecord(v: CardVehicleUse, g: Generation): Uint8Array {
  return concatBytes(
    encodeOdometerShort(v.odometerBeginKm),
    encodeOdometerShort(v.odometerEndKm),
    encodeTimeReal(v.firstUse),
    encodeTimeReal(v.lastUse),
    vehicleBytes(v.vehicle),
    encodeBcd2(v.vuDataBlockCounter),
    g === 2 ? encodeIa5(v.vin, 17) : new Uint8Array(0),
  );
}

/**
 * Stores one period of use of a vehicle on one day (Annex IC 269, 294): it replaces the record of the same
 * vehicle and first use (the same period, updated), else it goes after the newest.
 */
export function putVehicleRecord(value: Uint8Array, g: Generation, v: CardVehicleUse): Uint8Array {
  const record = encodeCardVehicleRecord(v, g);
  return putCyclic(value, vehicleSet(g), record, (r) => decodeTimeReal(r, 6) === decodeTimeReal(record, 6) && sameBytes(r.subarray(14, 29), record.subarray(14, 29)));
}

export interface NewestVehicle {
  firstUse: number;
  lastUse: number;
  odometerBeginKm: number;
  vehicle: Vehicle;
  vuDataBlockCounter: number;
  /** The raw VehicleRegistrationIdentification, to compare with another. */
  registration: Uint8Array;
}

export function newestVehicleRecord(value: Uint8Array, g: Generation): NewestVehicle | null {
  const r = newestCyclic(value, vehicleSet(g));
  if (!r) return null;
  return {
    odometerBeginKm: (r[0]! << 16) | (r[1]! << 8) | r[2]!,
    firstUse: decodeTimeReal(r, 6),
    lastUse: decodeTimeReal(r, 10),
    vehicle: { nation: r[14]!, number: decodeVehicleRegistrationNumber(r, 15) },
    vuDataBlockCounter: decodeBcd2(r, 29),
    registration: r.slice(14, 29),
  };
}

export function vehicleRegistrationBytes(v: Vehicle): Uint8Array {
  return vehicleBytes(v);
}

// --- EF Places (App. 1 2.117 PlaceRecord: 10 bytes gen1, 21 gen2 with the GNSS place)

export interface CardPlace {
  entryTime: number;
  entryType: number;
  country: number;
  region: number;
  odometerKm: number;
  /** Gen2 only. */
  place: GnssPlace;
}

const placeSet = (g: Generation): CyclicSet => ({ pointerSize: g === 2 ? 2 : 1, recordSize: PLACE_RECORD_SIZE[g], timeAt: 0 });

export function putPlaceRecord(value: Uint8Array, g: Generation, p: CardPlace): Uint8Array {
  const record = concatBytes(encodeTimeReal(p.entryTime), Uint8Array.of(p.entryType, p.country, p.region), encodeOdometerShort(p.odometerKm), g === 2 ? encodeGnssPlaceRecord(p.place) : new Uint8Array(0));
  return putCyclic(value, placeSet(g), record, (r) => sameBytes(r.subarray(0, 5), record.subarray(0, 5)));
}

// --- EF VehicleUnits_Used (gen2, App. 1 2.205 CardVehicleUnitRecord: 10 bytes)

export interface CardVehicleUnit {
  /** The beginning of the period of use of the VU (first card insertion in it for the period). */
  timeStamp: number;
  manufacturerCode: number;
  deviceId: number;
  softwareVersion: string;
}

const vehicleUnitSet: CyclicSet = { pointerSize: 2, recordSize: 10, timeAt: 0 };

export function putVehicleUnitRecord(value: Uint8Array, u: CardVehicleUnit): Uint8Array {
  const record = concatBytes(encodeTimeReal(u.timeStamp), Uint8Array.of(u.manufacturerCode, u.deviceId), encodeIa5(u.softwareVersion, 4));
  return putCyclic(value, vehicleUnitSet, record, (r) => sameBytes(r, record));
}

// --- EF GNSS_Places (gen2, App. 1 2.79 GNSSAccDrivingRecord: 18 bytes)

export interface CardGnssAccumulatedDriving {
  timeStamp: number;
  place: GnssPlace;
  odometerKm: number;
}

const gnssSet: CyclicSet = { pointerSize: 2, recordSize: 18, timeAt: 0 };

export function putGnssAccumulatedDrivingRecord(value: Uint8Array, r: CardGnssAccumulatedDriving): Uint8Array {
  const record = concatBytes(encodeTimeReal(r.timeStamp), encodeGnssPlaceRecord(r.place), encodeOdometerShort(r.odometerKm));
  return putCyclic(value, gnssSet, record, (x) => sameBytes(x.subarray(0, 4), record.subarray(0, 4)));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
