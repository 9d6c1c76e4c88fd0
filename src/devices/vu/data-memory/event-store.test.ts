import { describe, expect, it } from 'vitest';
import { createRng } from '../../../crypto/random.ts';
import { NO_CARDS, type FullCardNumberAndGeneration, type SlotCards } from '../../../protocols/app1/slot-cards.ts';
import {
  beginSpan,
  createEventMemory,
  endSpan,
  listRecords,
  noteCalibration,
  ongoingEvents,
  recordInstant,
  type EventFaultRecord,
  type EventMemory,
} from './event-store.ts';

const DAY = 86_400;
/** 2025-01-01T00:00:00Z as TimeReal. */
const D0 = 1_735_689_600;
const at = (day: number, hh: number, mm = 0, ss = 0) => D0 + day * DAY + hh * 3600 + mm * 60 + ss;
const utcDay = (t: number) => Math.floor(t / DAY);

const driver: FullCardNumberAndGeneration = { cardType: 'driver', issuingMemberState: 0x11, cardNumber: 'D0000012345678 1', generation: 2 };
const codriver: FullCardNumberAndGeneration = { cardType: 'driver', issuingMemberState: 0x0d, cardNumber: 'DF000000000042 0', generation: 1 };
const workshop: FullCardNumberAndGeneration = { cardType: 'workshop', issuingMemberState: 0x11, cardNumber: 'W000000000077001', generation: 2 };

/** What the retention tests compare: a record without its cards. */
const brief = (r: EventFaultRecord) => ({ id: r.id, purpose: r.purpose, begin: r.begin, end: r.end, similarEvents: r.similarEvents });

describe('time conflict (0x0B): the most serious of each of the last 10 days of occurrence and the 5 most serious of 365 days', () => {
  interface Fed {
    id: number;
    at: number;
    gnss: number;
    severity: number;
  }

  /** The rule, worked out from every event ever fed, with no memory involved. */
  function expected(fed: readonly Fed[], now: number) {
    const beats = (a: Fed, b: Fed) => a.severity > b.severity || (a.severity === b.severity && (a.at < b.at || (a.at === b.at && a.id < b.id)));
    const perDay = new Map<number, Fed[]>();
    for (const e of fed) perDay.set(utcDay(e.at), [...(perDay.get(utcDay(e.at)) ?? []), e]);
    const lastDays = [...perDay.keys()].sort((a, b) => b - a).slice(0, 10);
    const dayBest = lastDays.map((d) => perDay.get(d)!.reduce((best, e) => (beats(e, best) ? e : best)));
    const inYear = fed.filter((e) => utcDay(e.at) > utcDay(now) - 365);
    const yearBest: Fed[] = [];
    for (let k = 0; k < 5 && yearBest.length < inYear.length; k++) {
      yearBest.push(inYear.filter((e) => !yearBest.includes(e)).reduce((best, e) => (beats(e, best) ? e : best)));
    }
    const row = (e: Fed, purpose: number) => ({
      id: e.id,
      purpose,
      begin: e.at,
      end: e.gnss,
      similarEvents: Math.min(255, perDay.get(utcDay(e.at))!.length),
    });
    return [...dayBest.map((e) => row(e, 0x04)), ...yearBest.map((e) => row(e, 0x05))].sort(
      (a, b) => a.purpose - b.purpose || a.begin - b.begin || a.id - b.id,
    );
  }

  it('keeps exactly those through 400 days of seeded events, checked at the end of every day', () => {
    const rng = createRng(3, 'time-conflict-retention');
    const fed: Fed[] = [];
    let memory = createEventMemory();
    for (let day = 0; day < 400; day++) {
      const count = rng.int(0, 3); // some days have none: days of occurrence are not calendar days
      const times = Array.from({ length: count }, () => at(day, 0) + rng.int(0, DAY - 1)).sort((a, b) => a - b);
      for (const t of times) {
        // a narrow range of differences so that ties happen and the tie rule is exercised
        const severity = rng.int(61, 120);
        const gnss = rng.int(0, 1) === 0 ? t + severity : t - severity;
        memory = recordInstant(memory, { type: 0x0b, at: t, cards: NO_CARDS, data: { gnssTime: gnss } });
        fed.push({ id: fed.length + 1, at: t, gnss, severity });
      }
      const endOfDay = at(day, 23, 59, 59);
      expect(listRecords(memory, endOfDay).map(brief)).toEqual(expected(fed, endOfDay));
    }
    expect(fed.length).toBe(638);
    const final = listRecords(memory, at(399, 23, 59, 59));
    expect(final.filter((r) => r.purpose === 0x04)).toHaveLength(10);
    expect(final.filter((r) => r.purpose === 0x05)).toHaveLength(5);
    // memory holds those plus what can still rise into the 5 of the year: a handful, not 400 days of events
    expect(memory.records.length).toBeLessThan(40);
  });

  it('stores nothing the rules cannot use', () => {
    // decreasing seriousness over 3 days: every event of day 2 may still rise into the year's 5 as others age
    let memory = createEventMemory();
    const severities = [[900, 800, 700, 600, 500, 400, 300], [200, 190], [180]];
    severities.forEach((list, day) =>
      list.forEach((s, i) => {
        memory = recordInstant(memory, { type: 0x0b, at: at(day, 8 + i), cards: NO_CARDS, data: { gnssTime: at(day, 8 + i) + s } });
      }),
    );
    // day 0: its first 5 are the year's 5 and the rest are beaten by 5 of their own day for good;
    // days 1 and 2: beaten now, but only by older events, which leave the year first
    expect(memory.records.map((r) => (r.data['gnssTime'] as number) - r.begin)).toEqual([900, 800, 700, 600, 500, 200, 190, 180]);
    expect(listRecords(memory, at(2, 12)).map(brief)).toEqual([
      { id: 1, purpose: 0x04, begin: at(0, 8), end: at(0, 8) + 900, similarEvents: 7 },
      { id: 8, purpose: 0x04, begin: at(1, 8), end: at(1, 8) + 200, similarEvents: 2 },
      { id: 10, purpose: 0x04, begin: at(2, 8), end: at(2, 8) + 180, similarEvents: 1 },
      { id: 1, purpose: 0x05, begin: at(0, 8), end: at(0, 8) + 900, similarEvents: 7 },
      { id: 2, purpose: 0x05, begin: at(0, 9), end: at(0, 9) + 800, similarEvents: 7 },
      { id: 3, purpose: 0x05, begin: at(0, 10), end: at(0, 10) + 700, similarEvents: 7 },
      { id: 4, purpose: 0x05, begin: at(0, 11), end: at(0, 11) + 600, similarEvents: 7 },
      { id: 5, purpose: 0x05, begin: at(0, 12), end: at(0, 12) + 500, similarEvents: 7 },
    ]);
    // a year after day 0 ends, day 0 has left the 365 days and days 1 and 2 fill the year's list
    const later = at(365, 0);
    memory = recordInstant(memory, { type: 0x0b, at: later, cards: NO_CARDS, data: { gnssTime: later - 61 } });
    expect(listRecords(memory, later).filter((r) => r.purpose === 0x05).map((r) => r.id)).toEqual([8, 9, 10, 11]);
    expect(memory.records.map((r) => r.id)).toEqual([1, 8, 9, 10, 11]);
  });

  it('breaks ties deterministically: the earlier of two equally serious events wins', () => {
    let memory = createEventMemory();
    memory = recordInstant(memory, { type: 0x0b, at: at(0, 9), cards: NO_CARDS, data: { gnssTime: at(0, 9) - 300 } });
    memory = recordInstant(memory, { type: 0x0b, at: at(0, 15), cards: NO_CARDS, data: { gnssTime: at(0, 15) + 300 } });
    expect(listRecords(memory, at(0, 16)).map(brief)).toEqual([
      { id: 1, purpose: 0x04, begin: at(0, 9), end: at(0, 9) - 300, similarEvents: 2 },
      { id: 1, purpose: 0x05, begin: at(0, 9), end: at(0, 9) - 300, similarEvents: 2 },
      { id: 2, purpose: 0x05, begin: at(0, 15), end: at(0, 15) + 300, similarEvents: 2 },
    ]);
  });

  it('keeps the VU time as begin and the GNSS time as end (App. 1 §2.198), with its cards', () => {
    const memory = recordInstant(createEventMemory(), {
      type: 0x0b,
      at: 1_767_258_000, // 2026-01-01T09:00:00Z by the VU
      cards: { driver, codriver: null },
      data: { gnssTime: 1_767_257_910 }, // GNSS says 08:58:30
    });
    expect(listRecords(memory, 1_767_258_000)).toEqual([
      {
        id: 1,
        type: 0x0b,
        category: 'event',
        purpose: 0x04,
        begin: 1_767_258_000,
        end: 1_767_257_910,
        cardsAtBegin: { driver, codriver: null },
        cardsAtEnd: { driver, codriver: null },
        similarEvents: 1,
        data: { gnssTime: 1_767_257_910 },
      },
      {
        id: 1,
        type: 0x0b,
        category: 'event',
        purpose: 0x05,
        begin: 1_767_258_000,
        end: 1_767_257_910,
        cardsAtBegin: { driver, codriver: null },
        cardsAtEnd: { driver, codriver: null },
        similarEvents: 1,
        data: { gnssTime: 1_767_257_910 },
      },
    ]);
  });
});

describe('communication error with the EGF (0x0E): the longest of each of the last 10 days and the 5 longest of 365 days', () => {
  it('keeps exactly those through 60 days of seeded spans, checked at the end of every day', () => {
    const rng = createRng(11, 'egf-error-retention');
    const fed: { id: number; begin: number; end: number }[] = [];
    let memory = createEventMemory();
    for (let day = 0; day < 60; day++) {
      let t = at(day, 0) + rng.int(0, 6 * 3600);
      const count = rng.int(0, 2);
      for (let i = 0; i < count; i++) {
        const length = rng.int(20, 40) * 60; // GNS_28: more than 20 minutes without an answer
        const opened = beginSpan(memory, { type: 0x0e, at: t, cards: NO_CARDS });
        memory = endSpan(opened.memory, { id: opened.id, at: t + length, cards: NO_CARDS });
        fed.push({ id: opened.id, begin: t, end: t + length });
        t += length + rng.int(1, 8) * 3600;
      }
      const now = at(day + 1, 0) - 1;
      const length = (e: { begin: number; end: number }) => e.end - e.begin;
      const beats = (a: (typeof fed)[0], b: (typeof fed)[0]) => length(a) > length(b) || (length(a) === length(b) && a.begin < b.begin);
      const days = [...new Set(fed.map((e) => utcDay(e.begin)))].sort((a, b) => b - a).slice(0, 10);
      const dayBest = days.map((d) => fed.filter((e) => utcDay(e.begin) === d).reduce((x, e) => (beats(e, x) ? e : x)));
      const yearBest = [...fed].sort((a, b) => (beats(a, b) ? -1 : beats(b, a) ? 1 : 0)).slice(0, 5);
      const count1 = (e: (typeof fed)[0]) => fed.filter((x) => utcDay(x.begin) === utcDay(e.begin)).length;
      const want = [
        ...dayBest.map((e) => ({ id: e.id, purpose: 0x01, begin: e.begin, end: e.end, similarEvents: count1(e) })),
        ...yearBest.map((e) => ({ id: e.id, purpose: 0x02, begin: e.begin, end: e.end, similarEvents: count1(e) })),
      ].sort((a, b) => a.purpose - b.purpose || a.begin - b.begin);
      expect(listRecords(memory, now).map(brief)).toEqual(want);
    }
    expect(fed.length).toBe(67);
  });

  it('counts similar events on the UTC day each began, whenever it ended', () => {
    let memory = createEventMemory();
    const spans: [number, number][] = [
      [at(0, 1), at(0, 1, 25)],
      [at(0, 9), at(0, 10, 30)], // the day's longest: 90 minutes
      [at(0, 23, 30), at(1, 0, 45)], // 75 minutes, crosses midnight, counts on day 0
      [at(1, 6), at(1, 6, 21)],
    ];
    for (const [b, e] of spans) {
      const opened = beginSpan(memory, { type: 0x0e, at: b, cards: NO_CARDS });
      memory = endSpan(opened.memory, { id: opened.id, at: e, cards: NO_CARDS });
    }
    expect(listRecords(memory, at(1, 12)).filter((r) => r.purpose === 0x01).map(brief)).toEqual([
      { id: 2, purpose: 0x01, begin: at(0, 9), end: at(0, 10, 30), similarEvents: 3 },
      { id: 4, purpose: 0x01, begin: at(1, 6), end: at(1, 6, 21), similarEvents: 1 },
    ]);
  });
});

describe('similar events that day (App. 1 §2.151)', () => {
  it('stops at 255, meaning 255 or more', () => {
    let memory = createEventMemory();
    for (let i = 0; i < 300; i++) memory = recordInstant(memory, { type: 0x05, at: at(0, 6) + i * 60, cards: { driver, codriver: null } });
    // card insertion while driving keeps the last of each day (purpose '03'H)
    expect(listRecords(memory, at(0, 12)).map(brief)).toEqual([{ id: 300, purpose: 0x03, begin: at(0, 6) + 299 * 60, end: at(0, 6) + 299 * 60, similarEvents: 255 }]);
    expect(memory.dayCounts).toEqual([{ type: 0x05, day: utcDay(at(0, 0)), count: 300 }]);
  });

  it('is 0 for a type whose row does not keep it (card conflict)', () => {
    let memory = createEventMemory();
    for (const h of [8, 9]) {
      const opened = beginSpan(memory, { type: 0x02, at: at(0, h), cards: { driver, codriver } });
      memory = endSpan(opened.memory, { id: opened.id, at: at(0, h, 1), cards: { driver, codriver } });
    }
    expect(listRecords(memory, at(0, 10)).map((r) => [r.purpose, r.similarEvents])).toEqual([
      [0x00, 0],
      [0x00, 0],
    ]);
  });

  it('forgets the count of a day once nothing of that day is kept', () => {
    let memory = createEventMemory();
    for (let day = 0; day < 12; day++) memory = recordInstant(memory, { type: 0x05, at: at(day, 8), cards: NO_CARDS });
    expect(memory.dayCounts.map((c) => c.day - utcDay(D0))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('cards at begin and end', () => {
  it('keeps the driver and co-driver slots as they were at each end of the span', () => {
    let memory = createEventMemory();
    const opened = beginSpan(memory, { type: 0x04, at: at(0, 8), cards: { driver: null, codriver } });
    memory = endSpan(opened.memory, { id: opened.id, at: at(0, 8, 17), cards: { driver, codriver: workshop } });
    const [first] = listRecords(memory, at(0, 9));
    expect(first).toEqual({
      id: 1,
      type: 0x04,
      category: 'event',
      purpose: 0x01,
      begin: at(0, 8),
      end: at(0, 8, 17),
      cardsAtBegin: { driver: null, codriver },
      cardsAtEnd: { driver, codriver: workshop },
      similarEvents: 1,
      data: {},
    });
  });

  it('stores copies, so later changes to the caller\'s objects do not reach the memory', () => {
    const card = { ...driver };
    const memory = recordInstant(createEventMemory(), { type: 0x01, at: at(0, 8), cards: { driver: card, codriver: null } });
    card.cardNumber = 'X000000000000000';
    expect(memory.records[0]!.cardsAtBegin.driver!.cardNumber).toBe('D0000012345678 1');
  });
});

describe('on-going events', () => {
  it('survive any amount of retention, are downloaded as on-going (07), and compete once ended', () => {
    let memory = createEventMemory();
    const opened = beginSpan(memory, { type: 0x0e, at: at(0, 7), cards: { driver, codriver: null } });
    memory = opened.memory;
    // 30 days of three long errors a day: every rule is full many times over
    for (let day = 1; day <= 30; day++) {
      for (const h of [2, 10, 18]) {
        const s = beginSpan(memory, { type: 0x0e, at: at(day, h), cards: NO_CARDS });
        memory = endSpan(s.memory, { id: s.id, at: at(day, h + 5), cards: NO_CARDS });
      }
    }
    expect(ongoingEvents(memory)).toEqual([{ id: opened.id, type: 0x0e, begin: at(0, 7) }]);
    const ongoing = listRecords(memory, at(30, 23)).filter((r) => r.id === opened.id);
    expect(ongoing).toEqual([
      {
        id: 1,
        type: 0x0e,
        category: 'event',
        purpose: 0x07,
        begin: at(0, 7),
        end: null,
        cardsAtBegin: { driver, codriver: null },
        cardsAtEnd: null,
        similarEvents: 1,
        data: {},
      },
    ]);
    // ended after 31 days it is the longest of the year; day 0 is not among the last 10 days of occurrence
    memory = endSpan(memory, { id: opened.id, at: at(31, 7), cards: NO_CARDS });
    expect(ongoingEvents(memory)).toEqual([]);
    expect(listRecords(memory, at(31, 7)).filter((r) => r.id === opened.id).map((r) => r.purpose)).toEqual([0x02]);
  });
});

describe('"each of the 10 last days of occurrence": days on which the type occurred, not calendar days', () => {
  // Annex IC 117 ("for each of the 10 last days of occurrence") and App. 1 §2.69 ('01'H, '03'H, '04'H: "for one
  // of the last 10 days of occurrence"); see retention.ts for why not the Spanish text's "each of the last ten days".
  const insertionWhileDriving = (m: EventMemory, t: number) => recordInstant(m, { type: 0x05, at: t, cards: { driver, codriver: null } });

  it('keeps the last card insertion while driving of a day 11 calendar days ago when no day since had one', () => {
    const memory = insertionWhileDriving(createEventMemory(), at(0, 10));
    for (const now of [at(10, 23, 59, 59), at(11, 10), at(11, 23, 59, 59), at(400, 12)]) {
      expect(listRecords(memory, now).map(brief)).toEqual([{ id: 1, purpose: 0x03, begin: at(0, 10), end: at(0, 10), similarEvents: 1 }]);
    }
  });

  it('keeps it while it is among the 10 latest days of occurrence, and drops it when an 11th later day has one', () => {
    let memory = insertionWhileDriving(createEventMemory(), at(0, 10));
    for (let day = 2; day <= 10; day++) memory = insertionWhileDriving(memory, at(day, 10)); // 9 more days: 10 in all
    expect(listRecords(memory, at(10, 12)).map((r) => r.begin)).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => at(d, 10)));
    memory = insertionWhileDriving(memory, at(11, 10)); // an 11th day of occurrence
    expect(listRecords(memory, at(11, 12)).map((r) => r.begin)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((d) => at(d, 10)));
    expect(memory.records.map((r) => r.begin)).not.toContain(at(0, 10));
  });

  it('keeps the longest power supply interruption of that day under both rules until the 365 days are over', () => {
    const opened = beginSpan(createEventMemory(), { type: 0x08, at: at(0, 10), cards: NO_CARDS, now: at(0, 10, 5) });
    const memory = endSpan(opened.memory, { id: opened.id, at: at(0, 10, 5), cards: NO_CARDS });
    expect(listRecords(memory, at(11, 10)).map((r) => r.purpose)).toEqual([0x01, 0x02]);
    expect(listRecords(memory, at(364, 23, 59, 59)).map((r) => r.purpose)).toEqual([0x01, 0x02]);
    expect(listRecords(memory, at(365, 0)).map((r) => r.purpose)).toEqual([0x01]);
  });
});

describe('the 10 most recent, and the first after the last calibration', () => {
  it('keeps the 10 most recent security breach attempts of each type', () => {
    let memory = createEventMemory();
    for (let i = 0; i < 12; i++) memory = recordInstant(memory, { type: 0x11, at: at(0, 8, i), cards: NO_CARDS });
    memory = recordInstant(memory, { type: 0x12, at: at(0, 9), cards: { driver, codriver: null } });
    const listed = listRecords(memory, at(0, 10));
    expect(listed.filter((r) => r.type === 0x11).map((r) => [r.id, r.purpose, r.begin, r.end])).toEqual(
      Array.from({ length: 10 }, (_, k) => [k + 3, 0x00, at(0, 8, k + 2), at(0, 8, k + 2)]),
    );
    expect(listed.filter((r) => r.type === 0x12).map((r) => r.id)).toEqual([13]);
    expect(memory.records).toHaveLength(11);
  });

  it('lets a security breach attempt be a span where one is relevant', () => {
    const opened = beginSpan(createEventMemory(), { type: 0x17, at: at(0, 8), cards: NO_CARDS });
    const memory = endSpan(opened.memory, { id: opened.id, at: at(0, 8, 3), cards: NO_CARDS });
    expect(listRecords(memory, at(0, 9)).map(brief)).toEqual([{ id: 1, purpose: 0x00, begin: at(0, 8), end: at(0, 8, 3), similarEvents: 0 }]);
  });

  it('keeps the first recording equipment fault after the last calibration beside the 10 most recent', () => {
    let memory = createEventMemory();
    const fault = (m: EventMemory, b: number) => {
      const s = beginSpan(m, { type: 0x35, at: b, cards: NO_CARDS });
      return endSpan(s.memory, { id: s.id, at: b + 30, cards: NO_CARDS });
    };
    memory = fault(memory, at(0, 6));
    memory = noteCalibration(memory, at(0, 7));
    for (let i = 0; i < 12; i++) memory = fault(memory, at(1, 8, i));
    const listed = listRecords(memory, at(1, 12));
    expect(listed.filter((r) => r.purpose === 0x06).map(brief)).toEqual([{ id: 2, purpose: 0x06, begin: at(1, 8, 0), end: at(1, 8, 0) + 30, similarEvents: 0 }]);
    expect(listed.filter((r) => r.purpose === 0x00).map((r) => r.id)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(listed.every((r) => r.category === 'fault')).toBe(true);
    expect(memory.records.map((r) => r.id)).toEqual([2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    // a new calibration: no fault since, so no '06'H record, and the old first one goes
    memory = noteCalibration(memory, at(2, 9));
    expect(listRecords(memory, at(2, 10)).filter((r) => r.purpose === 0x06)).toEqual([]);
    expect(memory.records.map((r) => r.id)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });
});

describe('over speeding (0x07)', () => {
  it('ranks by average speed, keeps maximum and average speed, and the first after calibration', () => {
    let memory = noteCalibration(createEventMemory(), at(0, 0));
    const overSpeed = (m: EventMemory, b: number, maxSpeed: number, averageSpeed: number) => {
      const s = beginSpan(m, { type: 0x07, at: b, cards: { driver, codriver: null } });
      return endSpan(s.memory, { id: s.id, at: b + 75, cards: { driver, codriver: null }, data: { maxSpeed, averageSpeed } });
    };
    memory = overSpeed(memory, at(0, 9), 104, 95);
    memory = overSpeed(memory, at(0, 11), 131, 93); // faster at its peak, slower on average
    memory = overSpeed(memory, at(0, 14), 99, 97);
    const listed = listRecords(memory, at(0, 20));
    expect(listed.map((r) => [r.id, r.purpose, r.data])).toEqual([
      [3, 0x04, { maxSpeed: 99, averageSpeed: 97 }],
      [1, 0x05, { maxSpeed: 104, averageSpeed: 95 }],
      [2, 0x05, { maxSpeed: 131, averageSpeed: 93 }],
      [3, 0x05, { maxSpeed: 99, averageSpeed: 97 }],
      [1, 0x06, { maxSpeed: 104, averageSpeed: 95 }],
    ]);
    expect(listed.every((r) => r.similarEvents === 3)).toBe(true);
  });
});

describe('refusals', () => {
  const memory = createEventMemory();
  const cards: SlotCards = NO_CARDS;

  it('refuses codes the VU does not record', () => {
    expect(() => recordInstant(memory, { type: 0x03, at: D0, cards })).toThrow('EventFaultType 0x03 is not one the VU records');
    expect(() => recordInstant(memory, { type: 0x0f, at: D0, cards })).toThrow('EventFaultType 0x0F is not one the VU records');
  });

  it('refuses an instant for a span type and a span for an instant type', () => {
    expect(() => recordInstant(memory, { type: 0x0e, at: D0, cards })).toThrow('has a begin and an end: use beginSpan');
    expect(() => beginSpan(memory, { type: 0x0b, at: D0, cards })).toThrow('is an instant: use recordInstant');
  });

  it('refuses missing, unexpected and out-of-range data', () => {
    expect(() => recordInstant(memory, { type: 0x0b, at: D0, cards })).toThrow("missing field 'gnssTime'");
    expect(() => recordInstant(memory, { type: 0x0b, at: D0, cards, data: { gnssTime: D0, vuTime: D0 } })).toThrow("unexpected field 'vuTime'");
    expect(() => recordInstant(memory, { type: 0x0b, at: D0, cards, data: { gnssTime: -1 } })).toThrow("'gnssTime' = -1 is not a valid timeReal");
    const s = beginSpan(memory, { type: 0x07, at: D0, cards });
    expect(() => endSpan(s.memory, { id: s.id, at: D0 + 60, cards, data: { maxSpeed: 256, averageSpeed: 90 } })).toThrow("'maxSpeed' = 256 is not a valid speed");
    expect(() => beginSpan(memory, { type: 0x07, at: D0, cards, data: { maxSpeed: 90 } })).toThrow("unexpected field 'maxSpeed'");
  });

  it('refuses to end an unknown or ended span, or to end it before it began', () => {
    const s = beginSpan(memory, { type: 0x08, at: D0, cards });
    expect(() => endSpan(s.memory, { id: 99, at: D0, cards })).toThrow('no stored event or fault with id 99');
    expect(() => endSpan(s.memory, { id: s.id, at: D0 - 1, cards })).toThrow(`cannot end at ${D0 - 1}, before its begin ${D0}`);
    const ended = endSpan(s.memory, { id: s.id, at: D0 + 5, cards });
    expect(() => endSpan(ended, { id: s.id, at: D0 + 9, cards })).toThrow(`event 1 (0x08) has already ended at ${D0 + 5}`);
  });

  it('refuses times that are not TimeReal and cards that are not cards', () => {
    expect(() => recordInstant(memory, { type: 0x01, at: 1.5, cards })).toThrow('at: 1.5 is not a TimeReal');
    expect(() => recordInstant(memory, { type: 0x01, at: D0, cards: { driver: { ...driver, cardNumber: 'SHORT' }, codriver: null } })).toThrow(
      'cards.driver.cardNumber: "SHORT" is not 16 printable ASCII characters',
    );
    expect(() => recordInstant(memory, { type: 0x01, at: D0, cards: { driver: null, codriver: { ...driver, generation: 3 as 2 } } })).toThrow(
      'cards.codriver.generation: 3 is not 1 or 2',
    );
  });

  it('leaves the memory it was given unchanged', () => {
    const before = JSON.stringify(memory);
    recordInstant(memory, { type: 0x01, at: D0, cards });
    expect(JSON.stringify(memory)).toBe(before);
  });
});

describe('the memory is plain data', () => {
  it('goes through JSON unchanged and carries on identically afterwards', () => {
    let memory = createEventMemory();
    memory = recordInstant(memory, { type: 0x0b, at: at(0, 8), cards: { driver, codriver }, data: { gnssTime: at(0, 8) + 100 } });
    const open = beginSpan(memory, { type: 0x08, at: at(0, 9), cards: NO_CARDS });
    const revived = JSON.parse(JSON.stringify(open.memory)) as EventMemory;
    expect(revived).toEqual(open.memory);
    const a = endSpan(open.memory, { id: open.id, at: at(0, 10), cards: NO_CARDS });
    const b = endSpan(revived, { id: open.id, at: at(0, 10), cards: NO_CARDS });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(Object.keys(a)).toEqual(['nextId', 'lastCalibration', 'records', 'dayCounts']);
    expect(Object.keys(a.records[1]!)).toEqual(['id', 'type', 'begin', 'end', 'cardsAtBegin', 'cardsAtEnd', 'data']);
  });
});
