import type { RigClock, TimerId } from '../../harness/clock/index.ts';
import type { Deframer } from '../../harness/devices/device-kind.ts';
import { toHex } from '../../harness/trace/index.ts';
import { comparerFor, firstDifference, shortHex, type FrameComparer } from './frame-match.ts';
import { SAME_INSTANT_MS, type PortScript } from './script.ts';

export interface PlayerOptions {
  /** Names the recording in messages (its file). */
  source: string;
  /** The replayed device, as the recording names it. */
  device: string;
  /** Rig time of the recording's start on this rig's clock. */
  start: number;
  /**
   * How late a frame the recording expects may come, ms of rig time past the instant the recording's timing
   * puts it at, before the replay calls it missing.
   */
  lateMs: number;
}

export interface PlayerOutputs {
  send(port: string, bytes: Uint8Array): void;
  baud(port: string, baud: number): void;
  /** Called once, at the first divergence; the player then does nothing more. */
  diverged(message: string): void;
}

/** A recorded instant and when it happened in this run: what later ones are timed from. */
interface Anchor {
  rec: number;
  at: number;
}

interface PortPlay {
  script: PortScript;
  /** Frames received and matched so far, and the rig time each was whole. */
  matchedAt: number[];
  /** Outputs done so far, and the rig time each was done. */
  doneAt: number[];
  /** For each input, how many outputs came strictly before it in the recording. */
  outputsBefore: number[];
  deframer?: Deframer;
  comparer: FrameComparer;
  /** A byte stream port: bytes received and not yet matched. */
  pending: number[];
  outputTimer?: TimerId;
  lateTimer?: TimerId;
}

/**
 * Plays a DUT's side of a recording on the rig clock (src/devices/replay/README in README.md, "Record and
 * replay"). Per port, independently:
 *  - each frame the rig sends (split by the port's codec, or a byte stream) must be the next one the recording
 *    has the rig send; a different frame, a frame after the last, or an expected frame later than `lateMs` is
 *    a divergence: reported once, with both frames in hex and where, and the replay stops;
 *  - each output (bytes the DUT sent, a speed change) waits for the inputs the DUT had when it acted, and goes
 *    at its recorded offset from the later of the last of those inputs and the output before it (or from the
 *    start), so a request the DUT made by itself keeps its period and an answer keeps its delay.
 */
export class ReplayPlayer {
  private readonly ports = new Map<string, PortPlay>();
  private over = false;

  constructor(
    scripts: readonly PortScript[],
    private readonly clock: RigClock,
    private readonly options: PlayerOptions,
    private readonly out: PlayerOutputs,
  ) {
    for (const script of scripts) {
      const outputsBefore: number[] = [];
      let k = 0;
      for (const input of script.inputs) {
        while (k < script.outputs.length && script.outputs[k]!.t < input.t - SAME_INSTANT_MS) k++;
        outputsBefore.push(k);
      }
      this.ports.set(script.port, { script, matchedAt: [], doneAt: [], outputsBefore, pending: [], comparer: comparerFor(script.codec?.name, script.inputs), ...(script.codec ? { deframer: script.codec.createDeframer() } : {}) });
    }
  }

  /** The ports played, and how far each got: for the trace and tests. */
  progress(): { port: string; matched: number; inputs: number; done: number; outputs: number }[] {
    return [...this.ports.values()].map((p) => ({ port: p.script.port, matched: p.matchedAt.length, inputs: p.script.inputs.length, done: p.doneAt.length, outputs: p.script.outputs.length }));
  }

  start(): void {
    for (const play of this.ports.values()) this.advance(play);
  }

  stop(): void {
    this.over = true;
    for (const play of this.ports.values()) this.clearTimers(play);
  }

  /** Bytes the rig sent on a port; `at`: when the last of them arrived. */
  receive(port: string, bytes: Uint8Array, at: number): void {
    if (this.over) return;
    const play = this.ports.get(port);
    if (!play) {
      return this.diverge(`received ${toHex(bytes)} on port ${port}, on which the recording has no traffic (it has ${[...this.ports.keys()].join(', ')})`);
    }
    if (play.deframer) {
      let frames: Uint8Array[];
      try {
        frames = play.deframer.push(bytes);
      } catch {
        // As the script did: what the codec cannot split is dropped (script.ts).
        play.deframer = play.script.codec!.createDeframer();
        return;
      }
      for (const frame of frames) {
        if (this.over) return;
        this.matchFrame(play, frame, at);
      }
      return;
    }
    for (const b of bytes) play.pending.push(b);
    this.matchStream(play, at);
  }

  private matchFrame(play: PortPlay, frame: Uint8Array, at: number): void {
    const j = play.matchedAt.length;
    const expected = play.script.inputs[j];
    if (!expected) return this.diverge(`${this.where(play)}: the rig sent ${toHex(frame)}, after the last frame the recording has it send on this port (${j})`);
    const why = play.comparer.compare(j, frame);
    if (why !== undefined) return this.diverge(`${this.where(play)}: frame ${j + 1} of ${play.script.inputs.length} to the DUT (recorded at +${seconds(expected.t)}) ${why}`);
    this.matched(play, at);
  }

  /** A port without a codec: the bytes must continue the recorded chunks, in order. */
  private matchStream(play: PortPlay, at: number): void {
    while (play.pending.length > 0 && !this.over) {
      const j = play.matchedAt.length;
      const expected = play.script.inputs[j];
      const got = Uint8Array.from(play.pending.slice(0, expected?.bytes.length ?? play.pending.length));
      if (!expected) return this.diverge(`${this.where(play)}: the rig sent ${toHex(got)}, after the last bytes the recording has it send on this port`);
      const differs = firstDifference(expected.bytes.subarray(0, got.length), got);
      if (differs !== undefined) return this.diverge(`${this.where(play)}: chunk ${j + 1} of ${play.script.inputs.length} to the DUT (recorded at +${seconds(expected.t)}) differs at byte ${differs}: the recording has ${shortHex(expected.bytes, differs)}, the rig sent ${shortHex(got, differs)}`);
      if (got.length < expected.bytes.length) return; // more to come
      play.pending.splice(0, got.length);
      this.matched(play, at);
    }
  }

  private matched(play: PortPlay, at: number): void {
    play.matchedAt.push(at);
    this.advance(play);
  }

  /** After any progress on a port: the next output, if the inputs it waits for are in, and the watch on the next input. */
  private advance(play: PortPlay): void {
    if (this.over) return;
    this.planOutput(play);
    this.watchNextInput(play);
  }

  private planOutput(play: PortPlay): void {
    if (play.outputTimer !== undefined) return; // the next output is already on its way
    const k = play.doneAt.length;
    const output = play.script.outputs[k];
    if (!output || play.matchedAt.length < output.after) return;
    const anchor = this.anchorBefore(play, output.after, k);
    // A speed change goes as soon as what it waits for is in and out: on an outside DUT the recording only has
    // the rig assuming the DUT follows its own end (its instant is the rig's, late by the rig's own latency on
    // a wall clock), and an emulated DUT changes speed the instant it decides to. Later, the rig's first byte
    // at the new speed could arrive before it and be lost as a framing error.
    const nominal = anchor.at + (output.t - anchor.rec);
    const at = output.kind === 'baud' ? this.clock.now() : nominal;
    play.outputTimer = this.clock.schedule(at, () => {
      play.outputTimer = undefined;
      if (this.over) return;
      if (output.kind === 'bytes') this.out.send(play.script.port, output.bytes);
      else this.out.baud(play.script.port, output.baud);
      // What follows a speed change keeps its recorded offset from where the change would have been.
      play.doneAt.push(Math.max(this.clock.now(), nominal));
      this.advance(play);
    });
  }

  /** Arms the check that the next expected frame comes, unless it waits on an output of ours not yet done. */
  private watchNextInput(play: PortPlay): void {
    if (play.lateTimer !== undefined) this.clock.clearTimeout(play.lateTimer);
    play.lateTimer = undefined;
    const j = play.matchedAt.length;
    const input = play.script.inputs[j];
    if (!input) return;
    const outputs = play.outputsBefore[j]!;
    if (play.doneAt.length < outputs) return; // re-armed once they are done
    const anchor = this.anchorBefore(play, j, outputs);
    const due = anchor.at + (input.t - anchor.rec);
    play.lateTimer = this.clock.schedule(due + this.options.lateMs, () => {
      play.lateTimer = undefined;
      if (this.over || play.matchedAt.length !== j) return;
      this.diverge(`${this.where(play)}: frame ${j + 1} of ${play.script.inputs.length} to the DUT, ${shortHex(input.bytes, 0)}, due by +${seconds(due - this.options.start)} (recorded at +${seconds(input.t)}), did not come within ${this.options.lateMs} ms`);
    });
  }

  /** The later, in the recording, of input `inputs - 1` and output `outputs - 1` (or the start), with when it happened here. */
  private anchorBefore(play: PortPlay, inputs: number, outputs: number): Anchor {
    let anchor: Anchor = { rec: 0, at: this.options.start };
    if (inputs > 0) anchor = { rec: play.script.inputs[inputs - 1]!.t, at: play.matchedAt[inputs - 1]! };
    if (outputs > 0) {
      const last = play.script.outputs[outputs - 1]!;
      if (last.t >= anchor.rec) anchor = { rec: last.t, at: play.doneAt[outputs - 1]! };
    }
    return anchor;
  }

  private where(play: PortPlay): string {
    return `${this.options.source}: the replay of ${this.options.device} diverged on ${play.script.dutEnd} (link ${play.script.link}) at +${seconds(this.clock.now() - this.options.start)}`;
  }

  private diverge(message: string): void {
    if (this.over) return;
    this.stop();
    this.out.diverged(message.startsWith(this.options.source) ? message : `${this.options.source}: the replay of ${this.options.device} diverged at +${seconds(this.clock.now() - this.options.start)}: ${message}`);
  }

  private clearTimers(play: PortPlay): void {
    if (play.outputTimer !== undefined) this.clock.clearTimeout(play.outputTimer);
    if (play.lateTimer !== undefined) this.clock.clearTimeout(play.lateTimer);
    play.outputTimer = undefined;
    play.lateTimer = undefined;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

