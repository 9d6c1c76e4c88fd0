import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDownloadFile, type DecodedVuBlock, type DecodedVuFile } from './decode-download-file.ts';
import { downloadJson, downloadSummary, downloadText } from './download-file-report.ts';
import { verifyDownloadFile } from './verify-download-file.ts';

/**
 * `rig decode` on the public gen2 v2 VU download (test/fixtures/tachograph-files, PROVENANCE.md: the
 * anonymised download 004 of Trackysat-SRL/tachograph-go, MIT). Expected values from
 * expected/vu-gen2v2-wp004.json: its `handDecoded` values (with their byte offsets) and the source's golden
 * output where the notes say it agrees with App. 1. The file's own deviations (anonymised: every certificate
 * and signature array empty, card numbers zeroed or 'FF'H; TREP 35 in the writer's own layout; the original
 * variant's RecordType bytes numbered by position) are reported with their offsets, never thrown.
 */
const DIR = 'test/fixtures/tachograph-files';
const read = (name: string) => new Uint8Array(readFileSync(`${DIR}/${name}`));
const app1types = read('vu-gen2v2-wp004-app1types.ddd');
const original = read('vu-gen2v2-wp004.ddd');
const ercaRoot = read('certs/erca-gen2-root-1.bin');

type Data = Record<string, unknown>;
const data = (b: DecodedVuBlock) => (b.content as { data: Data }).data;
const ms = (iso: string) => Date.parse(iso);
const s = (iso: string) => Date.parse(iso) / 1000;

describe('the public gen2 v2 VU download (app1types variant: RecordType bytes as App. 1 gives them)', () => {
  const file = decodeDownloadFile(app1types) as DecodedVuFile;

  it('is framed into its 7 blocks at the offsets of expected/vu-gen2v2-wp004.json, every one decoded (before: "SignatureRecordArray has 0 records, expected 1")', () => {
    expect([file.kind, file.generation]).toEqual(['vu', 'gen2v2']);
    expect(file.blocks.map((b) => [b.trep, b.offset, b.length, b.error])).toEqual([
      [0x31, 0, 161, undefined],
      [0x32, 161, 723, undefined],
      [0x32, 884, 960, undefined],
      [0x32, 1844, 930, undefined],
      [0x33, 2774, 2498, undefined],
      [0x24, 5272, 92172, undefined],
      [0x35, 97444, 1146, undefined],
    ]);
    // the three TREP 32 blocks all carry dateOfDay 2024-01-01 (expected notes: synthetic activities)
    expect(file.problems).toEqual([
      'TREP 32 at byte 884: the day 2024-01-01 comes twice (a session downloads a day once)',
      'TREP 32 at byte 1844: the day 2024-01-01 comes twice (a session downloads a day once)',
    ]);
  });

  it('the overview: current time 2026-03-11T22:52:29Z, the downloadable period, the previous download; empty certificates and signature said with their bytes', () => {
    const [overview] = file.blocks;
    expect(overview!.content).toMatchObject({ mscaCertificate: null, vuCertificate: null, signature: null });
    expect(data(overview!)).toEqual({
      vin: '*****************',
      // nation and code page bytes 2A at offsets 39 and 40 (anonymised)
      registrationNation: 0x2a,
      registrationNumber: '*************',
      currentTime: ms('2026-03-11T22:52:29Z'),
      minDownloadableTime: ms('2025-11-28T00:00:00Z'),
      maxDownloadableTime: ms('2026-03-11T22:05:00Z'),
      // CardSlotsStatus 01 (offset 81): a driver card in the driver slot
      slots: { driver: 'driver', codriver: 'none' },
      // downloadingTime at 87, card type 04 (company) at 91, nation 00 at 92, generation 02 at 109
      lastDownload: { downloadingTime: ms('2026-03-11T01:57:34Z'), card: { cardType: 'company', issuingMemberState: 0, cardNumber: '****************', generation: 2 }, companyOrWorkshopName: '***********************************' },
      companyLocks: [],
      controls: [],
    });
    expect(overview!.problems).toEqual([
      'TREP 31: MemberStateCertificateRecordArray has 0 records, expected 1 (byte 2): no certificate',
      'TREP 31: VuCertificateRecordArray has 0 records, expected 1 (byte 7): no certificate',
      'TREP 31: SignatureRecordArray has 0 records, expected 1 (byte 156): the block carries no signature',
      "TREP 31: VehicleRegistrationNumber '*************': code page 42 is not an App. 1 code page (chapter 4): read as ISO/IEC 8859-1 (byte 39)",
    ]);
    expect(overview!.layoutDeviation).toBeUndefined();
  });

  it('the three activity blocks: odometer at midnight, 2/3/3 card cycles, 54/58/43 activity changes, 3/4/4 places and GNSS records', () => {
    const days = file.blocks.filter((b) => b.trep === 0x32).map(data);
    expect(days.map((d) => [d.day, d.odometerAtMidnightKm, ...['cardIW', 'activities', 'places', 'gnssAccumulatedDriving', 'specificConditions', 'borderCrossings', 'loadUnloadOperations'].map((k) => (d[k] as unknown[]).length)])).toEqual([
      [ms('2024-01-01T00:00:00Z'), 339400, 2, 54, 3, 3, 0, 0, 0],
      [ms('2024-01-01T00:00:00Z'), 340200, 3, 58, 4, 4, 0, 0, 0],
      [ms('2024-01-01T00:00:00Z'), 341000, 3, 43, 4, 4, 0, 0, 0],
    ]);
    // hand-decoded words at 452.. (3000 101e 183c 105a) and 1306.. (1800 101e 183c 105a)
    const single = { slot: 'driver', drivingStatus: 'single' } as const;
    expect((days[0]!.activities as unknown[]).slice(0, 4)).toEqual([
      { ...single, cardStatus: 'not-inserted', activity: 'work', minute: 0 },
      { ...single, cardStatus: 'inserted', activity: 'work', minute: 30 },
      { ...single, cardStatus: 'inserted', activity: 'driving', minute: 60 },
      { ...single, cardStatus: 'inserted', activity: 'work', minute: 90 },
    ]);
    expect((days[1]!.activities as unknown[])[0]).toEqual({ ...single, cardStatus: 'inserted', activity: 'driving', minute: 0 });
    // golden cardIw0 of 001-ACTIVITIES_GEN2_V2; the card number is zeroed by the anonymiser
    expect((days[0]!.cardIW as unknown[])[0]).toMatchObject({
      fullCardNumberAndGeneration: null,
      cardInsertionTime: ms('2024-01-01T00:00:00Z'),
      vehicleOdometerValueAtInsertion: 338900,
      cardSlotNumber: 'driver',
      cardWithdrawalTime: ms('2024-01-01T01:00:00Z'),
      vehicleOdometerValueAtWithdrawal: 339000,
      manualInputFlag: true,
    });
    // golden gnssAccumulatedDriving0 (the latitude is no position: -6938864 is 693° 88.64', anonymised)
    expect((days[0]!.gnssAccumulatedDriving as unknown[])[0]).toEqual({
      timeStamp: ms('2024-01-01T00:00:00Z'),
      cardNumberAndGenDriverSlot: null,
      cardNumberAndGenCodriverSlot: null,
      gnssPlaceAuthRecord: { timeStamp: ms('2024-01-01T00:00:00Z'), gnssAccuracy: 8, geoCoordinates: { latitude: -6938864, longitude: 8162784 }, authenticationStatus: 'authenticated' },
      vehicleOdometerValue: 339000,
    });
    expect(file.blocks[1]!.problems).toEqual([
      'TREP 32: SignatureRecordArray has 0 records, expected 1 (byte 879): the block carries no signature',
      'TREP 32: VuCardIWRecordArray record 0 (byte 185): VuCardIWRecord without a card number; read with it empty',
      'TREP 32: VuCardIWRecordArray record 1 (byte 316): VuCardIWRecord without a card number; read with it empty',
      'TREP 32: VuPlaceDailyWorkPeriodRecordArray record 0 (byte 565): VuPlaceDailyWorkPeriodRecord: no card number; read with it empty',
      'TREP 32: VuPlaceDailyWorkPeriodRecordArray record 1 (byte 606): VuPlaceDailyWorkPeriodRecord: no card number; read with it empty',
      'TREP 32: VuPlaceDailyWorkPeriodRecordArray record 2 (byte 647): VuPlaceDailyWorkPeriodRecord: no card number; read with it empty',
    ]);
  });

  it('27 events, no fault: the first three and the count per EventFaultType (raw codes); slots of \'FF\'H are no card', () => {
    const events = data(file.blocks[4]!);
    const records = events.records as { category: string; type: number; purpose: number; begin: number; end: number; similarEvents: number; cardsAtBegin: unknown }[];
    expect(records.length).toBe(27);
    expect(records.every((r) => r.category === 'event')).toBe(true);
    expect(records.slice(0, 3).map((r) => [r.type, r.purpose, r.begin, r.end, r.similarEvents, r.cardsAtBegin])).toEqual([
      [0x06, 3, s('2026-01-13T04:10:38Z'), s('2026-01-13T04:11:56Z'), 1, { driver: null, codriver: null }],
      [0x06, 3, s('2026-01-19T07:42:06Z'), s('2026-01-19T07:42:16Z'), 3, { driver: null, codriver: null }],
      [0x06, 3, s('2026-01-26T06:07:04Z'), s('2026-01-26T06:07:55Z'), 5, { driver: null, codriver: null }],
    ]);
    const perType: Record<string, number> = {};
    for (const r of records) perType[r.type.toString(16).padStart(2, '0').toUpperCase()] = (perType[r.type.toString(16).padStart(2, '0').toUpperCase()] ?? 0) + 1;
    expect(perType).toEqual({ '06': 15, '0A': 7, '0B': 2, '20': 3 });
    expect(events.timeAdjustments).toEqual([]);
    expect(file.blocks[4]!.problems).toEqual(['TREP 33: SignatureRecordArray has 0 records, expected 1 (byte 5267): the block carries no signature']);
  });

  it('1440 detailed speed blocks from 2026-03-10T02:01Z to 2026-03-11T23:08Z, the first block\'s 60 speeds', () => {
    const blocks = data(file.blocks[5]!) as unknown as { begin: number; speeds: number[] }[];
    expect(blocks.length).toBe(1440);
    expect([blocks[0]!.begin, blocks[1439]!.begin]).toEqual([s('2026-03-10T02:01:00Z'), s('2026-03-11T23:08:00Z')]);
    expect(blocks[0]!.speeds).toEqual([
      76, 76, 76, 76, 75, 75, 75, 75, 74, 74, 74, 74, 74, 73, 73, 73, 73, 73, 73, 73, 73, 73, 73, 73, 73, 73, 73, 73, 73, 73, 74, 74, 74, 74, 75, 75, 75, 75, 76, 76, 77, 77, 77, 78, 78, 79, 79, 79, 80, 80,
      81, 81, 82, 82, 83, 83, 83, 84, 84, 84,
    ]);
  });

  it('TREP 35 in the writer\'s own layout (7 arrays, 168-byte calibrations): what departs is said with its byte, the sensor pairing still read', () => {
    const technical = file.blocks[6]!;
    expect(technical.problems).toEqual(
      expect.arrayContaining([
        'TREP 35: VuIdentificationRecordArray has recordSize 124, App. 1 gives 138 (byte 97446): its 1 record(s) are not decoded',
        'TREP 35: VuCalibrationRecordArray has recordSize 168, App. 1 gives 252 (byte 97613): its 4 record(s) are not decoded',
        'TREP 35: SignatureRecordArray missing: App. 7 lists 8 record arrays, the block has 7',
      ]),
    );
    expect(technical.layoutDeviation).toBe('TREP 35: found VuActivityDailyRecordArray where VuIdentificationRecordArray belongs (byte 97446); read as VuIdentificationRecordArray by its position');
    expect(data(technical)).toEqual({
      sensorPairings: [{ sensorSerialNumber: { serialNumber: 0, monthYear: '0000', type: 7, manufacturerCode: 0xa1 }, sensorApprovalNumber: 'SENSOR01', sensorPairingDate: s('2025-11-28T05:56:36Z') }],
      gnssCouplings: [],
      calibrations: [],
      cards: [],
      itsConsents: [],
      powerSupplyInterruptions: [],
    });
  });

  it('the summary: identification from the overview, the period covered, records per App. 1 type', () => {
    const summary = downloadSummary(file);
    expect(summary.identification).toEqual({ vehicleIdentificationNumber: '*****************', vehicleRegistrationNation: 42, vehicleRegistrationNumber: '*************' });
    expect(summary.period).toEqual({
      firstDay: '2024-01-01',
      lastDay: '2024-01-01',
      days: 1,
      activityBlocks: 3,
      currentDateTime: '2026-03-11T22:52:29Z',
      downloadablePeriod: { minDownloadableTime: '2025-11-28T00:00:00Z', maxDownloadableTime: '2026-03-11T22:05:00Z' },
    });
    expect(summary.counts).toMatchObject({ VuCardIWRecord: 8, ActivityChangeInfo: 155, VuPlaceDailyWorkPeriodRecord: 11, VuGNSSADRecord: 11, VuEventRecord: 27, VuDetailedSpeedBlock: 1440, SensorPairedRecord: 1 });
    expect(summary.counts.VuFaultRecord).toBeUndefined();
  });

  it('verification judges the file at its CurrentDateTime: every block failed (no signature, no certificates, TREP 35 not its layout), never a throw', () => {
    const v = verifyDownloadFile(app1types, { europeanPublicKeys: [], rootCertificates: [ercaRoot] });
    expect([v.ok, v.at, v.atSource]).toEqual([false, ms('2026-03-11T22:52:29Z'), 'TREP 31 CurrentDateTime']);
    expect(v.verdicts.map((d) => [d.block, d.offset, d.status, d.reason])).toEqual([
      ['TREP 31 (Overview) certificates', 0, 'failed', 'MemberStateCertificateRecordArray or VuCertificateRecordArray is empty (DDP_029)'],
      ['TREP 31 (Overview)', 0, 'failed', 'no signature: the SignatureRecordArray at byte 156 is empty'],
      ['TREP 32 (Activities 2024-01-01)', 161, 'failed', 'no signature: the SignatureRecordArray at byte 879 is empty'],
      ['TREP 32 (Activities 2024-01-01)', 884, 'failed', 'no signature: the SignatureRecordArray at byte 1839 is empty'],
      ['TREP 32 (Activities 2024-01-01)', 1844, 'failed', 'no signature: the SignatureRecordArray at byte 2769 is empty'],
      ['TREP 33 (Events and faults)', 2774, 'failed', 'no signature: the SignatureRecordArray at byte 5267 is empty'],
      ['TREP 24 (Detailed speed)', 5272, 'failed', 'no signature: the SignatureRecordArray at byte 97439 is empty'],
      ['TREP 35 (Technical data)', 97444, 'failed', `not what TREP 35 announces: ${file.blocks[6]!.layoutDeviation!}`],
    ]);
  });

  it('the text names the records readably, the JSON gives ISO times', () => {
    const text = downloadText(file, app1types.length);
    expect(text).toContain("\n  2026-01-13T04:10:38Z .. 2026-01-13T04:11:56Z event '06'H last card session not correctly closed, purpose 3, similar 1, cards at begin none / none, at end none / none\n");
    expect(text).toContain('\n  2024-01-01 00:30 driver    work (single, card inserted)\n');
    // neither is a position (latitude beyond 90°, longitude beyond 180°): shown as the numbers read
    expect(text).toContain('geoCoordinates: invalid (-6938864) invalid (8162784)\n');
    const json = JSON.parse(JSON.stringify(downloadJson(file, app1types.length))) as { blocks: { content: { data: Data } }[] };
    expect(json.blocks[0]!.content.data.currentTime).toBe('2026-03-11T22:52:29Z');
    expect((json.blocks[5]!.content.data as unknown as { begin: string }[])[0]!.begin).toBe('2026-03-10T02:01:00Z');
  });
});

describe('the public gen2 v2 VU download as published (RecordType bytes numbered by position)', () => {
  const file = decodeDownloadFile(original) as DecodedVuFile;
  const corrected = decodeDownloadFile(app1types) as DecodedVuFile;

  it('is framed as the corrected variant (before: "expected SID 76, found 09" at bytes 146, 874, 1834, 2764) and reads to the same records', () => {
    expect(file.blocks.map((b) => [b.trep, b.offset, b.length, b.error])).toEqual(corrected.blocks.map((b) => [b.trep, b.offset, b.length, b.error]));
    expect(file.problems).toEqual(corrected.problems);
    file.blocks.forEach((b, i) => expect(b.content).toEqual(corrected.blocks[i]!.content));
  });

  it('names each RecordType byte that is not App. 1\'s with its offset (expected recordTypeBytesRewritten)', () => {
    expect(file.blocks[0]!.problems!.slice(0, 3)).toEqual([
      'TREP 31: found VuActivityDailyRecordArray where MemberStateCertificateRecordArray belongs (byte 2); read as MemberStateCertificateRecordArray by its position',
      'TREP 31: found CardSlotsStatusRecordArray where VuCertificateRecordArray belongs (byte 7); read as VuCertificateRecordArray by its position',
      'TREP 31: found CurrentDateTimeRecordArray where VehicleIdentificationNumberRecordArray belongs (byte 12); read as VehicleIdentificationNumberRecordArray by its position',
    ]);
    const positional = file.blocks.flatMap((b) => b.problems ?? []).filter((p) => p.includes('by its position'));
    // 49 bytes rewritten in the variant for TREPs 31/32/33/24, and TREP 35's 7 arrays (untouched in both)
    expect(positional.length).toBe(49 + 7);
    const expected = JSON.parse(readFileSync(`${DIR}/expected/vu-gen2v2-wp004.json`, 'utf8')) as { recordTypeBytesRewritten: { offset: number }[] };
    const offsets = positional.map((p) => Number(/\(byte (\d+)\)/.exec(p)![1]));
    expect(offsets.slice(0, 49)).toEqual(expected.recordTypeBytesRewritten.map((r) => r.offset));
  });

  it('verification fails every block as not what its TREP announces: the RecordType bytes are the content check', () => {
    const v = verifyDownloadFile(original, { europeanPublicKeys: [], rootCertificates: [ercaRoot] });
    expect(v.ok).toBe(false);
    expect(v.verdicts.slice(1).map((d) => [d.offset, d.status, d.reason?.split(':')[0]])).toEqual(file.blocks.map((b) => [b.offset, 'failed', `not what TREP ${b.trep.toString(16).toUpperCase()} announces`]));
  });
});

describe('rig decode on the public files: a report, exit 1, never a stack trace', () => {
  const rig = (...args: string[]) => spawnSync(process.execPath, ['bin/rig.js', 'decode', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

  it.each(['vu-gen2v2-wp004.ddd', 'vu-gen2v2-wp004-app1types.ddd'])('%s --verify --root the ERCA gen2 root', (name) => {
    const r = rig(`${DIR}/${name}`, '--verify', '--root', `${DIR}/certs/erca-gen2-root-1.bin`);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout.split('\n')[0]).toBe('VU download, generation 2, version 2: 98590 bytes, 7 blocks');
    expect(r.stdout).toContain('\n  period covered: firstDay 2024-01-01; lastDay 2024-01-01; days 1; activityBlocks 3; currentDateTime 2026-03-11T22:52:29Z; ');
    expect(r.stdout).toMatch(/\n {2}TREP 24 \(Detailed speed\) \(byte 5272\): failed \(/);
    expect(r.stdout).toContain('\n  result: NOT verified (8 block(s) failed or of unknown root, 2 problem(s))\n');
  });

  it('a gen1 driver card: the summary, the records readably (no EF as hex), --verify failed per EF (no signatures, no certificates)', () => {
    const r = rig(`${DIR}/card-driver-gen1-wp000.ddd`, '--verify', '--root', `${DIR}/certs/erca-gen1-EC_PK.bin`);
    expect([r.status, r.stderr]).toEqual([1, '']);
    expect(r.stdout.split('\n').slice(0, 7)).toEqual([
      'card download, driver card, generation 1: 24470 bytes, 11 EFs',
      "  identification: cardNumber DRIVER0000000100; cardIssuingMemberState '12'H; holder Doe John; cardValidityBegin 2020-01-01T00:00:00Z; cardExpiryDate 2024-12-31T23:59:59Z",
      '  period covered: firstDay 2020-01-01; lastDay 2020-07-07; days 189 (DF Tachograph EF Driver_Activity_Data)',
      '  download time: 2020-07-18T23:59:59Z (the latest time the file records: DF Tachograph EF Vehicles_Used vehicleLastUse)',
      '  records: DF Tachograph: CardEventRecord 1, CardFaultRecord 0, CardActivityDailyRecord 189, ActivityChangeInfo 5714, CardVehicleRecord 200, PlaceRecord 112, CardControlActivityDataRecord 0, SpecificConditionRecord 56',
      '  problems:',
      '    1 EF with problems (listed with it below)',
    ]);
    expect(r.stdout).toContain('\n2020-01-01: presence counter 600, distance 69 km, 68 changes\n  2020-01-01 00:00 break/rest (driver slot, card not inserted, activity known)\n  2020-01-01 00:30 work (driver slot, single, card inserted)\n  2020-01-01 01:00 driving (driver slot, single, card inserted)\n');
    expect(r.stdout).toContain("\nset 2: 1 of 12 records used\n  [0] 2020-01-01T12:00:00Z .. 2020-01-01T12:30:00Z event '05'H card insertion while driving, vehicle '12'H *************\n");
    expect(r.stdout).toContain("\n200 of 200 records used, newest at index 31\n  [0] 2020-01-01T00:00:00Z .. 2020-01-01T23:59:59Z vehicle '12'H *************, odometer 195000 .. 195000 km, VU data block counter 401\n");
    expect(r.stdout).toContain("\n112 of 112 records used, newest at index 70\n  [0] 2020-01-01T00:00:00Z begin (entry type 0), country '12'H region '01'H, odometer 194500 km\n");
    expect(r.stdout).toContain("\n56 of 56 records used\n  [0] 2020-01-01T00:00:00Z '00'H RFU\n");
    expect(r.stdout).not.toMatch(/\b[0-9a-f]{32,}\b/);
    const verdicts = r.stdout.split('\n').filter((l) => /^ {2}(MF|DF) .*\(byte \d+\): /.test(l));
    expect(verdicts.length).toBe(11);
    expect(verdicts.filter((l) => !l.includes(': unsigned ('))).toEqual(
      ['Application_Identification (byte 43)', 'Identification (byte 58)', 'Events_Data (byte 206)', 'Faults_Data (byte 1939)', 'Driver_Activity_Data (byte 3096)', 'Vehicles_Used (byte 16801)', 'Places (byte 23008)', 'Control_Activity_Data (byte 24134)', 'Specific_Conditions (byte 24185)'].map(
        (ef) => `  DF Tachograph EF ${ef}: failed (no signature follows its data (DDP_046))`,
      ),
    );
  });

  it('a gen2 driver card --json: the card decoder\'s summary and records, ISO times without milliseconds; --verify failed per EF', () => {
    const r = rig(`${DIR}/card-driver-gen2v1-wp004.ddd`, '--verify', '--json', '--root', `${DIR}/certs/erca-gen2-root-1.bin`, '--root', `${DIR}/certs/erca-gen1-EC_PK.bin`);
    expect([r.status, r.stderr]).toEqual([1, '']);
    const json = JSON.parse(r.stdout) as { kind: string; generation: string; summary: Data; efs: { tag: string; type: string; record?: Data }[]; verification: { ok: boolean; verdicts: { block: string; status: string; reason?: string }[] } };
    expect([json.kind, json.generation]).toEqual(['card', 'gen2v2']);
    expect(json.summary).toMatchObject({ kind: 'card download', cardNumber: 'DRIVER0000000100', cardExpiryDate: '2024-12-31T23:59:59Z', downloadTime: { at: '2024-09-26T07:09:56Z' } });
    expect(json.efs.find((e) => e.tag === '050502')!.record!.cardVehicleRecords).toEqual(expect.arrayContaining([expect.objectContaining({ vehicleFirstUse: '2023-08-31T04:23:25Z', vehicleRegistration: { vehicleRegistrationNation: 0x26, vehicleRegistrationNumber: 'TEST001' } })]));
    expect(json.efs.filter((e) => e.type === 'unknown' || e.type === 'undecodable')).toEqual([]);
    expect(JSON.stringify(json)).not.toMatch(/\.000Z/);
    const statuses = new Set(json.verification.verdicts.map((v) => v.status));
    expect([json.verification.ok, [...statuses].sort()]).toEqual([false, ['failed', 'unsigned']]);
    expect(json.verification.verdicts.find((v) => v.block === 'DF Tachograph_G2 EF Places')).toEqual({ block: 'DF Tachograph_G2 EF Places', offset: 52649, status: 'failed', reason: 'no signature follows its data (DDP_046)' });
  });
});
