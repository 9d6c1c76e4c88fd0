import { fromHex } from '../../crypto/bytes.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { encodeTrep21, encodeTrep22, encodeTrep23, encodeTrep24, encodeTrep25, type DownloadSigner } from '../app7-records/trep.ts';
import { writeDdd, type DddBlock } from './ddd-file.ts';

/**
 * A small, genuine gen2 v1 download for tests, fuzzing and benchmarks: the overview, one day of activities,
 * events and faults, detailed speed and technical data, each signed with the default test PKI's VU_Sign key.
 */
export const TEST_DOWNLOAD_DAY = Date.UTC(2026, 2, 3);
const vu = TestPki.of().vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 });
export const testDownloadSigner: DownloadSigner = { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate };
export const testDownloadRoots = [fromHex(vu.rootCertificate)];

export function testDownloadBlocks(day = TEST_DOWNLOAD_DAY): DddBlock[] {
  const signer = testDownloadSigner;
  const DAY_S = day / 1000;
  return [
    {
      trep: 0x21,
      data: encodeTrep21({ vin: 'WDB9634031L000001', registrationNumber: 'B-RIG-001', currentTime: day, minDownloadableTime: day, maxDownloadableTime: day, slots: { driver: 'none', codriver: 'none' }, lastDownload: null, companyLocks: [], controls: [] }, signer),
    },
    { trep: 0x22, data: encodeTrep22({ day, odometerAtMidnightKm: 10, cardIW: [], activities: [], places: [], gnssAccumulatedDriving: [], specificConditions: [] }, signer) },
    { trep: 0x23, data: encodeTrep23({ records: [], overSpeedingControl: { lastControl: 0, firstOverSpeedSince: 0, numberOfOverSpeedSince: 0 }, timeAdjustments: [] }, signer) },
    { trep: 0x24, data: encodeTrep24([{ begin: DAY_S, speeds: Array.from({ length: 60 }, (_, i) => i) }], signer) },
    {
      trep: 0x25,
      data: encodeTrep25(
        {
          identification: {
            manufacturerName: 'Rig Test Tachographs',
            manufacturerAddress: '1 Test Street, Brussels',
            partNumber: 'RIG-VU-2',
            serialNumber: { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 },
            softwareVersion: '0100',
            softwareInstallationDate: '2026-01-01T00:00:00Z',
            manufacturingDate: '2026-01-01T00:00:00Z',
            approvalNumber: 'e1-0001',
            generation: 2,
            supportsGen1Cards: true,
          },
          sensorPairings: [],
          gnssCouplings: [],
          calibrations: [],
          cards: [],
          itsConsents: [],
          powerSupplyInterruptions: [],
        },
        signer,
      ),
    },
  ];
}

/** The whole file, DDP_034. */
export function testDownload(day = TEST_DOWNLOAD_DAY): Uint8Array {
  return writeDdd(testDownloadBlocks(day));
}
