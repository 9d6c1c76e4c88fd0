import type { RigClock } from '../clock/index.ts';

/**
 * What the sky offers a GNSS receiver over rig time: per constellation, the satellites used for a fix and the
 * dilution of precision, plus outages (no fix at all: a tunnel, a jammer, an unplugged antenna). Like the
 * vehicle track it is piecewise constant, changed by scenario stimuli at rig instants, so every receiver in
 * the rig (the EGF's, a VU's internal one, a seal's) sees the same sky. True UTC is rig time itself; the time
 * the sky gives (GNSS time, as receivers report it) is rig time unless a scenario offsets it (`setTimeOffset`).
 */
export type ConstellationId = 'gps' | 'glonass' | 'galileo' | 'beidou' | 'sbas';

/** App. 12 GNS_6/GNS_20: five GSA sentences, one per constellation and SBAS; this order is the record order 02..06. */
export const CONSTELLATIONS: readonly ConstellationId[] = ['gps', 'glonass', 'galileo', 'beidou', 'sbas'];

export interface ConstellationSky {
  /** NMEA 4.11 satellite ids used in the fix, per system (GPS 1-32, SBAS 33-64, GLONASS 65-96, Galileo 1-36, BeiDou 1-63); at most 12. */
  satellites: number[];
  pdop: number;
  hdop: number;
  vdop: number;
}

export interface SkyState {
  /** Rig time this state holds from. */
  from: number;
  /** False during an outage: no constellation gives a fix, whatever its satellites. */
  available: boolean;
  constellations: Record<ConstellationId, ConstellationSky>;
  /** GNSS time minus true UTC (rig time), ms: 0 unless a scenario offsets it. */
  timeOffsetMs: number;
}

export interface SkyView {
  /** A position fix exists: no outage and at least 4 satellites (a 3D fix). */
  fix: boolean;
  /** Per constellation, what the receiver uses now (no satellites during an outage). */
  constellations: Record<ConstellationId, ConstellationSky>;
}

export interface GnssSkyOptions {
  constellations?: Partial<Record<ConstellationId, Partial<ConstellationSky>>>;
  available?: boolean;
}

/** An open sky over Europe: GPS, GLONASS and Galileo in view, BeiDou not tracked, two EGNOS satellites (NMEA 33, 36 = PRN 120, 123). */
export const DEFAULT_SKY: Record<ConstellationId, ConstellationSky> = {
  gps: { satellites: [2, 5, 7, 13, 15, 20, 24, 30], pdop: 1.6, hdop: 0.9, vdop: 1.3 },
  glonass: { satellites: [65, 66, 72, 74, 81, 82], pdop: 2.1, hdop: 1.2, vdop: 1.7 },
  galileo: { satellites: [1, 3, 5, 11, 13, 24, 27], pdop: 1.8, hdop: 1.0, vdop: 1.5 },
  beidou: { satellites: [], pdop: 0, hdop: 0, vdop: 0 },
  sbas: { satellites: [33, 36], pdop: 1.6, hdop: 0.9, vdop: 1.3 },
};

const MIN_SATELLITES_FOR_FIX = 4;

export class GnssSky {
  private states: SkyState[];
  private readonly views = new WeakMap<SkyState, SkyView>();

  constructor(
    private readonly clock: RigClock,
    options: GnssSkyOptions = {},
  ) {
    const constellations = structuredClone(DEFAULT_SKY);
    for (const id of CONSTELLATIONS) Object.assign(constellations[id], options.constellations?.[id] ?? {});
    this.states = [{ from: clock.now(), available: options.available ?? true, constellations, timeOffsetMs: 0 }];
  }

  /** Starts (false) or ends (true) an outage from now on. */
  setAvailable(available: boolean): void {
    this.change((s) => ({ ...s, available }));
  }

  /**
   * From now on the time every receiver reports is `ms` ahead of true UTC (negative: behind; 0: right again), as
   * a GNSS simulator set to another time, or spoofing, gives it. The fix and the position are unchanged.
   */
  setTimeOffset(ms: number): void {
    this.change((s) => ({ ...s, timeOffsetMs: ms }));
  }

  /** GNSS time at rig time t: what a receiver puts in its RMC, and what an EGF judges certificates by. */
  timeAt(t: number): number {
    return t + this.stateAt(t).timeOffsetMs;
  }

  /** Changes what one constellation offers from now on. */
  setConstellation(id: ConstellationId, patch: Partial<ConstellationSky>): void {
    if (patch.satellites && patch.satellites.length > 12) throw new RangeError(`a GSA sentence names at most 12 satellites, got ${patch.satellites.length}`);
    for (const k of ['pdop', 'hdop', 'vdop'] as const) {
      if (patch[k] !== undefined && !(patch[k]! >= 0 && patch[k]! < 100)) throw new RangeError(`${k} must be 0..99.9, got ${patch[k]}`);
    }
    this.change((s) => ({ ...s, constellations: { ...s.constellations, [id]: { ...s.constellations[id], ...patch } } }));
  }

  /**
   * What a receiver sees at t. Issue 18: one view per sky state, made when first asked and shared by every
   * later reader (the EGF reads the sky every second): frozen, so no reader can change another's.
   */
  viewAt(t: number): SkyView {
    const s = this.stateAt(t);
    let view = this.views.get(s);
    if (!view) this.views.set(s, (view = viewOf(s)));
    return view;
  }

  fixAt(t: number): boolean {
    return this.viewAt(t).fix;
  }

  private stateAt(t: number): SkyState {
    for (let i = this.states.length - 1; i >= 0; i--) if (this.states[i]!.from <= t) return this.states[i]!;
    return this.states[0]!;
  }

  private change(update: (s: SkyState) => SkyState): void {
    const now = this.clock.now();
    const next = { ...update(this.stateAt(now)), from: now };
    while (this.states.length > 1 && this.states[this.states.length - 1]!.from >= now) this.states.pop();
    if (this.states[this.states.length - 1]!.from >= now) this.states[this.states.length - 1] = next;
    else this.states.push(next);
  }
}

function viewOf(s: SkyState): SkyView {
  const constellations = {} as Record<ConstellationId, ConstellationSky>;
  for (const id of CONSTELLATIONS) {
    const c = s.available ? s.constellations[id] : { satellites: [], pdop: 0, hdop: 0, vdop: 0 };
    constellations[id] = Object.freeze({ ...c, satellites: Object.freeze([...c.satellites]) as number[] });
  }
  const count = CONSTELLATIONS.reduce((n, id) => n + constellations[id].satellites.length, 0);
  return Object.freeze({ fix: s.available && count >= MIN_SATELLITES_FOR_FIX, constellations: Object.freeze(constellations) });
}
