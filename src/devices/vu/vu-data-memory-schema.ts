import { z } from 'zod';
import { cardSchema } from '../cards/card-schema.ts';
import { CARD_TYPES } from '../../protocols/app1/card-type.ts';
import { checkEventMemory, type EventMemory } from './data-memory/event-store.ts';
import { MODES } from './modes/mode-of-operation.ts';
import { sealSchema } from './vu-options.ts';
import type { VuDataMemory } from './vu-data-memory.ts';
import { SPECIFIC_CONDITION_NAMES, SPECIFIC_CONDITION_REFUSAL_REASONS } from './specific-conditions/index.ts';

/**
 * The shape of each part of a VU data memory, as the VU's code reads it back. A part's MAC proves that this
 * VU wrote it, not that what it wrote is right: a writer's bug, an older build or a leaked key can give a part
 * that verifies and still makes the VU fail later (at a download, at the end of an event). Each part read is
 * checked here; one that does not fit is treated as damaged (vu-data-memory.ts: reset, 0x15, the rest kept).
 *
 * The checks cover what the VU and its App. 1 encoders rely on: types, the ranges of the App. 1 types a
 * download writes them into (TimeReal, Speed, NationNumeric, OdometerShort, ...), enumerations, references
 * inside a part (a slot's insertion record, the event memory's ids). Keys a schema does not name are let
 * through unchecked (the VU does not read them). The typed map below makes every part of VuDataMemory need a
 * schema whose output fits the part's type, so a new part or a changed field fails the typecheck until its
 * schema follows; `vu-data-memory-schema.test.ts` checks that the memories the VU writes pass.
 */

const int = z.number().int();
const count = int.min(0);
const byte = int.min(0).max(255);
const u16 = int.min(0).max(0xffff);
/** App. 1 §2.162 TimeReal: whole seconds, four octets. */
const timeReal = int.min(0).max(0xffff_ffff);
/** A time in ms that goes into a TimeReal (the encoders take ms and keep whole seconds). */
const timeRealMs = z.number().min(0).max(0xffff_ffff * 1000 + 999);
/** Rig or VU time, ms: any instant. */
const ms = z.number();
/** App. 1 §2.155 Speed: one octet, whole km/h (stored-speed.ts). */
const speed = byte;
/** App. 1 §2.113 OdometerShort: 0..9 999 999 km (the VU keeps km with decimals, and writes the whole part). */
const odometerKm = z.number().min(0).lt(10_000_000);
/** The id of an event in the event memory, for an on-going one; null when none. */
const eventId = int.min(1).nullable();
const hex = z.string().regex(/^(?:[0-9A-Fa-f]{2})*$/, 'hex digits, two per byte');
const slot = z.enum(['driver', 'co-driver']);
const activity = z.enum(['break-rest', 'availability', 'work', 'driving']);

const fullCardNumber = z.object({
  cardType: z.enum(CARD_TYPES),
  issuingMemberState: byte,
  cardNumber: z.string().regex(/^[\x20-\x7e]{16}$/, 'a CardNumber is 16 printable IA5 characters'),
});
const fullCardNumberAndGeneration = fullCardNumber.extend({ generation: z.union([z.literal(1), z.literal(2)]) });
const cardOrNone = fullCardNumberAndGeneration.nullable();

/** App. 1 GNSSPlaceRecord: GeoCoordinates in three octets, two's complement. */
const gnssPlace = z.object({ timeStamp: timeRealMs, gnssAccuracy: byte, latitude: int.min(-0x800000).max(0x7fffff), longitude: int.min(-0x800000).max(0x7fffff) });

const runStart = z.object({ movementMs: z.number(), stamp: z.number() });

const cardIWRecord = z.object({
  cardHolderName: z.object({ surname: z.string(), firstNames: z.string() }),
  fullCardNumberAndGeneration,
  cardExpiryDate: timeRealMs,
  cardInsertionTime: timeRealMs,
  vehicleOdometerValueAtInsertion: odometerKm,
  cardSlotNumber: slot,
  cardWithdrawalTime: timeRealMs.nullable(),
  vehicleOdometerValueAtWithdrawal: odometerKm.nullable(),
  previousVehicleInfo: z
    .object({ registrationNation: byte, registrationNumber: z.string().max(13), cardWithdrawalTime: timeRealMs, vuGeneration: z.union([z.literal(1), z.literal(2)]) })
    .nullable(),
  manualInputFlag: z.boolean(),
});

// Issue 15: what the VU read of a driver card at insertion, per application (cards/card-session-records.ts CardHistory)
const cardHistory = z.object({
  lastDay: z.object({ date: timeRealMs, distanceKm: z.number().int().min(0) }).nullable(),
  lastVehicle: z.object({ firstUse: timeRealMs, lastUse: timeRealMs, odometerBeginKm: odometerKm, registration: z.string().regex(/^[0-9a-f]{30}$/), vuDataBlockCounter: z.number().int().min(0).max(9999) }).nullable(),
});
const slotState = z.object({ card: cardSchema, valid: z.boolean(), iw: count.nullable(), cardHistory: z.object({ tachograph: cardHistory, 'tachograph-g2': cardHistory }).optional() }).nullable();

const slotActivity = z.object({
  spans: z.array(z.object({ from: ms, activity, card: z.enum(['driver', 'workshop']).nullable() })).min(1, 'a slot has the span in force now'),
  previousLongest: activity.nullable(),
  recorded: z.object({ activity, cardStatus: z.enum(['inserted', 'not-inserted']), drivingStatus: z.enum(['single', 'crew']) }).nullable(),
});

const activityChangeInfo = z.object({
  slot,
  drivingStatus: z.enum(['single', 'crew']),
  cardStatus: z.enum(['inserted', 'not-inserted']),
  activity,
  minute: int.min(0).max(1439),
});

/** App. 1 §2.90a LoadType. */
const loadType = z.enum(['undefined', 'goods', 'passengers']);

const calibrationRecord = z.object({
  calibrationPurpose: byte,
  workshopName: z.string(),
  workshopAddress: z.string(),
  workshopCardNumber: fullCardNumber,
  workshopCardExpiryDate: timeReal,
  vehicleIdentificationNumber: z.string().max(17),
  vehicleRegistrationIdentification: z.object({ vehicleRegistrationNation: byte, vehicleRegistrationNumber: z.string().max(13) }),
  wVehicleCharacteristicConstant: u16,
  kConstantOfRecordingEquipment: u16,
  lTyreCircumference: u16,
  tyreSize: z.string().max(15),
  authorisedSpeed: speed,
  oldOdometerValue: odometerKm,
  newOdometerValue: odometerKm,
  oldTimeValue: timeReal,
  newTimeValue: timeReal,
  nextCalibrationDate: timeReal,
  sealDataVu: z.array(z.object({ equipmentType: byte, manufacturerCode: z.string(), sealIdentifier: z.string() })).max(5),
  // Annex IC 120, version 2 (calibration.ts): absent in records kept before
  byDefaultLoadType: loadType.optional(),
  calibrationCountry: byte.optional(),
  calibrationCountryTimestamp: timeReal.optional(),
});

const events = z
  .object({
    nextId: int.min(1),
    lastCalibration: timeReal.nullable(),
    records: z.array(
      z.object({
        id: int.min(1),
        type: byte,
        begin: timeReal,
        end: timeReal.nullable(),
        cardsAtBegin: z.object({ driver: cardOrNone, codriver: cardOrNone }),
        cardsAtEnd: z.object({ driver: cardOrNone, codriver: cardOrNone }).nullable(),
        data: z.record(z.string(), z.union([z.number(), z.string()])),
      }),
    ),
    dayCounts: z.array(z.object({ type: byte, day: int, count: int.min(1) })),
  })
  .superRefine((memory, ctx) => {
    // the event store's own rules: types it records, each row's data, ids (event-store.ts)
    try {
      checkEventMemory(memory as EventMemory);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

const slots = z
  .object({ driver: slotState, 'co-driver': slotState, iw: z.array(cardIWRecord), conflictEvent: eventId, noCardEvent: eventId })
  .superRefine((state, ctx) => {
    // a card's open insertion record, which its withdrawal closes
    for (const name of ['driver', 'co-driver'] as const) {
      const held = state[name];
      if (!held || held.iw === null) continue;
      const record = state.iw[held.iw];
      if (!record || record.cardWithdrawalTime !== null || record.fullCardNumberAndGeneration.cardNumber !== held.card.cardNumber) {
        ctx.addIssue({ code: 'custom', path: [name, 'iw'], message: `insertion record ${held.iw} is not the open record of card ${held.card.cardNumber}` });
      }
    }
  });

const detailedSpeedBlock = z.object({ begin: timeReal, speeds: z.array(speed).length(60) });

const gnssAd = z.object({ timeStamp: timeRealMs, driverCard: cardOrNone, codriverCard: cardOrNone, place: gnssPlace, odometerKm });

/** A schema per part: the map's type makes each part need one whose output is the part's type. */
export const DATA_MEMORY_PART_SCHEMAS: { [K in keyof VuDataMemory]-?: z.ZodType<VuDataMemory[K]> } = {
  clock: z.object({ anchorRig: ms, anchorVu: timeRealMs, driftPpm: z.number().min(-1000).max(1000) }),
  motion: z.object({ totalPulses: count, pulsesThisSecond: count, speedKmh: z.number().min(0), odometerOffsetKm: odometerKm, anchorPulses: count.optional() }),
  overSpeeding: z.object({ aboveSince: ms.optional(), seconds: count, maxKmh: z.number().min(0), sumKmh: z.number().min(0), open: z.boolean() }),
  overSpeedingEvent: eventId,
  motionConflict: z.object({
    gnss: z.object({ kmh: z.number().min(0), at: ms }).nullable(),
    lastComparisonAt: ms.nullable(),
    movementMs: z.number().min(0),
    window: z.array(z.object({ movementMs: z.number(), diffTenths: z.number() })),
    meanAbove: runStart.nullable(),
    standstill: runStart.nullable(),
    conflict: z.object({ begin: z.number(), trigger: z.enum(['speed-difference', 'sensor-standstill', 'gnss-distance']) }).nullable(),
    // GNS_42 trigger 2; a data memory written before it had none: a fresh interval
    distance: z
      .object({
        reference: z.object({ at: ms, stamp: z.number(), latitude: z.number().int(), longitude: z.number().int(), odometerKm }).nullable(),
        holds: z.object({ begin: z.number() }).nullable(),
      })
      .default({ reference: null, holds: null }),
  }),
  motionConflictEvent: eventId,
  detailedSpeed: z.object({ current: detailedSpeedBlock.optional(), blocks: z.array(detailedSpeedBlock) }),
  events,
  timeAdjustments: z.array(z.object({ oldTime: timeReal, newTime: timeReal, kind: z.enum(['automatic', 'workshop']), workshopCard: fullCardNumberAndGeneration.optional() })),
  supplyLostAt: ms.nullable(),
  supplyLostMode: z.enum(MODES).nullable(),
  slots,
  activities: z.object({
    now: ms,
    moving: z.boolean(),
    slots: z.object({ driver: slotActivity, 'co-driver': slotActivity }),
    nextMinute: ms,
    stoppedAt: ms.nullable(),
    accumulatedDriving: z.object({ minutes: count }),
    marks: z.array(z.object({ minutes: count, at: ms })),
    days: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.array(activityChangeInfo)),
  }),
  accumulatedDrivingMarks: z.array(z.object({ minutes: count, at: ms })),
  calibration: z.object({
    vin: z.string().max(17),
    registrationNation: byte,
    registrationNumber: z.string().max(13),
    w: int.min(1).max(0xffff),
    k: int.min(1).max(0xffff),
    l: int.min(1).max(0xffff),
    tyreSize: z.string().max(15),
    authorisedSpeedKmh: speed.min(1),
    seals: z.array(sealSchema),
    // a data memory saved before it was kept: the options' default
    byDefaultLoadType: loadType.default('goods'),
  }),
  calibrations: z.array(calibrationRecord),
  sensorPairings: z.array(
    z.object({
      sensorSerialNumber: z.object({ serialNumber: int.min(0).max(0xffff_ffff), monthYear: z.string().regex(/^(0[1-9]|1[0-2])\d\d$/), type: byte, manufacturerCode: byte }),
      sensorApprovalNumber: z.string().max(16),
      sensorPairingDate: timeReal,
    }),
  ),
  sensorSession: z.object({ ns: hex, ks: hex, kmVersion: byte, eventCounts: z.array(count) }).nullable(),
  sensorWatch: z.object({
    last: z.object({ counter: count, pulses: count }).nullable(),
    motionDataError: eventId,
    authFailure: eventId,
    sensorChanged: eventId,
    sensorFault: eventId,
    speedJump: z.object({ previousKmh: z.number().min(0).nullable(), pending: z.object({ begin: timeReal, secondsAbove: count }).nullable() }),
  }),
  calibrationErrors: z.array(z.object({ at: timeReal, function: z.enum(['pairing', 'calibration', 'coupling']), reason: z.string(), detail: z.string(), workshopCard: fullCardNumber.nullable() })),
  midnightOdometers: z.array(z.object({ day: timeRealMs, km: odometerKm })),
  gnss: z.object({
    source: z.enum(['external', 'internal']),
    lastPosition: z.object({ gnssTime: timeRealMs, vuTime: ms, latitude: int.min(-0x800000).max(0x7fffff), longitude: int.min(-0x800000).max(0x7fffff), hdop: z.number().min(0).nullable() }).nullable(),
    available: z.boolean(),
    conflictLockUntil: ms.nullable(),
    lastAutomaticCheck: ms.nullable(),
    noFixSince: ms.nullable(),
    absenceEvent: eventId,
    communicationEvent: eventId,
    receiverFaultEvent: eventId,
    facilityFaultEvent: eventId,
    tamperRecorded: z.boolean(),
    authFailureRecorded: z.boolean(),
    expiredCertificateRecorded: ms.nullable(),
  }),
  gnssAdRecords: z.array(gnssAd),
  egfCertificate: hex.nullable(),
  gnssReceiverFaulty: z.boolean(),
  gnssCouplings: z.array(z.object({ egfSerialNumber: z.string(), couplingDate: timeReal, workshopCardNumber: z.string() })),
  lastDownload: z.object({ downloadingTime: timeRealMs, card: cardOrNone, companyOrWorkshopName: z.string() }).nullable(),
  places: z.object({
    records: z.array(z.object({ card: fullCardNumberAndGeneration, entryTime: timeRealMs, entryType: byte, country: byte, region: byte, odometerKm, place: gnssPlace })),
    refusals: z.array(z.object({ at: ms, slot, reason: z.enum(['no-card', 'non-valid-card', 'not-a-driver-or-workshop-card']), detail: z.string() })),
  }),
  // Annex IC 62, 130 (specific-conditions/): generation 2 SpecificConditionType values
  specificConditions: z.object({
    records: z.array(z.object({ entryTime: timeRealMs, type: int.min(1).max(4) })),
    refusals: z.array(z.object({ at: ms, condition: z.enum(SPECIFIC_CONDITION_NAMES), reason: z.enum(SPECIFIC_CONDITION_REFUSAL_REASONS), detail: z.string() })),
    outOfScope: z.boolean(),
    ferryTrain: z.object({ since: timeRealMs, drivingMinutes: count }).nullable(),
  }),
  // Gen2 v2 (v2-records/): operation types 1..3, NationNumeric countries
  v2Records: z.object({
    loadUnloads: z.array(z.object({ timeStamp: timeRealMs, operationType: int.min(1).max(3), driverCard: cardOrNone, codriverCard: cardOrNone, place: gnssPlace, odometerKm })),
    borderCrossings: z.array(z.object({ countryLeft: byte, countryEntered: byte, driverCard: cardOrNone, codriverCard: cardOrNone, place: gnssPlace, odometerKm, at: timeRealMs })),
    country: byte.nullable(),
  }),
  internalFaultEvent: eventId,
  overSpeedingControl: z.object({ lastControl: timeReal, firstOverSpeedSince: timeReal, numberOfOverSpeedSince: count }),
  controlActivities: z.array(z.object({ controlType: byte, controlTime: timeRealMs, controlCard: fullCardNumberAndGeneration, downloadPeriodBeginTime: timeRealMs, downloadPeriodEndTime: timeRealMs })),
  companyLocks: z.array(
    z.object({ lockIn: timeRealMs, lockOut: timeRealMs.nullable(), company: z.string(), companyCard: fullCardNumberAndGeneration, companyName: z.string(), companyAddress: z.string() }),
  ),
  downloadInterfaceFault: z.boolean(),
  downloadFaultEvent: eventId,
  // Issue 16: the remote communication function (dsrc/remote-communication.ts); CSM_225 counter, 3 bytes
  dsrc: z.object({
    counter: int.min(-1).max(0xffffff),
    linked: z.boolean(),
    nextTransactionId: int.min(1).max(0xffff),
    pending: z.union([z.object({ kind: z.literal('init') }), z.object({ kind: z.literal('data'), transactionId: u16 })]).nullable(),
    held: z.array(byte),
    noks: count,
    failures: count,
    communicationErrorEvent: eventId,
    facilityFaultEvent: eventId,
  }),
};

/** Why a part read back does not fit its schema (the first issues, with their paths), or undefined if it fits. */
export function partShapeProblem(part: keyof VuDataMemory, value: unknown): string | undefined {
  const result = DATA_MEMORY_PART_SCHEMAS[part].safeParse(value);
  if (result.success) return undefined;
  const issues = result.error.issues.slice(0, 3).map((issue) => `${[part, ...issue.path].join('.')}: ${issue.message}`);
  const more = result.error.issues.length - issues.length;
  return `wrong content (${issues.join('; ')}${more > 0 ? `; ${more} more` : ''})`;
}
