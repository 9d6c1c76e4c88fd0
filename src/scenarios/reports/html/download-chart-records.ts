import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import { recordsFromDddBlocks } from '../../../devices/vu/download-records.ts';
import { eventFaultTypeName } from '../../../protocols/app1/event-fault-type.ts';
import type { DecodedCardDownload, DecodedDownloadFile, DecodedVuFile } from '../../../protocols/ddd/decode-download-file.ts';

/**
 * What `rig decode --html` draws from a download of any generation, VU or card: the records the report's charts
 * read (`activity` changes, `detailedSpeed` blocks of a second each, `event` and `fault` spans, and the
 * identification facts), taken from the decoder's typed content. Gen2 version 1 VU files go through the same
 * reading as a scenario's download (recordsFromDddBlocks), so a file and a run draw alike.
 */
export interface DownloadChartInput {
  /** 'VU download (gen1)', 'driver card download (gen2v2)'. */
  title: string;
  records: DeviceRecord[];
}

const DAY = 86_400_000;

/** App. 1 ActivityChangeInfo as every decoder gives it: the minute of its day, the slot, the card status. */
interface ChangeInfo {
  slot: string;
  cardStatus: string;
  drivingStatus?: string;
  activity: string;
  minute: number;
}

export function chartInputOf(decoded: DecodedDownloadFile, gen2v1Blocks: () => { trep: number; data: Uint8Array }[]): DownloadChartInput {
  if (decoded.kind === 'card') return { title: `${decoded.cardType ?? 'unknown'} card download (${decoded.generation})`, records: cardRecords(decoded) };
  const title = `VU download (${decoded.generation ?? 'unknown generation'})`;
  if (decoded.generation === 'gen2v1') return { title, records: recordsFromDddBlocks(gen2v1Blocks()) };
  return { title, records: vuRecords(decoded) };
}

function activityRecords(dayStart: number, changes: readonly ChangeInfo[]): DeviceRecord[] {
  return changes.map((c) => ({ kind: 'activity', code: c.activity, at: dayStart + c.minute * 60_000, fields: { slot: c.slot, cardStatus: c.cardStatus, ...(c.drivingStatus ? { drivingStatus: c.drivingStatus } : {}), minute: c.minute } }));
}

function span(kind: 'event' | 'fault', code: number, beginMs: number | null, endMs: number | null): DeviceRecord | undefined {
  if (beginMs === null || !Number.isFinite(beginMs)) return undefined;
  return { kind, code, at: beginMs, ...(endMs !== null && Number.isFinite(endMs) ? { end: endMs } : {}), fields: { name: eventFaultTypeName(code).replace(/^'[0-9A-F]{2}'H /, ''), ongoing: endMs === null } };
}

/** Gen1 (App. 7 §2.2.6 TREP 02..05: times in ms) and gen2 version 2 (TREP 31..35, 36: times in s) VU blocks. */
function vuRecords(decoded: DecodedVuFile): DeviceRecord[] {
  const records: DeviceRecord[] = [];
  for (const block of decoded.blocks) {
    const data = (block.content as { data?: unknown } | undefined)?.data;
    if (data === undefined || data === null) continue;
    if (decoded.generation === 'gen1') {
      const d = data as {
        dateOfDayDownloaded?: number;
        activityChangeInfos?: ChangeInfo[];
        vuEventRecords?: { eventType: number; eventBeginTime: number; eventEndTime: number }[];
        vuFaultRecords?: { faultType: number; faultBeginTime: number; faultEndTime: number }[];
        vuDetailedSpeedBlocks?: { speedBlockBeginDate: number; speedsPerSecond: number[] }[];
      };
      // dateOfDayDownloaded is the day's last second (App. 7 §2.2.6.3: TimeReal of the day): its UTC midnight
      if (d.activityChangeInfos && d.dateOfDayDownloaded !== undefined) records.push(...activityRecords(Math.floor(d.dateOfDayDownloaded / DAY) * DAY, d.activityChangeInfos));
      for (const e of d.vuEventRecords ?? []) pushDefined(records, span('event', e.eventType, e.eventBeginTime, e.eventEndTime));
      for (const f of d.vuFaultRecords ?? []) pushDefined(records, span('fault', f.faultType, f.faultBeginTime, f.faultEndTime));
      for (const s of d.vuDetailedSpeedBlocks ?? []) records.push({ kind: 'detailedSpeed', at: s.speedBlockBeginDate, fields: { speeds: s.speedsPerSecond } });
    } else {
      const d = data as {
        day?: number;
        activities?: ChangeInfo[];
        records?: { type: number; category: 'event' | 'fault'; begin: number; end: number | null }[];
      };
      if (d.activities && d.day !== undefined) records.push(...activityRecords(d.day, d.activities));
      for (const r of d.records ?? []) pushDefined(records, span(r.category, r.type, r.begin * 1000, r.end === null ? null : r.end * 1000));
      // TREP 36 (detailed speed, gen2v2): the data is the array of blocks, begin in TimeReal seconds
      if (Array.isArray(data)) for (const s of data as { begin: number; speeds: number[] }[]) records.push({ kind: 'detailedSpeed', at: s.begin * 1000, fields: { speeds: s.speeds } });
    }
  }
  return records;
}

/**
 * A card's EFs (App. 2): the daily activity records of EF Driver_Activity_Data, and EF Events_Data and
 * EF Faults_Data. A gen2 card holds both DFs with the same driving: the gen2 DF is drawn, the gen1 one only
 * where there is no other.
 */
function cardRecords(decoded: DecodedCardDownload): DeviceRecord[] {
  const hasG2 = decoded.efs.some((e) => e.df === 'tachograph-g2');
  const efs = decoded.efs.filter((e) => (hasG2 ? e.df === 'tachograph-g2' : e.df === 'tachograph'));
  const time = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
  const records: DeviceRecord[] = [];
  for (const ef of efs) {
    if (ef.type === 'CardDriverActivity' && ef.record) {
      for (const day of ef.record.activityDailyRecords) {
        if (day.activityRecordDate === null) continue;
        records.push(...activityRecords(Date.parse(day.activityRecordDate), day.activityChangeInfo));
      }
    } else if (ef.type === 'CardEventData' && ef.record) {
      for (const set of ef.record.cardEventRecords) for (const e of set) if (e) pushDefined(records, span('event', e.eventType, time(e.eventBeginTime), time(e.eventEndTime)));
    } else if (ef.type === 'CardFaultData' && ef.record) {
      for (const set of ef.record.cardFaultRecords) for (const f of set) if (f) pushDefined(records, span('fault', f.faultType, time(f.faultBeginTime), time(f.faultEndTime)));
    }
  }
  return records;
}

function pushDefined(records: DeviceRecord[], r: DeviceRecord | undefined): void {
  if (r) records.push(r);
}
