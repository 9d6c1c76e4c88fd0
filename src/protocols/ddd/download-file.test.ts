import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { EQUIPMENT_TYPE, issueCertificate } from '../../crypto/pki/cv-certificate.ts';
import { deriveKeyPair } from '../../crypto/pki/ec-keys.ts';
import { encodeCertificationAuthorityKid } from '../../crypto/pki/key-identifier.ts';
import { createRng } from '../../crypto/random.ts';
import { richTrepV2Blocks } from '../app7-records/test-treps-v2.ts';
import { RICH_ACTIVITIES_V2 } from '../app7-records/test-treps-v2.ts';
import type { FileVerification, VerificationRoots } from '../file-verification.ts';
import { writeDdd } from './ddd-file.ts';
import { decodeDddFile } from './decode-ddd.ts';
import { decodeDownloadFile, type DecodedVuFile } from './decode-download-file.ts';
import { TEST_DOWNLOAD_DAY, testDownload, testDownloadBlocks, testDownloadRoots, testDownloadSigner } from './test-download.ts';
import { verifyDownloadFile } from './verify-download-file.ts';

const roots: VerificationRoots = { europeanPublicKeys: [], rootCertificates: testDownloadRoots };
const vu = (file: Uint8Array) => decodeDownloadFile(file) as DecodedVuFile;
const gen2v2 = () => writeDdd(richTrepV2Blocks(testDownloadSigner));
const statuses = (v: FileVerification) => v.verdicts.map((d) => [d.block, d.offset, d.status]);

describe('decodeDownloadFile: a VU file of each generation, told by its first TREP', () => {
  it('gen2 v1: TREP 21..25 with their offsets', () => {
    const r = vu(testDownload());
    expect([r.kind, r.generation, r.problems]).toEqual(['vu', 'gen2v1', []]);
    expect(r.blocks.map((b) => [b.trep, b.name, b.offset, b.length, b.error])).toEqual([
      [0x21, 'Overview', 0, 575, undefined],
      [0x22, 'Activities', 575, 113, undefined],
      [0x23, 'Events and faults', 688, 105, undefined],
      [0x24, 'Detailed speed', 793, 140, undefined],
      [0x25, 'Technical data', 933, 232, undefined],
    ]);
  });

  it('gen2 v2: TREP 00, 31, 32, 33, 24, 35 decoded into their records', () => {
    const r = vu(gen2v2());
    expect([r.kind, r.generation, r.problems]).toEqual(['vu', 'gen2v2', []]);
    expect(r.blocks.map((b) => [b.trep, b.name, b.offset, b.error])).toEqual([
      [0x00, 'Download interface version', 0, undefined],
      [0x31, 'Overview', 4, undefined],
      [0x32, 'Activities', 770, undefined],
      [0x33, 'Events and faults', 1302, undefined],
      [0x24, 'Detailed speed', 1719, undefined],
      [0x35, 'Technical data', 1859, undefined],
    ]);
    expect(r.blocks[0]!.content).toEqual({ downloadInterfaceVersion: '0202' });
    expect((r.blocks[2]!.content as { data: unknown }).data).toEqual(RICH_ACTIVITIES_V2);
  });

  it('gen1: framed by TREP 01..05, never as gen2 record arrays (issue 14: "RecordArray(type 0xe2) at 2: ... run past the end")', () => {
    // a gen1 overview starts with the MemberStateCertificate (194 bytes, App. 1 §2.96), here e2 ... then a TREP 02 block
    const gen1 = Uint8Array.from([0x76, 0x01, 0xe2, ...new Uint8Array(193).fill(0x11), 0x76, 0x02, 0x69, 0xa6, 0x64, 0x80]);
    expect(decodeDddFile(gen1).problems[0]).toMatch(/^unreadable: byte 0: TREP 01 block: RecordArray\(type 0xe2\) at 2: .* run past the end/);
    const r = vu(gen1);
    expect(r.generation).toBe('gen1');
    expect(r.blocks[0]).toMatchObject({ trep: 0x01, name: 'Overview', offset: 0 });
    expect(JSON.stringify(r)).not.toMatch(/RecordArray/);
  });

  it('a damaged block is named with its offset and the blocks after it still decode', () => {
    const f = testDownload();
    // TREP 23 at 688: its VuFaultRecordArray header at 690 (type, recordSize 691..692 = 90, noOfRecords 693..694 = 0);
    // 255 records announced
    f[694] = 0xff;
    const r = vu(f);
    expect(r.blocks.map((b) => [b.trep, b.offset, b.error])).toEqual([
      [0x21, 0, undefined],
      [0x22, 575, undefined],
      [0x23, 688, 'VuFaultRecordArray at 690: 255 × 90 bytes run past the end (470 left)'],
      [0x24, 793, undefined],
      [0x25, 933, undefined],
    ]);
    expect(r.problems).toEqual(['unreadable: byte 688: TREP 23 block: VuFaultRecordArray at 690: 255 × 90 bytes run past the end (470 left); reading resumes at the next block, byte 793']);
  });

  it('a block of no download (TREP 99) is named, the file still reads', () => {
    const blocks = testDownloadBlocks();
    blocks[3] = { ...blocks[3]!, trep: 0x99 };
    const r = vu(writeDdd(blocks));
    expect(r.blocks.map((b) => [b.trep, b.name, b.error])).toEqual([
      [0x21, 'Overview', undefined],
      [0x22, 'Activities', undefined],
      [0x23, 'Events and faults', undefined],
      [0x99, 'unknown', 'TREP 99 is no block of a VU download (App. 7 DDP_011)'],
      [0x25, 'Technical data', undefined],
    ]);
    expect(r.problems).toEqual([
      'block 4: TREP 99 is not a block of a generation 2, version 1 VU download (TREP 21, 22, 23, 24, 25, App. 7 DDP_011)',
      'no TREP 24 (Detailed speed, DDP_032): a partial download, or the file was cut between blocks',
    ]);
  });

  it('a gen2 v2 session may open with TREP 00 before the overview, not with anything else', () => {
    const [iv, overview, ...rest] = richTrepV2Blocks(testDownloadSigner);
    expect(vu(writeDdd([overview!, iv!, ...rest])).problems).toEqual([]);
    expect(vu(writeDdd([iv!, rest[0]!, overview!, ...rest.slice(1)])).problems).toEqual(['block 2 is TREP 32: a download starts with the Overview, TREP 31 (DDP_054)']);
  });
});

describe('verifyDownloadFile: a verdict per block, judged at the download time the file records', () => {
  it('a genuine gen2 v1 download: the certificates and every block verify, at the Overview\'s CurrentDateTime', () => {
    const v = verifyDownloadFile(testDownload(), roots);
    expect(statuses(v)).toEqual([
      ['TREP 21 (Overview) certificates', 0, 'verified'],
      ['TREP 21 (Overview)', 0, 'verified'],
      ['TREP 22 (Activities 2026-03-03)', 575, 'verified'],
      ['TREP 23 (Events and faults)', 688, 'verified'],
      ['TREP 24 (Detailed speed)', 793, 'verified'],
      ['TREP 25 (Technical data)', 933, 'verified'],
    ]);
    expect([v.ok, v.at, v.atSource, v.problems]).toEqual([true, TEST_DOWNLOAD_DAY, 'TREP 21 CurrentDateTime', []]);
  });

  it('a genuine gen2 v2 download: TREP 00 is unsigned (DDP_028a), the rest verifies', () => {
    const v = verifyDownloadFile(gen2v2(), roots);
    expect(statuses(v)).toEqual([
      ['TREP 31 (Overview) certificates', 4, 'verified'],
      ['TREP 00 (Download interface version)', 0, 'unsigned'],
      ['TREP 31 (Overview)', 4, 'verified'],
      ['TREP 32 (Activities 2026-03-03)', 770, 'verified'],
      ['TREP 33 (Events and faults)', 1302, 'verified'],
      ['TREP 24 (Detailed speed)', 1719, 'verified'],
      ['TREP 35 (Technical data)', 1859, 'verified'],
    ]);
    expect([v.ok, v.at, v.atSource]).toEqual([true, Date.UTC(2026, 2, 3, 9), 'TREP 31 CurrentDateTime']);
  });

  it('a one-byte change names its block, the others still verify', () => {
    const f = gen2v2();
    // TREP 32 at 770: SID, TREP, DateOfDayDownloadedRecordArray (5 + 4), OdometerValueMidnight header (5), then the odometer's last byte
    f[770 + 2 + 9 + 5 + 2] ^= 0x01;
    const v = verifyDownloadFile(f, roots);
    expect(v.ok).toBe(false);
    expect(v.verdicts.filter((d) => d.status !== 'verified' && d.status !== 'unsigned')).toEqual([
      {
        block: 'TREP 32 (Activities 2026-03-03)',
        offset: 770,
        status: 'failed',
        reason:
          'the signature does not verify over DateOfDayDownloadedRecordArray, OdometerValueMidnightRecordArray, VuCardIWRecordArray, VuActivityDailyRecordArray, VuPlaceDailyWorkPeriodRecordArray, VuGNSSADRecordArray, VuSpecificConditionRecordArray, VuBorderCrossingRecordArray, VuLoadUnloadRecordArray (SignatureRecordArray)',
      },
    ]);
  });

  it('a block re-typed (the TREP byte is outside the signature) fails as not its TREP\'s content', () => {
    const blocks = testDownloadBlocks();
    blocks[2] = { ...blocks[2]!, trep: 0x25 };
    const v = verifyDownloadFile(writeDdd(blocks), roots);
    expect(v.verdicts[3]).toEqual({ block: 'TREP 25 (Technical data)', offset: 688, status: 'failed', reason: 'not what TREP 25 announces: TREP 25: found VuFaultRecordArray where VuIdentificationRecordArray belongs (byte 690); read as VuIdentificationRecordArray by its position' });
    expect(v.problems).toEqual(['TREP 25 (Technical data) 2 times: a session downloads it once', 'no TREP 23 (Events and faults, DDP_031): a partial download, or the file was cut between blocks']);
  });

  it('a root the MSCA does not name gives unknown-root, never verified; no root at all too', () => {
    const key = deriveKeyPair(createRng(1, 'other-root'));
    const chr = encodeCertificationAuthorityKid({ nationNumeric: 0xfd, nationAlpha: 'EC', keySerialNumber: 9, additionalInfo: 'FFFF' });
    const other = issueCertificate({ car: chr, chr, equipmentType: EQUIPMENT_TYPE.erca, curve: 'brainpoolP256r1', publicPoint: fromHex(key.publicPoint), effectiveDate: Date.UTC(2025, 0, 1), expirationDate: Date.UTC(2059, 0, 1) }, key);
    const v = verifyDownloadFile(testDownload(), { europeanPublicKeys: [], rootCertificates: [other] });
    expect(new Set(v.verdicts.map((d) => d.status))).toEqual(new Set(['unknown-root']));
    // the test MSCA's CAR is the test ERCA's CHR (nation FD 'EC', key 1), not this root's (key 9)
    expect(v.verdicts[0]!.reason).toBe('EQT.CA certificate: CAR fd45432001ffff01 names no trusted root');
    expect(v.ok).toBe(false);
    expect(verifyDownloadFile(testDownload(), { europeanPublicKeys: [], rootCertificates: [] }).verdicts[0]).toMatchObject({ status: 'unknown-root', reason: 'no gen2 root certificate given' });
  });

  it('judges the certificates at the file\'s own time: the same VU verifies in 2026 and fails once its certificate expired (2041)', () => {
    expect(verifyDownloadFile(testDownload(Date.UTC(2026, 2, 3)), roots).ok).toBe(true);
    const late = verifyDownloadFile(testDownload(Date.UTC(2041, 0, 1)), roots);
    expect([late.ok, late.at]).toEqual([false, Date.UTC(2041, 0, 1)]);
    expect(late.verdicts[0]).toMatchObject({ status: 'failed', reason: 'EQT certificate: expired at 2040-10-01T16:30:00.000Z, checked at 2041-01-01T00:00:00.000Z' });
  });

  it('an empty or foreign file is unverifiable, not verified', () => {
    expect(verifyDownloadFile(new Uint8Array(0), roots)).toEqual({ at: 0, atSource: 'none', verdicts: [], problems: ['empty file: nothing to verify'], ok: false });
  });
});
