import { z } from 'zod';
import { cardExpiryDate } from '../../cards/card.ts';
import type { WorkshopCard } from '../../cards/card-schema.ts';
import { sealSchema, type VuOptions } from '../vu-options.ts';
import { workshopCardNumber } from './calibration-access.ts';
import type { VuCalibration } from '../../../protocols/app7-records/technical-records.ts';
import type { LoadType } from '../../../protocols/app7-records/technical-records-v2.ts';

/** App. 1 §2.90a LoadType values a calibration may enter (Annex IC 120: goods or passengers; '00'H undefined). */
export const LOAD_TYPES = ['undefined', 'goods', 'passengers'] as const satisfies readonly LoadType[];

/**
 * The calibration function (Annex IC §3.21, requirements 119-120): in calibration mode, a workshop sets the
 * vehicle's parameters and the VU keeps each set as an App. 1 §2.174 VuCalibrationRecord (generation 2,
 * version 1: the generation 1 fields and sealDataVu). Plain data and pure functions.
 */

/** The parameters a calibration sets and the VU works with (the options' `calibration` until the first one). */
export interface CalibrationParameters {
  vin: string;
  registrationNation: number;
  registrationNumber: string;
  /** W-VehicleCharacteristicConstant, impulses per km. */
  w: number;
  /** K-ConstantOfRecordingEquipment, impulses per km: what the VU divides its pulses by. */
  k: number;
  /** L-TyreCircumference, mm. */
  l: number;
  tyreSize: string;
  authorisedSpeedKmh: number;
  seals: Seal[];
  /** Annex IC 120 (version 2): the by-default load type of the vehicle, stored on each card inserted (147a). */
  byDefaultLoadType: LoadType;
}

export type Seal = z.output<typeof sealSchema>;

/** App. 1 §2.8 CalibrationPurpose, generation 2. */
export const CALIBRATION_PURPOSE = {
  activation: 0x01,
  'first-installation': 0x02,
  installation: 0x03,
  'periodic-inspection': 0x04,
  'vrn-entry-by-company': 0x05,
  'time-adjustment': 0x06,
} as const;
export type CalibrationPurposeName = keyof typeof CALIBRATION_PURPOSE;

/**
 * App. 1 §2.174 VuCalibrationRecord (generation 2, version 1), as plain data, times TimeReal: the same type
 * the TREP 25 encoder writes, so a calibration goes into a download as the VU keeps it; with what version 2
 * adds that the VU knows only at the calibration (Annex IC 120): the by-default load type entered, and the
 * country it was performed in with the time of the position that told it (TREP 35, gen2v2-format.ts). Absent
 * in records of a data memory saved before they were kept.
 */
export type VuCalibrationRecord = VuCalibration & { byDefaultLoadType?: LoadType; calibrationCountry?: number; calibrationCountryTimestamp?: number };

/** What a workshop may set in one calibration (the `calibrate` stimulus); what it leaves out stays as it is. */
export const calibrationChangeSchema = z.strictObject({
  purpose: z.enum(Object.keys(CALIBRATION_PURPOSE) as [CalibrationPurposeName, ...CalibrationPurposeName[]]).default('periodic-inspection'),
  w: z.number().int().min(1).max(0xffff).optional(),
  k: z.number().int().min(1).max(0xffff).optional(),
  l: z.number().int().min(1).max(0xffff).optional(),
  tyreSize: z.string().max(15).optional(),
  vin: z.string().max(17).optional(),
  registrationNation: z.number().int().min(0).max(255).optional(),
  registrationNumber: z.string().max(13).optional(),
  authorisedSpeedKmh: z.number().int().min(1).max(220).optional(),
  /** A new odometer value, km (OdometerShort: whole km). */
  odometerKm: z.number().int().min(0).max(9_999_999).optional(),
  seals: z.array(sealSchema).max(5).optional(),
  /** Annex IC 120 (version 2): the vehicle's by-default load type. */
  byDefaultLoadType: z.enum(LOAD_TYPES).optional(),
  /** Next calibration, YYYY-MM-DD; by default two years after this one (Regulation (EU) 165/2014 art. 23). */
  nextCalibrationDate: z.iso.date().optional(),
});
export type CalibrationChange = z.output<typeof calibrationChangeSchema>;

export function initialCalibration(options: VuOptions['calibration']): CalibrationParameters {
  const { vin, registrationNation, registrationNumber, w, k, l, tyreSize, authorisedSpeedKmh, seals, byDefaultLoadType } = options;
  return { vin, registrationNation, registrationNumber, w, k, l, tyreSize, authorisedSpeedKmh, seals, byDefaultLoadType };
}

export interface CalibrationInput {
  current: CalibrationParameters;
  change: CalibrationChange;
  card: WorkshopCard;
  /** TimeReal of the calibration (VU time). */
  at: number;
  odometerKm: number;
  /**
   * Annex IC 120 (version 2): the country the VU takes the vehicle to be in (NationNumeric) and the TimeReal of
   * the GNSS position it took that from (0: none).
   */
  country?: { nation: number; positionTime: number };
}

/** Annex IC 119: the new parameters and the record that keeps them. */
export function calibrate({ current, change, card, at, odometerKm, country }: CalibrationInput): { parameters: CalibrationParameters; record: VuCalibrationRecord } {
  const parameters: CalibrationParameters = {
    vin: change.vin ?? current.vin,
    registrationNation: change.registrationNation ?? current.registrationNation,
    registrationNumber: change.registrationNumber ?? current.registrationNumber,
    w: change.w ?? current.w,
    k: change.k ?? current.k,
    l: change.l ?? current.l,
    tyreSize: change.tyreSize ?? current.tyreSize,
    authorisedSpeedKmh: change.authorisedSpeedKmh ?? current.authorisedSpeedKmh,
    seals: change.seals ?? current.seals,
    byDefaultLoadType: change.byDefaultLoadType ?? current.byDefaultLoadType,
  };
  const oldOdometer = Math.floor(odometerKm);
  const record: VuCalibrationRecord = {
    calibrationPurpose: CALIBRATION_PURPOSE[change.purpose],
    workshopName: card.workshopName,
    workshopAddress: card.address ?? '',
    workshopCardNumber: workshopCardNumber(card),
    workshopCardExpiryDate: cardExpiryDate(card) / 1000,
    vehicleIdentificationNumber: parameters.vin,
    vehicleRegistrationIdentification: { vehicleRegistrationNation: parameters.registrationNation, vehicleRegistrationNumber: parameters.registrationNumber },
    wVehicleCharacteristicConstant: parameters.w,
    kConstantOfRecordingEquipment: parameters.k,
    lTyreCircumference: parameters.l,
    tyreSize: parameters.tyreSize,
    authorisedSpeed: parameters.authorisedSpeedKmh,
    oldOdometerValue: oldOdometer,
    newOdometerValue: change.odometerKm ?? oldOdometer,
    // The rig's calibration does not set the clock (that is a time adjustment): old and new time are equal.
    oldTimeValue: at,
    newTimeValue: at,
    nextCalibrationDate: change.nextCalibrationDate !== undefined ? Date.parse(`${change.nextCalibrationDate}T00:00:00Z`) / 1000 : twoYearsAfter(at),
    sealDataVu: parameters.seals,
    byDefaultLoadType: parameters.byDefaultLoadType,
    ...(country ? { calibrationCountry: country.nation, calibrationCountryTimestamp: country.positionTime } : {}),
  };
  return { parameters, record };
}

/** The same calendar day two years on, 00:00 UTC (29 February goes to 1 March). */
function twoYearsAfter(timeReal: number): number {
  const d = new Date(timeReal * 1000);
  return Date.UTC(d.getUTCFullYear() + 2, d.getUTCMonth(), d.getUTCDate()) / 1000;
}
