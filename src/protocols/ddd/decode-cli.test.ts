import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/bytes.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { richTrepV2Blocks } from '../app7-records/test-treps-v2.ts';
import { writeDdd } from './ddd-file.ts';
import { testDownloadSigner } from './test-download.ts';

const dir = mkdtempSync(join(tmpdir(), 'decode-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
function rig(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/rig.js', 'decode', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.replaceAll(dir, '<dir>') };
}

const genuine = writeDdd(richTrepV2Blocks(testDownloadSigner));

describe('rig decode on a gen2 v2 VU file', () => {
  it('--verify with the default test roots: a summary, the records, a verified line per block, exit 0', () => {
    const r = rig(write('v2.ddd', genuine), '--verify');
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')[0]).toBe('VU download, generation 2, version 2: 2563 bytes, 6 blocks');
    expect(r.stdout).toContain('\n  2026-03-03 06:00 driver    driving (single, card inserted)\n');
    expect(r.stdout).toContain('\n  TREP 32 (Activities 2026-03-03) (byte 770): verified\n');
    expect(r.stdout.endsWith('\n  result: everything verifies\n')).toBe(true);
  });

  it('a one-byte change: the block that fails is named, exit 1', () => {
    const damaged = Uint8Array.from(genuine);
    // TREP 35 at 1859: its VuIdentification record starts after SID, TREP and the array header (1859 + 2 + 5); byte 0 is the manufacturer name's code page
    damaged[1859 + 2 + 5 + 1] ^= 0x20;
    const r = rig(write('v2-damaged.ddd', damaged), '--verify');
    expect(r.status).toBe(1);
    const verdicts = r.stdout.split('\n').filter((l) => /^ {2}TREP .*\(byte \d+\): /.test(l));
    expect(verdicts.filter((l) => !l.endsWith(': verified') && !l.includes(': unsigned'))).toEqual([
      '  TREP 35 (Technical data) (byte 1859): failed (the signature does not verify over VuIdentificationRecordArray, VuSensorPairedRecordArray, VuSensorExternalGNSSCoupledRecordArray, VuCalibrationRecordArray, VuCardRecordArray, VuITSConsentRecordArray, VuPowerSupplyInterruptionRecordArray (SignatureRecordArray))',
    ]);
    expect(r.stdout).toContain('\n  manufacturerName: rig Test Tachographs\n');
  });

  it('--root names the trust anchors: another ERCA of the same name fails the chain (exit 1), the right one as hex verifies (exit 0); --json', () => {
    const other = write('other-root.hex', TestPki.of({ seed: 5 }).erca.certificate);
    const right = write('right-root.hex', toHex(Uint8Array.from(Buffer.from(TestPki.of().erca.certificate, 'hex'))));
    const wrong = rig(write('v2.ddd', genuine), '--verify', '--json', '--root', other);
    expect(wrong.status).toBe(1);
    const json = JSON.parse(wrong.stdout) as { verification: { ok: boolean; verdicts: { status: string; reason?: string }[] } };
    expect(json.verification.ok).toBe(false);
    // seed 5's ERCA has the same CHR as the default one: the chain is refused on its signature
    expect(json.verification.verdicts[0]).toEqual({ block: 'TREP 31 (Overview) certificates', offset: 4, status: 'failed', reason: 'EQT.CA certificate: signature does not verify with the key of fd45432001ffff01' });
    expect(rig(write('v2.ddd', genuine), '--verify', '--root', right).status).toBe(0);
  });

  it('misuse exits 2: a root file that is neither a gen1 key nor a gen2 certificate', () => {
    expect(rig(write('v2.ddd', genuine), '--verify', '--root', write('bad.root', '0102'))).toEqual({
      status: 2,
      stdout: '',
      stderr: '<dir>/bad.root: neither a gen1 European public key (144 bytes: KID 8, n 128, e 8) nor a gen2 root CV certificate (tag 7F21); 2 bytes\n',
    });
  });
});
