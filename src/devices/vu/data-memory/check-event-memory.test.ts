import { describe, expect, it } from 'vitest';
import { NO_CARDS, type FullCardNumberAndGeneration } from '../../../protocols/app1/slot-cards.ts';
import { beginSpan, checkEventMemory, createEventMemory, endSpan, listRecords, noteCalibration, recordInstant, type EventMemory } from './event-store.ts';

/**
 * checkEventMemory: what a restored events part must be before the VU trusts it. Its problems are what a user
 * reads when a restored memory is refused (vu-data-memory-schema.ts reports them as "wrong content (events:
 * ...)"), so each is asserted word for word.
 */

const DAY = 86_400;
/** 2025-01-01T00:00:00Z as TimeReal; UTC day 20089. */
const D0 = 1_735_689_600;
const at = (hh: number, mm = 0) => D0 + hh * 3600 + mm * 60;
const driver: FullCardNumberAndGeneration = { cardType: 'driver', issuingMemberState: 0x11, cardNumber: 'D0000012345678 1', generation: 2 };

/** One record of each shape: an instant with text and generation data, a time conflict whose GNSS time is
 * before the VU's, an ended over speeding with its end data, an on-going over speeding; and a calibration. */
function goodMemory(): EventMemory {
  let m = noteCalibration(createEventMemory(), at(6));
  m = recordInstant(m, {
    type: 0x06,
    at: at(7),
    cards: { driver, codriver: null },
    data: { lastSessionInsertion: at(5), lastVehicleRegistrationNation: 0x11, lastVehicleRegistrationNumber: 'B-AB 123', lastVuGeneration: 2 },
  });
  m = recordInstant(m, { type: 0x0b, at: at(8), cards: NO_CARDS, data: { gnssTime: at(8) - 100 } });
  const ended = beginSpan(m, { type: 0x07, at: at(9), cards: { driver, codriver: null } });
  m = endSpan(ended.memory, { id: ended.id, at: at(9, 5), cards: NO_CARDS, data: { maxSpeed: 104, averageSpeed: 96 } });
  return beginSpan(m, { type: 0x07, at: at(10), cards: NO_CARDS }).memory;
}

/** The problem checkEventMemory names for the good memory changed by `change`, or null when it accepts it. */
function problem(change: (m: EventMemory) => void): string | null {
  const m = JSON.parse(JSON.stringify(goodMemory())) as EventMemory;
  change(m);
  try {
    checkEventMemory(m);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The memory's data is read-only to its users; a corrupt restored one is written here all the same. */
const setData = (m: EventMemory, i: number, key: string, value: number | string) => (m.records[i]!.data = { ...m.records[i]!.data, [key]: value });

const NOT_TIME_REAL = 'is not a TimeReal (whole seconds, 0..2^32-1)';

describe('checkEventMemory: a restored event memory', () => {
  it('accepts what the store wrote, after a trip through JSON', () => {
    const m = goodMemory();
    expect(m.records.map((r) => [r.id, r.type, r.end === null])).toEqual([
      [1, 0x06, false],
      [2, 0x0b, false],
      [3, 0x07, false],
      [4, 0x07, true],
    ]);
    expect(m.nextId).toBe(5);
    expect(problem(() => {})).toBeNull();
  });

  it('refuses a nextId that is not a positive integer', () => {
    expect(problem((m) => (m.nextId = 0))).toBe('nextId: 0 is not a positive integer');
    expect(problem((m) => (m.nextId = 4.5))).toBe('nextId: 4.5 is not a positive integer');
  });

  it('refuses a lastCalibration that is not a TimeReal', () => {
    expect(problem((m) => (m.lastCalibration = -1))).toBe(`lastCalibration: -1 ${NOT_TIME_REAL}`);
    expect(problem((m) => (m.lastCalibration = null))).toBeNull();
  });

  it('refuses ids that do not rise, that are not integers, or that nextId is not beyond', () => {
    const rise = (i: number, id: number, nextId = 5) => `records[${i}] (id ${id}): ids must rise and stay below nextId ${nextId}`;
    expect(problem((m) => (m.records[1]!.id = 1))).toBe(rise(1, 1));
    expect(problem((m) => (m.records[0]!.id = 0))).toBe(rise(0, 0));
    expect(problem((m) => (m.records[1]!.id = 2.5))).toBe(rise(1, 2.5));
    expect(problem((m) => (m.nextId = 4))).toBe(rise(3, 4, 4));
    // gaps are fine: retention drops records, and ids are never reused
    expect(problem((m) => ((m.records[3]!.id = 9), (m.nextId = 10)))).toBeNull();
  });

  it('refuses a type the VU does not record', () => {
    expect(problem((m) => (m.records[0]!.type = 0x03))).toBe('records[0] (id 1): EventFaultType 0x03 is not one the VU records');
  });

  it('refuses times that are not TimeReal and cards that are not cards, naming the field', () => {
    expect(problem((m) => (m.records[0]!.begin = 1.5))).toBe(`records[0] (id 1).begin: 1.5 ${NOT_TIME_REAL}`);
    expect(problem((m) => (m.records[2]!.end = 2 ** 32))).toBe(`records[2] (id 3).end: 4294967296 ${NOT_TIME_REAL}`);
    expect(problem((m) => (m.records[0]!.cardsAtBegin.driver!.generation = 3 as 2))).toBe('records[0] (id 1).cardsAtBegin.driver.generation: 3 is not 1 or 2');
    expect(problem((m) => (m.records[2]!.cardsAtEnd = { driver: null, codriver: { ...driver, cardNumber: 'X' } }))).toBe(
      'records[2] (id 3).cardsAtEnd.codriver.cardNumber: "X" is not 16 printable ASCII characters',
    );
  });

  it('refuses an instant without an end, and an on-going span with cards at its end', () => {
    expect(problem((m) => ((m.records[1]!.end = null), (m.records[1]!.cardsAtEnd = null)))).toBe(
      'records[1] (id 2): 0x0B (time conflict (GNSS versus VU internal clock)) is an instant and has no end',
    );
    expect(problem((m) => (m.records[3]!.cardsAtEnd = NO_CARDS))).toBe('records[3] (id 4): on-going, yet with cards at its end');
  });

  it('refuses an ended record without the cards at its end', () => {
    expect(problem((m) => (m.records[2]!.cardsAtEnd = null))).toBe('records[2] (id 3): ended, without the cards at its end');
  });

  it('refuses a span that ends before it begins, but not a time conflict whose GNSS time is before the VU time', () => {
    expect(problem((m) => (m.records[2]!.end = m.records[2]!.begin - 1))).toBe(`records[2] (id 3): ends at ${at(9) - 1}, before its begin ${at(9)}`);
    expect(problem((m) => (m.records[2]!.end = m.records[2]!.begin))).toBeNull();
    // the good memory's time conflict ends (GNSS) 100 s before it begins (VU)
    expect(problem((m) => expect(m.records[1]!.end).toBe(at(8) - 100))).toBeNull();
  });

  it('refuses end data on an on-going span, and an ended span without it', () => {
    expect(problem((m) => (m.records[3]!.data = { maxSpeed: 100, averageSpeed: 90 }))).toBe(
      "records[3] (id 4): EventFaultType 0x07 (over speeding) data at its record: unexpected field 'maxSpeed'",
    );
    expect(problem((m) => (m.records[2]!.data = {}))).toBe("records[2] (id 3): EventFaultType 0x07 (over speeding) data at its end: missing field 'maxSpeed'");
  });

  it('refuses a field of the wrong kind: a bad generation, a text that is not a string', () => {
    const data = (i: number) => `records[${i}] (id ${i + 1}): EventFaultType 0x06 (last card session not correctly closed) data at its record`;
    expect(problem((m) => setData(m, 0, 'lastVuGeneration', 3))).toBe(`${data(0)}: 'lastVuGeneration' = 3 is not a valid generation`);
    expect(problem((m) => setData(m, 0, 'lastVuGeneration', 1))).toBeNull();
    expect(problem((m) => setData(m, 0, 'lastVehicleRegistrationNumber', 42))).toBe(`${data(0)}: 'lastVehicleRegistrationNumber' = 42 is not a valid text`);
    expect(problem((m) => setData(m, 0, 'lastVehicleRegistrationNumber', ''))).toBeNull();
  });

  it('refuses a day count that is not a type, a day and a count of at least 1', () => {
    const day = D0 / DAY;
    expect(day).toBe(20089);
    const refused = (c: object) => `dayCounts: ${JSON.stringify(c)} is not a type, a day and a count`;
    expect(problem((m) => (m.dayCounts[0]!.count = 0))).toBe(refused({ type: 6, day, count: 0 }));
    expect(problem((m) => (m.dayCounts[0]!.count = 1.5))).toBe(refused({ type: 6, day, count: 1.5 }));
    expect(problem((m) => (m.dayCounts[0]!.day = 0.5))).toBe(refused({ type: 6, day: 0.5, count: 1 }));
    expect(problem((m) => (m.dayCounts[0]!.type = 6.5))).toBe(refused({ type: 6.5, day, count: 1 }));
  });
});

describe('the ranges of TimeReal and of the data fields, at their bounds', () => {
  const session = (data: Record<string, number | string>) => ({
    type: 0x06,
    at: D0,
    cards: NO_CARDS,
    data: { lastSessionInsertion: D0, lastVehicleRegistrationNation: 0x11, lastVehicleRegistrationNumber: 'B-AB 123', lastVuGeneration: 2, ...data },
  });
  const where = 'EventFaultType 0x06 (last card session not correctly closed) data at its record';

  it('takes TimeReal 0 and 2^32-1 and nothing beyond', () => {
    const m = createEventMemory();
    expect(recordInstant(m, { type: 0x01, at: 0, cards: NO_CARDS }).records[0]!.begin).toBe(0);
    expect(recordInstant(m, { type: 0x01, at: 0xffff_ffff, cards: NO_CARDS }).records[0]!.begin).toBe(0xffff_ffff);
    expect(() => recordInstant(m, { type: 0x01, at: -1, cards: NO_CARDS })).toThrow(`at: -1 ${NOT_TIME_REAL}`);
    expect(() => recordInstant(m, { type: 0x01, at: 2 ** 32, cards: NO_CARDS })).toThrow(`at: 4294967296 ${NOT_TIME_REAL}`);
  });

  it('takes a TimeReal field from 0 to 2^32-1', () => {
    const m = createEventMemory();
    expect(recordInstant(m, session({ lastSessionInsertion: 0 })).records[0]!.data['lastSessionInsertion']).toBe(0);
    expect(recordInstant(m, session({ lastSessionInsertion: 0xffff_ffff })).records[0]!.data['lastSessionInsertion']).toBe(0xffff_ffff);
    expect(() => recordInstant(m, session({ lastSessionInsertion: 2 ** 32 }))).toThrow(`${where}: 'lastSessionInsertion' = 4294967296 is not a valid timeReal`);
  });

  it('takes a nation (and a speed) from 0 to 255, whole', () => {
    const m = createEventMemory();
    expect(recordInstant(m, session({ lastVehicleRegistrationNation: 0 })).records[0]!.data['lastVehicleRegistrationNation']).toBe(0);
    expect(recordInstant(m, session({ lastVehicleRegistrationNation: 255 })).records[0]!.data['lastVehicleRegistrationNation']).toBe(255);
    expect(() => recordInstant(m, session({ lastVehicleRegistrationNation: 256 }))).toThrow(`${where}: 'lastVehicleRegistrationNation' = 256 is not a valid nation`);
    expect(() => recordInstant(m, session({ lastVehicleRegistrationNation: -1 }))).toThrow(`${where}: 'lastVehicleRegistrationNation' = -1 is not a valid nation`);
    expect(() => recordInstant(m, session({ lastVehicleRegistrationNation: 1.5 }))).toThrow(`${where}: 'lastVehicleRegistrationNation' = 1.5 is not a valid nation`);
  });
});

describe('the store\'s bookkeeping', () => {
  it('keeps day counts per type and day, in order of type then day, whatever order they came in', () => {
    let m = recordInstant(createEventMemory(), { type: 0x0b, at: D0 + DAY + 60, cards: NO_CARDS, data: { gnssTime: D0 + DAY } });
    m = recordInstant(m, { type: 0x0b, at: D0 + 60, cards: NO_CARDS, data: { gnssTime: D0 } });
    m = beginSpan(m, { type: 0x08, at: D0 + 120, cards: NO_CARDS }).memory;
    const day = D0 / DAY;
    expect(m.dayCounts).toEqual([
      { type: 0x08, day, count: 1 },
      { type: 0x0b, day, count: 1 },
      { type: 0x0b, day: day + 1, count: 1 },
    ]);
    // two types on one day each count their own (App. 1 §2.151 similar events of that type)
    expect(listRecords(m, D0 + DAY + 120).filter((r) => r.type === 0x0b).map((r) => [r.id, r.similarEvents])).toEqual([
      [2, 1],
      [1, 1],
      [2, 1],
      [1, 1],
    ]);
  });

  it('leaves the memory it was given unchanged when a span ends', () => {
    const open = beginSpan(createEventMemory(), { type: 0x08, at: D0, cards: NO_CARDS });
    const before = JSON.stringify(open.memory);
    endSpan(open.memory, { id: open.id, at: D0 + 60, cards: NO_CARDS });
    expect(JSON.stringify(open.memory)).toBe(before);
  });
});
