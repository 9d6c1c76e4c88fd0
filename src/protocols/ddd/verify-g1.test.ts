import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../crypto/bytes.ts';
import { decodeEuropeanPublicKey } from '../../crypto/pki-g1/european-public-key.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { g1TestBlocks, g1TestDownload, g1TestSigner } from '../app7-records-g1/test-treps-g1.ts';
import { verifyDddG1 } from './verify-g1.ts';

const eur = TestPkiG1.of().eurPublicKeyBytes();
const roots = { europeanPublicKeys: [eur], rootCertificates: [] };
const file = g1TestDownload();
const blocks = g1TestBlocks();
/** Offset of each block's SID in the file. */
const offsets = blocks.reduce<number[]>((acc, b, i) => [...acc, i === 0 ? 0 : acc[i - 1]! + 2 + blocks[i - 1]!.data.length], []);
const NAMES = ['TREP 01 (Overview)', 'TREP 02 (Activities 2026-03-03)', 'TREP 03 (Events and faults)', 'TREP 04 (Detailed speed)', 'TREP 05 (Technical data)'];
const DOWNLOAD_TIME = Date.parse('2026-03-04T10:00:00Z'); // TREP 01 CurrentDateTime of the test download

const statuses = (v: ReturnType<typeof verifyDddG1>) => v.verdicts.map((x) => x.status);
function flip(bytes: Uint8Array, at: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[at]! ^= 0x01;
  return out;
}

describe('verifyDddG1 (App. 11 Part A: EUR.PK → MS certificate → VU certificate → each block, CSM_034/035)', () => {
  it('verifies every block of a genuine download under the European key, at the download time the file records', () => {
    expect(verifyDddG1(file, roots)).toEqual({
      at: DOWNLOAD_TIME,
      atSource: 'TREP 01 CurrentDateTime',
      verdicts: NAMES.map((block, i) => ({ block, offset: offsets[i], status: 'verified' })),
      problems: [],
      ok: true,
    });
  });

  // a byte inside each block's signed data, after SID and TREP: a letter of the VIN, the odometer at midnight,
  // the first fault's end time, a speed, a letter of the manufacturer's name (each keeps the block readable)
  const inside = [2 + 388 + 3, 2 + 5, 2 + 2 + 8, 2 + 2 + 4 + 10, 2 + 5];
  it.each(NAMES.map((name, i) => ({ name, i })))('a one-byte change in $name fails that block and no other', ({ i }) => {
    const v = verifyDddG1(flip(file, offsets[i]! + inside[i]!), roots);
    expect(v.verdicts[i]).toEqual({ block: NAMES[i], offset: offsets[i], status: 'failed', reason: expect.stringMatching(/^the RSA signature \(CSM_034\) does not verify over .* with the VU key of TREP 01$/) });
    expect(statuses(v)).toEqual(NAMES.map((_, j) => (j === i ? 'failed' : 'verified')));
    expect(v.ok).toBe(false);
    // the signature's own last byte, too
    const sigEnd = i + 1 < offsets.length ? offsets[i + 1]! - 1 : file.length - 1;
    expect(statuses(verifyDddG1(flip(file, sigEnd), roots))).toEqual(NAMES.map((_, j) => (j === i ? 'failed' : 'verified')));
  });

  it('a changed byte of the VU certificate fails every block: the chain does not open (CSM_019)', () => {
    const v = verifyDddG1(flip(file, 2 + 194 + 10), roots);
    expect(statuses(v)).toEqual(Array(5).fill('failed'));
    expect(v.verdicts[0]!.reason).toMatch(/^TREP 01 certificates: EQT certificate: /);
  });

  it('is unknown-root under a European key the MS certificate does not name (the real EC_PK), failed under a key of the same KID that is not the one', () => {
    const real = new Uint8Array(readFileSync('test/fixtures/tachograph-files/certs/erca-gen1-EC_PK.bin'));
    expect(decodeEuropeanPublicKey(real).kid).toBe('fd45432000ffff01');
    const unknown = verifyDddG1(file, { europeanPublicKeys: [real], rootCertificates: [] });
    expect(statuses(unknown)).toEqual(Array(5).fill('unknown-root'));
    expect(unknown.verdicts[2]!.reason).toBe('TREP 01 certificates: EQT.CA certificate: CAR fd45432001ffff01 names no trusted European public key');
    expect(unknown.ok).toBe(false);
    expect(statuses(verifyDddG1(file, { europeanPublicKeys: [], rootCertificates: [] }))).toEqual(Array(5).fill('unknown-root'));
    // another test hierarchy: the same KID, another key pair
    const other = verifyDddG1(file, { europeanPublicKeys: [TestPkiG1.of({ seed: 99 }).eurPublicKeyBytes()], rootCertificates: [] });
    expect(statuses(other)).toEqual(Array(5).fill('failed'));
    // with both keys given, the one named is used
    expect(verifyDddG1(file, { europeanPublicKeys: [real, eur], rootCertificates: [] }).ok).toBe(true);
  });

  it('fails every block of a file whose certificates are zeros (as anonymised files keep them), naming the certificate', () => {
    const zeroed = Uint8Array.from(file);
    zeroed.fill(0, 2, 2 + 194);
    const v = verifyDddG1(zeroed, roots);
    expect(statuses(v)).toEqual(Array(5).fill('failed'));
    expect(v.verdicts[4]!.reason).toBe('TREP 01 certificates: EQT.CA certificate: the MemberStateCertificate is 194 zero bytes: no certificate');
    zeroed.set(file.subarray(2, 196), 2);
    zeroed.fill(0, 196, 196 + 194);
    expect(verifyDddG1(zeroed, roots).verdicts[0]!.reason).toBe('TREP 01 certificates: EQT certificate: the VuCertificate is 194 zero bytes: no certificate');
  });

  it('judges the VU certificate at the download time: expired before it fails, valid up to it verifies, whatever the date today', () => {
    const expired = verifyDddG1(g1TestDownload(g1TestSigner(undefined, DOWNLOAD_TIME - 1000)), roots);
    expect(statuses(expired)).toEqual(Array(5).fill('failed'));
    expect(expired.verdicts[0]!.reason).toBe('TREP 01 certificates: EQT certificate: expired at 2026-03-04T09:59:59.000Z, checked at 2026-03-04T10:00:00.000Z');
    // ends the second of the download: valid then, though long expired by the time anyone checks the archive
    expect(verifyDddG1(g1TestDownload(g1TestSigner(undefined, DOWNLOAD_TIME)), roots).ok).toBe(true);
  });

  it('names what is wrong with the file as a whole: order, a day twice, no overview, a cut block', () => {
    const [b1, b2, , b4] = blocks;
    const block = (b: { trep: number; data: Uint8Array }) => concatBytes(Uint8Array.of(0x76, b.trep), b.data);
    const twice = verifyDddG1(concatBytes(block(b1!), block(b2!), block(b2!)), roots);
    expect(twice.problems).toEqual(['TREP 02 (Activities 2026-03-03): the day 2026-03-03 comes twice (a session downloads a day once)']);
    expect(statuses(twice)).toEqual(['verified', 'verified', 'verified']);
    const noOverview = verifyDddG1(concatBytes(block(b4!)), roots);
    expect(noOverview).toEqual({
      at: 0,
      atSource: 'none',
      verdicts: [{ block: 'TREP 04 (Detailed speed)', offset: 0, status: 'failed', reason: 'no Overview (TREP 01) in the file: no certificates to verify with' }],
      problems: ['block 1 is TREP 04 (Detailed speed): a download starts with the Overview, TREP 01 (DDP_054)', 'no Overview (TREP 01): the certificates every block is verified with are missing (DDP_054)'],
      ok: false,
    });
    const cut = verifyDddG1(file.subarray(0, offsets[3]! + 40), roots);
    expect(statuses(cut)).toEqual(['verified', 'verified', 'verified', 'failed']);
    expect(cut.verdicts[3]).toEqual({ block: 'TREP 04 (Detailed speed)', offset: offsets[3], status: 'failed', reason: `byte ${offsets[3]}: TREP 04 block: TREP 04: VuDetailedSpeedData at ${offsets[3]! + 2}: 1 × 64-byte VuDetailedSpeedBlock run past the end (36 left)` });
    expect(cut.problems).toEqual([`unreadable: ${cut.verdicts[3]!.reason}`]);
  });

  it('an empty file verifies nothing', () => {
    expect(verifyDddG1(new Uint8Array(0), roots)).toMatchObject({ verdicts: [], ok: false, problems: ['no Overview (TREP 01): the certificates every block is verified with are missing (DDP_054)'] });
  });
});
