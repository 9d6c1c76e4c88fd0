import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { listRecords, type EventFaultRecord, type EventMemory } from './data-memory/event-store.ts';
import { eventFaultType } from './data-memory/event-fault-types.ts';
import type { TimeAdjustmentRecord } from './time/time-adjustment.ts';

/**
 * The VU's records as scenarios see them (`DeviceRecord`s). Until the App. 7 download lands, the VU's
 * record source reads them from its data memory in-process (a temporary reader: the download issue replaces
 * it, so checks then go through the VU's own interface). A download carries an occurrence once per purpose
 * it is kept under; scenarios count occurrences, so each becomes one record listing its purposes.
 */
export function eventRecords(memory: EventMemory, nowTimeReal: number): DeviceRecord[] {
  const byId = new Map<number, { record: EventFaultRecord; purposes: number[] }>();
  for (const r of listRecords(memory, nowTimeReal)) {
    const seen = byId.get(r.id);
    if (seen) seen.purposes.push(r.purpose);
    else byId.set(r.id, { record: r, purposes: [r.purpose] });
  }
  return [...byId.values()]
    .sort((a, b) => a.record.id - b.record.id)
    .map(({ record: r, purposes }) => ({
      kind: r.category,
      code: r.type,
      at: r.begin * 1000,
      end: r.end === null ? undefined : r.end * 1000,
      fields: {
        name: eventFaultType(r.type).name,
        purposes,
        similarEvents: r.similarEvents,
        cardsAtBegin: r.cardsAtBegin,
        cardsAtEnd: r.cardsAtEnd,
        ongoing: r.end === null,
        ...r.data,
      },
    }));
}

export function timeAdjustmentRecords(adjustments: readonly TimeAdjustmentRecord[]): DeviceRecord[] {
  return adjustments.map((a) => ({
    kind: 'timeAdjustment',
    code: a.kind,
    at: a.newTime * 1000,
    fields: { oldTime: a.oldTime, newTime: a.newTime, kind: a.kind, workshopCard: a.workshopCard ?? null },
  }));
}
