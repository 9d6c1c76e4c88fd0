import { isGen2V2OnlyTrtp, type TransferRequest } from '../../protocols/app7/index.ts';
import {
  encodeTrep00,
  encodeTrep31,
  encodeTrep32,
  encodeTrep33,
  encodeTrep35,
  encodeTrep21,
  encodeTrep22,
  encodeTrep23,
  encodeTrep24,
  encodeTrep25,
  vuTimeAdjustmentOf,
  type ActivitiesOfDayData,
  type DownloadSigner,
  type DownloadedEventFault,
  type EventsAndFaultsData,
  type OverviewData,
  type SlotCardKind,
  type TechnicalData,
} from '../../protocols/app7-records/index.ts';
import { activitiesOfDayV2, overviewV2, technicalDataV2 } from './download/gen2v2-format.ts';
import { encodeTrep01, encodeTrep02, encodeTrep03, encodeTrep04, encodeTrep05, type G1DownloadSigner } from '../../protocols/app7-records-g1/index.ts';
import { gen1Activities, gen1DetailedSpeed, gen1DownloadAllowed, gen1EventsAndFaults, gen1Overview, gen1TechnicalData } from './download/gen1-format.ts';
import { fromHex } from '../../crypto/bytes.ts';
import { decodeExtendedSerialNumber } from '../../protocols/motion-sensor/payloads.ts';
import { driverCardDownload } from '../cards/driver-card-image.ts';
import type { VirtualCard } from '../cards/card.ts';
import { downloadCardThroughApdus } from './cards/card-download-reader.ts';
import type { CardPort } from './cards/card-reader.ts';
import { cardPkiSeed } from '../cards/card-credentials.ts';
import { dailyActivityChanges, settled } from './activities/index.ts';
import type { SlotState } from './cards/card-slots.ts';
import { listRecords } from './data-memory/event-store.ts';
import type { DownloadDataProvider, TransferAnswer } from './download/types.ts';
import { detailedSpeedBlocks } from './motion/detailed-speed.ts';
import { timeReal, vuTime } from './time/vu-clock.ts';
import { placesOfDay } from './places/index.ts';
import { specificConditionsOfDay } from './specific-conditions/index.ts';
import type { VuContext } from './vu-machine.ts';
import { sessionAccess } from './download/session.ts';
import { companyMayReadAt } from './modes/company-locks.ts';

const DAY_MS = 86_400_000;
/** DDP_018: the requested data is not available (a day without records, an empty card slot). */
const DATA_NOT_AVAILABLE = { ok: false, nrc: 0xfa } as const;
/** DDP_018, DDP_028a: a TRTP this VU does not support (a version 1 VU asked for version 2 data). */
const NOT_SUPPORTED = { ok: false, nrc: 0x12 } as const;

/**
 * What the VU's data memory gives a download (App. 7 TREP 21..25, gen2 v1), encoded and signed with the App. 1
 * record encoders, within what the session may read now (download/access.ts: Annex IC 12, 13). Data the VU
 * does not model yet is sent as what it is, empty, never invented: specific conditions, ITS consents, the
 * cards-used array. TRTP 01..05 get the same data in the generation 1 format, signed with the VU's gen1 key
 * (App. 11 Part A), where MIG_015 lets a gen2 VU give them (download/gen1-format.ts); FA otherwise (DDP_018).
 */
export function vuDownloadProvider(context: VuContext, rigNow: number, signer: DownloadSigner, signerG1?: () => G1DownloadSigner, cardPort?: CardDownloadAccess): DownloadDataProvider {
  const vuNow = vuTime(context.clock, rigNow);
  const access = sessionAccess(context);
  return {
    transferData(request: TransferRequest): TransferAnswer {
      // Annex IC 12: a card withdrawn since the session opened takes its rights with it
      if (request.trtp === 0x06 ? !access.driverCard : !access.vuData) return DATA_NOT_AVAILABLE;
      // MIG_015, DDP_018: the gen1 format only for a non-EU control with a gen1 control card, selected in the menu
      if (request.trtp >= 0x01 && request.trtp <= 0x05) {
        if (!signerG1 || !gen1DownloadAllowed(context.slots, context.downloadSession?.rigRead ?? false, context.gen1DownloadSelected)) return DATA_NOT_AVAILABLE;
        return gen1Transfer(context, vuNow, request, signerG1(), access.company);
      }
      // DDP_011, DDP_028a: the generation 2 version 2 download, a version 2 VU's only
      if (isGen2V2OnlyTrtp(request.trtp)) return context.options.gen2Version === 2 ? v2Transfer(context, vuNow, request, signer, access.company) : NOT_SUPPORTED;
      switch (request.trtp) {
        case 0x21:
          return { ok: true, trep: 0x21, message: encodeTrep21(overviewData(context, vuNow), signer) };
        case 0x22: {
          const day = activitiesOfDay(context, vuNow, (request.date ?? 0) * 1000, access.company);
          return day ? { ok: true, trep: 0x22, message: encodeTrep22(day, signer) } : DATA_NOT_AVAILABLE;
        }
        case 0x23:
          return { ok: true, trep: 0x23, message: encodeTrep23(eventsAndFaults(context, vuNow), signer) };
        case 0x24:
          return { ok: true, trep: 0x24, message: encodeTrep24(detailedSpeedBlocks(context.detailedSpeed), signer) };
        case 0x25:
          return { ok: true, trep: 0x25, message: encodeTrep25(technicalData(context, vuNow), signer) };
        case 0x06:
          return cardThroughVu(context, request.slot, vuNow, cardPort);
        default:
          return DATA_NOT_AVAILABLE;
      }
    },
  };
}

/**
 * The VU's way to the card of a TRTP 06 (vu-machine.ts). `open`: the session so far stored on the card first
 * (Annex IC 146), then its APDU port; or, when a write of that store was refused three more times (Annex IC 149),
 * the reason: the VU has declared the card faulty and non-valid, so it is not downloaded (DDP_018: FA, as any
 * non-valid card). `writeFailed`: the card refused the LastCardDownload update after the download (DDP_051).
 */
export interface CardDownloadAccess {
  open(card: VirtualCard): CardPort | { writeFailed: string };
  writeFailed(card: VirtualCard, detail: string): void;
}

/** TRTP 00, 31, 32, 33, 35 (DDP_028a..033, generation 2 version 2 tables): the data of TREP 21..25 in version 2 (download/gen2v2-format.ts). */
function v2Transfer(context: VuContext, vuNow: number, request: TransferRequest, signer: DownloadSigner, company: string | null): TransferAnswer {
  switch (request.trtp) {
    case 0x00:
      // DDP_028a: '02 02'H, generation 2 version 2; neither a record array nor signed
      return { ok: true, trep: 0x00, message: encodeTrep00() };
    case 0x31:
      return { ok: true, trep: 0x31, message: encodeTrep31(overviewV2(overviewData(context, vuNow), context.calibration.registrationNation), signer) };
    case 0x32: {
      const dayMs = (request.date ?? 0) * 1000;
      const day = activitiesOfDay(context, vuNow, dayMs, company);
      if (!day) return DATA_NOT_AVAILABLE;
      const readable = (t: number) => company === null || companyMayReadAt(context.companyLocks, company, t);
      return { ok: true, trep: 0x32, message: encodeTrep32(activitiesOfDayV2(day, context.v2Records, readable), signer) };
    }
    case 0x33:
      return { ok: true, trep: 0x33, message: encodeTrep33(eventsAndFaults(context, vuNow), signer) };
    default:
      return { ok: true, trep: 0x35, message: encodeTrep35(technicalDataV2(technicalData(context, vuNow), context.calibrations, context.gnssCouplings), signer) };
  }
}

/** TRTP 01..05 (DDP_029..033 gen1 tables): the data of TREP 21..25 in the gen1 format (gen1-format.ts). */
function gen1Transfer(context: VuContext, vuNow: number, request: TransferRequest, signer: G1DownloadSigner, company: string | null): TransferAnswer {
  switch (request.trtp) {
    case 0x01:
      return { ok: true, trep: 0x01, message: encodeTrep01(gen1Overview(overviewData(context, vuNow), context.calibration.registrationNation), signer) };
    case 0x02: {
      const day = activitiesOfDay(context, vuNow, (request.date ?? 0) * 1000, company);
      return day ? { ok: true, trep: 0x02, message: encodeTrep02(gen1Activities(day), signer) } : DATA_NOT_AVAILABLE;
    }
    case 0x03: {
      const records = listRecords(context.events, timeReal(vuNow)).map(({ id: _id, ...r }) => r);
      return { ok: true, trep: 0x03, message: encodeTrep03(gen1EventsAndFaults(records, context.overSpeedingControl, context.timeAdjustments), signer) };
    }
    case 0x04:
      return { ok: true, trep: 0x04, message: encodeTrep04(gen1DetailedSpeed(detailedSpeedBlocks(context.detailedSpeed)), signer) };
    default:
      return { ok: true, trep: 0x05, message: encodeTrep05(gen1TechnicalData(context.options.identification, context.sensorPairings, context.calibrations), signer) };
  }
}

/** DDP_029 (TREP 21; TREP 01 in the gen1 format): what the overview says. */
function overviewData(context: VuContext, vuNow: number): OverviewData {
  return {
    vin: context.calibration.vin,
    registrationNumber: context.calibration.registrationNumber,
    currentTime: vuNow,
    // the first day the VU kept data: its activity records start at 00:00 of that day
    minDownloadableTime: context.midnightOdometers[0]?.day ?? Math.floor(vuNow / DAY_MS) * DAY_MS,
    maxDownloadableTime: vuNow,
    slots: { driver: slotKind(context.slots.driver), codriver: slotKind(context.slots['co-driver']) },
    lastDownload: context.lastDownload ?? null,
    // Annex IC 128 and 126: the locks and controls are not driver related data (Annex IC 13): every reader gets them
    companyLocks: context.companyLocks.map((l) => ({ lockInTime: l.lockIn, lockOutTime: l.lockOut, companyName: l.companyName, companyAddress: l.companyAddress, companyCard: l.companyCard })),
    controls: context.controlActivities,
  };
}

/**
 * TRTP 06 (DDP_047..049): the driver card in the slot the request names (1 driver, 2 co-driver; none: the
 * driver slot, the seed table's note), read file by file and forwarded as App. 7 §3.4.2 TLVs. An empty slot,
 * a non-valid card (the VU ignores it, Annex IC 11) and a card other than a driver card (DDP_047 names driver
 * cards only) get FA (DDP_018).
 */
function cardThroughVu(context: VuContext, slotNumber: 1 | 2 | undefined, vuNow: number, cardPort?: CardDownloadAccess): TransferAnswer {
  const slot = context.slots[slotNumber === 2 ? 'co-driver' : 'driver'];
  if (!slot || !slot.valid || slot.card.type !== 'driver') return DATA_NOT_AVAILABLE;
  if (!cardPort) return { ok: true, trep: 0x06, message: driverCardDownload(slot.card, { pkiSeed: cardPkiSeed(slot.card, context.options.pki.seed) }) };
  // Annex IC 146, 149: the session stored first; a card that could not take it is faulty and non-valid now
  const port = cardPort.open(slot.card);
  if (typeof port !== 'function') return DATA_NOT_AVAILABLE;
  // App. 7 §3.3.3 through the card's APDUs (cards/card-download-reader.ts): the card signs what it holds; a
  // card that refuses a step gives no file (DDP_018: FA)
  const read = downloadCardThroughApdus(port, slot.card, vuNow);
  if (read.ok && read.lastCardDownloadRefused !== undefined) cardPort.writeFailed(slot.card, read.lastCardDownloadRefused);
  return read.ok ? { ok: true, trep: 0x06, message: read.file } : DATA_NOT_AVAILABLE;
}

function slotKind(slot: SlotState | null): SlotCardKind {
  return slot && slot.valid ? slot.card.type : 'none';
}

/**
 * The data of one day (TREP 22; TREP 02 in the gen1 format), null when the VU has none. In company mode (`company` set) the driver related data of Annex IC 13 (card insertions
 * 102, activities 105, places and positions 108) is given only where `company` may read it: each record by its
 * own time stamps, all of them outside other companies' locks (companyMayReadAt). Choices: a record is given
 * whole or not at all (an insertion record needs its insertion and its withdrawal readable; an activity change
 * its minute); the day itself (its odometer at midnight, not driver related) is still given, with what is left.
 */
function activitiesOfDay(context: VuContext, vuNow: number, dayMs: number, company: string | null): ActivitiesOfDayData | null {
  const day = Math.floor(dayMs / DAY_MS) * DAY_MS;
  const midnight = context.midnightOdometers.find((m) => m.day === day);
  const activities = dailyActivityChanges(settled(context.activities, vuNow), day);
  if (!midnight || activities.length === 0) return null; // DDP_018: no data for that day
  const readable = (...times: (number | null)[]) => company === null || times.every((t) => t === null || companyMayReadAt(context.companyLocks, company, t));
  const cardIW = context.slots.iw.filter((r) => r.cardInsertionTime < day + DAY_MS && (r.cardWithdrawalTime === null || r.cardWithdrawalTime >= day));
  return {
    day,
    odometerAtMidnightKm: Math.floor(midnight.km),
    cardIW: cardIW.filter((r) => readable(r.cardInsertionTime, r.cardWithdrawalTime)),
    activities: activities.filter((w) => readable(day + w.minute * 60_000)),
    // Annex IC 108, 110: the places entered that day (VU time), chronological
    places: placesOfDay(context.places, day).filter((p) => readable(p.entryTime)),
    gnssAccumulatedDriving: context.gnssAdRecords.filter((r) => r.timeStamp >= day && r.timeStamp < day + DAY_MS && readable(r.timeStamp)),
    // Annex IC 130: the specific conditions entered that day (VU time), chronological (company mode: as the places, a choice)
    specificConditions: specificConditionsOfDay(context.specificConditions, day).filter((c) => readable(c.entryTime)),
  };
}

/** DDP_031 (TREP 23, and TREP 33 of a version 2 VU: the same table). */
function eventsAndFaults(context: VuContext, vuNow: number): EventsAndFaultsData {
  const listed = listRecords(context.events, timeReal(vuNow));
  const records: DownloadedEventFault[] = listed.map(({ id: _id, ...r }) => r);
  return {
    records,
    // Annex IC 117 note (1): counted as each over speeding began, since the last over speeding control (70)
    overSpeedingControl: context.overSpeedingControl,
    timeAdjustments: context.timeAdjustments.map((a) => vuTimeAdjustmentOf(a)),
  };
}

/** DDP_033 (TREP 25; TREP 35 adds the version 2 fields, gen2v2-format.ts). */
function technicalData(context: VuContext, vuNow: number): TechnicalData {
  const interruptions = listRecords(context.events, timeReal(vuNow))
    .filter((r) => r.type === 0x08)
    .map(({ id: _id, ...r }) => r);
  return {
    identification: { ...context.options.identification, generation: 2, supportsGen1Cards: true },
    sensorPairings: context.sensorPairings,
    // App. 1 SensorExternalGNSSCoupledRecord. Choice: the approval number is blank: the EGF holds it in record
    // '09' of EF EGF, readable only under secure messaging, which coupling precedes (CSM_207, CSM_213).
    gnssCouplings: context.gnssCouplings.map((c) => ({ sensorSerialNumber: decodeExtendedSerialNumber(fromHex(c.egfSerialNumber)), sensorApprovalNumber: '', sensorCouplingDate: c.couplingDate })),
    calibrations: context.calibrations,
    cards: [],
    itsConsents: [],
    powerSupplyInterruptions: interruptions,
  };
}
