import { concatBytes } from '../../crypto/bytes.ts';
import { decodeTimeReal, encodeTimeReal } from '../app1/app1-codec.ts';
import { putCyclic, type Generation } from './card-ef-update.ts';

/**
 * How a recording equipment stores a specific condition on a driver or workshop card (Annex IC 276, 277, 301,
 * 302, 328, 355): EF Specific_Conditions ('0522'), App. 1 2.152 SpecificConditionRecord (entryTime TimeReal,
 * SpecificConditionType), 5 bytes.
 *
 * - Generation 2 (App. 1 2.153 SpecificConditions, App. 2 TCS_154): conditionPointerNewestRecord (2 bytes) then
 *   NoOfSpecificConditionRecords records, cyclic: after the newest, the oldest giving way (Annex IC 148).
 * - Generation 1 (App. 2 TCS_150: 56 SpecificConditionRecords, no pointer): choice: the record goes in the first
 *   unused place (entryTime 0, App. 2 default), else over the record with the oldest entry time (the earliest
 *   place among equals). Type '04'H is not a generation 1 value: the caller leaves it out (App. 1: only the
 *   begin of a crossing is stored in a generation 1 application).
 * - Both: a record of the same type entered in the same calendar minute is replaced (Annex IC 62: only the last
 *   one kept), so storing the same records again leaves the EF as it was.
 */
export const SPECIFIC_CONDITION_RECORD_BYTES = 5;

export interface CardSpecificCondition {
  /** ms, stored as TimeReal. */
  entryTime: number;
  type: number;
}

const minuteOf = (seconds: number) => Math.floor(seconds / 60);

export function encodeCardSpecificCondition(r: CardSpecificCondition): Uint8Array {
  return concatBytes(encodeTimeReal(r.entryTime), Uint8Array.of(r.type));
}

export function putSpecificConditionRecord(value: Uint8Array, g: Generation, r: CardSpecificCondition): Uint8Array {
  const record = encodeCardSpecificCondition(r);
  const same = (x: Uint8Array) => x[4] === record[4] && minuteOf(decodeTimeReal(x, 0) / 1000) === minuteOf(decodeTimeReal(record, 0) / 1000);
  if (g === 2) return putCyclic(value, { pointerSize: 2, recordSize: SPECIFIC_CONDITION_RECORD_BYTES, timeAt: 0 }, record, same);
  const out = value.slice();
  const count = Math.floor(out.length / SPECIFIC_CONDITION_RECORD_BYTES);
  const at = (i: number) => out.subarray(i * SPECIFIC_CONDITION_RECORD_BYTES, (i + 1) * SPECIFIC_CONDITION_RECORD_BYTES);
  const time = (i: number) => decodeTimeReal(at(i), 0);
  let index = -1;
  for (let i = 0; i < count && index < 0; i++) if (time(i) !== 0 && same(at(i))) index = i;
  for (let i = 0; i < count && index < 0; i++) if (time(i) === 0) index = i;
  if (index < 0) {
    index = 0;
    for (let i = 1; i < count; i++) if (time(i) < time(index)) index = i;
  }
  if (count > 0) out.set(record, index * SPECIFIC_CONDITION_RECORD_BYTES);
  return out;
}
