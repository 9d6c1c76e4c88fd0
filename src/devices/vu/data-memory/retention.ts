import type { EventData, EventFaultRecordPurpose, EventFaultTypeSpec, RetentionClause } from './event-fault-types.ts';
import { Purpose } from './event-fault-types.ts';

/**
 * The §3.12.8 / §3.12.9 storing rules applied to the stored occurrences of one type at one instant
 * (Annex IC 117, 118). Two questions: which purposes each occurrence is downloaded under now, and which
 * occurrences the memory must keep because they qualify now or still can later.
 *
 * Choices where the table is silent:
 * - A day is a UTC day (TimeReal / 86 400) of the occurrence's begin: the VU keeps UTC throughout (TimeReal,
 *   App. 1 §2.162) and its daily records are cut at 00:00 UTC, so "that day" means the same day there.
 * - "The last 10 days of occurrence" are the 10 latest UTC days on which a completed occurrence began, however
 *   old; "the last 365 days" are today (the UTC day of `now`) and the 364 days before it.
 *   Not "the last ten calendar days", which the Spanish text of the amending act reads ("cada uno de los últimos
 *   diez días", rows 0x0B and 0x0E of Reg. (EU) 2021/1228): the English Annex IC 117 says "for each of the 10
 *   last days of occurrence" in every row, base and amended, and App. 1 §2.69 names the purposes a download
 *   carries '01'H, '03'H, '04'H "for one of the last 10 days of occurrence", which only this reading fills. It
 *   also keeps a vehicle's last events through a long lay-up, when the calendar reading would forget a row with
 *   no 365-day rule (0x05) altogether. So an event 11 calendar days ago with none since is still kept.
 * - Ranking for "longest" / "most serious": the higher measure first; on a tie the earlier begin, then the
 *   earlier recorded (lower id): the first to reach a value keeps its place. "Most recent" / "last": the
 *   later begin, then the later recorded.
 * - "After the last calibration" includes an occurrence beginning in the calibration's own second: TimeReal
 *   cannot order the two within it, and an occurrence is not before a calibration it cannot be told from.
 * - An on-going span (no end yet) has no length: it is kept whatever happens, downloaded under purpose '07'H
 *   only, and competes under the other rules once it has ended.
 * - An occurrence that qualifies under several rules is stored once and downloaded once per purpose: App. 1
 *   gives each record a single purpose, and each rule has to be met on its own.
 */

export interface Judged {
  id: number;
  begin: number;
  end: number | null;
  data: EventData;
}

export interface Verdict {
  /** id -> purposes it is downloaded under now, in ascending order. */
  purposes: Map<number, EventFaultRecordPurpose[]>;
  /** ids the memory must keep: they qualify now, are on-going, or may still qualify later. */
  keep: Set<number>;
}

export const SECONDS_PER_DAY = 86_400;

export function utcDay(timeReal: number): number {
  return Math.floor(timeReal / SECONDS_PER_DAY);
}

export function judge(
  spec: EventFaultTypeSpec,
  occurrences: readonly Judged[],
  now: number,
  lastCalibration: number | null,
): Verdict {
  const purposes = new Map<number, EventFaultRecordPurpose[]>();
  const keep = new Set<number>();
  const give = (id: number, purpose: EventFaultRecordPurpose) => {
    const list = purposes.get(id) ?? [];
    list.push(purpose);
    purposes.set(id, list);
    keep.add(id);
  };

  const closed: Completed[] = [];
  for (const o of occurrences) {
    if (o.end === null) give(o.id, Purpose.ongoing);
    else closed.push({ id: o.id, begin: o.begin, end: o.end, data: o.data, severity: 0 });
  }
  if (spec.severity) for (const c of closed) c.severity = spec.severity.of(c);

  for (const clause of spec.retention) applyClause(clause, closed, now, lastCalibration, give, keep);

  for (const list of purposes.values()) list.sort((a, b) => a - b);
  return { purposes, keep };
}

interface Completed {
  id: number;
  begin: number;
  end: number;
  data: EventData;
  severity: number;
}

function applyClause(
  clause: RetentionClause,
  closed: readonly Completed[],
  now: number,
  lastCalibration: number | null,
  give: (id: number, purpose: EventFaultRecordPurpose) => void,
  keep: Set<number>,
): void {
  switch (clause.rule) {
    case 'mostRecent': {
      // a newer occurrence only pushes older ones further out: what is not among them now never will be
      for (const c of [...closed].sort(byRecency).slice(0, clause.count)) give(c.id, clause.purpose);
      return;
    }
    case 'bestOfDay':
    case 'lastOfDay': {
      const order = clause.rule === 'bestOfDay' ? byRank : byRecency;
      const best = new Map<number, Completed>();
      for (const c of closed) {
        const day = utcDay(c.begin);
        const held = best.get(day);
        if (!held || order(c, held) < 0) best.set(day, c);
      }
      // later occurrences only add days or rivals, so a day or an occurrence that drops out stays out
      const days = [...best.keys()].sort((a, b) => b - a).slice(0, clause.days);
      for (const day of days) give(best.get(day)!.id, clause.purpose);
      return;
    }
    case 'bestOfPeriod': {
      const firstDay = utcDay(now) - clause.withinDays + 1;
      const ranked = closed.filter((c) => utcDay(c.begin) >= firstDay).sort(byRank);
      ranked.slice(0, clause.count).forEach((c) => give(c.id, clause.purpose));
      // One not in the top `count` now rises into it when better ones leave the window first. It never can
      // once `count` better ones began on its day or later: they stay in the window as long as it does.
      for (let i = clause.count; i < ranked.length; i++) {
        const c = ranked[i]!;
        const day = utcDay(c.begin);
        let betterAndNoOlder = 0;
        for (let j = 0; j < i && betterAndNoOlder < clause.count; j++) if (utcDay(ranked[j]!.begin) >= day) betterAndNoOlder++;
        if (betterAndNoOlder < clause.count) keep.add(c.id);
      }
      return;
    }
    case 'firstAfterCalibration': {
      // a later calibration only moves the mark forward, so a record before the mark never qualifies again
      if (lastCalibration === null) return;
      let first: Completed | undefined;
      for (const c of closed) if (c.begin >= lastCalibration && (!first || byTime(c, first) < 0)) first = c;
      if (first) give(first.id, clause.purpose);
      return;
    }
  }
}

/** Longest / most serious first; ties to the earlier begin, then the earlier recorded. */
function byRank(a: Completed, b: Completed): number {
  return b.severity - a.severity || a.begin - b.begin || a.id - b.id;
}

/** Most recent first. */
function byRecency(a: Completed, b: Completed): number {
  return b.begin - a.begin || b.id - a.id;
}

/** Earliest first. */
function byTime(a: Completed, b: Completed): number {
  return a.begin - b.begin || a.id - b.id;
}
