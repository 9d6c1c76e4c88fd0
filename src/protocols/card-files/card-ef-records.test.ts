import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { h, ia5, latin1, n16, n24, n8, paged, t, vri, zeros } from './test-ef-bytes.ts';
import { decodeCardEfContent, type CardEfRecordTypes, type CardEfType, type EfContext } from './card-ef-records.ts';
import { CardFileError } from './card-download-file.ts';
import { FID } from './card-file-ids.ts';

/**
 * The EFs no public vector covers (workshop, control and company cards, gen2 version 2), built here field by
 * field from the App. 1 / App. 2 layouts, and what a damaged EF says. Code-paged texts: bytes produced with
 * python3 codecs (e.g. `'Warsztat Łódź'.encode('iso8859_2').hex()`).
 */
function decode<K extends CardEfType>(type: K, fid: number, bytes: Uint8Array, ctx: EfContext, problems: string[] = []): CardEfRecordTypes[K] {
  const typed = decodeCardEfContent(fid, bytes, ctx, problems);
  expect(typed?.type).toBe(type);
  return typed!.record as CardEfRecordTypes[K];
}
const clean = <K extends CardEfType>(type: K, fid: number, bytes: Uint8Array, ctx: EfContext) => {
  const problems: string[] = [];
  const r = decode(type, fid, bytes, ctx, problems);
  expect(problems).toEqual([]);
  return r;
};

const WORKSHOP_G1: EfContext = { cardType: 'workshop', generation: 1 };
const WORKSHOP_G2: EfContext = { cardType: 'workshop', generation: 2 };
const CONTROL_G2: EfContext = { cardType: 'control', generation: 2 };
const COMPANY_G1: EfContext = { cardType: 'company', generation: 1 };
const DRIVER_G2: EfContext = { cardType: 'driver', generation: 2 };

describe('EF Application_Identification(_V2) of each card type (App. 1 2.48, 2.50, 2.61a, 2.234)', () => {
  it('a gen1 workshop card: 11 bytes, places on one byte, then noOfCalibrationRecords', () => {
    expect(clean('CardApplicationIdentification', FID.APPLICATION_IDENTIFICATION, h('02', '0000', '03', '06', n16(198), n16(4), '06', n8(88)), WORKSHOP_G1)).toEqual({
      cardType: 'workshop', typeOfTachographCardId: 2, cardStructureVersion: '0000', noOfEventsPerType: 3, noOfFaultsPerType: 6,
      activityStructureLength: 198, noOfCardVehicleRecords: 4, noOfCardPlaceRecords: 6, noOfCalibrationRecords: 88,
    });
  });

  it('a gen2 v2 workshop card: 19 bytes (TCS_162)', () => {
    const bytes = h('02', '0101', '03', '06', n16(492), n16(8), n16(8), n16(255), n16(24), n16(4), n16(8));
    expect(clean('CardApplicationIdentification', FID.APPLICATION_IDENTIFICATION, bytes, WORKSHOP_G2)).toEqual({
      cardType: 'workshop', typeOfTachographCardId: 2, cardStructureVersion: '0101', noOfEventsPerType: 3, noOfFaultsPerType: 6, activityStructureLength: 492,
      noOfCardVehicleRecords: 8, noOfCardPlaceRecords: 8, noOfCalibrationRecords: 255, noOfGNSSADRecords: 24, noOfSpecificConditionRecords: 4, noOfCardVehicleUnitRecords: 8,
    });
  });

  it('control and company cards: 5 bytes, the number of their activity records', () => {
    expect(clean('CardApplicationIdentification', FID.APPLICATION_IDENTIFICATION, h('03', '0100', n16(230)), CONTROL_G2)).toEqual({ cardType: 'control', typeOfTachographCardId: 3, cardStructureVersion: '0100', noOfControlActivityRecords: 230 });
    expect(clean('CardApplicationIdentification', FID.APPLICATION_IDENTIFICATION, h('04', '0000', n16(520)), COMPANY_G1)).toEqual({ cardType: 'company', typeOfTachographCardId: 4, cardStructureVersion: '0000', noOfCompanyActivityRecords: 520 });
  });

  it('EF Application_Identification_V2: driver (10 bytes, TCS_154 counts) and control (4)', () => {
    expect(clean('CardApplicationIdentificationV2', FID.APPLICATION_IDENTIFICATION_V2, h(n16(8), n16(1120), n16(1624), n16(336), n16(3072)), DRIVER_G2)).toEqual({
      lengthOfFollowingData: 8, noOfBorderCrossingRecords: 1120, noOfLoadUnloadRecords: 1624, noOfLoadTypeEntryRecords: 336, vuConfigurationLengthRange: 3072,
    });
    expect(clean('CardApplicationIdentificationV2', FID.APPLICATION_IDENTIFICATION_V2, h(n16(2), n16(3072)), CONTROL_G2)).toEqual({ lengthOfFollowingData: 2, vuConfigurationLengthRange: 3072 });
  });

  it('a typeOfTachographCardId naming no card is noted, and read as the card type the other EFs show', () => {
    const problems: string[] = [];
    expect(decode('CardApplicationIdentification', FID.APPLICATION_IDENTIFICATION, h('09', '0100', n16(230)), CONTROL_G2, problems)).toMatchObject({ cardType: 'control', noOfControlActivityRecords: 230 });
    expect(problems).toEqual(["CardApplicationIdentification typeOfTachographCardId: 9 names no card type; read as a control card's"]);
  });
});

describe('EF Identification of workshop, control and company cards, names in their code pages', () => {
  const card = (nation: number, number: string) => n8(nation) + ia5(number, 16) + latin1('KBA') + t('2025-03-01T00:00:00Z') + t('2025-03-01T00:00:00Z') + t('2030-02-28T00:00:00Z');

  it('a workshop card (211 bytes): workshop name in ISO/IEC 8859-2, holder in KOI8-R', () => {
    const bytes = h(
      card(0x0d, 'DF00000012345100'),
      paged(2, '576172737a74617420a3f364bc'), // 'Warsztat Łódź'
      latin1('Hauptstraße 1'),
      paged(80, 'e9d7c1cecfd7'), // 'Иванов'
      paged(80, 'f0a3d4d2'), // 'Пётр'
      ia5('pl', 2),
    );
    expect(bytes.length).toBe(211);
    expect(clean('CardIdentification', FID.IDENTIFICATION, bytes, WORKSHOP_G2)).toEqual({
      cardIdentification: {
        cardIssuingMemberState: 0x0d, cardNumber: 'DF00000012345100', cardIssuingAuthorityName: 'KBA',
        cardIssueDate: '2025-03-01T00:00:00.000Z', cardValidityBegin: '2025-03-01T00:00:00.000Z', cardExpiryDate: '2030-02-28T00:00:00.000Z',
      },
      cardHolderIdentification: { workshopName: 'Warsztat Łódź', workshopAddress: 'Hauptstraße 1', cardHolderName: { holderSurname: 'Иванов', holderFirstNames: 'Пётр' }, cardHolderPreferredLanguage: 'pl' },
    });
  });

  it('a control card (211 bytes): control body in ISO/IEC 8859-7', () => {
    const bytes = h(card(0x16, 'GR00000000C01100'), paged(7, 'c1e8deede1'), latin1('Odos 1'), latin1('PAPADOPOULOS'), latin1('Eleni'), ia5('el', 2));
    expect(clean('CardIdentification', FID.IDENTIFICATION, bytes, CONTROL_G2).cardHolderIdentification).toEqual({
      controlBodyName: 'Αθήνα', controlBodyAddress: 'Odos 1', cardHolderName: { holderSurname: 'PAPADOPOULOS', holderFirstNames: 'Eleni' }, cardHolderPreferredLanguage: 'el',
    });
  });

  it('a company card (139 bytes): company name in ISO/IEC 8859-9', () => {
    const bytes = h(card(0x25, 'TR00000000X01000'), paged(9, '47f672fcfe'), latin1('Istanbul'), ia5('tr', 2));
    expect(bytes.length).toBe(139);
    expect(clean('CardIdentification', FID.IDENTIFICATION, bytes, COMPANY_G1).cardHolderIdentification).toEqual({ companyName: 'Görüş', companyAddress: 'Istanbul', cardHolderPreferredLanguage: 'tr' });
  });

  it('a name in code page 12 (no ISO/IEC 8859 part) reads as Latin-1 and is named in the problems, the rest decodes', () => {
    const bytes = h(card(0x25, 'TR00000000X01000'), paged(12, '47f672fcfe'), latin1('Istanbul'), ia5('tr', 2));
    const problems: string[] = [];
    expect(decode('CardIdentification', FID.IDENTIFICATION, bytes, COMPANY_G1, problems).cardHolderIdentification).toEqual({ companyName: 'Görüþ', companyAddress: 'Istanbul', cardHolderPreferredLanguage: 'tr' });
    expect(problems).toEqual(['company card Identification companyName: code page 12 is not an App. 1 code page (chapter 4): read as ISO/IEC 8859-1']);
  });
});

describe("a workshop card's own EFs", () => {
  const vin = ia5('WDB9634031L123456', 17);
  const serial = (n: number) => n.toString(16).padStart(8, '0') + '0325' + '06' + '40';
  const calibrationG1 =
    '04' + vin + vri(0x0d, 'B-XY 123') + n16(8000) + n16(8010) + n16(3150 * 8) + ia5('315/70 R22.5', 15) + n8(90) +
    n24(123456) + n24(123460) + t('2025-06-10T08:15:00Z') + t('2025-06-10T09:00:30Z') + t('2026-06-10T00:00:00Z') + ia5('VU-PART-0001', 16) + serial(1001) + serial(2002);

  it('EF Calibration, gen1 (TCS_158): total, a one-byte pointer, 105-byte records', () => {
    const bytes = h(n16(12), '01', calibrationG1, zeros(105));
    expect(clean('WorkshopCardCalibrationData', FID.CALIBRATION, bytes, WORKSHOP_G1)).toEqual({
      calibrationTotalNumber: 12,
      calibrationPointerNewestRecord: 1,
      calibrationRecords: [
        {
          calibrationPurpose: 4,
          vehicleIdentificationNumber: 'WDB9634031L123456',
          vehicleRegistration: { vehicleRegistrationNation: 0x0d, vehicleRegistrationNumber: 'B-XY 123' },
          wVehicleCharacteristicConstant: 8000,
          kConstantOfRecordingEquipment: 8010,
          lTyreCircumference: 25200,
          tyreSize: '315/70 R22.5',
          authorisedSpeed: 90,
          oldOdometerValue: 123456,
          newOdometerValue: 123460,
          oldTimeValue: '2025-06-10T08:15:00.000Z',
          newTimeValue: '2025-06-10T09:00:30.000Z',
          nextCalibrationDate: '2026-06-10T00:00:00.000Z',
          vuPartNumber: 'VU-PART-0001',
          vuSerialNumber: { serialNumber: 1001, monthYear: '0325', type: 6, manufacturerCode: 0x40 },
          sensorSerialNumber: { serialNumber: 2002, monthYear: '0325', type: 6, manufacturerCode: 0x40 },
        },
        null,
      ],
    });
  });

  it('EF Calibration, gen2 (TCS_162): two-byte pointer, 178-byte records with GNSS and RCM serials, VuAbility and the seals', () => {
    const seals = n8(2) + '0c' + ia5('AB', 2) + ia5('SEAL0001', 8) + '0d' + ia5('AB', 2) + ia5('SEAL0002', 8) + zeros(33);
    const record = calibrationG1 + zeros(8) + serial(3003) + '01' + seals;
    expect(record.length / 2).toBe(178);
    const r = clean('WorkshopCardCalibrationData', FID.CALIBRATION, h(n16(1), n16(0), record), WORKSHOP_G2);
    expect(r.calibrationRecords[0]).toMatchObject({
      sensorGNSSSerialNumber: null,
      rcmSerialNumber: { serialNumber: 3003, monthYear: '0325', type: 6, manufacturerCode: 0x40 },
      vuAbility: 1,
      sealDataCard: {
        noOfSealRecords: 2,
        sealRecords: [
          { equipmentType: 12, extendedSealIdentifier: { manufacturerCode: 'AB', sealIdentifier: 'SEAL0001' } },
          { equipmentType: 13, extendedSealIdentifier: { manufacturerCode: 'AB', sealIdentifier: 'SEAL0002' } },
        ],
      },
    });
  });

  it('EF Card_Download of a workshop card (0509): NoOfCalibrationsSinceDownload; EF Calibration_Add_Data (gen2 v2, 27-byte records)', () => {
    expect(clean('NoOfCalibrationsSinceDownload', FID.WORKSHOP_CARD_DOWNLOAD, h(n16(7)), WORKSHOP_G2)).toEqual({ noOfCalibrationsSinceDownload: 7 });
    const add = t('2025-06-10T08:15:00Z') + vin + '01' + '0d' + t('2025-06-10T08:10:00Z');
    expect(clean('WorkshopCardCalibrationAddData', FID.CALIBRATION_ADD_DATA, h(n16(0), add, zeros(27)), WORKSHOP_G2)).toEqual({
      calibrationPointerNewestRecord: 0,
      workshopCardCalibrationAddDataRecords: [
        { oldTimeValue: '2025-06-10T08:15:00.000Z', vehicleIdentificationNumber: 'WDB9634031L123456', byDefaultLoadType: 1, calibrationCountry: 0x0d, calibrationCountryTimestamp: '2025-06-10T08:10:00.000Z' },
        null,
      ],
    });
  });

  it('EF Sensor_Installation_Data: gen1 a TDES key; gen2 KMWCKeys (length, key, version)', () => {
    expect(clean('SensorInstallationSecData', FID.SENSOR_INSTALLATION_DATA, h('11'.repeat(16)), WORKSHOP_G1)).toEqual({ sensorInstallationSecData: '11'.repeat(16) });
    const keys = h('10', '22'.repeat(16), '05', '20', '33'.repeat(32), '06');
    expect(clean('SensorInstallationSecData', FID.SENSOR_INSTALLATION_DATA, keys, WORKSHOP_G2)).toEqual({ kmwcKeys: [{ kMWCKey: '22'.repeat(16), keyVersion: 5 }, { kMWCKey: '33'.repeat(32), keyVersion: 6 }] });
    const problems: string[] = [];
    expect(decode('SensorInstallationSecData', FID.SENSOR_INSTALLATION_DATA, h('11', '22'.repeat(17), '05'), WORKSHOP_G2, problems)).toEqual({ sensorInstallationSecData: '11' + '22'.repeat(17) + '05' });
    expect(problems).toEqual(['SensorInstallationSecData: byte 0 does not start an AES key of 16, 24 or 32 bytes (App. 1 2.87 KMWCKey); given as hex']);
  });
});

describe('control and company activity (App. 1 2.51, 2.46)', () => {
  const card = '01' + '0d' + ia5('DF00001234567801', 16);
  const control = 'c8' + t('2025-05-05T07:00:00Z') + card + vri(0x0d, 'B-XY 123') + t('2025-04-01T00:00:00Z') + t('2025-04-30T23:59:59Z');

  it("EF Controller_Activity_Data: pointer, then 46-byte records; ControlType 'cvpde' bits", () => {
    const r = clean('ControlCardControlActivityData', FID.CONTROLLER_ACTIVITY_DATA, h(n16(0), control, zeros(46)), CONTROL_G2);
    expect(r).toEqual({
      controlPointerNewestRecord: 0,
      controlActivityRecords: [
        {
          // c8 = 1100 1000: card and VU downloaded, roadside calibration checked
          controlType: { cardDownloading: true, vuDownloading: true, printing: false, display: false, roadsideCalibrationChecking: true },
          controlTime: '2025-05-05T07:00:00.000Z',
          controlledCardNumber: { cardType: 1, cardIssuingMemberState: 0x0d, cardNumber: 'DF00001234567801' },
          controlledVehicleRegistration: { vehicleRegistrationNation: 0x0d, vehicleRegistrationNumber: 'B-XY 123' },
          controlDownloadPeriodBegin: '2025-04-01T00:00:00.000Z',
          controlDownloadPeriodEnd: '2025-04-30T23:59:59.000Z',
        },
        null,
      ],
    });
  });

  it('EF Company_Activity_Data: a VU lock-in without a card downloaded; an activity type outside 1..4 is noted', () => {
    const lockIn = '03' + t('2025-05-05T07:30:00Z') + zeros(2) + '20'.repeat(16) + vri(0x0d, 'B-XY 123') + zeros(8);
    const r = clean('CompanyActivityData', FID.COMPANY_ACTIVITY_DATA, h(n16(0), lockIn), COMPANY_G1);
    expect(r.companyActivityRecords[0]).toEqual({
      companyActivityType: 3,
      companyActivityTime: '2025-05-05T07:30:00.000Z',
      cardNumberInformation: null,
      vehicleRegistrationInformation: { vehicleRegistrationNation: 0x0d, vehicleRegistrationNumber: 'B-XY 123' },
      downloadPeriodBegin: null,
      downloadPeriodEnd: null,
    });
    const problems: string[] = [];
    decode('CompanyActivityData', FID.COMPANY_ACTIVITY_DATA, h(n16(0), '07' + lockIn.slice(2)), COMPANY_G1, problems);
    expect(problems).toEqual(['record 0: companyActivityRecord companyActivityType: 7 is not 1..4 (App. 1 2.47)']);
  });
});

describe('gen2 version 2 EFs of a driver card', () => {
  const gnssAuth = (ts: string, acc: number, lat: number, lon: number, status: number) => t(ts) + n8(acc) + n24(lat & 0xffffff) + n24(lon & 0xffffff) + n8(status);

  it('EF Places_Authentication and EF GNSS_Places_Authentication: time and PositionAuthenticationStatus', () => {
    expect(clean('CardPlaceAuthDailyWorkPeriod', FID.PLACES_AUTHENTICATION, h(n16(1), t('2025-06-11T06:00:00Z') + '00', t('2025-06-11T10:40:00Z') + '01'), DRIVER_G2)).toEqual({
      placeAuthPointerNewestRecord: 1,
      placeAuthStatusRecords: [
        { entryTime: '2025-06-11T06:00:00.000Z', authenticationStatus: 0 },
        { entryTime: '2025-06-11T10:40:00.000Z', authenticationStatus: 1 },
      ],
    });
    expect(clean('GNSSAuthAccumulatedDriving', FID.GNSS_PLACES_AUTHENTICATION, h(n16(0), t('2025-06-11T10:12:00Z') + '01', zeros(5)), DRIVER_G2)).toEqual({
      gnssAuthADPointerNewestRecord: 0,
      gnssAuthStatusADRecords: [{ timeStamp: '2025-06-11T10:12:00.000Z', authenticationStatus: 1 }, null],
    });
  });

  it('EF Border_Crossings: countries, the authenticated position (south and west: negative) and the odometer', () => {
    // 50°50.5' N is 50505, 4°21.0' W is -4210 (App. 1 2.76: ±DDMM.M × 10)
    const crossing = '06' + '11' + gnssAuth('2025-06-11T10:40:00Z', 12, 50505, -4210, 1) + n24(123500);
    expect(clean('CardBorderCrossings', FID.BORDER_CROSSINGS, h(n16(0), crossing), DRIVER_G2)).toEqual({
      borderCrossingPointerNewestRecord: 0,
      cardBorderCrossingRecords: [
        {
          countryLeft: 0x06,
          countryEntered: 0x11,
          gnssPlaceAuthRecord: { timeStamp: '2025-06-11T10:40:00.000Z', gnssAccuracy: 12, geoCoordinates: { latitude: 50505, longitude: -4210 }, authenticationStatus: 1 },
          vehicleOdometerValue: 123500,
        },
      ],
    });
  });

  it('EF Load_Unload_Operations, EF Load_Type_Entries, EF VU_Configuration (content the VU maker defines: hex)', () => {
    const op = t('2025-06-11T11:05:00Z') + '03' + gnssAuth('2025-06-11T11:05:00Z', 8, 8388607, 8388607, 0) + n24(123520);
    expect(clean('CardLoadUnloadOperations', FID.LOAD_UNLOAD_OPERATIONS, h(n16(0), op, zeros(20)), DRIVER_G2).cardLoadUnloadRecords).toEqual([
      {
        timeStamp: '2025-06-11T11:05:00.000Z',
        operationType: 3,
        // 7FFFFF: position unknown
        gnssPlaceAuthRecord: { timeStamp: '2025-06-11T11:05:00.000Z', gnssAccuracy: 8, geoCoordinates: { latitude: 8388607, longitude: 8388607 }, authenticationStatus: 0 },
        vehicleOdometerValue: 123520,
      },
      null,
    ]);
    expect(clean('CardLoadTypeEntries', FID.LOAD_TYPE_ENTRIES, h(n16(0), t('2025-06-11T06:00:00Z') + '02'), DRIVER_G2)).toEqual({
      loadTypeEntryPointerNewestRecord: 0,
      cardLoadTypeEntryRecords: [{ timeStamp: '2025-06-11T06:00:00.000Z', loadTypeEntered: 2 }],
    });
    expect(clean('VuConfigurations', FID.VU_CONFIGURATION, h('0102ff'), DRIVER_G2)).toEqual({ vuConfigurations: '0102ff' });
  });
});

describe('a damaged EF says what and where, and still gives what it can', () => {
  it('a set of another size than its records, a pointer outside its set', () => {
    const problems: string[] = [];
    const r = decode('CardVehicleUnitsUsed', FID.VEHICLE_UNITS_USED, h(n16(7), t('2025-06-11T06:00:00Z') + '40' + '00' + ia5('0001', 4), '0102'), DRIVER_G2, problems);
    expect(r.cardVehicleUnitRecords).toEqual([{ timeStamp: '2025-06-11T06:00:00.000Z', manufacturerCode: 0x40, deviceID: 0, vuSoftwareVersion: '0001' }]);
    expect(problems).toEqual([
      'CardVehicleUnitsUsed: 12 bytes after the pointer are not whole records of 10; the last 2 are ignored',
      'CardVehicleUnitsUsed: pointer to the newest record 7 is outside its 1 records',
    ]);
  });

  it('record counts against EF Application_Identification', () => {
    const problems: string[] = [];
    const ctx: EfContext = { ...DRIVER_G2, applicationIdentification: { cardType: 'driver', typeOfTachographCardId: 1, cardStructureVersion: '0100', noOfEventsPerType: 12, noOfFaultsPerType: 24, activityStructureLength: 100, noOfCardVehicleRecords: 200, noOfCardPlaceRecords: 112, noOfGNSSADRecords: 336, noOfSpecificConditionRecords: 112, noOfCardVehicleUnitRecords: 200 } };
    decode('CardVehicleUnitsUsed', FID.VEHICLE_UNITS_USED, h(n16(0), zeros(20)), ctx, problems);
    decode('CardDriverActivity', FID.DRIVER_ACTIVITY_DATA, h(zeros(4 + 96)), ctx, problems);
    expect(problems).toEqual(['CardVehicleUnitsUsed: 2 records, EF Application_Identification gives 200', 'CardDriverActivity: 96 bytes of activityDailyRecords, EF Application_Identification gives 100']);
  });

  it('an EF too short for its one record throws CardFileError (a DecodeError): the file decoder reports it on the EF', () => {
    expect(() => decodeCardEfContent(FID.CURRENT_USAGE, h('00'), DRIVER_G2, [])).toThrow(CardFileError);
    expect(() => decodeCardEfContent(FID.CURRENT_USAGE, h('00'), DRIVER_G2, [])).toThrow('CardCurrentUse needs 19 bytes at 0, 1 left');
  });
});

describe('EF Driver_Activity_Data: the cyclic string (App. 1 2.17)', () => {
  /** A day record: previous length, date, counter (BCD), km, activity words. */
  const dayRecord = (previous: number, date: string, counter: string, km: number, words: string[]) => n16(previous) + n16(12 + 2 * words.length) + t(date) + counter + n16(km) + words.join('');
  // '0000' 00:00 driver inserted single break; '1960' = 0001 1001 0110 0000: driving at 06:00; '2ad0' card out at 12:00 (p=1, c=0, aa=01, t=720)
  const dayA = dayRecord(0, '2025-06-10T00:00:00Z', '0041', 250, ['0000', '1968', '2ad0']);
  const dayB = dayRecord(18, '2025-06-11T00:00:00Z', '0042', 0, ['6000', '5968']);

  it('two days written from the start of the string', () => {
    const bytes = h(n16(0), n16(18), dayA, dayB, zeros(30));
    const r = clean('CardDriverActivity', FID.DRIVER_ACTIVITY_DATA, bytes, DRIVER_G2);
    expect(r.activityDailyRecords.map((d) => [d.activityRecordDate, d.activityDailyPresenceCounter, d.activityDayDistance, d.activityChangeInfo.map((c) => [c.time.slice(11, 16), c.slot, c.cardStatus, c.drivingStatus ?? c.activityStatus, c.activity])])).toEqual([
      ['2025-06-10T00:00:00.000Z', 41, 250, [['00:00', 'driver', 'inserted', 'single', 'break-rest'], ['06:00', 'driver', 'inserted', 'single', 'driving'], ['12:00', 'driver', 'not-inserted', 'unknown', 'availability']]],
      // 6000: c=1 (crew) p=1 (out): following activity known; 5968: crew, inserted, driving at 06:00
      ['2025-06-11T00:00:00.000Z', 42, 0, [['00:00', 'driver', 'not-inserted', 'known', 'break-rest'], ['06:00', 'driver', 'inserted', 'crew', 'driving']]],
    ]);
  });

  it('a record whose header straddles the end of the string (TCS: storing continues at the first byte)', () => {
    // 40 bytes: day A (18) at 30, running to 47 => bytes 30..39 then 0..7; day B at 8
    const string = new Uint8Array(40);
    const a = fromHex(dayA);
    string.set(a.subarray(0, 10), 30);
    string.set(a.subarray(10), 0);
    string.set(fromHex(dayB), 8);
    const r = clean('CardDriverActivity', FID.DRIVER_ACTIVITY_DATA, h(n16(30), n16(8), Buffer.from(string).toString('hex')), DRIVER_G2);
    expect(r.activityDailyRecords.map((d) => [d.activityRecordDate, d.activityChangeInfo.length])).toEqual([
      ['2025-06-10T00:00:00.000Z', 3],
      ['2025-06-11T00:00:00.000Z', 2],
    ]);
  });

  it('damage: a previous length that lands on no record, a newest pointer outside, a record length that cannot be', () => {
    const problems: string[] = [];
    const broken = dayRecord(16, '2025-06-11T00:00:00Z', '0042', 0, ['6000', '5968']);
    const r = decode('CardDriverActivity', FID.DRIVER_ACTIVITY_DATA, h(n16(0), n16(18), dayA, broken, zeros(30)), DRIVER_G2, problems);
    // the newest day is kept; the walk stops where the chain breaks (byte 2 holds day A's length and date: 0x6847 = 26695)
    expect(r.activityDailyRecords.map((d) => d.activityRecordDate)).toEqual(['2025-06-11T00:00:00.000Z']);
    expect(problems).toEqual(['activityDailyRecords byte 18: activityPreviousRecordLength 16 points to byte 2, whose activityRecordLength is 26695']);
    const outside: string[] = [];
    expect(decode('CardDriverActivity', FID.DRIVER_ACTIVITY_DATA, h(n16(0), n16(90), dayA, zeros(50)), DRIVER_G2, outside).activityDailyRecords).toEqual([]);
    expect(outside).toEqual(['CardDriverActivity: a pointer (oldest 0, newest 90) is outside the 68 bytes of activityDailyRecords']);
    const length: string[] = [];
    decode('CardDriverActivity', FID.DRIVER_ACTIVITY_DATA, h(n16(0), n16(0), n16(0), n16(13), zeros(40)), DRIVER_G2, length);
    expect(length).toEqual(['activityDailyRecords byte 0: activityRecordLength 13 cannot be a day record (12 bytes of header, then 2 per activity change, within 44)']);
  });
});
