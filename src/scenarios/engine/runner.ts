import { mkdir, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { join, relative } from 'node:path';
import { rigTimeOn, type TimeBase } from '../../harness/clock/index.ts';
import { Rig, type RigPlan } from '../../harness/rig/rig-runtime.ts';
import { recordingFileName } from '../../harness/record/index.ts';
import { actuatorFor } from '../../harness/bench/actuators.ts';
import type { OperatorPrompt } from '../../harness/bench/operator-prompt.ts';
import { scenarioPlan, scenarioReferences } from './scope.ts';
import { absoluteInstantInFields, aliasScenario, checkWhileMoving, plannedOffsets, rebaseInstants, splitPriorRecords, widenWindows } from './bench-adapt.ts';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import type { TraceEntry } from '../../harness/trace/index.ts';
import { formatDuration } from './duration.ts';
import { evaluateExpectations, resolveInstant } from './expectations.ts';
import type { Attachment, CheckedExpectation, Outcome, ScenarioResult, StepResult } from './result.ts';
import type { Expectation, Scenario, Step } from './schema.ts';
import { END_OF_RUN, renderRecordsAttachment, type CheckRead } from './records-attachment.ts';

export interface Progress {
  scenario: string;
  /** Rig time reached, ms since the epoch. */
  rigTime: number;
  /** Rig time elapsed since the scenario start. */
  elapsed: number;
  step?: number;
  state: 'running' | Outcome;
  /** Where the suite is (runSuite): this scenario's place, how many, and the wall time the rest may take, ms. */
  suite?: { index: number; total: number; remainingMs?: number };
}

export interface RunOptions {
  /** Overrides the scenario's and the rig's seed. */
  seed?: number;
  /** Directory for attachments (the trace); nothing is written without it. */
  reportDir?: string;
  /** The file the scenario came from, for reports. */
  file?: string;
  onProgress?: (progress: Progress) => void;
  /**
   * Builds every device of the rig, not only those the scenario names and what they are wired to
   * (`scenarioPlan`). For a bench where an unnamed device must still be driven, or to compare.
   */
  wholeRig?: boolean;
  /**
   * A wall-clock limit for the run, ms (`rig run --timeout`): past it the scenario stops at the next slice of
   * rig time (an hour of virtual time, a second of wall time) or step, as an error saying where it got to.
   */
  timeoutMs?: number;
  /**
   * Keeps the trace in memory and returns it (default true). Without it a run holds no entries, only counts
   * them, and skips decoding frames and watching transitions unless `reportDir` asks for the trace file.
   */
  keepTrace?: boolean;
  /**
   * Records the bytes on the links of the device(s) under test to `<dir>/<scenario id>.recording.jsonl`
   * (`rig run --record`, src/harness/record/): `dut` names them, default the rig's external devices.
   */
  record?: { dir: string; dut?: readonly string[] };
  /**
   * Asks a person for a stimulus on an external device that no actuator of the rig can do (`rig run --prompt`,
   * `--yes`). Without it, a scenario with such a stimulus is skipped, saying which.
   */
  operator?: OperatorPrompt;
  /**
   * Returns what each check read (`ScenarioRun.reads`) without a report directory: the golden records test
   * (test/golden/) compares them with the records kept from before a change. Only the checks' reads: the
   * report's own read at the end of the run (END_OF_RUN) is a download more, made only with `reportDir`.
   */
  collectReads?: boolean;
}

export interface ScenarioRun {
  result: ScenarioResult;
  trace: readonly TraceEntry[];
  /** What each check read, in order: with `collectReads` or `reportDir`. */
  reads?: readonly CheckRead[];
}

/** Long waits run in slices so progress can be reported; slicing does not change what happens when. */
const SLICE_MS = { virtual: 3_600_000, wall: 1000 } as const;

/**
 * Builds the rig, runs the steps on its clock, evaluates the expectations and tears the rig down.
 * Always returns a result: a failed expectation is 'fail'; a step that throws, a device that crashes or
 * a rig that cannot start is 'error'; a rig that cannot satisfy the scenario's requirements is 'skipped'.
 */
export async function runScenario(written: Scenario, rigPlan: RigPlan, options: RunOptions = {}): Promise<ScenarioRun> {
  // A bench's devices may stand for the names the scenario was written with; on a wall clock the run starts now
  const wall = rigPlan.clock === 'wall';
  const aliased = aliasScenario(written, rigPlan.aliases ?? {});
  // Instants as offsets from the start also where a device fixes the start (a replay of a wall-clock run):
  // the same as the scenario's instants when the start is the scenario's.
  const rebase = wall || fixedRun(rigPlan)?.start !== undefined;
  const scenario = widenWindows(rebase ? rebaseInstants(aliased) : aliased, rigPlan.windowSlackMs ?? 0);
  const plan = options.wholeRig ? rigPlan : scenarioPlan(scenario, rigPlan);
  const wallStart = performance.now();
  // A device may fix the run's start and seed (a replay: those of its recording).
  const fixed = fixedRun(plan);
  const start = fixed?.start ?? (wall ? await nextWholeSecond(plan.timeBase) : Date.parse(scenario.start));
  const seed = fixed?.seed ?? options.seed ?? scenario.seed ?? plan.seed;
  const result: ScenarioResult = {
    id: scenario.id,
    title: scenario.title,
    file: options.file,
    tags: scenario.tags,
    covers: scenario.covers,
    rig: plan.name,
    seed,
    outcome: 'pass',
    start: iso(start),
    startFrom: fixed?.start !== undefined ? 'recording' : wall ? 'wall-clock' : 'scenario',
    ...(wall && plan.timeBase && { timeScale: plan.timeBase.scale }),
    end: iso(start),
    wallMs: 0,
    steps: scenario.steps.map((step, index) => ({ index, do: step.do, description: describeStep(step), outcome: 'not-run' })),
    measurements: [],
    expectations: [],
    errors: [],
    attachments: [],
  };
  const progress = (state: Progress['state'], rigTime: number, step?: number) =>
    options.onProgress?.({ scenario: scenario.id, rigTime, elapsed: rigTime - start, step, state });
  const overdue = (rigTime: number) => {
    if (options.timeoutMs === undefined || performance.now() - wallStart <= options.timeoutMs) return;
    throw new Error(`stopped by the wall-clock limit of ${formatDuration(options.timeoutMs)} (--timeout) at rig time ${iso(rigTime)} (+${formatDuration(Math.max(0, Math.floor(rigTime - start)))})`);
  };

  const unmet = unmetRequirements(scenario, plan, { prompts: options.operator !== undefined });
  if (unmet) {
    result.outcome = 'skipped';
    result.reason = unmet;
    result.wallMs = performance.now() - wallStart;
    progress('skipped', start);
    return { result, trace: [] };
  }

  const traceFile = options.reportDir ? join(options.reportDir, `${scenario.id}.trace.jsonl`) : undefined;
  const recordFile = options.record ? join(options.record.dir, recordingFileName(scenario.id)) : undefined;
  // A replay plays an external device: its records are read as that device's were (playsExternal).
  const external = new Set(plan.devices.filter((d) => d.mode === 'external' || d.kind.playsExternal).map((d) => d.name));
  const prior = new Map<string, number>();
  const read = async (rig: Rig, device: string, kinds?: ReadonlySet<string>): Promise<DeviceRecord[]> => {
    const records = await rig.records(device, kinds ? { kinds } : undefined);
    if (!external.has(device)) return records;
    const split = splitPriorRecords(records, start, rigPlan.windowSlackMs ?? 0);
    prior.set(device, Math.max(prior.get(device) ?? 0, split.prior));
    return split.current;
  };
  // what each check read, for `<id>.records.json` (only with a report directory)
  const reads: CheckRead[] = [];
  const noteRead = options.reportDir || options.collectReads ? (r: CheckRead) => reads.push(r) : undefined;
  let endAt: number | undefined;
  let rig: Rig;
  try {
    rig = await Rig.start(plan, {
      start,
      seed,
      traceFile,
      keepTrace: options.keepTrace ?? true,
      ...(options.operator ? { operator: options.operator } : {}),
      ...(recordFile ? { record: { file: recordFile, scenario: scenario.id, ...(options.record?.dut ? { dut: options.record.dut } : {}) } } : {}),
    });
  } catch (error) {
    result.outcome = 'error';
    result.reason = `the rig did not start: ${message(error)}`;
    result.errors.push({ source: 'rig', message: message(error) });
    result.wallMs = performance.now() - wallStart;
    progress('error', start);
    return { result, trace: [] };
  }
  if (recordFile) {
    result.attachments.push({ name: 'recording', mediaType: 'application/x-ndjson', path: options.reportDir ? relative(options.reportDir, recordFile) : recordFile, description: "the bytes on the links of the device under test, for a replay (src/harness/record/recording.ts)" });
  }
  if (traceFile) result.attachments.push({ name: 'trace', mediaType: 'application/x-ndjson', path: `${scenario.id}.trace.jsonl`, description: 'frames, transitions, stimuli and link events in rig-time order' });

  try {
    // a real device under test keeps the bench as the last run left it: cards out, supply on, before step 0
    const reset = external.size > 0 ? await rig.resetBench().then(() => undefined, (error: unknown) => message(error)) : undefined;
    if (reset) {
      result.reason = `the bench could not be reset before step 0: ${reset}`;
      result.errors.push({ source: 'bench', message: reset });
    }
    // The plan: where the steps put the story, in rig time from the start. A wait is measured from the plan,
    // not from where the step before it ended: a check (a download, on a bench a card read first) and an
    // actuated stimulus (a relay, an operator) take time the author did not write, seconds on a wall clock,
    // and later windows must not slide by them. A step whose planned instant has passed runs at once, late.
    let planned = start;
    for (const [index, step] of reset ? [] : scenario.steps.entries()) {
      const record = result.steps[index]!;
      if (step.do === 'wait') planned += step.for;
      if (step.do === 'until') planned = Math.max(planned, resolveInstant(step.at, start));
      if ((step.do === 'wait' || step.do === 'until') && rig.clock.now() > planned) {
        record.lateMs = rig.clock.now() - planned;
      }
      record.start = iso(rig.clock.now());
      rig.trace.record({ kind: 'step', index, description: record.description, phase: 'start' });
      progress('running', rig.clock.now(), index);
      try {
        overdue(rig.clock.now());
        const checked = await runStep(step, rig, planned, start, read, noteRead, (t) => {
          progress('running', t, index);
          overdue(t);
        });
        result.expectations.push(...checked);
        record.outcome = checked.some((e) => e.outcome === 'fail') ? 'fail' : 'pass';
      } catch (error) {
        record.outcome = 'error';
        record.error = message(error);
        result.reason ??= `step ${index} (${record.description}) failed: ${message(error)}`;
      }
      record.end = iso(rig.clock.now());
      rig.trace.record({ kind: 'step', index, description: record.description, phase: 'end', outcome: record.outcome });
      if (record.outcome === 'error') break;
    }
    if (!reset && !result.steps.some((s) => s.outcome === 'error') && scenario.expect.length > 0) {
      result.expectations.push(...(await check('end', scenario.expect, rig, start, read, noteRead)));
    }
    endAt = rig.clock.now();
    if (noteRead && options.reportDir && !reset) noteRead(await finalRead(rig, plan, reads, read));
  } catch (error) {
    result.reason ??= `the expectations could not be read: ${message(error)}`;
    result.errors.push({ source: 'records', message: message(error) });
  } finally {
    // the report's own read at the end of the run (finalRead) is not part of the story: the run ends before it
    result.end = iso(endAt ?? rig.clock.now());
    await rig.close();
  }
  if (options.reportDir) result.attachments.push(...(await writeRecordAttachments(options.reportDir, scenario.id, reads, rig)));

  result.errors.push(...rig.errors, ...rig.host.errors.map((e) => ({ source: e.device, message: e.message })));
  result.expectations = uniqueNames(result.expectations);
  const failedExpectations = result.expectations.filter((e) => e.outcome === 'fail');
  if (result.errors.length > 0 || result.steps.some((s) => s.outcome === 'error')) {
    result.outcome = 'error';
    result.reason ??= `${result.errors[0]!.source}: ${result.errors[0]!.message}`;
  } else if (failedExpectations.length > 0) {
    result.outcome = 'fail';
    result.reason = failedExpectations.map((e) => `${e.name}: ${e.message}`).join('; ');
  }
  result.wallMs = performance.now() - wallStart;
  const rigSpan = Date.parse(result.end) - start;
  const trace = rig.trace.entries;
  result.measurements.push(
    { name: 'rig time', value: rigSpan, unit: 'ms' },
    { name: 'wall time', value: Math.round(result.wallMs), unit: 'ms' },
    { name: 'speed-up', value: result.wallMs > 0 ? Math.round(rigSpan / result.wallMs) : 0, unit: 'rig/wall' },
    { name: 'frames', value: rig.trace.counted('frame'), unit: 'count' },
    // waits and untils the steps before them overran (a slow check or actuation): the story ran late there
    ...(result.steps.some((st) => st.lateMs !== undefined)
      ? [{ name: 'steps begun after their planned end', value: result.steps.filter((st) => st.lateMs !== undefined).length, unit: 'count' }]
      : []),
    // a real device's records from before this run, not judged (splitPriorRecords)
    ...[...prior].map(([device, n]) => ({ name: `${device}: records from before the run, set aside`, value: n, unit: 'count' })),
  );
  // Transitions are watched only when the trace is read (kept or written).
  if (rig.trace.detailed) result.measurements.push({ name: 'transitions', value: rig.trace.counted('transition'), unit: 'count' });
  result.portTiming = { clock: rig.clock.mode, links: rig.portTiming() };
  progress(result.outcome, Date.parse(result.end));
  return { result, trace, ...(noteRead ? { reads } : {}) };
}

type ReadRecords = (rig: Rig, device: string, kinds?: ReadonlySet<string>) => Promise<DeviceRecord[]>;

/** `planned`: the instant the plan puts the end of a wait or an until at (runScenario). */
async function runStep(step: Step, rig: Rig, planned: number, start: number, read: ReadRecords, noteRead: NoteRead | undefined, onSlice: (t: number) => void): Promise<CheckedExpectation[]> {
  switch (step.do) {
    case 'wait':
    case 'until':
      await runTo(rig, planned, onSlice);
      return [];
    case 'stimulus':
      // an external device's stimulus goes to a bench actuator or the operator, and waits until it is done
      await rig.actuate(step.device, step.name, step.args ?? {});
      return [];
    case 'world':
      rig.worldAction(step.name, step.args ?? {});
      return [];
    case 'link':
      rig.linkAction({ link: step.link, port: step.port }, step.action, step.faults, step.direction);
      return [];
    case 'check':
      return check(step.name ?? 'check', step.expect, rig, start, read, noteRead);
  }
}

async function runTo(rig: Rig, target: number, onSlice: (t: number) => void): Promise<void> {
  const slice = SLICE_MS[rig.clock.mode];
  while (rig.clock.now() < target) {
    await rig.clock.runUntil(Math.min(target, rig.clock.now() + slice));
    onSlice(rig.clock.now());
  }
}

async function check(name: string, expectations: readonly Expectation[], rig: Rig, start: number, read: ReadRecords, noteRead?: NoteRead): Promise<CheckedExpectation[]> {
  const devices = new Set(expectations.map((e) => ('records' in e ? e.records.device : e.absent.device)));
  const records = new Map<string, DeviceRecord[]>();
  // the kinds each device's matchers name: a source may read what costs extra only when asked (RecordSource.read)
  const kindsOf = (device: string) => new Set(expectations.map((e) => ('records' in e ? e.records : e.absent)).filter((m) => m.device === device).flatMap((m) => (m.kind === undefined ? [] : [m.kind])));
  for (const device of devices) records.set(device, await read(rig, device, kindsOf(device)));
  const at = iso(rig.clock.now());
  noteRead?.({ check: name, at, devices: Object.fromEntries(records) });
  return evaluateExpectations(expectations, (d) => records.get(d) ?? [], start).map((r) => ({ ...r, check: name, at }));
}

type NoteRead = (read: CheckRead) => void;

/**
 * A report run's read after the last check (END_OF_RUN): every emulated device of the plan with a record source
 * that the scenario's end check did not read. A device that cannot be read (the run broke it) is noted, not fatal.
 */
async function finalRead(rig: Rig, plan: RigPlan, reads: readonly CheckRead[], read: ReadRecords): Promise<CheckRead> {
  const last = reads.at(-1);
  const readAtEnd = new Set(last?.check === 'end' ? Object.keys(last.devices) : []);
  const devices: Record<string, DeviceRecord[]> = {};
  const errors: Record<string, string> = {};
  for (const d of plan.devices) {
    if (d.mode !== 'emulated' || !d.kind.records || readAtEnd.has(d.name)) continue;
    try {
      devices[d.name] = await read(rig, d.name);
    } catch (error) {
      errors[d.name] = message(error);
    }
  }
  return { check: END_OF_RUN, at: iso(rig.clock.now()), devices, ...(Object.keys(errors).length ? { errors } : {}) };
}

/** Writes `<id>.records.json` and each device's last record file (a VU's .DDD), and returns their attachments. */
async function writeRecordAttachments(dir: string, id: string, reads: CheckRead[], rig: Rig): Promise<Attachment[]> {
  await mkdir(dir, { recursive: true });
  const attachments: Attachment[] = [];
  const recordsFile = `${id}.records.json`;
  await writeFile(join(dir, recordsFile), renderRecordsAttachment({ scenario: id, reads }));
  attachments.push({ name: 'records', mediaType: 'application/json', path: recordsFile, description: 'the records each check read, per device, and at the end of the run' });
  const devices = [...new Set(reads.flatMap((r) => Object.keys(r.devices)))];
  for (const device of devices) {
    const file = rig.recordFile(device);
    if (!file) continue;
    const path = `${id}.${device}.${file.extension}`;
    await writeFile(join(dir, path), file.bytes);
    attachments.push({ name: `${device}.${file.extension}`, mediaType: file.mediaType, path, description: file.description });
  }
  return attachments;
}

/**
 * Expectation names are unique within a scenario, so a report can refer to one: explicit names are refused
 * twice by validation; a name made from the matcher ("vu event code 0x0A") that repeats, in a mid-run check
 * and at the end say, gets " #2", " #3" in the order evaluated.
 */
export function uniqueNames<T extends { name: string }>(list: readonly T[]): T[] {
  const seen = new Map<string, number>();
  return list.map((e) => {
    const n = (seen.get(e.name) ?? 0) + 1;
    seen.set(e.name, n);
    return n === 1 ? e : { ...e, name: `${e.name} #${n}` };
  });
}

type FixedRun = ReturnType<NonNullable<RigPlan['devices'][number]['kind']['fixesRun']>>;

/** What the devices of the plan fix of the run (DeviceKind.fixesRun), each: several replays of one recording agree. */
function fixedRuns(plan: RigPlan): FixedRun[] {
  return plan.devices.flatMap((d) => d.kind.fixesRun?.(d.options) ?? []);
}

/** What a device of the plan fixes of the run: the first that fixes anything (unmetRequirements refuses disagreement). */
function fixedRun(plan: RigPlan): FixedRun | undefined {
  return fixedRuns(plan)[0];
}

/**
 * Why this rig cannot run the scenario, or undefined when it can. A stimulus on an external device needs a
 * bench actuator of the rig that can do it, or operator prompts (`prompts`: `rig run --prompt` or `--yes`),
 * and must be one a real device can be made to do (not `emulatedOnly`: its clock, its memory). On a wall
 * clock no expected field may hold an instant of the scenario's fixed story; with an external VU no check
 * may read it while the vehicle moves.
 */
export function unmetRequirements(scenario: Scenario, plan: RigPlan, options: { prompts?: boolean } = {}): string | undefined {
  const [fixed, ...others] = fixedRuns(plan);
  const other = others.find((o) => o.start !== fixed!.start || o.seed !== fixed!.seed || o.scenario !== fixed!.scenario);
  if (other) return `${fixed!.why} and ${other.why}: they fix different runs (start, seed or scenario), and a run has one`;
  if (fixed?.scenario !== undefined && fixed.scenario !== scenario.id) return `${fixed.why}: it plays scenario '${fixed.scenario}' only`;
  for (const device of scenario.requires.emulated) {
    const d = plan.devices.find((x) => x.name === device);
    if (!d) return `rig ${plan.name} has no device '${device}'`;
    if (d.mode !== 'emulated') return `device '${device}' is external on rig ${plan.name}, and the scenario needs it emulated`;
  }
  // the bench's own external hardware (a relay board, a supply) that the scenario never names is no concern of it
  const named = scenarioReferences(scenario).devices;
  for (const d of plan.devices) {
    if (d.mode === 'external' && named.has(d.name) && !scenario.requires.mayBeExternal.includes(d.name)) {
      return `device '${d.name}' is external on rig ${plan.name}, and the scenario does not say it may be`;
    }
  }
  for (const [index, step] of scenario.steps.entries()) {
    if (step.do !== 'stimulus') continue;
    const d = plan.devices.find((x) => x.name === step.device);
    const inside = d?.mode === 'external' ? d.kind.stimuli[step.name]?.emulatedOnly : undefined;
    if (inside) return `step ${index} (${describeStep(step)}): '${step.name}' acts inside the device (${inside}), which neither an actuator nor a person can do to the real '${d!.name}' of rig ${plan.name}`;
  }
  if (!options.prompts) {
    for (const [index, step] of scenario.steps.entries()) {
      if (step.do !== 'stimulus') continue;
      const external = externalStimulus(plan, step);
      if (!external || external.actuator) continue;
      return `step ${index} (${describeStep(step)}): no actuator of rig ${plan.name} can apply stimulus '${step.name}' to external device '${external.device}', and operator prompts are off (rig run --prompt, or --yes)`;
    }
  }
  const tooShort = holdsTooShort(scenario, plan);
  if (tooShort) return tooShort;
  const unreadable = unreadableRecords(scenario, plan);
  if (unreadable) return unreadable;
  if (plan.clock === 'wall') {
    const absolute = absoluteInstantInFields(scenario);
    if (absolute) return absolute;
  }
  const externalVus = new Set(plan.devices.filter((d) => d.mode === 'external' && d.kind.kind === 'vu').map((d) => d.name));
  if (externalVus.size > 0) return checkWhileMoving(scenario, externalVus);
  return undefined;
}

/** A stimulus step on an external device of the plan, and the actuator that can apply it with its (checked) arguments, if any. */
function externalStimulus(plan: RigPlan, step: Extract<Step, { do: 'stimulus' }>): { device: string; actuator?: ReturnType<typeof actuatorFor> } | undefined {
  const d = plan.devices.find((x) => x.name === step.device);
  if (d?.mode !== 'external') return undefined;
  const spec = d.kind.stimuli[step.name];
  const parsed = spec && (spec.argsFor?.({ name: d.name, options: d.options }) ?? spec.args).safeParse(step.args ?? {});
  return { device: d.name, actuator: parsed?.success ? actuatorFor(plan, d.name, step.name, parsed.data) : undefined };
}

/**
 * A stimulus an actuator makes and the next one of the same name (the supply off, then on) closer on the plan
 * than the actuator can hold it (ActuatorSpec.shortestHold): a 150 ms cut through a SCPI lab supply lasts about
 * a second, a different story (an interruption, 0x08, where the author meant none).
 */
function holdsTooShort(scenario: Scenario, plan: RigPlan): string | undefined {
  const offsets = plannedOffsets(scenario);
  for (const [i, step] of scenario.steps.entries()) {
    if (step.do !== 'stimulus') continue;
    const hold = externalStimulus(plan, step)?.actuator?.shortestHold;
    if (!hold) continue;
    const j = scenario.steps.findIndex((s, k) => k > i && s.do === 'stimulus' && s.device === step.device && s.name === step.name);
    if (j < 0 || offsets[j]! - offsets[i]! >= hold.ms) continue;
    return `steps ${i} and ${j} (${describeStep(step)}, then ${describeStep(scenario.steps[j]!)}) are ${formatDuration(offsets[j]! - offsets[i]!)} apart on the plan, shorter than the actuator of rig ${plan.name} can hold: ${hold.why}`;
  }
  return undefined;
}

/**
 * A `records` expectation (one that needs at least one record) of a kind that only the emulation reveals
 * (`RecordKindSpec.emulatedOnly`: the VU's memory read directly, a message on its display), on an external
 * device: a real one's download never gives it. An `absent` of such a kind is let through, and holds trivially.
 */
function unreadableRecords(scenario: Scenario, plan: RigPlan): string | undefined {
  const needsOne = (count: unknown) => count === undefined || (typeof count === 'number' ? count > 0 : ((count as { min?: number }).min ?? 0) > 0);
  const find = (expectations: readonly Expectation[], where: string) => {
    for (const e of expectations) {
      if (!('records' in e) || !needsOne(e.records.count)) continue;
      const d = plan.devices.find((x) => x.name === e.records.device);
      const why = d?.mode === 'external' ? d.kind.recordKinds?.[e.records.kind]?.emulatedOnly : undefined;
      if (why) return `${where} expects ${e.records.kind} records of ${d!.name}, which only its emulation gives (${why}): the real '${d!.name}' of rig ${plan.name} never does`;
    }
    return undefined;
  };
  for (const [index, step] of scenario.steps.entries()) {
    const why = step.do === 'check' ? find(step.expect, `step ${index}`) : undefined;
    if (why) return why;
  }
  return find(scenario.expect, 'the scenario');
}

export function describeStep(step: Step): string {
  switch (step.do) {
    case 'wait':
      return `wait ${formatDuration(step.for)}${step.note ? ` (${step.note})` : ''}`;
    case 'until':
      return `until ${typeof step.at === 'number' ? `+${formatDuration(step.at)}` : step.at}`;
    case 'stimulus':
      return `${step.device}: ${step.name}${step.args && Object.keys(step.args).length ? ` ${JSON.stringify(step.args)}` : ''}`;
    case 'world':
      return `world: ${step.name}${step.args && Object.keys(step.args).length ? ` ${JSON.stringify(step.args)}` : ''}`;
    case 'link':
      return `link ${step.link ?? step.port}: ${step.action}${step.faults ? ` ${JSON.stringify(step.faults)}` : ''}`;
    case 'check':
      return `check ${step.name ?? ''}`.trim();
  }
}

/**
 * A wall-clock run starts on a whole second: records of the equipment are stamped in whole seconds (App. 1
 * TimeReal), so a window of `10s to 12s` means the same seconds on the bench as on the virtual clock.
 */
async function nextWholeSecond(timeBase: TimeBase = { scale: 1, anchor: 0 }): Promise<number> {
  // on a scaled time base (a stand-in DUT faster than the wall) the next whole second of its rig time
  const wait = (1000 - (rigTimeOn(timeBase) % 1000)) / timeBase.scale;
  await new Promise((resolve) => setTimeout(resolve, wait));
  // the timer fires a few ms late: the run's start is the second it waited for (rig time trails by those ms)
  return Math.floor(rigTimeOn(timeBase) / 1000) * 1000;
}

function iso(t: number): string {
  return new Date(Math.floor(t)).toISOString();
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
