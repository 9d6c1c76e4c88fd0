import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import type { VuBorderCrossingRecord, VuLoadUnloadRecord } from '../../../protocols/app1/vu-gnss-records-v2.ts';
import { nationByNumeric } from '../../cards/nations.ts';
import type { V2RecordsState, VuBorderCrossing, VuLoadUnload } from './v2-records.ts';
import { OPERATION_NAMES, OPERATION_TYPE } from './v2-records.ts';

/**
 * The VU's load/unload operations and border crossings as scenarios see them, the same read in-process (a version 1
 * download does not carry them) or from a version 2 download's TREP 32 (recordsFromDownload).
 */
export function v2Records(state: V2RecordsState): DeviceRecord[] {
  return [...state.loadUnloads.map(loadUnloadRecord), ...state.borderCrossings.map(borderCrossingRecord)];
}

function loadUnloadRecord(r: VuLoadUnload): DeviceRecord {
  return {
    kind: 'loadUnload',
    code: r.operationType,
    at: r.timeStamp,
    fields: { operation: OPERATION_NAMES.find((n) => OPERATION_TYPE[n] === r.operationType) ?? '', driverCard: r.driverCard, codriverCard: r.codriverCard, odometerKm: r.odometerKm },
  };
}

function borderCrossingRecord(r: VuBorderCrossing): DeviceRecord {
  return {
    kind: 'borderCrossing',
    code: nationByNumeric(r.countryEntered)?.alpha ?? String(r.countryEntered),
    at: r.at,
    fields: { countryLeft: r.countryLeft, countryEntered: r.countryEntered, driverCard: r.driverCard, codriverCard: r.codriverCard, odometerKm: r.odometerKm },
  };
}

/** App. 1 §2.114a OperationType as the download decoder names it, back to its code. */
const OPERATION_CODE = { load: OPERATION_TYPE.load, unload: OPERATION_TYPE.unload, 'load-unload': OPERATION_TYPE.simultaneous } as const;

/** A TREP 32 VuLoadUnloadRecord (App. 1 §2.208a) as the in-process record. */
export function downloadedLoadUnloadRecord(r: VuLoadUnloadRecord): DeviceRecord {
  const place = r.gnssPlaceAuthRecord;
  return loadUnloadRecord({
    timeStamp: r.timeStamp,
    operationType: OPERATION_CODE[r.operationType],
    driverCard: r.cardNumberAndGenDriverSlot,
    codriverCard: r.cardNumberAndGenCodriverSlot,
    place: { timeStamp: place.timeStamp, gnssAccuracy: place.gnssAccuracy, ...place.geoCoordinates },
    odometerKm: r.vehicleOdometerValue,
  });
}

/**
 * A TREP 32 VuBorderCrossingRecord (App. 1 §2.203a) as the in-process record. The record has no time of its own:
 * its position's time stamp is its time (the VU's own record keeps the second of the crossing, which can be later
 * than the position it had then).
 */
export function downloadedBorderCrossingRecord(r: VuBorderCrossingRecord): DeviceRecord {
  const place = r.gnssPlaceAuthRecord;
  return borderCrossingRecord({
    countryLeft: r.countryLeft,
    countryEntered: r.countryEntered,
    driverCard: r.cardNumberAndGenDriverSlot,
    codriverCard: r.cardNumberAndGenCodriverSlot,
    place: { timeStamp: place.timeStamp, gnssAccuracy: place.gnssAccuracy, ...place.geoCoordinates },
    odometerKm: r.vehicleOdometerValue,
    at: place.timeStamp,
  });
}
