import { z } from 'zod';
import { freeCode, namedCodes, noCode, numberedCodes, type RecordKinds, type RecordKindSpec } from '../../harness/devices/record-kinds.ts';
import type { GnssPlace, VuGnssAd, VuPlaceDailyWorkPeriod } from '../../protocols/app7-records/records.ts';
import type { OverviewData } from '../../protocols/app7-records/trep.ts';
import type { OverSpeedingControl } from '../../protocols/app7-records/event-records.ts';
import type { SensorPaired, VuCalibration, VuIdentification } from '../../protocols/app7-records/technical-records.ts';
import type { FullCardNumber, FullCardNumberAndGeneration } from '../../protocols/app1/app1-codec.ts';
import { CARD_TYPES } from '../../protocols/app1/card-type.ts';
import type { VuCardIWRecord } from '../../protocols/app1/vu-card-iw-record.ts';
import type { Activity, CardStatus, DrivingStatus } from './activities/activity.ts';
import type { CalibrationAccess, CalibrationError } from './calibration/calibration-access.ts';
import { CALIBRATION_PURPOSE } from './calibration/calibration.ts';
import { EVENT_FAULT_TYPES, hex, type EventFaultTypeSpec, type FieldKind } from './data-memory/event-fault-types.ts';
import { ENTRY_TYPE } from './places/entry-type.ts';
import { driverCardRecordKinds, workshopCardUseRecordKinds } from './card-download-records.ts';
import { holderCardRecordKinds } from './holder-card-records.ts';
import type { PlaceRefusal, PlaceRefusalReason } from './places/places.ts';
import { SPECIFIC_CONDITION_NAMES, SPECIFIC_CONDITION_REFUSAL_REASONS, SPECIFIC_CONDITION_TYPE, type SpecificConditionRefusal } from './specific-conditions/index.ts';
import type { CouplingFailureReason } from './gnss-link/types.ts';
import type { PairingFailureReason, SensorPairedRecordData } from './sensor-link/types.ts';
import type { TimeAdjustmentRecord } from './time/time-adjustment.ts';

/**
 * The records the VU's record source returns (vu-records.ts in-process, download-records.ts through the
 * App. 7 download, places/place-records.ts), declared: for each kind its code, its time and its fields.
 * Scenarios are checked against this before they run, and every record read is checked against it, so a
 * new kind or field must be declared here. Shapes are tied to the TypeScript types that produce them
 * (`same<...>` below), so a type that changes without its declaration does not compile.
 */

const int = z.number().int();
const byte = int.min(0).max(255);
/** TimeReal as the VU's memory keeps it: whole seconds since 1970. */
const seconds = int.min(0).describe('TimeReal, seconds since 1970-01-01T00:00:00Z');
/** A time as a download decodes it: ms since 1970. */
const ms = z.number().min(0).describe('ms since 1970-01-01T00:00:00Z');
const generation = z.union([z.literal(1), z.literal(2)]);

const fullCardNumber = z.strictObject({ cardType: z.enum(CARD_TYPES), issuingMemberState: byte, cardNumber: z.string() });
const card = z.strictObject({ ...fullCardNumber.shape, generation }).describe('App. 1 FullCardNumberAndGeneration');
const slotCards = z.strictObject({ driver: card.nullable(), codriver: card.nullable() }).describe('the cards in the driver and co-driver slots; null: empty');
const extendedSerialNumber = z.strictObject({ serialNumber: int.min(0), monthYear: z.string(), type: byte, manufacturerCode: byte });
const gnssPlace = z
  .strictObject({ timeStamp: ms, gnssAccuracy: byte, latitude: int, longitude: int })
  .describe('App. 1 GNSSPlaceRecord: time stamp (ms), accuracy, GeoCoordinates ±DDMM.M × 10');
const slot = z.enum(['driver', 'co-driver']);

/** The type of an event's type-specific data field (event-fault-types.ts FieldKind). */
const DATA_FIELD: Record<FieldKind, z.ZodType> = {
  timeReal: seconds,
  speed: z.number().min(0).describe('km/h'),
  nation: byte.describe('NationNumeric'),
  generation,
  text: z.string(),
};

/** What every event and fault record carries (vu-records.ts eventRecords, download-records.ts occurrences). */
const eventCommon = {
  name: z.string().describe("the EventFaultType's name"),
  purposes: z.array(int.min(0).max(7)).describe('App. 1 §2.69 EventFaultRecordPurpose under which each copy is kept'),
  similarEvents: byte.describe('App. 1 §2.151 similar events that day; 0 where the type does not count them'),
  cardsAtBegin: slotCards,
  cardsAtEnd: slotCards.nullable().describe('null while on-going'),
  ongoing: z.boolean(),
};

function dataFields(types: readonly EventFaultTypeSpec[]): Record<string, z.ZodOptional> {
  const kinds = new Map<string, FieldKind>();
  for (const t of types) {
    for (const [name, kind] of Object.entries(t.data.fields)) {
      const other = kinds.get(name);
      if (other && other !== kind) throw new Error(`event data field '${name}' is ${other} in one EventFaultType and ${kind} in 0x${hex(t.code)}`);
      if (name in eventCommon) throw new Error(`event data field '${name}' of 0x${hex(t.code)} clashes with a common field`);
      kinds.set(name, kind);
    }
  }
  return Object.fromEntries([...kinds].map(([name, kind]) => [name, DATA_FIELD[kind].optional()]));
}

/**
 * `event` or `fault`: the codes of that category in EVENT_FAULT_TYPES; the common fields and, optional, the
 * type-specific data (given when an instant is recorded or a span ends; a download carries it for 0x07 only).
 */
function eventKind(category: 'event' | 'fault'): RecordKindSpec {
  const types = EVENT_FAULT_TYPES.filter((t) => t.category === category);
  const perCode = new Map(types.map((t) => [t.code, z.strictObject({ ...eventCommon, ...dataFields([t]) })]));
  return {
    description: `the VU's ${category}s (Annex IC ${category === 'event' ? 117 : 118}): one record per occurrence, listing the purposes it is kept under; at/end the begin and end (end absent while on-going)`,
    code: numberedCodes(types.map((t) => ({ value: t.code, name: t.name })), { hex: true, description: `App. 1 §2.70 EventFaultType of category '${category}'` }),
    time: 'span',
    fields: z.strictObject({ ...eventCommon, ...dataFields(types) }),
    fieldsOf: (code) => (typeof code === 'number' ? perCode.get(code) : /^0x[0-9a-f]+$|^\d+$/i.test(code) ? perCode.get(Number(code)) : undefined),
  };
}

const ACTIVITIES = ['break-rest', 'availability', 'work', 'driving'] as const;
const CALIBRATION_ERROR_REASONS = [
  'not-in-calibration-mode',
  'vu-generation-1',
  'workshop-card-generation-1',
  'no-matching-km-wc',
  'key-length-mismatch',
  'sensor-generation-1',
  'vu-not-authenticated',
  'sensor-not-authenticated',
  'sensor-refused',
  'no-answer',
  'malformed-answer',
  // issue 12: an EGF coupling given up (function 'coupling'), with 'no-answer' above
  'egf-chain',
  'vu-chain-refused',
] as const;
const PLACE_REFUSAL_REASONS = ['no-card', 'non-valid-card', 'not-a-driver-or-workshop-card'] as const;
const SLOT_CARD_KINDS = ['none', 'driver', 'workshop', 'control', 'company'] as const;

const overviewFields = z.strictObject({
  vin: z.string(),
  registrationNumber: z.string(),
  currentTime: ms,
  minDownloadableTime: ms,
  maxDownloadableTime: ms,
  slots: z.strictObject({ driver: z.enum(SLOT_CARD_KINDS), codriver: z.enum(SLOT_CARD_KINDS) }),
  lastDownload: z.strictObject({ downloadingTime: ms, card: card.nullable(), companyOrWorkshopName: z.string() }).nullable(),
  companyLocks: z.array(z.strictObject({ lockInTime: ms, lockOutTime: ms.nullable(), companyName: z.string(), companyAddress: z.string(), companyCard: card })).readonly(),
  controls: z.array(z.strictObject({ controlType: byte, controlTime: ms, controlCard: card, downloadPeriodBeginTime: ms, downloadPeriodEndTime: ms })).readonly(),
  /** Gen2 v2 (TREP 31, App. 1 §2.166a VehicleRegistrationIdentification): the registering nation, NationNumeric. */
  registrationNation: byte.nullable().optional().describe('version 2 downloads only (TREP 31): the registering nation, NationNumeric'),
});

const gnssAccumulatedDrivingFields = z.strictObject({ timeStamp: ms, driverCard: card.nullable(), codriverCard: card.nullable(), place: gnssPlace, odometerKm: z.number().min(0) });

const placeFields = z.strictObject({
  type: z.enum(['begin', 'end']).nullable().describe('what the entry type marks; null for a type outside the list'),
  card,
  country: z.string().describe("NationAlpha, or '0x..' for a code outside the list"),
  countryCode: byte.describe('NationNumeric'),
  region: z.string().describe("RegionAlpha; '' for no region"),
  regionCode: byte,
  odometerKm: z.number().min(0),
  gnssPlace,
});

const cardInsertionFields = z.strictObject({
  slot,
  holder: z.strictObject({ surname: z.string(), firstNames: z.string() }),
  card,
  odometerAtInsertion: z.number().min(0),
  odometerAtWithdrawal: z.number().min(0).nullable(),
  withdrawn: z.boolean(),
});

const timeAdjustmentFields = z.strictObject({ oldTime: seconds, newTime: seconds, kind: z.enum(['automatic', 'workshop']), workshopCard: card.nullable() });

const identificationFields = z.strictObject({
  manufacturerName: z.string(),
  manufacturerAddress: z.string(),
  partNumber: z.string(),
  serialNumber: extendedSerialNumber,
  softwareVersion: z.string(),
  softwareInstallationDate: z.string().describe('ISO 8601'),
  manufacturingDate: z.string().describe('ISO 8601'),
  approvalNumber: z.string(),
  /** Gen2 v2 (TREP 35, App. 1 §2.205): VuDigitalMapVersion. */
  digitalMapVersion: z.string().optional().describe('version 2 downloads only (TREP 35): the digital map version'),
});

const sensorPairedFields = z.strictObject({ sensorSerialNumber: extendedSerialNumber, sensorApprovalNumber: z.string(), sensorPairingDate: seconds });

const calibrationFields = z.strictObject({
  calibrationPurpose: byte,
  workshopName: z.string(),
  workshopAddress: z.string(),
  workshopCardNumber: fullCardNumber,
  workshopCardExpiryDate: seconds,
  vehicleIdentificationNumber: z.string(),
  vehicleRegistrationIdentification: z.strictObject({ vehicleRegistrationNation: byte, vehicleRegistrationNumber: z.string() }),
  wVehicleCharacteristicConstant: int.min(0),
  kConstantOfRecordingEquipment: int.min(0),
  lTyreCircumference: int.min(0),
  tyreSize: z.string(),
  authorisedSpeed: z.number().min(0),
  oldOdometerValue: z.number().min(0),
  newOdometerValue: z.number().min(0),
  oldTimeValue: seconds,
  newTimeValue: seconds,
  nextCalibrationDate: seconds,
  sealDataVu: z.array(z.strictObject({ equipmentType: byte, manufacturerCode: z.string(), sealIdentifier: z.string() })).readonly(),
  // Gen2 v2 (TREP 35, App. 1 §2.174, Annex IC 120): present in version 2 downloads only
  sensorSerialNumber: extendedSerialNumber.nullable().optional().describe('version 2 only: the motion sensor in place'),
  sensorGNSSSerialNumber: extendedSerialNumber.nullable().optional().describe('version 2 only: the external GNSS facility in place, if any'),
  rcmSerialNumber: extendedSerialNumber.nullable().optional().describe('version 2 only: the remote communication facility in place, if any'),
  byDefaultLoadType: z.enum(['undefined', 'goods', 'passengers']).optional().describe('version 2 only: App. 1 §2.90a LoadType'),
  calibrationCountry: byte.optional().describe('version 2 only: NationNumeric'),
  calibrationCountryTimestamp: seconds.optional().describe('version 2 only: the time of the position the country was found from'),
});

const calibrationErrorFields = z.strictObject({
  at: seconds,
  function: z.enum(['pairing', 'calibration', 'coupling']),
  reason: z.enum(CALIBRATION_ERROR_REASONS),
  detail: z.string(),
  workshopCard: fullCardNumber.nullable(),
});

const gnssCouplingFields = z.strictObject({
  egfSerialNumber: z.string().describe("the EGF's ExtendedSerialNumber, hex"),
  couplingDate: seconds,
  workshopCardNumber: z.string().optional().describe('in-process reader only: the workshop card that coupled'),
  approvalNumber: z.string().optional().describe("through the download only: the EGF's approval number"),
});

const companyLockFields = z.strictObject({ ...overviewFields.shape.companyLocks.unwrap().element.shape, locked: z.boolean() });
const controlActivityFields = overviewFields.shape.controls.unwrap().element;
const overSpeedingControlFields = z.strictObject({
  lastControl: seconds.describe('TimeReal of the last over speeding control; 0: none yet'),
  firstOverSpeedSince: seconds.describe('TimeReal of the first over speeding since; 0: none'),
  numberOfOverSpeedSince: byte,
});

const placeRefusedFields = z.strictObject({ at: ms, slot, reason: z.enum(PLACE_REFUSAL_REASONS), detail: z.string() });
const specificConditionRefusedFields = z.strictObject({ at: ms, condition: z.enum(SPECIFIC_CONDITION_NAMES), reason: z.enum(SPECIFIC_CONDITION_REFUSAL_REASONS), detail: z.string() });
/** App. 1 2.154 SpecificConditionType, generation 2, with the names the `specificCondition` stimulus takes. */
export const SPECIFIC_CONDITION_CODES = numberedCodes(
  Object.entries(SPECIFIC_CONDITION_TYPE).map(([name, value]) => ({ value, name })),
  { description: 'App. 1 §2.154 SpecificConditionType (generation 2): 1 out of scope begin, 2 out of scope end, 3 ferry/train crossing begin, 4 ferry/train crossing end' },
);

export const vuRecordKinds: RecordKinds = {
  event: eventKind('event'),
  fault: eventKind('fault'),
  overview: {
    description: 'the download overview (TREP 21, or 31 of a version 2 VU, DDP_055): VIN, registration, times, slots, last download, company locks, controls; at the current time',
    code: freeCode(z.string(), 'the VIN'),
    time: 'instant',
    fields: overviewFields,
  },
  activity: {
    description: 'one ActivityChangeInfo word (App. 1 §2.1): at the minute the activity starts',
    code: namedCodes(ACTIVITIES, 'the activity'),
    time: 'instant',
    fields: z.strictObject({ slot, drivingStatus: z.enum(['single', 'crew']), cardStatus: z.enum(['inserted', 'not-inserted']), minute: int.min(0).max(1439) }),
  },
  place: {
    description: 'a place where a daily work period begins or ends (App. 1 VuPlaceDailyWorkPeriodRecord): at the entry time',
    code: numberedCodes(Object.entries(ENTRY_TYPE).map(([name, value]) => ({ value, name })), { description: 'App. 1 §2.66 EntryTypeDailyWorkPeriod' }),
    time: 'instant',
    fields: placeFields,
  },
  placeRefused: {
    description: "the VU's refusal of a place entry (its message to the card holder; no download carries it)",
    code: namedCodes(PLACE_REFUSAL_REASONS, 'the reason'),
    time: 'instant',
    fields: placeRefusedFields,
    emulatedOnly: "a message on the VU's display; no download carries it",
  },
  specificCondition: {
    description: 'a specific condition entered or closed by the VU (Annex IC 62, 130; App. 1 2.152 SpecificConditionRecord, TREP 22 VuSpecificConditionRecordArray): at the entry time',
    code: SPECIFIC_CONDITION_CODES,
    time: 'instant',
    fields: z.strictObject({ condition: z.union([z.enum(SPECIFIC_CONDITION_NAMES), z.literal('')]).describe("the type's name; '' for a value outside App. 1 2.154") }),
  },
  loadUnload: {
    description: 'a load/unload operation the driver entered (Annex IC 62a; App. 1 2.208a VuLoadUnloadRecord): at its time; through the TREP 32 of a version 2 VU (gen2Version 2: a version 1 VU has none)',
    code: numberedCodes(
      [
        { value: 1, name: 'load' },
        { value: 2, name: 'unload' },
        { value: 3, name: 'simultaneous' },
      ],
      { description: 'App. 1 2.114a OperationType' },
    ),
    time: 'instant',
    fields: z.strictObject({ operation: z.string(), driverCard: card.nullable(), codriverCard: card.nullable(), odometerKm: int.min(0) }),
    // kept for a VU under test of either version: a kind's emulatedOnly cannot depend on the VU's gen2Version (a choice, README)
    emulatedOnly: 'a version 1 download carries no load/unload operations',
  },
  borderCrossing: {
    description: "a border crossing (Annex IC 133a; App. 1 2.203a VuBorderCrossingRecord): at its time (through a download: its position's, the record having no other); code the NationAlpha entered; through the TREP 32 of a version 2 VU (a version 1 VU has none)",
    code: freeCode(z.string(), 'the NationAlpha of the country entered'),
    time: 'instant',
    fields: z.strictObject({ countryLeft: byte, countryEntered: byte, driverCard: card.nullable(), codriverCard: card.nullable(), odometerKm: int.min(0) }),
    emulatedOnly: 'a version 1 download carries no border crossings',
  },
  specificConditionRefused: {
    description: "the VU's refusal of a specific condition entry (Annex IC 62: no ferry/train begin while out of scope; a begin of one open, an end of one not open): its message to the driver, no download carries it",
    code: namedCodes(SPECIFIC_CONDITION_REFUSAL_REASONS, 'the reason'),
    time: 'instant',
    fields: specificConditionRefusedFields,
    emulatedOnly: "a message on the VU's display; no download carries it",
  },
  detailedSpeed: {
    description: "a minute of detailed speed (Annex IC 3.12.9, App. 1 VuDetailedSpeedBlock, through the download's TREP 24): at the minute's first second; the speed of each of its 60 seconds, km/h",
    code: noCode,
    time: 'instant',
    fields: z.strictObject({ speeds: z.array(int.min(0).max(255)).length(60).readonly() }),
  },
  gnssAccumulatedDriving: {
    description: 'a VuGNSSADRecord (Annex IC 108, through the download): position, cards and odometer at each 3 h of accumulated driving',
    code: noCode,
    time: 'instant',
    fields: gnssAccumulatedDrivingFields,
  },
  accumulatedDriving: {
    description: "a multiple of three hours of accumulated driving reached (Annex IC 108), from the VU's memory",
    code: freeCode(int.positive().multipleOf(180), 'the accumulated driving minutes reached: 180, 360, ...'),
    time: 'instant',
    fields: z.strictObject({ minutes: int.positive() }),
    emulatedOnly: "read from the VU's memory; the download carries the VuGNSSADRecord of each 3 h instead (gnssAccumulatedDriving)",
  },
  cardInsertion: {
    description: 'a card insertion and withdrawal cycle (App. 1 VuCardIWRecord): at the insertion, end the withdrawal',
    code: freeCode(z.string(), 'the card number'),
    time: 'span',
    fields: cardInsertionFields,
  },
  timeAdjustment: {
    description: 'a time adjustment (App. 1 VuTimeAdjustmentRecord): at the new time',
    code: namedCodes(['automatic', 'workshop'], 'automatic (GNSS) or by a workshop'),
    time: 'instant',
    fields: timeAdjustmentFields,
  },
  vuIdentification: {
    description: "the VU's identification (App. 1 VuIdentification), one record without a time",
    code: freeCode(z.string(), 'the approval number'),
    time: 'none',
    fields: identificationFields,
  },
  sensorPaired: {
    description: 'a motion sensor pairing (App. 1 SensorPairedRecord): at the pairing date',
    code: freeCode(int.min(0), "the sensor's serial number"),
    time: 'instant',
    fields: sensorPairedFields,
  },
  calibration: {
    description: 'a calibration (App. 1 VuCalibrationRecord): at the new time value',
    code: numberedCodes(Object.entries(CALIBRATION_PURPOSE).map(([name, value]) => ({ value, name })), { description: 'App. 1 CalibrationPurpose' }),
    time: 'instant',
    fields: calibrationFields,
  },
  calibrationError: {
    description: "the VU's message to the workshop card holder when a calibration function is refused, a pairing aborted (CSM_217) or an EGF coupling given up (CSM_202..208); no download carries it",
    code: namedCodes(CALIBRATION_ERROR_REASONS, 'the reason'),
    time: 'instant',
    fields: calibrationErrorFields,
    emulatedOnly: "a message on the VU's display to the workshop card holder; no download carries it",
  },
  gnssCoupling: {
    description: 'an external GNSS facility coupling (Annex IC 100; SensorExternalGNSSCoupledRecord through the download): at the coupling date',
    code: freeCode(z.string().regex(/^[0-9a-f]{16}$/i), "the EGF's serial number (ExtendedSerialNumber, hex)"),
    time: 'instant',
    fields: gnssCouplingFields,
  },
  companyLock: {
    description: 'a company lock (Annex IC 128, TREP 21 VuCompanyLocksRecord): at the lock-in, end the lock-out (absent while locked)',
    code: freeCode(z.string().length(13), "the company: the first 13 characters of its card number (Annex IC 66)"),
    time: 'span',
    fields: companyLockFields,
  },
  controlActivity: {
    description: 'a control activity (Annex IC 126, TREP 21 VuControlActivityRecord): at the control time',
    code: freeCode(byte, 'App. 1 ControlType: bits c (card download), v (VU download), p (printing), d (display)'),
    time: 'instant',
    fields: controlActivityFields,
  },
  overSpeedingControl: {
    description: 'the over speeding control data (App. 1 VuOverSpeedingControlData, TREP 23), one record without a time: the last control and the first over speeding since are its fields',
    code: freeCode(byte, 'the number of over speeding events since the last control (255: 255 or more)'),
    time: 'none',
    fields: overSpeedingControlFields,
  },
  // Issue 15: the driver cards in the slots, through a card download (card-download-records.ts)
  ...driverCardRecordKinds,
  // Issue 15: what the VU wrote on workshop, control and company cards, read from the cards (holder-card-records.ts)
  ...holderCardRecordKinds,
  ...workshopCardUseRecordKinds,
};

// The declarations follow the types the records are made from: change one, and this stops compiling.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<T extends true>(): T | undefined {
  return undefined;
}
type Out<S extends z.ZodType> = z.output<S>;
same<Same<Out<typeof card>, FullCardNumberAndGeneration>>();
same<Same<Out<typeof fullCardNumber>, FullCardNumber>>();
same<Same<Out<typeof gnssPlace>, GnssPlace>>();
same<Same<Out<typeof overviewFields>, OverviewData>>();
same<Same<Out<typeof gnssAccumulatedDrivingFields>, VuGnssAd>>();
same<Same<Out<typeof sensorPairedFields>, SensorPairedRecordData>>();
same<Same<Out<typeof sensorPairedFields>, SensorPaired>>();
same<Same<Out<typeof calibrationFields>, VuCalibration>>();
same<Same<Out<typeof calibrationErrorFields>, Omit<CalibrationError, 'reason'> & { reason: Reason }>>();
same<Same<Out<typeof identificationFields>, Omit<VuIdentification, 'generation' | 'supportsGen1Cards'>>>();
same<Same<Out<typeof placeRefusedFields>, PlaceRefusal>>();
same<Same<Out<typeof specificConditionRefusedFields>, SpecificConditionRefusal>>();
same<Same<Out<typeof overSpeedingControlFields>, OverSpeedingControl>>();
same<Same<(typeof ACTIVITIES)[number], Activity>>();
same<Same<(typeof PLACE_REFUSAL_REASONS)[number], PlaceRefusalReason>>();
same<Same<Out<typeof timeAdjustmentFields>['kind'], TimeAdjustmentRecord['kind']>>();
same<Same<Out<typeof cardInsertionFields>['slot'], VuCardIWRecord['cardSlotNumber']>>();
same<Same<Out<typeof placeFields>['card'], VuPlaceDailyWorkPeriod['card']>>();
same<Same<Out<typeof overviewFields>['slots']['driver'], OverviewData['slots']['driver']>>();
same<Same<'single' | 'crew', DrivingStatus>>();
same<Same<'inserted' | 'not-inserted', CardStatus>>();
/** Every reason a CalibrationError is made with: a refused access, an aborted pairing, a coupling given up. */
type Reason = Extract<CalibrationAccess, { ok: false }>['reason'] | PairingFailureReason | CouplingFailureReason;
same<Same<(typeof CALIBRATION_ERROR_REASONS)[number], Reason>>();
