import type { TachographPayload } from './tachograph-payload.ts';

/** Test data shared by the DSRC codec tests: one RTM data set, worked by hand and checked with OpenSSL. */

/** The payload of the RTM vector (test/fixtures/dsrc-rtm-vector.sh uses exactly these 62 octets). */
export const EXAMPLE_PAYLOAD: TachographPayload = {
  vehicleRegistrationPlate: { countryCode: 276, alphabetIndicator: 0, licencePlateNumber: new TextEncoder().encode('B-TR 1234') },
  speedingEvent: true,
  drivingWithoutValidCard: false,
  driverCard: false,
  cardInsertion: false,
  motionDataError: false,
  vehicleMotionConflict: false,
  secondDriverCard: false,
  currentActivityDriving: false,
  lastSessionClosed: false,
  powerSupplyInterruption: 2,
  sensorFault: 1,
  timeAdjustment: 1768024800, // 2026-01-10 06:00:00
  latestBreachAttempt: 0,
  lastCalibrationData: 1748770200, // 2025-06-01 09:30:00
  prevCalibrationData: 1748768400, // 2025-06-01 09:00:00
  dateTachoConnected: 1748768400,
  currentSpeed: 83,
  timestamp: 1768464000, // 2026-01-15 08:00:00
  latestAuthenticatedPosition: 1768463980, // 07:59:40
  continuousDrivingTime: 22, // 45 min at 2 min/bit, floored
  dailyDrivingTimeShift: 255,
  dailyDrivingTimeWeek: 255,
  weeklyDrivingTime: 255,
  fortnightlyDrivingTime: 255,
};

/*
 * Worked by hand (X.696):
 *   RTM1  countryCode 276 = 01 0001 0100 (10 bits), left-aligned in 16 bits: 0100 0101 0000 0000 = 45 00
 *         alphabetIndicator latinAlphabetNo1 = 00; "B-TR 1234" = 42 2d 54 52 20 31 32 33 34, then 5 x 00
 *   RTM2  TRUE = ff; RTM3..RTM10 FALSE = 00 x 8
 *   RTM11 02; RTM12 01
 *   RTM13 1768024800 = 6961eae0; RTM14 00000000; RTM15 1748770200 = 683c1d98; RTM16 1748768400 = 683c1690
 *   RTM17 683c1690; RTM18 83 = 53; RTM19 1768464000 = 69689e80; RTM20 1768463980 = 69689e6c
 *   RTM21 22 = 16; RTM22..RTM25 ff ff ff ff
 */
export const EXAMPLE_PAYLOAD_OER =
  '4500' + '00' + '422d54522031323334' + '0000000000' + 'ff' + '0000000000000000' + '02' + '01' +
  '6961eae0' + '00000000' + '683c1d98' + '683c1690' + '683c1690' + '53' + '69689e80' + '69689e6c' + '16' + 'ffffffff';

/** The security data of the vector: 2026-01-15 08:00:00, counter 5, VU serial number 0000000101260640, version 1. */
export const EXAMPLE_SECURITY = { timeReal: 1768464000, counter: 5, vuId: Uint8Array.from(Buffer.from('0000000101260640', 'hex')), keyVersion: 1 };

/** K_M-DSRC version 1 of the test PKI, seed 7027. */
export const EXAMPLE_MASTER_KEY_V1 = '62f7f4205085ceeb8b1b55968deded15';

/** Output of `sh test/fixtures/dsrc-rtm-vector.sh` (OpenSSL 3 only). */
export const EXAMPLE_CIPHERTEXT =
  'f8e2e61c1cce7fd4aff2e76eb4f5121958c457b398bce6714bc714d39e733212305a69537fd9f31c20a0defaee6fa0c819a81a66fc7e2fa44b4c804c91904c26';
export const EXAMPLE_MAC = '914e6355ea63db25';
export const EXAMPLE_RTM_DATA = `874100${EXAMPLE_CIPHERTEXT}811069689e800000050000000101260640018e08${EXAMPLE_MAC}`;
