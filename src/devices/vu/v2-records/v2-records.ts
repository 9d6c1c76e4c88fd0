import type { FullCardNumberAndGeneration } from '../../../protocols/app1/slot-cards.ts';
import type { GnssPlace } from '../../../protocols/app7-records/records.ts';

/**
 * What a version 2 VU adds to its data memory (Annex IC 62a-c, 133a-c; App. 1 2.203a VuBorderCrossingRecord, 2.208a
 * VuLoadUnloadRecord), kept by the rig's VU so it can write them on version 2 cards (card-v2-efs.ts):
 * - load/unload operations entered by the driver (Annex IC 62a: load, unload or simultaneous, each a separate
 *   record, 62b; of one type within a calendar minute only the last kept), with the cards in the slots, the latest
 *   valid position and the odometer;
 * - border crossings (Annex IC 3.27, 133a): the country the vehicle left and the one it entered, with the cards,
 *   the position and the odometer.
 *
 * Choices (README, gen2 v2): the rig has no map, so the VU does not find the country from its position: the
 * stimulus `borderCrossing` tells it the country entered (what its own position-to-country lookup would give); the
 * country before the first crossing is the vehicle's registering nation. Entries need no card. No position is
 * authenticated (the rig has no OSNMA): authenticationStatus 0. The rig's VU is version 1 on its download line
 * (TRTP 21-25): these records are read in-process (`loadUnload`, `borderCrossing`) and from the cards.
 * Capacities: Annex IC 365 days at 20 crossings and 25 operations a day: 7 300 and 9 125 records.
 */
export const OPERATION_TYPE = { load: 1, unload: 2, simultaneous: 3 } as const;
export type OperationName = keyof typeof OPERATION_TYPE;
export const OPERATION_NAMES = Object.keys(OPERATION_TYPE) as [OperationName, ...OperationName[]];

export interface VuLoadUnload {
  /** VU time, ms, whole seconds. */
  timeStamp: number;
  operationType: number;
  driverCard: FullCardNumberAndGeneration | null;
  codriverCard: FullCardNumberAndGeneration | null;
  place: GnssPlace;
  odometerKm: number;
}

export interface VuBorderCrossing {
  countryLeft: number;
  countryEntered: number;
  driverCard: FullCardNumberAndGeneration | null;
  codriverCard: FullCardNumberAndGeneration | null;
  place: GnssPlace;
  odometerKm: number;
  /** VU time, ms, whole seconds (the place's own time stamp is the position's). */
  at: number;
}

export interface V2RecordsState {
  loadUnloads: VuLoadUnload[];
  borderCrossings: VuBorderCrossing[];
  /** The country the vehicle is in (NationNumeric); null: the registering nation until the first crossing. */
  country: number | null;
}

export const LOAD_UNLOAD_CAPACITY = 9_125;
export const BORDER_CROSSING_CAPACITY = 7_300;

export function createV2Records(): V2RecordsState {
  return { loadUnloads: [], borderCrossings: [], country: null };
}

export interface V2Moment {
  vuNow: number;
  cards: { driver: FullCardNumberAndGeneration | null; codriver: FullCardNumberAndGeneration | null };
  place: GnssPlace;
  odometerKm: number;
}

const whole = (ms: number) => Math.floor(ms / 1000) * 1000;

/** Annex IC 62a, 62b: the driver enters a load, unload or simultaneous operation. */
export function enterLoadUnload(state: V2RecordsState, operation: OperationName, m: V2Moment): V2RecordsState {
  const record: VuLoadUnload = { timeStamp: whole(m.vuNow), operationType: OPERATION_TYPE[operation], driverCard: m.cards.driver, codriverCard: m.cards.codriver, place: { ...m.place }, odometerKm: Math.floor(m.odometerKm) };
  const minute = Math.floor(record.timeStamp / 60_000);
  // Annex IC 62a: of entries of one type within one calendar minute only the last is kept
  const kept = state.loadUnloads.filter((r) => !(r.operationType === record.operationType && Math.floor(r.timeStamp / 60_000) === minute));
  return { ...state, loadUnloads: [...kept, record].slice(-LOAD_UNLOAD_CAPACITY) };
}

/** Annex IC 133a: the vehicle enters `country` (NationNumeric); the same country again is no crossing. */
export function crossBorder(state: V2RecordsState, country: number, registrationNation: number, m: V2Moment): V2RecordsState {
  const left = state.country ?? registrationNation;
  if (left === country) return state;
  const record: VuBorderCrossing = { countryLeft: left, countryEntered: country, driverCard: m.cards.driver, codriverCard: m.cards.codriver, place: { ...m.place }, odometerKm: Math.floor(m.odometerKm), at: whole(m.vuNow) };
  return { ...state, country, borderCrossings: [...state.borderCrossings, record].slice(-BORDER_CROSSING_CAPACITY) };
}
