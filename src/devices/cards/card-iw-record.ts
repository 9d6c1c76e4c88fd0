import { cardExpiryDate, fullCardNumberOf, holderNameOf, type VirtualCard } from './card.ts';
import type { CardSlot } from '../../protocols/app1/card-type.ts';
import type { PreviousVehicleInfo, VuCardIWRecord } from '../../protocols/app1/vu-card-iw-record.ts';

// The record's layout and codec are App. 1's (protocols/app1/vu-card-iw-record.ts); opening and closing one
// at insertion and withdrawal is the VU's (Annex IC 102).

/** The record a VU opens when a driver or workshop card is inserted (Annex IC 102). */
export function cardIWRecordAtInsertion(
  card: VirtualCard,
  insertion: { slot: CardSlot; at: number; odometerKm: number; previousVehicle?: PreviousVehicleInfo | null; manualInput?: boolean },
): VuCardIWRecord {
  if (card.type !== 'driver' && card.type !== 'workshop') {
    throw new Error(`Annex IC 102 records insertions of driver and workshop cards only, not a ${card.type} card`);
  }
  return {
    cardHolderName: holderNameOf(card),
    fullCardNumberAndGeneration: fullCardNumberOf(card),
    cardExpiryDate: cardExpiryDate(card),
    cardInsertionTime: insertion.at,
    vehicleOdometerValueAtInsertion: insertion.odometerKm,
    cardSlotNumber: insertion.slot,
    cardWithdrawalTime: null,
    vehicleOdometerValueAtWithdrawal: null,
    previousVehicleInfo: insertion.previousVehicle ?? null,
    manualInputFlag: insertion.manualInput ?? false,
  };
}

/** The same record closed at withdrawal. */
export function closeCardIWRecord(record: VuCardIWRecord, withdrawal: { at: number; odometerKm: number }): VuCardIWRecord {
  return { ...record, cardWithdrawalTime: withdrawal.at, vehicleOdometerValueAtWithdrawal: withdrawal.odometerKm };
}
