import { describe, expect, it } from 'vitest';
import { isCardConflict } from './card-conflict.ts';
import { isDrivingWithoutAppropriateCard } from './driving-without-card.ts';
import type { SlotCard } from './slot-table.ts';

// [driver slot, co-driver slot, card conflict (Annex IC 73), driving without an appropriate card (Annex IC 75)]
const CELLS: [SlotCard, SlotCard, boolean, boolean][] = [
  [null, null, false, true],
  [null, 'driver', false, true],
  [null, 'control', false, true],
  [null, 'workshop', false, true],
  [null, 'company', false, true],
  ['driver', null, false, false],
  ['driver', 'driver', false, false],
  ['driver', 'control', false, true],
  ['driver', 'workshop', true, true],
  ['driver', 'company', false, true],
  ['control', null, false, true],
  ['control', 'driver', false, true],
  ['control', 'control', true, true],
  ['control', 'workshop', true, true],
  ['control', 'company', true, true],
  ['workshop', null, false, false],
  ['workshop', 'driver', true, true],
  ['workshop', 'control', true, true],
  ['workshop', 'workshop', true, false],
  ['workshop', 'company', true, true],
  ['company', null, false, true],
  ['company', 'driver', false, true],
  ['company', 'control', true, true],
  ['company', 'workshop', true, true],
  ['company', 'company', true, true],
];

describe('card conflict, event 0x02 (Annex IC 73)', () => {
  it.each(CELLS)('driver slot %s, co-driver slot %s: conflict %s', (driver, coDriver, conflict) => {
    expect(isCardConflict(driver, coDriver)).toBe(conflict);
  });

  it('marks exactly the 11 cells of the table', () => {
    expect(CELLS.filter(([, , conflict]) => conflict).length).toBe(11);
  });
});

describe('driving without an appropriate card, event 0x04 (Annex IC 75)', () => {
  it.each(CELLS)('driver slot %s, co-driver slot %s: %s / %s', (driver, coDriver, _conflict, without) => {
    expect(isDrivingWithoutAppropriateCard(driver, coDriver)).toBe(without);
  });

  it('spares only the 4 combinations where a driver or workshop card drives alone or with its like', () => {
    expect(CELLS.filter(([, , , without]) => !without).map(([d, c]) => `${d}/${c}`)).toEqual([
      'driver/null',
      'driver/driver',
      'workshop/null',
      'workshop/workshop',
    ]);
  });
});
