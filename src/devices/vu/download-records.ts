import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import type { DownloadResult } from '../../harness/download/index.ts';
import {
  decodeTrep21,
  decodeTrep22,
  decodeTrep23,
  decodeTrep24,
  decodeTrep25,
  decodeTrep31,
  decodeTrep32,
  decodeTrep33,
  decodeTrep35,
  type ActivitiesOfDayData,
  type DownloadedEventFault,
  type EventsAndFaultsData,
  type OverviewData,
  type TechnicalData,
} from '../../protocols/app7-records/index.ts';
import type { VuGnssAdRecordV2, VuPlaceDailyWorkPeriodRecordV2 } from '../../protocols/app1/vu-gnss-records-v2.ts';
import { downloadedBorderCrossingRecord, downloadedLoadUnloadRecord } from './v2-records/v2-record-kinds.ts';
import { toHex } from '../../crypto/bytes.ts';
import { encodeExtendedSerialNumber } from '../../protocols/motion-sensor/payloads.ts';
import { eventFaultType } from './data-memory/event-fault-types.ts';
import { placeRecords } from './places/index.ts';
import { specificConditionRecords } from './specific-conditions/index.ts';

/**
 * A VU's records as a download gives them, in the same shapes as the in-process reader (vu-records.ts), so
 * the VU's record source can switch to the front door without changing scenarios. What the download does
 * not carry (accumulated-driving positions until the GNSS facility lands, calibration errors shown to the
 * workshop) is not invented here.
 */
export function recordsFromDownload(result: DownloadResult): DeviceRecord[] {
  const records: DeviceRecord[] = [];
  const seenInsertions = new Set<string>();
  for (const t of result.transfers) {
    if (!t.ok) continue;
    switch (t.trtp) {
      case 0x21:
        records.push(...overviewRecords(decodeTrep21(t.message).data));
        break;
      // DDP_029 gen2 v2: TREP 21's content, the registration with its nation
      case 0x31:
        records.push(...overviewRecords(decodeTrep31(t.message).data));
        break;
      case 0x22:
        records.push(...dayRecords(decodeTrep22(t.message).data, seenInsertions));
        break;
      // DDP_030 gen2 v2: the day in version 2 records (places with their authentication status, read as the
      // version 1 places), and the day's load/unload operations and border crossings (Annex IC 62a, 133a)
      case 0x32: {
        const day = decodeTrep32(t.message).data;
        records.push(...dayRecords({ ...day, places: day.places.map(placeOfV2), gnssAccumulatedDriving: day.gnssAccumulatedDriving.map(gnssAdOfV2) }, seenInsertions));
        records.push(...day.loadUnloadOperations.map(downloadedLoadUnloadRecord), ...day.borderCrossings.map(downloadedBorderCrossingRecord));
        break;
      }
      case 0x23:
        records.push(...eventRecordsOf(decodeTrep23(t.message).data));
        break;
      // DDP_031: TREP 33 is TREP 23's table
      case 0x33:
        records.push(...eventRecordsOf(decodeTrep33(t.message).data));
        break;
      case 0x24:
        // Annex IC 3.12.9: a minute's block of speeds, one a second, for every minute the vehicle moved
        for (const b of decodeTrep24(t.message).data) records.push({ kind: 'detailedSpeed', at: b.begin * 1000, fields: { speeds: b.speeds } });
        break;
      case 0x25:
        records.push(...technicalRecords(decodeTrep25(t.message).data));
        break;
      // DDP_033 gen2 v2: VuIdentification with vuDigitalMapVersion, VuCalibrationRecord with the version 2 fields
      case 0x35:
        records.push(...technicalRecords(decodeTrep35(t.message).data));
        break;
    }
  }
  return records;
}

function overviewRecords(o: OverviewData): DeviceRecord[] {
  const records: DeviceRecord[] = [{ kind: 'overview', code: o.vin, at: o.currentTime, fields: { ...o } }];
  // Annex IC 128: `code` the company (the first 13 characters of the card number, Annex IC 66), at lock-in
  for (const l of o.companyLocks) {
    records.push({ kind: 'companyLock', code: l.companyCard.cardNumber.slice(0, 13), at: l.lockInTime, end: l.lockOutTime ?? undefined, fields: { ...l, locked: l.lockOutTime === null } });
  }
  // Annex IC 126: `code` the App. 1 ControlType bits
  for (const c of o.controls) records.push({ kind: 'controlActivity', code: c.controlType, at: c.controlTime, fields: { ...c } });
  return records;
}

/** A gen2 v2 place (App. 1 §2.219, PlaceAuthRecord) as TREP 22's. */
function placeOfV2(p: VuPlaceDailyWorkPeriodRecordV2): ActivitiesOfDayData['places'][number] {
  const a = p.placeAuthRecord;
  const g = a.entryGNSSPlaceAuthRecord;
  return { card: p.fullCardNumberAndGeneration, entryTime: a.entryTime, entryType: a.entryTypeDailyWorkPeriod, country: a.dailyWorkPeriodCountry, region: a.dailyWorkPeriodRegion, odometerKm: a.vehicleOdometerValue, place: { timeStamp: g.timeStamp, gnssAccuracy: g.gnssAccuracy, ...g.geoCoordinates } };
}

/** A gen2 v2 VuGNSSADRecord (App. 1 §2.203, GNSSPlaceAuthRecord) as TREP 22's. */
function gnssAdOfV2(r: VuGnssAdRecordV2): ActivitiesOfDayData['gnssAccumulatedDriving'][number] {
  const g = r.gnssPlaceAuthRecord;
  return { timeStamp: r.timeStamp, driverCard: r.cardNumberAndGenDriverSlot, codriverCard: r.cardNumberAndGenCodriverSlot, place: { timeStamp: g.timeStamp, gnssAccuracy: g.gnssAccuracy, ...g.geoCoordinates }, odometerKm: r.vehicleOdometerValue };
}

function dayRecords(day: ActivitiesOfDayData, seenInsertions: Set<string>): DeviceRecord[] {
  const records: DeviceRecord[] = [];
  for (const w of day.activities) {
    records.push({ kind: 'activity', code: w.activity, at: day.day + w.minute * 60_000, fields: { slot: w.slot, drivingStatus: w.drivingStatus, cardStatus: w.cardStatus, minute: w.minute } });
  }
  records.push(...placeRecords(day.places));
  // Annex IC 130: VuSpecificConditionRecordArray
  records.push(...specificConditionRecords(day.specificConditions));
  for (const g of day.gnssAccumulatedDriving) {
    records.push({ kind: 'gnssAccumulatedDriving', at: g.timeStamp, fields: { ...g } });
  }
  for (const r of day.cardIW) {
    // a card inserted across midnight is in both days' records: one insertion
    const key = `${r.fullCardNumberAndGeneration.cardNumber}@${r.cardInsertionTime}`;
    if (seenInsertions.has(key)) continue;
    seenInsertions.add(key);
    records.push({
      kind: 'cardInsertion',
      code: r.fullCardNumberAndGeneration.cardNumber,
      at: r.cardInsertionTime,
      end: r.cardWithdrawalTime ?? undefined,
      fields: { slot: r.cardSlotNumber, holder: r.cardHolderName, card: r.fullCardNumberAndGeneration, odometerAtInsertion: r.vehicleOdometerValueAtInsertion, odometerAtWithdrawal: r.vehicleOdometerValueAtWithdrawal, withdrawn: r.cardWithdrawalTime !== null },
    });
  }
  return records;
}

function eventRecordsOf(data: EventsAndFaultsData): DeviceRecord[] {
  const records = occurrences(data.records);
  // App. 1 VuOverSpeedingControlData (Annex IC 117 note (1)): one record without a time (its times are fields)
  const c = data.overSpeedingControl;
  records.push({ kind: 'overSpeedingControl', code: c.numberOfOverSpeedSince, fields: { ...c } });
  for (const a of data.timeAdjustments) {
    const kind = a.workshopCard ? 'workshop' : 'automatic';
    records.push({ kind: 'timeAdjustment', code: kind, at: a.newTime * 1000, fields: { oldTime: a.oldTime, newTime: a.newTime, kind, workshopCard: a.workshopCard } });
  }
  return records;
}

function technicalRecords(tech: TechnicalData): DeviceRecord[] {
  const records: DeviceRecord[] = [];
  const { generation: _g, supportsGen1Cards: _s, ...identification } = tech.identification;
  records.push({ kind: 'vuIdentification', code: identification.approvalNumber, fields: { ...identification } });
  for (const p of tech.sensorPairings) records.push({ kind: 'sensorPaired', code: p.sensorSerialNumber.serialNumber, at: p.sensorPairingDate * 1000, fields: { ...p } });
  for (const c of tech.calibrations) records.push({ kind: 'calibration', code: c.calibrationPurpose, at: c.newTimeValue * 1000, fields: { ...c } });
  for (const c of tech.gnssCouplings) {
    const egfSerialNumber = toHex(encodeExtendedSerialNumber(c.sensorSerialNumber));
    records.push({ kind: 'gnssCoupling', code: egfSerialNumber, at: c.sensorCouplingDate * 1000, fields: { egfSerialNumber, couplingDate: c.sensorCouplingDate, approvalNumber: c.sensorApprovalNumber } });
  }
  return records;
}

/**
 * The records of a .DDD file's VU blocks (DDP_034: each a positive answer's TREP and data), as a download
 * session gives them: the gen2 version 1 blocks (TREP 21..25) the rig downloads; others are left out (a version
 * 2 file is drawn through `rig decode`'s typed content, download-chart-records.ts).
 */
export function recordsFromDddBlocks(blocks: readonly { trep: number; data: Uint8Array }[]): DeviceRecord[] {
  const transfers = blocks.filter((b) => b.trep >= 0x21 && b.trep <= 0x25).map((b) => ({ trtp: b.trep, ok: true as const, trep: b.trep, message: b.data, subMessages: 0 }));
  return recordsFromDownload({ transfers, retransmissions: 0, lateRequests: 0, staleAnswers: 0, restartedTransfers: 0, sessions: 1, stopAnswered: true, baud: 0, startedAt: 0, endedAt: 0 });
}

/**
 * A download lists an occurrence once per purpose it is kept under; scenarios count occurrences.
 *
 * What App. 7 gives: each listed record is one occurrence under one purpose, and an occurrence is listed at most
 * once under each purpose. Records that differ in anything but their purpose are different occurrences. Records
 * identical but for the purpose may be one occurrence listed under several purposes, or several occurrences
 * (two case openings in one second): under any one purpose the same content appears once per occurrence, so
 * the number of occurrences is the largest number of times one purpose lists that content. The i-th occurrence
 * takes the purposes listing it more than i times (which of identical occurrences carries which purpose cannot
 * be told apart, and does not matter: they are the same record).
 */
export function occurrences(listed: readonly DownloadedEventFault[]): DeviceRecord[] {
  const byContent = new Map<string, { record: DownloadedEventFault; perPurpose: Map<number, number> }>();
  for (const r of listed) {
    const { purpose, ...content } = r;
    const key = JSON.stringify(content);
    const seen = byContent.get(key) ?? { record: r, perPurpose: new Map<number, number>() };
    seen.perPurpose.set(purpose, (seen.perPurpose.get(purpose) ?? 0) + 1);
    byContent.set(key, seen);
  }
  const found: { record: DownloadedEventFault; purposes: number[] }[] = [];
  for (const { record, perPurpose } of byContent.values()) {
    const count = Math.max(...perPurpose.values());
    for (let i = 0; i < count; i++) {
      const purposes = [...perPurpose].filter(([, n]) => n > i).map(([p]) => p).sort((a, b) => a - b);
      found.push({ record, purposes });
    }
  }
  return found
    .sort((a, b) => a.record.begin - b.record.begin || a.record.type - b.record.type)
    .map(({ record: r, purposes }) => ({
      kind: r.category,
      code: r.type,
      at: r.begin * 1000,
      end: r.end === null ? undefined : r.end * 1000,
      fields: { name: eventFaultType(r.type).name, purposes, similarEvents: r.similarEvents, cardsAtBegin: r.cardsAtBegin, cardsAtEnd: r.cardsAtEnd, ongoing: r.end === null, ...r.data },
    }));
}
