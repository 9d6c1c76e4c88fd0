import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { OperatorPrompt, OperatorPromptError, formatWait } from './operator-prompt.ts';

const INSTRUCTION = 'Insert card anna (driver card B000000012345601, PEETERS Anna) into the driver slot of vu';

/** A prompt on injected streams and a virtual clock: what it wrote, and the operator's keyboard. */
function operator(options: { interactive?: boolean; yes?: boolean; timeoutMs?: number } = {}) {
  const input = new PassThrough();
  let written = '';
  const output = new Writable({
    write(chunk, _encoding, callback) {
      written += String(chunk);
      callback();
    },
  });
  const clock = new VirtualClock({ start: Date.parse('2026-12-05T06:00:00Z') });
  const prompt = new OperatorPrompt({ input, output, interactive: options.interactive ?? true, yes: options.yes, timeoutMs: options.timeoutMs });
  return { input, clock, prompt, written: () => written };
}

describe('operator prompt', () => {
  it('says what to do in plain words and waits for Enter, however long it takes within the timeout', async () => {
    const o = operator();
    const answer = o.prompt.ask(INSTRUCTION, o.clock);
    expect(o.written()).toBe(`\n${INSTRUCTION}, then press Enter (timeout 5m) `);
    await o.clock.advance(299_000);
    o.input.write('\n');
    await expect(answer).resolves.toEqual({ answer: 'enter', waitedMs: 299_000 });
  });

  it('times out: the step fails, saying that nobody pressed Enter and what was not confirmed', async () => {
    const o = operator({ timeoutMs: 90_000 });
    const answer = o.prompt.ask(INSTRUCTION, o.clock);
    expect(o.written()).toContain('then press Enter (timeout 1m30s) ');
    const failed = expect(answer).rejects.toThrow(new OperatorPromptError(`nobody pressed Enter within 1m30s (the prompt's timeout): "${INSTRUCTION}" was not confirmed`));
    await o.clock.advance(90_000);
    await failed;
    // a later Enter answers nothing
    o.input.write('\n');
  });

  it('does not take an Enter typed before the question', async () => {
    const o = operator({ timeoutMs: 1000 });
    o.input.write('\n');
    const answer = o.prompt.ask(INSTRUCTION, o.clock);
    const failed = expect(answer).rejects.toThrow(OperatorPromptError);
    await o.clock.advance(1000);
    await failed;
  });

  it('fails when the input closes before Enter', async () => {
    const o = operator();
    const answer = o.prompt.ask(INSTRUCTION, o.clock);
    o.input.end();
    await expect(answer).rejects.toThrow(`the operator's input closed before Enter: "${INSTRUCTION}" was not confirmed`);
  });

  it('answers at once with --yes, saying so', async () => {
    const o = operator({ yes: true, interactive: false });
    await expect(o.prompt.ask(INSTRUCTION, o.clock)).resolves.toEqual({ answer: 'yes', waitedMs: 0 });
    expect(o.written()).toBe(`${INSTRUCTION}: answered by --yes\n`);
  });

  it('with no terminal and no --yes, prompting is an error at once, not a hang', async () => {
    const o = operator({ interactive: false });
    await expect(o.prompt.ask(INSTRUCTION, o.clock)).rejects.toThrow(
      `cannot ask the operator to "${INSTRUCTION}": the input is not a terminal; run from a terminal, or with --yes where the step is automated elsewhere`,
    );
    expect(o.written()).toBe('');
  });

  it('answers prompt after prompt on the same input', async () => {
    const o = operator();
    const first = o.prompt.ask('Cut the power supply of vu (disconnect it)', o.clock);
    o.input.write('\r\n');
    await expect(first).resolves.toMatchObject({ answer: 'enter' });
    const second = o.prompt.ask('Connect the power supply of vu', o.clock);
    o.input.write('ok\n');
    await expect(second).resolves.toMatchObject({ answer: 'enter' });
  });

  it('words its timeout', () => {
    expect([300_000, 90_000, 30_000, 7_200_000, 3_661_000, 500].map(formatWait)).toEqual(['5m', '1m30s', '30s', '2h', '1h1m1s', '500ms']);
  });
});
