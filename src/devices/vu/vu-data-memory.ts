import { fromCallback } from 'xstate';
import { currentMode, slotCards } from './cards/card-slots.ts';
import { recordInstant } from './data-memory/event-store.ts';
import { DataMemoryFileError, loadDataMemorySync, saveDataMemorySync, type DamagedPart, type DataMemoryKey } from './data-memory/persistence.ts';
import { timeReal, vuTime } from './time/vu-clock.ts';
import type { VuContext } from './vu-machine.ts';

/**
 * The VU's data memory as it persists (Annex IC 91: kept without supply): every part of the context but
 * the options (they come from the rig file) and the bytes of a half-received pulse frame. Each top-level key
 * is a part of its own in the file, checked on its own (data-memory/persistence.ts).
 */
/** A download session in progress is the line's state, not data: a restart begins with none (and no rig read). */
export type VuDataMemory = Omit<VuContext, 'options' | 'pulseBytes' | 'downloadSession'>;

export function dataMemoryOf(context: VuContext): VuDataMemory {
  const { options: _options, pulseBytes: _pulseBytes, downloadSession: _session, ...memory } = context;
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
  'timeAdjustments',
] as const satisfies readonly (keyof VuDataMemory)[];

/** What a restore or a power-up check found: the parts that verified, and those that did not. */
export interface IntegrityCheck {
  memory: Partial<VuDataMemory>;
  damaged: readonly DamagedPart[];
}

/** The memory saved in `file` and what failed its checks, or undefined when there is none yet. A file that is not a data memory stops the VU with the reason. */
export function restoreDataMemory(file: string | undefined, key: DataMemoryKey): IntegrityCheck | undefined {
  if (!file) return undefined;
  try {
    const loaded = loadDataMemorySync(file, key);
    return { memory: loaded.memory as unknown as Partial<VuDataMemory>, damaged: loaded.damaged };
  } catch (error) {
    if (error instanceof DataMemoryFileError && error.problem === 'missing') return undefined;
    throw error;
  }
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
  if (check.damaged.length === 0 || currentMode(out.slots) === 'calibration') return out;
  const at = timeReal(vuTime(out.clock, rigNow));
  return { ...out, events: recordInstant(out.events, { type: 0x15, at, cards: slotCards(out.slots) }) };
}

/**
 * Every place the VU keeps the id of an on-going event or fault, let go: after the event memory is lost those
 * ids point nowhere, and ending one would fail. A condition still true starts a new span at its next check.
 * A new holder of such an id belongs here.
 */
export function detachOngoingEvents(context: VuContext): VuContext {
  return {
    ...context,
    overSpeedingEvent: null,
    motionConflictEvent: null,
    internalFaultEvent: null,
    downloadFaultEvent: null,
    slots: { ...context.slots, conflictEvent: null, noCardEvent: null },
    sensorWatch: { ...context.sensorWatch, motionDataError: null, authFailure: null, sensorChanged: null, sensorFault: null },
    gnss: { ...context.gnss, absenceEvent: null, communicationEvent: null, receiverFaultEvent: null, facilityFaultEvent: null },
  };
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
