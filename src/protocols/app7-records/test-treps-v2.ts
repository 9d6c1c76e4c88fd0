import type { GnssPlaceAuthRecord } from '../app1/gnss-place-auth-record.ts';
import { RICH_ACTIVITIES, RICH_EVENTS, RICH_OVERVIEW, RICH_TECHNICAL } from './test-treps.ts';
import { encodeTrep24, type DownloadSigner } from './trep.ts';
import { encodeTrep00, encodeTrep31, encodeTrep32, encodeTrep33, encodeTrep35, type ActivitiesOfDayV2Data, type OverviewV2Data, type TechnicalV2Data } from './trep-v2.ts';

/**
 * A generation 2, version 2 download with records in every array (test code): the gen2 v1 rich data of
 * test-treps.ts, its places and GNSS positions with an authentication status, a border crossing, two
 * load/unload operations, the VU's digital map version and a v2 calibration.
 */
const DAY = Date.UTC(2026, 2, 3);
const AT = DAY / 1000;
const anna = { cardType: 'driver' as const, issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 as const };

const placeAt = (ms: number, authenticated: boolean, latitude: number, longitude: number): GnssPlaceAuthRecord => ({
  timeStamp: ms,
  gnssAccuracy: 12,
  geoCoordinates: { latitude, longitude },
  authenticationStatus: authenticated ? 'authenticated' : 'not-authenticated',
});

export const RICH_OVERVIEW_V2: OverviewV2Data = { ...RICH_OVERVIEW, registrationNation: 0x06 };

export const RICH_ACTIVITIES_V2: ActivitiesOfDayV2Data = {
  ...RICH_ACTIVITIES,
  places: [
    {
      fullCardNumberAndGeneration: anna,
      placeAuthRecord: { entryTime: DAY + 6 * 3_600_000, entryTypeDailyWorkPeriod: 0x02, dailyWorkPeriodCountry: 0x06, dailyWorkPeriodRegion: 0, vehicleOdometerValue: 1200, entryGNSSPlaceAuthRecord: placeAt(DAY + 6 * 3_600_000 - 5000, true, 50512, 4217) },
    },
  ],
  gnssAccumulatedDriving: [{ timeStamp: DAY + 9 * 3_600_000, cardNumberAndGenDriverSlot: anna, cardNumberAndGenCodriverSlot: null, gnssPlaceAuthRecord: placeAt(DAY + 9 * 3_600_000, false, 50420, 6050), vehicleOdometerValue: 1400 }],
  borderCrossings: [{ cardNumberAndGenDriverSlot: anna, cardNumberAndGenCodriverSlot: null, countryLeft: 0x06, countryEntered: 0x0d, gnssPlaceAuthRecord: placeAt(DAY + 8 * 3_600_000, true, 50460, 6010), vehicleOdometerValue: 1350 }],
  loadUnloadOperations: [
    { timeStamp: DAY + 7 * 3_600_000, operationType: 'load', cardNumberAndGenDriverSlot: anna, cardNumberAndGenCodriverSlot: null, gnssPlaceAuthRecord: placeAt(DAY + 7 * 3_600_000, true, 50512, 4217), vehicleOdometerValue: 1210 },
    { timeStamp: DAY + 11 * 3_600_000, operationType: 'unload', cardNumberAndGenDriverSlot: anna, cardNumberAndGenCodriverSlot: null, gnssPlaceAuthRecord: placeAt(DAY + 11 * 3_600_000, true, 50476, 6083), vehicleOdometerValue: 1500 },
  ],
};

export const RICH_TECHNICAL_V2: TechnicalV2Data = {
  ...RICH_TECHNICAL,
  identification: { ...RICH_TECHNICAL.identification, approvalNumber: 'e1-0002', digitalMapVersion: 'EU-2025.12' },
  calibrations: RICH_TECHNICAL.calibrations.map((c) => ({
    ...c,
    sensorSerialNumber: { serialNumber: 0x123456, monthYear: '0226', type: 7, manufacturerCode: 0x41 },
    sensorGNSSSerialNumber: null,
    rcmSerialNumber: { serialNumber: 0x777, monthYear: '0126', type: 9, manufacturerCode: 0x40 },
    byDefaultLoadType: 'goods' as const,
    calibrationCountry: 0x06,
    calibrationCountryTimestamp: AT - 60,
  })),
};

/** TREP 00, 31, 32, 33, 24 and 35, signed by `signer`, in the order a full gen2 v2 download gives them. */
export function richTrepV2Blocks(signer: DownloadSigner): { trep: number; data: Uint8Array }[] {
  return [
    { trep: 0x00, data: encodeTrep00() },
    { trep: 0x31, data: encodeTrep31(RICH_OVERVIEW_V2, signer) },
    { trep: 0x32, data: encodeTrep32(RICH_ACTIVITIES_V2, signer) },
    { trep: 0x33, data: encodeTrep33(RICH_EVENTS, signer) },
    { trep: 0x24, data: encodeTrep24([{ begin: AT + 600, speeds: Array.from({ length: 60 }, (_, i) => 50 + i) }], signer) },
    { trep: 0x35, data: encodeTrep35(RICH_TECHNICAL_V2, signer) },
  ];
}
