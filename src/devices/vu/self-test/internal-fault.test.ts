import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/index.ts';
import { anna, wendy } from '../../cards/test-cards.ts';
import { NO_CARDS } from '../../../protocols/app1/slot-cards.ts';
import { createEventMemory, listRecords } from '../data-memory/event-store.ts';
import { createVuMachine, type VuContext } from '../vu-machine.ts';
import { vuOptionsSchema } from '../vu-options.ts';
import { eventRecords } from '../vu-records.ts';
import { onMemoryAccessCheck } from './internal-fault.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const T = T0 / 1000;

describe('VU internal fault (0x31) from the data memory access self-test (Annex IC 88, 89)', () => {
  it('begins at the first failed access, ends at the first that succeeds, and is not triggered in calibration mode', () => {
    let state = { events: createEventMemory(), internalFaultEvent: null as number | null };
    const check = (ok: boolean, at: number, mode: 'operational' | 'calibration' = 'operational') => (state = onMemoryAccessCheck(state, { ok, at, cards: NO_CARDS, mode }));
    check(false, T, 'calibration');
    expect(state.internalFaultEvent).toBeNull();
    check(false, T + 60);
    check(false, T + 120); // still failing: the same fault
    check(true, T + 180);
    check(true, T + 240);
    // on-going when calibration mode begins: it runs on to its end
    check(false, T + 300);
    check(true, T + 360, 'calibration');
    expect(listRecords(state.events, T + 400).map((r) => [r.type, r.category, r.purpose, r.begin - T, r.end! - T])).toEqual([
      [0x31, 'fault', 0x00, 60, 180],
      [0x31, 'fault', 0x00, 300, 360],
    ]);
  });

  describe('in the VU', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    const startVu = (options: Record<string, unknown>) => {
      const clock = new VirtualClock({ start: T0 });
      const vu = createActor(createVuMachine(clock, vuOptionsSchema.parse(options), () => ({ pulses: 0, held: [] })), { clock }).start();
      const faults = () => eventRecords((vu.getSnapshot().context as VuContext).events, clock.now() / 1000).map((r) => [r.kind, r.code, (r.at! - T0) / 1000, r.end === undefined ? 'ongoing' : (r.end - T0) / 1000]);
      return { clock, vu, faults };
    };

    it('records a save that fails for real (its directory gone) as 0x31, instead of stopping, until a save succeeds', async () => {
      dir = mkdtempSync(join(tmpdir(), 'vu-self-test-'));
      const home = join(dir, 'vu');
      mkdirSync(home);
      const { clock, vu, faults } = startVu({ dataMemoryFile: join(home, 'vu.dm'), persistEveryMinutes: 1 });
      vu.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
      await clock.advance(30_000);
      rmSync(home, { recursive: true });
      await clock.advance(30_000); // the save at 1 min fails
      expect(vu.getSnapshot().status).toBe('active');
      expect(faults()).toEqual([['fault', 0x31, 60, 'ongoing']]);
      await clock.advance(60_000); // and at 2 min
      mkdirSync(home);
      await clock.advance(60_000); // at 3 min it works again
      expect(faults()).toEqual([['fault', 0x31, 60, 180]]);
      vu.stop();
    });

    it('records the dataMemoryFault stimulus at the next save, without a file too, and none in calibration mode', async () => {
      const { clock, vu, faults } = startVu({ persistEveryMinutes: 1 });
      vu.send({ type: 'vu.insertCard', slot: 'driver', card: wendy });
      vu.send({ type: 'vu.dataMemoryFault', on: true });
      await clock.advance(60_000); // the save at 1 min fails in calibration mode: not recorded
      expect(faults()).toEqual([]);
      await clock.advance(30_000);
      vu.send({ type: 'vu.withdrawCard', slot: 'driver' }); // a withdrawal saves: fails again, now in operational mode
      expect(faults()).toEqual([['fault', 0x31, 90, 'ongoing']]);
      vu.send({ type: 'vu.dataMemoryFault', on: false });
      await clock.advance(30_000); // the save at 2 min succeeds
      expect(faults()).toEqual([['fault', 0x31, 90, 120]]);
    });
  });
});
