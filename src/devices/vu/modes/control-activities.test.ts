import { describe, expect, it } from 'vitest';
import { CONTROL_ACTIVITIES_KEPT, countOverSpeeding, createOverSpeedingControl, noteControlTransfer, overSpeedingControlled, type ControlActivityRecord } from './control-activities.ts';

const T = 1772438400; // 2026-03-02T08:00:00Z, TimeReal
const MS = T * 1000;
const DAY = Date.UTC(2026, 2, 2);
const control = { cardType: 'control' as const, issuingMemberState: 0x26, cardNumber: 'NL00000000042A01', generation: 2 as const };

describe('over speeding control data (Annex IC 117 note 1, App. 1 VuOverSpeedingControlData)', () => {
  it('counts every over speeding since the last control and keeps the first one', () => {
    let data = createOverSpeedingControl();
    for (let i = 0; i < 20; i++) data = countOverSpeeding(data, T + i * 300);
    expect(data).toEqual({ lastControl: 0, firstOverSpeedSince: T, numberOfOverSpeedSince: 20 });
  });

  it('starts again at a control (Annex IC 70)', () => {
    const after = overSpeedingControlled(T + 10_000);
    expect(after).toEqual({ lastControl: T + 10_000, firstOverSpeedSince: 0, numberOfOverSpeedSince: 0 });
    expect(countOverSpeeding(after, T + 10_500)).toEqual({ lastControl: T + 10_000, firstOverSpeedSince: T + 10_500, numberOfOverSpeedSince: 1 });
  });
});

describe('control activity records (Annex IC 69, 126, 127)', () => {
  it('makes one record of a session: VU and card downloading, the oldest and newest day downloaded', () => {
    let records: ControlActivityRecord[] = [];
    records = noteControlTransfer(records, { trep: 0x21 }, control, MS, false);
    records = noteControlTransfer(records, { trep: 0x22, day: DAY }, control, MS + 2000, true);
    records = noteControlTransfer(records, { trep: 0x22, day: DAY - 86_400_000 }, control, MS + 4000, true);
    records = noteControlTransfer(records, { trep: 0x06 }, control, MS + 9000, true);
    expect(records).toEqual([{ controlType: 0xc0, controlTime: MS, controlCard: control, downloadPeriodBeginTime: DAY - 86_400_000, downloadPeriodEndTime: DAY }]);
  });

  it('keeps the oldest day as the period begin when days come oldest first', () => {
    let records: ControlActivityRecord[] = [];
    records = noteControlTransfer(records, { trep: 0x22, day: DAY - 86_400_000 }, control, MS, false);
    records = noteControlTransfer(records, { trep: 0x22, day: DAY }, control, MS + 2000, true);
    expect(records).toEqual([{ controlType: 0x40, controlTime: MS, controlCard: control, downloadPeriodBeginTime: DAY - 86_400_000, downloadPeriodEndTime: DAY }]);
  });

  it('opens a new record for a new session, with no period when no day was downloaded, and keeps 20', () => {
    let records: ControlActivityRecord[] = [];
    for (let i = 0; i < 21; i++) records = noteControlTransfer(records, { trep: 0x06 }, control, MS + i * 60_000, false);
    expect(records).toHaveLength(CONTROL_ACTIVITIES_KEPT);
    expect(records[0]).toEqual({ controlType: 0x80, controlTime: MS + 60_000, controlCard: control, downloadPeriodBeginTime: 0, downloadPeriodEndTime: 0 });
  });
});
