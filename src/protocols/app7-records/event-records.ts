import { concatBytes } from '../../crypto/bytes.ts';
import {
  decodeFullCardNumberAndGeneration,
  decodeName,
  decodeTimeReal,
  encodeFullCardNumberAndGeneration,
  encodeName,
  encodeTimeReal,
  type FullCardNumberAndGeneration,
} from '../app1/app1-codec.ts';
import type { SlotCards } from '../app1/slot-cards.ts';
import type { DownloadedEventFault, EventFaultRecordPurpose } from '../app1/vu-event-fault-record.ts';
import type { TimeAdjustmentRecord } from '../app1/time-adjustment-record.ts';

/**
 * App. 1 records of TREP 23 (and the power supply interruptions of TREP 25), gen2 v1. Times here are
 * TimeReal seconds, as the VU's event memory keeps them. An on-going record (end null) writes end time 0
 * and reads back as on-going (a choice: App. 1 gives no "no end yet" value).
 */

export type { DownloadedEventFault };

export const VU_EVENT_RECORD_SIZE = 91;
export const VU_FAULT_RECORD_SIZE = 90;
export const VU_OVER_SPEEDING_EVENT_RECORD_SIZE = 32;
export const VU_OVER_SPEEDING_CONTROL_DATA_SIZE = 9;
export const VU_TIME_ADJUSTMENT_RECORD_SIZE = 99;
export const VU_POWER_SUPPLY_INTERRUPTION_RECORD_SIZE = 87;

const CARD = 19;

function timeReal(seconds: number): Uint8Array {
  return encodeTimeReal(seconds * 1000);
}
function readTimeReal(b: Uint8Array, at: number): number {
  return decodeTimeReal(b, at) / 1000;
}
function readEnd(b: Uint8Array, at: number): number | null {
  const end = readTimeReal(b, at);
  return end === 0 ? null : end;
}
function readPurpose(b: Uint8Array, at: number, what: string): EventFaultRecordPurpose {
  const p = b[at]!;
  // App. 1 §2.69: '00'H..'07'H are defined, the rest is RFU
  if (p > 0x07) throw new RangeError(`${what}: EventFaultRecordPurpose ${p} is RFU`);
  return p as EventFaultRecordPurpose;
}
function sized(bytes: Uint8Array, offset: number, size: number, what: string): Uint8Array {
  const b = bytes.subarray(offset, offset + size);
  if (b.length !== size) throw new RangeError(`${what} needs ${size} bytes, ${b.length} left`);
  return b;
}
function card(b: Uint8Array, at: number): FullCardNumberAndGeneration | null {
  return decodeFullCardNumberAndGeneration(b, at);
}

/**
 * App. 1 §2.95 ManufacturerSpecificEventFaultData: manufacturerCode then a 3-byte error code. The rig is no
 * manufacturer: manufacturer code 0 and no error code (a choice).
 */
const NO_MANUFACTURER_DATA = new Uint8Array(4);

/** What VuEventRecord and VuFaultRecord share: type, purpose, begin, end and the four slot cards (86 bytes). */
function encodeCommonPart(r: DownloadedEventFault): Uint8Array {
  return concatBytes(
    Uint8Array.of(r.type, r.purpose),
    timeReal(r.begin),
    timeReal(r.end ?? 0),
    encodeFullCardNumberAndGeneration(r.cardsAtBegin.driver),
    encodeFullCardNumberAndGeneration(r.cardsAtBegin.codriver),
    encodeFullCardNumberAndGeneration(r.cardsAtEnd?.driver ?? null),
    encodeFullCardNumberAndGeneration(r.cardsAtEnd?.codriver ?? null),
  );
}

function decodeCommonPart(b: Uint8Array, name: string, category: 'event' | 'fault'): Omit<DownloadedEventFault, 'similarEvents' | 'data'> {
  const end = readEnd(b, 6);
  return {
    type: b[0]!,
    category,
    purpose: readPurpose(b, 1, name),
    begin: readTimeReal(b, 2),
    end,
    cardsAtBegin: { driver: card(b, 10), codriver: card(b, 10 + CARD) },
    cardsAtEnd: end === null ? null : { driver: card(b, 10 + 2 * CARD), codriver: card(b, 10 + 3 * CARD) },
  };
}

/** App. 1 §2.198 VuEventRecord (gen2, 91 bytes): the common part, similar events, manufacturer data. */
export function encodeVuEventRecord(r: DownloadedEventFault): Uint8Array {
  return concatBytes(encodeCommonPart(r), Uint8Array.of(r.similarEvents), NO_MANUFACTURER_DATA);
}

/** Event data (durations, speeds) is not part of a VuEventRecord: it reads back as `{}`. */
export function decodeVuEventRecord(bytes: Uint8Array, offset = 0): DownloadedEventFault {
  const b = sized(bytes, offset, VU_EVENT_RECORD_SIZE, 'VuEventRecord');
  return { ...decodeCommonPart(b, 'VuEventRecord', 'event'), similarEvents: b[86]!, data: {} };
}

/** App. 1 §2.201 VuFaultRecord (gen2, 90 bytes): as a VuEventRecord without similarEventsNumber. */
export function encodeVuFaultRecord(r: DownloadedEventFault): Uint8Array {
  return concatBytes(encodeCommonPart(r), NO_MANUFACTURER_DATA);
}

export function decodeVuFaultRecord(bytes: Uint8Array, offset = 0): DownloadedEventFault {
  const b = sized(bytes, offset, VU_FAULT_RECORD_SIZE, 'VuFaultRecord');
  // App. 1 §2.201 has no similarEventsNumber: the VU's store keeps 0 for faults
  return { ...decodeCommonPart(b, 'VuFaultRecord', 'fault'), similarEvents: 0, data: {} };
}

function speed(value: number | string | undefined): number {
  if (value === undefined) return 0;
  const v = Math.round(Number(value));
  if (!Number.isFinite(v) || v < 0 || v > 255) throw new RangeError(`speed ${String(value)} does not fit a Speed byte`);
  return v;
}

/**
 * App. 1 §2.215 VuOverSpeedingEventRecord (gen2, 32 bytes): type, purpose, begin, end, maxSpeedValue,
 * averageSpeedValue (from the record's data `maxSpeed`, `averageSpeed`; 0 while on-going, a choice), the
 * driver slot's card at the beginning, similarEventsNumber.
 */
export function encodeVuOverSpeedingEventRecord(r: DownloadedEventFault): Uint8Array {
  return concatBytes(
    Uint8Array.of(r.type, r.purpose),
    timeReal(r.begin),
    timeReal(r.end ?? 0),
    Uint8Array.of(speed(r.data['maxSpeed']), speed(r.data['averageSpeed'])),
    encodeFullCardNumberAndGeneration(r.cardsAtBegin.driver),
    Uint8Array.of(r.similarEvents),
  );
}

/**
 * The record holds the driver slot's card at the beginning only: the co-driver slot reads back as null
 * and the cards at the end as null. An on-going record reads back with data `{}`.
 */
export function decodeVuOverSpeedingEventRecord(bytes: Uint8Array, offset = 0): DownloadedEventFault {
  const b = sized(bytes, offset, VU_OVER_SPEEDING_EVENT_RECORD_SIZE, 'VuOverSpeedingEventRecord');
  const end = readEnd(b, 6);
  return {
    type: b[0]!,
    category: 'event',
    purpose: readPurpose(b, 1, 'VuOverSpeedingEventRecord'),
    begin: readTimeReal(b, 2),
    end,
    cardsAtBegin: { driver: card(b, 12), codriver: null },
    cardsAtEnd: null,
    similarEvents: b[31]!,
    data: end === null ? {} : { maxSpeed: b[10]!, averageSpeed: b[11]! },
  };
}

/** App. 1 §2.240 VuPowerSupplyInterruptionRecord (gen2, 87 bytes): note the card order, driver slot begin
 * and end, then co-driver slot begin and end (unlike VuEventRecord). */
export function encodeVuPowerSupplyInterruptionRecord(r: DownloadedEventFault): Uint8Array {
  return concatBytes(
    Uint8Array.of(r.type, r.purpose),
    timeReal(r.begin),
    timeReal(r.end ?? 0),
    encodeFullCardNumberAndGeneration(r.cardsAtBegin.driver),
    encodeFullCardNumberAndGeneration(r.cardsAtEnd?.driver ?? null),
    encodeFullCardNumberAndGeneration(r.cardsAtBegin.codriver),
    encodeFullCardNumberAndGeneration(r.cardsAtEnd?.codriver ?? null),
    Uint8Array.of(r.similarEvents),
  );
}

export function decodeVuPowerSupplyInterruptionRecord(bytes: Uint8Array, offset = 0): DownloadedEventFault {
  const b = sized(bytes, offset, VU_POWER_SUPPLY_INTERRUPTION_RECORD_SIZE, 'VuPowerSupplyInterruptionRecord');
  const end = readEnd(b, 6);
  const atBegin: SlotCards = { driver: card(b, 10), codriver: card(b, 10 + 2 * CARD) };
  return {
    type: b[0]!,
    category: 'event',
    purpose: readPurpose(b, 1, 'VuPowerSupplyInterruptionRecord'),
    begin: readTimeReal(b, 2),
    end,
    cardsAtBegin: atBegin,
    cardsAtEnd: end === null ? null : { driver: card(b, 10 + CARD), codriver: card(b, 10 + 3 * CARD) },
    similarEvents: b[86]!,
    data: {},
  };
}

/** App. 1 §2.212 VuOverSpeedingControlData (9 bytes). TimeReal seconds; 0 where there was none yet. */
export interface OverSpeedingControl {
  lastControl: number;
  firstOverSpeedSince: number;
  /** App. 1 §2.116 OverspeedNumber: 255 means 255 or more. */
  numberOfOverSpeedSince: number;
}

export function encodeVuOverSpeedingControlData(c: OverSpeedingControl): Uint8Array {
  return concatBytes(timeReal(c.lastControl), timeReal(c.firstOverSpeedSince), Uint8Array.of(Math.min(255, c.numberOfOverSpeedSince)));
}

export function decodeVuOverSpeedingControlData(bytes: Uint8Array, offset = 0): OverSpeedingControl {
  const b = sized(bytes, offset, VU_OVER_SPEEDING_CONTROL_DATA_SIZE, 'VuOverSpeedingControlData');
  return { lastControl: readTimeReal(b, 0), firstOverSpeedSince: readTimeReal(b, 4), numberOfOverSpeedSince: b[8]! };
}

/**
 * App. 1 §2.232 VuTimeAdjustmentRecord (gen2, 99 bytes): oldTimeValue, newTimeValue, workshopName,
 * workshopAddress, workshopCardNumberAndGeneration. TimeReal seconds.
 */
export interface VuTimeAdjustment {
  oldTime: number;
  newTime: number;
  /** '' when no workshop made the adjustment (written as the App. 2 default Name: code page 0, spaces). */
  workshopName: string;
  workshopAddress: string;
  /** null for an automatic (GNSS) adjustment: 19 zero bytes, as for an empty slot. */
  workshopCard: FullCardNumberAndGeneration | null;
}

/**
 * The VU keeps the workshop card of an adjustment, not its name and address (those are on the card): the
 * caller passes them. Gen2 v1 has no VuTimeAdjustmentGNSSRecord (seed L5043), so automatic adjustments go
 * here too, without a workshop (a choice).
 */
export function vuTimeAdjustmentOf(record: TimeAdjustmentRecord, workshop: { name: string; address: string } = { name: '', address: '' }): VuTimeAdjustment {
  const byWorkshop = record.kind === 'workshop';
  return {
    oldTime: record.oldTime,
    newTime: record.newTime,
    workshopName: byWorkshop ? workshop.name : '',
    workshopAddress: byWorkshop ? workshop.address : '',
    workshopCard: byWorkshop ? (record.workshopCard ?? null) : null,
  };
}

export function encodeVuTimeAdjustmentRecord(t: VuTimeAdjustment): Uint8Array {
  return concatBytes(timeReal(t.oldTime), timeReal(t.newTime), encodeName(t.workshopName), encodeName(t.workshopAddress), encodeFullCardNumberAndGeneration(t.workshopCard));
}

export function decodeVuTimeAdjustmentRecord(bytes: Uint8Array, offset = 0): VuTimeAdjustment {
  const b = sized(bytes, offset, VU_TIME_ADJUSTMENT_RECORD_SIZE, 'VuTimeAdjustmentRecord');
  return { oldTime: readTimeReal(b, 0), newTime: readTimeReal(b, 4), workshopName: decodeName(b, 8), workshopAddress: decodeName(b, 44), workshopCard: card(b, 80) };
}
