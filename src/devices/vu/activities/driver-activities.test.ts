import { describe, expect, it } from 'vitest';
import type { ActivityChangeInfo } from './activity.ts';
import {
  cardInserted,
  cardWithdrawn,
  createActivityState,
  currentActivity,
  dailyActivityChanges,
  drivingStatus,
  selectActivity,
  settled,
  takeAccumulatedDrivingMarks,
  tick,
  vehicleMoving,
  vehicleStopped,
  type ActivityState,
} from './driver-activities.ts';

const DAY = '2026-03-02';
const NEXT_DAY = '2026-03-03';
/** An instant of the test day, or of another day. */
const at = (hhmmss: string, day = DAY) => Date.parse(`${day}T${hhmmss}Z`);

type Op = (s: ActivityState, t: number) => ActivityState;
const moving: Op = vehicleMoving;
const stopped: Op = vehicleStopped;
const driver = (activity: 'break-rest' | 'availability' | 'work'): Op => (s, t) => selectActivity(s, 'driver', activity, t);
const coDriver = (activity: 'break-rest' | 'availability' | 'work'): Op => (s, t) => selectActivity(s, 'co-driver', activity, t);
const insert = (slot: 'driver' | 'co-driver', kind: 'driver' | 'workshop' = 'driver'): Op => (s, t) => cardInserted(s, slot, t, kind);
const withdraw = (slot: 'driver' | 'co-driver'): Op => (s, t) => cardWithdrawn(s, slot, t);

/** Applies timed stimuli in order, then lets time run to `until`; with `everySecond`, ticks each second between. */
function run(start: number, steps: Array<[number, Op]>, until: number, everySecond = false): ActivityState {
  let s = createActivityState(start);
  let clock = start;
  const tickTo = (t: number) => {
    if (everySecond) for (; clock + 1000 <= t; clock += 1000) s = tick(s, clock + 1000);
    s = tick(s, t);
    clock = t;
  };
  for (const [t, op] of steps) {
    tickTo(t);
    s = op(s, t);
  }
  tickTo(until);
  return s;
}

/** A word as 'hh:mm slot status card activity', for exact, readable comparisons. */
function word(w: ActivityChangeInfo): string {
  const hh = String(Math.floor(w.minute / 60)).padStart(2, '0');
  const mm = String(w.minute % 60).padStart(2, '0');
  return `${hh}:${mm} ${w.slot} ${w.drivingStatus} ${w.cardStatus} ${w.activity}`;
}
const words = (s: ActivityState, day = DAY) => dailyActivityChanges(s, at('12:00:00', day)).map(word);
const slotWords = (s: ActivityState, slot: string, day = DAY) => words(s, day).filter((w) => w.split(' ')[1] === slot);

describe('a day of mixed activity (Annex IC 46–52, 105)', () => {
  const steps: Array<[number, Op]> = [
    [at('06:10:30'), insert('driver')],
    [at('06:15:00'), driver('work')],
    [at('06:20:20'), moving], // minute 06:20: 20 s WORK, 40 s DRIVING
    [at('08:30:00'), stopped], // WORK automatically...
    [at('08:31:10'), driver('break-rest')], // ...but BREAK/REST 70 s later counts from the stop (Annex IC 49)
    [at('09:15:00'), moving],
    [at('10:00:00'), stopped],
    [at('10:02:30'), driver('availability')], // 150 s after the stop: not backdated; 10:02 is 30 s WORK, 30 s AVAILABILITY
    [at('10:30:00'), driver('work')],
    [at('10:45:00'), driver('break-rest')], // a rest
    [at('11:30:00'), moving],
    [at('13:00:00'), stopped],
    [at('13:00:40'), driver('availability')], // backdated to 13:00:00
    [at('13:10:30'), withdraw('driver')],
  ];
  const expected = [
    '00:00 driver single not-inserted break-rest',
    '00:00 co-driver single not-inserted break-rest',
    '06:10 driver single inserted break-rest',
    '06:15 driver single inserted work',
    '06:20 driver single inserted driving',
    '06:20 co-driver single not-inserted availability',
    '08:30 driver single inserted break-rest',
    '09:15 driver single inserted driving',
    '10:00 driver single inserted work',
    '10:02 driver single inserted availability',
    '10:30 driver single inserted work',
    '10:45 driver single inserted break-rest',
    '11:30 driver single inserted driving',
    '13:00 driver single inserted availability',
    '13:10 driver single not-inserted availability',
  ];

  it('records the words minute by minute', () => {
    const s = run(at('06:00:00'), steps, at('14:00:00'));
    expect(words(s)).toEqual(expected);
    // DRIVING 06:20–08:29 (130), 09:15–09:59 (45), 11:30–12:59 (90)
    expect(s.accumulatedDriving.minutes).toBe(265);
    expect(s.marks).toEqual([{ minutes: 180, at: at('11:35:00') }]); // 175 + 5 minutes from 11:30
  });

  it('gives the same record when ticked every second', () => {
    const sparse = run(at('06:00:00'), steps, at('14:00:00'));
    const dense = run(at('06:00:00'), steps, at('14:00:00'), true);
    expect(dense).toEqual(sparse);
  });

  it('survives a JSON round trip mid-day, with a backdating window open', () => {
    const first = steps.filter(([t]) => t <= at('13:00:00'));
    const rest = steps.filter(([t]) => t > at('13:00:00'));
    const mid = JSON.parse(JSON.stringify(run(at('06:00:00'), first, at('13:00:20')))) as ActivityState;
    expect(mid.stoppedAt).toBe(at('13:00:00'));
    let s = mid;
    for (const [t, op] of rest) s = op(s, t);
    s = tick(s, at('14:00:00'));
    expect(s).toEqual(run(at('06:00:00'), steps, at('14:00:00')));
  });

  it('resolves a minute once the next is complete; settled() resolves up to now for a download', () => {
    const s = run(at('06:00:00'), steps, at('13:10:45'));
    expect(words(s)).toEqual(expected.slice(0, -1)); // 13:10 still open: 13:11 may still turn it
    expect(s.nextMinute).toBe(at('13:09:00'));
    expect(words(settled(s, at('13:10:45')))).toEqual(expected);
    expect(s.nextMinute).toBe(at('13:09:00')); // the original is untouched
  });
});

describe('Annex IC 51 and 52 through the activity function', () => {
  it('a short stop inside a minute between two DRIVING minutes stays DRIVING', () => {
    // 10:05: 25 s DRIVING, 25 s WORK, 10 s DRIVING: WORK by 52 (latest of the longest), DRIVING by 51
    const s = run(at('09:00:00'), [
      [at('10:00:00'), moving],
      [at('10:05:25'), stopped],
      [at('10:05:50'), moving],
      [at('10:10:00'), stopped],
    ], at('11:00:00'));
    expect(slotWords(s, 'driver')).toEqual([
      '00:00 driver single not-inserted break-rest',
      '10:00 driver single not-inserted driving',
      '10:10 driver single not-inserted work',
    ]);
    expect(s.accumulatedDriving.minutes).toBe(10);
  });

  it('a stop that spans a minute boundary is not DRIVING', () => {
    // 10:05: 30 s DRIVING then WORK (tie: WORK, the later); 10:06: 40 s WORK, 20 s DRIVING
    const s = run(at('09:00:00'), [
      [at('10:00:00'), moving],
      [at('10:05:30'), stopped],
      [at('10:06:40'), moving],
      [at('10:10:00'), stopped],
    ], at('11:00:00'));
    expect(slotWords(s, 'driver')).toEqual([
      '00:00 driver single not-inserted break-rest',
      '10:00 driver single not-inserted driving',
      '10:05 driver single not-inserted work',
      '10:07 driver single not-inserted driving',
      '10:10 driver single not-inserted work',
    ]);
    expect(s.accumulatedDriving.minutes).toBe(8); // 10:00–10:04 and 10:07–10:09
  });

  it('takes the longest continuous activity, and the latest of equally long ones', () => {
    const s = run(at('08:00:00'), [
      [at('09:00:20'), coDriver('work')], // 09:00: 20 s BREAK/REST, 25 s WORK, 15 s AVAILABILITY → WORK
      [at('09:00:45'), coDriver('availability')],
      [at('09:01:30'), coDriver('break-rest')], // 09:01: 30 s AVAILABILITY, 30 s BREAK/REST → BREAK/REST
      [at('09:02:00'), coDriver('work')],
      [at('09:03:20'), coDriver('break-rest')], // 09:03: 20 s WORK, 25 s BREAK/REST, 15 s WORK → BREAK/REST
      [at('09:03:45'), coDriver('work')],
    ], at('10:00:00'));
    expect(slotWords(s, 'co-driver')).toEqual([
      '00:00 co-driver single not-inserted break-rest',
      '09:00 co-driver single not-inserted work',
      '09:01 co-driver single not-inserted break-rest',
      '09:02 co-driver single not-inserted work',
      '09:03 co-driver single not-inserted break-rest',
      '09:04 co-driver single not-inserted work',
    ]);
    expect(slotWords(s, 'driver')).toEqual(['00:00 driver single not-inserted break-rest']);
  });
});

describe('Annex IC 49: a first BREAK/REST or AVAILABILITY within 120 s of the automatic WORK counts from the stop', () => {
  const around = (steps: Array<[number, Op]>) =>
    slotWords(run(at('09:00:00'), [[at('09:50:00'), moving], [at('10:00:00'), stopped], ...steps], at('11:00:00')), 'driver').slice(2);

  it('backdates at 119 s, not at 120 s', () => {
    expect(around([[at('10:01:59'), driver('break-rest')]])).toEqual(['10:00 driver single not-inserted break-rest']);
    expect(around([[at('10:02:00'), driver('break-rest')]])).toEqual([
      '10:00 driver single not-inserted work',
      '10:02 driver single not-inserted break-rest',
    ]);
  });

  it('backdates only the first change', () => {
    expect(around([[at('10:00:30'), driver('availability')], [at('10:01:00'), driver('break-rest')]])).toEqual([
      '10:00 driver single not-inserted availability',
      '10:01 driver single not-inserted break-rest',
    ]);
  });

  it('takes WORK chosen again as no change: the window stays open', () => {
    // selecting WORK while in WORK is no change: the window stays open for the BREAK/REST
    expect(around([[at('10:00:30'), driver('work')], [at('10:01:00'), driver('break-rest')]])).toEqual([
      '10:00 driver single not-inserted break-rest',
    ]);
  });

  it('a move closes the window; the next stop opens a new one', () => {
    // BREAK/REST at 10:01:40 is 100 s after the first stop but the vehicle moved in between: it counts
    // from the second stop (10:00:50), so 10:01 is BREAK/REST, and 10:00 (30 s WORK, 20 s DRIVING) WORK
    expect(around([[at('10:00:30'), moving], [at('10:00:50'), stopped], [at('10:01:40'), driver('break-rest')]])).toEqual([
      '10:00 driver single not-inserted work',
      '10:01 driver single not-inserted break-rest',
    ]);
  });

  it('a move ends the window at once, so the minutes before it resolve without waiting 120 s', () => {
    const s = run(at('09:00:00'), [[at('09:50:00'), moving], [at('10:00:00'), stopped], [at('10:00:30'), moving]], at('10:01:00'));
    expect(s.stoppedAt).toBe(null);
    expect(s.nextMinute).toBe(at('10:00:00')); // 09:59 resolved as soon as 10:00 could be seen whole
  });

  it('applies to the driver only, keeping card changes made meanwhile', () => {
    const s = run(at('09:00:00'), [
      [at('09:10:00'), insert('driver')],
      [at('09:50:00'), moving],
      [at('10:00:00'), stopped],
      [at('10:00:20'), withdraw('driver')],
      [at('10:00:30'), coDriver('work')],
      [at('10:01:00'), driver('availability')],
    ], at('11:00:00'));
    expect(words(s).slice(2)).toEqual([
      '09:10 driver single inserted break-rest',
      '09:50 driver single inserted driving',
      '09:50 co-driver single not-inserted availability',
      '10:00 driver single not-inserted availability',
      '10:00 co-driver single not-inserted work',
    ]);
  });
});

describe('manual selection while moving (Annex IC 46, 47)', () => {
  it('refuses the driver slot and takes the co-driver slot', () => {
    let s = run(at('07:00:00'), [[at('08:00:00'), moving]], at('08:30:00'));
    const before = s;
    s = selectActivity(s, 'driver', 'break-rest', at('08:30:00'));
    expect(currentActivity(s, 'driver')).toBe('driving');
    expect(s).toEqual(before);
    s = selectActivity(s, 'co-driver', 'break-rest', at('08:30:00'));
    s = tick(s, at('09:00:00'));
    expect(words(s).slice(2)).toEqual([
      '08:00 driver single not-inserted driving',
      '08:00 co-driver single not-inserted availability',
      '08:30 co-driver single not-inserted break-rest',
    ]);
  });

  it('never takes DRIVING by hand', () => {
    expect(() => selectActivity(createActivityState(at('08:00:00')), 'driver', 'driving' as 'work', at('08:00:00'))).toThrow(RangeError);
  });
});

describe('card status and driving status (Annex IC 55, 105)', () => {
  it('dates insertion and withdrawal to their minute and sets CREW on both slots with two driver cards', () => {
    const s = run(at('07:55:00'), [
      [at('08:00:10'), insert('driver')],
      [at('08:05:30'), insert('co-driver')],
      [at('08:10:00'), moving],
      [at('09:00:00'), stopped],
      [at('09:00:30'), withdraw('co-driver')],
    ], at('10:00:00'));
    expect(words(s)).toEqual([
      '00:00 driver single not-inserted break-rest',
      '00:00 co-driver single not-inserted break-rest',
      '08:00 driver single inserted break-rest',
      '08:05 driver crew inserted break-rest',
      '08:05 co-driver crew inserted break-rest',
      '08:10 driver crew inserted driving',
      '08:10 co-driver crew inserted availability',
      '09:00 driver single inserted work',
      '09:00 co-driver single not-inserted availability',
    ]);
  });

  it('is SINGLE with a workshop card in one slot', () => {
    let s = createActivityState(at('08:00:00'));
    s = cardInserted(s, 'driver', at('08:00:05'), 'workshop');
    s = cardInserted(s, 'co-driver', at('08:00:10'));
    expect(drivingStatus(s)).toBe('single');
    s = cardWithdrawn(s, 'driver', at('08:01:00'));
    s = cardInserted(s, 'driver', at('08:01:10'));
    expect(drivingStatus(s)).toBe('crew');
    s = tick(s, at('08:05:00'));
    expect(words(s).slice(2)).toEqual([
      '08:00 driver single inserted break-rest',
      '08:00 co-driver single inserted break-rest',
      '08:01 driver crew inserted break-rest',
      '08:01 co-driver crew inserted break-rest',
    ]);
  });
});

describe('day boundary', () => {
  it('starts each day with both slots at 00:00, resolving 23:59 with the next day in view', () => {
    const s = run(at('23:00:00'), [
      [at('23:10:00'), insert('driver')],
      [at('23:50:00'), moving],
      [at('23:59:20'), stopped], // 23:59: 20 s DRIVING, 30 s WORK, 10 s DRIVING → DRIVING by 51 (00:00 drives)
      [at('23:59:50'), moving],
      [at('00:10:00', NEXT_DAY), stopped],
      [at('00:10:30', NEXT_DAY), driver('break-rest')],
    ], at('01:00:00', NEXT_DAY));
    expect(words(s, DAY)).toEqual([
      '00:00 driver single not-inserted break-rest',
      '00:00 co-driver single not-inserted break-rest',
      '23:10 driver single inserted break-rest',
      '23:50 driver single inserted driving',
      '23:50 co-driver single not-inserted availability',
    ]);
    expect(words(s, NEXT_DAY)).toEqual([
      '00:00 driver single inserted driving',
      '00:00 co-driver single not-inserted availability',
      '00:10 driver single inserted break-rest',
    ]);
    expect(s.accumulatedDriving.minutes).toBe(20); // 23:50–00:09
    expect(dailyActivityChanges(s, at('00:00:00', '2026-03-04'))).toEqual([]);
  });

  it('records a day with no change as its two 00:00 words', () => {
    const s = run(at('22:00:00'), [[at('22:30:00'), insert('co-driver')]], at('00:05:00', '2026-03-04'));
    expect(words(s, NEXT_DAY)).toEqual([
      '00:00 driver single not-inserted break-rest',
      '00:00 co-driver single inserted break-rest',
    ]);
  });
});

describe('accumulated driving reaches multiples of three hours (definition fff, Annex IC 108)', () => {
  it('3 h 00 min across two driving periods with a break: once, known when its minute resolves', () => {
    let s = run(at('07:00:00'), [
      [at('08:00:00'), moving],
      [at('09:30:00'), stopped],
      [at('09:30:30'), driver('break-rest')],
      [at('10:15:00'), moving],
      [at('11:45:00'), stopped],
      [at('11:45:30'), driver('break-rest')],
    ], at('11:45:59'));
    expect(takeAccumulatedDrivingMarks(s).marks).toEqual([]); // minute 11:44 waits for 11:45 to end
    s = tick(s, at('11:46:00'));
    const taken = takeAccumulatedDrivingMarks(s);
    expect(taken.marks).toEqual([{ minutes: 180, at: at('11:45:00') }]);
    s = tick(taken.state, at('20:00:00'));
    expect(takeAccumulatedDrivingMarks(s).marks).toEqual([]);
    expect(s.accumulatedDriving.minutes).toBe(180);
  });

  it('6 h: twice, each once, fed every second', () => {
    const steps: Array<[number, Op]> = [
      [at('08:00:00'), moving],
      [at('09:30:00'), stopped], // 90
      [at('10:15:00'), moving],
      [at('13:00:00'), stopped], // 165: 180 reached at the end of 11:44
      [at('13:30:00'), moving],
      [at('16:00:00'), stopped], // 150: 360 reached at the end of 15:14
    ];
    let s = createActivityState(at('07:00:00'));
    const marks: unknown[] = [];
    for (let t = at('07:00:01'); t <= at('17:00:00'); t += 1000) {
      s = tick(s, t);
      for (const [when, op] of steps) if (when === t) s = op(s, t);
      const taken = takeAccumulatedDrivingMarks(s);
      s = taken.state;
      for (const mark of taken.marks) marks.push({ ...mark, takenAt: new Date(t).toISOString() });
    }
    expect(marks).toEqual([
      { minutes: 180, at: at('11:45:00'), takenAt: '2026-03-02T11:46:00.000Z' },
      { minutes: 360, at: at('15:15:00'), takenAt: '2026-03-02T15:16:00.000Z' },
    ]);
    expect(s.accumulatedDriving.minutes).toBe(405);
  });
});

describe('time', () => {
  it('works in whole seconds and takes an instant before the latest as the latest', () => {
    let s = createActivityState(at('08:00:00'));
    s = tick(s, at('08:10:00') + 700);
    expect(s.now).toBe(at('08:10:00'));
    s = selectActivity(s, 'co-driver', 'work', at('08:05:00')); // a clock set back does not rewrite history
    s = tick(s, at('08:20:00'));
    expect(slotWords(s, 'co-driver')).toEqual([
      '00:00 co-driver single not-inserted break-rest',
      '08:10 co-driver single not-inserted work',
    ]);
  });
});

describe('repeated motion reports change nothing', () => {
  it('a second "moving" keeps the co-driver\'s own selection (Annex IC 47 selects AVAILABILITY once, at the move)', () => {
    let s = run(at('07:00:00'), [[at('08:00:00'), moving], [at('08:10:00'), coDriver('break-rest')], [at('08:20:00'), moving]], at('09:00:00'));
    expect(currentActivity(s, 'co-driver')).toBe('break-rest');
    s = tick(s, at('09:00:00'));
    expect(slotWords(s, 'co-driver').slice(1)).toEqual(['08:00 co-driver single not-inserted availability', '08:10 co-driver single not-inserted break-rest']);
  });

  it('a second "stopped" keeps the driver\'s BREAK/REST (Annex IC 48 selects WORK once, at the stop)', () => {
    const s = run(at('07:00:00'), [[at('08:00:00'), moving], [at('09:00:00'), stopped], [at('09:05:00'), driver('break-rest')], [at('09:10:00'), stopped]], at('10:00:00'));
    expect(currentActivity(s, 'driver')).toBe('break-rest');
    expect(s.stoppedAt).toBe(null);
    expect(slotWords(s, 'driver').slice(1)).toEqual([
      '08:00 driver single not-inserted driving',
      '09:00 driver single not-inserted work',
      '09:05 driver single not-inserted break-rest',
    ]);
  });
});

describe('Annex IC 49 holds back the minutes the backdating can still reach', () => {
  it('resolves no minute after the stop while the window is open, so a late BREAK/REST still reaches the stop\'s minute', () => {
    // stop at 10:00:30; 10:00 (30 s DRIVING, then WORK) would be final by 10:02:00 but for the window, open until 10:02:30
    let s = run(at('09:00:00'), [[at('09:50:00'), moving], [at('10:00:30'), stopped]], at('10:02:20'));
    expect(s.nextMinute).toBe(at('09:59:00'));
    s = selectActivity(s, 'driver', 'break-rest', at('10:02:20')); // 110 s after the stop
    s = tick(s, at('10:30:00'));
    // 10:00: 30 s DRIVING, 30 s BREAK/REST: the later of equals
    expect(slotWords(s, 'driver').slice(1)).toEqual(['09:50 driver single not-inserted driving', '10:00 driver single not-inserted break-rest']);
  });
});

describe('several changes within one second', () => {
  it('takes a card inserted at the very second of activation, at midnight', () => {
    let s = createActivityState(at('00:00:00'));
    s = cardInserted(s, 'driver', at('00:00:00'));
    s = tick(s, at('00:10:00'));
    expect(words(s)).toEqual(['00:00 driver single inserted break-rest', '00:00 co-driver single not-inserted break-rest']);
  });

  it('keeps the last of them, and every change of another kind made in that second', () => {
    const same = (ops: Op[]) => {
      let s = createActivityState(at('08:00:00'));
      for (const op of ops) s = op(s, at('08:30:10'));
      return slotWords(tick(s, at('09:00:00')), 'driver').slice(1);
    };
    expect(same([driver('work'), driver('availability')])).toEqual(['08:30 driver single not-inserted availability']);
    expect(same([insert('driver'), driver('work'), driver('break-rest')])).toEqual(['08:30 driver single inserted break-rest']);
    expect(same([insert('driver'), driver('work')])).toEqual(['08:30 driver single inserted work']);
    expect(same([driver('work'), driver('break-rest')])).toEqual([]); // back where it was: no change at all
  });

  it('keeps one span per instant, and none for a change undone in the same second', () => {
    let s = createActivityState(at('08:00:00'));
    s = cardInserted(s, 'driver', at('08:30:10'));
    s = vehicleMoving(s, at('08:30:10'));
    expect(s.slots.driver.spans).toEqual([
      { from: at('00:00:00'), activity: 'break-rest', card: null },
      { from: at('08:30:10'), activity: 'driving', card: 'driver' },
    ]);
    let t = createActivityState(at('08:00:00'));
    t = selectActivity(t, 'driver', 'work', at('08:30:10'));
    t = selectActivity(t, 'driver', 'break-rest', at('08:30:10'));
    expect(t.slots.driver.spans).toEqual([{ from: at('00:00:00'), activity: 'break-rest', card: null }]);
  });
});

describe('the state keeps what it needs and nothing else', () => {
  it('holds each slot\'s history from the first unresolved minute on, a change at a minute\'s start included', () => {
    const s = run(at('06:00:00'), [
      [at('06:10:30'), insert('driver')],
      [at('06:15:00'), driver('work')], // at the start of minute 06:15
      [at('06:20:20'), moving],
      [at('06:40:00'), stopped],
      [at('06:40:30'), driver('break-rest')],
    ], at('07:00:00'));
    expect(s.nextMinute).toBe(at('06:59:00'));
    expect(s.slots.driver.spans).toEqual([{ from: at('06:40:00'), activity: 'break-rest', card: 'driver' }]);
    expect(s.slots['co-driver'].spans).toEqual([{ from: at('06:20:20'), activity: 'availability', card: null }]);
    // a change at a minute's start: the span before it is dropped once that minute resolves
    const u = run(at('06:00:00'), [[at('06:15:00'), driver('work')]], at('06:16:00'));
    expect(u.nextMinute).toBe(at('06:15:00'));
    expect(u.slots.driver.spans).toEqual([{ from: at('06:15:00'), activity: 'work', card: null }]);
  });

  it('adds no span for a change to what a slot already has', () => {
    let s = createActivityState(at('08:00:00'));
    s = selectActivity(s, 'co-driver', 'availability', at('08:10:00'));
    const spans = s.slots['co-driver'].spans;
    s = vehicleMoving(s, at('08:10:30')); // Annex IC 47: AVAILABILITY for the co-driver, which it is already
    expect(s.slots['co-driver'].spans).toEqual(spans);
  });

  it('leaves an earlier state untouched: each change makes a new one (the VU machine keeps its context immutable)', () => {
    const states: ActivityState[] = [];
    const copies: ActivityState[] = [];
    let s = createActivityState(at('06:00:00'));
    const keep = () => {
      states.push(s);
      copies.push(structuredClone(s));
    };
    keep();
    for (const [t, op] of [
      [at('06:10:30'), insert('driver')],
      [at('06:20:20'), moving],
      [at('06:40:00'), stopped],
      [at('06:40:30'), driver('break-rest')],
      [at('06:50:10'), driver('work')],
      [at('06:50:10'), driver('availability')],
    ] as Array<[number, Op]>) {
      s = op(s, t);
      keep();
      s = tick(s, t + 90_000);
      keep();
    }
    settled(s, at('07:30:00'));
    expect(states).toEqual(copies);
  });
});
