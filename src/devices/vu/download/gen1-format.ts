import type { FullCardNumber, FullCardNumberAndGeneration } from '../../../protocols/app1/app1-codec.ts';
import type { VuCardIWRecord } from '../../../protocols/app1/vu-card-iw-record.ts';
import type { DownloadedEventFault } from '../../../protocols/app1/vu-event-fault-record.ts';
import type { TimeAdjustmentRecord } from '../../../protocols/app1/time-adjustment-record.ts';
import type { ActivityChangeInfo } from '../../../protocols/app1/activity-change-info.ts';
import type { DetailedSpeedBlock } from '../../../protocols/app1/detailed-speed-block.ts';
import type {
  ActivitiesG1,
  DetailedSpeedG1,
  EventsAndFaultsG1,
  OverviewG1Input,
  TechnicalDataG1,
  VuCardIWRecordG1,
  VuEventRecordG1,
  VuFaultRecordG1,
  VuOverSpeedingEventRecordG1,
  VuPlaceDailyWorkPeriodRecordG1,
  VuTimeAdjustmentRecordG1,
} from '../../../protocols/app7-records-g1/index.ts';
import type { OverviewData, SensorPaired, VuCalibration, VuIdentification, VuPlaceDailyWorkPeriod } from '../../../protocols/app7-records/index.ts';
import { currentMode, modeCard, type CardSlotsState } from '../cards/card-slots.ts';
import { downloadAccess } from './access.ts';
import { generation1Conditions } from '../specific-conditions/index.ts';

/**
 * The VU's data in the generation 1 download format (App. 7 DDP_029..033 gen1 tables, App. 1 gen1 records),
 * for the download a gen2 VU may give a non-EU control authority (App. 7 §1.1, MIG_015).
 *
 * When (MIG_015, App. 7 TRTP notes and DDP_018): TRTP 01..05 are answered only "in the frame of a driver
 * control by a non-EU control authority using a first generation control card", and MIG_015 makes the
 * capability "selectable via menu commands". The emulated VU therefore answers them when the menu selection
 * is on (the `gen1Download` stimulus) and a valid first generation control card is in a slot (control
 * mode); otherwise FA (DDP_018). The rig's own read of an emulated VU in operational mode (access.ts: read as
 * in control mode without a card) counts as that control once the menu selection is on, so `rig download
 * --format gen1` works on a rig without a gen1 control card (a rig choice, like the rig read itself).
 *
 * What the gen1 format cannot hold is left out, never invented: card generations (FullCardNumber has none),
 * GNSS positions of places and the accumulated-driving records, seals, external GNSS couplings, cards used,
 * ITS consents. Choices: approval numbers longer than gen1's IA5String(8) (App. 1 2.131, 2.172) are cut to
 * their first 8 characters; a set whose gen1 count is one byte (faults, events, over speedings, time
 * adjustments, calibrations, places of a day: INTEGER(0..255)) gives its 255 most recent, where the VU keeps more; SensorPaired (one, gen1) is the sensor paired last, with the date of its first
 * pairing with this VU; no previous vehicle is written as nation 0, an empty registration number and time 0.
 */
export function gen1DownloadAllowed(slots: CardSlotsState, rigRead: boolean, selected: boolean): boolean {
  if (!selected) return false;
  const access = downloadAccess(slots, rigRead);
  if (access.rigRead) return true;
  // MIG_015: a driver control (control mode, Annex IC 10) with a first generation control card
  return currentMode(slots) === 'control' && modeCard(slots)?.generation === 1;
}

const ms = (seconds: number) => seconds * 1000;

/** App. 1 gen1: noOfXxx INTEGER(0..255). The most recent `ONE_BYTE_COUNT` by `time`, in their order. */
const ONE_BYTE_COUNT = 255;
export function mostRecent<T>(records: readonly T[], time: (r: T) => number): T[] {
  if (records.length <= ONE_BYTE_COUNT) return [...records];
  const kept = new Set([...records].sort((a, b) => time(b) - time(a)).slice(0, ONE_BYTE_COUNT));
  return records.filter((r) => kept.has(r));
}
const msOrNull = (seconds: number | null) => (seconds === null ? null : seconds * 1000);

/** App. 1 2.73: a gen1 record keeps the card's FullCardNumber, without its generation. */
export function gen1Card(card: FullCardNumberAndGeneration): FullCardNumber;
export function gen1Card(card: FullCardNumberAndGeneration | null): FullCardNumber | null;
export function gen1Card(card: FullCardNumberAndGeneration | null): FullCardNumber | null {
  if (card === null) return null;
  return { cardType: card.cardType, issuingMemberState: card.issuingMemberState, cardNumber: card.cardNumber };
}

/** DDP_029 TREP 01, from the same overview the gen2 download sends (TREP 21). */
export function gen1Overview(o: OverviewData, registrationNation: number): OverviewG1Input {
  return {
    vehicleIdentificationNumber: o.vin,
    vehicleRegistrationIdentification: { vehicleRegistrationNation: registrationNation, vehicleRegistrationNumber: o.registrationNumber },
    currentDateTime: o.currentTime,
    vuDownloadablePeriod: { minDownloadableTime: o.minDownloadableTime, maxDownloadableTime: o.maxDownloadableTime },
    cardSlotsStatus: o.slots,
    // never downloaded in company or calibration mode: time 0, no card, no name (choice, as App. 1 has no "none")
    vuDownloadActivityData: o.lastDownload
      ? { downloadingTime: o.lastDownload.downloadingTime, fullCardNumber: gen1Card(o.lastDownload.card), companyOrWorkshopName: o.lastDownload.companyOrWorkshopName }
      : { downloadingTime: 0, fullCardNumber: null, companyOrWorkshopName: '' },
    vuCompanyLocksRecords: o.companyLocks.map((l) => ({ lockInTime: l.lockInTime, lockOutTime: l.lockOutTime, companyName: l.companyName, companyAddress: l.companyAddress, companyCardNumber: gen1Card(l.companyCard) })),
    vuControlActivityRecords: o.controls.map((c) => ({
      controlType: c.controlType,
      controlTime: c.controlTime,
      controlCardNumber: gen1Card(c.controlCard),
      downloadPeriodBeginTime: c.downloadPeriodBeginTime,
      downloadPeriodEndTime: c.downloadPeriodEndTime,
    })),
  };
}

/** App. 1 2.177 VuCardIWRecord, gen1: the card number without generation, PreviousVehicleInfo without the VU generation. */
export function gen1CardIW(r: VuCardIWRecord): VuCardIWRecordG1 {
  const previous = r.previousVehicleInfo;
  return {
    cardHolderName: r.cardHolderName,
    fullCardNumber: gen1Card(r.fullCardNumberAndGeneration),
    cardExpiryDate: r.cardExpiryDate,
    cardInsertionTime: r.cardInsertionTime,
    vehicleOdometerValueAtInsertion: r.vehicleOdometerValueAtInsertion,
    cardSlotNumber: r.cardSlotNumber,
    cardWithdrawalTime: r.cardWithdrawalTime,
    // an open cycle: 0 km, as the gen2 record writes it
    vehicleOdometerValueAtWithdrawal: r.vehicleOdometerValueAtWithdrawal ?? 0,
    previousVehicleInfo: previous
      ? { vehicleRegistrationIdentification: { vehicleRegistrationNation: previous.registrationNation, vehicleRegistrationNumber: previous.registrationNumber }, cardWithdrawalTime: previous.cardWithdrawalTime }
      : { vehicleRegistrationIdentification: { vehicleRegistrationNation: 0, vehicleRegistrationNumber: '' }, cardWithdrawalTime: 0 },
    manualInputFlag: r.manualInputFlag,
  };
}

/** App. 1 2.219 VuPlaceDailyWorkPeriodRecord, gen1: the card and the gen1 PlaceRecord (no GNSS position). */
export function gen1Place(p: VuPlaceDailyWorkPeriod): VuPlaceDailyWorkPeriodRecordG1 {
  return {
    fullCardNumber: gen1Card(p.card),
    placeRecord: { entryTime: p.entryTime, entryTypeDailyWorkPeriod: p.entryType, dailyWorkPeriodCountry: p.country, dailyWorkPeriodRegion: p.region, vehicleOdometerValue: p.odometerKm },
  };
}

/** DDP_030 TREP 02, from the day's records the gen2 download sends (TREP 22), its GNSS records left out. */
export function gen1Activities(day: {
  day: number;
  odometerAtMidnightKm: number;
  cardIW: readonly VuCardIWRecord[];
  activities: readonly ActivityChangeInfo[];
  places: readonly VuPlaceDailyWorkPeriod[];
  specificConditions?: readonly { entryTime: number; type: number }[];
}): ActivitiesG1 {
  return {
    dateOfDayDownloaded: day.day,
    odometerValueMidnight: day.odometerAtMidnightKm,
    vuCardIWRecords: day.cardIW.map(gen1CardIW),
    activityChangeInfos: [...day.activities],
    vuPlaceDailyWorkPeriodRecords: mostRecent(day.places, (p) => p.entryTime).map(gen1Place),
    // App. 1 2.154 generation 1: '03'H ferry/train crossing is the begin; a gen1 VU records no end (specific-conditions/)
    specificConditionRecords: generation1Conditions(day.specificConditions ?? []).map((c) => ({ entryTime: c.entryTime, specificConditionType: c.type })),
  };
}

/** App. 1 §2.70: over speeding, the one event with a record of its own. */
const OVER_SPEEDING = 0x07;
const speed = (v: number | string | undefined) => Math.max(0, Math.min(255, Math.round(Number(v ?? 0)) || 0));

function gen1Fault(r: DownloadedEventFault): VuFaultRecordG1 {
  return {
    faultType: r.type,
    faultRecordPurpose: r.purpose,
    faultBeginTime: ms(r.begin),
    faultEndTime: msOrNull(r.end),
    cardNumberDriverSlotBegin: gen1Card(r.cardsAtBegin.driver),
    cardNumberCodriverSlotBegin: gen1Card(r.cardsAtBegin.codriver),
    cardNumberDriverSlotEnd: gen1Card(r.cardsAtEnd?.driver ?? null),
    cardNumberCodriverSlotEnd: gen1Card(r.cardsAtEnd?.codriver ?? null),
  };
}
function gen1Event(r: DownloadedEventFault): VuEventRecordG1 {
  const f = gen1Fault(r);
  return {
    eventType: f.faultType,
    eventRecordPurpose: f.faultRecordPurpose,
    eventBeginTime: f.faultBeginTime,
    eventEndTime: f.faultEndTime,
    cardNumberDriverSlotBegin: f.cardNumberDriverSlotBegin,
    cardNumberCodriverSlotBegin: f.cardNumberCodriverSlotBegin,
    cardNumberDriverSlotEnd: f.cardNumberDriverSlotEnd,
    cardNumberCodriverSlotEnd: f.cardNumberCodriverSlotEnd,
    similarEventsNumber: r.similarEvents,
  };
}
function gen1OverSpeeding(r: DownloadedEventFault): VuOverSpeedingEventRecordG1 {
  return {
    eventType: r.type,
    eventRecordPurpose: r.purpose,
    eventBeginTime: ms(r.begin),
    eventEndTime: msOrNull(r.end),
    // on-going: speeds 0, as the gen2 record writes them
    maxSpeedValue: speed(r.data['maxSpeed']),
    averageSpeedValue: speed(r.data['averageSpeed']),
    cardNumberDriverSlotBegin: gen1Card(r.cardsAtBegin.driver),
    similarEventsNumber: r.similarEvents,
  };
}
/** App. 1 2.232 gen1: an automatic (GNSS) adjustment has no workshop: empty name and address, no card (as in the gen2 download). */
function gen1TimeAdjustment(a: TimeAdjustmentRecord): VuTimeAdjustmentRecordG1 {
  return { oldTimeValue: ms(a.oldTime), newTimeValue: ms(a.newTime), workshopName: '', workshopAddress: '', workshopCardNumber: a.kind === 'workshop' ? gen1Card(a.workshopCard ?? null) : null };
}

/** DDP_031 TREP 03 from the event memory's records (TimeReal seconds), the over speeding control data and the time adjustments. */
export function gen1EventsAndFaults(
  records: readonly DownloadedEventFault[],
  overSpeedingControl: { lastControl: number; firstOverSpeedSince: number; numberOfOverSpeedSince: number },
  timeAdjustments: readonly TimeAdjustmentRecord[],
): EventsAndFaultsG1 {
  return {
    vuFaultRecords: mostRecent(records.filter((r) => r.category === 'fault'), (r) => r.begin).map(gen1Fault),
    vuEventRecords: mostRecent(records.filter((r) => r.category === 'event' && r.type !== OVER_SPEEDING), (r) => r.begin).map(gen1Event),
    vuOverSpeedingControlData: {
      lastOverspeedControlTime: ms(overSpeedingControl.lastControl),
      firstOverspeedSince: ms(overSpeedingControl.firstOverSpeedSince),
      numberOfOverspeedSince: Math.min(255, overSpeedingControl.numberOfOverSpeedSince),
    },
    vuOverSpeedingEventRecords: mostRecent(records.filter((r) => r.category === 'event' && r.type === OVER_SPEEDING), (r) => r.begin).map(gen1OverSpeeding),
    vuTimeAdjustmentRecords: mostRecent(timeAdjustments, (a) => a.newTime).map(gen1TimeAdjustment),
  };
}

/** DDP_032 TREP 04 from the VU's detailed speed (begin in TimeReal seconds). */
export function gen1DetailedSpeed(blocks: readonly DetailedSpeedBlock[]): DetailedSpeedG1 {
  return { vuDetailedSpeedBlocks: blocks.map((b) => ({ speedBlockBeginDate: ms(b.begin), speedsPerSecond: b.speeds.map(speed) })) };
}

/** App. 1 2.131, 2.172 gen1: approval numbers are IA5String(8). */
const approval8 = (text: string) => text.slice(0, 8);

/** DDP_033 TREP 05 from the VU's identification (options), its pairings and calibrations (TimeReal seconds). */
export function gen1TechnicalData(identification: Omit<VuIdentification, 'generation' | 'supportsGen1Cards'>, pairings: readonly SensorPaired[], calibrations: readonly VuCalibration[]): TechnicalDataG1 {
  const last = pairings[pairings.length - 1];
  // App. 1 2.144 sensorPairingDateFirst: the first pairing of the sensor paired now with this VU
  const first = last ? pairings.find((p) => p.sensorSerialNumber.serialNumber === last.sensorSerialNumber.serialNumber && p.sensorSerialNumber.manufacturerCode === last.sensorSerialNumber.manufacturerCode) : undefined;
  return {
    vuIdentification: {
      vuManufacturerName: identification.manufacturerName,
      vuManufacturerAddress: identification.manufacturerAddress,
      vuPartNumber: identification.partNumber,
      vuSerialNumber: identification.serialNumber,
      vuSoftwareIdentification: { vuSoftwareVersion: identification.softwareVersion, vuSoftInstallationDate: Date.parse(identification.softwareInstallationDate) },
      vuManufacturingDate: Date.parse(identification.manufacturingDate),
      vuApprovalNumber: approval8(identification.approvalNumber),
    },
    // no sensor paired yet: serial number 0 (month '01', year '00'), no approval number, date 0 (choice)
    sensorPaired: last
      ? { sensorSerialNumber: last.sensorSerialNumber, sensorApprovalNumber: approval8(last.sensorApprovalNumber), sensorPairingDateFirst: ms(first!.sensorPairingDate) }
      : { sensorSerialNumber: { serialNumber: 0, monthYear: '0100', type: 7, manufacturerCode: 0 }, sensorApprovalNumber: '', sensorPairingDateFirst: 0 },
    vuCalibrationRecords: mostRecent(calibrations, (c) => c.newTimeValue).map((c) => ({
      calibrationPurpose: c.calibrationPurpose,
      workshopName: c.workshopName,
      workshopAddress: c.workshopAddress,
      workshopCardNumber: c.workshopCardNumber,
      workshopCardExpiryDate: ms(c.workshopCardExpiryDate),
      vehicleIdentificationNumber: c.vehicleIdentificationNumber,
      vehicleRegistrationIdentification: c.vehicleRegistrationIdentification,
      wVehicleCharacteristicConstant: c.wVehicleCharacteristicConstant,
      kConstantOfRecordingEquipment: c.kConstantOfRecordingEquipment,
      lTyreCircumference: c.lTyreCircumference,
      tyreSize: c.tyreSize,
      authorisedSpeed: c.authorisedSpeed,
      oldOdometerValue: c.oldOdometerValue,
      newOdometerValue: c.newOdometerValue,
      oldTimeValue: ms(c.oldTimeValue),
      newTimeValue: ms(c.newTimeValue),
      nextCalibrationDate: ms(c.nextCalibrationDate),
    })),
  };
}
