import type { VuCardIWRecord } from '../app1/vu-card-iw-record.ts';
import { vuTimeAdjustmentOf } from './event-records.ts';
import { encodeTrep21, encodeTrep22, encodeTrep23, encodeTrep24, encodeTrep25, type ActivitiesOfDayData, type DownloadSigner, type EventsAndFaultsData, type OverviewData, type TechnicalData } from './trep.ts';

/**
 * TREPs 21..25 with records in every array, for fuzzing and benchmarks (test code): a damaged byte then falls
 * inside a record as often as inside a header, so the record decoders behind the layout checks are reached.
 */
const DAY = Date.UTC(2026, 2, 3);
const AT = DAY / 1000;
const anna = { cardType: 'driver' as const, issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 as const };
const company = { cardType: 'company' as const, issuingMemberState: 0x06, cardNumber: 'B000000000555000', generation: 2 as const };
const control = { cardType: 'control' as const, issuingMemberState: 0x0d, cardNumber: 'D000000000999000', generation: 1 as const };
const workshopCard = { cardType: 'workshop' as const, issuingMemberState: 0x06, cardNumber: 'B000000000777000', generation: 2 as const };

export const RICH_OVERVIEW: OverviewData = {
  vin: 'WDB9634031L000001',
  registrationNumber: 'B-RIG-001',
  currentTime: DAY + 9 * 3_600_000,
  minDownloadableTime: DAY - 86_400_000,
  maxDownloadableTime: DAY + 8 * 3_600_000,
  slots: { driver: 'driver', codriver: 'workshop' },
  lastDownload: { downloadingTime: DAY - 3_600_000, card: company, companyOrWorkshopName: 'Rig Haulage' },
  companyLocks: [{ lockInTime: DAY - 86_400_000, lockOutTime: null, companyName: 'Rig Haulage', companyAddress: '4 Depot Lane, Ghent', companyCard: company }],
  controls: [{ controlType: 0b1110_0000, controlTime: DAY + 3_600_000, controlCard: control, downloadPeriodBeginTime: DAY - 86_400_000, downloadPeriodEndTime: DAY }],
};

const IW: VuCardIWRecord = {
  cardHolderName: { surname: 'PEETERS', firstNames: 'Anna' },
  fullCardNumberAndGeneration: anna,
  cardExpiryDate: Date.UTC(2030, 11, 31),
  cardInsertionTime: DAY + 6 * 3_600_000,
  vehicleOdometerValueAtInsertion: 1200,
  cardSlotNumber: 'driver',
  cardWithdrawalTime: DAY + 15 * 3_600_000,
  vehicleOdometerValueAtWithdrawal: 1534,
  previousVehicleInfo: { registrationNation: 0x06, registrationNumber: 'B-OLD-007', cardWithdrawalTime: DAY - 86_400_000, vuGeneration: 2 },
  manualInputFlag: false,
};

export const RICH_ACTIVITIES: ActivitiesOfDayData = {
  day: DAY,
  odometerAtMidnightKm: 1534,
  cardIW: [IW],
  activities: [
    { slot: 'driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute: 0 },
    { slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'driving', minute: 360 },
  ],
  places: [{ card: anna, entryTime: DAY + 6 * 3_600_000, entryType: 0x02, country: 0x06, region: 0, odometerKm: 1200, place: { timeStamp: DAY + 6 * 3_600_000 - 5000, gnssAccuracy: 3, latitude: 50512, longitude: -4217 } }],
  gnssAccumulatedDriving: [{ timeStamp: DAY + 9 * 3_600_000, driverCard: anna, codriverCard: null, place: { timeStamp: DAY + 9 * 3_600_000, gnssAccuracy: 2, latitude: -33450, longitude: 151120 }, odometerKm: 1400 }],
  specificConditions: [{ entryTime: DAY + 10 * 3_600_000, type: 3 }],
};

export const RICH_EVENTS: EventsAndFaultsData = {
  records: [
    { type: 0x02, category: 'event', purpose: 0x03, begin: AT + 60, end: AT + 960, cardsAtBegin: { driver: null, codriver: null }, cardsAtEnd: { driver: anna, codriver: null }, similarEvents: 1, data: {} },
    { type: 0x07, category: 'event', purpose: 0x00, begin: AT + 100, end: AT + 200, cardsAtBegin: { driver: anna, codriver: null }, cardsAtEnd: null, similarEvents: 3, data: { maxSpeed: 104, averageSpeed: 95 } },
    { type: 0x31, category: 'fault', purpose: 0x00, begin: AT, end: AT + 600, cardsAtBegin: { driver: anna, codriver: null }, cardsAtEnd: { driver: anna, codriver: null }, similarEvents: 0, data: {} },
  ],
  overSpeedingControl: { lastControl: 0, firstOverSpeedSince: AT + 100, numberOfOverSpeedSince: 1 },
  timeAdjustments: [vuTimeAdjustmentOf({ oldTime: AT, newTime: AT + 120, kind: 'workshop', workshopCard }, { name: 'Rig Tachograph Workshop', address: '2 Calibration Lane, Brussels' })],
};

export const RICH_TECHNICAL: TechnicalData = {
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
  sensorPairings: [{ sensorSerialNumber: { serialNumber: 0x123456, monthYear: '0226', type: 7, manufacturerCode: 0x41 }, sensorApprovalNumber: 'e1-MS-TEST-01', sensorPairingDate: AT }],
  gnssCouplings: [{ sensorSerialNumber: { serialNumber: 0x654321, monthYear: '0226', type: 8, manufacturerCode: 0x42 }, sensorApprovalNumber: 'e1-EGF-TEST-01', sensorCouplingDate: AT }],
  calibrations: [
    {
      calibrationPurpose: 0x03,
      workshopName: 'Rig Tachograph Workshop',
      workshopAddress: '2 Calibration Lane, Brussels',
      workshopCardNumber: { cardType: 'workshop', issuingMemberState: 0x06, cardNumber: 'B000000000777000' },
      workshopCardExpiryDate: 1924905600,
      vehicleIdentificationNumber: 'WDB9634031L000001',
      vehicleRegistrationIdentification: { vehicleRegistrationNation: 0x06, vehicleRegistrationNumber: '1-ABC-234' },
      wVehicleCharacteristicConstant: 6000,
      kConstantOfRecordingEquipment: 6000,
      lTyreCircumference: 3200,
      tyreSize: '315/70R22.5',
      authorisedSpeed: 90,
      oldOdometerValue: 1234,
      newOdometerValue: 120_000,
      oldTimeValue: AT,
      newTimeValue: AT,
      nextCalibrationDate: 1835568000,
      sealDataVu: [{ equipmentType: 7, manufacturerCode: '0A1B', sealIdentifier: '0102030405060708' }],
    },
  ],
  cards: [{ cardNumberAndGenerationInformation: anna, cardExtendedSerialNumber: { serialNumber: 0x01020304, monthYear: '0125', type: 1, manufacturerCode: 0x42 }, cardStructureVersion: '0100', cardNumber: 'B000000012345601' }],
  itsConsents: [{ cardNumberAndGen: anna, consent: true }],
  powerSupplyInterruptions: [
    { type: 0x08, category: 'event', purpose: 0x01, begin: AT + 3600, end: AT + 5400, cardsAtBegin: { driver: anna, codriver: null }, cardsAtEnd: { driver: null, codriver: null }, similarEvents: 2, data: {} },
  ],
};

/** The five TREPs' data, signed by `signer`. */
export function richTrepBlocks(signer: DownloadSigner): { trep: number; data: Uint8Array }[] {
  return [
    { trep: 0x21, data: encodeTrep21(RICH_OVERVIEW, signer) },
    { trep: 0x22, data: encodeTrep22(RICH_ACTIVITIES, signer) },
    { trep: 0x23, data: encodeTrep23(RICH_EVENTS, signer) },
    { trep: 0x24, data: encodeTrep24([{ begin: AT + 600, speeds: Array.from({ length: 60 }, (_, i) => 50 + i) }], signer) },
    { trep: 0x25, data: encodeTrep25(RICH_TECHNICAL, signer) },
  ];
}
