import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WallClock } from '../src/harness/clock/index.ts';
import { downloadVu } from '../src/harness/download/index.ts';
import { NO_FAULTS, SerialLink } from '../src/harness/links/index.ts';
import { createRng } from '../src/harness/random.ts';
import { decodeTrep21 } from '../src/protocols/app7-records/index.ts';
import { verifyDdd } from '../src/protocols/ddd/index.ts';
import { decodeDdd } from '../src/protocols/ddd/decode-ddd.ts';
import { TestPki } from '../src/crypto/pki/test-pki.ts';
import { fromHex } from '../src/crypto/bytes.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

  it('completes a session with an App. 7 client written apart from the rig (Python, termios, from the frame table)', async () => {
    const path = await serve();
    const dir = mkdtempSync(join(tmpdir(), 'app7-ide-'));
    try {
      const out = join(dir, 'vu.esm');
      const client = spawn('python3', ['test/fixtures/app7-ide.py', path, out], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      client.stderr!.on('data', (chunk) => (stderr += String(chunk)));
      const [code] = await once(client, 'exit');
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      // What the outside client wrote is a valid ESM file: the rig's decoder reads it, and it verifies.
      const esm = new Uint8Array(readFileSync(out));
      const blocks = decodeDdd(esm);
      expect(blocks.map((b) => [b.trep, b.error])).toEqual([
        [0x21, undefined],
        [0x25, undefined],
      ]);
      expect((blocks[0]!.content as { data: { vin: string } }).data.vin).toBe('WDB9634031L000001');
      const root = fromHex(TestPki.of().vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 }).rootCertificate);
      expect(verifyDdd(esm, [root], Date.now())).toEqual({ ok: true, problems: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
