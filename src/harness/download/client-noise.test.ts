import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/index.ts';
import { DAY_WITH_DATA, DownloadBench, TEST_SIZES, testMessage, testProvider } from '../../devices/vu/download/server-bench.ts';
import type { TransferRequest } from '../../protocols/app7/index.ts';
import { downloadVu, type DownloadOptions, type DownloadResult } from './client.ts';

// Issue 12 §2: downloads over a noisy line. Each test breaks one thing on the paced 8E1 memory link between
// the rig's IDE and the VU's download server, on the virtual clock, and checks what App. 7 §2.2.5 has each
// end do: the VU ignores a damaged request (DDP_022/023) and answers a repeat as it answered the first; the
// IDE sends a request again after a damaged answer or none within P2 max (DDP_025/027), P3 min after the
// line went quiet (DDP_028), drops late copies of earlier answers, and the message it assembles is the VU's.

interface Frame {
  t: number;
  from: 'ide' | 'vu';
  hex: string;
}

/** Runs the client against the bench's VU until it settles; rig time only. */
async function run(bench: DownloadBench, options: DownloadOptions): Promise<{ result?: DownloadResult; error?: Error; frames: Frame[]; stale: string[] }> {
  const frames: Frame[] = [];
  const stale: string[] = [];
  let done = false;
  let result: DownloadResult | undefined;
  let error: Error | undefined;
  downloadVu(bench.ide, bench.clock, {
    ...options,
    onFrame: (f) => {
      options.onFrame?.(f);
      frames.push({ t: f.t, from: f.from, hex: toHex(f.bytes).toUpperCase() });
    },
    onStale: (s) => stale.push(`${s.what}: ${s.reason}`),
  }).then(
    (r) => ((result = r), (done = true)),
    (e: Error) => ((error = e), (done = true)),
  );
  for (let i = 0; i < 3000 && !done; i++) await bench.clock.advance(100);
  return { result, error, frames, stale };
}

type AnswerChange = Uint8Array | null | { heldUntil: string } | undefined;

/**
 * Breaks the line in exact places. Requests: the IDE writes them byte by byte, P4 min apart;
 * `requests(request, copy, index, byte)` gives the byte to put on the line, or null to lose it (`request`:
 * the frame's hex, `copy`: its transmission, 1, 2, ...). Answers: the VU writes a frame at a time;
 * `answers(frame, copy)` gives the bytes to put on the line, null to lose the frame, or holds it until the
 * IDE sends a request starting with `heldUntil` (it then goes out just after that request's last byte, ahead
 * of the VU's answer to it: a late copy). Pass `onFrame` in the download's options.
 */
class Tamper {
  requests: (request: string, copy: number, index: number, byte: number) => number | null = (_r, _c, _i, byte) => byte;
  answers: (frame: string, copy: number) => AnswerChange = () => undefined;
  private readonly ideCopies = new Map<string, number>();
  private readonly vuCopies = new Map<string, number>();
  private current = '';
  private index = 0;
  private held: { until: string; bytes: Uint8Array }[] = [];
  private readonly toVu: (bytes: Uint8Array) => void;
  private readonly toIde: (bytes: Uint8Array) => void;

  constructor(private readonly bench: DownloadBench) {
    this.toVu = bench.ide.write.bind(bench.ide);
    this.toIde = bench.link.b.write.bind(bench.link.b);
    bench.ide.write = (bytes: Uint8Array) => {
      for (const byte of bytes) {
        const out = this.requests(this.current, this.ideCopies.get(this.current) ?? 0, this.index++, byte);
        if (out !== null) this.toVu(Uint8Array.of(out));
      }
    };
    bench.link.b.write = (bytes: Uint8Array) => {
      const hex = toHex(bytes).toUpperCase();
      const copy = (this.vuCopies.get(hex) ?? 0) + 1;
      this.vuCopies.set(hex, copy);
      const out = this.answers(hex, copy);
      if (out === null) return;
      if (out === undefined) return this.toIde(bytes);
      if (out instanceof Uint8Array) return this.toIde(out);
      this.held.push({ until: out.heldUntil.replace(/ /g, ''), bytes });
    };
  }

  readonly onFrame: DownloadOptions['onFrame'] = (f) => {
    if (f.from !== 'ide') return;
    this.current = toHex(f.bytes).toUpperCase();
    this.ideCopies.set(this.current, (this.ideCopies.get(this.current) ?? 0) + 1);
    this.index = 0;
    const release = this.held.filter((h) => this.current.startsWith(h.until));
    this.held = this.held.filter((h) => !release.includes(h));
    // The request's bytes, P4 min (5 ms) apart at 9600 8E1, then 2 ms: before P2 min (20 ms) is out.
    const requestMs = f.bytes.length * (11 / 9.6 + 5) + 2;
    for (const h of release) this.bench.clock.setTimeout(() => this.toIde(h.bytes), requestMs);
  };
}

/** The frames one side sent more often than in `clean` (a download of the same transfers on a quiet line), sorted. */
function extra(frames: Frame[], clean: Frame[], from: 'ide' | 'vu'): string[] {
  const left = new Map<string, number>();
  for (const f of clean) if (f.from === from) left.set(f.hex, (left.get(f.hex) ?? 0) + 1);
  const out: string[] = [];
  for (const f of frames) {
    if (f.from !== from) continue;
    const n = left.get(f.hex) ?? 0;
    if (n > 0) left.set(f.hex, n - 1);
    else out.push(f.hex);
  }
  return out.sort();
}

/** Whether every frame of `clean` is in `frames` too (the noisy download missed none). */
function missing(frames: Frame[], clean: Frame[]): string[] {
  return extra(clean, frames, 'ide').concat(extra(clean, frames, 'vu'));
}

const TRANSFERS: TransferRequest[] = [{ trtp: 0x22, date: DAY_WITH_DATA }, { trtp: 0x23 }, { trtp: 0x24 }, { trtp: 0x25 }];
const ALL = [0x21, ...TRANSFERS.map((t) => t.trtp)];

/** The TREPs of a clean download: the data the VU sent, byte for byte. */
function expectWhole(result: DownloadResult | undefined, error?: Error) {
  expect(error?.message).toBeUndefined();
  expect(result!.transfers.map((t) => [t.trtp, t.ok])).toEqual(ALL.map((trtp) => [trtp, true]));
  for (const t of result!.transfers) if (t.ok) expect(toHex(t.message)).toBe(toHex(testMessage(t.trtp, TEST_SIZES[t.trtp]!)));
}

/** A frame with its checksum (the byte sum mod 256, computed here apart from the codec), as hex. */
const f = (spaced: string) => {
  const bytes = spaced.split(' ').map((b) => parseInt(b, 16));
  return toHex(Uint8Array.from([...bytes, bytes.reduce((a, b) => a + b, 0) & 0xff])).toUpperCase();
};
/** The acknowledge asking for sub-message n, of a message under SID 76 (DDP_017: MsgC+1 after MsgC). */
const ACK = (n: number) => f(`80 EE F0 04 83 76 ${(n >> 8).toString(16).padStart(2, '0')} ${(n & 0xff).toString(16).padStart(2, '0')}`);
/** Start Communication Request (DDP_005: `81 EE F0 81`, checksum E0). */
const START_COMMUNICATION = '81EEF081E0';
/** Whether a frame (hex) is sub-message n of TREP `trep`, whatever its length. */
const isSub = (frame: string, trep: number, n: number) => frame.slice(8, 16) === toHex(Uint8Array.of(0x76, trep, n >> 8, n & 0xff)).toUpperCase();
const subOf = (frames: Frame[], trep: number, n: number) => frames.filter((x) => x.from === 'vu' && isSub(x.hex, trep, n)).map((x) => x.hex);

/** The same download on a quiet line, on a bench of its own: the frames both ways, for comparison. */
async function clean(options: DownloadOptions): Promise<Frame[]> {
  const { result, error, frames } = await run(await new DownloadBench().start(), options);
  expect(error).toBeUndefined();
  expect(result!.retransmissions).toBe(0);
  return frames;
}

describe('download client on a noisy line (App. 7 §2.2.5)', () => {
  it('a byte lost in a request: the VU ignores the rest (DDP_023), the IDE sends it again after P2 max (DDP_027)', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    // The SID (83) of the first acknowledge asking for sub-message 3 (of the overview) is lost.
    line.requests = (request, copy, index, byte) => (request === ACK(3) && copy === 1 && index === 4 ? null : byte);
    const { result, error, frames } = await run(bench, { transfers: TRANSFERS, onFrame: line.onFrame });
    expectWhole(result, error);
    expect(result!.retransmissions).toBe(1);
    expect(result!.staleAnswers).toBe(0);
    const quiet = await clean({ transfers: TRANSFERS });
    expect(extra(frames, quiet, 'ide')).toEqual([ACK(3)]);
    expect(extra(frames, quiet, 'vu')).toEqual([]);
    expect(missing(frames, quiet)).toEqual([]);
    // The VU held 80 EE F0 04 76 00 03 5E (LEN 4: 3 data bytes and the checksum came) until the repeat's
    // first byte came P2 max later: a timing error, the bytes held discarded unanswered.
    const errors = bench.of('download.frameError');
    expect(errors.map((e) => e.code)).toEqual(['timing']);
    expect(errors[0]!.detail).toMatch(/^10\d\d\.\d ms after the previous byte \(P4 max 20 ms\): 80eef0047600035e$/);
    const [first, second] = frames.filter((x) => x.hex === ACK(3));
    // 9 bytes at 9600 8E1 with P4 min (5 ms) between them: the first copy ends ~50 ms in, then P2 max (1000 ms).
    expect(second!.t - first!.t).toBeGreaterThan(1000 + 45);
  });

  it('a byte lost in an answer: the IDE waits for the line to go quiet (DDP_028) and asks for the same sub-message again; no cascade', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    // Byte 100 of sub-message 2 of TREP 24 (5000 bytes: 19 full sub-messages and a short one) is lost once.
    line.answers = (frame, copy) => {
      if (!isSub(frame, 0x24, 2) || copy !== 1) return undefined;
      const bytes = Uint8Array.from(Buffer.from(frame, 'hex'));
      return Uint8Array.from([...bytes.subarray(0, 100), ...bytes.subarray(101)]);
    };
    const { result, error, frames, stale } = await run(bench, { transfers: TRANSFERS, onFrame: line.onFrame });
    expectWhole(result, error);
    expect(result!.retransmissions).toBe(1);
    expect(stale).toEqual([]);
    const quiet = await clean({ transfers: TRANSFERS });
    // The second acknowledge asking for sub-message 2 of TREP 24; the damaged copy never made a frame.
    expect(extra(frames, quiet, 'ide')).toEqual([ACK(2)]);
    expect(extra(frames, quiet, 'vu')).toEqual([]);
    expect(missing(frames, quiet)).toEqual([]);
    expect(bench.of('download.frameError')).toEqual([]);
  });

  it('a lost acknowledge: the VU sends nothing, the IDE sends it again; the VU sends that sub-message, not the next', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    line.requests = (request, copy, _i, byte) => (request === ACK(5) && copy === 1 ? null : byte);
    const { result, error, frames } = await run(bench, { transfers: [{ trtp: 0x24 }], onFrame: line.onFrame });
    expect(error).toBeUndefined();
    expect(result!.retransmissions).toBe(1);
    expect(result!.transfers[1]).toMatchObject({ trtp: 0x24, ok: true, subMessages: 20, message: testMessage(0x24, 5000) });
    const quiet = await clean({ transfers: [{ trtp: 0x24 }] });
    expect(extra(frames, quiet, 'ide')).toEqual([ACK(5)]);
    expect(extra(frames, quiet, 'vu')).toEqual([]);
    expect(missing(frames, quiet)).toEqual([]);
  });

  it('a lost sub-message: the IDE acknowledges again, the VU repeats that sub-message (DDP_017 MsgC), nothing skipped or doubled', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    line.answers = (frame, copy) => (isSub(frame, 0x24, 7) && copy === 1 ? null : undefined);
    const { result, error, frames } = await run(bench, { transfers: [{ trtp: 0x24 }], onFrame: line.onFrame });
    expect(error).toBeUndefined();
    expect(result!.retransmissions).toBe(1);
    expect(result!.transfers[1]).toMatchObject({ trtp: 0x24, ok: true, subMessages: 20, message: testMessage(0x24, 5000) });
    const quiet = await clean({ transfers: [{ trtp: 0x24 }] });
    expect(extra(frames, quiet, 'ide')).toEqual([ACK(7)]);
    expect(extra(frames, quiet, 'vu')).toEqual([]);
    expect(missing(frames, quiet)).toEqual([]);
  });

  it('a late answer and its duplicate: the answer to the repeat is taken, the late copy after it dropped, not taken for the next answer', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    // The VU's first sub-message 3 of TREP 24 reaches the line only after the IDE, having had no answer
    // within P2 max, asked again, took the answer to the repeat and asked for sub-message 4.
    line.answers = (frame, copy) => (isSub(frame, 0x24, 3) && copy === 1 ? { heldUntil: ACK(4) } : undefined);
    const { result, error, frames, stale } = await run(bench, { transfers: TRANSFERS, onFrame: line.onFrame });
    expectWhole(result, error);
    expect(result!.retransmissions).toBe(1);
    expect(result!.staleAnswers).toBe(1);
    expect(stale).toEqual(['transfer data 24 sub-message 4: a late copy of an earlier answer (its request was sent again)']);
    const quiet = await clean({ transfers: TRANSFERS });
    expect(extra(frames, quiet, 'ide')).toEqual([ACK(3)]);
    const three = subOf(quiet, 0x24, 3);
    expect(extra(frames, quiet, 'vu')).toEqual(three);
    // In order: the answer to the repeat, the late copy, then sub-message 4.
    const order = frames.filter((x) => x.from === 'vu' && x.hex.slice(8, 12) === '7624').map((x) => parseInt(x.hex.slice(12, 16), 16));
    expect(order.slice(0, 6)).toEqual([1, 2, 3, 3, 4, 5]);
  });

  it('a late copy of the overview\'s last sub-message arriving while the IDE waits for the next transfer is dropped (was: "transfer data 22: answered with TREP 21")', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    // The overview (600 bytes) ends with a short sub-message 3; its first copy is held past the IDE's repeat
    // until the IDE has asked for TREP 22.
    line.answers = (frame, copy) => (isSub(frame, 0x21, 3) && copy === 1 ? { heldUntil: '80 EE F0 06 36 22' } : undefined);
    const { result, error, stale } = await run(bench, { transfers: TRANSFERS, onFrame: line.onFrame });
    expectWhole(result, error);
    expect(result!.retransmissions).toBe(1);
    expect(stale).toEqual(['transfer data 22: a late copy of an earlier answer (its request was sent again)']);
  });

  it('a bit flipped in a request: a checksum error the VU ignores (DDP_023); in an answer: one the IDE asks again for (DDP_025)', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    // The checksum of `80 EE F0 02 36 23 B9` (events and faults) becomes B8; bit 0 of byte 120 of sub-message 4
    // of TREP 22 flips.
    line.requests = (request, copy, index, byte) => (request === '80EEF0023623B9' && copy === 1 && index === 6 ? byte ^ 0x01 : byte);
    line.answers = (frame, copy) => {
      if (!isSub(frame, 0x22, 4) || copy !== 1) return undefined;
      const bytes = Uint8Array.from(Buffer.from(frame, 'hex'));
      bytes[120]! ^= 0x01;
      return bytes;
    };
    const { result, error, frames } = await run(bench, { transfers: TRANSFERS, onFrame: line.onFrame });
    expectWhole(result, error);
    expect(result!.retransmissions).toBe(2);
    expect(bench.of('download.frameError').map((e) => [e.code, e.detail])).toEqual([['bad-checksum', 'checksum B8, expected B9']]);
    const quiet = await clean({ transfers: TRANSFERS });
    expect(extra(frames, quiet, 'ide')).toEqual(['80EEF0023623B9', ACK(4)].sort());
    // The damaged copy of sub-message 4 is a frame with a bad checksum: the IDE saw it, and the good one.
    expect(extra(frames, quiet, 'vu')).toHaveLength(1);
    expect(missing(frames, quiet)).toEqual([]);
  });

  it('a lost answer to Transfer Exit: the VU answers the repeat alike (was: "negative response 22")', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    line.answers = (frame, copy) => (frame === '80F0EE0177D6' && copy === 1 ? null : undefined);
    const { result, error, frames } = await run(bench, { transfers: TRANSFERS, onFrame: line.onFrame });
    expectWhole(result, error);
    expect(result!.retransmissions).toBe(1);
    const quiet = await clean({ transfers: TRANSFERS });
    expect(extra(frames, quiet, 'ide')).toEqual(['80EEF0013796']);
    expect(extra(frames, quiet, 'vu')).toEqual([]);
  });

  it('a lost answer to Stop Communication: the data is complete; the IDE waits until the VU has ended the session itself', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    line.answers = (frame) => (frame === '80F0EE01C221' ? null : undefined);
    const { result, error, frames } = await run(bench, { transfers: TRANSFERS, baud: 115200, onFrame: line.onFrame });
    expectWhole(result, error);
    expect(result!.stopAnswered).toBe(false);
    expect(result!.retransmissions).toBe(2);
    expect(frames.filter((x) => x.hex === '80EEF00182E1')).toHaveLength(3);
    expect(bench.of('download.session').map((s) => [s.state, s.reason])).toEqual([
      ['open', 'start communication'],
      ['closed', 'stop communication'],
    ]);
    expect(bench.ide.baud).toBe(9600);
    expect(bench.link.b.baud).toBe(9600);
    // A second download on the same line starts at once.
    const again = await run(bench, { transfers: [{ trtp: 0x23 }], onFrame: line.onFrame });
    expect(again.error).toBeUndefined();
    expect(again.frames[0]!.hex).toBe('81EEF081E0');
    expect(again.result!.retransmissions).toBe(2); // its Stop Communication, unanswered again
  });

  it('a lost link control confirmation (stage 2, no answer): nothing answers at the new rate; the IDE downloads again at 9600 in a new session', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    line.requests = (request, copy, _i, byte) => (request === '80EEF003870203ED' && copy === 1 ? null : byte);
    const { result, error, frames } = await run(bench, { transfers: TRANSFERS, baud: 115200, onFrame: line.onFrame });
    expectWhole(result, error);
    expect(result!.sessions).toBe(2);
    expect(result!.baud).toBe(9600);
    // Three Request Uploads at 115200 that the VU, at 9600, did not understand; Stop Communication at 9600,
    // answered (the VU was still in its first session); the second session, at 9600.
    const requests = frames.filter((x) => x.from === 'ide').map((x) => x.hex);
    const upload = '80EEF00A3500000000' + '00FFFFFFFF99';
    expect(requests.slice(0, 9)).toEqual(['81EEF081E0', '80EEF0021081F1', '80EEF004870101' + '05F0', '80EEF003870203ED', upload, upload, upload, '80EEF00182E1', '81EEF081E0']);
    expect(requests.filter((x) => x === upload)).toHaveLength(4);
    expect(bench.of('download.session').map((s) => s.state)).toEqual(['open', 'closed', 'open', 'closed']);
    expect(bench.of('download.baud')).toEqual([]);
  });

  it('a message that breaks off (an acknowledge unanswered three times) is requested again (DDP_003): the same message from sub-message 1, not fetched again', async () => {
    let fetches = 0;
    const bench = await new DownloadBench({
      provider: {
        transferData: (r) => {
          if (r.trtp === 0x24) fetches++;
          return testProvider.transferData(r);
        },
      },
    }).start();
    const line = new Tamper(bench);
    // Every copy of sub-message 9 of TREP 24 is lost while the first request for TREP 24 stands.
    let requests = 0;
    line.requests = (request, _c, index, byte) => {
      if (request === '80EEF0023624BA' && index === 0) requests++;
      return byte;
    };
    line.answers = (frame) => (isSub(frame, 0x24, 9) && requests === 1 ? null : undefined);
    const { result, error, frames } = await run(bench, { transfers: [{ trtp: 0x24 }], onFrame: line.onFrame });
    expect(error).toBeUndefined();
    expect(result!.restartedTransfers).toBe(1);
    expect(result!.retransmissions).toBe(2);
    expect(result!.transfers[1]).toMatchObject({ trtp: 0x24, ok: true, subMessages: 20, message: testMessage(0x24, 5000) });
    expect(fetches).toBe(1);
    const quiet = await clean({ transfers: [{ trtp: 0x24 }] });
    const acks = Array.from({ length: 8 }, (_, i) => ACK(i + 2));
    expect(extra(frames, quiet, 'ide')).toEqual(['80EEF0023624BA', ...acks, ACK(9), ACK(9)].sort());
    expect(extra(frames, quiet, 'vu')).toEqual([1, 2, 3, 4, 5, 6, 7, 8].flatMap((n) => subOf(quiet, 0x24, n)).sort());
    expect(bench.of('download.transferred').filter((t) => t.trep === 0x24)).toHaveLength(1);
  });

  it('a message that breaks off in all three requests of a session: a new session asks for what is still missing and completes the download', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    // Sub-message 9 of TREP 24 is lost in all nine sendings of the first session (3 requests x 3 transmissions)
    line.answers = (frame, copy) => (isSub(frame, 0x24, 9) && copy <= 9 ? null : undefined);
    const { result, error, frames } = await run(bench, { transfers: [{ trtp: 0x22, date: DAY_WITH_DATA }, { trtp: 0x24 }], onFrame: line.onFrame });
    expect(error).toBeUndefined();
    expect(result!.sessions).toBe(2);
    expect(result!.transfers.map((t) => (t.ok ? [t.trtp, toHex(t.message)] : [t.trtp, t.nrc]))).toEqual([
      [0x21, toHex(testMessage(0x21, TEST_SIZES[0x21]!))],
      [0x22, toHex(testMessage(0x22, TEST_SIZES[0x22]!))],
      [0x24, toHex(testMessage(0x24, TEST_SIZES[0x24]!))],
    ]);
    expect(frames.filter((x) => x.hex === START_COMMUNICATION)).toHaveLength(2);
    // The overview again (DDP_054: first in every session), the day already in not asked for again
    const requests = frames.filter((x) => x.from === 'ide' && x.hex.slice(6, 10) === '0236' || x.from === 'ide' && x.hex.slice(6, 10) === '0636');
    expect(requests.map((x) => x.hex.slice(10, 12))).toEqual(['21', '22', '24', '24', '24', '21', '24']);
  });

  it('a message that breaks off every time it is requested: the download fails after three requests in each of five sessions, naming each break', async () => {
    const bench = await new DownloadBench().start();
    const line = new Tamper(bench);
    line.answers = (frame) => (isSub(frame, 0x24, 9) ? null : undefined);
    const { error, frames } = await run(bench, { transfers: [{ trtp: 0x24 }], onFrame: line.onFrame });
    expect(error?.message).toBe(
      'transfer data 24: requested 3 times (DDP_003), the message broke off each time: ' +
        'transfer data 24 sub-message 9: no response within P2 max after 3 transmissions / ' +
        'transfer data 24 (request 2) sub-message 9: no response within P2 max after 3 transmissions / ' +
        'transfer data 24 (request 3) sub-message 9: no response within P2 max after 3 transmissions (session 5; 1 transfers were in)',
    );
    // Each session got the overview through, so the next asked for TREP 24 again, up to maxSessions (5)
    expect(frames.filter((x) => x.hex === ACK(9))).toHaveLength(45);
    expect(frames.filter((x) => x.hex === START_COMMUNICATION)).toHaveLength(5);
    // The session is ended before the error is given (DDP_015), so the next starts at 9600 at once.
    expect(frames.at(-2)!.hex).toBe('80EEF00182E1');
    expect(frames.at(-1)!.hex).toBe('80F0EE01C221');
  });
});

/** Of the 20 seeded downloads below, those that complete (the seeds, the line and the rules fix it). */
const COMPLETED_OF_20 = 20;

describe('download client on a seeded noisy line', () => {
  // 20 downloads (half at 115200 after link control) with 0.1 % of the bytes lost and 0.01 % of the bits
  // flipped both ways: 0.18 % of the bytes damaged, a 260-byte sub-message exchange fails 38 % of the time and
  // three transmissions in a row 5.5 % (App. 7 allows no more, DDP_027): one session completes a download of
  // these 31 exchanges about a fifth of the time; transfers requested again (DDP_003) and new sessions for
  // what is missing complete all 20 (with 3 starts and one session: 10; README, Benchmarks). What must hold:
  // a download that completes has the VU's bytes exactly, and one that fails says which request failed after
  // the regulation's transmissions, never a refusal or a short message.
  it('every download either completes with the VU\'s bytes exactly or fails after the regulation\'s transmissions, naming the request', async () => {
    let completed = 0;
    let retransmitted = 0;
    let restarted = 0;
    let resumed = 0;
    const failures: string[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const bench = await new DownloadBench({ seed, faults: { dropRate: 0.001, bitFlipRate: 0.0001 } }).start();
      const { result, error } = await run(bench, { transfers: TRANSFERS, baud: seed % 2 === 0 ? 115200 : 9600 });
      bench.vu.stop();
      if (result) {
        expectWhole(result);
        completed++;
        retransmitted += result.retransmissions;
        restarted += result.restartedTransfers;
        if (result.sessions > 1) resumed++;
      } else {
        expect(error!.name).toBe('DownloadError');
        expect((error as { nrc?: number }).nrc).toBeUndefined();
        expect(error!.message).toMatch(/^(start communication|start diagnostic session|link control 115200|request upload|transfer data 2[1-5]( \(request [23]\))?( sub-message \d+)?): .*(after 3 transmissions|requested [23] times \(DDP_003\)).*$/);
        failures.push(error!.message);
      }
    }
    // The seeded outcome (the bench has the statistics): faults did happen and were recovered from.
    expect(completed + failures.length).toBe(20);
    expect(completed).toBe(COMPLETED_OF_20);
    expect(retransmitted).toBeGreaterThan(completed);
    expect(restarted).toBeGreaterThan(0);
    expect(resumed).toBeGreaterThan(0);
  }, 60_000);
});
