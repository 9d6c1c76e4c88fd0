import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { G1_EQUIPMENT_TYPE } from '../../crypto/pki-g1/rsa-certificate.ts';
import { encodeExtendedSerialNumber } from '../motion-sensor/payloads.ts';
import { concatBytes } from '../../crypto/bytes.ts';
import { encodeTrep01, encodeTrep02, encodeTrep03, encodeTrep04, encodeTrep05, type ActivitiesG1, type DetailedSpeedG1, type EventsAndFaultsG1, type G1DownloadSigner, type OverviewG1Input, type TechnicalDataG1 } from './trep-g1.ts';

/**
 * A small, genuine generation 1 VU download for tests, fuzzing and the decoders of other layers: every
 * element holds at least one record, each TREP signed with a VU key of the default gen1 test PKI
 * (TestPkiG1, seed 16844: EUR → MS → VU; the VU certificate ends 2040-12-31). Values are made up but valid.
 */
export const G1_TEST_DAY = Date.UTC(2026, 2, 3);
const T = (iso: string) => Date.parse(iso);

export const G1_TEST_VU_SERIAL = { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 };
export const G1_TEST_VU_CERTIFICATE_END = Date.UTC(2040, 11, 31, 23, 59, 59);

/** The VU's gen1 credential (CHR = its ExtendedSerialNumber) and a signer, from the gen1 test PKI of `seed`. */
export function g1TestSigner(seed?: number, endOfValidity: number | null = G1_TEST_VU_CERTIFICATE_END): G1DownloadSigner {
  const pki = TestPkiG1.of(seed === undefined ? {} : { seed });
  const vu = pki.equipment(encodeExtendedSerialNumber(G1_TEST_VU_SERIAL), G1_EQUIPMENT_TYPE.vehicleUnit, endOfValidity);
  return { key: vu.key, memberStateCertificate: pki.ms.certificate, vuCertificate: vu.certificate };
}

const anna = { cardType: 'driver' as const, issuingMemberState: 0x02, cardNumber: 'B000000012345601' };
const wendy = { cardType: 'workshop' as const, issuingMemberState: 0x02, cardNumber: 'B000000000777000' };
const carla = { cardType: 'control' as const, issuingMemberState: 0x02, cardNumber: 'B000000000CTL000' };
const acme = { cardType: 'company' as const, issuingMemberState: 0x02, cardNumber: 'B000000000ACM000' };
const vri = { vehicleRegistrationNation: 0x02, vehicleRegistrationNumber: 'B-RIG-001' };

export const G1_TEST_OVERVIEW: OverviewG1Input = {
  vehicleIdentificationNumber: 'WDB9634031L000001',
  vehicleRegistrationIdentification: vri,
  currentDateTime: T('2026-03-04T10:00:00Z'),
  vuDownloadablePeriod: { minDownloadableTime: T('2026-03-01T00:00:00Z'), maxDownloadableTime: T('2026-03-04T10:00:00Z') },
  cardSlotsStatus: { driver: 'driver', codriver: 'control' },
  vuDownloadActivityData: { downloadingTime: T('2026-03-02T09:00:00Z'), fullCardNumber: acme, companyOrWorkshopName: 'Acme Transport' },
  vuCompanyLocksRecords: [{ lockInTime: T('2026-03-01T08:00:00Z'), lockOutTime: null, companyName: 'Acme Transport', companyAddress: '1 Haven Road, Antwerp', companyCardNumber: acme }],
  vuControlActivityRecords: [{ controlType: 0xc0, controlTime: T('2026-03-04T09:30:00Z'), controlCardNumber: carla, downloadPeriodBeginTime: T('2026-03-02T00:00:00Z'), downloadPeriodEndTime: T('2026-03-03T00:00:00Z') }],
};

export const G1_TEST_ACTIVITIES: ActivitiesG1 = {
  dateOfDayDownloaded: G1_TEST_DAY,
  odometerValueMidnight: 12_345,
  vuCardIWRecords: [
    {
      cardHolderName: { surname: 'PEETERS', firstNames: 'Anna' },
      fullCardNumber: anna,
      cardExpiryDate: T('2030-12-31T00:00:00Z'),
      cardInsertionTime: T('2026-03-03T06:00:00Z'),
      vehicleOdometerValueAtInsertion: 12_300,
      cardSlotNumber: 'driver',
      cardWithdrawalTime: T('2026-03-03T16:30:00Z'),
      vehicleOdometerValueAtWithdrawal: 12_345,
      previousVehicleInfo: { vehicleRegistrationIdentification: { vehicleRegistrationNation: 0x0d, vehicleRegistrationNumber: 'M-AB 123' }, cardWithdrawalTime: T('2026-03-02T17:00:00Z') },
      manualInputFlag: false,
    },
  ],
  activityChangeInfos: [
    { slot: 'driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute: 0 },
    { slot: 'co-driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute: 0 },
    { slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'work', minute: 360 },
    { slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'driving', minute: 375 },
  ],
  vuPlaceDailyWorkPeriodRecords: [{ fullCardNumber: anna, placeRecord: { entryTime: T('2026-03-03T06:00:00Z'), entryTypeDailyWorkPeriod: 0, dailyWorkPeriodCountry: 0x02, dailyWorkPeriodRegion: 0, vehicleOdometerValue: 12_300 } }],
  specificConditionRecords: [{ entryTime: T('2026-03-03T12:00:00Z'), specificConditionType: 3 }],
};

export const G1_TEST_EVENTS: EventsAndFaultsG1 = {
  vuFaultRecords: [
    {
      faultType: 0x31,
      faultRecordPurpose: 0x00,
      faultBeginTime: T('2026-03-03T07:00:00Z'),
      faultEndTime: T('2026-03-03T07:05:00Z'),
      cardNumberDriverSlotBegin: anna,
      cardNumberCodriverSlotBegin: null,
      cardNumberDriverSlotEnd: anna,
      cardNumberCodriverSlotEnd: null,
    },
  ],
  vuEventRecords: [
    {
      eventType: 0x08,
      eventRecordPurpose: 0x07,
      eventBeginTime: T('2026-03-03T08:00:00Z'),
      eventEndTime: null,
      cardNumberDriverSlotBegin: null,
      cardNumberCodriverSlotBegin: null,
      cardNumberDriverSlotEnd: null,
      cardNumberCodriverSlotEnd: null,
      similarEventsNumber: 2,
    },
  ],
  vuOverSpeedingControlData: { lastOverspeedControlTime: T('2026-03-01T10:00:00Z'), firstOverspeedSince: T('2026-03-03T09:00:00Z'), numberOfOverspeedSince: 1 },
  vuOverSpeedingEventRecords: [
    { eventType: 0x07, eventRecordPurpose: 0x00, eventBeginTime: T('2026-03-03T09:00:00Z'), eventEndTime: T('2026-03-03T09:01:10Z'), maxSpeedValue: 97, averageSpeedValue: 93, cardNumberDriverSlotBegin: anna, similarEventsNumber: 1 },
  ],
  vuTimeAdjustmentRecords: [{ oldTimeValue: T('2026-03-03T11:00:00Z'), newTimeValue: T('2026-03-03T11:00:30Z'), workshopName: 'Rig Tachograph Workshop', workshopAddress: '2 Calibration Lane, Brussels', workshopCardNumber: wendy }],
};

export const G1_TEST_SPEED: DetailedSpeedG1 = {
  vuDetailedSpeedBlocks: [{ speedBlockBeginDate: T('2026-03-03T06:15:00Z'), speedsPerSecond: Array.from({ length: 60 }, (_, i) => 30 + i) }],
};

export const G1_TEST_TECHNICAL: TechnicalDataG1 = {
  vuIdentification: {
    vuManufacturerName: 'Rig Test Tachographs',
    vuManufacturerAddress: '1 Test Street, Brussels',
    vuPartNumber: 'RIG-VU-2',
    vuSerialNumber: G1_TEST_VU_SERIAL,
    vuSoftwareIdentification: { vuSoftwareVersion: '0100', vuSoftInstallationDate: T('2026-01-01T00:00:00Z') },
    vuManufacturingDate: T('2026-01-01T00:00:00Z'),
    vuApprovalNumber: 'e1-0001',
  },
  sensorPaired: { sensorSerialNumber: { serialNumber: 7, monthYear: '0126', type: 7, manufacturerCode: 0x40 }, sensorApprovalNumber: 'e1-0002', sensorPairingDateFirst: T('2026-01-02T00:00:00Z') },
  vuCalibrationRecords: [
    {
      calibrationPurpose: 0x03,
      workshopName: 'Rig Tachograph Workshop',
      workshopAddress: '2 Calibration Lane, Brussels',
      workshopCardNumber: wendy,
      workshopCardExpiryDate: T('2030-12-31T00:00:00Z'),
      vehicleIdentificationNumber: 'WDB9634031L000001',
      vehicleRegistrationIdentification: vri,
      wVehicleCharacteristicConstant: 8000,
      kConstantOfRecordingEquipment: 8000,
      lTyreCircumference: 25_600,
      tyreSize: '315/80 R22.5',
      authorisedSpeed: 90,
      oldOdometerValue: 0,
      newOdometerValue: 12_000,
      oldTimeValue: T('2026-01-02T00:00:00Z'),
      newTimeValue: T('2026-01-02T00:00:00Z'),
      nextCalibrationDate: T('2028-01-02T00:00:00Z'),
    },
  ],
};

/** The five blocks, each as TREP and data, signed by `signer`. */
export function g1TestBlocks(signer: G1DownloadSigner = g1TestSigner()): { trep: number; data: Uint8Array }[] {
  return [
    { trep: 0x01, data: encodeTrep01(G1_TEST_OVERVIEW, signer) },
    { trep: 0x02, data: encodeTrep02(G1_TEST_ACTIVITIES, signer) },
    { trep: 0x03, data: encodeTrep03(G1_TEST_EVENTS, signer) },
    { trep: 0x04, data: encodeTrep04(G1_TEST_SPEED, signer) },
    { trep: 0x05, data: encodeTrep05(G1_TEST_TECHNICAL, signer) },
  ];
}

/** The whole .DDD file (DDP_034): `76 TREP data` per block. */
export function g1TestDownload(signer: G1DownloadSigner = g1TestSigner()): Uint8Array {
  return concatBytes(...g1TestBlocks(signer).flatMap((b) => [Uint8Array.of(0x76, b.trep), b.data]));
}
