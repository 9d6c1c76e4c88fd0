import { concatBytes } from '../../../crypto/bytes.ts';
import { readBinary, selectByAid, selectByFid, SW, updateBinary } from '../../../protocols/apdu/index.ts';
import { FID } from '../../../protocols/card-files/index.ts';
import { putCalibrationAddDataRecord } from '../../../protocols/card-files/card-v2-efs.ts';
import {
  COMPANY_ACTIVITY,
  countCalibrationSinceDownload,
  putCardControlActivity,
  putCompanyActivityRecord,
  putCompanyDownloadRecord,
  putControllerActivityRecord,
  calibrationHeaderSize,
  calibrationRecordWrites,
  WORKSHOP_CALIBRATION_RECORD_SIZE,
  type CardActivityRecord,
  type WorkshopCalibration,
} from '../../../protocols/card-files/card-holder-records.ts';
import type { Vehicle } from '../../../protocols/card-files/card-ef-update.ts';
import { fullCardNumberOf, type VirtualCard } from '../../cards/card.ts';
import type { VuCalibrationRecord } from '../calibration/calibration.ts';
import type { ControlActivityRecord } from '../modes/control-activities.ts';
import type { VuContext } from '../vu-machine.ts';
import { SessionRefused, writeWithRetries, type SecuredSend } from './card-session.ts';
import { AID, CHUNK, dfsOf, Ef, hex, ok, updateBinaryAt, type CardDf } from './card-writer.ts';
import type { CardSlotsState, Slot } from './card-slots.ts';

/**
 * What the VU stores on cards beyond a driver card's session (Annex IC 146: "valid driver, workshop, company
 * and/or control cards ... all necessary data relevant to the period while the card is inserted and relevant to
 * the card holder"), as writes the VU machine runs under a fresh mutual authentication (card-authentication.ts
 * updateCardOf), each EF read whole and only its changed bytes written (card-writer.ts Ef, Annex IC 149's
 * retries):
 * - a control: on the control card, EF Controller_Activity_Data (Annex IC 361, 367); on the driver or workshop
 *   card controlled, EF Control_Activity_Data, the last control (Annex IC 299, 300, 327, 350);
 * - a company lock-in or lock-out: on the company card, EF Company_Activity_Data (Annex IC 373, 379);
 * - a calibration: on the workshop card, EF Calibration and the calibrations since its last download (Annex IC
 *   313-317; gen2: with the seals, App. 1 2.236).
 * Both applications of a gen2 card (Annex IC 146); a gen1 control or company card's one application, DF
 * Tachograph, under gen1 secure messaging (App. 11 part A, card-reader-g1.ts), in App. 1's gen1 layouts (the
 * same bytes for these records). A gen1 workshop card is non-valid in a gen2 VU (Annex IC 18, MIG_004): never
 * written (scenario gen1-holder-cards).
 */
export interface CardWrite {
  slot: Slot;
  card: VirtualCard;
  secured: (send: SecuredSend) => void;
}

/** Selects `df`, then `fid`, reads it whole and writes what `change` makes of it; returns the UPDATE BINARY count. */
export function updateEf(send: SecuredSend, df: CardDf, fid: number, change: (current: Uint8Array) => Uint8Array): number {
  ok(send, selectByAid(AID[df]), `secured SELECT of ${df}`);
  ok(send, selectByFid(fid), `secured SELECT of EF ${hex(fid)}`);
  const current = readToEnd(send, fid);
  return new Ef(send, fid, current.length).update(current, change(current));
}

/** READ BINARY by CHUNK bytes to the EF's end ('6282' with the last bytes, or '6B00' at the end exactly). */
function readToEnd(send: SecuredSend, fid: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let at = 0; ; at += CHUNK) {
    const r = send(readBinary(at, CHUNK), `secured READ BINARY of EF ${hex(fid)} at ${at}`);
    if (r.sw === SW.WRONG_OFFSET && at > 0) break;
    if (r.sw !== SW.OK && r.sw !== END_OF_FILE) throw new SessionRefused(`READ BINARY of EF ${hex(fid)} at ${at}: ${hex(r.sw)}`);
    parts.push(r.data);
    if (r.sw === END_OF_FILE || r.data.length < CHUNK) break;
  }
  return concatBytes(...parts);
}
/** TCS_29: '6282' end of file reached before Le bytes. */
const END_OF_FILE = 0x6282;

const vehicleOf = (context: Pick<VuContext, 'calibration'>): Vehicle => ({ nation: context.calibration.registrationNation, number: context.calibration.registrationNumber });

function slotOf(slots: CardSlotsState, card: VirtualCard): Slot | undefined {
  return (['driver', 'co-driver'] as const).find((s) => slots[s]?.card === card);
}

/**
 * Annex IC 126-127 with 299 and 361/367: the control activity `record` (the VU's own, control-activities.ts) as
 * the cards keep it: on the control card that made it, the controlled card's number (the valid driver or
 * workshop card in the other slot; none: App. 2's default); on that card, the control card's number. Both with
 * the vehicle's VRN and the downloaded period. Choice: the card controlled is the one in the slots at the
 * control (a card download names its slot, a VU download the vehicle; a control card holder controls the
 * driver present).
 */
export function controlActivityWrites(context: Pick<VuContext, 'slots' | 'calibration'>, record: ControlActivityRecord, controlCard: VirtualCard): CardWrite[] {
  const controlSlot = slotOf(context.slots, controlCard);
  if (!controlSlot) return [];
  const other = context.slots[controlSlot === 'driver' ? 'co-driver' : 'driver'];
  const controlled = other && other.valid && (other.card.type === 'driver' || other.card.type === 'workshop') ? other.card : undefined;
  const base = { type: record.controlType, time: record.controlTime, vehicle: vehicleOf(context), periodBegin: record.downloadPeriodBeginTime, periodEnd: record.downloadPeriodEndTime };
  const onControlCard: CardActivityRecord = { ...base, card: controlled ? fullCardNumberOf(controlled) : null };
  const writes: CardWrite[] = [{ slot: controlSlot, card: controlCard, secured: inEachDf(controlCard, FID.CONTROLLER_ACTIVITY_DATA, (v) => putControllerActivityRecord(v, onControlCard)) }];
  if (controlled) {
    const onDriverCard: CardActivityRecord = { ...base, card: fullCardNumberOf(controlCard) };
    writes.push({ slot: controlSlot === 'driver' ? 'co-driver' : 'driver', card: controlled, secured: inEachDf(controlled, FID.CONTROL_ACTIVITY_DATA, (v) => putCardControlActivity(v, onDriverCard)) });
  }
  return writes;
}

/** Annex IC 373, 379: a company lock-in or lock-out (at VU time `at`, ms) on the company card that made it. */
export function companyLockWrite(context: Pick<VuContext, 'slots' | 'calibration'>, companyCard: VirtualCard, action: 'lock-in' | 'lock-out', at: number): CardWrite[] {
  const slot = slotOf(context.slots, companyCard);
  if (!slot) return [];
  // App. 1 2.46: the card number "in case of card downloading" only; no period
  const record: CardActivityRecord = { type: action === 'lock-in' ? COMPANY_ACTIVITY.vuLockIn : COMPANY_ACTIVITY.vuLockOut, time: Math.floor(at / 1000) * 1000, card: null, vehicle: vehicleOf(context), periodBegin: 0, periodEnd: 0 };
  return [{ slot, card: companyCard, secured: inEachDf(companyCard, FID.COMPANY_ACTIVITY_DATA, (v) => putCompanyActivityRecord(v, record)) }];
}

/**
 * Annex IC 373, 379: a transfer of a download session in company mode (the session's time: its first message,
 * Annex IC 129's last download), on the company card: a VU download (TREP 21..25, the days of its TREP 22
 * transfers as the period) or a card download (TREP 06, the card downloaded: the valid driver card in the other
 * slot, a choice as for controls).
 */
export function companyDownloadWrite(context: Pick<VuContext, 'slots' | 'calibration'>, companyCard: VirtualCard, transfer: { trep: number; day?: number }, sessionTime: number): CardWrite[] {
  const slot = slotOf(context.slots, companyCard);
  if (!slot) return [];
  const other = context.slots[slot === 'driver' ? 'co-driver' : 'driver'];
  const cardDownload = transfer.trep === 0x06;
  const downloaded = cardDownload && other && other.valid && other.card.type === 'driver' ? fullCardNumberOf(other.card) : null;
  const record: CardActivityRecord = {
    type: cardDownload ? COMPANY_ACTIVITY.cardDownloading : COMPANY_ACTIVITY.vuDownloading,
    time: sessionTime,
    card: downloaded,
    vehicle: vehicleOf(context),
    periodBegin: transfer.day ?? 0,
    periodEnd: transfer.day ?? 0,
  };
  return [{ slot, card: companyCard, secured: inEachDf(companyCard, FID.COMPANY_ACTIVITY_DATA, (v) => putCompanyDownloadRecord(v, record)) }];
}

/**
 * Annex IC 313-317: a calibration made with the workshop card (the VU's record, calibration.ts) on that card:
 * EF Calibration (the record, the total counter) and EF Card_Download ('0509': calibrations since its last
 * download), in each application. The VU's own identification and the paired sensor's serial number.
 */
export function calibrationWrite(context: Pick<VuContext, 'slots' | 'options' | 'sensorPairings'>, workshopCard: VirtualCard, record: VuCalibrationRecord): CardWrite[] {
  const slot = slotOf(context.slots, workshopCard);
  if (!slot) return [];
  const id = context.options.identification;
  const calibration: WorkshopCalibration = {
    purpose: record.calibrationPurpose,
    vin: record.vehicleIdentificationNumber,
    vehicle: { nation: record.vehicleRegistrationIdentification.vehicleRegistrationNation, number: record.vehicleRegistrationIdentification.vehicleRegistrationNumber },
    w: record.wVehicleCharacteristicConstant,
    k: record.kConstantOfRecordingEquipment,
    l: record.lTyreCircumference,
    tyreSize: record.tyreSize,
    authorisedSpeedKmh: record.authorisedSpeed,
    oldOdometerKm: record.oldOdometerValue,
    newOdometerKm: record.newOdometerValue,
    oldTime: record.oldTimeValue * 1000,
    newTime: record.newTimeValue * 1000,
    nextCalibrationDate: record.nextCalibrationDate * 1000,
    vuPartNumber: id.partNumber,
    vuSerialNumber: id.serialNumber,
    sensorSerialNumber: context.sensorPairings[context.sensorPairings.length - 1]?.sensorSerialNumber ?? null,
    // Choice: no GNSS receiver or remote communication module serial number is known to the rig's VU: App. 2's default
    sensorGnssSerialNumber: null,
    rcmSerialNumber: null,
    // App. 1 2.169: bit 'a' 0, the VU supports first generation cards (as its TREP 25 says)
    vuAbility: 0,
    seals: record.sealDataVu,
  };
  return [
    {
      slot,
      card: workshopCard,
      secured: (send) => {
        for (const df of dfsOf(workshopCard.generation)) {
          const g = df === 'tachograph-g2' ? 2 : 1;
          // App. 1 2.234: NoOfCalibrationRecords (gen1 one byte at 10, gen2 two at 11)
          ok(send, selectByAid(AID[df]), `secured SELECT of ${df}`);
          ok(send, selectByFid(FID.APPLICATION_IDENTIFICATION), 'secured SELECT of EF Application_Identification');
          const app = new Ef(send, FID.APPLICATION_IDENTIFICATION, g === 2 ? 19 : 11).read();
          const count = g === 2 ? (app[11]! << 8) | app[12]! : app[10]!;
          ok(send, selectByFid(FID.CALIBRATION), 'secured SELECT of EF Calibration');
          const calibrations = new Ef(send, FID.CALIBRATION, calibrationHeaderSize(g) + count * WORKSHOP_CALIBRATION_RECORD_SIZE[g]);
          const header = calibrations.read(0, calibrationHeaderSize(g));
          const pointer = g === 2 ? (header[2]! << 8) | header[3]! : header[2]!;
          const newest = calibrations.read(calibrationHeaderSize(g) + pointer * WORKSHOP_CALIBRATION_RECORD_SIZE[g], WORKSHOP_CALIBRATION_RECORD_SIZE[g]);
          const writes = calibrationRecordWrites(header, newest, g, count, calibration);
          // TCS_64-67: a record past offset 32 767 (a gen2 card's from the 186th) goes with the odd INS (updateBinaryAt)
          for (const w of writes) writeWithRetries(send, updateBinaryAt(w.offset, w.bytes), `secured UPDATE BINARY of EF Calibration at ${w.offset}`);
          // Annex IC 356k, App. 2 TCS_160: a version 2 VU writes, on a version 2 card (cardStructureVersion {01 01}), the
          // additional calibration data in the record slot of the calibration it goes with (its old time and VIN the same)
          if (g === 2 && context.options.gen2Version === 2 && app[1] === 0x01 && app[2] === 0x01) {
            const index = (writes[0]!.offset - calibrationHeaderSize(g)) / WORKSHOP_CALIBRATION_RECORD_SIZE[g];
            const addData = { oldTime: calibration.oldTime, vin: calibration.vin, loadType: record.byDefaultLoadType ?? 'undefined', country: record.calibrationCountry ?? 0, countryTimestamp: (record.calibrationCountryTimestamp ?? 0) * 1000 } as const;
            updateEf(send, df, FID.CALIBRATION_ADD_DATA, (v) => putCalibrationAddDataRecord(v, index, addData));
          }
          if (writes[0]!.added) updateEf(send, df, FID.WORKSHOP_CARD_DOWNLOAD, countCalibrationSinceDownload);
        }
      },
    },
  ];
}

function inEachDf(card: VirtualCard, fid: number, change: (v: Uint8Array) => Uint8Array): (send: SecuredSend) => void {
  return (send) => {
    for (const df of dfsOf(card.generation)) updateEf(send, df, fid, change);
  };
}
