import { describe, expect, it } from 'vitest';
import { EVENT_FAULT_TYPES, eventFaultType, Purpose } from './event-fault-types.ts';

describe('the EventFaultType table', () => {
  it('has a row for every code the VU keeps, and only those', () => {
    expect(EVENT_FAULT_TYPES.map((t) => t.code)).toEqual([
      0x01, 0x02, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
      0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
      0x20, 0x21, 0x22, 0x23, 0x24, 0x25,
      0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
      0x40,
    ]);
    for (const code of [0x00, 0x03, 0x0f, 0x1c, 0x26, 0x3a, 0x41, 0x80]) {
      expect(() => eventFaultType(code)).toThrow('is not one the VU records');
    }
  });

  it('files events and faults by code range', () => {
    for (const t of EVENT_FAULT_TYPES) {
      expect([t.code, t.category]).toEqual([t.code, t.code >= 0x30 ? 'fault' : 'event']);
      expect([t.code, t.downloadRecord]).toEqual([
        t.code,
        t.code >= 0x30 ? 'VuFaultRecord' : t.code === 0x07 ? 'VuOverSpeedingEventRecord' : 'VuEventRecord',
      ]);
    }
  });

  it('gives a severity measure exactly to the rows that rank occurrences', () => {
    for (const t of EVENT_FAULT_TYPES) {
      const ranks = t.retention.some((c) => c.rule === 'bestOfDay' || c.rule === 'bestOfPeriod');
      expect([t.code, t.severity !== null]).toEqual([t.code, ranks]);
    }
  });

  it('uses "longest" purposes for duration rows and "most serious" ones for the others', () => {
    const purposes = (code: number) => eventFaultType(code).retention.map((c) => c.purpose);
    expect(purposes(0x0e)).toEqual([Purpose.longestOfDay, Purpose.longestOfYear]);
    expect(purposes(0x08)).toEqual([0x01, 0x02]);
    expect(purposes(0x0b)).toEqual([Purpose.mostSeriousOfDay, Purpose.mostSeriousOfYear]);
    expect(purposes(0x07)).toEqual([0x04, 0x05, 0x06]);
    expect(purposes(0x05)).toEqual([0x03]);
    expect(purposes(0x11)).toEqual([0x00]);
    expect(purposes(0x35)).toEqual([0x00, 0x06]);
    expect(purposes(0x40)).toEqual([0x00]);
  });

  it('measures severity as the table says', () => {
    expect(eventFaultType(0x0b).severity!.of({ begin: 1000, end: 870, data: { gnssTime: 870 } })).toBe(130);
    expect(eventFaultType(0x0b).severity!.of({ begin: 1000, end: 1075, data: { gnssTime: 1075 } })).toBe(75);
    expect(eventFaultType(0x07).severity!.of({ begin: 0, end: 90, data: { maxSpeed: 112, averageSpeed: 94 } })).toBe(94);
    expect(eventFaultType(0x0e).severity!.of({ begin: 3600, end: 5400, data: {} })).toBe(1800);
  });

  it('keeps "number of similar events that day" only where the row lists it', () => {
    expect(EVENT_FAULT_TYPES.filter((t) => t.similarEvents).map((t) => t.code)).toEqual([
      0x01, 0x04, 0x05, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
    ]);
  });

  it('ends a time conflict record at the GNSS time', () => {
    expect(eventFaultType(0x0b).instantEnd!(1000, { gnssTime: 870 })).toBe(870);
  });
});
