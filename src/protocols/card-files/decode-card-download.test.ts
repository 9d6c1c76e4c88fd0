import { describe, expect, it } from 'vitest';
import { encodeCardDownload, encodeCardTlv, type CardEf } from './card-download-file.ts';
import { FID, TAG_APPENDIX } from './card-file-ids.ts';
import { decodeCardDownload } from './decode-card-download.ts';
import { decodeCardFile } from './decode-card-file.ts';
import * as ef from './fixtures/tachograph-go-card-efs.ts';
import { h } from './test-ef-bytes.ts';

/**
 * A whole card file from way-platform/tachograph-go's EF vectors (fixtures/, MIT): DF Tachograph of a gen1
 * driver card, and the gen2 EFs the source has (Places, GNSS_Places, VehicleUnits_Used, Specific_Conditions),
 * in the DDP_035 order (no certificates or signatures: decoding does not need them).
 */
const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));
const g1 = (fid: number, value: string): CardEf => ({ df: 'tachograph', fid, data: b64(value) });
const g2 = (fid: number, value: string): CardEf => ({ df: 'tachograph-g2', fid, data: b64(value) });
const efs: CardEf[] = [
  { df: 'mf', fid: FID.ICC, data: b64(ef.icc) },
  { df: 'mf', fid: FID.IC, data: b64(ef.ic) },
  g1(FID.APPLICATION_IDENTIFICATION, ef.applicationIdentification),
  g1(FID.IDENTIFICATION, ef.identification),
  g1(FID.DRIVING_LICENCE_INFO, ef.drivingLicence),
  g1(FID.EVENTS_DATA, ef.events),
  g1(FID.FAULTS_DATA, ef.faults),
  g1(FID.DRIVER_ACTIVITY_DATA, ef.activity),
  g1(FID.VEHICLES_USED, ef.vehicles),
  g1(FID.PLACES, ef.places),
  g1(FID.CURRENT_USAGE, ef.currentUsage),
  g1(FID.CONTROL_ACTIVITY_DATA, ef.controlActivity),
  g1(FID.SPECIFIC_CONDITIONS, ef.specificConditions),
  g2(FID.PLACES, ef.placesG2),
  g2(FID.SPECIFIC_CONDITIONS, ef.specificConditionsG2),
  g2(FID.VEHICLE_UNITS_USED, ef.vehicleUnitsUsed),
  g2(FID.GNSS_PLACES, ef.gnssPlaces),
];
const file = encodeCardDownload({ generation: 2, efs }, {});

describe('decodeCardDownload of a file of public EF vectors', () => {
  const d = decodeCardDownload(file);

  it('types every EF, in file order, with the byte each TLV starts at', () => {
    expect(d.problems).toEqual([]);
    expect(d.efs.map((e) => [e.df, e.name, e.type, e.offset, e.size])).toEqual([
      ['mf', 'EF ICC', 'CardIccIdentification', 0, 25],
      ['mf', 'EF IC', 'CardChipIdentification', 30, 8],
      ['tachograph', 'EF Application_Identification', 'CardApplicationIdentification', 43, 10],
      ['tachograph', 'EF Identification', 'CardIdentification', 58, 143],
      ['tachograph', 'EF Driving_Licence_Info', 'CardDrivingLicenceInformation', 206, 53],
      ['tachograph', 'EF Events_Data', 'CardEventData', 264, 1728],
      ['tachograph', 'EF Faults_Data', 'CardFaultData', 1997, 1152],
      ['tachograph', 'EF Driver_Activity_Data', 'CardDriverActivity', 3154, 13780],
      ['tachograph', 'EF Vehicles_Used', 'CardVehiclesUsed', 16939, 6202],
      ['tachograph', 'EF Places', 'CardPlaceDailyWorkPeriod', 23146, 1121],
      ['tachograph', 'EF Current_Usage', 'CardCurrentUse', 24272, 19],
      ['tachograph', 'EF Control_Activity_Data', 'CardControlActivityDataRecord', 24296, 46],
      ['tachograph', 'EF Specific_Conditions', 'SpecificConditions', 24347, 280],
      ['tachograph-g2', 'EF Places', 'CardPlaceDailyWorkPeriod', 24632, 2354],
      ['tachograph-g2', 'EF Specific_Conditions', 'SpecificConditions', 26991, 562],
      ['tachograph-g2', 'EF VehicleUnits_Used', 'CardVehicleUnitsUsed', 27558, 2002],
      ['tachograph-g2', 'EF GNSS_Places', 'GNSSAccumulatedDriving', 29565, 6050],
    ]);
    expect(d.efs.every((e) => e.problems.length === 0)).toBe(true);
  });

  it("summarises: whose card, the activities' period, counts per App. 1 record type", () => {
    expect(d.summary).toMatchObject({
      cardType: 'driver',
      generation: 2,
      structure: 'gen2v1',
      cardIssuingMemberState: 0x12,
      cardNumber: 'DRIVER0000000100',
      holder: 'TEST_SURNAME TEST_FIRSTNAME',
      cardExpiryDate: '2024-12-31T23:59:59.000Z',
      // DF Tachograph_G2 has no activity EF here: DF Tachograph's
      activities: { df: 'tachograph', firstDay: '2025-04-15', lastDay: '2025-09-12', days: 145 },
      counts: {
        tachograph: { CardEventRecord: 1, CardFaultRecord: 0, CardActivityDailyRecord: 145, ActivityChangeInfo: 6013, CardVehicleRecord: 200, PlaceRecord: 112, CardControlActivityDataRecord: 0, SpecificConditionRecord: 56 },
        'tachograph-g2': { PlaceRecord: 112, SpecificConditionRecord: 0, CardVehicleUnitRecord: 46, GNSSAccumulatedDrivingRecord: 336 },
      },
      problems: 0,
    });
  });

  it('download time: the latest recorded time up to the card expiry (these EFs come from different test cards: the 2025 activities lie after it)', () => {
    // the card expired 2024-12-31; the newest time before the end of that day is a vehicle's last use
    expect(d.summary.downloadTime).toEqual({ at: '2020-07-18T23:59:59.000Z', source: 'the latest time the file records: DF Tachograph EF Vehicles_Used vehicleLastUse' });
  });
});

describe('a damaged card file: each problem with its place, the rest decoded', () => {
  it('an EF too short to read is given as hex with why, at its offset; the EFs around it decode', () => {
    const damaged = encodeCardDownload({ generation: 1, efs: [efs[2]!, { df: 'tachograph', fid: FID.CURRENT_USAGE, data: h('5e0be100', '12') }, efs[3]!] }, {});
    const d = decodeCardDownload(damaged);
    expect(d.efs.map((e) => [e.name, e.type, e.offset, e.problems])).toEqual([
      ['EF Application_Identification', 'CardApplicationIdentification', 0, []],
      ['EF Current_Usage', 'undecodable', 15, ['cannot be read: CardCurrentUse needs 19 bytes at 0, 5 left']],
      ['EF Identification', 'CardIdentification', 25, []],
    ]);
    expect(d.efs[1]).toMatchObject({ hex: '5e0be10012' });
    expect(d.summary.problems).toBe(1);
  });

  it('a TLV whose length runs past the end: read up to there, the byte named', () => {
    const cut = file.subarray(0, 24_310);
    const d = decodeCardDownload(cut);
    expect(d.problems).toEqual(['byte 24296: EF Control_Activity_Data says 46 bytes, 9 follow: the file is read up to there']);
    expect(d.efs).toHaveLength(11);
    expect(d.efs.at(-1)!.name).toBe('EF Current_Usage');
  });

  it('a signature away from its data, an EF no card has (proprietary): a file problem, and hex', () => {
    const stray = encodeCardTlv({ fid: FID.PLACES, appendix: TAG_APPENDIX.SIGNATURE_G1, value: h('ab'.repeat(128)) });
    const proprietary = encodeCardTlv({ fid: 0x0600, appendix: TAG_APPENDIX.DATA_G1, value: h('c0ffee') });
    const d = decodeCardDownload(Uint8Array.from([...file.subarray(0, 43), ...stray, ...proprietary, ...file.subarray(43)]));
    expect(d.problems).toEqual(['byte 43: signature of DF Tachograph EF Places does not directly follow its data (DDP_046)']);
    expect(d.efs[2]).toMatchObject({ name: 'EF 0600', type: 'unknown', hex: 'c0ffee', offset: 176 });
  });

  it('an all-zero EF Link_Certificate is the card\'s "no link certificate", not an error (also in decodeCardFile, rig decode\'s)', () => {
    const withLink = encodeCardDownload({ generation: 2, efs: [...efs.slice(0, 3), { df: 'tachograph-g2', fid: FID.LINK_CERTIFICATE, data: new Uint8Array(205) }, efs[13]!] }, {});
    expect(decodeCardDownload(withLink).efs.find((e) => e.fid === FID.LINK_CERTIFICATE)).toMatchObject({
      type: 'Certificate',
      record: { present: false, reason: 'all zero: the card holds no link certificate (App. 2 default {00..00})' },
      problems: [],
    });
    const legacy = decodeCardFile(withLink).find((e) => e.tag === 'c10902')!;
    expect([legacy.error, legacy.fields]).toEqual([undefined, { present: false, reason: 'all zero: the card holds no link certificate (App. 2 default {00..00})' }]);
  });

  it('the pointer bytes of a gen2 EF Places read as in a gen2 DF, not as gen1 (the DF decides the layout)', () => {
    // the same 2354 bytes in DF Tachograph: gen1 records of 10 after a one-byte pointer do not fit
    const d = decodeCardDownload(encodeCardDownload({ generation: 1, efs: [{ df: 'tachograph', fid: FID.PLACES, data: b64(ef.placesG2) }] }, {}));
    expect(d.efs[0]!.problems).toEqual(['CardPlaceDailyWorkPeriod: 2353 bytes after the pointer are not whole records of 10; the last 3 are ignored']);
  });
});
