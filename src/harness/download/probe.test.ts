import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/index.ts';
import { DownloadBench } from '../../devices/vu/download/server-bench.ts';
import { DownloadError, probeVu, type ProbeResult } from './client.ts';

/** The pre-flight probe of `rig bench check`: Start Communication and Stop Communication, nothing else. */

async function probe(bench: DownloadBench): Promise<{ result?: ProbeResult; error?: unknown; frames: string[] }> {
  const frames: string[] = [];
  let done = false;
  let result: ProbeResult | undefined;
  let error: unknown;
  probeVu(bench.ide, bench.clock, { onFrame: (f) => frames.push(`${f.from} ${toHex(f.bytes).toUpperCase()}`) }).then(
    (r) => ((result = r), (done = true)),
    (e) => ((error = e), (done = true)),
  );
  for (let i = 0; i < 200 && !done; i++) await bench.clock.advance(100);
  return { result, error, frames };
}

describe('probeVu', () => {
  it('opens a session with Start Communication and closes it with Stop Communication, transferring nothing', async () => {
    const bench = await new DownloadBench().start();
    const { result, error, frames } = await probe(bench);
    expect(error).toBeUndefined();
    // App. 7 §2.2.2: 81 EE F0 81 E0, its answer C1 EA 8F (key bytes); 80 EE F0 01 82 E1, its answer C2
    expect(frames).toStrictEqual(['ide 81EEF081E0', 'vu 80F0EE03C1EA8F9B', 'ide 80EEF00182E1', 'vu 80F0EE01C221']);
    expect(toHex(result!.startAnswer).toUpperCase()).toBe('C1EA8F');
    expect(result!.transmissions).toBe(1);
    expect(result!.stopAnswered).toBe(true);
    // the answer starts P2 min (20 ms) after the request and takes 8 characters of 11 bits at 9600 baud
    expect(result!.answerMs).toBeGreaterThanOrEqual(20 + (8 * 11 * 1000) / 9600 - 1);
    expect(result!.answerMs).toBeLessThan(60);
    expect(bench.of('download.session').map((s) => s.state)).toStrictEqual(['open', 'closed']);
    expect(bench.of('download.session').at(-1)).toMatchObject({ reason: 'stop communication' });
    expect(bench.of('download.transferred')).toStrictEqual([]);
  });

  it('fails on a silent line after three transmissions of Start Communication (DDP_027)', async () => {
    const bench = new DownloadBench();
    await bench.link.open(); // the line is there, the VU is not started: nothing answers
    const { error, frames } = await probe(bench);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toBe('start communication: no response within P2 max after 3 transmissions');
    expect(frames).toStrictEqual(['ide 81EEF081E0', 'ide 81EEF081E0', 'ide 81EEF081E0']);
  });
});
