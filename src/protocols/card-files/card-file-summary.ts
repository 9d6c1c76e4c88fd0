import type { CardType } from '../app1/card-type.ts';
import type { CardIdentificationAndHolder } from '../app1/card-identification.ts';
import { efName, type CardDf } from './card-file-ids.ts';
import type { DecodedCardDownloadEf, DecodedCardFile } from './decode-card-download.ts';

/**
 * What a person reads first of a decoded card file (issue 14, `rig decode`): whose card, the period its
 * activities cover, how many records of each App. 1 type each DF holds, and the time the file was downloaded
 * at as well as the file tells it (`downloadTime`).
 *
 * Download time (README, card downloads): DDP_035 leaves EF Card_Download (LastCardDownload) out of a
 * download, and nothing else in the file is written at download time. The file is taken to have been
 * downloaded at the latest time it records: the newest of LastCardDownload (when a file carries it),
 * Current_Usage sessionOpenTime, the last activity change, and every event, fault, vehicle, place, GNSS,
 * control, calibration, border crossing and load record's time. Certificates valid then were valid while the
 * card wrote its data. The gen2 certificates' effective dates count too: the card held them when downloaded (so a
 * card that recorded nothing is judged when its newest certificate took effect). A time after the card's expiry
 * date cannot be a record of the card's use (a VU refuses an expired card) and is left out. A gen1 card that
 * recorded nothing: its cardValidityBegin.
 */
export interface CardFileSummary {
  cardType: CardType | null;
  generation: 1 | 2;
  structure: DecodedCardFile['structure'];
  cardIssuingMemberState: number | null;
  cardNumber: string | null;
  /** The holder's surname and first names, or the company's, workshop's or control body's name. */
  holder: string | null;
  cardValidityBegin: string | null;
  cardExpiryDate: string | null;
  /** The days of EF Driver_Activity_Data (DF Tachograph_G2's when the card has it). */
  activities: { df: CardDf; firstDay: string; lastDay: string; days: number } | null;
  downloadTime: { at: string; source: string } | null;
  /** Used records per App. 1 record type, per DF. */
  counts: Partial<Record<'tachograph' | 'tachograph-g2', Record<string, number>>>;
  /** EFs with problems, and the file's own problems. */
  problems: number;
}

type Decoded = Omit<DecodedCardFile, 'summary'>;

/** Times of use, by field name (App. 1): not dates of issue, validity, birth, next calibration or periods downloaded. */
const USE_TIMES = new Set([
  'lastCardDownload',
  'sessionOpenTime',
  'time',
  'eventBeginTime',
  'eventEndTime',
  'faultBeginTime',
  'faultEndTime',
  'vehicleFirstUse',
  'vehicleLastUse',
  'entryTime',
  'controlTime',
  'timeStamp',
  'oldTimeValue',
  'newTimeValue',
  'calibrationCountryTimestamp',
  'companyActivityTime',
]);

/**
 * The latest time of use an EF records, and the field it is in; for a gen2 certificate its effectiveDate (the
 * card cannot have been downloaded before the certificates it holds were issued).
 */
export function latestUseTime(ef: DecodedCardDownloadEf, before = Infinity): { at: number; field: string } | null {
  if (!('record' in ef)) return null;
  if (ef.type === 'Certificate') {
    if (!ef.record || !('effectiveDate' in ef.record)) return null;
    const at = Date.parse(ef.record.effectiveDate);
    return at <= before ? { at, field: 'effectiveDate' } : null;
  }
  let best: { at: number; field: string } | null = null;
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (!USE_TIMES.has(key)) return;
      const at = Date.parse(value);
      if (at <= before && (!best || at > best.at)) best = { at, field: key };
    } else if (Array.isArray(value)) for (const v of value) walk(v, key);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(ef.record, '');
  return best;
}

function identificationOf(file: Decoded): CardIdentificationAndHolder | null {
  const ids = file.efs.filter((e): e is Extract<DecodedCardDownloadEf, { type: 'CardIdentification' }> => e.type === 'CardIdentification');
  return (ids.find((e) => e.df === 'tachograph-g2') ?? ids[0])?.record ?? null;
}

export function downloadTimeOf(file: Decoded): { at: number; source: string } | null {
  const id = identificationOf(file);
  const expiry = id?.cardIdentification.cardExpiryDate;
  // the whole expiry day (TimeReal of its 00:00 in the rig's cards, 23:59:59 in others)
  const limit = expiry ? Date.parse(expiry) + 86_400_000 : Infinity;
  let best: { at: number; source: string } | null = null;
  for (const ef of file.efs) {
    const t = latestUseTime(ef, limit);
    if (t && (!best || t.at > best.at)) best = { at: t.at, source: `the latest time the file records: ${dfName(ef.df)} ${efName(ef.fid, ef.df)} ${t.field}` };
  }
  if (best) return best;
  const begin = id?.cardIdentification.cardValidityBegin;
  return begin ? { at: Date.parse(begin), source: 'EF Identification cardValidityBegin: the file records no use of the card' } : null;
}

function dfName(df: CardDf): string {
  return df === 'mf' ? 'MF' : df === 'tachograph' ? 'DF Tachograph' : 'DF Tachograph_G2';
}

/** Used records per App. 1 type in one EF. */
function countRecords(ef: DecodedCardDownloadEf, add: (type: string, n: number) => void): void {
  const used = (set: readonly unknown[]) => set.filter((r) => r !== null).length;
  switch (ef.type) {
    case 'CardDriverActivity':
      add('CardActivityDailyRecord', ef.record.activityDailyRecords.length);
      add('ActivityChangeInfo', ef.record.activityDailyRecords.reduce((n, d) => n + d.activityChangeInfo.length, 0));
      return;
    case 'CardEventData':
      return add('CardEventRecord', ef.record.cardEventRecords.reduce((n, s) => n + used(s), 0));
    case 'CardFaultData':
      return add('CardFaultRecord', ef.record.cardFaultRecords.reduce((n, s) => n + used(s), 0));
    case 'CardVehiclesUsed':
      return add('CardVehicleRecord', used(ef.record.cardVehicleRecords));
    case 'CardPlaceDailyWorkPeriod':
      return add('PlaceRecord', used(ef.record.placeRecords));
    case 'CardControlActivityDataRecord':
      return add('CardControlActivityDataRecord', ef.record ? 1 : 0);
    case 'SpecificConditions':
      return add('SpecificConditionRecord', used(ef.record.specificConditionRecords));
    case 'CardVehicleUnitsUsed':
      return add('CardVehicleUnitRecord', used(ef.record.cardVehicleUnitRecords));
    case 'GNSSAccumulatedDriving':
      return add('GNSSAccumulatedDrivingRecord', used(ef.record.gnssAccumulatedDrivingRecords));
    case 'CardPlaceAuthDailyWorkPeriod':
      return add('PlaceAuthStatusRecord', used(ef.record.placeAuthStatusRecords));
    case 'GNSSAuthAccumulatedDriving':
      return add('GNSSAuthStatusADRecord', used(ef.record.gnssAuthStatusADRecords));
    case 'CardBorderCrossings':
      return add('CardBorderCrossingRecord', used(ef.record.cardBorderCrossingRecords));
    case 'CardLoadUnloadOperations':
      return add('CardLoadUnloadRecord', used(ef.record.cardLoadUnloadRecords));
    case 'CardLoadTypeEntries':
      return add('CardLoadTypeEntryRecord', used(ef.record.cardLoadTypeEntryRecords));
    case 'WorkshopCardCalibrationData':
      return add('WorkshopCardCalibrationRecord', used(ef.record.calibrationRecords));
    case 'WorkshopCardCalibrationAddData':
      return add('WorkshopCardCalibrationAddDataRecord', used(ef.record.workshopCardCalibrationAddDataRecords));
    case 'ControlCardControlActivityData':
      return add('controlActivityRecord', used(ef.record.controlActivityRecords));
    case 'CompanyActivityData':
      return add('companyActivityRecord', used(ef.record.companyActivityRecords));
    default:
      return;
  }
}

export function summarizeCardFile(file: Decoded): CardFileSummary {
  const id = identificationOf(file);
  const holder = id?.cardHolderIdentification;
  const name = !holder
    ? null
    : 'companyName' in holder
      ? holder.companyName
      : [holder.cardHolderName.holderSurname, holder.cardHolderName.holderFirstNames].filter((s) => s !== '').join(' ');
  const activity = file.efs.filter((e): e is Extract<DecodedCardDownloadEf, { type: 'CardDriverActivity' }> => e.type === 'CardDriverActivity');
  const days = (activity.find((e) => e.df === 'tachograph-g2') ?? activity[0]);
  const list = days?.record.activityDailyRecords ?? [];
  const counts: CardFileSummary['counts'] = {};
  for (const ef of file.efs) {
    if (ef.df === 'mf') continue;
    const df = ef.df;
    countRecords(ef, (type, n) => {
      const c = (counts[df] ??= {});
      c[type] = (c[type] ?? 0) + n;
    });
  }
  const download = downloadTimeOf(file);
  return {
    cardType: file.cardType,
    generation: file.generation,
    structure: file.structure,
    cardIssuingMemberState: id?.cardIdentification.cardIssuingMemberState ?? null,
    cardNumber: id?.cardIdentification.cardNumber ?? null,
    holder: name,
    cardValidityBegin: id?.cardIdentification.cardValidityBegin ?? null,
    cardExpiryDate: id?.cardIdentification.cardExpiryDate ?? null,
    activities: days && list.length > 0 ? { df: days.df, firstDay: (list[0]!.activityRecordDate ?? '').slice(0, 10), lastDay: (list[list.length - 1]!.activityRecordDate ?? '').slice(0, 10), days: list.length } : null,
    downloadTime: download ? { at: new Date(download.at).toISOString(), source: download.source } : null,
    counts,
    problems: file.problems.length + file.efs.filter((e) => e.problems.length > 0).length,
  };
}
