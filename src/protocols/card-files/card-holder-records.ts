import { concatBytes, fromHex } from '../../crypto/bytes.ts';
import { decodeTimeReal, encodeFullCardNumber, encodeIa5, encodeOdometerShort, encodeTimeReal, type FullCardNumber } from '../app1/app1-codec.ts';
import { EQUIPMENT_TYPE } from '../app1/card-type.ts';
import { encodeExtendedSerialNumber, type ExtendedSerialNumber } from '../../crypto/pki/key-identifier.ts';
import { putCyclic, vehicleRegistrationBytes, type CyclicSet, type Generation, type Vehicle } from './card-ef-update.ts';

/**
 * The records a recording equipment stores on a card beyond a driver card's daily data (App. 1, App. 2 TCS_156..176),
 * and the EFs of workshop, control and company cards that hold them, as pure functions from an EF's content to
 * its new content (as card-ef-update.ts does for a driver card's records):
 * - the 46-byte control and company activity records: a driver or workshop card's EF Control_Activity_Data (App. 1
 *   2.15 CardControlActivityDataRecord, one record: Annex IC 300), a control card's EF Controller_Activity_Data
 *   (2.52 ControlCardControlActivityData, cyclic: Annex IC 362, 368) and a company card's EF Company_Activity_Data
 *   (2.49 CompanyActivityData, cyclic: Annex IC 374, 380);
 * - a workshop card's EF Calibration (2.235 WorkshopCardCalibrationData: the total counter, the pointer, the
 *   cyclic WorkshopCardCalibrationRecords, Annex IC 313-317) and its EF Card_Download ('0509',
 *   NoOfCalibrationsSinceDownload, Annex IC 317).
 * Each update is idempotent: storing the same record again (the same control, a second transfer of its session)
 * replaces it, so the VU may store a record each time it changes.
 */

/** App. 1 2.15 / 2.51 / 2.46: type, time, FullCardNumber, VehicleRegistrationIdentification, download period. */
export const ACTIVITY_RECORD_SIZE = 46;

export interface CardActivityRecord {
  /** ControlType (2.53) or CompanyActivityType (2.47). */
  type: number;
  /** ms */
  time: number;
  /** The other card (the control card; the controlled card; the card downloaded), or null: App. 2's default. */
  card: FullCardNumber | null;
  vehicle: Vehicle;
  /** ms; 0 when nothing was downloaded by day (App. 2 default {00..00}). */
  periodBegin: number;
  periodEnd: number;
}

/** App. 2 default of a FullCardNumber: cardType and Member State {00}, cardNumber {20..20}. */
const NO_CARD = concatBytes(new Uint8Array(2), new Uint8Array(16).fill(0x20));

export function encodeActivityRecord(r: CardActivityRecord): Uint8Array {
  return concatBytes(
    Uint8Array.of(r.type),
    encodeTimeReal(r.time),
    r.card ? encodeFullCardNumber(r.card) : NO_CARD,
    vehicleRegistrationBytes(r.vehicle),
    encodeTimeReal(r.periodBegin),
    encodeTimeReal(r.periodEnd),
  );
}

/** An unused 46-byte record as App. 2 personalises it (type, time 0; card {00 00 20..20}; VRN {00, 20..20}; period 0). */
export const EMPTY_ACTIVITY_RECORD = encodeActivityRecord({ type: 0, time: 0, card: null, vehicle: { nation: 0, number: '' }, periodBegin: 0, periodEnd: 0 });

/**
 * EF Control_Activity_Data of a driver or workshop card: the one record of the last control (Annex IC 299,
 * 300: "one such record"; 327/350 for a workshop card), the new control replacing the last.
 */
export function putCardControlActivity(_value: Uint8Array, r: CardActivityRecord): Uint8Array {
  return encodeActivityRecord(r);
}

const activitySet: CyclicSet = { pointerSize: 2, recordSize: ACTIVITY_RECORD_SIZE, timeAt: 1 };
const sameAt = (a: Uint8Array, b: Uint8Array, from: number, to: number) => a.subarray(from, to).every((x, i) => x === b[from + i]);

/**
 * A control card's EF Controller_Activity_Data (Annex IC 361, 367): a record per control, after the newest, the
 * oldest giving way (Annex IC 148). The control already stored (same time, same controlled card) is updated in
 * place: a download session adds its transfers' types and days to one control (Annex IC 127).
 */
export function putControllerActivityRecord(value: Uint8Array, r: CardActivityRecord): Uint8Array {
  const record = encodeActivityRecord(r);
  return putCyclic(value, activitySet, record, (x) => sameAt(x, record, 1, 23));
}

/** App. 1 2.47 CompanyActivityType. */
export const COMPANY_ACTIVITY = { cardDownloading: 1, vuDownloading: 2, vuLockIn: 3, vuLockOut: 4 } as const;

/**
 * A company card's EF Company_Activity_Data (Annex IC 373, 379): a record per activity (lock-in, lock-out, a
 * download), the same activity (type, time, card) updated in place.
 */
export function putCompanyActivityRecord(value: Uint8Array, r: CardActivityRecord): Uint8Array {
  const record = encodeActivityRecord(r);
  return putCyclic(value, activitySet, record, (x) => sameAt(x, record, 0, 23));
}

/**
 * A download in company mode (Annex IC 373: "period downloaded (if any)"): the activity already stored for the
 * same session (same type, time and card) has its period widened to the days this transfer adds (a period of 0
 * is none), so the session is one record over all the days it downloaded, as a control is (Annex IC 127).
 */
export function putCompanyDownloadRecord(value: Uint8Array, r: CardActivityRecord): Uint8Array {
  const key = encodeActivityRecord(r).subarray(0, 23);
  let { periodBegin, periodEnd } = r;
  for (let at = 2; at + ACTIVITY_RECORD_SIZE <= value.length; at += ACTIVITY_RECORD_SIZE) {
    if (!sameAt(value.subarray(at, at + 23), key, 0, 23)) continue;
    const begin = decodeTimeReal(value, at + 38);
    const end = decodeTimeReal(value, at + 42);
    if (begin !== 0) periodBegin = periodBegin === 0 ? begin : Math.min(periodBegin, begin);
    if (end !== 0) periodEnd = Math.max(periodEnd, end);
  }
  return putCompanyActivityRecord(value, { ...r, periodBegin, periodEnd });
}

/** An EF of `count` unused 46-byte records after a 2-byte pointer (Controller_Activity_Data, Company_Activity_Data). */
export function emptyActivityRecords(count: number): Uint8Array {
  const out = new Uint8Array(2 + count * ACTIVITY_RECORD_SIZE);
  for (let i = 0; i < count; i++) out.set(EMPTY_ACTIVITY_RECORD, 2 + i * ACTIVITY_RECORD_SIZE);
  return out;
}

/** App. 2 TCS_167, TCS_171 (n7) and TCS_175, TCS_179 (n8): 230..520 records; the rig's cards take the minimum (a choice). */
export const CONTROL_CARD_ACTIVITY_RECORDS = 230;
export const COMPANY_CARD_ACTIVITY_RECORDS = 230;

/**
 * App. 1 2.50 ControlCardApplicationIdentification / 2.48 CompanyCardApplicationIdentification (5 bytes):
 * typeOfTachographCardId, cardStructureVersion ('0000' in DF Tachograph, '0100' gen2 version 1, '0101' gen2
 * version 2: App. 2 TCS_168, TCS_176 notes), the record count.
 */
export function encodeControlOrCompanyApplicationIdentification(type: 'control' | 'company', generation: Generation, records: number, structureVersion: 1 | 2 = 1): Uint8Array {
  return Uint8Array.of(EQUIPMENT_TYPE[type], generation === 2 ? 0x01 : 0x00, generation === 2 && structureVersion === 2 ? 0x01 : 0x00, (records >> 8) & 0xff, records & 0xff);
}

// ---------------------------------------------------------------------------------------------------------
// Workshop card: EF Application_Identification, EF Calibration, EF Card_Download ('0509')

/** App. 2 TCS_159 (gen1: 88..255) and TCS_163 (gen2: 255): NoOfCalibrationRecords; the rig's gen1 application takes 88 (a choice). */
export const WORKSHOP_CALIBRATION_RECORDS: Readonly<Record<Generation, number>> = { 1: 88, 2: 255 };
export const WORKSHOP_CALIBRATION_RECORD_SIZE: Readonly<Record<Generation, number>> = { 1: 105, 2: 178 };

/**
 * App. 1 2.234 WorkshopCardApplicationIdentification (gen1 11 bytes, gen2 19) at the App. 2 minima (TCS_159:
 * 3 events and 6 faults per type, 198 bytes of activity, 4 vehicles, 6 places, 88 calibrations; TCS_163: 3, 6,
 * 492, 8 vehicles, 8 places, 255 calibrations, 24 GNSS AD, 4 specific conditions, 8 vehicle units). Choice: the
 * rig's workshop cards hold, of the EFs these counts size, only EF Calibration so far (README, Tachograph cards).
 */
export function encodeWorkshopCardApplicationIdentification(generation: Generation, structureVersion: 1 | 2 = 1): Uint8Array {
  const out = new Uint8Array(generation === 2 ? 19 : 11);
  const d = new DataView(out.buffer);
  out[0] = EQUIPMENT_TYPE.workshop;
  out[1] = generation === 2 ? 0x01 : 0x00;
  // App. 2 TCS_160 note: cardStructureVersion {01 01} for version 2 of the generation 2 workshop card
  out[2] = generation === 2 && structureVersion === 2 ? 0x01 : 0x00;
  out[3] = 3;
  out[4] = 6;
  d.setUint16(5, generation === 2 ? 492 : 198);
  d.setUint16(7, generation === 2 ? 8 : 4);
  if (generation === 1) {
    out[9] = 6;
    out[10] = WORKSHOP_CALIBRATION_RECORDS[1];
    return out;
  }
  d.setUint16(9, 8);
  d.setUint16(11, WORKSHOP_CALIBRATION_RECORDS[2]);
  d.setUint16(13, 24);
  d.setUint16(15, 4);
  d.setUint16(17, 8);
  return out;
}

/** App. 1 2.236 WorkshopCardCalibrationRecord, as the VU writes it (times ms, odometers km). */
export interface WorkshopCalibration {
  purpose: number;
  vin: string;
  vehicle: Vehicle;
  w: number;
  k: number;
  /** 1/8 mm (App. 1 2.91 L-TyreCircumference). */
  l: number;
  tyreSize: string;
  authorisedSpeedKmh: number;
  oldOdometerKm: number;
  newOdometerKm: number;
  oldTime: number;
  newTime: number;
  nextCalibrationDate: number;
  vuPartNumber: string;
  vuSerialNumber: ExtendedSerialNumber;
  sensorSerialNumber: ExtendedSerialNumber | null;
  /** Gen2 only. */
  sensorGnssSerialNumber: ExtendedSerialNumber | null;
  rcmSerialNumber: ExtendedSerialNumber | null;
  /** App. 1 2.169 VuAbility of the VU (bit 'a' 0: it supports first generation cards). */
  vuAbility: number;
  /** App. 1 2.128 SealDataCard: up to 5 SealRecords (2.130: EquipmentType, 2.71 ExtendedSealIdentifier: manufacturer code 2 bytes and identifier 8 bytes, hex). */
  seals: readonly { equipmentType: number; manufacturerCode: string; sealIdentifier: string }[];
}

const u16 = (n: number) => Uint8Array.of((n >> 8) & 0xff, n & 0xff);
const serial = (s: ExtendedSerialNumber | null) => (s ? encodeExtendedSerialNumber(s) : new Uint8Array(8));

export function encodeWorkshopCalibrationRecord(c: WorkshopCalibration, generation: Generation): Uint8Array {
  const g1 = concatBytes(
    Uint8Array.of(c.purpose),
    encodeIa5(c.vin, 17),
    vehicleRegistrationBytes(c.vehicle),
    u16(c.w),
    u16(c.k),
    u16(c.l),
    encodeIa5(c.tyreSize, 15),
    Uint8Array.of(c.authorisedSpeedKmh),
    encodeOdometerShort(c.oldOdometerKm),
    encodeOdometerShort(c.newOdometerKm),
    encodeTimeReal(c.oldTime),
    encodeTimeReal(c.newTime),
    encodeTimeReal(c.nextCalibrationDate),
    encodeIa5(c.vuPartNumber, 16),
    serial(c.vuSerialNumber),
    serial(c.sensorSerialNumber),
  );
  if (generation === 1) return g1;
  const seals = new Uint8Array(1 + 5 * 11);
  seals[0] = Math.min(5, c.seals.length);
  c.seals.slice(0, 5).forEach((s, i) => seals.set(concatBytes(Uint8Array.of(s.equipmentType), fromHex(s.manufacturerCode), fromHex(s.sealIdentifier)), 1 + 11 * i));
  return concatBytes(g1, serial(c.sensorGnssSerialNumber), serial(c.rcmSerialNumber), Uint8Array.of(c.vuAbility), seals);
}

/** EF Calibration as personalised: counter 0, pointer 0, every record unused (all zero but its texts, spaces). */
export function emptyWorkshopCalibrationData(generation: Generation): Uint8Array {
  const pointer = generation === 2 ? 2 : 1;
  const size = WORKSHOP_CALIBRATION_RECORD_SIZE[generation];
  const record = new Uint8Array(size);
  record.set(encodeIa5('', 17), 1);
  record.set(vehicleRegistrationBytes({ nation: 0, number: '' }), 18);
  record.set(encodeIa5('', 15), 39);
  record.set(encodeIa5('', 16), 73);
  const out = new Uint8Array(2 + pointer + WORKSHOP_CALIBRATION_RECORDS[generation] * size);
  for (let i = 0; i < WORKSHOP_CALIBRATION_RECORDS[generation]; i++) out.set(record, 2 + pointer + i * size);
  return out;
}

/** The bytes before the records of EF Calibration: calibrationTotalNumber (2), calibrationPointerNewestRecord (gen1 1, gen2 2). */
export const calibrationHeaderSize = (generation: Generation): number => (generation === 2 ? 4 : 3);

/**
 * Where a calibration goes in EF Calibration (Annex IC 313-316), from the EF's header and its newest record
 * alone (a gen2 workshop card's EF is 45 394 bytes: the VU does not read it whole): after the newest record
 * (record 0 on a card that never recorded one), the oldest giving way (Annex IC 148), calibrationTotalNumber
 * counting it; the same calibration stored again (the newest record has its VIN and old and new time) replaces
 * that record and is not counted twice. `count` is NoOfCalibrationRecords. The writes are offsets in the EF.
 */
export function calibrationRecordWrites(header: Uint8Array, newest: Uint8Array, generation: Generation, count: number, c: WorkshopCalibration): { offset: number; bytes: Uint8Array; added: boolean }[] {
  const record = encodeWorkshopCalibrationRecord(c, generation);
  const size = WORKSHOP_CALIBRATION_RECORD_SIZE[generation];
  const h = calibrationHeaderSize(generation);
  const total = (header[0]! << 8) | header[1]!;
  const pointer = generation === 2 ? (header[2]! << 8) | header[3]! : header[2]!;
  const unused = newest.subarray(65, 69).every((b) => b === 0);
  const same = !unused && sameAt(newest, record, 1, 18) && sameAt(newest, record, 61, 69);
  if (same) return [{ offset: h + pointer * size, bytes: record, added: false }];
  const index = unused ? pointer : (pointer + 1) % count;
  const newHeader = concatBytes(u16(Math.min(0xffff, total + 1)), generation === 2 ? u16(index) : Uint8Array.of(index));
  return [
    { offset: h + index * size, bytes: record, added: true },
    { offset: 0, bytes: newHeader, added: true },
  ];
}

/** EF Card_Download of a workshop card ('0509', App. 1 2.101 NoOfCalibrationsSinceDownload), one calibration more (Annex IC 317). */
export function countCalibrationSinceDownload(value: Uint8Array): Uint8Array {
  return u16(Math.min(0xffff, ((value[0]! << 8) | value[1]!) + 1));
}
