import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { encodeTrep21, encodeTrep22, type DownloadSigner } from '../app7-records/trep.ts';
import { writeDdd } from './ddd-file.ts';
import { decodeDdd } from './decode-ddd.ts';

const vu = TestPki.of().vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 });
const signer: DownloadSigner = { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate };
const DAY = Date.UTC(2026, 2, 3);

function file(): Uint8Array {
  const t21 = encodeTrep21({ vin: 'WDB9634031L000001', registrationNumber: 'B-RIG-001', currentTime: DAY, minDownloadableTime: DAY, maxDownloadableTime: DAY, slots: { driver: 'none', codriver: 'none' }, lastDownload: null, companyLocks: [], controls: [] }, signer);
  const t22 = encodeTrep22({ day: DAY, odometerAtMidnightKm: 10, cardIW: [], activities: [], places: [], gnssAccumulatedDriving: [], specificConditions: [] }, signer);
  return writeDdd([{ trep: 0x21, data: t21 }, { trep: 0x22, data: t22 }]);
}

describe('decodeDdd', () => {
  it('decodes each TREP into typed records', () => {
    const blocks = decodeDdd(file());
    expect(blocks.map((b) => [b.trep, b.name, b.error])).toEqual([
      [0x21, 'Overview', undefined],
      [0x22, 'Activities', undefined],
    ]);
    expect((blocks[0]!.content as { data: { vin: string } }).data.vin).toBe('WDB9634031L000001');
    expect((blocks[1]!.content as { data: { odometerAtMidnightKm: number } }).data.odometerAtMidnightKm).toBe(10);
  });

  it('is what `rig decode` prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddd-'));
    try {
      const path = join(dir, 'vu.ddd');
      writeFileSync(path, file());
      const out = JSON.parse(execFileSync(process.execPath, ['bin/rig.js', 'decode', path, '--json'], { encoding: 'utf8' })) as { trep: number; name: string }[];
      expect(out.map((b) => [b.trep, b.name])).toEqual([
        [0x21, 'Overview'],
        [0x22, 'Activities'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
