import { describe, expect, it } from 'vitest';
import { BENCH_T0, DAY_WITH_DATA, DownloadBench, TEST_SIZES, testMessage } from '../../devices/vu/download/server-bench.ts';
import { toHex } from '../../crypto/index.ts';
import { VirtualClock } from '../clock/index.ts';
import type { LinkEnd } from '../links/index.ts';
import { downloadVu, DownloadError, type DownloadOptions, type DownloadResult } from './client.ts';


/** Runs the client against the bench's VU until it settles; rig time only. */
async function run(bench: DownloadBench, options: DownloadOptions): Promise<{ result?: DownloadResult; error?: unknown; frames: { t: number; from: string; hex: string }[] }> {
  const frames: { t: number; from: string; hex: string }[] = [];
  let done = false;
  let result: DownloadResult | undefined;
  let error: unknown;
  downloadVu(bench.ide, bench.clock, { ...options, onFrame: (f) => frames.push({ t: f.t, from: f.from, hex: toHex(f.bytes).toUpperCase() }) }).then(
    (r) => ((result = r), (done = true)),
    (e) => ((error = e), (done = true)),
  );
  for (let i = 0; i < 2000 && !done; i++) await bench.clock.advance(100);
  return { result, error, frames };
}

const ALL = [{ trtp: 0x22, date: DAY_WITH_DATA }, { trtp: 0x23 }, { trtp: 0x24 }, { trtp: 0x25 }, { trtp: 0x06, slot: 1 as const }];

describe('download client against the VU download server', () => {
  for (const baud of [9600, 115200]) {
    it(`runs a full session at ${baud} baud, paced, and returns every TREP's message`, async () => {
      const bench = await new DownloadBench().start();
      const { result, error, frames } = await run(bench, { baud, transfers: ALL });
      expect(error).toBeUndefined();
      expect(result!.baud).toBe(baud);
      expect(result!.retransmissions).toBe(0);
      expect(result!.transfers.map((t) => [t.trtp, t.ok])).toEqual([[0x21, true], [0x22, true], [0x23, true], [0x24, true], [0x25, true], [0x06, true]]);
      for (const t of result!.transfers) if (t.ok) expect(t.message).toEqual(testMessage(t.trtp, TEST_SIZES[t.trtp]!));
      // 5000 bytes of TREP 24: 20 sub-messages of 251 bytes and one of 231.
      expect(result!.transfers[3]).toMatchObject({ subMessages: 20 });
      // P3 min: every request starts at least 10 ms after the VU's previous frame ended.
      for (let i = 1; i < frames.length; i++) if (frames[i]!.from === 'ide' && frames[i - 1]!.from === 'vu') expect(frames[i]!.t - frames[i - 1]!.t).toBeGreaterThanOrEqual(10);
      expect(frames[0]!.hex).toBe('81EEF081E0');
      expect(frames.at(-1)!.hex).toBe('80F0EE01C221');
      expect(bench.ide.baud).toBe(9600);
      expect(bench.link.b.baud).toBe(9600);
      const seconds = (result!.endedAt - result!.startedAt) / 1000;
      // 7406 bytes of messages: about 8.5 s of line time at 9600 8E1, a little over 1 s at 115200.
      if (baud === 9600) expect(seconds).toBeGreaterThan(8.5);
      else expect(seconds).toBeLessThan(4);
    });
  }

  it('reports FA for a day without data and an empty slot, and goes on', async () => {
    const bench = await new DownloadBench().start();
    const { result } = await run(bench, { transfers: [{ trtp: 0x22, date: DAY_WITH_DATA + 86400 }, { trtp: 0x06, slot: 2 }] });
    expect(result!.transfers.slice(1)).toEqual([
      { trtp: 0x22, ok: false, nrc: 0xfa, reason: 'data not available' },
      { trtp: 0x06, ok: false, nrc: 0xfa, reason: 'data not available' },
    ]);
  });

  it('recovers from a corrupted frame in the middle by sending the request again (DDP_027)', async () => {
    const bench = await new DownloadBench().start();
    const frames: string[] = [];
    let flipped = false;
    // Flip one bit of the VU's 4th sub-message of the TREP 24 message as it crosses the line.
    bench.link.onEvent(() => {});
    const original = bench.link.b.write.bind(bench.link.b);
    bench.link.b.write = (bytes: Uint8Array) => {
      const copy = Uint8Array.from(bytes);
      if (!flipped && copy[4] === 0x76 && copy[5] === 0x24 && copy[7] === 4) {
        copy[100]! ^= 0x10;
        flipped = true;
      }
      frames.push(toHex(copy));
      original(copy);
    };
    const { result, error } = await run(bench, { transfers: [{ trtp: 0x24 }] });
    expect(error).toBeUndefined();
    expect(flipped).toBe(true);
    expect(result!.retransmissions).toBe(1);
    expect(result!.transfers[1]).toMatchObject({ trtp: 0x24, ok: true, message: testMessage(0x24, 5000) });
    // The 4th sub-message went out twice: the damaged copy and the good one.
    expect(frames.filter((h) => h.startsWith('80f0eeff762400 04'.replace(' ', ''))).length).toBe(2);
  });

  it('takes a one-byte answer (81 F0 EE 76 D5: SID 76 without a TREP) as damaged and asks again, instead of a TypeError', async () => {
    const bench = await new DownloadBench().start();
    let replaced = false;
    const original = bench.link.b.write.bind(bench.link.b);
    // The VU's first answer to the overview request becomes a frame whose checksum holds over SID 76 alone.
    bench.link.b.write = (bytes: Uint8Array) => {
      if (!replaced && bytes[4] === 0x76 && bytes[5] === 0x21) {
        replaced = true;
        return original(Uint8Array.of(0x81, 0xf0, 0xee, 0x76, 0xd5));
      }
      original(bytes);
    };
    const { result, error } = await run(bench, {});
    expect(error).toBeUndefined();
    expect(replaced).toBe(true);
    expect(result!.retransmissions).toBeGreaterThanOrEqual(1);
    expect(result!.transfers).toEqual([{ trtp: 0x21, ok: true, trep: 0x21, message: testMessage(0x21, TEST_SIZES[0x21]!), subMessages: expect.any(Number) }]);
  });

  it('gives up after three transmissions without an answer', async () => {
    const bench = await new DownloadBench().start();
    bench.vu.stop();
    const { error, frames } = await run(bench, {});
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toBe('start communication: no response within P2 max after 3 transmissions');
    expect(frames.map((f) => f.hex)).toEqual(['81EEF081E0', '81EEF081E0', '81EEF081E0']);
  });

  // Issue 12: P1 is a property of the line: an answer whose bytes the host handed over 40 ms apart, but that
  // arrived back to back, is not a timing error.
  it('judges P1 by the arrival times the link stamps, not by when the bytes were handed over', async () => {
    const clock = new VirtualClock({ start: BENCH_T0 });
    const listeners = new Set<(bytes: Uint8Array, at: number) => void>();
    const written: number[] = [];
    const charMs = 11 / 9.6;
    const end: LinkEnd = {
      name: 'ide.vu',
      local: true,
      baud: 9600,
      connected: true,
      timingToleranceMs: 0,
      onData: (l) => (listeners.add(l), () => listeners.delete(l)),
      setBaud: () => {},
      write: (bytes) => {
        written.push(...bytes);
        if (written.length !== 5) return; // Start Communication complete: answer it 20 ms later
        const answer = [0x80, 0xf0, 0xee, 0x03, 0xc1, 0xea, 0x8f, 0x9b];
        const start = clock.now() + charMs + 20;
        clock.schedule(start + 4 * charMs, () => listeners.forEach((l) => l(Uint8Array.from(answer.slice(0, 4)), start + 4 * charMs)));
        // the second half handed over 40 ms late, stamped when it arrived on the line
        clock.schedule(start + 4 * charMs + 40, () => listeners.forEach((l) => l(Uint8Array.from(answer.slice(4)), start + 8 * charMs)));
      },
    };
    let error: unknown;
    downloadVu(end, clock, { maxTransmissions: 1 }).catch((e) => (error = e));
    for (let i = 0; i < 100 && !error; i++) await clock.advance(100);
    // Start Communication was answered: the client went on to Start Diagnostic Session, which nobody answers.
    expect((error as Error).message).toBe('start diagnostic session: no response within P2 max after 1 transmissions');
  });
});
