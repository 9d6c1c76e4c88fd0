import { fromCallback } from 'xstate';
import { currentMode, slotCards } from './cards/card-slots.ts';
import { recordInstant } from './data-memory/event-store.ts';
import { checkDataMemoryWritableSync, DataMemoryFileError, loadDataMemorySync, removeStaleStagingFilesSync, saveDataMemorySync, type DamagedPart, type DataMemoryKey, type LoadedDataMemory } from './data-memory/persistence.ts';
import { DATA_MEMORY_PART_SCHEMAS, partShapeProblem } from './vu-data-memory-schema.ts';
import { timeReal, vuTime } from './time/vu-clock.ts';
import type { VuContext } from './vu-machine.ts';

/**
 * The VU's data memory as it persists (Annex IC 91: kept without supply): every part of the context but
 * the options (they come from the rig file) and the bytes of a half-received pulse frame. Each top-level key
 * is a part of its own in the file, checked on its own (data-memory/persistence.ts).
 */
/**
 * A download session in progress is the line's state, not data: a restart begins with none (and no rig read).
 * The gen1 download menu selection (MIG_015) is the control officer's for the control in progress: a restart
 * begins without it.
 */
export type VuDataMemory = Omit<VuContext, 'options' | 'pulseBytes' | 'pulseInput' | 'downloadSession' | 'gen1DownloadSelected'>;

export function dataMemoryOf(context: VuContext): VuDataMemory {
  const { options: _options, pulseBytes: _pulseBytes, pulseInput: _pulseInput, downloadSession: _session, gen1DownloadSelected: _gen1, ...memory } = context;
  return memory;
}

/**
 * The parts a scenario can damage with the `damageDataMemory` stimulus. Every key of VuDataMemory is a part of
 * the file whether listed here or not; a new key is damageable once listed.
 */
export const DAMAGEABLE_PARTS = [
  'accumulatedDrivingMarks',
  'activities',
  'calibration',
  'calibrationErrors',
  'calibrations',
  'clock',
  'detailedSpeed',
  'events',
  'gnss',
  'gnssAdRecords',
  'gnssCouplings',
  'midnightOdometers',
  'motion',
  'places',
  'sensorPairings',
  'slots',
  // Annex IC 62, 130: the specific conditions entered (and an OUT OF SCOPE or crossing still open)
  'specificConditions',
  'timeAdjustments',
] as const satisfies readonly (keyof VuDataMemory)[];

/** What a restore or a power-up check found: the parts that verified, and those that did not. */
export interface IntegrityCheck {
  memory: Partial<VuDataMemory>;
  damaged: readonly DamagedPart[];
}

/**
 * The memory saved in `file` and what failed its checks, or undefined when there is none yet, as the VU starts:
 * first the temporary files an earlier run killed mid-save left beside it are removed, and a save is tried
 * (persistence.ts). A path the VU cannot save to, or a file that is not a data memory, stops the VU with the reason.
 */
export function restoreDataMemory(file: string | undefined, key: DataMemoryKey): IntegrityCheck | undefined {
  if (!file) return undefined;
  removeStaleStagingFilesSync(file);
  checkDataMemoryWritableSync(file);
  try {
    return integrityCheckOf(loadDataMemorySync(file, key));
  } catch (error) {
    if (error instanceof DataMemoryFileError && error.problem === 'missing') return undefined;
    throw error;
  }
}

/**
 * The integrity check of a memory read back: the parts whose MACs verified (persistence.ts) are checked for
 * content too (vu-data-memory-schema.ts), since a MAC proves who wrote a part, not that it is right. A part
 * of the wrong shape, or a name that is no part of a VU data memory (it would land in the VU's context), joins
 * the damaged ones: reset, 0x15, the rest kept (afterIntegrityCheck).
 */
export function integrityCheckOf(loaded: LoadedDataMemory): IntegrityCheck {
  const memory: Record<string, unknown> = {};
  const damaged: DamagedPart[] = [...loaded.damaged];
  for (const [part, value] of Object.entries(loaded.memory)) {
    if (!Object.hasOwn(DATA_MEMORY_PART_SCHEMAS, part)) {
      damaged.push({ part, problem: 'not a part of a VU data memory' });
      continue;
    }
    const problem = partShapeProblem(part as keyof VuDataMemory, value);
    if (problem) damaged.push({ part, problem });
    else memory[part] = value;
  }
  return { memory: memory as Partial<VuDataMemory>, damaged };
}

/**
 * The VU after an integrity check of its stored data (at start from its file, at power-up from what it stored
 * as the supply went): each part that failed is reset to `fresh` (what a new VU holds), the rest is kept; if
 * the event memory was lost, whatever pointed into it lets go (detachOngoingEvents); and if anything failed,
 * a 0x15 stored user data integrity error is recorded at the VU's time now (Annex IC 85, App. 10; not in
 * calibration mode). One 0x15 per check, whatever the number of parts.
 */
export function afterIntegrityCheck(context: VuContext, check: IntegrityCheck, fresh: VuDataMemory, rigNow: number): VuContext {
  let out: VuContext = { ...context };
  const lost = (Object.keys(fresh) as (keyof VuDataMemory)[]).filter((key) => !(key in check.memory));
  for (const key of lost) (out as unknown as Record<string, unknown>)[key] = fresh[key];
  if (lost.includes('events')) out = detachOngoingEvents(out);
  // Parts that verified may still disagree with each other: an id of an on-going event the event memory does
  // not hold open (or holds as another type) would fail the day that event ends. Each is let go, as damage.
  const dangling = danglingEventIds(out);
  for (const holder of dangling) out = holder.release(out);
  const damaged = check.damaged.length + dangling.length;
  if (damaged === 0 || currentMode(out.slots) === 'calibration') return out;
  const at = timeReal(vuTime(out.clock, rigNow));
  return { ...out, events: recordInstant(out.events, { type: 0x15, at, cards: slotCards(out.slots) }) };
}

/** A place the VU keeps the id of an on-going event or fault of one type (to end it when its condition ends). */
interface OngoingEventHolder {
  /** Where, as a path in the data memory. */
  name: string;
  type: number;
  id(context: VuContext): number | null;
  release(context: VuContext): VuContext;
}

/** Every such place. A new holder of an on-going event's id belongs here. */
const ONGOING_EVENT_HOLDERS: readonly OngoingEventHolder[] = [
  { name: 'overSpeedingEvent', type: 0x07, id: (c) => c.overSpeedingEvent, release: (c) => ({ ...c, overSpeedingEvent: null }) },
  { name: 'motionConflictEvent', type: 0x0a, id: (c) => c.motionConflictEvent, release: (c) => ({ ...c, motionConflictEvent: null }) },
  { name: 'internalFaultEvent', type: 0x31, id: (c) => c.internalFaultEvent, release: (c) => ({ ...c, internalFaultEvent: null }) },
  { name: 'downloadFaultEvent', type: 0x34, id: (c) => c.downloadFaultEvent, release: (c) => ({ ...c, downloadFaultEvent: null }) },
  { name: 'slots.conflictEvent', type: 0x02, id: (c) => c.slots.conflictEvent, release: (c) => ({ ...c, slots: { ...c.slots, conflictEvent: null } }) },
  { name: 'slots.noCardEvent', type: 0x04, id: (c) => c.slots.noCardEvent, release: (c) => ({ ...c, slots: { ...c.slots, noCardEvent: null } }) },
  ...(
    [
      ['motionDataError', 0x09],
      ['authFailure', 0x11],
      ['sensorChanged', 0x13],
      ['sensorFault', 0x35],
    ] as const
  ).map(([key, type]): OngoingEventHolder => ({ name: `sensorWatch.${key}`, type, id: (c) => c.sensorWatch[key], release: (c) => ({ ...c, sensorWatch: { ...c.sensorWatch, [key]: null } }) })),
  ...(
    [
      ['absenceEvent', 0x0d],
      ['communicationEvent', 0x0e],
      ['receiverFaultEvent', 0x36],
      ['facilityFaultEvent', 0x37],
    ] as const
  ).map(([key, type]): OngoingEventHolder => ({ name: `gnss.${key}`, type, id: (c) => c.gnss[key], release: (c) => ({ ...c, gnss: { ...c.gnss, [key]: null } }) })),
  // Issue 16: the remote communication function (dsrc/remote-communication.ts)
  ...(
    [
      ['communicationErrorEvent', 0x0c],
      ['facilityFaultEvent', 0x38],
    ] as const
  ).map(([key, type]): OngoingEventHolder => ({ name: `dsrc.${key}`, type, id: (c) => c.dsrc[key], release: (c) => ({ ...c, dsrc: { ...c.dsrc, [key]: null } }) })),
];

/**
 * Every place the VU keeps the id of an on-going event or fault, let go: after the event memory is lost those
 * ids point nowhere, and ending one would fail. A condition still true starts a new span at its next check.
 */
export function detachOngoingEvents(context: VuContext): VuContext {
  return ONGOING_EVENT_HOLDERS.reduce((c, holder) => holder.release(c), context);
}

/** The holders whose id is not an on-going event of their type in the event memory. */
export function danglingEventIds(context: VuContext): (OngoingEventHolder & { problem: string })[] {
  const open = new Map(context.events.records.filter((r) => r.end === null).map((r) => [r.id, r.type]));
  const out: (OngoingEventHolder & { problem: string })[] = [];
  for (const holder of ONGOING_EVENT_HOLDERS) {
    const id = holder.id(context);
    if (id === null || open.get(id) === holder.type) continue;
    out.push({ ...holder, problem: `holds event ${id} as an on-going 0x${holder.type.toString(16).padStart(2, '0').toUpperCase()}, which the event memory does not` });
  }
  return out;
}

export type PersisterEvent = { type: 'remember'; memory: VuDataMemory } | { type: 'flush' } | { type: 'memoryFault'; on: boolean };

/** What the persister tells the VU of its data memory access self-test (Annex IC 89): each failure, and the first success after. */
export interface MemoryAccessReport {
  type: 'vu.memoryAccess';
  ok: boolean;
  reason?: string;
}

/**
 * Keeps the latest data memory and writes it (atomically) when told to flush and when the VU stops, so a
 * rig restart finds what the VU had. Writes are synchronous: the last one happens in the actor's cleanup.
 * Each flush is also the VU's data memory access self-test: a write that fails (an I/O error, or the
 * `dataMemoryFault` stimulus: the memory does not answer) is reported instead of stopping the VU, and so is
 * the first that succeeds again. Without a file there is nothing to write, and only the stimulus fails it.
 */
export const persister = fromCallback<PersisterEvent, { file: string | undefined; key: DataMemoryKey }>(({ input, receive, sendBack }) => {
  let latest: VuDataMemory | undefined;
  let written: VuDataMemory | undefined;
  let faulty = false;
  let failing = false;
  const write = () => {
    if (!input.file || !latest || latest === written) return;
    saveDataMemorySync(input.file, latest, input.key);
    written = latest;
  };
  const flush = () => {
    try {
      if (faulty) throw new Error('the data memory does not answer');
      write();
    } catch (error) {
      failing = true;
      sendBack({ type: 'vu.memoryAccess', ok: false, reason: (error as Error).message } satisfies MemoryAccessReport);
      return;
    }
    if (failing) {
      failing = false;
      sendBack({ type: 'vu.memoryAccess', ok: true } satisfies MemoryAccessReport);
    }
  };
  receive((event) => {
    if (event.type === 'remember') latest = event.memory;
    else if (event.type === 'memoryFault') faulty = event.on;
    else flush();
  });
  // the last save as the VU stops (a memory that does not answer takes none)
  return () => {
    if (!faulty) write();
  };
});
