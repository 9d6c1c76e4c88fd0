import { readVehicleRegistration, type VehicleRegistrationIdentification } from './identification-fields.ts';
import { RecordReader } from './record-reader.ts';

/**
 * App. 1 2.16 `CardCurrentUse` (EF Current_Usage, 19 bytes): sessionOpenTime and sessionOpenVehicle, set at
 * insertion, "set to zero at card removal" (a null time: no session). EF Card_Download: 2.89
 * `LastCardDownload` (TimeReal) of a driver card, 2.103 `NoOfCalibrationsSinceDownload` of a workshop card.
 */
export interface CardCurrentUse {
  sessionOpenTime: string | null;
  sessionOpenVehicle: VehicleRegistrationIdentification;
}

export function decodeCardCurrentUse(value: Uint8Array, problems: string[] = []): CardCurrentUse {
  const r = new RecordReader(value, 0, 19, 'CardCurrentUse', problems);
  return { sessionOpenTime: r.time(0), sessionOpenVehicle: readVehicleRegistration(r, 4, 'sessionOpenVehicle') };
}

export function decodeLastCardDownload(value: Uint8Array, problems: string[] = []): { lastCardDownload: string | null } {
  return { lastCardDownload: new RecordReader(value, 0, 4, 'LastCardDownload', problems).time(0) };
}

export function decodeNoOfCalibrationsSinceDownload(value: Uint8Array, problems: string[] = []): { noOfCalibrationsSinceDownload: number } {
  return { noOfCalibrationsSinceDownload: new RecordReader(value, 0, 2, 'NoOfCalibrationsSinceDownload', problems).u16(0) };
}
