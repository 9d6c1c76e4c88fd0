import { isUnusedRecord, RecordReader } from './record-reader.ts';

/**
 * App. 1 2.152 `SpecificConditionRecord` (5 bytes): entryTime, 2.154 `SpecificConditionType` (gen1: 1 out of
 * scope begin, 2 out of scope end, 3 ferry/train crossing; gen2: 3 ferry/train begin, 4 ferry/train end).
 */
export const SPECIFIC_CONDITION_RECORD_SIZE = 5;

export interface SpecificConditionRecord {
  entryTime: string | null;
  specificConditionType: number;
}

export function decodeSpecificConditionRecord(bytes: Uint8Array, offset: number, problems: string[] = []): SpecificConditionRecord | null {
  if (isUnusedRecord(bytes, offset, SPECIFIC_CONDITION_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, SPECIFIC_CONDITION_RECORD_SIZE, 'SpecificConditionRecord', problems);
  return { entryTime: r.time(0), specificConditionType: r.u8(4) };
}
