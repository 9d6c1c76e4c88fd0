import { z } from 'zod';
import { freeCode, namedCodes, noCode, numberedCodes, type RecordKinds } from '../../harness/devices/record-kinds.ts';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { decodeCardDownload, verifyCardFile, type CardEfRecordTypes, type DecodedCardDownloadEf } from '../../protocols/card-files/index.ts';
import { FID } from '../../protocols/card-files/index.ts';
import { ENTRY_TYPE } from './places/entry-type.ts';
import { controlTypeByte } from './holder-card-records.ts';

/**
 * A driver card's records as a card download through the VU gives them (TRTP 06, App. 7 §3.3.3: the card's
 * EFs, each signed by the card), for scenarios: the record source of the VU (index.ts) reads the cards in its
 * slots this way when a check asks for one of these kinds, after the VU's own download. A card file is checked
 * with the rig's test PKI roots (the card's signatures, DDP_046): `driverCardDownload` says whether it verified.
 *
 * Choice: the records are read from DF Tachograph_G2 of a second generation card (DF Tachograph of a first
 * generation one): the application a gen2 VU's records are meant for; the VU writes DF Tachograph the same way
 * (card-writer.ts), which card-updates.test.ts proves.
 */
const int = z.number().int();
const byte = int.min(0).max(255);
const ms = z.number().min(0).describe('ms since 1970-01-01T00:00:00Z');
const slot = z.enum(['driver', 'co-driver']);
const vehicle = { vehicleRegistrationNation: byte, vehicleRegistrationNumber: z.string() };

export const DRIVER_CARD_RECORD_KINDS = [
  'driverCardDownload',
  'driverCardDay',
  'driverCardActivity',
  'driverCardVehicle',
  'driverCardEvent',
  'driverCardFault',
  'driverCardPlace',
  'driverCardVehicleUnit',
  'driverCardGnssAccumulatedDriving',
  'driverCardControlActivity',
  'driverCardSpecificCondition',
  'driverCardLoadUnload',
  'driverCardBorderCrossing',
  'driverCardLoadType',
] as const;

export const driverCardRecordKinds: RecordKinds = {
  driverCardDownload: {
    description: "a driver card downloaded through the VU (TRTP 06), read after the VU's download when a check asks for a driverCard* kind: whether its signatures verify (the rig's test PKI)",
    code: freeCode(z.string(), 'the card number'),
    time: 'none',
    fields: z.strictObject({ slot, generation: z.union([z.literal(1), z.literal(2)]), verified: z.boolean(), problems: z.array(z.string()) }),
  },
  driverCardDay: {
    description: 'a CardActivityDailyRecord of the card (App. 1 2.9): at 00:00 of its date',
    code: freeCode(int.min(0).max(9999), 'activityDailyPresenceCounter'),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), distanceKm: int.min(0), changes: int.min(0) }),
  },
  driverCardActivity: {
    description: "an ActivityChangeInfo of the card's day records (App. 1 2.1, driver card meaning): at the minute of the change",
    code: namedCodes(['break-rest', 'availability', 'work', 'driving'], 'the activity'),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), slot, cardStatus: z.enum(['inserted', 'not-inserted']), status: z.enum(['single', 'crew', 'known', 'unknown']).describe("'c': the driving status with the card inserted, else whether the activity is known"), minute: int.min(0).max(1439) }),
  },
  driverCardVehicle: {
    description: 'a CardVehicleRecord (App. 1 2.37): from the first to the last use of the vehicle that day',
    code: freeCode(z.string(), 'the VRN'),
    time: 'span',
    fields: z.strictObject({ cardNumber: z.string(), ...vehicle, odometerBeginKm: int.min(0), odometerEndKm: int.min(0), vuDataBlockCounter: int.min(0).max(9999), vin: z.string().optional() }),
  },
  driverCardEvent: {
    description: 'a CardEventRecord (App. 1 2.20): from its begin to its end',
    code: freeCode(byte, 'App. 1 §2.70 EventFaultType'),
    time: 'span',
    fields: z.strictObject({ cardNumber: z.string(), ...vehicle }),
  },
  driverCardFault: {
    description: 'a CardFaultRecord (App. 1 2.22): from its begin to its end',
    code: freeCode(byte, 'App. 1 §2.70 EventFaultType'),
    time: 'span',
    fields: z.strictObject({ cardNumber: z.string(), ...vehicle }),
  },
  driverCardPlace: {
    description: 'a PlaceRecord of the card (App. 1 2.117): at the entry time',
    code: numberedCodes(Object.entries(ENTRY_TYPE).map(([name, value]) => ({ value, name })), { description: 'App. 1 §2.66 EntryTypeDailyWorkPeriod' }),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), countryCode: byte, regionCode: byte, odometerKm: int.min(0) }),
  },
  driverCardVehicleUnit: {
    description: 'a CardVehicleUnitRecord (App. 1 2.205): at the beginning of the period of use of the VU',
    code: freeCode(byte, 'the VU manufacturer code'),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), deviceId: byte, softwareVersion: z.string() }),
  },
  driverCardGnssAccumulatedDriving: {
    description: 'a GNSSAccumulatedDrivingRecord of the card (App. 1 2.79): at the time accumulated driving reached a multiple of 3 h',
    code: noCode,
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), latitude: int, longitude: int, gnssAccuracy: byte, odometerKm: int.min(0) }),
  },
  driverCardSpecificCondition: {
    description: "a SpecificConditionRecord of the card (App. 1 2.152, EF Specific_Conditions; Annex IC 276: entered while the card was inserted): at the entry time; code the 2.154 SpecificConditionType (generation 2 values in DF Tachograph_G2, generation 1 in a gen1 card's DF Tachograph: 3 is then the crossing)",
    code: freeCode(byte, 'App. 1 §2.154 SpecificConditionType'),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string() }),
  },
  driverCardLoadUnload: {
    description: 'a CardLoadUnloadRecord of a version 2 card (App. 1 2.24d, EF Load_Unload_Operations; Annex IC 62a): at its time; code the 2.114a OperationType (1 load, 2 unload, 3 simultaneous)',
    code: freeCode(byte, 'App. 1 §2.114a OperationType'),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), odometerKm: int.min(0), authenticationStatus: byte }),
  },
  driverCardBorderCrossing: {
    description: "a CardBorderCrossingRecord of a version 2 card (App. 1 2.24a, EF Border_Crossings; Annex IC 133a): at its position's time stamp (0 without one); code the NationNumeric entered",
    code: freeCode(byte, 'NationNumeric of the country entered'),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), countryLeft: byte, odometerKm: int.min(0), authenticationStatus: byte }),
  },
  driverCardLoadType: {
    description: 'a CardLoadTypeEntryRecord of a version 2 card (App. 1 2.24b, EF Load_Type_Entries; Annex IC 147a: the by-default load type a version 2 VU stores at each insertion): at its time stamp; code the 2.90a LoadType',
    code: numberedCodes(
      [
        { value: 0, name: 'undefined' },
        { value: 1, name: 'goods' },
        { value: 2, name: 'passengers' },
      ],
      { description: 'App. 1 §2.90a LoadType' },
    ),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), loadType: z.string().describe("'undefined', 'goods', 'passengers', or '0x..' for an RFU value") }),
  },
  driverCardControlActivity: {
    description: 'the CardControlActivityDataRecord of the card (App. 1 2.15, Annex IC 299, 300: the last control): at the control time',
    code: freeCode(byte, "App. 1 2.53 ControlType 'cvpdexxx': 80 card download, 40 VU download, 20 printing, 10 display, 08 roadside calibration checking (or'ed)"),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), controlCardNumber: z.string(), ...vehicle, downloadPeriodBegin: ms, downloadPeriodEnd: ms }),
  },
};

/** The kinds of a card's use EFs (`cardUseRecords`), without their `driverCard` / `workshopCard` prefix. */
const USE_KIND_SUFFIXES = ['Day', 'Activity', 'Vehicle', 'Event', 'Fault', 'Place', 'VehicleUnit', 'GnssAccumulatedDriving', 'SpecificCondition', 'LoadUnload', 'BorderCrossing', 'LoadType'] as const;

export const WORKSHOP_CARD_USE_RECORD_KINDS = USE_KIND_SUFFIXES.map((k) => `workshopCard${k}` as const);

/**
 * Issue 15: what the VU wrote of a workshop card's use (Annex IC 318-330, 340-356, "in the same manner as the
 * driver card"), read from each workshop card the VU has held in the run through its APDUs (holder-card-records.ts),
 * in the driverCard* kinds' shapes.
 */
export const workshopCardUseRecordKinds: RecordKinds = Object.fromEntries(
  USE_KIND_SUFFIXES.map((k) => {
    const spec = driverCardRecordKinds[`driverCard${k}`]!;
    return [
      `workshopCard${k}`,
      {
        ...spec,
        description: `a workshop card's ${spec.description.replace(/^an? /, '')}`,
        emulatedOnly: "read from the emulated workshop card's memory through its APDUs; a bench reads the card in a card reader of its own",
      },
    ];
  }),
);

/** App. 1 §2.90a LoadType. */
const LOAD_TYPE_NAMES: Readonly<Record<number, string>> = { 0: 'undefined', 1: 'goods', 2: 'passengers' };

const at = (iso: string | null) => (iso === null ? 0 : Date.parse(iso));

/** The records of one card file downloaded from `slot`; `roots` the gen2 root certificates and gen1 European public keys it is verified with. */
export function recordsFromCardFile(file: Uint8Array, slot: 'driver' | 'co-driver', roots: { gen2: readonly Uint8Array[]; gen1: readonly Uint8Array[] }, now: number): DeviceRecord[] {
  const decoded = decodeCardDownload(file);
  const df = decoded.generation === 2 ? 'tachograph-g2' : 'tachograph';
  const ef = <K extends keyof CardEfRecordTypes>(fid: number, type: K): CardEfRecordTypes[K] | undefined => {
    const found = decoded.efs.find((e) => e.df === df && e.fid === fid && e.type === type) as (DecodedCardDownloadEf & { record?: unknown }) | undefined;
    return found?.record as CardEfRecordTypes[K] | undefined;
  };
  const cardNumber = ef(FID.IDENTIFICATION, 'CardIdentification')?.cardIdentification.cardNumber ?? '';
  const verdict = verifyCardFile(file, roots.gen2, now, roots.gen1);
  const records: DeviceRecord[] = [{ kind: 'driverCardDownload', code: cardNumber, fields: { slot, generation: decoded.generation, verified: verdict.ok, problems: [...decoded.problems, ...verdict.problems] } }];
  records.push(...cardUseRecords(ef, cardNumber, 'driverCard'));
  const control = ef(FID.CONTROL_ACTIVITY_DATA, 'CardControlActivityDataRecord');
  if (control) {
    records.push({
      kind: 'driverCardControlActivity',
      code: controlTypeByte(control.controlType),
      at: at(control.controlTime),
      fields: { cardNumber, controlCardNumber: control.controlCardNumber?.cardNumber ?? '', ...control.controlVehicleRegistration, downloadPeriodBegin: at(control.controlDownloadPeriodBegin), downloadPeriodEnd: at(control.controlDownloadPeriodEnd) },
    });
  }
  return records;
}

/** An EF of a card decoded as its App. 1 record, or undefined. */
export type CardEfReader = <K extends keyof CardEfRecordTypes>(fid: number, type: K) => CardEfRecordTypes[K] | undefined;

/**
 * The records of a card's use EFs (card-use-efs.ts: activities, vehicles, events, faults, places, VUs used, GNSS
 * places, specific conditions) as `<prefix>Day`, `<prefix>Activity`, ...: a driver card's through its download
 * (`driverCard`), a workshop card's read through its APDUs (`workshopCard`, holder-card-records.ts).
 */
export function cardUseRecords(ef: CardEfReader, cardNumber: string, prefix: 'driverCard' | 'workshopCard'): DeviceRecord[] {
  const records: DeviceRecord[] = [];
  for (const day of ef(FID.DRIVER_ACTIVITY_DATA, 'CardDriverActivity')?.activityDailyRecords ?? []) {
    records.push({ kind: `${prefix}Day`, code: day.activityDailyPresenceCounter, at: at(day.activityRecordDate), fields: { cardNumber, distanceKm: day.activityDayDistance, changes: day.activityChangeInfo.length } });
    for (const c of day.activityChangeInfo) {
      records.push({ kind: `${prefix}Activity`, code: c.activity, at: Date.parse(c.time), fields: { cardNumber, slot: c.slot, cardStatus: c.cardStatus, status: c.drivingStatus ?? c.activityStatus ?? 'unknown', minute: c.minute } });
    }
  }
  for (const v of ef(FID.VEHICLES_USED, 'CardVehiclesUsed')?.cardVehicleRecords ?? []) {
    if (!v) continue;
    records.push({
      kind: `${prefix}Vehicle`,
      code: v.vehicleRegistration.vehicleRegistrationNumber,
      at: at(v.vehicleFirstUse),
      end: at(v.vehicleLastUse),
      fields: { cardNumber, ...v.vehicleRegistration, odometerBeginKm: v.vehicleOdometerBegin, odometerEndKm: v.vehicleOdometerEnd, vuDataBlockCounter: v.vuDataBlockCounter, ...(v.vehicleIdentificationNumber !== undefined ? { vin: v.vehicleIdentificationNumber } : {}) },
    });
  }
  for (const set of ef(FID.EVENTS_DATA, 'CardEventData')?.cardEventRecords ?? []) {
    for (const e of set) if (e) records.push({ kind: `${prefix}Event`, code: e.eventType, at: at(e.eventBeginTime), end: at(e.eventEndTime), fields: { cardNumber, ...e.eventVehicleRegistration } });
  }
  for (const set of ef(FID.FAULTS_DATA, 'CardFaultData')?.cardFaultRecords ?? []) {
    for (const f of set) if (f) records.push({ kind: `${prefix}Fault`, code: f.faultType, at: at(f.faultBeginTime), end: at(f.faultEndTime), fields: { cardNumber, ...f.faultVehicleRegistration } });
  }
  for (const p of ef(FID.PLACES, 'CardPlaceDailyWorkPeriod')?.placeRecords ?? []) {
    if (p) records.push({ kind: `${prefix}Place`, code: p.entryTypeDailyWorkPeriod, at: at(p.entryTime), fields: { cardNumber, countryCode: p.dailyWorkPeriodCountry, regionCode: p.dailyWorkPeriodRegion, odometerKm: p.vehicleOdometerValue } });
  }
  for (const u of ef(FID.VEHICLE_UNITS_USED, 'CardVehicleUnitsUsed')?.cardVehicleUnitRecords ?? []) {
    if (u) records.push({ kind: `${prefix}VehicleUnit`, code: u.manufacturerCode, at: at(u.timeStamp), fields: { cardNumber, deviceId: u.deviceID, softwareVersion: u.vuSoftwareVersion } });
  }
  for (const g of ef(FID.GNSS_PLACES, 'GNSSAccumulatedDriving')?.gnssAccumulatedDrivingRecords ?? []) {
    if (g) records.push({ kind: `${prefix}GnssAccumulatedDriving`, at: at(g.timeStamp), fields: { cardNumber, latitude: g.gnssPlaceRecord.geoCoordinates.latitude, longitude: g.gnssPlaceRecord.geoCoordinates.longitude, gnssAccuracy: g.gnssPlaceRecord.gnssAccuracy, odometerKm: g.vehicleOdometerValue } });
  }
  for (const c of ef(FID.SPECIFIC_CONDITIONS, 'SpecificConditions')?.specificConditionRecords ?? []) {
    if (c) records.push({ kind: `${prefix}SpecificCondition`, code: c.specificConditionType, at: at(c.entryTime), fields: { cardNumber } });
  }
  // gen2 v2 (card-v2-efs.ts): a version 2 driver or workshop card's (Annex IC 306e-j, 356e-j); a version 1 card has none of these EFs
  for (const l of ef(FID.LOAD_UNLOAD_OPERATIONS, 'CardLoadUnloadOperations')?.cardLoadUnloadRecords ?? []) {
    if (l) records.push({ kind: `${prefix}LoadUnload`, code: l.operationType, at: at(l.timeStamp), fields: { cardNumber, odometerKm: l.vehicleOdometerValue, authenticationStatus: l.gnssPlaceAuthRecord.authenticationStatus } });
  }
  for (const b of ef(FID.BORDER_CROSSINGS, 'CardBorderCrossings')?.cardBorderCrossingRecords ?? []) {
    if (b) records.push({ kind: `${prefix}BorderCrossing`, code: b.countryEntered, at: at(b.gnssPlaceAuthRecord.timeStamp), fields: { cardNumber, countryLeft: b.countryLeft, odometerKm: b.vehicleOdometerValue, authenticationStatus: b.gnssPlaceAuthRecord.authenticationStatus } });
  }
  for (const t of ef(FID.LOAD_TYPE_ENTRIES, 'CardLoadTypeEntries')?.cardLoadTypeEntryRecords ?? []) {
    if (t) records.push({ kind: `${prefix}LoadType`, code: t.loadTypeEntered, at: at(t.timeStamp), fields: { cardNumber, loadType: LOAD_TYPE_NAMES[t.loadTypeEntered] ?? `0x${t.loadTypeEntered.toString(16).padStart(2, '0')}` } });
  }
  return records;
}
