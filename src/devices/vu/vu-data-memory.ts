import { fromCallback } from 'xstate';
import { DataMemoryFileError, loadDataMemorySync, saveDataMemorySync } from './data-memory/persistence.ts';
import type { VuContext } from './vu-machine.ts';

/**
 * The VU's data memory as it persists (Annex IC 91: kept without supply): every part of the context but
 * the options (they come from the rig file) and the bytes of a half-received pulse frame.
 */
export type VuDataMemory = Omit<VuContext, 'options' | 'pulseBytes'>;

export function dataMemoryOf(context: VuContext): VuDataMemory {
  const { options: _options, pulseBytes: _pulseBytes, ...memory } = context;
  return memory;
}

/** The memory saved in `file`, or undefined when there is none yet. A damaged file stops the VU with the reason. */
export function restoreDataMemory(file: string | undefined): VuDataMemory | undefined {
  if (!file) return undefined;
  try {
    return loadDataMemorySync(file) as unknown as VuDataMemory;
  } catch (error) {
    if (error instanceof DataMemoryFileError && error.problem === 'missing') return undefined;
    throw error;
  }
}

export type PersisterEvent = { type: 'remember'; memory: VuDataMemory } | { type: 'flush' };

/**
 * Keeps the latest data memory and writes it (atomically) when told to flush and when the VU stops, so a
 * rig restart finds what the VU had. Writes are synchronous: the last one happens in the actor's cleanup.
 */
export const persister = fromCallback<PersisterEvent, { file: string | undefined }>(({ input, receive }) => {
  let latest: VuDataMemory | undefined;
  let written: VuDataMemory | undefined;
  const flush = () => {
    if (!input.file || !latest || latest === written) return;
    saveDataMemorySync(input.file, latest);
    written = latest;
  };
  receive((event) => {
    if (event.type === 'remember') latest = event.memory;
    else flush();
  });
  return flush;
});
