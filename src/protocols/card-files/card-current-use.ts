import { concatBytes } from '../../crypto/bytes.ts';
import { decodeTimeReal, decodeVehicleRegistrationNumber, encodeTimeReal, encodeVehicleRegistrationNumber } from '../app1/app1-codec.ts';

/**
 * App. 1 2.16 `CardCurrentUse` (EF Current_Usage, 19 bytes, App. 2 TCS_150/154): the card session data
 * (Annex IC 273, 298): sessionOpenTime (TimeReal) and sessionOpenVehicle (VehicleRegistrationIdentification).
 * App. 2's default content, {00..00} and {00, 20..20}, is a card with no session open: what a VU writes back
 * before it releases the card (Annex IC 143, 150).
 */
export interface CardCurrentUse {
  /** ms; 0 when no session is open. */
  sessionOpenTime: number;
  vehicleRegistrationNation: number;
  vehicleRegistrationNumber: string;
}

export const CARD_CURRENT_USE_BYTES = 19;

export const NO_SESSION: CardCurrentUse = { sessionOpenTime: 0, vehicleRegistrationNation: 0, vehicleRegistrationNumber: '' };

export function encodeCardCurrentUse(v: CardCurrentUse): Uint8Array {
  return concatBytes(encodeTimeReal(v.sessionOpenTime), Uint8Array.of(v.vehicleRegistrationNation), encodeVehicleRegistrationNumber(v.vehicleRegistrationNumber));
}

export function decodeCardCurrentUse(bytes: Uint8Array): CardCurrentUse {
  if (bytes.length !== CARD_CURRENT_USE_BYTES) throw new RangeError(`CardCurrentUse is ${CARD_CURRENT_USE_BYTES} bytes, got ${bytes.length}`);
  return { sessionOpenTime: decodeTimeReal(bytes, 0), vehicleRegistrationNation: bytes[4]!, vehicleRegistrationNumber: decodeVehicleRegistrationNumber(bytes, 5) };
}
