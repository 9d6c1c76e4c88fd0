import { concatBytes, toHex } from '../../../crypto/bytes.ts';
import { decodeActivityChangeInfo, type ActivityChangeInfo } from '../../../protocols/app1/activity-change-info.ts';
import { decodeTimeReal } from '../../../protocols/app1/app1-codec.ts';
import { readBinary, selectByAid, selectByFid, SW, updateBinary, type CommandApdu } from '../../../protocols/apdu/index.ts';
import { readBinaryOdd, updateBinaryOdd } from '../../../protocols/apdu/card-commands.ts';
import { readTlv } from '../../../crypto/pki/tlv.ts';
import { CARD_VEHICLE_RECORD_SIZE, FID, type DriverCardApplicationIdentification } from '../../../protocols/card-files/index.ts';
import { APPLICATION_IDENTIFICATION_BYTES, useApplicationOf, useEfSizes, type UseCardType } from '../../../protocols/card-files/card-use-efs.ts';
import {
  CARD_EVENT_SETS,
  CARD_FAULT_SETS,
  newestActivityDay,
  newestVehicleRecord,
  putActivityDays,
  putEventRecords,
  putGnssAccumulatedDrivingRecord,
  putPlaceRecord,
  putVehicleRecord,
  putVehicleUnitRecord,
  type CardEventOrFault,
  type Generation,
} from '../../../protocols/card-files/card-ef-update.ts';
import { putSpecificConditionRecord } from '../../../protocols/card-files/card-ef-specific-conditions.ts';
import { putAuthStatusRecord, putBorderCrossingRecord, putLoadTypeEntryRecord, putLoadUnloadRecord, v2EfSizes, type CardLoadTypeEntry } from '../../../protocols/card-files/card-v2-efs.ts';
import { decodeCardApplicationIdentificationV2 } from '../../../protocols/app1/card-application-identification.ts';
import { GEN2_VERSION_2 } from '../../../protocols/card-files/card-file-layout.ts';
import type { CardHistory, CardSessionRecords } from './card-session-records.ts';
import { notInserted } from './card-session-records.ts';
import { SessionRefused, writeWithRetries, type SecuredSend } from './card-session.ts';
import type { VuOptions } from '../vu-options.ts';

type Gen2Version = VuOptions['gen2Version'];

/**
 * The VU's reads and writes of a driver card's record EFs, through APDUs under secure messaging (App. 2 TCS_148,
 * TCS_152: SC3 / SM-MAC-G2 to update), in both applications of a gen2 card (Annex IC 146: "the 2 card applications"; DF Tachograph as a
 * first generation VU would write it, 140: without the events a first generation VU does not know).
 * Each EF is read whole, its new content computed (card-ef-update.ts), and only the bytes that changed are
 * written (UPDATE BINARY of at most {@link CHUNK} bytes: a short APDU with its SM wrapping). A write the card
 * refuses is tried again, three times at most, then the card is refused (Annex IC 149).
 */
export type CardDf = 'tachograph' | 'tachograph-g2';

export const AID = { tachograph: Uint8Array.of(0xff, 0x54, 0x41, 0x43, 0x48, 0x4f), 'tachograph-g2': Uint8Array.of(0xff, 0x53, 0x4d, 0x52, 0x44, 0x54) } as const;
/** Data bytes per READ or UPDATE BINARY: its SM wrapping (padding, DO '87', '97'/'99', '8E') stays within a short APDU. */
export const CHUNK = 200;

/** The largest offset P1-P2 can carry (15 bits: P1's b8 set means a short EF identifier, TCS_44, TCS_61). */
const P1P2_OFFSET_MAX = 0x7fff;

/**
 * TCS_64-67: UPDATE BINARY at an offset past 32 767 goes with the odd INS 'D7' (the offset in DO '54', the data in
 * DO '53'; under SM in DO 'B3'), below it with 'D6' and the offset in P1-P2.
 */
export function updateBinaryAt(offset: number, data: Uint8Array): CommandApdu {
  return offset > P1P2_OFFSET_MAX ? updateBinaryOdd(offset, data) : updateBinary(offset, data);
}

/** TCS_51-55: READ BINARY past offset 32 767 with the odd INS 'B1' (its answer in DO '53', read by {@link readBinaryData}). */
export function readBinaryAt(offset: number, length: number): CommandApdu {
  return offset > P1P2_OFFSET_MAX ? readBinaryOdd(offset, length + oddHeader(length)) : readBinary(offset, length);
}

/** DO '53''s tag and length octets around `length` data bytes. */
const oddHeader = (length: number) => (length < 0x80 ? 2 : length <= 0xff ? 3 : 4);

/** The data a READ BINARY's answer carries: as it is for 'B0', DO '53''s value for 'B1'. */
export function readBinaryData(command: CommandApdu, answer: Uint8Array): Uint8Array {
  if (command.ins !== 0xb1) return answer;
  let tlv: ReturnType<typeof readTlv> | undefined;
  try {
    tlv = readTlv(answer, 0);
  } catch {
    tlv = undefined;
  }
  if (!tlv || tlv.tag !== 0x53 || tlv.length !== answer.length) throw new SessionRefused(`READ BINARY (odd INS): the answer is not one DO '53'`);
  return tlv.value;
}

export const dfsOf = (generation: Generation): CardDf[] => (generation === 2 ? ['tachograph', 'tachograph-g2'] : ['tachograph']);
export const generationOfDf = (df: CardDf): Generation => (df === 'tachograph-g2' ? 2 : 1);

export class Ef {
  constructor(
    private readonly send: SecuredSend,
    readonly fid: number,
    readonly size: number,
  ) {}

  read(offset = 0, length = this.size - offset): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let at = offset; at < offset + length; at += CHUNK) {
      const c = readBinaryAt(at, Math.min(CHUNK, offset + length - at));
      const r = this.send(c, `secured READ BINARY of EF ${hex(this.fid)} at ${at}`);
      if (r.sw !== SW.OK) throw new SessionRefused(`READ BINARY of EF ${hex(this.fid)} at ${at}: ${hex(r.sw)}`);
      parts.push(readBinaryData(c, r.data));
    }
    return concatBytes(...parts);
  }

  /** Writes the bytes of `next` that differ from `current`. */
  update(current: Uint8Array, next: Uint8Array): number {
    let writes = 0;
    let i = 0;
    while (i < next.length) {
      if (current[i] === next[i]) {
        i++;
        continue;
      }
      let end = i;
      // a run of changes, joined across short gaps, at most CHUNK bytes
      for (let j = i; j < next.length && j - i < CHUNK; j++) if (current[j] !== next[j]) end = j + 1;
      const data = next.subarray(i, end);
      // Annex IC 149: tried again three times at most, then the card is faulty and non-valid (CardWriteFailed)
      writeWithRetries(this.send, updateBinaryAt(i, data), `secured UPDATE BINARY of EF ${hex(this.fid)} at ${i}`);
      writes++;
      i = end;
    }
    return writes;
  }
}

export const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

export function ok(send: SecuredSend, c: Parameters<SecuredSend>[0], what: string): void {
  const r = send(c, what);
  if (r.sw !== SW.OK) throw new SessionRefused(`${what}: ${hex(r.sw)}`);
}

/**
 * Selects the application and reads its EF Application_Identification: the record counts give every EF's size
 * (a workshop card's as a driver card's, card-use-efs.ts).
 */
function openApplication(send: SecuredSend, df: CardDf, cardType: UseCardType, vuVersion: Gen2Version): { app: DriverCardApplicationIdentification; ef: (fid: number) => Ef; version2: boolean } {
  const g = generationOfDf(df);
  ok(send, selectByAid(AID[df]), `secured SELECT of ${df}`);
  ok(send, selectByFid(FID.APPLICATION_IDENTIFICATION), 'secured SELECT of EF Application_Identification');
  const app = useApplicationOf(new Ef(send, FID.APPLICATION_IDENTIFICATION, APPLICATION_IDENTIFICATION_BYTES[cardType][g]).read(), g, cardType);
  const sizes = useEfSizes(app, cardType);
  // a version 2 card (App. 2 TCS_152 note: {01 01}): EF Application_Identification_V2 sizes its version 2 EFs
  // (card-v2-efs.ts). Annex IC 4.5.3.2.1.1, 4.5.3.2.17-22 (and 4.5.4.2's for workshop cards): those EFs are "not
  // accessed by version 1 of second generation vehicle units", so a version 1 VU treats the card as version 1.
  const version2 = g === 2 && app.cardStructureVersion === GEN2_VERSION_2 && vuVersion === 2;
  if (version2) {
    ok(send, selectByFid(FID.APPLICATION_IDENTIFICATION_V2), 'secured SELECT of EF Application_Identification_V2');
    const v2 = decodeCardApplicationIdentificationV2(new Ef(send, FID.APPLICATION_IDENTIFICATION_V2, 10).read(), cardType);
    if (v2.noOfBorderCrossingRecords === undefined) throw new SessionRefused('EF Application_Identification_V2 gives no record counts');
    for (const [fid, size] of v2EfSizes(app, v2 as Parameters<typeof v2EfSizes>[1])) sizes.set(fid, size);
  }
  return {
    app,
    version2,
    ef: (fid) => {
      ok(send, selectByFid(fid), `secured SELECT of EF ${hex(fid)}`);
      return new Ef(send, fid, sizes.get(fid)!);
    },
  };
}

/**
 * Annex IC 134: what the VU reads of a driver card at insertion, per application: the newest day record (its
 * date and distance) and the newest vehicle record (the last withdrawal, for 0x03 time overlap, Annex IC 74,
 * and the previous period of use). `loadTypeEntry`: a version 2 VU's write at the insertion (Annex IC 147a), made in
 * DF Tachograph_G2 of a version 2 card while it is open (EF Load_Type_Entries); a card without that EF gets none.
 */
export function readCardHistory(send: SecuredSend, generation: Generation, cardType: UseCardType = 'driver', vuVersion: Gen2Version = 1, loadTypeEntry?: CardLoadTypeEntry): Record<CardDf, CardHistory> {
  const out = {} as Record<CardDf, CardHistory>;
  for (const df of dfsOf(generation)) {
    const g = generationOfDf(df);
    const { ef, version2 } = openApplication(send, df, cardType, vuVersion);
    if (version2 && loadTypeEntry) {
      const entries = ef(FID.LOAD_TYPE_ENTRIES);
      const current = entries.read();
      entries.update(current, putLoadTypeEntryRecord(current, loadTypeEntry));
    }
    // only the bytes needed: the pointers, then the newest record (a day record's header may wrap at the end)
    const activity = ef(FID.DRIVER_ACTIVITY_DATA);
    const pointers = activity.read(0, 4);
    const newest = (pointers[2]! << 8) | pointers[3]!;
    const ring = activity.size - 4;
    const header = newest + 12 <= ring ? activity.read(4 + newest, 12) : concatBytes(activity.read(4 + newest, ring - newest), activity.read(4, 12 - (ring - newest)));
    // App. 1 2.9: previous and own length, activityRecordDate, the presence counter, activityDayDistance; all zero: no day yet
    const day = header.every((b) => b === 0) ? null : { date: decodeTimeReal(header, 4), distanceKm: (header[10]! << 8) | header[11]! };
    const vehicles = ef(FID.VEHICLES_USED);
    const size = CARD_VEHICLE_RECORD_SIZE[g];
    const pointer = vehicles.read(0, 2);
    const at = 2 + ((pointer[0]! << 8) | pointer[1]!) * size;
    const vehicle = at + size <= vehicles.size ? newestVehicleRecord(concatBytes(Uint8Array.of(0, 0), vehicles.read(at, size)), g) : null;
    out[df] = {
      lastDay: day ? { date: day.date, distanceKm: day.distanceKm } : null,
      lastVehicle: vehicle ? { firstUse: vehicle.firstUse, lastUse: vehicle.lastUse, odometerBeginKm: vehicle.odometerBeginKm, registration: toHex(vehicle.registration), vuDataBlockCounter: vehicle.vuDataBlockCounter } : null,
    };
  }
  if (generation === 1) out['tachograph-g2'] = out.tachograph;
  return out;
}

/** Stores the session's records (card-session-records.ts) in each application; `records(df)` gives them for one. Returns the UPDATE BINARY count. */
export function writeCardSession(send: SecuredSend, generation: Generation, records: (df: CardDf) => CardSessionRecords, cardType: UseCardType = 'driver', vuVersion: Gen2Version = 1): number {
  let writes = 0;
  for (const df of dfsOf(generation)) {
    const g = generationOfDf(df);
    const r = records(df);
    const { app, ef, version2 } = openApplication(send, df, cardType, vuVersion);
    const put = (fid: number, change: (v: Uint8Array) => Uint8Array) => {
      const file = ef(fid);
      const current = file.read();
      writes += file.update(current, change(current));
    };
    put(FID.DRIVER_ACTIVITY_DATA, (v) => {
      const days = r.days.slice();
      const first = days[0];
      if (first) {
        // the first day keeps what the card held before the insertion minute (another vehicle's session that day)
        const held = newestActivityDay(v);
        const before: ActivityChangeInfo[] = held && held.date === first.date ? wordsOf(held.changes).filter((c) => c.minute < r.firstDayFromMinute) : r.firstDayFromMinute > 0 ? [notInserted(first.changes[0]?.slot ?? 'driver', 0)] : [];
        days[0] = { ...first, changes: [...before, ...first.changes.filter((c) => c.minute >= r.firstDayFromMinute)] };
      }
      return putActivityDays(v, days.filter((d) => d.changes.length > 0));
    });
    if (r.events.length) put(FID.EVENTS_DATA, (v) => putEventRecords(v, CARD_EVENT_SETS[g], app.noOfEventsPerType, r.events));
    if (r.faults.length) put(FID.FAULTS_DATA, (v) => putEventRecords(v, CARD_FAULT_SETS, app.noOfFaultsPerType, r.faults));
    put(FID.VEHICLES_USED, (v) => r.vehicles.reduce((acc, x) => putVehicleRecord(acc, g, x), v));
    if (r.places.length) put(FID.PLACES, (v) => r.places.reduce((acc, x) => putPlaceRecord(acc, g, x), v));
    if (g === 2 && r.vehicleUnit) put(FID.VEHICLE_UNITS_USED, (v) => putVehicleUnitRecord(v, r.vehicleUnit!));
    if (g === 2 && r.gnssAd.length) put(FID.GNSS_PLACES, (v) => r.gnssAd.reduce((acc, x) => putGnssAccumulatedDrivingRecord(acc, x), v));
    // Annex IC 276, 301: EF Specific_Conditions (card-ef-specific-conditions.ts)
    if (r.specificConditions.length) put(FID.SPECIFIC_CONDITIONS, (v) => r.specificConditions.reduce((acc, x) => putSpecificConditionRecord(acc, g, x), v));
    if (version2) {
      // App. 1 2.117b, 2.79d: each place and GNSS place's authentication status beside it (not authenticated: no OSNMA)
      if (r.places.length) put(FID.PLACES_AUTHENTICATION, (v) => r.places.reduce((acc, x) => putAuthStatusRecord(acc, x.entryTime), v));
      if (r.gnssAd.length) put(FID.GNSS_PLACES_AUTHENTICATION, (v) => r.gnssAd.reduce((acc, x) => putAuthStatusRecord(acc, x.timeStamp), v));
      // Annex IC 62a, 133a: EF Load_Unload_Operations, EF Border_Crossings
      if (r.loadUnloads.length) put(FID.LOAD_UNLOAD_OPERATIONS, (v) => r.loadUnloads.reduce((acc, x) => putLoadUnloadRecord(acc, x), v));
      if (r.borderCrossings.length) put(FID.BORDER_CROSSINGS, (v) => r.borderCrossings.reduce((acc, x) => putBorderCrossingRecord(acc, x), v));
    }
  }
  return writes;
}

/** Stores card events the VU's data memory does not keep (0x03 time overlap, Annex IC 74 with 286's note) in each application. */
export function writeCardEvents(send: SecuredSend, generation: Generation, events: readonly CardEventOrFault[], cardType: UseCardType = 'driver'): void {
  for (const df of dfsOf(generation)) {
    // the events file is one of both versions: what the VU's version changes nothing here
    const { app, ef } = openApplication(send, df, cardType, 1);
    const file = ef(FID.EVENTS_DATA);
    const current = file.read();
    file.update(current, putEventRecords(current, CARD_EVENT_SETS[generationOfDf(df)], app.noOfEventsPerType, events));
  }
}

function wordsOf(bytes: Uint8Array): ActivityChangeInfo[] {
  const out: ActivityChangeInfo[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) out.push(decodeActivityChangeInfo(bytes, i));
  return out;
}
