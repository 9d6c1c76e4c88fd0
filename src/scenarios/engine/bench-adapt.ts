import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import type { Expectation, Instant, Scenario, Step } from './schema.ts';

/**
 * What a scenario written for the emulated rigs needs to run on a bench: its device names mapped to the
 * bench's (a rig file's `aliases`), its instants made offsets from whatever start the run takes, and the
 * records of a real device under test from before the run set aside.
 */

/**
 * The scenario with every device it names renamed through `aliases` (scenario name → rig device): stimuli,
 * ports of link steps, expectations and requirements. A scenario written for loopback.yaml's `vu-egf` runs on
 * a bench whose one VU is `vu`.
 */
export function aliasScenario(scenario: Scenario, aliases: Readonly<Record<string, string>>): Scenario {
  if (Object.keys(aliases).length === 0) return scenario;
  const device = (name: string) => aliases[name] ?? name;
  const port = (ref: string) => {
    const dot = ref.indexOf('.');
    return `${device(ref.slice(0, dot))}${ref.slice(dot)}`;
  };
  const expectation = (e: Expectation): Expectation =>
    'records' in e ? { ...e, records: { ...e.records, device: device(e.records.device) } } : { ...e, absent: { ...e.absent, device: device(e.absent.device) } };
  const step = (s: Step): Step => {
    switch (s.do) {
      case 'stimulus':
        return { ...s, device: device(s.device) };
      case 'link':
        return s.port === undefined ? s : { ...s, port: port(s.port) };
      case 'check':
        return { ...s, expect: s.expect.map(expectation) };
      default:
        return s;
    }
  };
  return {
    ...scenario,
    requires: { emulated: unique(scenario.requires.emulated.map(device)), mayBeExternal: unique(scenario.requires.mayBeExternal.map(device)) },
    steps: scenario.steps.map(step),
    expect: scenario.expect.map(expectation),
  };
}

/**
 * The scenario with every absolute instant (an `until` or a window bound written as an ISO instant) turned into
 * its offset from the scenario's `start`. On a wall clock the run starts now, not at `start`: offsets keep their
 * meaning, and an instant the author wrote means the same point of the story.
 */
export function rebaseInstants(scenario: Scenario): Scenario {
  const begin = Date.parse(scenario.start);
  const offset = (i: Instant | undefined): Instant | undefined => (typeof i === 'string' ? Date.parse(i) - begin : i);
  const bounds = (b: { from?: Instant; to?: Instant }) => defined({ from: offset(b.from), to: offset(b.to) });
  // only the bounds the author wrote: an absent `window` and a window without `to` mean something
  const matcher = <M extends { window?: { from?: Instant; to?: Instant }; ended?: { from?: Instant; to?: Instant } }>(m: M): M =>
    ({ ...m, ...(m.window ? { window: bounds(m.window) } : {}), ...(m.ended ? { ended: bounds(m.ended) } : {}) }) as M;
  const expectation = (e: Expectation): Expectation => ('records' in e ? { ...e, records: matcher(e.records) } : { ...e, absent: matcher(e.absent) });
  return {
    ...scenario,
    steps: scenario.steps.map((s) => (s.do === 'until' ? { ...s, at: offset(s.at)! } : s.do === 'check' ? { ...s, expect: s.expect.map(expectation) } : s)),
    expect: scenario.expect.map(expectation),
  };
}

/**
 * The scenario with every window (`window`, `ended`) wider by `slackMs` on both sides. Later: a real device under
 * test reacts in its own time (it reads an inserted card for seconds, answers a supply cut when its capacitor
 * runs out), where the emulated one reacts in the instant the rig's clock says. Earlier: its clock is its own,
 * not the rig's (Annex IC allows it to drift; set from GNSS, it takes a fix that is up to a second old), and it
 * stamps its records with it: after time-conflict-gnss-time the stand-in's clock ran 1 to 2 s behind, and every
 * later scenario's records came that much early (the long bench run of issue 13). A rig file's `windowSlackMs`.
 */
export function widenWindows(scenario: Scenario, slackMs: number): Scenario {
  if (slackMs <= 0) return scenario;
  const shift = (i: Instant | undefined, by: number): Instant | undefined =>
    typeof i === 'number' ? i + by : typeof i === 'string' ? new Date(Date.parse(i) + by).toISOString() : i;
  const wider = (b: { from?: Instant; to?: Instant }) => ({
    ...b,
    ...(b.from !== undefined ? { from: shift(b.from, -slackMs) } : {}),
    ...(b.to !== undefined ? { to: shift(b.to, slackMs) } : {}),
  });
  const widen = <M extends { window?: { from?: Instant; to?: Instant }; ended?: { from?: Instant; to?: Instant } }>(m: M): M =>
    ({ ...m, ...(m.window ? { window: wider(m.window) } : {}), ...(m.ended ? { ended: wider(m.ended) } : {}) }) as M;
  const expectation = (e: Expectation): Expectation => ('records' in e ? { ...e, records: widen(e.records) } : { ...e, absent: widen(e.absent) });
  return {
    ...scenario,
    steps: scenario.steps.map((s) => (s.do === 'check' ? { ...s, expect: s.expect.map(expectation) } : s)),
    expect: scenario.expect.map(expectation),
  };
}

/** Where the plan puts each step's start, as an offset from the run's start (waits are measured on the plan, runner.ts). */
export function plannedOffsets(scenario: Scenario): number[] {
  const begin = Date.parse(scenario.start);
  let offset = 0;
  return scenario.steps.map((step) => {
    const at = offset;
    if (step.do === 'wait') offset += step.for;
    if (step.do === 'until') offset = Math.max(offset, typeof step.at === 'number' ? step.at : Date.parse(step.at) - begin);
    return at;
  });
}

/** How long the scenario's steps run, in rig time: on a wall clock, how long a bench waits for it. */
export function scenarioSpanMs(scenario: Scenario): number {
  const begin = Date.parse(scenario.start);
  let offset = 0;
  for (const step of scenario.steps) {
    if (step.do === 'wait') offset += step.for;
    if (step.do === 'until') offset = Math.max(offset, typeof step.at === 'number' ? step.at : Date.parse(step.at) - begin);
  }
  return offset;
}

/**
 * A real device under test keeps what earlier runs (and its life before the bench) left in its memory. A record
 * stamped before the run started is not this run's: it is set aside, and counted in the result. An activity
 * is stamped with the minute it begins (Annex IC 46): the one under way when the run starts belongs to it.
 * `clockSlackMs` (the rig's windowSlackMs): the device's clock may run that much behind the rig's, so a record
 * stamped up to that much before the start is this run's (the previous run's last records are older: its end
 * check, a download, came after them).
 */
export function splitPriorRecords(records: readonly DeviceRecord[], start: number, clockSlackMs = 0): { current: DeviceRecord[]; prior: number } {
  const minute = Math.floor(start / 60_000) * 60_000;
  const current = records.filter((r) => r.at === undefined || r.at >= (r.kind === 'activity' ? minute : start - clockSlackMs));
  return { current, prior: records.length - current.length };
}

/**
 * Why a scenario cannot run with these devices external, from its steps alone: a check that reads an external
 * VU while the vehicle moves. A real VU refuses a download in operational mode (Annex IC 12), so the bench
 * inserts a card to read it, and a card inserted while driving is itself an event (Annex IC 3.9, 0x05) that
 * the scenario did not ask for. Undefined when nothing stands in the way.
 */
export function checkWhileMoving(scenario: Scenario, externalVus: ReadonlySet<string>): string | undefined {
  let moving = false;
  for (const [index, step] of scenario.steps.entries()) {
    if (step.do === 'world' && step.name === 'speed') moving = Number((step.args as { kmh?: number } | undefined)?.kmh ?? 0) > 0;
    if (step.do === 'world' && step.name === 'stop') moving = false;
    if (step.do !== 'check' || !moving) continue;
    const read = step.expect.map((e) => ('records' in e ? e.records.device : e.absent.device)).find((d) => externalVus.has(d));
    if (read) return `step ${index} checks ${read} while the vehicle moves: on a bench the rig reads a real VU by inserting a card, and a card inserted while driving is an event of its own (Annex IC 3.9, 0x05)`;
  }
  return undefined;
}

/** How far from a scenario's start a number in a record's fields may be and still be taken for an instant of its story. */
const INSTANT_SPAN_MS = 10 * 365 * 86_400_000;

/**
 * Why a scenario cannot run on a wall clock, from its expected fields: a value that is an instant of the story
 * the scenario tells from its fixed `start` (a TimeReal in seconds, or ms since the epoch: a position's
 * timeStamp, a lock's time, a control's date). A wall-clock run starts now, not at `start`: windows are
 * offsets from the start and move with it, but a field compared deeply holds its absolute value, which the
 * device under test cannot meet. Read as such: a number within ten years of the start, as seconds or as ms
 * (no odometer, speed, counter or serial number of the rig's equipment comes near 1.4e9). Undefined when none.
 */
export function absoluteInstantInFields(scenario: Scenario): string | undefined {
  const begin = Date.parse(scenario.start);
  const instant = (value: unknown): number | undefined => {
    if (typeof value !== 'number') return undefined;
    if (Math.abs(value - begin) <= INSTANT_SPAN_MS) return value;
    if (Math.abs(value * 1000 - begin) <= INSTANT_SPAN_MS) return value * 1000;
    return undefined;
  };
  const find = (value: unknown, path: string): { path: string; value: number; at: number } | undefined => {
    const at = instant(value);
    if (at !== undefined) return { path, value: value as number, at };
    if (value === null || typeof value !== 'object') return undefined;
    for (const [key, inner] of Object.entries(value)) {
      const found = find(inner, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  };
  const inExpectations = (expectations: readonly Expectation[], where: string) => {
    for (const e of expectations) {
      const m = 'records' in e ? e.records : e.absent;
      const found = m.fields && find(m.fields, 'fields');
      if (found) {
        const offset = found.at - begin;
        return `${where} expects ${m.device} ${m.kind} ${found.path} = ${found.value}, the instant ${new Date(found.at).toISOString()} (${offset >= 0 ? '+' : '-'}${Math.abs(offset) / 1000} s from the scenario's start): a wall-clock run starts now, and a real device's records carry the instants of this run`;
      }
    }
    return undefined;
  };
  for (const [index, step] of scenario.steps.entries()) {
    if (step.do !== 'check') continue;
    const why = inExpectations(step.expect, `step ${index}`);
    if (why) return why;
  }
  return inExpectations(scenario.expect, 'the scenario');
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
