import type { DeviceRecord } from '../../harness/devices/device-kind.ts';

/**
 * What the checks of a run read, per device, in the order they read it: `<scenario id>.records.json` beside
 * the result record. The result says which expectations passed; this says what they were held against, so a
 * report (or a person) can compare what the scenario did with what the devices recorded, after the run.
 */
export interface RecordsAttachment {
  scenario: string;
  reads: CheckRead[];
}

export interface CheckRead {
  /** The check that read: a step's check name, 'end' (the scenario's expectations), or END_OF_RUN. */
  check: string;
  /** Rig time the check was evaluated at (after its reads), ISO 8601 UTC: CheckedExpectation.at. */
  at: string;
  /** The records each device gave, as the expectations saw them (an external device's earlier ones set aside). */
  devices: Record<string, DeviceRecord[]>;
  /** Devices whose records could not be read at the end of the run, and why (END_OF_RUN only). */
  errors?: Record<string, string>;
}

/**
 * The read a report run adds after the last check: every emulated device with a record source that the
 * scenario's end check did not read, so the report can draw what it recorded (a VU's detailed speed and
 * activities) even where only a mid-run check or none looked at it.
 */
export const END_OF_RUN = 'end of run';

/** The attachment as written: bytes as upper-case hex, as the trace writes them. */
export function renderRecordsAttachment(attachment: RecordsAttachment): string {
  return JSON.stringify(attachment, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex').toUpperCase() : typeof v === 'bigint' ? v.toString() : v), 2) + '\n';
}
