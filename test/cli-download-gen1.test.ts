import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPkiG1 } from '../src/crypto/pki-g1/test-pki-g1.ts';
import { GEN1_TREPS, scanDddG1 } from '../src/protocols/ddd/gen1-layout.ts';
import { verifyDddG1 } from '../src/protocols/ddd/verify-g1.ts';
import type { OverviewG1 } from '../src/protocols/app7-records-g1/index.ts';
import { runRig } from './fixtures/rig-cli.ts';

const rig = runRig;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rig-cli-gen1-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rig download --format (App. 7 DDP_011: gen1 TRTP 01..05, gen2 v1 TRTP 21..25, gen2 v2 TRTP 00, 31..35)', () => {
  it("downloads the default rig's emulated VU in the gen1 format: every block typed, verified under the rig's gen1 test European key", async () => {
    const out = join(dir, 'vu-gen1.ddd');
    const d = await rig('download', '--format', 'gen1', '--out', out, '--start', '2026-03-02T08:00:00Z');
    expect([d.code, d.stderr]).toEqual([0, '']);
    const lines = d.stdout.trim().split('\n');
    expect(lines.map((l) => l.replace(/: \d+ bytes$/, ''))).toEqual(['TRTP 01', 'TRTP 02', 'TRTP 03', 'TRTP 04', 'TRTP 05', `wrote ${out} (5 blocks) at 9600 baud, 0 retransmissions`]);
    const file = new Uint8Array(await readFile(out));
    const { blocks, problem } = scanDddG1(file);
    expect(problem).toBeUndefined();
    const decoded = blocks.map((b) => ({ trep: b.trep, name: GEN1_TREPS[b.trep]!.name, content: GEN1_TREPS[b.trep]!.decode(b.data) as { data: unknown } }));
    expect(decoded.map((b) => [b.trep, b.name])).toEqual([
      [0x01, 'Overview'],
      [0x02, 'Activities'],
      [0x03, 'Events and faults'],
      [0x04, 'Detailed speed'],
      [0x05, 'Technical data'],
    ]);
    const overview = decoded[0]!.content.data as OverviewG1;
    expect(overview.vehicleIdentificationNumber).toBe('WDB9634031L000001');
    // the rig started at --start and downloaded at once: the VU's time is the rig's, a few seconds in
    expect(overview.currentDateTime).toBeGreaterThanOrEqual(Date.parse('2026-03-02T08:00:00Z'));
    expect(overview.currentDateTime).toBeLessThan(Date.parse('2026-03-02T08:01:00Z'));
    expect(verifyDddG1(file, { europeanPublicKeys: [], rootCertificates: [] }).at).toBe(overview.currentDateTime);
    const verification = verifyDddG1(file, { europeanPublicKeys: [TestPkiG1.of().eurPublicKeyBytes()], rootCertificates: [] });
    expect(verification.verdicts.map((v) => v.status)).toEqual(['verified', 'verified', 'verified', 'verified', 'verified']);
    expect(verification.ok).toBe(true);
    // the real European key did not certify the rig's test VU: nothing is claimed
    const real = new Uint8Array(await readFile('test/fixtures/tachograph-files/certs/erca-gen1-EC_PK.bin'));
    expect(verifyDddG1(file, { europeanPublicKeys: [real], rootCertificates: [] }).verdicts.map((v) => v.status)).toEqual(Array(5).fill('unknown-root'));
  });

  it('downloads gen2 v1 by default, and refuses a format it does not know as misuse', async () => {
    const out = join(dir, 'vu-gen2.ddd');
    const d = await rig('download', '--out', out);
    expect(d.code).toBe(0);
    expect(d.stdout.split('\n').filter((l) => l.startsWith('TRTP')).map((l) => l.slice(0, 7))).toEqual(['TRTP 21', 'TRTP 22', 'TRTP 23', 'TRTP 24', 'TRTP 25']);
    const bad = await rig('download', '--format', 'gen3', '--out', join(dir, 'x.ddd'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error: option '--format <format>' argument 'gen3' is invalid. a download format is 'gen1' or 'gen2v1' or 'gen2v2'");
  });

  it('downloads the version 2 VU in the gen2 v2 format (TRTP 00 first, DDP_028a), and rig decode --verify verifies it with the test roots', async () => {
    const out = join(dir, 'vu-gen2v2.ddd');
    const d = await rig('download', '--device', 'vu-v2', '--format', 'gen2v2', '--out', out);
    expect([d.code, d.stderr]).toEqual([0, '']);
    expect(d.stdout.split('\n').filter((l) => l.startsWith('TRTP')).map((l) => l.replace(/: \d+ bytes$/, ''))).toEqual(['TRTP 00', 'TRTP 31', 'TRTP 32', 'TRTP 33', 'TRTP 24', 'TRTP 35']);
    const decoded = await rig('decode', out, '--verify');
    expect([decoded.code, decoded.stderr]).toEqual([0, '']);
    expect(decoded.stdout.split('\n')[0]).toMatch(/^VU download, generation 2, version 2: \d+ bytes, 6 blocks$/);
    // a version 1 VU refuses the version 2 format: TRTP 00 and 31 not supported (NRC 12), nothing to write but the refusals
    const v1 = await rig('download', '--format', 'gen2v2', '--out', join(dir, 'v1.ddd'));
    expect(v1.stdout.split('\n').filter((l) => l.startsWith('TRTP'))).toEqual(['TRTP 00: refused, NRC 12 (sub function not supported)', 'TRTP 31: refused, NRC 12 (sub function not supported)', 'TRTP 32: refused, NRC 12 (sub function not supported)', 'TRTP 33: refused, NRC 12 (sub function not supported)', 'TRTP 24: refused, NRC 22 (conditions not correct or request sequence error)', 'TRTP 35: refused, NRC 12 (sub function not supported)']);
  });
});
