import type { CardActivityChangeInfo, CardDriverActivity } from '../app1/card-activity-daily-record.ts';
import type { CardEventRecord, CardFaultRecord } from '../app1/card-event-record.ts';
import { cardTypeOfEquipment } from '../app1/card-type.ts';
import type { ControlType } from '../app1/control-activity-record.ts';
import { eventFaultTypeName } from '../app1/event-fault-type.ts';
import type { GnssPlaceAuthRecord, GnssPlaceRecord } from '../app1/gnss-place-record.ts';
import type { FullCardNumberField, VehicleRegistrationIdentification, ExtendedSerialNumberField } from '../app1/identification-fields.ts';
import type { CertificateRecord } from '../card-files/card-certificate-records.ts';
import type { CardFileSummary } from '../card-files/card-file-summary.ts';
import { efLabel, type DecodedCardDownloadEf } from '../card-files/decode-card-download.ts';
import { code, isoText, jsonValue, position } from './report-values.ts';

/**
 * The readable form of a card download in `rig decode` (issue 14): the summary the card decoder gives
 * (card-file-summary.ts), then each EF as its records read: activities as days of lines ("2020-01-01 00:30
 * driving (driver slot, single, card inserted)"), events and faults with their App. 1 §2.70 names, vehicles,
 * places, positions, conditions, controls, calibrations and company activities one line each. Only an EF
 * the decoder does not know (proprietary, another card type's) or could not read is shown as hex.
 */

type Obj = Record<string, unknown>;

const GENERATION_LABEL: Record<string, string> = { gen1: 'generation 1', gen2v1: 'generation 2, version 1', gen2v2: 'generation 2, version 2' };
const DF_NAME: Record<string, string> = { tachograph: 'DF Tachograph', 'tachograph-g2': 'DF Tachograph_G2' };

const time = (iso: string | null | undefined): string => (iso ? isoText(iso) : 'no time');
const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : 'no date');

/** App. 1 §2.166: "'26'H TEST001"; "none" for App. 2's default (nation 0, no number). */
function vehicle(v: VehicleRegistrationIdentification): string {
  if (v.vehicleRegistrationNation === 0 && v.vehicleRegistrationNumber === '') return 'none';
  return `${code(v.vehicleRegistrationNation)} ${v.vehicleRegistrationNumber === '' ? '(no number)' : v.vehicleRegistrationNumber}`;
}

/** App. 1 §2.73 FullCardNumber: "control card D000000000999000 '0D'H"; "none" for App. 2's default. */
function card(c: FullCardNumberField | null): string {
  if (!c) return 'none';
  return `${cardTypeOfEquipment(c.cardType) ?? `equipment type ${c.cardType}`} card ${c.cardNumber} ${code(c.cardIssuingMemberState)}`;
}

function serial(s: ExtendedSerialNumberField | null | undefined): string {
  return s ? `serial ${s.serialNumber}, ${s.monthYear.slice(0, 2)}/${s.monthYear.slice(2)}, type ${s.type}, manufacturer ${code(s.manufacturerCode)}` : 'none';
}

/** App. 1 §2.80 GNSSPlaceRecord: "60°10.0'N 24°56.0'E (accuracy 7, at 2020-01-01T00:00:00Z)". */
function place(g: GnssPlaceRecord | GnssPlaceAuthRecord): string {
  const auth = 'authenticationStatus' in g ? `, ${g.authenticationStatus === 1 ? 'authenticated' : g.authenticationStatus === 0 ? 'not authenticated' : `authentication status ${g.authenticationStatus}`}` : '';
  return `${position(g.geoCoordinates.latitude, g.geoCoordinates.longitude)} (accuracy ${g.gnssAccuracy}, at ${time(g.timeStamp)}${auth})`;
}

/** App. 1 §2.53 ControlType: the flags set. */
function controlType(t: ControlType): string {
  const names: [boolean | undefined, string][] = [
    [t.cardDownloading, 'card downloading'],
    [t.vuDownloading, 'VU downloading'],
    [t.printing, 'printing'],
    [t.display, 'display'],
    [t.roadsideCalibrationChecking, 'roadside calibration checking'],
  ];
  const set = names.filter(([on]) => on).map(([, name]) => name);
  return set.length > 0 ? set.join(', ') : 'no control type';
}

const ACTIVITY: Record<string, string> = { 'break-rest': 'break/rest', availability: 'availability', work: 'work', driving: 'driving' };

/** App. 1 §2.1 ActivityChangeInfo of a card day: "2020-01-01 00:30 driving (driver slot, single, card inserted)". */
function activityLine(a: CardActivityChangeInfo, date: string): string {
  const hhmm = `${String(Math.floor(a.minute / 60)).padStart(2, '0')}:${String(a.minute % 60).padStart(2, '0')}`;
  const status = a.cardStatus === 'inserted' ? `${a.drivingStatus ?? 'single'}, card inserted` : `card not inserted, activity ${a.activityStatus ?? 'unknown'}`;
  return `${date} ${hhmm} ${ACTIVITY[a.activity] ?? a.activity} (${a.slot} slot, ${status})`;
}

function activityLines(a: CardDriverActivity): string[] {
  const out = [`pointers: oldest day record at byte ${a.activityPointerOldestDayRecord}, newest record at byte ${a.activityPointerNewestRecord}; ${a.activityDailyRecords.length} days`];
  for (const d of a.activityDailyRecords) {
    const date = day(d.activityRecordDate);
    out.push(`${date}: presence counter ${d.activityDailyPresenceCounter}, distance ${d.activityDayDistance} km, ${d.activityChangeInfo.length} changes`);
    for (const change of d.activityChangeInfo) out.push(`  ${activityLine(change, date)}`);
  }
  return out;
}

function eventLine(e: CardEventRecord | CardFaultRecord): string {
  const [kind, type, begin, end, reg] =
    'eventType' in e ? ['event', e.eventType, e.eventBeginTime, e.eventEndTime, e.eventVehicleRegistration] : ['fault', e.faultType, e.faultBeginTime, e.faultEndTime, e.faultVehicleRegistration];
  return `${time(begin)} .. ${time(end)} ${kind} ${eventFaultTypeName(type)}, vehicle ${vehicle(reg)}`;
}

/** App. 1 §2.66 EntryTypeDailyWorkPeriod: even values begin a daily work period, odd ones end it (both generations' lists alternate). */
function entryType(n: number): string {
  return `${n % 2 === 0 ? 'begin' : 'end'} (entry type ${n})`;
}

/** App. 1 §2.154 SpecificConditionType. */
const SPECIFIC_CONDITION: Record<number, string> = { 1: 'out of scope, begin', 2: 'out of scope, end', 3: 'ferry/train crossing (gen2: begin)', 4: 'ferry/train crossing, end' };
/** App. 1 §2.8 CalibrationPurpose. */
const CALIBRATION_PURPOSE: Record<number, string> = {
  1: 'activation',
  2: 'first installation',
  3: 'installation',
  4: 'periodic inspection',
  5: 'entry of VRN by company',
  6: 'time adjustment without calibration',
};
/** App. 1 §2.47 CompanyActivityType. */
const COMPANY_ACTIVITY: Record<number, string> = { 1: 'card downloading', 2: 'VU downloading', 3: 'VU lock-in', 4: 'VU lock-out' };
/** App. 1 §2.114a OperationType. */
const OPERATION: Record<number, string> = { 1: 'load operation', 2: 'unload operation', 3: 'simultaneous load/unload operation' };

const named = (table: Record<number, string>, n: number) => `${code(n)} ${table[n] ?? 'RFU'}`;

/** The used records of a record set and how many of its slots they fill. */
function used<T>(records: readonly (T | null)[], line: (r: T) => string, newest?: number): string[] {
  const out = [`${records.filter((r) => r !== null).length} of ${records.length} records used${newest === undefined ? '' : `, newest at index ${newest}`}`];
  records.forEach((r, i) => {
    if (r !== null) out.push(`  [${i}] ${line(r)}`);
  });
  return out;
}

function certificateLine(c: CertificateRecord): string {
  if ('present' in c) return c.reason;
  if ('opened' in c) return `CAR ${c.car}, not opened: ${c.reason}`;
  if ('curve' in c) return `CAR ${c.car}, CHR ${c.chr}, equipment type ${c.equipmentType}, ${c.curve}, valid ${time(c.effectiveDate)} .. ${time(c.expirationDate)}`;
  return `CAR ${c.car}, CHR ${c.chr}, equipment type ${c.equipmentType}, end of validity ${time(c.endOfValidity)}`;
}

/** Fields with scalar values as "name: value" lines, nested objects indented (the identification EFs). */
function fieldLines(value: unknown, indent = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(jsonValue(value) as Obj)) {
    if (v !== null && typeof v === 'object') out.push(`${indent}${k}:`, ...fieldLines(v, `${indent}  `));
    else out.push(`${indent}${k}: ${v === null ? 'none' : String(v)}`);
  }
  return out;
}

/** The lines of one EF's content. */
export function cardEfLines(ef: DecodedCardDownloadEf): string[] {
  switch (ef.type) {
    case 'unknown':
      return [`not an EF this decoder reads (proprietary, or another card type's): ${ef.hex}`];
    case 'undecodable':
      return [`cannot be read; as hex: ${ef.hex}`];
    case 'Certificate':
      return [certificateLine(ef.record)];
    case 'CardDriverActivity':
      return activityLines(ef.record);
    case 'CardEventData':
      return ef.record.cardEventRecords.flatMap((set, i) => used(set, eventLine).map((l, j) => (j === 0 ? `set ${i + 1}: ${l}` : l)));
    case 'CardFaultData':
      return ef.record.cardFaultRecords.flatMap((set, i) => used(set, eventLine).map((l, j) => (j === 0 ? `${i === 0 ? 'recording equipment faults' : 'card faults'}: ${l}` : l)));
    case 'CardVehiclesUsed':
      return used(
        ef.record.cardVehicleRecords,
        (v) =>
          `${time(v.vehicleFirstUse)} .. ${time(v.vehicleLastUse)} vehicle ${vehicle(v.vehicleRegistration)}${v.vehicleIdentificationNumber ? ` (VIN ${v.vehicleIdentificationNumber})` : ''}, odometer ${v.vehicleOdometerBegin} .. ${v.vehicleOdometerEnd} km, VU data block counter ${v.vuDataBlockCounter}`,
        ef.record.vehiclePointerNewestRecord,
      );
    case 'CardPlaceDailyWorkPeriod':
      return used(
        ef.record.placeRecords,
        (p) =>
          `${time(p.entryTime)} ${entryType(p.entryTypeDailyWorkPeriod)}, country ${code(p.dailyWorkPeriodCountry)} region ${code(p.dailyWorkPeriodRegion)}, odometer ${p.vehicleOdometerValue} km${p.entryGNSSPlaceRecord ? `, position ${place(p.entryGNSSPlaceRecord)}` : ''}`,
        ef.record.placePointerNewestRecord,
      );
    case 'CardCurrentUse':
      return [`session opened ${time(ef.record.sessionOpenTime)} in vehicle ${vehicle(ef.record.sessionOpenVehicle)}`];
    case 'CardControlActivityDataRecord': {
      const c = ef.record;
      if (!c) return ['no control recorded'];
      return [`${time(c.controlTime)} ${controlType(c.controlType)} by ${card(c.controlCardNumber)}, vehicle ${vehicle(c.controlVehicleRegistration)}, download period ${time(c.controlDownloadPeriodBegin)} .. ${time(c.controlDownloadPeriodEnd)}`];
    }
    case 'SpecificConditions':
      return used(ef.record.specificConditionRecords, (c) => `${time(c.entryTime)} ${named(SPECIFIC_CONDITION, c.specificConditionType)}`, ef.record.conditionPointerNewestRecord);
    case 'CardVehicleUnitsUsed':
      return used(
        ef.record.cardVehicleUnitRecords,
        (u) => `${time(u.timeStamp)} VU of manufacturer ${code(u.manufacturerCode)}, device ID ${u.deviceID}, software version ${u.vuSoftwareVersion}`,
        ef.record.vehicleUnitPointerNewestRecord,
      );
    case 'GNSSAccumulatedDriving':
      return used(ef.record.gnssAccumulatedDrivingRecords, (g) => `${time(g.timeStamp)} at ${place(g.gnssPlaceRecord)}, odometer ${g.vehicleOdometerValue} km`, ef.record.gnssADPointerNewestRecord);
    case 'CardPlaceAuthDailyWorkPeriod':
      return used(ef.record.placeAuthStatusRecords, (p) => `${time(p.entryTime)} position authentication status ${p.authenticationStatus}`, ef.record.placeAuthPointerNewestRecord);
    case 'GNSSAuthAccumulatedDriving':
      return used(ef.record.gnssAuthStatusADRecords, (g) => `${time(g.timeStamp)} position authentication status ${g.authenticationStatus}`, ef.record.gnssAuthADPointerNewestRecord);
    case 'CardBorderCrossings':
      return used(
        ef.record.cardBorderCrossingRecords,
        (b) => `${time(b.gnssPlaceAuthRecord.timeStamp)} border crossed from ${code(b.countryLeft)} to ${code(b.countryEntered)} at ${place(b.gnssPlaceAuthRecord)}, odometer ${b.vehicleOdometerValue} km`,
        ef.record.borderCrossingPointerNewestRecord,
      );
    case 'CardLoadUnloadOperations':
      return used(
        ef.record.cardLoadUnloadRecords,
        (l) => `${time(l.timeStamp)} ${named(OPERATION, l.operationType)} at ${place(l.gnssPlaceAuthRecord)}, odometer ${l.vehicleOdometerValue} km`,
        ef.record.loadUnloadPointerNewestRecord,
      );
    case 'CardLoadTypeEntries':
      return used(ef.record.cardLoadTypeEntryRecords, (l) => `${time(l.timeStamp)} load type ${l.loadTypeEntered} entered`, ef.record.loadTypeEntryPointerNewestRecord);
    case 'WorkshopCardCalibrationData':
      return [
        `calibrations: ${ef.record.calibrationTotalNumber} in total`,
        ...used(
          ef.record.calibrationRecords,
          (c) =>
            `${time(c.newTimeValue)} calibration ${named(CALIBRATION_PURPOSE, c.calibrationPurpose)}: VIN ${c.vehicleIdentificationNumber}, vehicle ${vehicle(c.vehicleRegistration)}, w ${c.wVehicleCharacteristicConstant} imp/km, k ${c.kConstantOfRecordingEquipment} imp/km, l ${c.lTyreCircumference} (1/8 mm), tyre ${c.tyreSize}, authorised speed ${c.authorisedSpeed} km/h, odometer ${c.oldOdometerValue} .. ${c.newOdometerValue} km, time ${time(c.oldTimeValue)} .. ${time(c.newTimeValue)}, next calibration ${time(c.nextCalibrationDate)}, VU part number ${c.vuPartNumber}, VU ${serial(c.vuSerialNumber)}, sensor ${serial(c.sensorSerialNumber)}`,
          ef.record.calibrationPointerNewestRecord,
        ),
      ];
    case 'WorkshopCardCalibrationAddData':
      return used(
        ef.record.workshopCardCalibrationAddDataRecords,
        (c) => `old time ${time(c.oldTimeValue)}, VIN ${c.vehicleIdentificationNumber}, by default load type ${c.byDefaultLoadType}, calibration country ${code(c.calibrationCountry)} at ${time(c.calibrationCountryTimestamp)}`,
        ef.record.calibrationPointerNewestRecord,
      );
    case 'ControlCardControlActivityData':
      return used(
        ef.record.controlActivityRecords,
        (c) => `${time(c.controlTime)} ${controlType(c.controlType)} of ${card(c.controlledCardNumber)}, vehicle ${vehicle(c.controlledVehicleRegistration)}, download period ${time(c.controlDownloadPeriodBegin)} .. ${time(c.controlDownloadPeriodEnd)}`,
        ef.record.controlPointerNewestRecord,
      );
    case 'CompanyActivityData':
      return used(
        ef.record.companyActivityRecords,
        (c) => `${time(c.companyActivityTime)} ${named(COMPANY_ACTIVITY, c.companyActivityType)}, ${card(c.cardNumberInformation)}, vehicle ${vehicle(c.vehicleRegistrationInformation)}, download period ${time(c.downloadPeriodBegin)} .. ${time(c.downloadPeriodEnd)}`,
        ef.record.companyPointerNewestRecord,
      );
    default:
      // identification, application identification, licence, last download, configurations, keys
      return fieldLines(ef.record);
  }
}

/** "== DF Tachograph_G2 EF Events_Data ('0502', byte 24931, 3168 bytes, signed)". */
export function cardEfHeader(ef: DecodedCardDownloadEf): string {
  const fid = ef.fid.toString(16).padStart(4, '0').toUpperCase();
  const signature = ef.signature ? `, signature at byte ${ef.signature.offset} (${ef.signature.size} bytes)` : '';
  return `== ${ef.df === 'mf' ? `MF ${ef.name}` : efLabel(ef.fid, ef.df)} ('${fid}', byte ${ef.offset}, ${ef.size} bytes${signature})`;
}

/** The summary lines of a card download: whose card, what period, how many records, when downloaded. */
export function cardSummaryLines(s: CardFileSummary, structure: string, bytes: number, efs: number): string[] {
  const type = s.cardType ? `${s.cardType} card` : 'card of unknown type';
  const id = [
    s.cardNumber === null ? 'cardNumber none found' : `cardNumber ${s.cardNumber}`,
    ...(s.cardIssuingMemberState === null ? [] : [`cardIssuingMemberState ${code(s.cardIssuingMemberState)}`]),
    ...(s.holder === null ? [] : [`holder ${s.holder}`]),
    ...(s.cardValidityBegin === null ? [] : [`cardValidityBegin ${time(s.cardValidityBegin)}`]),
    ...(s.cardExpiryDate === null ? [] : [`cardExpiryDate ${time(s.cardExpiryDate)}`]),
  ];
  const period = s.activities
    ? `firstDay ${s.activities.firstDay}; lastDay ${s.activities.lastDay}; days ${s.activities.days} (${DF_NAME[s.activities.df] ?? s.activities.df} EF Driver_Activity_Data)`
    : 'no activity day recorded';
  const download = s.downloadTime ? `${time(s.downloadTime.at)} (${s.downloadTime.source})` : 'not in the file';
  const counts = Object.entries(s.counts).map(([df, c]) => `${DF_NAME[df] ?? df}: ${Object.entries(c).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return [
    `card download, ${type}, ${GENERATION_LABEL[structure] ?? structure}: ${bytes} bytes, ${efs} EFs`,
    `  identification: ${id.join('; ')}`,
    `  period covered: ${period}`,
    `  download time: ${download}`,
    `  records: ${counts.length > 0 ? counts.join('; ') : 'none'}`,
  ];
}
