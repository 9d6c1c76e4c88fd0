import { isUnusedRecord, RecordReader } from './record-reader.ts';
import { readVehicleRegistration, type VehicleRegistrationIdentification } from './identification-fields.ts';

/**
 * App. 1 2.20 `CardEventRecord` and 2.22 `CardFaultRecord` (24 bytes each): the type (2.70 EventFaultType),
 * begin and end (TimeReal), and the vehicle it happened in. A record at App. 2's default values is unused: null.
 */
export const CARD_EVENT_RECORD_SIZE = 24;

export interface CardEventRecord {
  eventType: number;
  eventBeginTime: string | null;
  eventEndTime: string | null;
  eventVehicleRegistration: VehicleRegistrationIdentification;
}

export interface CardFaultRecord {
  faultType: number;
  faultBeginTime: string | null;
  faultEndTime: string | null;
  faultVehicleRegistration: VehicleRegistrationIdentification;
}

export function decodeCardEventRecord(bytes: Uint8Array, offset: number, problems: string[] = [], what = 'CardEventRecord'): CardEventRecord | null {
  if (isUnusedRecord(bytes, offset, CARD_EVENT_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, CARD_EVENT_RECORD_SIZE, what, problems);
  return { eventType: r.u8(0), eventBeginTime: r.time(1), eventEndTime: r.time(5), eventVehicleRegistration: readVehicleRegistration(r, 9, 'eventVehicleRegistration') };
}

export function decodeCardFaultRecord(bytes: Uint8Array, offset: number, problems: string[] = [], what = 'CardFaultRecord'): CardFaultRecord | null {
  if (isUnusedRecord(bytes, offset, CARD_EVENT_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, CARD_EVENT_RECORD_SIZE, what, problems);
  return { faultType: r.u8(0), faultBeginTime: r.time(1), faultEndTime: r.time(5), faultVehicleRegistration: readVehicleRegistration(r, 9, 'faultVehicleRegistration') };
}
