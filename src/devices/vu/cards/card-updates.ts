import { toHex } from '../../../crypto/bytes.ts';
import { vehicleRegistrationBytes, type CardEventOrFault } from '../../../protocols/card-files/card-ef-update.ts';
import type { VirtualCard } from '../../cards/card.ts';
import { settled } from '../activities/index.ts';
import { odometerKm } from '../motion/motion-state.ts';
import { vuTime } from '../time/vu-clock.ts';
import type { VuContext } from '../vu-machine.ts';
import type { OpenSession, SecuredSend } from './card-session.ts';
import { cardSessionRecords, type CardHistory, type CardSessionInput } from './card-session-records.ts';
import { readCardHistory, writeCardEvents, writeCardSession, type CardDf } from './card-writer.ts';
import type { CardSlotsState, Slot } from './card-slots.ts';

/**
 * The VU machine's side of what it stores on a driver card (Annex IC 145-150): the `secured` steps its card
 * authentications run (card-reader.ts), built from its context.
 *
 * - At insertion: the card's history (card-writer.ts readCardHistory, Annex IC 134), kept in the slot; a last
 *   withdrawal later than the VU's time is a time overlap (Annex IC 74), stored on the card as its event 0x03
 *   (Annex IC 286 note: begin the withdrawal from the previous vehicle, end this insertion, this vehicle). The
 *   VU's own event table (Annex IC 117) has no row for it: the card alone keeps it.
 * - While the card is in (before a card download) and at its withdrawal (before its session data is reset,
 *   Annex IC 150): the session's records (card-session-records.ts).
 *
 * Driver and workshop cards (a first generation one in DF Tachograph, under gen1 secure messaging); control and
 * company cards keep no such records (card-holder-updates.ts writes theirs).
 */
export type CardHistories = Record<CardDf, CardHistory>;

// a gen1 driver card too: its DF Tachograph under gen1 secure messaging (card-reader-g1.ts); a workshop card's use
// as a driver card's (Annex IC 318-330, 340-356: "in the same manner as the driver card"; card-use-efs.ts)
export const writesRecords = (card: VirtualCard): card is Extract<VirtualCard, { type: 'driver' | 'workshop' }> => card.type === 'driver' || card.type === 'workshop';

export interface InsertionRead {
  secured: (send: SecuredSend, lastSession: OpenSession | null) => void;
  histories: () => CardHistories | undefined;
}

/**
 * The insertion's reads (and the 0x03 write) for `card` at VU time `at`; a version 2 VU (`gen2Version` 2) also
 * stores the vehicle's by-default load type on a version 2 driver or workshop card (Annex IC 147a: "On insertion
 * of a driver or workshop card"; 306i, 356i: EF Load_Type_Entries is "not accessed by version 1 of second
 * generation vehicle units"), timed at the insertion.
 */
export function insertionRead(card: VirtualCard, context: Pick<VuContext, 'calibration'> & { options: Pick<VuContext['options'], 'gen2Version'> }, at: number): InsertionRead {
  let histories: CardHistories | undefined;
  return {
    secured: (send) => {
      if (!writesRecords(card)) return;
      const loadType = context.options.gen2Version === 2 ? { timeStamp: Math.floor(at / 1000) * 1000, loadType: context.calibration.byDefaultLoadType } : undefined;
      histories = readCardHistory(send, card.generation, card.type, context.options.gen2Version, loadType);
      const last = histories['tachograph-g2'].lastVehicle ?? histories.tachograph.lastVehicle;
      // Annex IC 74: the last withdrawal of a driver card, as read from the card, later than the VU's current time
      if (card.type === 'driver' && last && last.lastUse > at) {
        const overlap: CardEventOrFault = { type: 0x03, begin: last.lastUse, end: at, vehicle: vehicleOf(context) };
        writeCardEvents(send, card.generation, [overlap]);
      }
    },
    histories: () => histories,
  };
}

export function withCardHistory(slots: CardSlotsState, slot: Slot, histories: CardHistories | undefined): CardSlotsState {
  const held = slots[slot];
  if (!held || !held.valid || !histories) return slots;
  return { ...slots, [slot]: { ...held, cardHistory: histories } };
}

function vehicleOf(context: Pick<VuContext, 'calibration'>) {
  return { nation: context.calibration.registrationNation, number: context.calibration.registrationNumber };
}

/**
 * The writes of the session of the card in `slot` up to rig time `rigNow` (`withdrawal`: it is being
 * withdrawn), or undefined when the VU writes nothing on that card.
 */
export function sessionWrite(context: VuContext, slot: Slot, rigNow: number, withdrawal: boolean): ((send: SecuredSend) => void) | undefined {
  const held = context.slots[slot];
  if (!held || !held.valid || !writesRecords(held.card) || held.iw === null || !held.cardHistory) return undefined;
  const iw = context.slots.iw[held.iw]!;
  const now = vuTime(context.clock, rigNow);
  const vehicle = vehicleOf(context);
  const identification = context.options.identification;
  const input = (history: CardHistory): CardSessionInput => ({
    card: held.card,
    slot,
    insertion: iw.cardInsertionTime,
    now,
    withdrawal,
    odometerAtInsertionKm: iw.vehicleOdometerValueAtInsertion,
    odometerNowKm: odometerKm(context.motion, context.calibration.k),
    midnightOdometers: context.midnightOdometers,
    vehicle,
    registrationHex: toHex(vehicleRegistrationBytes(vehicle)),
    vin: context.calibration.vin,
    activities: settled(context.activities, now),
    events: context.events,
    places: context.places.records,
    gnssAd: context.gnssAdRecords,
    specificConditions: context.specificConditions.records,
    loadUnloads: context.v2Records.loadUnloads,
    borderCrossings: context.v2Records.borderCrossings,
    // Choice: deviceID, "manufacturer specific" (App. 1 2.205), is the VU's equipment type from its serial number
    vu: { manufacturerCode: identification.serialNumber.manufacturerCode, deviceId: identification.serialNumber.type, softwareVersion: identification.softwareVersion },
    history,
  });
  const histories = held.cardHistory;
  return (send) => {
    writeCardSession(send, held.card.generation, (df) => cardSessionRecords(input(histories[df]), df === 'tachograph-g2' ? 2 : 1), held.card.type as 'driver' | 'workshop', context.options.gen2Version);
  };
}
