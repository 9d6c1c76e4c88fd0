import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { listRecords, type EventFaultRecord, type EventMemory } from './data-memory/event-store.ts';
import { eventFaultType } from './data-memory/event-fault-types.ts';
import type { TimeAdjustmentRecord } from './time/time-adjustment.ts';
import { settled, type AccumulatedDrivingMark, type ActivityState } from './activities/index.ts';
import type { VuCardIWRecord } from '../../protocols/app1/vu-card-iw-record.ts';
import type { VuOptions } from './vu-options.ts';
import type { SensorPairedRecordData } from './sensor-link/types.ts';
import type { VuCalibrationRecord } from './calibration/calibration.ts';
import type { CalibrationError } from './calibration/calibration-access.ts';

/**
 * The VU's records as scenarios see them (`DeviceRecord`s). Until the App. 7 download lands, the VU's
 * record source reads them from its data memory in-process (a temporary reader: the download issue replaces
 * it, so checks then go through the VU's own interface). A download carries an occurrence once per purpose
 * it is kept under; scenarios count occurrences, so each becomes one record listing its purposes.
 */
export function eventRecords(memory: EventMemory, nowTimeReal: number): DeviceRecord[] {
  const byId = new Map<number, { record: EventFaultRecord; purposes: number[] }>();
  for (const r of listRecords(memory, nowTimeReal)) {
    const seen = byId.get(r.id);
    if (seen) seen.purposes.push(r.purpose);
    else byId.set(r.id, { record: r, purposes: [r.purpose] });
  }
  return [...byId.values()]
    .sort((a, b) => a.record.id - b.record.id)
    .map(({ record: r, purposes }) => ({
      kind: r.category,
      code: r.type,
      at: r.begin * 1000,
      end: r.end === null ? undefined : r.end * 1000,
      fields: {
        name: eventFaultType(r.type).name,
        purposes,
        similarEvents: r.similarEvents,
        cardsAtBegin: r.cardsAtBegin,
        cardsAtEnd: r.cardsAtEnd,
        ongoing: r.end === null,
        ...r.data,
      },
    }));
}

export function timeAdjustmentRecords(adjustments: readonly TimeAdjustmentRecord[]): DeviceRecord[] {
  return adjustments.map((a) => ({
    kind: 'timeAdjustment',
    code: a.kind,
    at: a.newTime * 1000,
    fields: { oldTime: a.oldTime, newTime: a.newTime, kind: a.kind, workshopCard: a.workshopCard ?? null },
  }));
}

/**
 * The daily activity records (App. 1 ActivityChangeInfo words) as one record per word: `code` is the
 * activity, `at` the minute it starts (VU time), per UTC day. Read as a download at `vuNow` would.
 */
export function activityRecords(activities: ActivityState, vuNow: number): DeviceRecord[] {
  const state = settled(activities, vuNow);
  return Object.keys(state.days)
    .sort()
    .flatMap((day) =>
      state.days[day]!.map((w) => ({
        kind: 'activity',
        code: w.activity,
        at: Date.parse(`${day}T00:00:00Z`) + w.minute * 60_000,
        fields: { slot: w.slot, drivingStatus: w.drivingStatus, cardStatus: w.cardStatus, minute: w.minute },
      })),
    );
}

/** Each multiple of three hours of accumulated driving (Annex IC 108), with the minutes reached. */
export function accumulatedDrivingRecords(marks: readonly AccumulatedDrivingMark[]): DeviceRecord[] {
  return marks.map((m) => ({ kind: 'accumulatedDriving', code: m.minutes, at: m.at, fields: { minutes: m.minutes } }));
}

/** Card insertions and withdrawals (Annex IC 102, App. 1 VuCardIWRecord): `at` is the insertion. */
export function cardInsertionRecords(iw: readonly VuCardIWRecord[]): DeviceRecord[] {
  return iw.map((r) => ({
    kind: 'cardInsertion',
    code: r.fullCardNumberAndGeneration.cardNumber,
    at: r.cardInsertionTime,
    end: r.cardWithdrawalTime ?? undefined,
    fields: {
      slot: r.cardSlotNumber,
      holder: r.cardHolderName,
      card: r.fullCardNumberAndGeneration,
      odometerAtInsertion: r.vehicleOdometerValueAtInsertion,
      odometerAtWithdrawal: r.vehicleOdometerValueAtWithdrawal,
      withdrawn: r.cardWithdrawalTime !== null,
    },
  }));
}

/** The VU's identification (App. 1 VuIdentification), as one record. */
export function identificationRecord(options: VuOptions): DeviceRecord {
  const id = options.identification;
  return { kind: 'vuIdentification', code: id.approvalNumber, fields: { ...id } };
}

/** Motion sensor pairings (App. 1 VuSensorPairedRecord): `code` is the sensor's serial number, `at` the pairing date. */
export function sensorPairingRecords(pairings: readonly SensorPairedRecordData[]): DeviceRecord[] {
  return pairings.map((p) => ({ kind: 'sensorPaired', code: p.sensorSerialNumber.serialNumber, at: p.sensorPairingDate * 1000, fields: { ...p } }));
}

/** Calibrations (Annex IC 119, App. 1 VuCalibrationRecord): `code` is the CalibrationPurpose, `at` the new time value. */
export function calibrationRecords(calibrations: readonly VuCalibrationRecord[]): DeviceRecord[] {
  // as a version 1 download (TREP 25) gives them: the version 2 fields only a TREP 35 carries are left out
  return calibrations.map(({ byDefaultLoadType: _l, calibrationCountry: _c, calibrationCountryTimestamp: _t, ...c }) => ({ kind: 'calibration', code: c.calibrationPurpose, at: c.newTimeValue * 1000, fields: { ...c } }));
}

/**
 * The VU's messages to the workshop card holder (a refused calibration function, an aborted pairing: CSM_217
 * step 2). Not an App. 1 record: a download will not carry them; they are read in-process like the rest.
 */
export function calibrationErrorRecords(errors: readonly CalibrationError[]): DeviceRecord[] {
  return errors.map((e) => ({ kind: 'calibrationError', code: e.reason, at: e.at * 1000, fields: { ...e } }));
}

/** EGF couplings (Annex IC 100): `at` the coupling date, `code` the EGF's serial number. */
export function gnssCouplingRecords(couplings: readonly { egfSerialNumber: string; couplingDate: number; workshopCardNumber: string }[]): DeviceRecord[] {
  return couplings.map((c) => ({ kind: 'gnssCoupling', code: c.egfSerialNumber, at: c.couplingDate * 1000, fields: { ...c } }));
}
