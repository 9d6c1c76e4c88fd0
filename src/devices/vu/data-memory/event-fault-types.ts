/**
 * Every event and fault the VU keeps in its data memory (Annex IC 117 events, 118 faults: the §3.12.8 and
 * §3.12.9 tables, as amended by Reg. (EU) 2021/1228), one row per App. 1 §2.70 EventFaultType code (generation
 * 2, version 1). A row says what the occurrence looks like (an instant, or a begin and an end), which of the
 * table's storing rules keep it and under which App. 1 §2.69 EventFaultRecordPurpose, what makes one
 * occurrence "longer" or "more serious" than another, and which data beyond the common ones it keeps.
 * The store (event-store.ts) has one mechanism for all rows: a new type is a new row.
 *
 * Codes the VU does not keep: '00'H (no row in the table), '03'H time overlap (recorded on the driver card
 * only, Annex IC §4.5.3.1.7), '0F'H (RFU in version 1), and the RFU and manufacturer-specific ranges.
 */

import { Purpose, type EventData, type EventFaultRecordPurpose } from '../../../protocols/app1/vu-event-fault-record.ts';

export { Purpose };
export type { EventData, EventFaultRecordPurpose };

/** One storing rule of a table row, with the purpose a record kept by it carries. */
export type RetentionClause =
  /** the `count` most recent occurrences */
  | { rule: 'mostRecent'; count: number; purpose: typeof Purpose.mostRecent }
  /** the highest-ranked occurrence of each of the last `days` days of occurrence (days the type occurred on) */
  | { rule: 'bestOfDay'; days: number; purpose: typeof Purpose.longestOfDay | typeof Purpose.mostSeriousOfDay }
  /** the last occurrence of each of the last `days` days of occurrence (days the type occurred on) */
  | { rule: 'lastOfDay'; days: number; purpose: typeof Purpose.lastOfDay }
  /** the `count` highest-ranked occurrences of the last `withinDays` days */
  | {
      rule: 'bestOfPeriod';
      count: number;
      withinDays: number;
      purpose: typeof Purpose.longestOfYear | typeof Purpose.mostSeriousOfYear;
    }
  /** the first occurrence after the last calibration */
  | { rule: 'firstAfterCalibration'; purpose: typeof Purpose.firstAfterCalibration };

/** How a type-specific field is checked: TimeReal, Speed (km/h), NationNumeric, Generation, or text. */
export type FieldKind = 'timeReal' | 'speed' | 'nation' | 'generation' | 'text';

/** What a severity measure sees of a completed occurrence. */
export interface Occurrence {
  begin: number;
  end: number;
  data: EventData;
}

export interface EventFaultTypeSpec {
  /** App. 1 §2.70 EventFaultType. */
  code: number;
  name: string;
  category: 'event' | 'fault';
  /** An instant (one date and time) or a span (begin, then end); 'either' where the table says "(if relevant)". */
  shape: 'instant' | 'span' | 'either';
  /** The App. 1 record a download carries it in. */
  downloadRecord: 'VuEventRecord' | 'VuOverSpeedingEventRecord' | 'VuFaultRecord';
  retention: readonly RetentionClause[];
  /** Ranks occurrences for 'bestOfDay' and 'bestOfPeriod' clauses: the higher, the longer or more serious. */
  severity: { measure: string; of: (o: Occurrence) => number } | null;
  /** Whether the row keeps "number of similar events that day" (App. 1 §2.151); others record 0. */
  similarEvents: boolean;
  /** Type-specific fields, given when the instant is recorded or when the span ends. */
  data: { fields: Readonly<Record<string, FieldKind>>; given: 'atRecord' | 'atEnd' };
  /** The end an instant's record carries; by default its own date and time. */
  instantEnd?: (at: number, data: EventData) => number;
  /** Where the row comes from. */
  source: string;
}

const duration = { measure: 'duration: end - begin, seconds', of: (o: Occurrence) => o.end - o.begin };

const tenMostRecent: readonly RetentionClause[] = [{ rule: 'mostRecent', count: 10, purpose: Purpose.mostRecent }];

const longestPerDayAndYear: readonly RetentionClause[] = [
  { rule: 'bestOfDay', days: 10, purpose: Purpose.longestOfDay },
  { rule: 'bestOfPeriod', count: 5, withinDays: 365, purpose: Purpose.longestOfYear },
];

const mostSeriousPerDayAndYear: readonly RetentionClause[] = [
  { rule: 'bestOfDay', days: 10, purpose: Purpose.mostSeriousOfDay },
  { rule: 'bestOfPeriod', count: 5, withinDays: 365, purpose: Purpose.mostSeriousOfYear },
];

const noData = { fields: {}, given: 'atRecord' } as const;

/** The rows "longest event for each of the 10 last days of occurrence, the 5 longest over the last 365 days". */
function longestSpan(code: number, name: string, source: string): EventFaultTypeSpec {
  return {
    code,
    name,
    category: 'event',
    shape: 'span',
    downloadRecord: 'VuEventRecord',
    retention: longestPerDayAndYear,
    severity: duration,
    similarEvents: true,
    data: noData,
    source,
  };
}

/** Annex IC 117, row "Security breach attempt": the 10 most recent events per type; end "if relevant". */
function securityBreach(code: number, name: string): EventFaultTypeSpec {
  return {
    code,
    name,
    category: 'event',
    shape: 'either',
    downloadRecord: 'VuEventRecord',
    retention: tenMostRecent,
    severity: null,
    similarEvents: false,
    data: noData,
    source: 'Annex IC 117, row "Security breach attempt"',
  };
}

/** Annex IC 118, row "Recording equipment faults": the 10 most recent of each type, the first after calibration. */
function equipmentFault(code: number, name: string): EventFaultTypeSpec {
  return {
    code,
    name,
    category: 'fault',
    shape: 'span',
    downloadRecord: 'VuFaultRecord',
    retention: [...tenMostRecent, { rule: 'firstAfterCalibration', purpose: Purpose.firstAfterCalibration }],
    severity: null,
    similarEvents: false,
    data: noData,
    source: 'Annex IC 118, row "Recording equipment faults"',
  };
}

export const EVENT_FAULT_TYPES: readonly EventFaultTypeSpec[] = [
  {
    code: 0x01,
    name: 'insertion of a non-valid card',
    category: 'event',
    shape: 'instant',
    downloadRecord: 'VuEventRecord',
    retention: tenMostRecent,
    severity: null,
    similarEvents: true,
    data: noData,
    source: 'Annex IC 117, row "Insertion of a non-valid card"',
  },
  {
    code: 0x02,
    name: 'card conflict',
    category: 'event',
    shape: 'span',
    downloadRecord: 'VuEventRecord',
    retention: tenMostRecent,
    severity: null,
    similarEvents: false,
    data: noData,
    source: 'Annex IC 117, row "Card conflict"',
  },
  longestSpan(0x04, 'driving without an appropriate card', 'Annex IC 117, row "Driving without an appropriate card"'),
  {
    code: 0x05,
    name: 'card insertion while driving',
    category: 'event',
    shape: 'instant',
    downloadRecord: 'VuEventRecord',
    retention: [{ rule: 'lastOfDay', days: 10, purpose: Purpose.lastOfDay }],
    severity: null,
    similarEvents: true,
    data: noData,
    source: 'Annex IC 117, row "Card insertion while driving"',
  },
  {
    code: 0x06,
    name: 'last card session not correctly closed',
    category: 'event',
    shape: 'instant',
    downloadRecord: 'VuEventRecord',
    retention: tenMostRecent,
    severity: null,
    similarEvents: false,
    // the last session's data as read from the card: its insertion, vehicle (VRN, registering state), VU generation
    data: {
      fields: {
        lastSessionInsertion: 'timeReal',
        lastVehicleRegistrationNation: 'nation',
        lastVehicleRegistrationNumber: 'text',
        lastVuGeneration: 'generation',
      },
      given: 'atRecord',
    },
    source: 'Annex IC 117, row "Last card session not correctly closed"',
  },
  {
    code: 0x07,
    name: 'over speeding',
    category: 'event',
    shape: 'span',
    downloadRecord: 'VuOverSpeedingEventRecord',
    retention: [...mostSeriousPerDayAndYear, { rule: 'firstAfterCalibration', purpose: Purpose.firstAfterCalibration }],
    // the row's footnote: the most serious is the one with the highest average speed
    severity: { measure: 'average speed, km/h', of: (o) => o.data['averageSpeed'] as number },
    similarEvents: true,
    // App. 1 §2.215: maxSpeedValue, averageSpeedValue, known when the event ends
    data: { fields: { maxSpeed: 'speed', averageSpeed: 'speed' }, given: 'atEnd' },
    source: 'Annex IC 117, row "Over speeding"',
  },
  longestSpan(0x08, 'power supply interruption', 'Annex IC 117, row "Power supply interruption"'),
  longestSpan(0x09, 'motion data error', 'Annex IC 117, row "Motion data error"'),
  longestSpan(0x0a, 'vehicle motion conflict', 'Annex IC 117, row "Vehicle motion conflict"'),
  {
    code: 0x0b,
    name: 'time conflict (GNSS versus VU internal clock)',
    category: 'event',
    // Annex IC 86: recorded with the VU's clock value at detection
    shape: 'instant',
    downloadRecord: 'VuEventRecord',
    retention: mostSeriousPerDayAndYear,
    severity: { measure: '|VU time - GNSS time|, seconds', of: (o) => Math.abs(o.begin - (o.data['gnssTime'] as number)) },
    similarEvents: true,
    data: { fields: { gnssTime: 'timeReal' }, given: 'atRecord' },
    // App. 1 §2.198: for a time conflict eventBeginTime is the VU's date and time, eventEndTime the GNSS's
    instantEnd: (_at, data) => data['gnssTime'] as number,
    source: 'Annex IC 117 (§3.12.8 table), row "Time conflict" as replaced by Reg. (EU) 2021/1228, Annex I point 15(b) (seed 003 l. 150-168)',
  },
  longestSpan(
    0x0c,
    'communication error with the remote communication facility',
    'Annex IC 117, row "Communication error with the remote communication facility"',
  ),
  longestSpan(
    0x0d,
    'absence of position information from GNSS receiver',
    'Annex IC 117, row "Absence of position information from GNSS receiver"',
  ),
  longestSpan(
    0x0e,
    'communication error with the external GNSS facility',
    'Annex IC 117 (§3.12.8 table), row "Communication error with the external GNSS facility" inserted by Reg. (EU) 2021/1228, Annex I point 15(a) (seed 003 l. 130-149)',
  ),
  securityBreach(0x10, 'VU security breach attempt, no further details'),
  securityBreach(0x11, 'motion sensor authentication failure'),
  securityBreach(0x12, 'tachograph card authentication failure'),
  securityBreach(0x13, 'unauthorised change of motion sensor'),
  securityBreach(0x14, 'card data input integrity error'),
  securityBreach(0x15, 'stored user data integrity error'),
  securityBreach(0x16, 'internal data transfer error'),
  securityBreach(0x17, 'unauthorised case opening'),
  securityBreach(0x18, 'hardware sabotage'),
  securityBreach(0x19, 'tamper detection of GNSS'),
  securityBreach(0x1a, 'external GNSS facility authentication failure'),
  securityBreach(0x1b, 'external GNSS facility certificate expired'),
  securityBreach(0x20, 'sensor security breach attempt, no further details'),
  securityBreach(0x21, 'sensor authentication failure'),
  securityBreach(0x22, 'sensor stored data integrity error'),
  securityBreach(0x23, 'sensor internal data transfer error'),
  securityBreach(0x24, 'sensor unauthorised case opening'),
  securityBreach(0x25, 'sensor hardware sabotage'),
  equipmentFault(0x30, 'recording equipment fault, no further details'),
  equipmentFault(0x31, 'VU internal fault'),
  equipmentFault(0x32, 'printer fault'),
  equipmentFault(0x33, 'display fault'),
  equipmentFault(0x34, 'downloading fault'),
  equipmentFault(0x35, 'sensor fault'),
  equipmentFault(0x36, 'internal GNSS receiver fault'),
  equipmentFault(0x37, 'external GNSS facility fault'),
  equipmentFault(0x38, 'remote communication facility fault'),
  equipmentFault(0x39, 'ITS interface fault'),
  {
    code: 0x40,
    name: 'card fault, no further details',
    category: 'fault',
    shape: 'span',
    downloadRecord: 'VuFaultRecord',
    retention: tenMostRecent,
    severity: null,
    similarEvents: false,
    data: noData,
    source: 'Annex IC 118, row "Card fault"',
  },
];

const byCode = new Map(EVENT_FAULT_TYPES.map((spec) => [spec.code, spec]));

/** The row for an EventFaultType code; throws for a code the VU does not keep. */
export function eventFaultType(code: number): EventFaultTypeSpec {
  const spec = byCode.get(code);
  if (!spec) throw new Error(`EventFaultType 0x${hex(code)} is not one the VU records`);
  return spec;
}

export function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(2, '0');
}
