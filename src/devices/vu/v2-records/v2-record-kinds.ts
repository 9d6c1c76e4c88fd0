import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import { nationByNumeric } from '../../cards/nations.ts';
import type { V2RecordsState } from './v2-records.ts';
import { OPERATION_NAMES, OPERATION_TYPE } from './v2-records.ts';

/** The VU's load/unload operations and border crossings as scenarios see them (in-process: no v1 download carries them). */
export function v2Records(state: V2RecordsState): DeviceRecord[] {
  return [
    ...state.loadUnloads.map((r) => ({
      kind: 'loadUnload',
      code: r.operationType,
      at: r.timeStamp,
      fields: { operation: OPERATION_NAMES.find((n) => OPERATION_TYPE[n] === r.operationType) ?? '', driverCard: r.driverCard, codriverCard: r.codriverCard, odometerKm: r.odometerKm },
    })),
    ...state.borderCrossings.map((r) => ({
      kind: 'borderCrossing',
      code: nationByNumeric(r.countryEntered)?.alpha ?? String(r.countryEntered),
      at: r.at,
      fields: { countryLeft: r.countryLeft, countryEntered: r.countryEntered, driverCard: r.driverCard, codriverCard: r.codriverCard, odometerKm: r.odometerKm },
    })),
  ];
}
