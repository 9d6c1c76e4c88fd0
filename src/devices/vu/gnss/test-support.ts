import type { SlotCards } from '../../../protocols/app1/slot-cards.ts';
import { createEventMemory, type EventMemory } from '../data-memory/event-store.ts';
import type { GnssPosition } from '../gnss-link/types.ts';
import type { TimeAdjustmentRecord } from '../time/time-adjustment.ts';
import { createVuClock, setVuTime, vuTime, type VuClock } from '../time/vu-clock.ts';
import { onGnssReport } from './rules.ts';
import { createVuGnssState, type GnssSource, type VuGnssReport, type VuGnssState } from './state.ts';

/**
 * Tests only: a VU as the rules see it, driven by hand: rig time, the VU clock, motion, calibration mode and
 * cards, and what the rules gave back (the VU machine's part, in a few lines).
 */
export const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const ANNA: SlotCards = {
  driver: { cardType: 'driver', issuingMemberState: 0x11, cardNumber: 'DF00000012345601', generation: 2 },
  codriver: null,
};

export class GnssVu {
  rigNow = T0;
  clock: VuClock;
  state: VuGnssState;
  events: EventMemory = createEventMemory();
  adjustments: TimeAdjustmentRecord[] = [];
  moving = true;
  calibrationMode = false;
  cards: SlotCards = ANNA;

  constructor(source: GnssSource = 'external', offsetMs = 0) {
    this.clock = createVuClock(T0, offsetMs);
    this.state = createVuGnssState(source);
  }

  at(offsetMs: number): this {
    this.rigNow = T0 + offsetMs;
    return this;
  }

  /** The VU clock jumps by `seconds` now (the rig's skew stimulus). */
  skew(seconds: number): this {
    this.clock = setVuTime(this.clock, this.rigNow, this.vuNow() + seconds * 1000);
    return this;
  }

  vuNow(): number {
    return vuTime(this.clock, this.rigNow);
  }

  report(report: VuGnssReport): this {
    const r = onGnssReport(this.state, report, {
      rigNow: this.rigNow,
      clock: this.clock,
      moving: this.moving,
      calibrationMode: this.calibrationMode,
      cards: this.cards,
      events: this.events,
    });
    this.state = r.state;
    this.events = r.events;
    if (r.clock) this.clock = r.clock;
    this.adjustments.push(...r.adjustments);
    // Plain data: what the VU persists must survive JSON.
    if (JSON.stringify(JSON.parse(JSON.stringify(this.state))) !== JSON.stringify(this.state)) throw new Error('state is not plain data');
    return this;
  }

  /** A valid fix whose RMC time is `ageMs` older than true time (the receiver's last second). */
  fix(ageMs = 0, position: Partial<GnssPosition> = {}): this {
    return this.report({ type: 'gnss.position', position: { time: this.rigNow - ageMs, latitude: 50510, longitude: 4211, speedKmh: 90, hdop: 0.9, ...position } });
  }

  /** Stored events as [type, begin, end, data], TimeReal. */
  stored(): [number, number, number | null, Record<string, unknown>][] {
    return this.events.records.map((r) => [r.type, r.begin, r.end, { ...r.data }]);
  }
}

/** TimeReal of rig offset `ms` (plus `skewS` seconds of VU skew). */
export const real = (ms: number, skewS = 0) => Math.floor((T0 + ms) / 1000) + skewS;
