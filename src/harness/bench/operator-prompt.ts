import type { RigClock } from '../clock/index.ts';

/**
 * The operator prompt: for a stimulus on a device under test that no actuator of the rig can do (insert a card
 * by hand, turn a key), the run pauses, says what to do in plain words and waits for Enter, or for its timeout
 * (then the step fails, saying so). `--yes` answers every prompt at once, for unattended runs where the step is
 * automated elsewhere. Prompting with no person to answer (input not a terminal) and no `--yes` is an error at
 * once, not a hang.
 *
 * The wait runs on the rig clock (a wall clock: only external devices are prompted for), so the rig's devices
 * go on meanwhile, as the real device under test does.
 */
export interface OperatorPromptOptions {
  /** Where the operator's Enter comes from (process.stdin). */
  input: NodeJS.ReadableStream;
  /** Where the prompt is written (process.stderr: stdout may carry --json). */
  output: NodeJS.WritableStream;
  /** Whether a person types at `input` (process.stdin.isTTY). */
  interactive: boolean;
  /** Answer every prompt at once (`rig run --yes`). */
  yes?: boolean;
  /** How long to wait for Enter, ms; default 5 minutes. */
  timeoutMs?: number;
}

export const DEFAULT_PROMPT_TIMEOUT_MS = 5 * 60_000;

export class OperatorPromptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorPromptError';
  }
}

export interface OperatorAnswer {
  /** `enter`: a person pressed Enter; `yes`: answered by --yes. */
  answer: 'enter' | 'yes';
  /** Rig ms from the prompt to the answer. */
  waitedMs: number;
}

export class OperatorPrompt {
  readonly timeoutMs: number;

  constructor(private readonly options: OperatorPromptOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROMPT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw new RangeError(`the prompt timeout must be positive, got ${this.timeoutMs}`);
  }

  /**
   * Says `instruction` ("Insert card anna ... into the driver slot of vu") and resolves when it is done: Enter,
   * or at once with --yes. Rejects with an OperatorPromptError on the timeout, on the input closing, or when
   * nobody can answer.
   */
  ask(instruction: string, clock: Pick<RigClock, 'now' | 'setTimeout' | 'clearTimeout'>): Promise<OperatorAnswer> {
    const { input, output } = this.options;
    const asked = clock.now();
    if (this.options.yes) {
      output.write(`${instruction}: answered by --yes\n`);
      return Promise.resolve({ answer: 'yes', waitedMs: 0 });
    }
    if (!this.options.interactive) {
      return Promise.reject(
        new OperatorPromptError(`cannot ask the operator to "${instruction}": the input is not a terminal; run from a terminal, or with --yes where the step is automated elsewhere`),
      );
    }
    // What was typed before the question (an Enter pressed twice) does not answer it.
    const readable = input as NodeJS.ReadableStream & { read?: () => unknown };
    while (readable.read?.() != null);
    // on a line of its own: a progress line may be on the terminal's current one
    output.write(`\n${instruction}, then press Enter (timeout ${formatWait(this.timeoutMs)}) `);
    return new Promise<OperatorAnswer>((resolve, reject) => {
      const finish = (error?: Error) => {
        clock.clearTimeout(timer);
        input.off('data', onData);
        input.off('end', onEnd);
        input.off('close', onEnd);
        input.pause(); // a flowing stdin would keep the process alive after the run
        if (error) {
          output.write('\n');
          reject(error);
        } else resolve({ answer: 'enter', waitedMs: clock.now() - asked });
      };
      const onData = (chunk: Buffer | string) => {
        if (String(chunk).includes('\n') || String(chunk).includes('\r')) finish();
      };
      const onEnd = () => finish(new OperatorPromptError(`the operator's input closed before Enter: "${instruction}" was not confirmed`));
      const timer = clock.setTimeout(
        () => finish(new OperatorPromptError(`nobody pressed Enter within ${formatWait(this.timeoutMs)} (the prompt's timeout): "${instruction}" was not confirmed`)),
        this.timeoutMs,
      );
      input.on('data', onData);
      input.once('end', onEnd);
      input.once('close', onEnd);
      input.resume();
    });
  }
}

/** 5m, 90s → 1m30s, 2h: how long a person has, in the prompt's words. */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', rest || (!h && !m) ? `${rest}s` : ''];
  return parts.join('');
}
