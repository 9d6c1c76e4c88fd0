import type { ExpectationResult } from './expectations.ts';
import type { PortTiming } from '../../harness/links/index.ts';

/**
 * The one structured record a scenario run produces (after OpenHTF's TestRecord). Every report, console,
 * JSON or JUnit, is rendered from it.
 */
export type Outcome = 'pass' | 'fail' | 'error' | 'skipped';

export interface StepResult {
  index: number;
  do: string;
  description: string;
  /** Rig time at the step's start and end, ISO 8601 UTC. */
  start?: string;
  end?: string;
  outcome: 'pass' | 'fail' | 'error' | 'not-run';
  error?: string;
  /**
   * A wait or until that began after the instant the plan puts its end at: the steps before it (a check's
   * download, an actuated stimulus) took longer than the plan left them; it ended at once, this much late.
   */
  lateMs?: number;
}

export interface Measurement {
  name: string;
  value: number;
  unit: string;
}

export interface Attachment {
  name: string;
  mediaType: string;
  /** File written beside the report, relative to the report directory. */
  path?: string;
  description?: string;
}

export interface CheckedExpectation extends ExpectationResult {
  /** The check it belongs to: a step's name, or 'end'. */
  check: string;
  /** Rig time of the check, ISO 8601 UTC. */
  at: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  file?: string;
  tags: string[];
  covers: string[];
  rig: string;
  seed: number;
  outcome: Outcome;
  /** Why it was skipped or errored, in a sentence. */
  reason?: string;
  start: string;
  /**
   * Where `start` came from: the scenario's `start` (virtual clock), or the wall clock when the run began (a
   * wall-clock rig, where a real device's clock cannot share the scenario's date), or the recording a replay
   * device plays (its run's start): windows are offsets from it.
   */
  startFrom: 'scenario' | 'wall-clock' | 'recording';
  /** Rig ms per wall ms where the run followed a stand-in's scaled time base (`rig serve --time-scale`); absent at 1. */
  timeScale?: number;
  end: string;
  wallMs: number;
  steps: StepResult[];
  measurements: Measurement[];
  expectations: CheckedExpectation[];
  errors: { source: string; message: string }[];
  attachments: Attachment[];
  /**
   * How fast each link's answering side answered (harness/links/answer-timing.ts): per link and asking port,
   * the exchanges, the answer times' p50/p99/max and the window they are held to. `clock`: the rig's; on a
   * wall clock the figures are a real device's. Absent when the rig did not start.
   */
  portTiming?: { clock: 'virtual' | 'wall'; links: PortTiming[] };
}
