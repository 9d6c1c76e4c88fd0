import { describe, expect, it } from 'vitest';
import { gen1Activities, gen1Card, gen1EventsAndFaults, gen1TechnicalData } from './gen1-format.ts';

const identification = {
  manufacturerName: 'Rig Test Tachographs',
  manufacturerAddress: '1 Test Street, Brussels',
  partNumber: 'RIG-VU-2',
  serialNumber: { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 },
  softwareVersion: '0100',
  softwareInstallationDate: '2026-01-01T00:00:00Z',
  manufacturingDate: '2026-01-02T00:00:00Z',
  approvalNumber: 'e1-0001-2026-xyz',
};
const sensor = (serialNumber: number, date: number) => ({ sensorSerialNumber: { serialNumber, monthYear: '0126', type: 7, manufacturerCode: 0x40 }, sensorApprovalNumber: 'e1-0002-long', sensorPairingDate: date });

describe('the VU data in the gen1 format (App. 1 gen1 records)', () => {
  it('drops the generation from card numbers (FullCardNumber, App. 1 2.73)', () => {
    expect(gen1Card({ cardType: 'driver', issuingMemberState: 6, cardNumber: 'B000000012345601', generation: 2 })).toEqual({ cardType: 'driver', issuingMemberState: 6, cardNumber: 'B000000012345601' });
    expect(gen1Card(null)).toBeNull();
  });

  it('cuts approval numbers to IA5String(8) and gives SensorPaired the first pairing date of the sensor paired now', () => {
    // sensor 7 paired, then sensor 8, then 7 again: the sensor paired now is 7, first paired with this VU at 1000 s
    const tech = gen1TechnicalData(identification, [sensor(7, 1000), sensor(8, 2000), sensor(7, 3000)], []);
    expect(tech.vuIdentification).toMatchObject({ vuApprovalNumber: 'e1-0001-', vuSoftwareIdentification: { vuSoftwareVersion: '0100', vuSoftInstallationDate: Date.UTC(2026, 0, 1) }, vuManufacturingDate: Date.UTC(2026, 0, 2) });
    expect(tech.sensorPaired).toEqual({ sensorSerialNumber: { serialNumber: 7, monthYear: '0126', type: 7, manufacturerCode: 0x40 }, sensorApprovalNumber: 'e1-0002-', sensorPairingDateFirst: 1_000_000 });
    // no sensor paired yet
    expect(gen1TechnicalData(identification, [], []).sensorPaired).toEqual({ sensorSerialNumber: { serialNumber: 0, monthYear: '0100', type: 7, manufacturerCode: 0 }, sensorApprovalNumber: '', sensorPairingDateFirst: 0 });
  });

  it('gives the 255 most recent of a set whose gen1 count is one byte (App. 1 noOfVuEvents INTEGER(0..255)), in the order kept', () => {
    const event = (begin: number) => ({ type: 0x05, category: 'event' as const, purpose: 0 as const, begin, end: begin + 10, cardsAtBegin: { driver: null, codriver: null }, cardsAtEnd: { driver: null, codriver: null }, similarEvents: 1, data: {} });
    // 300 events, the oldest listed last
    const records = Array.from({ length: 300 }, (_, i) => event(1_000_000 - i * 100));
    const kept = gen1EventsAndFaults(records, { lastControl: 0, firstOverSpeedSince: 0, numberOfOverSpeedSince: 0 }, []).vuEventRecords;
    expect(kept.length).toBe(255);
    expect([kept[0]!.eventBeginTime, kept[254]!.eventBeginTime]).toEqual([1_000_000_000, (1_000_000 - 254 * 100) * 1000]);
    expect(gen1EventsAndFaults(records.slice(0, 255), { lastControl: 0, firstOverSpeedSince: 0, numberOfOverSpeedSince: 0 }, []).vuEventRecords.length).toBe(255);
  });

  it("gives the day's specific conditions with the generation 1 types: a crossing's begin as 03, no end (App. 1 2.154)", () => {
    const day = Date.UTC(2026, 2, 2);
    const specificConditions = [
      { entryTime: day + 1000, type: 1 },
      { entryTime: day + 2000, type: 2 },
      { entryTime: day + 3000, type: 3 },
      { entryTime: day + 4000, type: 4 },
    ];
    expect(gen1Activities({ day, odometerAtMidnightKm: 0, cardIW: [], activities: [], places: [], specificConditions }).specificConditionRecords).toEqual([
      { entryTime: day + 1000, specificConditionType: 1 },
      { entryTime: day + 2000, specificConditionType: 2 },
      { entryTime: day + 3000, specificConditionType: 3 },
    ]);
  });
});
