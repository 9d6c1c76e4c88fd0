/** App. 1 ActivityChangeInfo 's': the card slot, i.e. the person whose activity it is. */
export type Slot = 'driver' | 'co-driver';

export const SLOTS: readonly Slot[] = ['driver', 'co-driver'];

/** Annex IC 45: the four activities. 'break-rest' is BREAK/REST. */
export type Activity = 'break-rest' | 'availability' | 'work' | 'driving';

/** Annex IC 55: the driving status. */
export type DrivingStatus = 'single' | 'crew';

/** App. 1 ActivityChangeInfo 'p', data-memory meaning. */
export type CardStatus = 'inserted' | 'not-inserted';

/**
 * One ActivityChangeInfo word (App. 1 §2.1, data-memory meaning), decoded. `minute` is the time of the
 * change in minutes since 00:00 UTC of the day the word belongs to (0..1439).
 */
export interface ActivityChangeInfo {
  slot: Slot;
  drivingStatus: DrivingStatus;
  cardStatus: CardStatus;
  activity: Activity;
  minute: number;
}

/**
 * App. 1 §2.1 ActivityChangeInfo: a 2-byte word, octet aligned, bits 'scpaattttttttttt' from the most
 * significant: s slot (0 DRIVER, 1 CO-DRIVER), c driving status (0 SINGLE, 1 CREW), p card status
 * (0 INSERTED, 1 NOT INSERTED), aa activity (00 BREAK/REST, 01 AVAILABILITY, 10 WORK, 11 DRIVING),
 * t 11 bits of minutes since 00h00 on the given day. Pure; the data-memory meaning of the bits.
 */

const ACTIVITY_CODES: readonly Activity[] = ['break-rest', 'availability', 'work', 'driving'];

/** App. 1 §2.120 RecordType '01'H: the record type of a VuActivityDailyRecordArray. */
export const RECORD_TYPE_ACTIVITY_CHANGE_INFO = 0x01;

/** Minutes in a day: the largest valid time of change is 1439 (23:59). */
const MINUTES_PER_DAY = 1440;

export function activityCode(activity: Activity): number {
  const code = ACTIVITY_CODES.indexOf(activity);
  if (code < 0) throw new RangeError(`not an activity: ${String(activity)}`);
  return code;
}

export function encodeActivityChangeInfo(info: ActivityChangeInfo): Uint8Array {
  if (!Number.isInteger(info.minute) || info.minute < 0 || info.minute >= MINUTES_PER_DAY) {
    throw new RangeError(`time of change must be a whole minute of the day (0..1439), got ${info.minute}`);
  }
  const word =
    ((info.slot === 'co-driver' ? 1 : 0) << 15) |
    ((info.drivingStatus === 'crew' ? 1 : 0) << 14) |
    ((info.cardStatus === 'not-inserted' ? 1 : 0) << 13) |
    (activityCode(info.activity) << 11) |
    info.minute;
  return Uint8Array.of(word >> 8, word & 0xff);
}

export function decodeActivityChangeInfo(bytes: Uint8Array, offset = 0): ActivityChangeInfo {
  if (offset + 2 > bytes.length) throw new RangeError(`ActivityChangeInfo needs 2 bytes at offset ${offset}, ${bytes.length - offset} left`);
  const word = (bytes[offset]! << 8) | bytes[offset + 1]!;
  const minute = word & 0x7ff;
  // 11 bits reach 2047; App. 1 defines only the minutes of one day
  if (minute >= MINUTES_PER_DAY) throw new RangeError(`time of change ${minute} is past 23:59`);
  return {
    slot: word & 0x8000 ? 'co-driver' : 'driver',
    drivingStatus: word & 0x4000 ? 'crew' : 'single',
    cardStatus: word & 0x2000 ? 'not-inserted' : 'inserted',
    activity: ACTIVITY_CODES[(word >> 11) & 0b11]!,
    minute,
  };
}

/**
 * App. 1 §2.171 VuActivityDailyRecordArray (gen2 download, TREP 22): recordType '01'H, recordSize 2,
 * noOfRecords (both big-endian 16-bit), then the words.
 */
export function encodeVuActivityDailyRecordArray(changes: readonly ActivityChangeInfo[]): Uint8Array {
  if (changes.length > 0xffff) throw new RangeError(`${changes.length} records do not fit noOfRecords`);
  const out = new Uint8Array(5 + 2 * changes.length);
  out[0] = RECORD_TYPE_ACTIVITY_CHANGE_INFO;
  out[1] = 0;
  out[2] = 2;
  out[3] = changes.length >> 8;
  out[4] = changes.length & 0xff;
  changes.forEach((change, i) => out.set(encodeActivityChangeInfo(change), 5 + 2 * i));
  return out;
}

export function decodeVuActivityDailyRecordArray(bytes: Uint8Array, offset = 0): { changes: ActivityChangeInfo[]; length: number } {
  if (offset + 5 > bytes.length) throw new RangeError('VuActivityDailyRecordArray header needs 5 bytes');
  const recordType = bytes[offset]!;
  const recordSize = (bytes[offset + 1]! << 8) | bytes[offset + 2]!;
  const count = (bytes[offset + 3]! << 8) | bytes[offset + 4]!;
  if (recordType !== RECORD_TYPE_ACTIVITY_CHANGE_INFO) throw new RangeError(`record type ${recordType} is not ActivityChangeInfo (1)`);
  if (recordSize !== 2) throw new RangeError(`record size ${recordSize} is not 2`);
  const length = 5 + 2 * count;
  if (offset + length > bytes.length) throw new RangeError(`${count} records need ${length} bytes, ${bytes.length - offset} left`);
  const changes: ActivityChangeInfo[] = [];
  for (let i = 0; i < count; i++) changes.push(decodeActivityChangeInfo(bytes, offset + 5 + 2 * i));
  return { changes, length };
}
