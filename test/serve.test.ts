import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WallClock } from '../src/harness/clock/index.ts';
import { downloadVu } from '../src/harness/download/index.ts';
import { NO_FAULTS, SerialLink } from '../src/harness/links/index.ts';
import { createRng } from '../src/crypto/random.ts';
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
async function serve(trace?: string): Promise<string> {
  const args = ['bin/rig.js', 'serve', '--rig', 'rigs/serve-vu.yaml', ...(trace ? ['--trace', trace] : [])];
  server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  for await (const chunk of server.stdout!) {
    out += String(chunk);
    const path = /listens for ide\.vu on (\S+)/.exec(out)?.[1];
    if (path && out.includes('serving')) return path;
  }
  throw new Error(`rig serve ended without a path: ${out}`);
}

describe('rig serve', () => {
  it('serves an emulated VU on a pty that download equipment outside the rig completes sessions with, at 9600 baud 8E1 and after a link control at 115200', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-trace-'));
    const trace = join(dir, 'serve.jsonl');
    const path = await serve(trace);
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
      // Issue 12: at 115200 the VU's answer to Stop Communication (80 F0 EE 01 C2 21) was lost, its switch back
      // to 9600 flushing the pty; the session would end in "stop communication: no response".
      const fast = await downloadVu(link.a, clock, { baud: 115200, transfers: [{ trtp: 0x25 }] });
      expect(fast.transfers.map((t) => [t.trtp, t.ok])).toEqual([
        [0x21, true],
        [0x25, true],
      ]);
      expect(fast.baud).toBe(115200);
      expect(link.a.baud).toBe(9600);
    } finally {
      await link.close();
    }
    server!.kill('SIGINT');
    const [code] = await once(server!, 'exit');
    expect(code).toBe(0);
    // The served VU's trace (--trace): both sessions' answers to Stop Communication, the speed back at 9600.
    const entries = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; from?: string; hex?: string; event?: string; end?: string; detail?: string });
    rmSync(dir, { recursive: true, force: true });
    expect(entries.filter((e) => e.kind === 'frame' && e.from === 'vu.download' && e.hex === '80 F0 EE 01 C2 21')).toHaveLength(2);
    expect(entries.filter((e) => e.kind === 'link' && e.event === 'baud' && e.end === 'vu.download').map((e) => e.detail)).toEqual(['115200', '9600']);
  });

  it('completes sessions with an App. 7 client written apart from the rig (Python, termios, from the frame table), at 9600 and 115200 baud', async () => {
    const path = await serve();
    const dir = mkdtempSync(join(tmpdir(), 'app7-ide-'));
    try {
      const out = join(dir, 'vu.esm');
      // One program after the other on the same pty, as download tools come and go.
      for (const baud of ['115200', '9600']) {
        const client = spawn('python3', ['test/fixtures/app7-ide.py', path, out, baud], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        client.stderr!.on('data', (chunk) => (stderr += String(chunk)));
        const [code] = await once(client, 'exit');
        expect({ baud, code, stderr }).toEqual({ baud, code: 0, stderr: '' });
      }
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
