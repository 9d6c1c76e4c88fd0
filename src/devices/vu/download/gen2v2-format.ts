import { fromHex } from '../../../crypto/bytes.ts';
import type { GnssPlace } from '../../../protocols/app1/gnss-place-record.ts';
import type { GnssPlaceAuthRecord } from '../../../protocols/app1/gnss-place-auth-record.ts';
import type { OperationType, VuBorderCrossingRecord, VuLoadUnloadRecord } from '../../../protocols/app1/vu-gnss-records-v2.ts';
import type { ActivitiesOfDayData, ActivitiesOfDayV2Data, OverviewData, OverviewV2Data, TechnicalData, TechnicalV2Data, VuCalibrationV2 } from '../../../protocols/app7-records/index.ts';
import { decodeExtendedSerialNumber } from '../../../protocols/motion-sensor/payloads.ts';
import type { VuCalibrationRecord } from '../calibration/calibration.ts';
import type { V2RecordsState } from '../v2-records/v2-records.ts';

/**
 * The VU's data memory in the generation 2, version 2 download (App. 7 DDP_011 third column, DDP_028a..033):
 * the data of TREP 21, 22 and 25 in their version 2 records (trep-v2.ts encodes and signs them as gen2 v1's,
 * CSM_233), and what only a version 2 download carries: the day's border crossings and load/unload operations
 * (TREP 32; Annex IC 133a, 62a). TREP 33 is TREP 23's table and TREP 24 serves both versions (App. 7 note M3).
 *
 * Choices (README, "Gen2 v2 VU download"): no position is authenticated (the rig has no OSNMA, as on the cards:
 * authenticationStatus 'not-authenticated'); the VU holds no digital map (vuDigitalMapVersion blank); a
 * calibration's motion sensor and external GNSS facility are the ones paired and coupled at its time, its remote
 * communication facility none (the rig's DSRC-VU has no ExtendedSerialNumber); a calibration kept before the
 * version 2 fields were (an older data memory file) gives load type 'undefined' and country 0.
 */

const DAY_MS = 86_400_000;

/** App. 1 §2.79c: a position and its authentication status; the rig's are never authenticated (no OSNMA). */
function authPlace(place: GnssPlace): GnssPlaceAuthRecord {
  return { timeStamp: place.timeStamp, gnssAccuracy: place.gnssAccuracy, geoCoordinates: { latitude: place.latitude, longitude: place.longitude }, authenticationStatus: 'not-authenticated' };
}

/** DDP_029 TREP 31: TREP 21's content, the registration with its nation (App. 1 §2.166a VehicleRegistrationIdentification). */
export function overviewV2(data: OverviewData, registrationNation: number): OverviewV2Data {
  return { ...data, registrationNation };
}

const OPERATION: Readonly<Record<number, OperationType>> = { 1: 'load', 2: 'unload', 3: 'load-unload' };

/**
 * DDP_030 TREP 32: the day of TREP 22 in version 2 records, with the border crossings and load/unload operations
 * of that day (VU time), chronological; `readable` the company-mode filter of TREP 22 (Annex IC 13), applied to
 * them by their own time stamps (they carry card numbers: driver related data, a choice).
 */
export function activitiesOfDayV2(day: ActivitiesOfDayData, v2: V2RecordsState, readable: (t: number) => boolean): ActivitiesOfDayV2Data {
  const inDay = (t: number) => t >= day.day && t < day.day + DAY_MS && readable(t);
  const borderCrossings: VuBorderCrossingRecord[] = v2.borderCrossings
    .filter((b) => inDay(b.at))
    .map((b) => ({ cardNumberAndGenDriverSlot: b.driverCard, cardNumberAndGenCodriverSlot: b.codriverCard, countryLeft: b.countryLeft, countryEntered: b.countryEntered, gnssPlaceAuthRecord: authPlace(b.place), vehicleOdometerValue: b.odometerKm }));
  const loadUnloadOperations: VuLoadUnloadRecord[] = v2.loadUnloads
    .filter((r) => inDay(r.timeStamp))
    .map((r) => ({ timeStamp: r.timeStamp, operationType: OPERATION[r.operationType]!, cardNumberAndGenDriverSlot: r.driverCard, cardNumberAndGenCodriverSlot: r.codriverCard, gnssPlaceAuthRecord: authPlace(r.place), vehicleOdometerValue: r.odometerKm }));
  return {
    ...day,
    places: day.places.map((p) => ({
      fullCardNumberAndGeneration: p.card,
      placeAuthRecord: { entryTime: p.entryTime, entryTypeDailyWorkPeriod: p.entryType, dailyWorkPeriodCountry: p.country, dailyWorkPeriodRegion: p.region, vehicleOdometerValue: p.odometerKm, entryGNSSPlaceAuthRecord: authPlace(p.place) },
    })),
    gnssAccumulatedDriving: day.gnssAccumulatedDriving.map((g) => ({ timeStamp: g.timeStamp, cardNumberAndGenDriverSlot: g.driverCard, cardNumberAndGenCodriverSlot: g.codriverCard, gnssPlaceAuthRecord: authPlace(g.place), vehicleOdometerValue: g.odometerKm })),
    borderCrossings,
    loadUnloadOperations,
  };
}

/** DDP_033 TREP 35: TREP 25's arrays, VuIdentification and VuCalibrationRecord in their version 2 form (App. 1 §2.205, §2.174). */
export function technicalDataV2(data: TechnicalData, calibrations: readonly VuCalibrationRecord[], gnssCouplings: readonly { egfSerialNumber: string; couplingDate: number }[]): TechnicalV2Data {
  return {
    ...data,
    identification: { ...data.identification, digitalMapVersion: '' },
    calibrations: calibrations.map((c): VuCalibrationV2 => {
      const { byDefaultLoadType, calibrationCountry, calibrationCountryTimestamp, ...v1 } = c;
      // Annex IC 120: the serial numbers of the motion sensor and the external GNSS facility in place at the calibration
      const sensor = data.sensorPairings.filter((p) => p.sensorPairingDate <= c.newTimeValue).at(-1);
      const egf = gnssCouplings.filter((g) => g.couplingDate <= c.newTimeValue).at(-1);
      return {
        ...v1,
        sensorSerialNumber: sensor?.sensorSerialNumber ?? null,
        sensorGNSSSerialNumber: egf ? decodeExtendedSerialNumber(fromHex(egf.egfSerialNumber)) : null,
        rcmSerialNumber: null,
        byDefaultLoadType: byDefaultLoadType ?? 'undefined',
        calibrationCountry: calibrationCountry ?? 0,
        calibrationCountryTimestamp: calibrationCountryTimestamp ?? 0,
      };
    }),
  };
}
