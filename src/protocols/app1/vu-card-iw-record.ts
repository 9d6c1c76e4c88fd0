import {
  decodeFullCardNumberAndGeneration,
  decodeHolderName,
  decodeOdometerShort,
  decodeTimeReal,
  decodeVehicleRegistrationNumber,
  encodeFullCardNumberAndGeneration,
  encodeHolderName,
  encodeOdometerShort,
  encodeTimeReal,
  encodeVehicleRegistrationNumber,
  type FullCardNumberAndGeneration,
} from './app1-codec.ts';
import { concatBytes } from '../../crypto/bytes.ts';
import { CARD_SLOT_NUMBER, type CardGeneration, type CardSlot } from './card-type.ts';

/**
 * App. 1 2.177 `VuCardIWRecord` (generation 2): one insertion and withdrawal cycle of a driver or workshop
 * card, as the VU stores it (Annex IC 102) and downloads it (TREP 22 `VuCardIWRecordArray`). 131 bytes:
 *
 *   offset size field
 *        0   72 cardHolderName                     HolderName
 *       72   19 fullCardNumberAndGeneration        FullCardNumberAndGeneration
 *       91    4 cardExpiryDate                     TimeReal
 *       95    4 cardInsertionTime                  TimeReal
 *       99    3 vehicleOdometerValueAtInsertion    OdometerShort
 *      102    1 cardSlotNumber                     CardSlotNumber
 *      103    4 cardWithdrawalTime                 TimeReal
 *      107    3 vehicleOdometerValueAtWithdrawal   OdometerShort
 *      110   20 previousVehicleInfo                PreviousVehicleInfo (gen 2: VRN 15, withdrawal 4, VU generation 1)
 *      130    1 manualInputFlag                    ManualInputFlag
 */
export const VU_CARD_IW_RECORD_SIZE = 131;

/** App. 1 2.118 `PreviousVehicleInfo` (generation 2), as read from the card at insertion. */
export interface PreviousVehicleInfo {
  /** `VehicleRegistrationIdentification`: NationNumeric of the registering state and the VRN (≤ 13 chars). */
  registrationNation: number;
  registrationNumber: string;
  /** When the card was withdrawn from that vehicle, ms. */
  cardWithdrawalTime: number;
  vuGeneration: CardGeneration;
}

export interface VuCardIWRecord {
  cardHolderName: { surname: string; firstNames: string };
  fullCardNumberAndGeneration: FullCardNumberAndGeneration;
  /** ms (TimeReal of the card's `cardExpiryDate`). */
  cardExpiryDate: number;
  cardInsertionTime: number;
  vehicleOdometerValueAtInsertion: number;
  cardSlotNumber: CardSlot;
  /** null while the card is still inserted. */
  cardWithdrawalTime: number | null;
  vehicleOdometerValueAtWithdrawal: number | null;
  /** null when the card holds no previous vehicle (first use). */
  previousVehicleInfo: PreviousVehicleInfo | null;
  /** `ManualInputFlag`: the holder entered activities manually at insertion. */
  manualInputFlag: boolean;
}

/** App. 1 `VehicleRegistrationIdentification`: nation (1), then `VehicleRegistrationNumber` (code page + 13). */
function encodeVehicleRegistration(nation: number, number: string): Uint8Array {
  return concatBytes(Uint8Array.of(nation), encodeVehicleRegistrationNumber(number));
}

/**
 * Encodes the record. An open cycle (no withdrawal yet) writes withdrawal time and odometer as zeros, and a
 * card without a previous vehicle writes the default PreviousVehicleInfo (nation 0, code page 0, spaces,
 * time 0, generation 0): App. 1 leaves both cases open (choices).
 */
export function encodeVuCardIWRecord(record: VuCardIWRecord): Uint8Array {
  const out = new Uint8Array(VU_CARD_IW_RECORD_SIZE);
  out.set(encodeHolderName(record.cardHolderName), 0);
  out.set(encodeFullCardNumberAndGeneration(record.fullCardNumberAndGeneration), 72);
  out.set(encodeTimeReal(record.cardExpiryDate), 91);
  out.set(encodeTimeReal(record.cardInsertionTime), 95);
  out.set(encodeOdometerShort(record.vehicleOdometerValueAtInsertion), 99);
  out[102] = CARD_SLOT_NUMBER[record.cardSlotNumber];
  out.set(encodeTimeReal(record.cardWithdrawalTime ?? 0), 103);
  out.set(encodeOdometerShort(record.vehicleOdometerValueAtWithdrawal ?? 0), 107);
  const previous = record.previousVehicleInfo;
  out.set(encodeVehicleRegistration(previous?.registrationNation ?? 0, previous?.registrationNumber ?? ''), 110);
  out.set(encodeTimeReal(previous?.cardWithdrawalTime ?? 0), 125);
  out[129] = previous?.vuGeneration ?? 0;
  out[130] = record.manualInputFlag ? 1 : 0;
  return out;
}

export function decodeVuCardIWRecord(bytes: Uint8Array, offset = 0): VuCardIWRecord {
  const { fullCardNumberAndGeneration, ...rest } = readVuCardIWRecord(bytes, offset);
  if (!fullCardNumberAndGeneration) throw new Error('VuCardIWRecord without a card number');
  return { ...rest, fullCardNumberAndGeneration };
}

/** A VuCardIWRecord as a file may hold it: an anonymised one has no card number (all zero or all 'FF'H). */
export type VuCardIWRecordOfFile = Omit<VuCardIWRecord, 'fullCardNumberAndGeneration'> & { fullCardNumberAndGeneration: FullCardNumberAndGeneration | null };

/** The record with its card number null when it has none (`rig decode` of an anonymised file); decodeVuCardIWRecord refuses that. */
export function readVuCardIWRecord(bytes: Uint8Array, offset = 0): VuCardIWRecordOfFile {
  const b = bytes.subarray(offset, offset + VU_CARD_IW_RECORD_SIZE);
  if (b.length !== VU_CARD_IW_RECORD_SIZE) throw new Error(`VuCardIWRecord needs ${VU_CARD_IW_RECORD_SIZE} bytes`);
  const slot = b[102] === 0 ? 'driver' : b[102] === 1 ? 'co-driver' : undefined;
  if (!slot) throw new Error(`CardSlotNumber ${b[102]} is not 0 or 1`);
  const withdrawal = decodeTimeReal(b, 103);
  const vuGeneration = b[129];
  const previousVehicleInfo: PreviousVehicleInfo | null =
    vuGeneration === 1 || vuGeneration === 2
      ? {
          registrationNation: b[110]!,
          registrationNumber: decodeVehicleRegistrationNumber(b, 111),
          cardWithdrawalTime: decodeTimeReal(b, 125),
          vuGeneration,
        }
      : null;
  return {
    cardHolderName: decodeHolderName(b, 0),
    fullCardNumberAndGeneration: decodeFullCardNumberAndGeneration(b, 72),
    cardExpiryDate: decodeTimeReal(b, 91),
    cardInsertionTime: decodeTimeReal(b, 95),
    vehicleOdometerValueAtInsertion: decodeOdometerShort(b, 99),
    cardSlotNumber: slot,
    cardWithdrawalTime: withdrawal === 0 ? null : withdrawal,
    vehicleOdometerValueAtWithdrawal: withdrawal === 0 ? null : decodeOdometerShort(b, 107),
    previousVehicleInfo,
    manualInputFlag: b[130] === 1,
  };
}
