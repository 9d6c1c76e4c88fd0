import type { FullCardNumberAndGeneration } from '../../../protocols/app1/app1-codec.ts';
import { isActivitiesTrtp } from '../../../protocols/app7/index.ts';

/**
 * Monitoring control activities (Annex IC §3.8: 69, 70) and what the VU keeps of them: the over speeding
 * control data (Annex IC 117, note (1) of the over speeding row; App. 1 VuOverSpeedingControlData) and the
 * control activity records (Annex IC 126, 127; App. 1 VuControlActivityRecord). Times here are TimeReal
 * seconds for the over speeding data (as the event memory keeps them) and VU time ms for control records
 * (as TREP 21 takes them); 0 stands for "none yet", as App. 1 writes it.
 */

/** App. 1 VuOverSpeedingControlData. */
export interface OverSpeedingControlData {
  /** lastOverspeedControlTime: the last over speeding control, 0 if none yet. */
  lastControl: number;
  /** firstOverspeedSince: the begin of the first over speeding after it, 0 if none since. */
  firstOverSpeedSince: number;
  /** numberOfOverspeedSince: every over speeding since, however many the event memory still keeps (App. 1 2.116: sent as at most 255). */
  numberOfOverSpeedSince: number;
}

export function createOverSpeedingControl(): OverSpeedingControlData {
  return { lastControl: 0, firstOverSpeedSince: 0, numberOfOverSpeedSince: 0 };
}

/** An over speeding event ('07'H) began at TimeReal `begin`: counted, whatever the storing rules keep (Annex IC 117 note 1). */
export function countOverSpeeding(data: OverSpeedingControlData, begin: number): OverSpeedingControlData {
  return { ...data, firstOverSpeedSince: data.numberOfOverSpeedSince === 0 ? begin : data.firstOverSpeedSince, numberOfOverSpeedSince: data.numberOfOverSpeedSince + 1 };
}

/**
 * Annex IC 70: an over speeding control happened at TimeReal `at`: in control mode, the 'events and faults'
 * data were downloaded (the VU has no printer or display for the over speeding printout). The count starts
 * again from it.
 */
export function overSpeedingControlled(at: number): OverSpeedingControlData {
  return { lastControl: at, firstOverSpeedSince: 0, numberOfOverSpeedSince: 0 };
}

/** App. 1 2.53 ControlType, generation 2: 'cvpdexxx'B. */
export const CONTROL_TYPE = {
  cardDownloading: 0x80,
  vuDownloading: 0x40,
  printing: 0x20,
  display: 0x10,
  roadsideCalibrationChecking: 0x08,
} as const;

/** App. 1 VuControlActivityRecord (gen2). Times VU time, ms; the download period 0 when nothing was downloaded by day. */
export interface ControlActivityRecord {
  controlType: number;
  controlTime: number;
  controlCard: FullCardNumberAndGeneration;
  downloadPeriodBeginTime: number;
  downloadPeriodEndTime: number;
}

/** Annex IC 126: the 20 most recent control activities. */
export const CONTROL_ACTIVITIES_KEPT = 20;

/** What one transfer of a download session in control mode did, for the control activity it belongs to. */
export interface ControlTransfer {
  /** The TREP sent: 21..25 VU data (01..05 in the gen1 format), 06 a card through the VU. */
  trep: number;
  /** For a TREP 22 (or 02): the day downloaded, VU time ms at 00:00. */
  day?: number;
}

/**
 * Annex IC 69, 126, 127: a transfer sent in control mode at VU time `at` (ms, whole seconds) with the control
 * card `card`. A download session is one control activity: its first transfer opens the record (the control's
 * time), later ones of the same session (`sameSession`) add their type and widen the downloaded period to the
 * oldest and the most recent day downloaded (127). Choices: the period is the days of the TREP 22 transfers,
 * from 00:00 of the oldest to 00:00 of the most recent (App. 1 gives TimeReal without saying which instant of
 * the day); a session without any leaves both 0.
 */
export function noteControlTransfer(
  records: readonly ControlActivityRecord[],
  transfer: ControlTransfer,
  card: FullCardNumberAndGeneration,
  at: number,
  sameSession: boolean,
): ControlActivityRecord[] {
  const bit = transfer.trep === 0x06 ? CONTROL_TYPE.cardDownloading : CONTROL_TYPE.vuDownloading;
  const last = records[records.length - 1];
  const open: ControlActivityRecord = sameSession && last ? last : { controlType: 0, controlTime: at, controlCard: card, downloadPeriodBeginTime: 0, downloadPeriodEndTime: 0 };
  // the activities of a day, in any format (TREP 22, 32 of a version 2 VU, or 02 for a non-EU control, MIG_015)
  const day = isActivitiesTrtp(transfer.trep) ? transfer.day : undefined;
  const updated: ControlActivityRecord = {
    ...open,
    controlType: open.controlType | bit,
    ...(day === undefined
      ? {}
      : {
          downloadPeriodBeginTime: open.downloadPeriodBeginTime === 0 ? day : Math.min(open.downloadPeriodBeginTime, day),
          downloadPeriodEndTime: Math.max(open.downloadPeriodEndTime, day),
        }),
  };
  const kept = sameSession && last ? [...records.slice(0, -1), updated] : [...records, updated];
  return kept.slice(-CONTROL_ACTIVITIES_KEPT);
}
