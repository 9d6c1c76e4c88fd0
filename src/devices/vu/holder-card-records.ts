import { z } from 'zod';
import { concatBytes } from '../../crypto/bytes.ts';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { freeCode, numberedCodes, type RecordKinds } from '../../harness/devices/record-kinds.ts';
import { decodeResponse, encodeCommand, readBinary, selectByAid, selectByFid, SW } from '../../protocols/apdu/index.ts';
import { readBinaryOdd } from '../../protocols/apdu/card-commands.ts';
import { readTlv } from '../../crypto/pki/tlv.ts';
import { decodeCardApplicationIdentification } from '../../protocols/app1/card-application-identification.ts';
import type { ControlType } from '../../protocols/app1/control-activity-record.ts';
import { decodeCardEfContent, FID, type CardEfRecordTypes } from '../../protocols/card-files/index.ts';
import type { VirtualCard } from '../cards/card.ts';
import { cardUseRecords, type CardEfReader } from './card-download-records.ts';

/**
 * The records the VU wrote on workshop, control and company cards (issue 15, cards/card-holder-updates.ts), for
 * scenarios, read from each such card the VU has held in the run directly through its APDUs, in plain as a card
 * reader would (App. 2: DF Tachograph_G2 read SC1, DF Tachograph SC2: ALW), from DF Tachograph_G2 (the
 * application a gen2 VU writes for gen2 VUs; it writes DF Tachograph the same way). The control record a driver
 * card keeps (`driverCardControlActivity`) comes with the driverCard* kinds, through the card download (TRTP 06).
 */
const int = z.number().int();
const byte = int.min(0).max(255);
const ms = z.number().min(0).describe('ms since 1970-01-01T00:00:00Z; 0: none (App. 2 default)');
const vehicle = { vehicleRegistrationNation: byte, vehicleRegistrationNumber: z.string() };
const emulatedOnly = "read from the emulated card's memory through its APDUs; a bench reads the card in a card reader of its own";

export const HOLDER_CARD_RECORD_KINDS = ['controlCardActivity', 'companyCardActivity', 'workshopCardCalibration', 'workshopCardCalibrationAddData'] as const;

const CONTROL_TYPE_CODE = {
  description: "App. 1 2.53 ControlType 'cvpdexxx': 80 card download, 40 VU download, 20 printing, 10 display, 08 roadside calibration checking (or'ed)",
};

export const holderCardRecordKinds: RecordKinds = {
  controlCardActivity: {
    description: "a controlActivityRecord of a control card's EF Controller_Activity_Data (App. 1 2.51, Annex IC 361, 367): at the control's time",
    code: freeCode(byte, CONTROL_TYPE_CODE.description),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), controlledCardNumber: z.string().describe("the driver or workshop card controlled; '' when none"), ...vehicle, downloadPeriodBegin: ms, downloadPeriodEnd: ms }),
    emulatedOnly,
  },
  companyCardActivity: {
    description: "a companyActivityRecord of a company card's EF Company_Activity_Data (App. 1 2.46, Annex IC 373, 379): at the activity's time",
    code: numberedCodes(
      [
        { value: 1, name: 'card downloading' },
        { value: 2, name: 'VU downloading' },
        { value: 3, name: 'VU lock-in' },
        { value: 4, name: 'VU lock-out' },
      ],
      { description: 'App. 1 2.47 CompanyActivityType' },
    ),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), cardNumberInformation: z.string().describe("the card downloaded; '' when none"), ...vehicle, downloadPeriodBegin: ms, downloadPeriodEnd: ms }),
    emulatedOnly,
  },
  workshopCardCalibrationAddData: {
    description:
      "a WorkshopCardCalibrationAddDataRecord of a version 2 workshop card's EF Calibration_Add_Data (App. 1 2.234c, Annex IC 356k: written by a version 2 VU beside the calibration, the same old time and VIN): at the old time value; code the 2.90a by-default LoadType",
    code: freeCode(byte, 'App. 1 §2.90a LoadType: 0 undefined, 1 goods, 2 passengers'),
    time: 'instant',
    fields: z.strictObject({ cardNumber: z.string(), vin: z.string(), calibrationCountry: byte.describe('NationNumeric'), calibrationCountryTimestamp: ms }),
    emulatedOnly,
  },
  workshopCardCalibration: {
    description: "a WorkshopCardCalibrationRecord of a workshop card's EF Calibration (App. 1 2.236, Annex IC 313-317): at its new time value, with the card's counters",
    code: freeCode(byte, 'App. 1 2.8 CalibrationPurpose'),
    time: 'instant',
    fields: z.strictObject({
      cardNumber: z.string(),
      calibrationTotalNumber: int.min(0),
      noOfCalibrationsSinceDownload: int.min(0),
      vin: z.string(),
      ...vehicle,
      w: int.min(0),
      k: int.min(0),
      l: int.min(0),
      tyreSize: z.string(),
      authorisedSpeed: byte,
      oldOdometerKm: int.min(0),
      newOdometerKm: int.min(0),
      vuPartNumber: z.string(),
      vuSerialNumber: int.min(0).describe('ExtendedSerialNumber.serialNumber of the VU'),
      noOfSealRecords: byte,
    }),
    emulatedOnly,
  },
};

/** App. 1 2.53: the ControlType byte the decoder's flags stand for. */
export function controlTypeByte(t: ControlType): number {
  return (t.cardDownloading ? 0x80 : 0) | (t.vuDownloading ? 0x40 : 0) | (t.printing ? 0x20 : 0) | (t.display ? 0x10 : 0) | (t.roadsideCalibrationChecking ? 0x08 : 0);
}

const at = (iso: string | null) => (iso === null ? 0 : Date.parse(iso));
const AID_G2 = Uint8Array.of(0xff, 0x53, 0x4d, 0x52, 0x44, 0x54);
const AID_G1 = Uint8Array.of(0xff, 0x54, 0x41, 0x43, 0x48, 0x4f);

/** A card's APDU port: command bytes in, response bytes out. */
export type CardTransmit = (command: Uint8Array) => Uint8Array;

/**
 * Issue 15: the records of a workshop card's use (cardUseRecords: workshopCardDay, workshopCardActivity, ...), read
 * through `transmit` as `recordsFromHolderCard` reads; none for another card type.
 */
export function workshopCardUseRecords(card: VirtualCard, transmit: CardTransmit): DeviceRecord[] {
  if (card.type !== 'workshop') return [];
  const ef = plainCardReader(card, transmit);
  return ef ? cardUseRecords(ef, card.cardNumber, 'workshopCard') : [];
}

/** The records of one workshop, control or company card, read through `transmit`; none for a driver card. */
export function recordsFromHolderCard(card: VirtualCard, transmit: CardTransmit): DeviceRecord[] {
  if (card.type === 'driver') return [];
  const ef = plainCardReader(card, transmit);
  if (!ef) return [];
  const cardNumber = card.cardNumber;
  const records: DeviceRecord[] = [];
  if (card.type === 'control') {
    for (const r of ef(FID.CONTROLLER_ACTIVITY_DATA, 'ControlCardControlActivityData')?.controlActivityRecords ?? []) {
      if (!r) continue;
      records.push({
        kind: 'controlCardActivity',
        code: controlTypeByte(r.controlType),
        at: at(r.controlTime),
        fields: { cardNumber, controlledCardNumber: r.controlledCardNumber?.cardNumber ?? '', ...r.controlledVehicleRegistration, downloadPeriodBegin: at(r.controlDownloadPeriodBegin), downloadPeriodEnd: at(r.controlDownloadPeriodEnd) },
      });
    }
  }
  if (card.type === 'company') {
    for (const r of ef(FID.COMPANY_ACTIVITY_DATA, 'CompanyActivityData')?.companyActivityRecords ?? []) {
      if (!r) continue;
      records.push({
        kind: 'companyCardActivity',
        code: r.companyActivityType,
        at: at(r.companyActivityTime),
        fields: { cardNumber, cardNumberInformation: r.cardNumberInformation?.cardNumber ?? '', ...r.vehicleRegistrationInformation, downloadPeriodBegin: at(r.downloadPeriodBegin), downloadPeriodEnd: at(r.downloadPeriodEnd) },
      });
    }
  }
  if (card.type === 'workshop') {
    const data = ef(FID.CALIBRATION, 'WorkshopCardCalibrationData');
    const sinceDownload = ef(FID.WORKSHOP_CARD_DOWNLOAD, 'NoOfCalibrationsSinceDownload')?.noOfCalibrationsSinceDownload ?? 0;
    for (const r of data?.calibrationRecords ?? []) {
      if (!r) continue;
      records.push({
        kind: 'workshopCardCalibration',
        code: r.calibrationPurpose,
        at: at(r.newTimeValue),
        fields: {
          cardNumber,
          calibrationTotalNumber: data!.calibrationTotalNumber,
          noOfCalibrationsSinceDownload: sinceDownload,
          vin: r.vehicleIdentificationNumber,
          ...r.vehicleRegistration,
          w: r.wVehicleCharacteristicConstant,
          k: r.kConstantOfRecordingEquipment,
          l: r.lTyreCircumference,
          tyreSize: r.tyreSize.trimEnd(),
          authorisedSpeed: r.authorisedSpeed,
          oldOdometerKm: r.oldOdometerValue,
          newOdometerKm: r.newOdometerValue,
          vuPartNumber: r.vuPartNumber.trimEnd(),
          vuSerialNumber: r.vuSerialNumber?.serialNumber ?? 0,
          noOfSealRecords: r.sealDataCard?.noOfSealRecords ?? 0,
        },
      });
    }
    // gen2 v2: a version 2 card's EF Calibration_Add_Data (a version 1 card has none: no records)
    for (const r of ef(FID.CALIBRATION_ADD_DATA, 'WorkshopCardCalibrationAddData')?.workshopCardCalibrationAddDataRecords ?? []) {
      if (!r) continue;
      records.push({ kind: 'workshopCardCalibrationAddData', code: r.byDefaultLoadType, at: at(r.oldTimeValue), fields: { cardNumber, vin: r.vehicleIdentificationNumber.trimEnd(), calibrationCountry: r.calibrationCountry, calibrationCountryTimestamp: at(r.calibrationCountryTimestamp) } });
    }
  }
  return records;
}

/**
 * The card's application (DF Tachograph_G2 of a gen2 card, DF Tachograph of a gen1 one) read in plain, each EF
 * whole and decoded as its App. 1 record; undefined when the application cannot be selected.
 */
function plainCardReader(card: Exclude<VirtualCard, { type: 'driver' }>, transmit: CardTransmit): CardEfReader | undefined {
  const send = (c: Parameters<typeof encodeCommand>[0]) => decodeResponse(transmit(encodeCommand(c)));
  const generation = card.generation;
  if (send(selectByAid(generation === 2 ? AID_G2 : AID_G1)).sw !== SW.OK) return undefined;
  const read = (fid: number): Uint8Array | undefined => {
    if (send(selectByFid(fid)).sw !== SW.OK) return undefined;
    const parts: Uint8Array[] = [];
    for (let offset = 0; ; offset += 200) {
      // past offset 32 767 (a gen2 workshop card's EF Calibration), the odd INS with the data in DO '53' (TCS_52)
      const odd = offset > 0x7fff;
      const r = send(odd ? readBinaryOdd(offset, 203) : readBinary(offset, 200));
      if (r.sw === SW.WRONG_OFFSET && offset > 0) break;
      if (r.sw !== SW.OK && r.sw !== 0x6282) return undefined;
      const data = odd ? readTlv(r.data, 0).value : r.data;
      parts.push(data);
      if (r.sw === 0x6282 || data.length < 200) break;
    }
    return concatBytes(...parts);
  };
  const appBytes = read(FID.APPLICATION_IDENTIFICATION);
  const ctx = { cardType: card.type, generation, ...(appBytes ? { applicationIdentification: decodeCardApplicationIdentification(appBytes, generation, [], card.type) } : {}) };
  const ef = <K extends keyof CardEfRecordTypes>(fid: number, type: K): CardEfRecordTypes[K] | undefined => {
    const value = read(fid);
    if (!value) return undefined;
    const typed = decodeCardEfContent(fid, value, ctx, []);
    return typed?.type === type ? (typed.record as CardEfRecordTypes[K]) : undefined;
  };
  return ef;
}
