import { decodeCardApplicationIdentification } from '../app1/card-application-identification.ts';
import { decodeDriverCardApplicationIdentification, driverCardEfSizes, emptyDriverCardEf, type DriverCardApplicationIdentification } from './card-ef-codec.ts';
import { FID } from './card-file-ids.ts';
import type { Generation } from './card-ef-update.ts';

/**
 * The EFs a card records its holder's use of the vehicle in (events, faults, activities, vehicles used, places,
 * specific conditions; gen2 the VUs used and the GNSS accumulated driving places): a driver card's (App. 2
 * TCS_148, TCS_152) and a workshop card's (TCS_156, TCS_160: "the workshop card shall be able to store ... in the
 * same manner as the driver card", Annex IC 318-330, 340-356). One shape for both, so the VU's card writer and
 * the card image size and fill them the same way: the record counts of EF Application_Identification, read as
 * a driver card's (a workshop card's 2.234 WorkshopCardApplicationIdentification adds noOfCalibrationRecords, at
 * byte 10 in gen1 and 11 in gen2, which shifts the gen2 counts after it), and the EF sizes they give.
 *
 * The one size the counts do not give: a gen1 EF Specific_Conditions holds a fixed number of records without a
 * pointer: 56 on a driver card (TCS_150), 2 on a workshop card (TCS_158).
 */
export type UseCardType = 'driver' | 'workshop';

export const USE_EFS: Readonly<Record<Generation, readonly number[]>> = {
  1: [FID.EVENTS_DATA, FID.FAULTS_DATA, FID.DRIVER_ACTIVITY_DATA, FID.VEHICLES_USED, FID.PLACES, FID.SPECIFIC_CONDITIONS],
  2: [FID.EVENTS_DATA, FID.FAULTS_DATA, FID.DRIVER_ACTIVITY_DATA, FID.VEHICLES_USED, FID.PLACES, FID.SPECIFIC_CONDITIONS, FID.VEHICLE_UNITS_USED, FID.GNSS_PLACES],
};

/** TCS_150, TCS_158: records of a gen1 EF Specific_Conditions. */
export const G1_SPECIFIC_CONDITION_RECORDS: Readonly<Record<UseCardType, number>> = { driver: 56, workshop: 2 };

export const APPLICATION_IDENTIFICATION_BYTES: Readonly<Record<UseCardType, Readonly<Record<Generation, number>>>> = {
  driver: { 1: 10, 2: 17 },
  workshop: { 1: 11, 2: 19 },
};

/** EF Application_Identification of a driver or workshop card as the counts the use EFs need. */
export function useApplicationOf(bytes: Uint8Array, generation: Generation, cardType: UseCardType): DriverCardApplicationIdentification {
  if (cardType === 'driver') return decodeDriverCardApplicationIdentification(bytes, generation);
  const problems: string[] = [];
  const w = decodeCardApplicationIdentification(bytes, generation, problems, 'workshop');
  if (w.cardType !== 'workshop' || problems.length) throw new Error(`not a workshop card's EF Application_Identification: ${problems.join('; ') || w.cardType}`);
  return {
    generation,
    typeOfTachographCardId: w.typeOfTachographCardId,
    cardStructureVersion: w.cardStructureVersion,
    noOfEventsPerType: w.noOfEventsPerType,
    noOfFaultsPerType: w.noOfFaultsPerType,
    activityStructureLength: w.activityStructureLength,
    noOfCardVehicleRecords: w.noOfCardVehicleRecords,
    noOfCardPlaceRecords: w.noOfCardPlaceRecords,
    noOfGnssAdRecords: w.noOfGNSSADRecords ?? 0,
    noOfSpecificConditionRecords: w.noOfSpecificConditionRecords ?? 0,
    noOfCardVehicleUnitRecords: w.noOfCardVehicleUnitRecords ?? 0,
  };
}

/** The sizes of the use EFs (and the other EFs driverCardEfSizes knows) of a driver or workshop card. */
export function useEfSizes(app: DriverCardApplicationIdentification, cardType: UseCardType): Map<number, number> {
  const sizes = driverCardEfSizes(app);
  if (app.generation === 1) sizes.set(FID.SPECIFIC_CONDITIONS, G1_SPECIFIC_CONDITION_RECORDS[cardType] * 5);
  return sizes;
}

/** A use EF with nothing recorded yet (App. 2 default content), at the card type's size. */
export function emptyUseEf(fid: number, app: DriverCardApplicationIdentification, cardType: UseCardType): Uint8Array {
  if (fid === FID.SPECIFIC_CONDITIONS) return new Uint8Array(useEfSizes(app, cardType).get(fid)!);
  return emptyDriverCardEf(fid, app);
}
