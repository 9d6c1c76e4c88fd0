import type { TransferRequest } from '../../protocols/app7/index.ts';
import {
  encodeTrep21,
  encodeTrep22,
  encodeTrep23,
  encodeTrep24,
  encodeTrep25,
  vuTimeAdjustmentOf,
  type DownloadSigner,
  type DownloadedEventFault,
  type SlotCardKind,
} from '../../protocols/app7-records/index.ts';
import { fromHex } from '../../crypto/bytes.ts';
import { decodeExtendedSerialNumber } from '../../protocols/motion-sensor/payloads.ts';
import { driverCardDownload } from '../cards/driver-card-image.ts';
import { cardPkiSeed } from '../cards/card-credentials.ts';
import { dailyActivityChanges, settled } from './activities/index.ts';
import type { SlotState } from './cards/card-slots.ts';
import { listRecords } from './data-memory/event-store.ts';
import type { DownloadDataProvider, TransferAnswer } from './download/types.ts';
import { detailedSpeedBlocks } from './motion/detailed-speed.ts';
import { timeReal, vuTime } from './time/vu-clock.ts';
import { placesOfDay } from './places/index.ts';
import type { VuContext } from './vu-machine.ts';
import { sessionAccess } from './download/session.ts';
import { companyMayReadAt } from './modes/company-locks.ts';

const DAY_MS = 86_400_000;
/** DDP_018: the requested data is not available (a day without records, an empty card slot). */
const DATA_NOT_AVAILABLE = { ok: false, nrc: 0xfa } as const;

/**
 * What the VU's data memory gives a download (App. 7 TREP 21..25, gen2 v1), encoded and signed with the App. 1
 * record encoders, within what the session may read now (download/access.ts: Annex IC 12, 13). Data the VU
 * does not model yet is sent as what it is, empty, never invented: specific conditions, ITS consents, the
 * cards-used array.
 */
export function vuDownloadProvider(context: VuContext, rigNow: number, signer: DownloadSigner): DownloadDataProvider {
  const vuNow = vuTime(context.clock, rigNow);
  const access = sessionAccess(context);
  return {
    transferData(request: TransferRequest): TransferAnswer {
      // Annex IC 12: a card withdrawn since the session opened takes its rights with it
      if (request.trtp === 0x06 ? !access.driverCard : !access.vuData) return DATA_NOT_AVAILABLE;
      switch (request.trtp) {
        case 0x21:
          return { ok: true, trep: 0x21, message: overview(context, vuNow, signer) };
        case 0x22:
          return activitiesOfDay(context, vuNow, (request.date ?? 0) * 1000, signer, access.company);
        case 0x23:
          return { ok: true, trep: 0x23, message: eventsAndFaults(context, vuNow, signer) };
        case 0x24:
          return { ok: true, trep: 0x24, message: encodeTrep24(detailedSpeedBlocks(context.detailedSpeed), signer) };
        case 0x25:
          return { ok: true, trep: 0x25, message: technicalData(context, vuNow, signer) };
        case 0x06:
          return cardThroughVu(context, request.slot);
        default:
          return DATA_NOT_AVAILABLE;
      }
    },
  };
}

function overview(context: VuContext, vuNow: number, signer: DownloadSigner): Uint8Array {
  return encodeTrep21(
    {
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
    },
    signer,
  );
}

/**
 * TRTP 06 (DDP_047..049): the driver card in the slot the request names (1 driver, 2 co-driver; none: the
 * driver slot, the seed table's note), read file by file and forwarded as App. 7 §3.4.2 TLVs. An empty slot,
 * a non-valid card (the VU ignores it, Annex IC 11) and a card other than a driver card (DDP_047 names driver
 * cards only) get FA (DDP_018).
 */
function cardThroughVu(context: VuContext, slotNumber: 1 | 2 | undefined): TransferAnswer {
  const slot = context.slots[slotNumber === 2 ? 'co-driver' : 'driver'];
  if (!slot || !slot.valid || slot.card.type !== 'driver') return DATA_NOT_AVAILABLE;
  return { ok: true, trep: 0x06, message: driverCardDownload(slot.card, { pkiSeed: cardPkiSeed(slot.card, context.options.pki.seed) }) };
}

function slotKind(slot: SlotState | null): SlotCardKind {
  return slot && slot.valid ? slot.card.type : 'none';
}

/**
 * TREP 22 of one day. In company mode (`company` set) the driver related data of Annex IC 13 (card insertions
 * 102, activities 105, places and positions 108) is given only where `company` may read it: each record by its
 * own time stamps, all of them outside other companies' locks (companyMayReadAt). Choices: a record is given
 * whole or not at all (an insertion record needs its insertion and its withdrawal readable; an activity change
 * its minute); the day itself (its odometer at midnight, not driver related) is still given, with what is left.
 */
function activitiesOfDay(context: VuContext, vuNow: number, dayMs: number, signer: DownloadSigner, company: string | null): TransferAnswer {
  const day = Math.floor(dayMs / DAY_MS) * DAY_MS;
  const midnight = context.midnightOdometers.find((m) => m.day === day);
  const activities = dailyActivityChanges(settled(context.activities, vuNow), day);
  if (!midnight || activities.length === 0) return DATA_NOT_AVAILABLE; // DDP_018: no data for that day
  const readable = (...times: (number | null)[]) => company === null || times.every((t) => t === null || companyMayReadAt(context.companyLocks, company, t));
  const cardIW = context.slots.iw.filter((r) => r.cardInsertionTime < day + DAY_MS && (r.cardWithdrawalTime === null || r.cardWithdrawalTime >= day));
  const message = encodeTrep22(
    {
      day,
      odometerAtMidnightKm: Math.floor(midnight.km),
      cardIW: cardIW.filter((r) => readable(r.cardInsertionTime, r.cardWithdrawalTime)),
      activities: activities.filter((w) => readable(day + w.minute * 60_000)),
      // Annex IC 108, 110: the places entered that day (VU time), chronological
      places: placesOfDay(context.places, day).filter((p) => readable(p.entryTime)),
      gnssAccumulatedDriving: context.gnssAdRecords.filter((r) => r.timeStamp >= day && r.timeStamp < day + DAY_MS && readable(r.timeStamp)),
      specificConditions: [],
    },
    signer,
  );
  return { ok: true, trep: 0x22, message };
}

function eventsAndFaults(context: VuContext, vuNow: number, signer: DownloadSigner): Uint8Array {
  const listed = listRecords(context.events, timeReal(vuNow));
  const records: DownloadedEventFault[] = listed.map(({ id: _id, ...r }) => r);
  return encodeTrep23(
    {
      records,
      // Annex IC 117 note (1): counted as each over speeding began, since the last over speeding control (70)
      overSpeedingControl: context.overSpeedingControl,
      timeAdjustments: context.timeAdjustments.map((a) => vuTimeAdjustmentOf(a)),
    },
    signer,
  );
}

function technicalData(context: VuContext, vuNow: number, signer: DownloadSigner): Uint8Array {
  const interruptions = listRecords(context.events, timeReal(vuNow))
    .filter((r) => r.type === 0x08)
    .map(({ id: _id, ...r }) => r);
  return encodeTrep25(
    {
      identification: { ...context.options.identification, generation: 2, supportsGen1Cards: true },
      sensorPairings: context.sensorPairings,
      // App. 1 SensorExternalGNSSCoupledRecord. Choice: the approval number is blank: the EGF holds it in record
      // '09' of EF EGF, readable only under secure messaging, which coupling precedes (CSM_207, CSM_213).
      gnssCouplings: context.gnssCouplings.map((c) => ({ sensorSerialNumber: decodeExtendedSerialNumber(fromHex(c.egfSerialNumber)), sensorApprovalNumber: '', sensorCouplingDate: c.couplingDate })),
      calibrations: context.calibrations,
      cards: [],
      itsConsents: [],
      powerSupplyInterruptions: interruptions,
    },
    signer,
  );
}
