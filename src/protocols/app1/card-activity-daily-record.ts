import { App1DecodeError } from './app1-decode-error.ts';
import type { Activity } from './activity-change-info.ts';
import { isoOfTimeReal } from './record-reader.ts';

/**
 * A card's activities (App. 1 2.17 `CardDriverActivity`): two pointers, then `activityDailyRecords`, an octet
 * string filled cyclically with 2.9 `CardActivityDailyRecord`s (Annex IC 266, 291, 320, 343):
 * activityPreviousRecordLength, activityRecordLength (2 bytes each, the whole record's bytes),
 * activityRecordDate (TimeReal), activityDailyPresenceCounter (2.56, BCD 2), activityDayDistance (2.60, km 2),
 * then ActivityChangeInfo words (2.1, driver card meaning) up to the record's length.
 *
 * 2.17: records are appended, the string wraps at its end "independently of a break being inside a data
 * element", activityPointerOldestDayRecord is the oldest complete day record (its previous length reset to
 * 0), activityPointerNewestRecord the most recent. Decoding walks back from the newest record by the previous
 * lengths to the oldest, reading across the wrap, and checks each step against the record it lands on. What
 * does not hold is a problem naming the byte of the string (offset from its start), and the days read so far
 * are kept.
 */

/** 2.1 ActivityChangeInfo as a driver (or workshop) card records it. */
export interface CardActivityChangeInfo {
  /** 's': the slot; when the card was withdrawn, the slot it was withdrawn from. */
  slot: 'driver' | 'co-driver';
  /** 'p': whether the card is inserted in a recording equipment. */
  cardStatus: 'inserted' | 'not-inserted';
  /** 'c' with the card inserted: driving status. */
  drivingStatus?: 'single' | 'crew';
  /** 'c' with the card not inserted: whether the following activity is known (manually entered). */
  activityStatus?: 'unknown' | 'known';
  /** 'aa' (with the card out and the activity unknown: as written, not relevant). */
  activity: Activity;
  /** 't': minutes since 00:00 of the record's day. */
  minute: number;
  /** activityRecordDate + minute, ISO. */
  time: string;
}

export interface CardActivityDailyRecord {
  activityPreviousRecordLength: number;
  activityRecordLength: number;
  activityRecordDate: string | null;
  activityDailyPresenceCounter: number;
  /** km */
  activityDayDistance: number;
  activityChangeInfo: CardActivityChangeInfo[];
}

export interface CardDriverActivity {
  activityPointerOldestDayRecord: number;
  activityPointerNewestRecord: number;
  /** The day records, oldest first. */
  activityDailyRecords: CardActivityDailyRecord[];
}

const ACTIVITIES: readonly Activity[] = ['break-rest', 'availability', 'work', 'driving'];
/** Two lengths, a date, a presence counter and a distance. */
export const DAILY_RECORD_HEADER_SIZE = 12;

export function decodeCardActivityChangeInfo(word: number, dayStart: number): CardActivityChangeInfo {
  const inserted = (word & 0x2000) === 0;
  const minute = word & 0x7ff;
  const change: CardActivityChangeInfo = {
    slot: word & 0x8000 ? 'co-driver' : 'driver',
    cardStatus: inserted ? 'inserted' : 'not-inserted',
    activity: ACTIVITIES[(word >> 11) & 0b11]!,
    minute,
    time: new Date(dayStart + minute * 60_000).toISOString(),
  };
  if (inserted) change.drivingStatus = word & 0x4000 ? 'crew' : 'single';
  else change.activityStatus = word & 0x4000 ? 'known' : 'unknown';
  return change;
}

/** EF Driver_Activity_Data's value: 4 bytes of pointers, then the cyclic string. */
export function decodeCardDriverActivity(value: Uint8Array, problems: string[] = []): CardDriverActivity {
  if (value.length < 4) throw new App1DecodeError(`CardDriverActivity needs its 4 bytes of pointers, got ${value.length}`);
  const oldest = (value[0]! << 8) | value[1]!;
  const newest = (value[2]! << 8) | value[3]!;
  const ring = value.subarray(4);
  const n = ring.length;
  const out: CardDriverActivity = { activityPointerOldestDayRecord: oldest, activityPointerNewestRecord: newest, activityDailyRecords: [] };
  if (n === 0) return out;
  const byte = (i: number) => ring[i % n]!;
  const u16 = (i: number) => (byte(i) << 8) | byte(i + 1);
  const u32 = (i: number) => byte(i) * 0x1000000 + ((byte(i + 1) << 16) | (byte(i + 2) << 8) | byte(i + 3));
  const where = (at: number) => `activityDailyRecords byte ${at}`;
  if (oldest >= n || newest >= n) {
    problems.push(`CardDriverActivity: a pointer (oldest ${oldest}, newest ${newest}) is outside the ${n} bytes of activityDailyRecords`);
    return out;
  }
  // a card that never recorded: App. 2's default, all zero, both pointers 0
  if (u16(newest + 2) === 0 && ring.every((b) => b === 0)) return out;
  const days: CardActivityDailyRecord[] = [];
  const seen = new Set<number>();
  let at = newest;
  for (;;) {
    seen.add(at);
    const previous = u16(at);
    const length = u16(at + 2);
    if (length < DAILY_RECORD_HEADER_SIZE + 2 || length > n || (length - DAILY_RECORD_HEADER_SIZE) % 2 !== 0) {
      problems.push(`${where(at)}: activityRecordLength ${length} cannot be a day record (12 bytes of header, then 2 per activity change, within ${n})`);
      break;
    }
    days.unshift(readDay(at, length, previous));
    if (at === oldest) {
      if (previous !== 0) problems.push(`${where(at)}: the oldest day record's activityPreviousRecordLength is ${previous}, not 0 (App. 1 2.17)`);
      break;
    }
    if (previous === 0) {
      problems.push(`${where(at)}: activityPreviousRecordLength 0 before reaching activityPointerOldestDayRecord ${oldest}`);
      break;
    }
    const before = (at - previous + n) % n;
    if (u16(before + 2) !== previous) {
      problems.push(`${where(at)}: activityPreviousRecordLength ${previous} points to byte ${before}, whose activityRecordLength is ${u16(before + 2)}`);
      break;
    }
    if (seen.has(before)) {
      problems.push(`${where(at)}: the records run in a circle without reaching activityPointerOldestDayRecord ${oldest}`);
      break;
    }
    at = before;
  }
  out.activityDailyRecords = days;
  return out;

  function readDay(start: number, length: number, previous: number): CardActivityDailyRecord {
    const date = u32(start + 4);
    const counter = ((byte(start + 8) << 8) | byte(start + 9)).toString(16).padStart(4, '0');
    if (!/^[0-9]{4}$/.test(counter)) problems.push(`${where(start)}: activityDailyPresenceCounter '${counter}' is not BCD`);
    const dayStart = date * 1000;
    const changes: CardActivityChangeInfo[] = [];
    for (let i = start + DAILY_RECORD_HEADER_SIZE; i < start + length; i += 2) {
      const change = decodeCardActivityChangeInfo(u16(i), dayStart);
      // 11 bits reach 2047; a day has minutes 0..1439
      if (change.minute >= 1440) problems.push(`${where(i % n)}: time of change ${change.minute} is past 23:59`);
      changes.push(change);
    }
    return {
      activityPreviousRecordLength: previous,
      activityRecordLength: length,
      activityRecordDate: isoOfTimeReal(date),
      activityDailyPresenceCounter: /^[0-9]{4}$/.test(counter) ? Number(counter) : Number.parseInt(counter, 16),
      activityDayDistance: u16(start + 10),
      activityChangeInfo: changes,
    };
  }
}
