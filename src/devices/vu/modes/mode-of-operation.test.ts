import { describe, expect, it } from 'vitest';
import { modeOfOperation } from './mode-of-operation.ts';
import type { SlotCard } from './slot-table.ts';

// Annex IC 10, cell by cell: [driver slot, co-driver slot, mode, (*1) only the driver slot card is used]
const CELLS: [SlotCard, SlotCard, string, boolean][] = [
  [null, null, 'operational', false],
  [null, 'driver', 'operational', false],
  [null, 'control', 'control', false],
  [null, 'workshop', 'calibration', false],
  [null, 'company', 'company', false],
  ['driver', null, 'operational', false],
  ['driver', 'driver', 'operational', false],
  ['driver', 'control', 'control', false],
  ['driver', 'workshop', 'calibration', false],
  ['driver', 'company', 'company', false],
  ['control', null, 'control', false],
  ['control', 'driver', 'control', false],
  ['control', 'control', 'control', true],
  ['control', 'workshop', 'operational', false],
  ['control', 'company', 'operational', false],
  ['workshop', null, 'calibration', false],
  ['workshop', 'driver', 'calibration', false],
  ['workshop', 'control', 'operational', false],
  ['workshop', 'workshop', 'calibration', true],
  ['workshop', 'company', 'operational', false],
  ['company', null, 'company', false],
  ['company', 'driver', 'company', false],
  ['company', 'control', 'operational', false],
  ['company', 'workshop', 'operational', false],
  ['company', 'company', 'company', true],
];

describe('mode of operation (Annex IC 10)', () => {
  it.each(CELLS)('driver slot %s, co-driver slot %s: %s (driver slot only: %s)', (driver, coDriver, mode, driverSlotOnly) => {
    expect(modeOfOperation(driver, coDriver)).toEqual({ mode, driverSlotOnly });
  });

  it('covers all 25 combinations', () => {
    expect(new Set(CELLS.map(([d, c]) => `${d}/${c}`)).size).toBe(25);
  });
});
