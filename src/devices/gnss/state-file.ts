import { readJsonStateFile, writeFileAtomically } from '../state-file.ts';
import { z } from 'zod';

/**
 * What a real EGF keeps in its non-volatile memory across power cycles, for an emulated one that must outlive a
 * rig run: on a bench the VU under test stays coupled with its EGF between scenarios (it keeps the EGF's
 * certificate, Annex IC 100), while the rig builds a fresh EGF for each. Without it the next run's EGF has lost
 * the VU_MA certificate the coupling stored (CSM_210): it refuses the VU's authentication ('6A88'), three times,
 * and the VU records an authentication failure (0x1A) the scenario never asked for. Kept: the unit it belongs to
 * (its ExtendedSerialNumber, hex) and the VU_MA certificate of its last coupling.
 */
const stateFileSchema = z.strictObject({
  version: z.literal(1),
  serialNumber: z.string().regex(/^[0-9a-f]{16}$/),
  coupledVu: z.string().regex(/^([0-9a-f]{2})+$/),
});
export type EgfStateFile = z.output<typeof stateFileSchema>;

/** The coupled VU's certificate saved in `file` for this unit, or undefined: no file yet, or another unit's. A file that does not read is an error naming it. */
export function readEgfState(file: string, serialNumber: string): EgfStateFile | undefined {
  const saved = readJsonStateFile(file, stateFileSchema, "the EGF's state file");
  return saved && saved.serialNumber === serialNumber.toLowerCase() ? saved : undefined;
}

/** Writes the state atomically (a whole file or the old one). */
export function writeEgfState(file: string, state: EgfStateFile): void {
  writeFileAtomically(file, `${JSON.stringify(state)}\n`);
}
