import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDdd } from './ddd-file.ts';
import { decodeDdd, decodeDddFile } from './decode-ddd.ts';
import { testDownload, testDownloadBlocks } from './test-download.ts';

/** `rig decode <file> [--json]` on these bytes: exit code, stdout, stderr. */
function rigDecode(bytes: Uint8Array, json = false): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ddd-'));
  try {
    const path = join(dir, 'vu.ddd');
    writeFileSync(path, bytes);
    const r = spawnSync(process.execPath, ['bin/rig.js', 'decode', path, ...(json ? ['--json'] : [])], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr.replaceAll(path, 'vu.ddd') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('decodeDdd', () => {
  it('decodes each TREP into typed records', () => {
    const blocks = decodeDdd(testDownload());
    expect(blocks.map((b) => [b.trep, b.name, b.error])).toEqual([
      [0x21, 'Overview', undefined],
      [0x22, 'Activities', undefined],
      [0x23, 'Events and faults', undefined],
      [0x24, 'Detailed speed', undefined],
      [0x25, 'Technical data', undefined],
    ]);
    expect((blocks[0]!.content as { data: { vin: string } }).data.vin).toBe('WDB9634031L000001');
    expect((blocks[1]!.content as { data: { odometerAtMidnightKm: number } }).data.odometerAtMidnightKm).toBe(10);
  });

  it('is what `rig decode` prints, exit 0 for a whole download', () => {
    const r = rigDecode(testDownload(), true);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { blocks: { trep: number; name: string }[] }).blocks.map((b) => [b.trep, b.name])).toEqual([
      [0x21, 'Overview'],
      [0x22, 'Activities'],
      [0x23, 'Events and faults'],
      [0x24, 'Detailed speed'],
      [0x25, 'Technical data'],
    ]);
  });
});

describe('decodeDddFile says what is missing', () => {
  it('an empty file', () => {
    expect(decodeDddFile(new Uint8Array(0))).toEqual({ blocks: [], problems: ['empty file: no Overview (TREP 21), which every download carries (DDP_054)'] });
    const cli = rigDecode(new Uint8Array(0));
    expect([cli.status, cli.stderr]).toEqual([1, 'vu.ddd: empty file: no Overview, which every download carries (DDP_054)\n']);
    expect(cli.stdout.split('\n')[0]).toBe('VU download, unknown: 0 bytes, 0 blocks');
  });

  it('a file cut exactly between blocks: every block it holds decodes, the ones a full download has are named', () => {
    const cut = writeDdd(testDownloadBlocks().slice(0, 2));
    const r = decodeDddFile(cut);
    expect(r.blocks.map((b) => [b.trep, b.error])).toEqual([
      [0x21, undefined],
      [0x22, undefined],
    ]);
    expect(r.problems).toEqual([
      'no TREP 23 (Events and faults, DDP_031): a partial download, or the file was cut between blocks',
      'no TREP 24 (Detailed speed, DDP_032): a partial download, or the file was cut between blocks',
      'no TREP 25 (Technical data, DDP_033): a partial download, or the file was cut between blocks',
    ]);
    const cli = rigDecode(cut);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/^VU download, generation 2, version 1: 688 bytes, 2 blocks\n/);
    expect(cli.stderr.split('\n')[0]).toBe('vu.ddd: no TREP 23 (Events and faults, DDP_031): a partial download, or the file was cut between blocks');
  });

  it('a file cut inside a block: the blocks before it, and where it breaks', () => {
    const whole = testDownload();
    const r = decodeDddFile(whole.subarray(0, whole.length - 10));
    expect(r.blocks.map((b) => b.trep)).toEqual([0x21, 0x22, 0x23, 0x24]);
    // the TREP 25 block starts at byte 933; its signature array's header at byte 1096 of the file
    expect(r.problems).toEqual(['unreadable: byte 933: TREP 25 block: SignatureRecordArray at 1096: 1 × 64 bytes run past the end (54 left)']);
    expect(rigDecode(whole.subarray(0, whole.length - 10)).status).toBe(1);
  });

  it('the overview missing, or not first', () => {
    const [overview, ...rest] = testDownloadBlocks();
    expect(decodeDddFile(writeDdd(rest)).problems).toEqual(['block 1 is TREP 22: a download starts with the Overview, TREP 21 (DDP_054)']);
    expect(decodeDddFile(writeDdd([...rest, overview!])).problems).toEqual(['block 1 is TREP 22: a download starts with the Overview, TREP 21 (DDP_054)']);
  });
});
