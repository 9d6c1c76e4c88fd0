import { checkSlotCards, type SlotCards } from '../../../protocols/app1/slot-cards.ts';
import type { DownloadedEventFault } from '../../../protocols/app1/vu-event-fault-record.ts';
import type { EventData, EventFaultRecordPurpose, EventFaultTypeSpec, FieldKind } from './event-fault-types.ts';
import { eventFaultType, hex } from './event-fault-types.ts';
import { judge, utcDay } from './retention.ts';

/**
 * The VU's data memory for events and faults (Annex IC 117, 118) as plain, JSON-serialisable data, and pure
 * functions over it that an XState `assign` can call. Times are TimeReal (App. 1 §2.162): whole seconds since
 * 1970-01-01 00:00:00 UTC, read off the VU's own clock. Each change applies the storing rules at `now` (the
 * instant of the change unless given), so the memory holds what the rules keep and what can still come to be
 * kept, and nothing else; `listRecords` gives what a download would carry.
 */

/** One occurrence as stored, whatever purposes it is downloaded under. */
export interface StoredEvent {
  /** Order of recording: unique, never reused. */
  id: number;
  /** App. 1 §2.70 EventFaultType. */
  type: number;
  begin: number;
  /** null while on-going. */
  end: number | null;
  cardsAtBegin: SlotCards;
  /** null while on-going. */
  cardsAtEnd: SlotCards | null;
  data: EventData;
}

/** How many occurrences of one type began on one UTC day (days since 1970-01-01). */
export interface DayCount {
  type: number;
  day: number;
  count: number;
}

export interface EventMemory {
  nextId: number;
  /** TimeReal of the last calibration, for the "first after the last calibration" rule. */
  lastCalibration: number | null;
  /** In order of id. */
  records: StoredEvent[];
  /** In order of type, then day: only days some stored record began on. */
  dayCounts: DayCount[];
}

/** One record as a download carries it (App. 1 §2.198 VuEventRecord, §2.201 VuFaultRecord, §2.215), with the
 * store's id. */
export interface EventFaultRecord extends DownloadedEventFault {
  id: number;
}

export function createEventMemory(): EventMemory {
  return { nextId: 1, lastCalibration: null, records: [], dayCounts: [] };
}

export interface InstantInput {
  type: number;
  /** TimeReal of the occurrence (for a time conflict, the VU's time). */
  at: number;
  cards: SlotCards;
  data?: EventData;
  /** When the storing rules are applied; defaults to `at` (a power interruption is recorded after the fact). */
  now?: number;
}

export function recordInstant(memory: EventMemory, input: InstantInput): EventMemory {
  const spec = eventFaultType(input.type);
  if (spec.shape === 'span') throw new Error(`EventFaultType 0x${hex(spec.code)} (${spec.name}) has a begin and an end: use beginSpan`);
  const at = checkTime(input.at, 'at');
  const data = checkData(spec, 'atRecord', input.data);
  const cards = checkSlotCards(input.cards, 'cards');
  const end = spec.instantEnd ? checkTime(spec.instantEnd(at, data), 'end') : at;
  const record: StoredEvent = { id: memory.nextId, type: spec.code, begin: at, end, cardsAtBegin: cards, cardsAtEnd: cards, data };
  return retain(add(memory, record), checkTime(input.now ?? at, 'now'));
}

export interface SpanBeginInput {
  type: number;
  at: number;
  cards: SlotCards;
  data?: EventData;
  now?: number;
}

export function beginSpan(memory: EventMemory, input: SpanBeginInput): { memory: EventMemory; id: number } {
  const spec = eventFaultType(input.type);
  if (spec.shape === 'instant') throw new Error(`EventFaultType 0x${hex(spec.code)} (${spec.name}) is an instant: use recordInstant`);
  const at = checkTime(input.at, 'at');
  const data = checkData(spec, 'atRecord', input.data);
  const record: StoredEvent = {
    id: memory.nextId,
    type: spec.code,
    begin: at,
    end: null,
    cardsAtBegin: checkSlotCards(input.cards, 'cards'),
    cardsAtEnd: null,
    data,
  };
  return { memory: retain(add(memory, record), checkTime(input.now ?? at, 'now')), id: record.id };
}

export interface SpanEndInput {
  /** As returned by beginSpan. */
  id: number;
  at: number;
  cards: SlotCards;
  data?: EventData;
  now?: number;
}

export function endSpan(memory: EventMemory, input: SpanEndInput): EventMemory {
  const index = memory.records.findIndex((r) => r.id === input.id);
  if (index < 0) throw new Error(`no stored event or fault with id ${input.id}`);
  const open = memory.records[index]!;
  if (open.end !== null) throw new Error(`event ${input.id} (0x${hex(open.type)}) has already ended at ${open.end}`);
  const spec = eventFaultType(open.type);
  const at = checkTime(input.at, 'at');
  if (at < open.begin) throw new Error(`event ${input.id} (0x${hex(open.type)}) cannot end at ${at}, before its begin ${open.begin}`);
  const endData = checkData(spec, 'atEnd', input.data);
  const data = spec.data.given === 'atEnd' ? endData : open.data;
  const closed: StoredEvent = { ...open, end: at, cardsAtEnd: checkSlotCards(input.cards, 'cards'), data };
  const records = memory.records.slice();
  records[index] = closed;
  return retain({ ...memory, records }, checkTime(input.now ?? at, 'now'));
}

/** A calibration at `at` (TimeReal): the "first after the last calibration" rules start again from it. */
export function noteCalibration(memory: EventMemory, at: number): EventMemory {
  return retain({ ...memory, lastCalibration: checkTime(at, 'at') }, at);
}

/** Spans begun and not yet ended, in the order they were begun: what the VU must end by id (e.g. at power-up). */
export function ongoingEvents(memory: EventMemory): { id: number; type: number; begin: number }[] {
  return memory.records.filter((r) => r.end === null).map((r) => ({ id: r.id, type: r.type, begin: r.begin }));
}

/** What a download at `now` carries: one record per occurrence and purpose, by type, purpose, begin, id. */
export function listRecords(memory: EventMemory, now: number): EventFaultRecord[] {
  checkTime(now, 'now');
  const counts = new Map(memory.dayCounts.map((c) => [dayKey(c.type, c.day), c.count]));
  const out: EventFaultRecord[] = [];
  for (const [type, records] of byType(memory.records)) {
    const spec = eventFaultType(type);
    const { purposes } = judge(spec, records, now, memory.lastCalibration);
    for (const r of records) {
      for (const purpose of purposes.get(r.id) ?? []) {
        out.push({
          id: r.id,
          type: r.type,
          category: spec.category,
          purpose,
          begin: r.begin,
          end: r.end,
          cardsAtBegin: r.cardsAtBegin,
          cardsAtEnd: r.cardsAtEnd,
          // App. 1 §2.151: 255 means 255 or more
          similarEvents: spec.similarEvents ? Math.min(255, counts.get(dayKey(r.type, utcDay(r.begin))) ?? 0) : 0,
          data: r.data,
        });
      }
    }
  }
  return out.sort((a, b) => a.type - b.type || a.purpose - b.purpose || a.begin - b.begin || a.id - b.id);
}

/**
 * Checks a whole event memory read back from storage against what the functions above can have written (a
 * part whose MAC verifies may still be wrong: a writer's bug, an older build): ids unique, ascending and below
 * nextId; each record of a type the VU records, with TimeReal times, an end (and the cards then) unless it is
 * an on-going span, and exactly its row's data. Throws, naming the record and what is wrong.
 */
export function checkEventMemory(memory: EventMemory): void {
  if (!Number.isSafeInteger(memory.nextId) || memory.nextId < 1) throw new Error(`nextId: ${String(memory.nextId)} is not a positive integer`);
  if (memory.lastCalibration !== null) checkTime(memory.lastCalibration, 'lastCalibration');
  let previous = 0;
  memory.records.forEach((r, i) => {
    const where = `records[${i}] (id ${String(r.id)})`;
    if (!Number.isSafeInteger(r.id) || r.id <= previous || r.id >= memory.nextId) throw new Error(`${where}: ids must rise and stay below nextId ${memory.nextId}`);
    previous = r.id;
    let spec: EventFaultTypeSpec;
    try {
      spec = eventFaultType(r.type);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    checkTime(r.begin, `${where}.begin`);
    checkSlotCards(r.cardsAtBegin, `${where}.cardsAtBegin`);
    if (r.end === null) {
      if (spec.shape === 'instant') throw new Error(`${where}: 0x${hex(spec.code)} (${spec.name}) is an instant and has no end`);
      if (r.cardsAtEnd !== null) throw new Error(`${where}: on-going, yet with cards at its end`);
    } else {
      checkTime(r.end, `${where}.end`);
      // a time conflict's end is the GNSS time (instantEnd), which may be before the VU's; any other ends after it begins
      if (!spec.instantEnd && r.end < r.begin) throw new Error(`${where}: ends at ${r.end}, before its begin ${r.begin}`);
      if (r.cardsAtEnd === null) throw new Error(`${where}: ended, without the cards at its end`);
      checkSlotCards(r.cardsAtEnd, `${where}.cardsAtEnd`);
    }
    // data given at the end is absent while the span is on-going
    const when = spec.data.given === 'atEnd' && r.end === null ? 'atRecord' : spec.data.given;
    try {
      checkData(spec, when, r.data);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  });
  for (const c of memory.dayCounts) {
    if (!Number.isSafeInteger(c.type) || !Number.isSafeInteger(c.day) || !Number.isSafeInteger(c.count) || c.count < 1) throw new Error(`dayCounts: ${JSON.stringify(c)} is not a type, a day and a count`);
  }
}

function add(memory: EventMemory, record: StoredEvent): EventMemory {
  const day = utcDay(record.begin);
  const dayCounts = memory.dayCounts.slice();
  const at = dayCounts.findIndex((c) => c.type === record.type && c.day === day);
  if (at >= 0) dayCounts[at] = { type: record.type, day, count: dayCounts[at]!.count + 1 };
  else {
    dayCounts.push({ type: record.type, day, count: 1 });
    dayCounts.sort((a, b) => a.type - b.type || a.day - b.day);
  }
  return { nextId: memory.nextId + 1, lastCalibration: memory.lastCalibration, records: [...memory.records, record], dayCounts };
}

/** Drops every record no rule keeps or can still keep at `now`, and the day counts nothing refers to. */
function retain(memory: EventMemory, now: number): EventMemory {
  const kept = new Set<number>();
  for (const [type, records] of byType(memory.records)) {
    for (const id of judge(eventFaultType(type), records, now, memory.lastCalibration).keep) kept.add(id);
  }
  const records = memory.records.filter((r) => kept.has(r.id));
  const days = new Set(records.map((r) => dayKey(r.type, utcDay(r.begin))));
  const dayCounts = memory.dayCounts.filter((c) => days.has(dayKey(c.type, c.day)));
  return { nextId: memory.nextId, lastCalibration: memory.lastCalibration, records, dayCounts };
}

function byType(records: readonly StoredEvent[]): Map<number, StoredEvent[]> {
  const groups = new Map<number, StoredEvent[]>();
  for (const r of records) {
    const group = groups.get(r.type);
    if (group) group.push(r);
    else groups.set(r.type, [r]);
  }
  return new Map([...groups].sort(([a], [b]) => a - b));
}

function dayKey(type: number, day: number): string {
  return `${type}:${day}`;
}

/** TimeReal is four octets (App. 1 §2.162). */
function checkTime(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new Error(`${what}: ${String(value)} is not a TimeReal (whole seconds, 0..2^32-1)`);
  return value;
}

/**
 * Checks the data given at one end of an occurrence against the row: exactly the row's fields when the row
 * takes them then, none otherwise; each of its kind. Copies them in the row's field order.
 */
function checkData(spec: EventFaultTypeSpec, when: 'atRecord' | 'atEnd', data: EventData | undefined): EventData {
  const fields: Readonly<Record<string, FieldKind>> = spec.data.given === when ? spec.data.fields : {};
  const given = data ?? {};
  const where = `EventFaultType 0x${hex(spec.code)} (${spec.name}) data ${when === 'atEnd' ? 'at its end' : 'at its record'}`;
  for (const key of Object.keys(given)) if (!(key in fields)) throw new Error(`${where}: unexpected field '${key}'`);
  const out: Record<string, number | string> = {};
  for (const [key, kind] of Object.entries(fields)) {
    const value = given[key];
    if (value === undefined) throw new Error(`${where}: missing field '${key}'`);
    if (!fits(kind, value)) throw new Error(`${where}: '${key}' = ${JSON.stringify(value)} is not a valid ${kind}`);
    out[key] = value;
  }
  return out;
}

function fits(kind: FieldKind, value: number | string): boolean {
  switch (kind) {
    case 'timeReal':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff_ffff;
    case 'speed': // App. 1 §2.155 Speed: one octet, km/h
    case 'nation': // App. 1 §2.101 NationNumeric: one octet
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255;
    case 'generation':
      return value === 1 || value === 2;
    case 'text':
      return typeof value === 'string';
  }
}
