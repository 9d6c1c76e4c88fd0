import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import type { SpecificConditionRefusal, VuSpecificCondition } from './specific-conditions.ts';
import { specificConditionName } from './specific-conditions.ts';

/**
 * A specific condition as scenarios see it, the same whether read from a download (TREP 22
 * VuSpecificConditionRecordArray, TREP 02 VuSpecificConditionData) or in-process: `code` the App. 1 2.154
 * SpecificConditionType, `at` the entry time, the name as a scenario types it (a code outside 2.154: '').
 */
export function specificConditionRecord(r: VuSpecificCondition): DeviceRecord {
  return { kind: 'specificCondition', code: r.type, at: r.entryTime, fields: { condition: specificConditionName(r.type) ?? '' } };
}

export function specificConditionRecords(records: readonly VuSpecificCondition[]): DeviceRecord[] {
  return records.map(specificConditionRecord);
}

/** The VU's refusals of specific condition entries (in-process: no download carries them); `code` is the reason. */
export function specificConditionRefusalRecords(refusals: readonly SpecificConditionRefusal[]): DeviceRecord[] {
  return refusals.map((r) => ({ kind: 'specificConditionRefused', code: r.reason, at: r.at, fields: { ...r } }));
}
