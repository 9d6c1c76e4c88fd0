import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { encodeTrep21, encodeTrep22, type DownloadSigner } from '../app7-records/trep.ts';
import { readDdd, verifyDdd, writeDdd } from './ddd-file.ts';

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
