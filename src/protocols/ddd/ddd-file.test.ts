import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { encodeTrep21, encodeTrep22, type DownloadSigner } from '../app7-records/trep.ts';
import { workOf } from '../fuzz/work-meter.ts';
import { DddError, readDdd, verifyDdd, writeDdd } from './ddd-file.ts';
import { TEST_DOWNLOAD_DAY, testDownload, testDownloadBlocks, testDownloadRoots } from './test-download.ts';

const vu = TestPki.of().vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 });
const signer: DownloadSigner = { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate };
const DAY = Date.UTC(2026, 2, 3);
const roots = [fromHex(vu.rootCertificate)];

function file(): Uint8Array {
  const t21 = encodeTrep21({ vin: 'WDB9634031L000001', registrationNumber: 'B-RIG-001', currentTime: DAY, minDownloadableTime: DAY, maxDownloadableTime: DAY, slots: { driver: 'none', codriver: 'none' }, lastDownload: null, companyLocks: [], controls: [] }, signer);
  const t22 = encodeTrep22({ day: DAY, odometerAtMidnightKm: 10, cardIW: [], activities: [], places: [], gnssAccumulatedDriving: [], specificConditions: [] }, signer);
  return writeDdd([{ trep: 0x21, data: t21 }, { trep: 0x22, data: t22 }]);
}

describe('.DDD files (DDP_034)', () => {
  it('keeps SID 76 and TREP before each block and reads them back', () => {
    const f = file();
    expect([f[0], f[1]]).toEqual([0x76, 0x21]);
    const blocks = readDdd(f);
    expect(blocks.map((b) => b.trep)).toEqual([0x21, 0x22]);
    expect(verifyDdd(f, roots, DAY)).toEqual({ ok: true, problems: [] });
  });
  it('fails verification on a tampered byte and names the TREP and its record arrays', () => {
    const f = file();
    const b22 = f.indexOf(0x22, 2 + readDdd(f)[0]!.data.length);
    // the odometer at midnight: DateOfDayDownloaded (9 bytes) then the OdometerValueMidnight header (5)
    f[b22 + 1 + 9 + 5 + 2] ^= 0x01;
    const result = verifyDdd(f, roots, DAY);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      'TREP 22: signature verification failed over DateOfDayDownloadedRecordArray, OdometerValueMidnightRecordArray, VuCardIWRecordArray, VuActivityDailyRecordArray, VuPlaceDailyWorkPeriodRecordArray, VuGNSSADRecordArray, VuSpecificConditionRecordArray (SignatureRecordArray)',
    ]);
  });
  it('refuses a file whose chain does not lead to a trusted root', () => {
    const other = TestPki.of({ seed: 5 });
    const r = verifyDdd(file(), [fromHex(other.erca.certificate)], DAY);
    expect(r.problems[0]).toMatch(/^TREP 21 certificates: EQT.CA certificate: signature/);
  });
});

describe('verification checks the blocks a download produces: their TREPs are outside the signatures', () => {
  /** The file with block `index`'s TREP byte set to `trep`, every signature left as it was. */
  const retyped = (index: number, trep: number) => {
    const blocks = testDownloadBlocks();
    blocks[index] = { ...blocks[index]!, trep };
    return writeDdd(blocks);
  };

  it('a genuine full download verifies (positive control)', () => {
    expect(verifyDdd(testDownload(), testDownloadRoots, TEST_DOWNLOAD_DAY)).toEqual({ ok: true, problems: [] });
  });

  it('refuses a block whose TREP byte was changed: its content is not the one the TREP announces (DDP_029..033)', () => {
    expect(verifyDdd(retyped(2, 0x25), testDownloadRoots, TEST_DOWNLOAD_DAY)).toEqual({
      ok: false,
      problems: ['TREP 25 (Technical data) 2 times: a session downloads it once', 'TREP 25: found VuFaultRecordArray where VuIdentificationRecordArray belongs'],
    });
    expect(verifyDdd(retyped(1, 0x23), testDownloadRoots, TEST_DOWNLOAD_DAY).problems).toEqual([
      'TREP 23 (Events and faults) 2 times: a session downloads it once',
      'TREP 23: found DateOfDayDownloadedRecordArray where VuFaultRecordArray belongs',
    ]);
    expect(verifyDdd(retyped(3, 0x99), testDownloadRoots, TEST_DOWNLOAD_DAY).problems).toEqual([
      'block 4: TREP 99 is not a block of a generation 2, version 1 VU download (TREP 21..25, App. 7 DDP_011)',
    ]);
    expect(verifyDdd(retyped(0, 0x31), testDownloadRoots, TEST_DOWNLOAD_DAY).problems).toEqual([
      'block 1: TREP 31 is not a block of a generation 2, version 1 VU download (TREP 21..25, App. 7 DDP_011)',
      'block 1 is TREP 31: a download starts with the Overview, TREP 21 (DDP_054)',
      'no Overview (TREP 21): the file is unverifiable (DDP_054)',
    ]);
  });

  it('refuses an overview that is not first, and a day downloaded twice', () => {
    const [overview, activities, ...rest] = testDownloadBlocks();
    expect(verifyDdd(writeDdd([activities!, overview!, ...rest]), testDownloadRoots, TEST_DOWNLOAD_DAY).problems).toEqual([
      'block 1 is TREP 22: a download starts with the Overview, TREP 21 (DDP_054)',
    ]);
    expect(verifyDdd(writeDdd([overview!, activities!, activities!, ...rest]), testDownloadRoots, TEST_DOWNLOAD_DAY).problems).toEqual([
      'TREP 22: the day 2026-03-03 comes twice (a session downloads a day once)',
    ]);
  });

  it('an empty file does not verify', () => {
    expect(verifyDdd(new Uint8Array(0), testDownloadRoots, TEST_DOWNLOAD_DAY)).toEqual({
      ok: false,
      problems: ['empty file: no Overview (TREP 21), which every download carries (DDP_054)', 'no Overview (TREP 21): the file is unverifiable (DDP_054)'],
    });
  });
});

describe('.DDD reading is linear in the file', () => {
  /** 76 21, then arrays of 65 535 records of 0 bytes (5 bytes each), then an empty signature array. */
  const crafted = (n: number) => {
    const f = new Uint8Array(n);
    f.set([0x76, 0x21]);
    let at = 2;
    for (; at + 10 <= n; at += 5) f.set([0x0a, 0x00, 0x00, 0xff, 0xff], at);
    f.set([0x08, 0x00, 0x00, 0x00, 0x00], at);
    return f.subarray(0, at + 5);
  };

  it('refuses a record array of 65 535 records of 0 bytes at its header, before making any record (App. 1: recordSize 1..65535)', () => {
    expect(() => readDdd(crafted(2000))).toThrow(new DddError('byte 0: TREP 21 block: VehicleIdentificationNumberRecordArray at 2: 65535 records of recordSize 0 (App. 1: recordSize 1..65535)'));
    expect(verifyDdd(crafted(2000), testDownloadRoots, TEST_DOWNLOAD_DAY).problems).toEqual([
      'unreadable: byte 0: TREP 21 block: VehicleIdentificationNumberRecordArray at 2: 65535 records of recordSize 0 (App. 1: recordSize 1..65535)',
    ]);
    // was 65 535 record views per 5 bytes: 26 million for 2 kB
    const file = crafted(2000);
    expect(workOf(() => verifyDdd(file, testDownloadRoots, TEST_DOWNLOAD_DAY))).toBeLessThan(100);
  });

  it('reads and verifies a genuine file with work in proportion to its bytes', () => {
    const file = testDownload();
    expect(workOf(() => readDdd(file))).toBeLessThan(file.length);
    expect(workOf(() => verifyDdd(file, testDownloadRoots, TEST_DOWNLOAD_DAY))).toBeLessThan(20 * file.length);
  });
});
