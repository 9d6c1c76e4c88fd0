import { decodeActivityChangeInfo, encodeActivityChangeInfo, type ActivityChangeInfo } from '../app1/activity-change-info.ts';
import type { CardSlot } from '../app1/card-type.ts';
import {
  App7G1Error,
  byte,
  concatBytes,
  extendedSerialNumber,
  field,
  fullCardNumber,
  holderName,
  ia5,
  name,
  odometer,
  readCard,
  readExtendedSerialNumber,
  readFullCardNumber,
  readHolderName,
  readIa5,
  readName,
  readOdometer,
  readOptionalTime,
  readTimeReal,
  readU16,
  readVehicleRegistrationIdentification,
  timeReal,
  u16,
  vehicleRegistrationIdentification,
  type ExtendedSerialNumber,
  type FullCardNumber,
  type VehicleRegistrationIdentification,
} from './fields-g1.ts';
import { G1_RECORD_SIZE as SIZE } from './layout-g1.ts';

/**
 * The App. 1 records of a generation 1 VU download (the "Generation 1" variant of each type), as plain data
 * named after App. 1's fields in camelCase. Every TimeReal is ms. Each record has the fixed size of
 * layout-g1.ts's G1_RECORD_SIZE; each layout is written out below, offset by offset. A decoder takes exactly
 * its record's bytes and throws App7G1Error on a value App. 1 does not define.
 */

function sized(bytes: Uint8Array, size: number, what: string): Uint8Array {
  if (bytes.length !== size) throw new App7G1Error(`${what} is ${size} bytes, got ${bytes.length}`);
  return bytes;
}

// ---------------------------------------------------------------- TREP 01

/** App. 1 2.34 `CardSlotsStatus` 'ccccdddd': the type of card in each slot (0 none, 1..4 driver, workshop, control, company). */
export type SlotCardType = 'none' | 'driver' | 'workshop' | 'control' | 'company';
const SLOT_CARD_TYPES: readonly SlotCardType[] = ['none', 'driver', 'workshop', 'control', 'company'];
export interface CardSlotsStatus {
  driver: SlotCardType;
  codriver: SlotCardType;
}
export function encodeCardSlotsStatus(s: CardSlotsStatus): Uint8Array {
  return Uint8Array.of((SLOT_CARD_TYPES.indexOf(s.codriver) << 4) | SLOT_CARD_TYPES.indexOf(s.driver));
}
export function decodeCardSlotsStatus(b: Uint8Array): CardSlotsStatus {
  const kind = (code: number) => {
    const k = SLOT_CARD_TYPES[code];
    if (!k) throw new App7G1Error(`CardSlotsStatus: slot value ${code} is not 0..4 (App. 1 2.34)`);
    return k;
  };
  return { driver: kind(b[0]! & 0x0f), codriver: kind(b[0]! >> 4) };
}

/** App. 1 2.193 `VuDownloadablePeriod` (8 bytes). */
export interface VuDownloadablePeriod {
  minDownloadableTime: number;
  maxDownloadableTime: number;
}

/**
 * App. 1 2.195 `VuDownloadActivityData`, gen1 (58 bytes):
 *   0  4 downloadingTime         TimeReal
 *   4 18 fullCardNumber          FullCardNumber
 *  22 36 companyOrWorkshopName   Name
 * A VU never downloaded in company or calibration mode writes time 0, no card and an empty name (choice:
 * App. 1 has no "none"); it reads back as such, with `fullCardNumber` null.
 */
export interface VuDownloadActivityDataG1 {
  downloadingTime: number;
  fullCardNumber: FullCardNumber | null;
  companyOrWorkshopName: string;
}
export function encodeVuDownloadActivityData(d: VuDownloadActivityDataG1): Uint8Array {
  return concatBytes(timeReal(d.downloadingTime), fullCardNumber(d.fullCardNumber), name(d.companyOrWorkshopName));
}
export function decodeVuDownloadActivityData(bytes: Uint8Array): VuDownloadActivityDataG1 {
  const b = sized(bytes, SIZE.VuDownloadActivityData, 'VuDownloadActivityData');
  return { downloadingTime: readTimeReal(b, 0), fullCardNumber: readFullCardNumber(b, 4, 'VuDownloadActivityData.fullCardNumber'), companyOrWorkshopName: readName(b, 22, 'VuDownloadActivityData.companyOrWorkshopName') };
}

/**
 * App. 1 2.184 `VuCompanyLocksRecord`, gen1 (98 bytes):
 *   0  4 lockInTime          TimeReal
 *   4  4 lockOutTime         TimeReal (0 while the lock is on: null)
 *   8 36 companyName         Name
 *  44 36 companyAddress      Address
 *  80 18 companyCardNumber   FullCardNumber
 */
export interface VuCompanyLocksRecordG1 {
  lockInTime: number;
  lockOutTime: number | null;
  companyName: string;
  companyAddress: string;
  companyCardNumber: FullCardNumber;
}
export function encodeVuCompanyLocksRecord(l: VuCompanyLocksRecordG1): Uint8Array {
  return concatBytes(timeReal(l.lockInTime), timeReal(l.lockOutTime ?? 0), name(l.companyName), name(l.companyAddress), fullCardNumber(l.companyCardNumber));
}
export function decodeVuCompanyLocksRecord(bytes: Uint8Array): VuCompanyLocksRecordG1 {
  const b = sized(bytes, SIZE.VuCompanyLocksRecord, 'VuCompanyLocksRecord');
  return {
    lockInTime: readTimeReal(b, 0),
    lockOutTime: readOptionalTime(b, 4),
    companyName: readName(b, 8, 'VuCompanyLocksRecord.companyName'),
    companyAddress: readName(b, 44, 'VuCompanyLocksRecord.companyAddress'),
    companyCardNumber: readCard(b, 80, 'VuCompanyLocksRecord.companyCardNumber'),
  };
}

/**
 * App. 1 2.187 `VuControlActivityRecord`, gen1 (31 bytes):
 *   0  1 controlType               ControlType (bits 'cvpdxxxx')
 *   1  4 controlTime               TimeReal
 *   5 18 controlCardNumber         FullCardNumber
 *  23  4 downloadPeriodBeginTime   TimeReal
 *  27  4 downloadPeriodEndTime     TimeReal
 */
export interface VuControlActivityRecordG1 {
  controlType: number;
  controlTime: number;
  controlCardNumber: FullCardNumber;
  downloadPeriodBeginTime: number;
  downloadPeriodEndTime: number;
}
export function encodeVuControlActivityRecord(c: VuControlActivityRecordG1): Uint8Array {
  return concatBytes(byte(c.controlType, 'controlType'), timeReal(c.controlTime), fullCardNumber(c.controlCardNumber), timeReal(c.downloadPeriodBeginTime), timeReal(c.downloadPeriodEndTime));
}
export function decodeVuControlActivityRecord(bytes: Uint8Array): VuControlActivityRecordG1 {
  const b = sized(bytes, SIZE.VuControlActivityRecord, 'VuControlActivityRecord');
  return {
    controlType: b[0]!,
    controlTime: readTimeReal(b, 1),
    controlCardNumber: readCard(b, 5, 'VuControlActivityRecord.controlCardNumber'),
    downloadPeriodBeginTime: readTimeReal(b, 23),
    downloadPeriodEndTime: readTimeReal(b, 27),
  };
}

// ---------------------------------------------------------------- TREP 02

/** App. 1 2.118 `PreviousVehicleInfo`, gen1 (19 bytes): VehicleRegistrationIdentification 15, cardWithdrawalTime 4. */
export interface PreviousVehicleInfoG1 {
  vehicleRegistrationIdentification: VehicleRegistrationIdentification;
  cardWithdrawalTime: number;
}

/**
 * App. 1 2.177 `VuCardIWRecord`, gen1 (129 bytes):
 *    0 72 cardHolderName                     HolderName (surname Name 36, first names Name 36)
 *   72 18 fullCardNumber                     FullCardNumber
 *   90  4 cardExpiryDate                     TimeReal
 *   94  4 cardInsertionTime                  TimeReal
 *   98  3 vehicleOdometerValueAtInsertion    OdometerShort
 *  101  1 cardSlotNumber                     CardSlotNumber (0 driver, 1 co-driver)
 *  102  4 cardWithdrawalTime                 TimeReal (0 while inserted: null)
 *  106  3 vehicleOdometerValueAtWithdrawal   OdometerShort
 *  109 19 previousVehicleInfo                PreviousVehicleInfo (gen1)
 *  128  1 manualInputFlag                    ManualInputFlag (0 noEntry, 1 manualEntries)
 */
export interface VuCardIWRecordG1 {
  cardHolderName: { surname: string; firstNames: string };
  fullCardNumber: FullCardNumber;
  cardExpiryDate: number;
  cardInsertionTime: number;
  vehicleOdometerValueAtInsertion: number;
  cardSlotNumber: CardSlot;
  cardWithdrawalTime: number | null;
  vehicleOdometerValueAtWithdrawal: number;
  previousVehicleInfo: PreviousVehicleInfoG1;
  manualInputFlag: boolean;
}
export function encodeVuCardIWRecord(r: VuCardIWRecordG1): Uint8Array {
  return concatBytes(
    holderName(r.cardHolderName),
    fullCardNumber(r.fullCardNumber),
    timeReal(r.cardExpiryDate),
    timeReal(r.cardInsertionTime),
    odometer(r.vehicleOdometerValueAtInsertion),
    Uint8Array.of(r.cardSlotNumber === 'co-driver' ? 1 : 0),
    timeReal(r.cardWithdrawalTime ?? 0),
    odometer(r.vehicleOdometerValueAtWithdrawal),
    vehicleRegistrationIdentification(r.previousVehicleInfo.vehicleRegistrationIdentification),
    timeReal(r.previousVehicleInfo.cardWithdrawalTime),
    Uint8Array.of(r.manualInputFlag ? 1 : 0),
  );
}
export function decodeVuCardIWRecord(bytes: Uint8Array): VuCardIWRecordG1 {
  const b = sized(bytes, SIZE.VuCardIWRecord, 'VuCardIWRecord');
  const slot = b[101];
  if (slot !== 0 && slot !== 1) throw new App7G1Error(`VuCardIWRecord: CardSlotNumber ${slot} is not 0 (driver) or 1 (co-driver)`);
  return {
    cardHolderName: readHolderName(b, 0, 'VuCardIWRecord.cardHolderName'),
    fullCardNumber: readCard(b, 72, 'VuCardIWRecord.fullCardNumber'),
    cardExpiryDate: readTimeReal(b, 90),
    cardInsertionTime: readTimeReal(b, 94),
    vehicleOdometerValueAtInsertion: readOdometer(b, 98),
    cardSlotNumber: slot === 0 ? 'driver' : 'co-driver',
    cardWithdrawalTime: readOptionalTime(b, 102),
    vehicleOdometerValueAtWithdrawal: readOdometer(b, 106),
    previousVehicleInfo: { vehicleRegistrationIdentification: readVehicleRegistrationIdentification(b, 109), cardWithdrawalTime: readTimeReal(b, 124) },
    manualInputFlag: b[128] === 1,
  };
}

/** App. 1 2.1 ActivityChangeInfo (2 bytes), the app1 codec. */
export function encodeActivityChange(a: ActivityChangeInfo): Uint8Array {
  return encodeActivityChangeInfo(a);
}
export function decodeActivityChange(bytes: Uint8Array): ActivityChangeInfo {
  return field('ActivityChangeInfo', () => decodeActivityChangeInfo(sized(bytes, SIZE.ActivityChangeInfo, 'ActivityChangeInfo')));
}

/** App. 1 2.117 `PlaceRecord`, gen1 (10 bytes). */
export interface PlaceRecordG1 {
  entryTime: number;
  /** App. 1 2.66 EntryTypeDailyWorkPeriod: 0 begin, 1 end (card insertion / withdrawal), 2 begin, 3 end (manual), 4 begin, 5 end (assumed by the VU). */
  entryTypeDailyWorkPeriod: number;
  /** NationNumeric. */
  dailyWorkPeriodCountry: number;
  /** RegionNumeric. */
  dailyWorkPeriodRegion: number;
  vehicleOdometerValue: number;
}

/**
 * App. 1 2.219 `VuPlaceDailyWorkPeriodRecord`, gen1 (28 bytes):
 *   0 18 fullCardNumber                              FullCardNumber
 *  18  4 placeRecord.entryTime                       TimeReal
 *  22  1 placeRecord.entryTypeDailyWorkPeriod        EntryTypeDailyWorkPeriod
 *  23  1 placeRecord.dailyWorkPeriodCountry          NationNumeric
 *  24  1 placeRecord.dailyWorkPeriodRegion           RegionNumeric
 *  25  3 placeRecord.vehicleOdometerValue            OdometerShort
 */
export interface VuPlaceDailyWorkPeriodRecordG1 {
  fullCardNumber: FullCardNumber;
  placeRecord: PlaceRecordG1;
}
export function encodeVuPlaceDailyWorkPeriodRecord(p: VuPlaceDailyWorkPeriodRecordG1): Uint8Array {
  const r = p.placeRecord;
  return concatBytes(
    fullCardNumber(p.fullCardNumber),
    timeReal(r.entryTime),
    byte(r.entryTypeDailyWorkPeriod, 'entryTypeDailyWorkPeriod'),
    byte(r.dailyWorkPeriodCountry, 'dailyWorkPeriodCountry'),
    byte(r.dailyWorkPeriodRegion, 'dailyWorkPeriodRegion'),
    odometer(r.vehicleOdometerValue),
  );
}
export function decodeVuPlaceDailyWorkPeriodRecord(bytes: Uint8Array): VuPlaceDailyWorkPeriodRecordG1 {
  const b = sized(bytes, SIZE.VuPlaceDailyWorkPeriodRecord, 'VuPlaceDailyWorkPeriodRecord');
  return {
    fullCardNumber: readCard(b, 0, 'VuPlaceDailyWorkPeriodRecord.fullCardNumber'),
    placeRecord: { entryTime: readTimeReal(b, 18), entryTypeDailyWorkPeriod: b[22]!, dailyWorkPeriodCountry: b[23]!, dailyWorkPeriodRegion: b[24]!, vehicleOdometerValue: readOdometer(b, 25) },
  };
}

/** App. 1 2.152 `SpecificConditionRecord` (5 bytes): entryTime, specificConditionType (2.154). */
export interface SpecificConditionRecordG1 {
  entryTime: number;
  specificConditionType: number;
}
export function encodeSpecificConditionRecord(s: SpecificConditionRecordG1): Uint8Array {
  return concatBytes(timeReal(s.entryTime), byte(s.specificConditionType, 'specificConditionType'));
}
export function decodeSpecificConditionRecord(bytes: Uint8Array): SpecificConditionRecordG1 {
  const b = sized(bytes, SIZE.SpecificConditionRecord, 'SpecificConditionRecord');
  return { entryTime: readTimeReal(b, 0), specificConditionType: b[4]! };
}

// ---------------------------------------------------------------- TREP 03

/** App. 1 2.69 EventFaultRecordPurpose: '00'..'07'H, the rest RFU. */
function readPurpose(b: Uint8Array, at: number, what: string): number {
  const p = b[at]!;
  if (p > 0x07) throw new App7G1Error(`${what}: EventFaultRecordPurpose ${p} is RFU (App. 1 2.69)`);
  return p;
}

/**
 * App. 1 2.201 `VuFaultRecord`, gen1 (82 bytes):
 *   0  1 faultType                     EventFaultType
 *   1  1 faultRecordPurpose            EventFaultRecordPurpose
 *   2  4 faultBeginTime                TimeReal
 *   6  4 faultEndTime                  TimeReal (0 while on-going: null)
 *  10 18 cardNumberDriverSlotBegin     FullCardNumber (none: null)
 *  28 18 cardNumberCodriverSlotBegin
 *  46 18 cardNumberDriverSlotEnd
 *  64 18 cardNumberCodriverSlotEnd
 */
export interface VuFaultRecordG1 {
  faultType: number;
  faultRecordPurpose: number;
  faultBeginTime: number;
  faultEndTime: number | null;
  cardNumberDriverSlotBegin: FullCardNumber | null;
  cardNumberCodriverSlotBegin: FullCardNumber | null;
  cardNumberDriverSlotEnd: FullCardNumber | null;
  cardNumberCodriverSlotEnd: FullCardNumber | null;
}
export function encodeVuFaultRecord(f: VuFaultRecordG1): Uint8Array {
  return concatBytes(
    byte(f.faultType, 'faultType'),
    byte(f.faultRecordPurpose, 'faultRecordPurpose'),
    timeReal(f.faultBeginTime),
    timeReal(f.faultEndTime ?? 0),
    fullCardNumber(f.cardNumberDriverSlotBegin),
    fullCardNumber(f.cardNumberCodriverSlotBegin),
    fullCardNumber(f.cardNumberDriverSlotEnd),
    fullCardNumber(f.cardNumberCodriverSlotEnd),
  );
}
export function decodeVuFaultRecord(bytes: Uint8Array): VuFaultRecordG1 {
  const b = sized(bytes, SIZE.VuFaultRecord, 'VuFaultRecord');
  const w = 'VuFaultRecord';
  return {
    faultType: b[0]!,
    faultRecordPurpose: readPurpose(b, 1, w),
    faultBeginTime: readTimeReal(b, 2),
    faultEndTime: readOptionalTime(b, 6),
    cardNumberDriverSlotBegin: readFullCardNumber(b, 10, `${w}.cardNumberDriverSlotBegin`),
    cardNumberCodriverSlotBegin: readFullCardNumber(b, 28, `${w}.cardNumberCodriverSlotBegin`),
    cardNumberDriverSlotEnd: readFullCardNumber(b, 46, `${w}.cardNumberDriverSlotEnd`),
    cardNumberCodriverSlotEnd: readFullCardNumber(b, 64, `${w}.cardNumberCodriverSlotEnd`),
  };
}

/**
 * App. 1 2.198 `VuEventRecord`, gen1 (83 bytes): as VuFaultRecord with event in place of fault (0..81),
 *  82  1 similarEventsNumber           SimilarEventsNumber
 */
export interface VuEventRecordG1 {
  eventType: number;
  eventRecordPurpose: number;
  eventBeginTime: number;
  eventEndTime: number | null;
  cardNumberDriverSlotBegin: FullCardNumber | null;
  cardNumberCodriverSlotBegin: FullCardNumber | null;
  cardNumberDriverSlotEnd: FullCardNumber | null;
  cardNumberCodriverSlotEnd: FullCardNumber | null;
  similarEventsNumber: number;
}
export function encodeVuEventRecord(e: VuEventRecordG1): Uint8Array {
  return concatBytes(
    encodeVuFaultRecord({
      faultType: e.eventType,
      faultRecordPurpose: e.eventRecordPurpose,
      faultBeginTime: e.eventBeginTime,
      faultEndTime: e.eventEndTime,
      cardNumberDriverSlotBegin: e.cardNumberDriverSlotBegin,
      cardNumberCodriverSlotBegin: e.cardNumberCodriverSlotBegin,
      cardNumberDriverSlotEnd: e.cardNumberDriverSlotEnd,
      cardNumberCodriverSlotEnd: e.cardNumberCodriverSlotEnd,
    }),
    byte(e.similarEventsNumber, 'similarEventsNumber'),
  );
}
export function decodeVuEventRecord(bytes: Uint8Array): VuEventRecordG1 {
  const b = sized(bytes, SIZE.VuEventRecord, 'VuEventRecord');
  const w = 'VuEventRecord';
  return {
    eventType: b[0]!,
    eventRecordPurpose: readPurpose(b, 1, w),
    eventBeginTime: readTimeReal(b, 2),
    eventEndTime: readOptionalTime(b, 6),
    cardNumberDriverSlotBegin: readFullCardNumber(b, 10, `${w}.cardNumberDriverSlotBegin`),
    cardNumberCodriverSlotBegin: readFullCardNumber(b, 28, `${w}.cardNumberCodriverSlotBegin`),
    cardNumberDriverSlotEnd: readFullCardNumber(b, 46, `${w}.cardNumberDriverSlotEnd`),
    cardNumberCodriverSlotEnd: readFullCardNumber(b, 64, `${w}.cardNumberCodriverSlotEnd`),
    similarEventsNumber: b[82]!,
  };
}

/**
 * App. 1 2.212 `VuOverSpeedingControlData` (9 bytes): lastOverspeedControlTime 4, firstOverspeedSince 4
 * (TimeReal, 0 when none), numberOfOverspeedSince 1 (OverspeedNumber).
 */
export interface VuOverSpeedingControlDataG1 {
  lastOverspeedControlTime: number;
  firstOverspeedSince: number;
  numberOfOverspeedSince: number;
}
export function encodeVuOverSpeedingControlData(c: VuOverSpeedingControlDataG1): Uint8Array {
  return concatBytes(timeReal(c.lastOverspeedControlTime), timeReal(c.firstOverspeedSince), byte(c.numberOfOverspeedSince, 'numberOfOverspeedSince'));
}
export function decodeVuOverSpeedingControlData(bytes: Uint8Array): VuOverSpeedingControlDataG1 {
  const b = sized(bytes, SIZE.VuOverSpeedingControlData, 'VuOverSpeedingControlData');
  return { lastOverspeedControlTime: readTimeReal(b, 0), firstOverspeedSince: readTimeReal(b, 4), numberOfOverspeedSince: b[8]! };
}

/**
 * App. 1 2.215 `VuOverSpeedingEventRecord`, gen1 (31 bytes):
 *   0  1 eventType                   EventFaultType ('07'H)
 *   1  1 eventRecordPurpose          EventFaultRecordPurpose
 *   2  4 eventBeginTime              TimeReal
 *   6  4 eventEndTime                TimeReal (0 while on-going: null)
 *  10  1 maxSpeedValue               SpeedMax
 *  11  1 averageSpeedValue           SpeedAverage
 *  12 18 cardNumberDriverSlotBegin   FullCardNumber (none: null)
 *  30  1 similarEventsNumber         SimilarEventsNumber
 */
export interface VuOverSpeedingEventRecordG1 {
  eventType: number;
  eventRecordPurpose: number;
  eventBeginTime: number;
  eventEndTime: number | null;
  maxSpeedValue: number;
  averageSpeedValue: number;
  cardNumberDriverSlotBegin: FullCardNumber | null;
  similarEventsNumber: number;
}
export function encodeVuOverSpeedingEventRecord(e: VuOverSpeedingEventRecordG1): Uint8Array {
  return concatBytes(
    byte(e.eventType, 'eventType'),
    byte(e.eventRecordPurpose, 'eventRecordPurpose'),
    timeReal(e.eventBeginTime),
    timeReal(e.eventEndTime ?? 0),
    byte(e.maxSpeedValue, 'maxSpeedValue'),
    byte(e.averageSpeedValue, 'averageSpeedValue'),
    fullCardNumber(e.cardNumberDriverSlotBegin),
    byte(e.similarEventsNumber, 'similarEventsNumber'),
  );
}
export function decodeVuOverSpeedingEventRecord(bytes: Uint8Array): VuOverSpeedingEventRecordG1 {
  const b = sized(bytes, SIZE.VuOverSpeedingEventRecord, 'VuOverSpeedingEventRecord');
  return {
    eventType: b[0]!,
    eventRecordPurpose: readPurpose(b, 1, 'VuOverSpeedingEventRecord'),
    eventBeginTime: readTimeReal(b, 2),
    eventEndTime: readOptionalTime(b, 6),
    maxSpeedValue: b[10]!,
    averageSpeedValue: b[11]!,
    cardNumberDriverSlotBegin: readFullCardNumber(b, 12, 'VuOverSpeedingEventRecord.cardNumberDriverSlotBegin'),
    similarEventsNumber: b[30]!,
  };
}

/**
 * App. 1 2.232 `VuTimeAdjustmentRecord`, gen1 (98 bytes):
 *   0  4 oldTimeValue         TimeReal
 *   4  4 newTimeValue         TimeReal
 *   8 36 workshopName         Name
 *  44 36 workshopAddress      Address
 *  80 18 workshopCardNumber   FullCardNumber (none: null)
 */
export interface VuTimeAdjustmentRecordG1 {
  oldTimeValue: number;
  newTimeValue: number;
  workshopName: string;
  workshopAddress: string;
  workshopCardNumber: FullCardNumber | null;
}
export function encodeVuTimeAdjustmentRecord(t: VuTimeAdjustmentRecordG1): Uint8Array {
  return concatBytes(timeReal(t.oldTimeValue), timeReal(t.newTimeValue), name(t.workshopName), name(t.workshopAddress), fullCardNumber(t.workshopCardNumber));
}
export function decodeVuTimeAdjustmentRecord(bytes: Uint8Array): VuTimeAdjustmentRecordG1 {
  const b = sized(bytes, SIZE.VuTimeAdjustmentRecord, 'VuTimeAdjustmentRecord');
  return {
    oldTimeValue: readTimeReal(b, 0),
    newTimeValue: readTimeReal(b, 4),
    workshopName: readName(b, 8, 'VuTimeAdjustmentRecord.workshopName'),
    workshopAddress: readName(b, 44, 'VuTimeAdjustmentRecord.workshopAddress'),
    workshopCardNumber: readFullCardNumber(b, 80, 'VuTimeAdjustmentRecord.workshopCardNumber'),
  };
}

// ---------------------------------------------------------------- TREP 04

/** App. 1 2.190 `VuDetailedSpeedBlock` (64 bytes): speedBlockBeginDate TimeReal, speedsPerSecond 60 × Speed. */
export interface VuDetailedSpeedBlockG1 {
  speedBlockBeginDate: number;
  speedsPerSecond: number[];
}
export function encodeVuDetailedSpeedBlock(s: VuDetailedSpeedBlockG1): Uint8Array {
  if (s.speedsPerSecond.length !== 60) throw new RangeError(`a VuDetailedSpeedBlock holds 60 speeds, got ${s.speedsPerSecond.length}`);
  return concatBytes(timeReal(s.speedBlockBeginDate), ...s.speedsPerSecond.map((v) => byte(v, 'Speed')));
}
export function decodeVuDetailedSpeedBlock(bytes: Uint8Array): VuDetailedSpeedBlockG1 {
  const b = sized(bytes, SIZE.VuDetailedSpeedBlock, 'VuDetailedSpeedBlock');
  return { speedBlockBeginDate: readTimeReal(b, 0), speedsPerSecond: Array.from(b.subarray(4, 64)) };
}

// ---------------------------------------------------------------- TREP 05

/**
 * App. 1 2.205 `VuIdentification`, gen1 (116 bytes):
 *    0 36 vuManufacturerName                              Name
 *   36 36 vuManufacturerAddress                           Address
 *   72 16 vuPartNumber                                    IA5String(16)
 *   88  8 vuSerialNumber                                  ExtendedSerialNumber
 *   96  4 vuSoftwareIdentification.vuSoftwareVersion      IA5String(4)
 *  100  4 vuSoftwareIdentification.vuSoftInstallationDate TimeReal
 *  104  4 vuManufacturingDate                             TimeReal
 *  108  8 vuApprovalNumber                                IA5String(8) (gen1, App. 1 2.172)
 */
export interface VuIdentificationG1 {
  vuManufacturerName: string;
  vuManufacturerAddress: string;
  vuPartNumber: string;
  vuSerialNumber: ExtendedSerialNumber;
  vuSoftwareIdentification: { vuSoftwareVersion: string; vuSoftInstallationDate: number };
  vuManufacturingDate: number;
  vuApprovalNumber: string;
}
export function encodeVuIdentification(v: VuIdentificationG1): Uint8Array {
  return concatBytes(
    name(v.vuManufacturerName),
    name(v.vuManufacturerAddress),
    ia5(v.vuPartNumber, 16),
    extendedSerialNumber(v.vuSerialNumber),
    ia5(v.vuSoftwareIdentification.vuSoftwareVersion, 4),
    timeReal(v.vuSoftwareIdentification.vuSoftInstallationDate),
    timeReal(v.vuManufacturingDate),
    ia5(v.vuApprovalNumber, 8),
  );
}
export function decodeVuIdentification(bytes: Uint8Array): VuIdentificationG1 {
  const b = sized(bytes, SIZE.VuIdentification, 'VuIdentification');
  return {
    vuManufacturerName: readName(b, 0, 'VuIdentification.vuManufacturerName'),
    vuManufacturerAddress: readName(b, 36, 'VuIdentification.vuManufacturerAddress'),
    vuPartNumber: readIa5(b, 72, 16),
    vuSerialNumber: readExtendedSerialNumber(b, 88, 'VuIdentification.vuSerialNumber'),
    vuSoftwareIdentification: { vuSoftwareVersion: readIa5(b, 96, 4), vuSoftInstallationDate: readTimeReal(b, 100) },
    vuManufacturingDate: readTimeReal(b, 104),
    vuApprovalNumber: readIa5(b, 108, 8),
  };
}

/**
 * App. 1 2.144 `SensorPaired`, gen1 (20 bytes): the sensor paired now.
 *   0  8 sensorSerialNumber       ExtendedSerialNumber
 *   8  8 sensorApprovalNumber     IA5String(8) (gen1, App. 1 2.131)
 *  16  4 sensorPairingDateFirst   TimeReal
 */
export interface SensorPairedG1 {
  sensorSerialNumber: ExtendedSerialNumber;
  sensorApprovalNumber: string;
  sensorPairingDateFirst: number;
}
export function encodeSensorPaired(s: SensorPairedG1): Uint8Array {
  return concatBytes(extendedSerialNumber(s.sensorSerialNumber), ia5(s.sensorApprovalNumber, 8), timeReal(s.sensorPairingDateFirst));
}
export function decodeSensorPaired(bytes: Uint8Array): SensorPairedG1 {
  const b = sized(bytes, SIZE.SensorPaired, 'SensorPaired');
  return { sensorSerialNumber: readExtendedSerialNumber(b, 0, 'SensorPaired.sensorSerialNumber'), sensorApprovalNumber: readIa5(b, 8, 8), sensorPairingDateFirst: readTimeReal(b, 16) };
}

/**
 * App. 1 2.174 `VuCalibrationRecord`, gen1 (167 bytes):
 *    0  1 calibrationPurpose                  CalibrationPurpose
 *    1 36 workshopName                        Name
 *   37 36 workshopAddress                     Address
 *   73 18 workshopCardNumber                  FullCardNumber
 *   91  4 workshopCardExpiryDate              TimeReal
 *   95 17 vehicleIdentificationNumber         IA5String(17)
 *  112 15 vehicleRegistrationIdentification   VehicleRegistrationIdentification
 *  127  2 wVehicleCharacteristicConstant      W-VehicleCharacteristicConstant (imp/km)
 *  129  2 kConstantOfRecordingEquipment       K-ConstantOfRecordingEquipment (imp/km)
 *  131  2 lTyreCircumference                  L-TyreCircumference (1/8 mm)
 *  133 15 tyreSize                            TyreSize IA5String(15)
 *  148  1 authorisedSpeed                     SpeedAuthorised (km/h)
 *  149  3 oldOdometerValue                    OdometerShort
 *  152  3 newOdometerValue                    OdometerShort
 *  155  4 oldTimeValue                        TimeReal
 *  159  4 newTimeValue                        TimeReal
 *  163  4 nextCalibrationDate                 TimeReal
 */
export interface VuCalibrationRecordG1 {
  calibrationPurpose: number;
  workshopName: string;
  workshopAddress: string;
  workshopCardNumber: FullCardNumber | null;
  workshopCardExpiryDate: number;
  vehicleIdentificationNumber: string;
  vehicleRegistrationIdentification: VehicleRegistrationIdentification;
  wVehicleCharacteristicConstant: number;
  kConstantOfRecordingEquipment: number;
  lTyreCircumference: number;
  tyreSize: string;
  authorisedSpeed: number;
  oldOdometerValue: number;
  newOdometerValue: number;
  oldTimeValue: number;
  newTimeValue: number;
  nextCalibrationDate: number;
}
export function encodeVuCalibrationRecord(c: VuCalibrationRecordG1): Uint8Array {
  return concatBytes(
    byte(c.calibrationPurpose, 'calibrationPurpose'),
    name(c.workshopName),
    name(c.workshopAddress),
    fullCardNumber(c.workshopCardNumber),
    timeReal(c.workshopCardExpiryDate),
    ia5(c.vehicleIdentificationNumber, 17),
    vehicleRegistrationIdentification(c.vehicleRegistrationIdentification),
    u16(c.wVehicleCharacteristicConstant, 'wVehicleCharacteristicConstant'),
    u16(c.kConstantOfRecordingEquipment, 'kConstantOfRecordingEquipment'),
    u16(c.lTyreCircumference, 'lTyreCircumference'),
    ia5(c.tyreSize, 15),
    byte(c.authorisedSpeed, 'authorisedSpeed'),
    odometer(c.oldOdometerValue),
    odometer(c.newOdometerValue),
    timeReal(c.oldTimeValue),
    timeReal(c.newTimeValue),
    timeReal(c.nextCalibrationDate),
  );
}
export function decodeVuCalibrationRecord(bytes: Uint8Array): VuCalibrationRecordG1 {
  const b = sized(bytes, SIZE.VuCalibrationRecord, 'VuCalibrationRecord');
  return {
    calibrationPurpose: b[0]!,
    workshopName: readName(b, 1, 'VuCalibrationRecord.workshopName'),
    workshopAddress: readName(b, 37, 'VuCalibrationRecord.workshopAddress'),
    workshopCardNumber: readFullCardNumber(b, 73, 'VuCalibrationRecord.workshopCardNumber'),
    workshopCardExpiryDate: readTimeReal(b, 91),
    vehicleIdentificationNumber: readIa5(b, 95, 17),
    vehicleRegistrationIdentification: readVehicleRegistrationIdentification(b, 112),
    wVehicleCharacteristicConstant: readU16(b, 127),
    kConstantOfRecordingEquipment: readU16(b, 129),
    lTyreCircumference: readU16(b, 131),
    tyreSize: readIa5(b, 133, 15),
    authorisedSpeed: b[148]!,
    oldOdometerValue: readOdometer(b, 149),
    newOdometerValue: readOdometer(b, 152),
    oldTimeValue: readTimeReal(b, 155),
    newTimeValue: readTimeReal(b, 159),
    nextCalibrationDate: readTimeReal(b, 163),
  };
}
