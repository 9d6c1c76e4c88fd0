import { describe, expect, it } from 'vitest';
import { richTrepV2Blocks } from '../app7-records/test-treps-v2.ts';
import { writeDdd } from './ddd-file.ts';
import { decodeDownloadFile } from './decode-download-file.ts';
import { downloadJson, downloadText, isoTime, jsonValue } from './download-file-report.ts';
import { testDownloadRoots, testDownloadSigner } from './test-download.ts';
import { verifyDownloadFile } from './verify-download-file.ts';

const file = writeDdd(richTrepV2Blocks(testDownloadSigner));
const roots = { europeanPublicKeys: [], rootCertificates: testDownloadRoots };

describe('jsonValue: times as ISO 8601 UTC by App. 1 field name, bytes as hex', () => {
  it('converts ms and TimeReal seconds by the unit given, by magnitude otherwise', () => {
    expect(jsonValue({ entryTime: Date.UTC(2026, 2, 3, 8, 15), begin: 1772525700, minute: 495, raw: Uint8Array.of(0xca, 0xfe) }, 'ms')).toEqual({
      entryTime: '2026-03-03T08:15:00Z',
      begin: '1970-01-21T12:22:05.700Z', // a seconds value read as ms: the unit given wins
      minute: 495,
      raw: 'cafe',
    });
    expect(jsonValue({ begin: 1772525700 }, 's')).toEqual({ begin: '2026-03-03T08:15:00Z' });
    expect([isoTime(1772525700), isoTime(1772525700000)]).toEqual(['2026-03-03T08:15:00Z', '2026-03-03T08:15:00Z']);
  });
});

describe('rig decode output of a gen2 v2 VU file', () => {
  const decoded = decodeDownloadFile(file);

  it('starts with a summary: kind and generation, identification, period covered, counts per record type', () => {
    expect(downloadText(decoded, file.length).split('\n').slice(0, 5)).toEqual([
      'VU download, generation 2, version 2: 2563 bytes, 6 blocks',
      "  identification: vehicleIdentificationNumber WDB9634031L000001; vehicleRegistrationNation 6; vehicleRegistrationNumber B-RIG-001; vuManufacturerName Rig Test Tachographs; vuSerialNumber serial 1, 01/26, type 6, manufacturer '40'H; vuApprovalNumber e1-0002; vuSoftwareVersion 0100; vuDigitalMapVersion EU-2025.12; vuGeneration 2",
      '  period covered: firstDay 2026-03-03; lastDay 2026-03-03; days 1; currentDateTime 2026-03-03T09:00:00Z; downloadablePeriod minDownloadableTime 2026-03-02T00:00:00Z, maxDownloadableTime 2026-03-03T08:00:00Z',
      '  records: VuCompanyLocksRecord 1, VuControlActivityRecord 1, VuCardIWRecord 1, ActivityChangeInfo 2, VuPlaceDailyWorkPeriodRecord 1, VuGNSSADRecord 1, SpecificConditionRecord 1, VuBorderCrossingRecord 1, VuLoadUnloadRecord 2, VuFaultRecord 1, VuEventRecord 1, VuOverSpeedingEventRecord 1, VuTimeAdjustmentRecord 1, VuDetailedSpeedBlock 1, SensorPairedRecord 1, SensorExternalGNSSCoupledRecord 1, VuCalibrationRecord 1, VuCardRecord 1, VuITSConsentRecord 1, VuPowerSupplyInterruptionRecord 1',
      '  problems: none',
    ]);
  });

  it('then the records readably: activities as lines, events by App. 1 name, cards and positions as phrases', () => {
    const text = downloadText(decoded, file.length);
    expect(text).toContain('\n== TREP 32 (Activities 2026-03-03), byte 770, 532 bytes\nday: 2026-03-03T00:00:00Z\nodometerAtMidnightKm: 1534\n');
    expect(text).toContain('\nactivities:\n  2026-03-03 00:00 driver    break-rest (single, card not-inserted)\n  2026-03-03 06:00 driver    driving (single, card inserted)\n');
    expect(text).toContain(
      "\nborderCrossings:\n  - cardNumberAndGenDriverSlot: driver card B000000012345601 '06'H gen 2\n    cardNumberAndGenCodriverSlot: none\n    countryLeft: 6\n    countryEntered: 13\n    gnssPlaceAuthRecord:\n      timeStamp: 2026-03-03T08:00:00Z\n      gnssAccuracy: 12\n      geoCoordinates: 50°46.0'N 6°1.0'E\n      authenticationStatus: authenticated\n    vehicleOdometerValue: 1350\n",
    );
    expect(text).toContain("\n  2026-03-03T00:01:40Z .. 2026-03-03T00:03:20Z event '07'H over speeding, purpose 0, similar 3, cards at begin driver card B000000012345601 '06'H gen 2 / none, maxSpeed 104, averageSpeed 95\n");
    expect(text).toContain('\n    byDefaultLoadType: goods\n    calibrationCountry: 6\n    calibrationCountryTimestamp: 2026-03-02T23:59:00Z\n');
    expect(text).not.toMatch(/\b[0-9a-f]{64,}\b/); // no record as hex (certificates and signatures are not shown as text)
  });

  it('with --verify, one line per block', () => {
    const lines = downloadText(decoded, file.length, verifyDownloadFile(file, roots)).split('\n');
    expect(lines.slice(lines.indexOf('verification (certificates judged at 2026-03-03T09:00:00Z, TREP 31 CurrentDateTime):'))).toEqual([
      'verification (certificates judged at 2026-03-03T09:00:00Z, TREP 31 CurrentDateTime):',
      '  TREP 31 (Overview) certificates (byte 4): verified',
      '  TREP 00 (Download interface version) (byte 0): unsigned (DDP_028a: the download interface version carries no signature)',
      '  TREP 31 (Overview) (byte 4): verified',
      '  TREP 32 (Activities 2026-03-03) (byte 770): verified',
      '  TREP 33 (Events and faults) (byte 1302): verified',
      '  TREP 24 (Detailed speed) (byte 1719): verified',
      '  TREP 35 (Technical data) (byte 1859): verified',
      '  result: everything verifies',
      '',
    ]);
  });

  it('JSON: stable keys, App. 1 names, ISO times, the verification with its time', () => {
    const json = JSON.parse(JSON.stringify(downloadJson(decoded, file.length, verifyDownloadFile(file, roots)))) as {
      kind: string;
      generation: string;
      bytes: number;
      blocks: { trep: number; content: { data: Record<string, unknown> } }[];
      verification: { ok: boolean; at: string; atSource: string };
    };
    expect(Object.keys(json)).toEqual(['kind', 'generation', 'bytes', 'summary', 'blocks', 'problems', 'verification']);
    expect([json.kind, json.generation, json.bytes]).toEqual(['vu', 'gen2v2', 2563]);
    expect(json.blocks[2]!.content.data.loadUnloadOperations).toEqual([
      {
        timeStamp: '2026-03-03T07:00:00Z',
        operationType: 'load',
        cardNumberAndGenDriverSlot: { cardType: 'driver', issuingMemberState: 6, cardNumber: 'B000000012345601', generation: 2 },
        cardNumberAndGenCodriverSlot: null,
        gnssPlaceAuthRecord: { timeStamp: '2026-03-03T07:00:00Z', gnssAccuracy: 12, geoCoordinates: { latitude: 50512, longitude: 4217 }, authenticationStatus: 'authenticated' },
        vehicleOdometerValue: 1210,
      },
      expect.objectContaining({ operationType: 'unload', timeStamp: '2026-03-03T11:00:00Z' }),
    ]);
    // TREP 33 keeps TimeReal seconds: they come out as the same ISO times
    expect((json.blocks[3]!.content.data.records as { begin: string }[]).map((r) => r.begin)).toEqual(['2026-03-03T00:00:00Z', '2026-03-03T00:01:00Z', '2026-03-03T00:01:40Z']);
    expect(json.verification).toMatchObject({ ok: true, at: '2026-03-03T09:00:00Z', atSource: 'TREP 31 CurrentDateTime' });
  });
});
