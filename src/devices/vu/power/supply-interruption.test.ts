import { describe, expect, it } from 'vitest';
import { NO_CARDS } from '../../../protocols/app1/slot-cards.ts';
import { createEventMemory, listRecords } from '../data-memory/event-store.ts';
import type { Mode } from '../modes/mode-of-operation.ts';
import { isRecordedInterruption, recordSupplyInterruption, type SupplyCut } from './supply-interruption.ts';

const T = 1_772_438_400; // 2026-03-02T08:00:00Z
const cut = (modeAtCut: Mode, modeAtReturn: Mode, ms = 300_000): SupplyCut => ({
  lostAtRig: T * 1000,
  backAtRig: T * 1000 + ms,
  modeAtCut,
  modeAtReturn,
  begin: T,
  end: T + Math.floor(ms / 1000),
  cards: NO_CARDS,
});

describe('power supply interruption (0x08, Annex IC 79)', () => {
  it('is recorded outside calibration and control mode, from the cut to the return', () => {
    for (const mode of ['operational', 'company'] as const) {
      expect(isRecordedInterruption(cut(mode, mode))).toBe(true);
      const [record] = listRecords(recordSupplyInterruption(createEventMemory(), cut(mode, mode)), T + 300);
      expect([record!.type, record!.begin, record!.end]).toEqual([0x08, T, T + 300]);
    }
  });

  it('is not recorded when the VU is in calibration or control mode at the cut or at the return', () => {
    for (const exempt of ['calibration', 'control'] as const) {
      expect(isRecordedInterruption(cut(exempt, exempt))).toBe(false);
      expect(isRecordedInterruption(cut(exempt, 'operational'))).toBe(false);
      expect(isRecordedInterruption(cut('operational', exempt))).toBe(false);
      expect(recordSupplyInterruption(createEventMemory(), cut(exempt, exempt))).toEqual(createEventMemory());
    }
  });

  it('needs more than 200 ms', () => {
    expect(isRecordedInterruption(cut('operational', 'operational', 200))).toBe(false);
    expect(isRecordedInterruption(cut('operational', 'operational', 201))).toBe(true);
  });
});
