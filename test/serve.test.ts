import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WallClock } from '../src/harness/clock/index.ts';
import { downloadVu } from '../src/harness/download/index.ts';
import { NO_FAULTS, SerialLink } from '../src/harness/links/index.ts';
import { createRng } from '../src/harness/random.ts';
import { decodeTrep21 } from '../src/protocols/app7-records/index.ts';

let server: ChildProcess | undefined;
afterEach(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGINT');
    await once(server, 'exit');
  }
});

/** Starts `rig serve` and resolves with the path it prints for outside download equipment. */
async function serve(): Promise<string> {
  server = spawn(process.execPath, ['bin/rig.js', 'serve', '--rig', 'rigs/serve-vu.yaml'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  for await (const chunk of server.stdout!) {
    out += String(chunk);
    const path = /listens for ide\.vu on (\S+)/.exec(out)?.[1];
    if (path && out.includes('serving')) return path;
  }
  throw new Error(`rig serve ended without a path: ${out}`);
}

describe('rig serve', () => {
  it('serves an emulated VU on a pty that download equipment outside the rig completes a session with, at 9600 baud 8E1', async () => {
    const path = await serve();
    // The "outside equipment": another process's serial port on that path, driven by an App. 7 client.
    const clock = new WallClock();
    const link = new SerialLink(
      { id: 'key', ends: ['key.vu', 'vu.download'], baud: 9600, framing: { dataBits: 8, parity: 'even', stopBits: 1 }, pacing: false, faults: NO_FAULTS },
      { clock, rng: createRng(1) },
      { paths: [path, undefined] },
    );
    await link.open();
    try {
      const result = await downloadVu(link.a, clock, { transfers: [{ trtp: 0x23 }, { trtp: 0x25 }] });
      expect(result.transfers.map((t) => [t.trtp, t.ok])).toEqual([
        [0x21, true],
        [0x23, true],
        [0x25, true],
      ]);
      expect(result.baud).toBe(9600);
      const overview = result.transfers[0]!;
      expect(overview.ok && decodeTrep21(overview.message).data.vin).toBe('WDB9634031L000001');
    } finally {
      await link.close();
    }
    server!.kill('SIGINT');
    const [code] = await once(server!, 'exit');
    expect(code).toBe(0);
  });
});
