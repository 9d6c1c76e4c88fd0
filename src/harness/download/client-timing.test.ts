import { describe, expect, it } from 'vitest';
import { DownloadBench } from '../../devices/vu/download/server-bench.ts';
import { downloadServerTiming } from '../../devices/vu/download/types.ts';
import { app7PortCodec } from '../../protocols/app7/index.ts';
import { AnswerMeter, meterLink } from '../links/index.ts';
import { downloadVu, type DownloadOptions, type DownloadResult } from './client.ts';
import { clientOptionsOf } from './client-options.ts';

/** One character at 9600 and 115200 baud 8E1 (11 bits): the first byte of an answer is timed at its end. */
const CHAR_9600 = 11_000 / 9600;
const CHAR_115200 = 11_000 / 115_200;
const micro = (ms: number) => Math.round(ms * 1000) / 1000;

/** The bench's VU (answering `answerDelayMs` after each request) with a meter on its line, and the client run to its end. */
async function download(answerDelayMs: number, options: DownloadOptions) {
  const bench = await new DownloadBench({ input: { timing: downloadServerTiming(answerDelayMs) } }).start();
  const meter = new AnswerMeter({ link: 'ide~vu', requester: 'ide.vu', answerer: 'vu.download', requests: app7PortCodec, answers: app7PortCodec });
  meterLink(bench.link, meter);
  let answers = 0;
  let outcome: { result?: DownloadResult; error?: unknown } | undefined;
  downloadVu(bench.ide, bench.clock, { ...options, onAnswer: () => answers++ }).then(
    (result) => (outcome = { result }),
    (error) => (outcome = { error }),
  );
  for (let i = 0; i < 5000 && !outcome; i++) await bench.clock.advance(100);
  return { ...outcome, answers, timing: meter.summary() };
}

describe("the VU's answer times, measured on the line", () => {
  it('are the VU\'s answer delay plus one character at the line\'s rate, every exchange counted', async () => {
    // The bench's VU answers P2 min (20 ms) after a request's end; its answer's first byte lands a character later.
    const { result, error, answers, timing } = await download(20, { transfers: [{ trtp: 0x24 }] });
    expect(error).toBeUndefined();
    expect(result!.retransmissions).toBe(0);
    // start communication, start diagnostic, request upload, the overview (600 bytes: 3 sub-messages), TREP 24
    // (5000 bytes: 20 sub-messages), transfer exit, stop communication
    expect(answers).toBe(3 + 3 + 20 + 2);
    expect(timing).toEqual({ link: 'ide~vu', requester: 'ide.vu', answerer: 'vu.download', exchanges: 28, unanswered: 0, answerMs: { p50: micro(20 + CHAR_9600), p99: micro(20 + CHAR_9600), max: micro(20 + CHAR_9600) } });
    expect(timing.answerMs!.max).toBe(21.146);
  });

  it('at two rates: the exchanges before link control at 9600 baud, the rest at 115200; its confirmation has no answer', async () => {
    const { error, answers, timing } = await download(20, { baud: 115_200, transfers: [{ trtp: 0x24 }] });
    expect(error).toBeUndefined();
    expect(answers).toBe(29); // as above, and link control's first stage
    // 3 answers at 9600 (start communication, start diagnostic, link control), 26 at 115200: p99 is rank 29 of 29
    expect(timing).toMatchObject({ exchanges: 29, unanswered: 1, answerMs: { p50: micro(20 + CHAR_115200), p99: micro(20 + CHAR_9600), max: micro(20 + CHAR_9600) } });
    expect(timing.answerMs!.p50).toBe(20.095);
  });
});

describe('a VU slower than App. 7 allows, and a widened P2 max', () => {
  // A VU answering 3.5 s after each request: within App. 7's P2 max (1 s) nothing comes, three times over.
  const SLOW = 3500;

  it('fails with App. 7\'s P2 max (the control)', async () => {
    const { error, timing } = await download(SLOW, { ...clientOptionsOf({}) });
    expect(String(error)).toMatch(/start communication: no response within P2 max after 3 transmissions/);
    // the VU answered a copy it had ignored while busy: the line shows it late, and after the IDE had given up
    expect(timing.unanswered).toBeGreaterThanOrEqual(2);
  });

  it('succeeds with P2 max widened to 4 s, each answer 3.5 s and a character after its request', async () => {
    const { result, error, answers, timing } = await download(SLOW, { ...clientOptionsOf({ timing: { p2MaxMs: 4000 } }) });
    expect(error).toBeUndefined();
    expect(result!.retransmissions).toBe(0);
    expect(result!.transfers.map((t) => [t.trtp, t.ok])).toEqual([[0x21, true]]);
    expect(answers).toBe(3 + 3 + 2);
    expect(timing).toMatchObject({ exchanges: 8, unanswered: 0, answerMs: { p50: micro(SLOW + CHAR_9600), p99: micro(SLOW + CHAR_9600), max: 3501.146 } });
  });
});
