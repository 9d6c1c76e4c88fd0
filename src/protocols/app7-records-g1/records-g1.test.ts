import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { DecodeError } from '../decode-error.ts';
import { App7G1Error } from './fields-g1.ts';
import { G1_RECORD_SIZE } from './layout-g1.ts';
import {
  decodeCardSlotsStatus,
  decodeSensorPaired,
  decodeVuCardIWRecord,
  decodeVuCompanyLocksRecord,
  decodeVuControlActivityRecord,
  decodeVuEventRecord,
  decodeVuIdentification,
  decodeVuOverSpeedingEventRecord,
  decodeVuPlaceDailyWorkPeriodRecord,
  encodeSensorPaired,
  encodeVuCardIWRecord,
  encodeVuCompanyLocksRecord,
  encodeVuControlActivityRecord,
  encodeVuEventRecord,
  encodeVuIdentification,
  encodeVuOverSpeedingEventRecord,
  encodeVuPlaceDailyWorkPeriodRecord,
} from './records-g1.ts';

/** Hex pieces of a record, written out field by field from App. 1 (generation 1), joined. */
const bytes = (...parts: string[]) => fromHex(parts.join(''));
const spaces = (n: number) => '20'.repeat(n);
const T = (iso: string) => Date.parse(iso);

// FullCardNumber (App. 1 2.73): EquipmentType 01 driver, NationNumeric 02 (B), "B000000012345601"
const ANNA = '01' + '02' + '42303030303030303132333435363031';
const anna = { cardType: 'driver', issuingMemberState: 2, cardNumber: 'B000000012345601' };

describe('gen1 App. 1 records, built by hand from the generation 1 layouts', () => {
  it('VuControlActivityRecord: 31 bytes', () => {
    const record = bytes(
      'c0', //                                  0  controlType: card downloading, VU downloading ('cv'..)
      '69a7fb98', //                            1  controlTime 2026-03-04T09:30:00Z
      '03' + '02' + '423030303030303030304354' + '4c303030', // 5 controlCardNumber: control card (03), B, "B000000000CTL000"
      '69a4d300', //                           23  downloadPeriodBeginTime 2026-03-02
      '69a62480', //                           27  downloadPeriodEndTime 2026-03-03
    );
    expect(record.length).toBe(G1_RECORD_SIZE.VuControlActivityRecord);
    const decoded = decodeVuControlActivityRecord(record);
    expect(decoded).toEqual({
      controlType: 0xc0,
      controlTime: T('2026-03-04T09:30:00Z'),
      controlCardNumber: { cardType: 'control', issuingMemberState: 2, cardNumber: 'B000000000CTL000' },
      downloadPeriodBeginTime: T('2026-03-02T00:00:00Z'),
      downloadPeriodEndTime: T('2026-03-03T00:00:00Z'),
    });
    expect(toHex(encodeVuControlActivityRecord(decoded))).toBe(toHex(record));
  });

  it('VuCardIWRecord: 129 bytes, no generation byte after the card number, PreviousVehicleInfo of 19', () => {
    const record = bytes(
      '01' + '50454554455253' + spaces(28), //   0  cardHolderName.holderSurname: code page 1, "PEETERS"
      '01' + '416e6e61' + spaces(31), //         36  cardHolderName.holderFirstNames: "Anna"
      ANNA, //                                   72  fullCardNumber
      '72bbba80', //                             90  cardExpiryDate 2030-12-31
      '69a678e0', //                             94  cardInsertionTime 2026-03-03T06:00:00Z
      '00300c', //                               98  vehicleOdometerValueAtInsertion 12 300 km
      '01', //                                  101  cardSlotNumber: co-driver slot
      '69a70c88', //                            102  cardWithdrawalTime 2026-03-03T16:30:00Z
      '003039', //                              106  vehicleOdometerValueAtWithdrawal 12 345 km
      '0d' + '01' + '4d2d414220313233' + spaces(5), // 109 previousVehicleInfo.vehicleRegistrationIdentification: D, "M-AB 123"
      '69a5c210', //                            124  previousVehicleInfo.cardWithdrawalTime 2026-03-02T17:00:00Z
      '01', //                                  128  manualInputFlag: manualEntries
    );
    expect(record.length).toBe(G1_RECORD_SIZE.VuCardIWRecord);
    const decoded = decodeVuCardIWRecord(record);
    expect(decoded).toEqual({
      cardHolderName: { surname: 'PEETERS', firstNames: 'Anna' },
      fullCardNumber: anna,
      cardExpiryDate: T('2030-12-31T00:00:00Z'),
      cardInsertionTime: T('2026-03-03T06:00:00Z'),
      vehicleOdometerValueAtInsertion: 12_300,
      cardSlotNumber: 'co-driver',
      cardWithdrawalTime: T('2026-03-03T16:30:00Z'),
      vehicleOdometerValueAtWithdrawal: 12_345,
      previousVehicleInfo: { vehicleRegistrationIdentification: { vehicleRegistrationNation: 0x0d, vehicleRegistrationNumber: 'M-AB 123' }, cardWithdrawalTime: T('2026-03-02T17:00:00Z') },
      manualInputFlag: true,
    });
    expect(toHex(encodeVuCardIWRecord(decoded))).toBe(toHex(record));
    // an open cycle: withdrawal time 0 reads as null
    const open = Uint8Array.from(record);
    open.set([0, 0, 0, 0], 102);
    expect(decodeVuCardIWRecord(open).cardWithdrawalTime).toBeNull();
    // CardSlotNumber 2 is not a slot
    const bad = Uint8Array.from(record);
    bad[101] = 2;
    expect(() => decodeVuCardIWRecord(bad)).toThrow(new App7G1Error('VuCardIWRecord: CardSlotNumber 2 is not 0 (driver) or 1 (co-driver)'));
  });

  it('VuPlaceDailyWorkPeriodRecord: 28 bytes, the card then a 10-byte PlaceRecord', () => {
    const record = bytes(
      ANNA, //        0  fullCardNumber
      '69a678e0', // 18  entryTime 2026-03-03T06:00:00Z
      '00', //       22  entryTypeDailyWorkPeriod: begin, related time = card insertion time
      '0e', //       23  dailyWorkPeriodCountry: NationNumeric 0E (E)
      '0b', //       24  dailyWorkPeriodRegion: RegionNumeric 0B
      '00300c', //   25  vehicleOdometerValue 12 300 km
    );
    expect(record.length).toBe(28);
    const decoded = decodeVuPlaceDailyWorkPeriodRecord(record);
    expect(decoded).toEqual({ fullCardNumber: anna, placeRecord: { entryTime: T('2026-03-03T06:00:00Z'), entryTypeDailyWorkPeriod: 0, dailyWorkPeriodCountry: 0x0e, dailyWorkPeriodRegion: 0x0b, vehicleOdometerValue: 12_300 } });
    expect(toHex(encodeVuPlaceDailyWorkPeriodRecord(decoded))).toBe(toHex(record));
  });

  it('VuEventRecord: 83 bytes; empty slots are a zero EquipmentType, read as null', () => {
    const record = bytes(
      '08', //                 0  eventType: power supply interruption
      '07', //                 1  eventRecordPurpose: on-going
      '69a6a310', //           2  eventBeginTime 2026-03-03T09:00:00Z
      '00000000', //           6  eventEndTime: none yet
      ANNA, //                10  cardNumberDriverSlotBegin
      '00'.repeat(18), //     28  cardNumberCodriverSlotBegin: no card
      'ff'.repeat(18), //     46  cardNumberDriverSlotEnd: unset memory ('FF'H), no card
      '00'.repeat(18), //     64  cardNumberCodriverSlotEnd
      '03', //                82  similarEventsNumber
    );
    expect(record.length).toBe(83);
    expect(decodeVuEventRecord(record)).toEqual({
      eventType: 0x08,
      eventRecordPurpose: 0x07,
      eventBeginTime: T('2026-03-03T09:00:00Z'),
      eventEndTime: null,
      cardNumberDriverSlotBegin: anna,
      cardNumberCodriverSlotBegin: null,
      cardNumberDriverSlotEnd: null,
      cardNumberCodriverSlotEnd: null,
      similarEventsNumber: 3,
    });
    // the rig writes no card as 18 zero bytes
    const written = encodeVuEventRecord(decodeVuEventRecord(record));
    expect(toHex(written.subarray(46, 64))).toBe('00'.repeat(18));
    expect(toHex(written.subarray(0, 46))).toBe(toHex(record.subarray(0, 46)));
    // EquipmentType 6 (a VU) where a card belongs, and an RFU purpose, are refused as DecodeErrors
    const vu = Uint8Array.from(record);
    vu[10] = 6;
    expect(() => decodeVuEventRecord(vu)).toThrow(/VuEventRecord.cardNumberDriverSlotBegin: EquipmentType 6 is not a card type/);
    const rfu = Uint8Array.from(record);
    rfu[1] = 0x08;
    expect(() => decodeVuEventRecord(rfu)).toThrow(DecodeError);
  });

  it('VuOverSpeedingEventRecord: 31 bytes, the driver slot card at the beginning only', () => {
    const record = bytes(
      '07', //        0  eventType: over speeding
      '00', //        1  eventRecordPurpose: one of the 10 most recent
      '69a6a310', //  2  eventBeginTime 2026-03-03T09:00:00Z
      '69a6a356', //  6  eventEndTime 2026-03-03T09:01:10Z
      '61', //       10  maxSpeedValue 97 km/h
      '5d', //       11  averageSpeedValue 93 km/h
      ANNA, //       12  cardNumberDriverSlotBegin
      '01', //       30  similarEventsNumber
    );
    const decoded = decodeVuOverSpeedingEventRecord(record);
    expect(decoded).toEqual({ eventType: 7, eventRecordPurpose: 0, eventBeginTime: T('2026-03-03T09:00:00Z'), eventEndTime: T('2026-03-03T09:01:10Z'), maxSpeedValue: 97, averageSpeedValue: 93, cardNumberDriverSlotBegin: anna, similarEventsNumber: 1 });
    expect(toHex(encodeVuOverSpeedingEventRecord(decoded))).toBe(toHex(record));
  });

  it('VuIdentification: 116 bytes, approval number IA5 8 (gen1)', () => {
    const record = bytes(
      '01' + Buffer.from('Rig Test Tachographs').toString('hex') + spaces(15), //  0  vuManufacturerName
      '01' + Buffer.from('1 Test Street').toString('hex') + spaces(22), //        36  vuManufacturerAddress
      Buffer.from('RIG-VU-2').toString('hex') + spaces(8), //                     72  vuPartNumber
      '00000001' + '01' + '26' + '06' + '40', //                                  88  vuSerialNumber: 1, 01/26 (BCD), VU, manufacturer 40
      Buffer.from('0100').toString('hex'), //                                     96  vuSoftwareVersion
      '6955b900', //                                                             100  vuSoftInstallationDate 2026-01-01
      '69570a80', //                                                             104  vuManufacturingDate 2026-01-02
      Buffer.from('e1-0001').toString('hex') + spaces(1), //                     108  vuApprovalNumber
    );
    expect(record.length).toBe(116);
    const decoded = decodeVuIdentification(record);
    expect(decoded).toEqual({
      vuManufacturerName: 'Rig Test Tachographs',
      vuManufacturerAddress: '1 Test Street',
      vuPartNumber: 'RIG-VU-2',
      vuSerialNumber: { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 },
      vuSoftwareIdentification: { vuSoftwareVersion: '0100', vuSoftInstallationDate: T('2026-01-01T00:00:00Z') },
      vuManufacturingDate: T('2026-01-02T00:00:00Z'),
      vuApprovalNumber: 'e1-0001',
    });
    expect(toHex(encodeVuIdentification(decoded))).toBe(toHex(record));
    expect(() => encodeVuIdentification({ ...decoded, vuApprovalNumber: 'e1-000123' })).toThrow('longer than 8 characters');
  });

  it('SensorPaired: 20 bytes', () => {
    const record = bytes('00000007' + '01' + '26' + '07' + '40', Buffer.from('e1-0002').toString('hex') + '20', '69570a80');
    const decoded = decodeSensorPaired(record);
    expect(decoded).toEqual({ sensorSerialNumber: { serialNumber: 7, monthYear: '0126', type: 7, manufacturerCode: 0x40 }, sensorApprovalNumber: 'e1-0002', sensorPairingDateFirst: T('2026-01-02T00:00:00Z') });
    expect(toHex(encodeSensorPaired(decoded))).toBe(toHex(record));
  });

  it('VuCompanyLocksRecord: 98 bytes; a lock still on has lockOutTime 0, or FF FF FF FF as a real VU writes it', () => {
    const record = bytes(
      '5996ee30', //                                                  0  lockInTime 2017-08-18T13:40:00Z
      'ffffffff', //                                                  4  lockOutTime: unset
      '01' + Buffer.from('Acme Transport').toString('hex') + spaces(21), //  8  companyName
      '01' + Buffer.from('1 Haven Road').toString('hex') + spaces(23), //   44  companyAddress
      '04' + '02' + Buffer.from('B000000000ACM000').toString('hex'), //     80  companyCardNumber: company card, B
    );
    expect(record.length).toBe(98);
    const decoded = decodeVuCompanyLocksRecord(record);
    expect(decoded).toEqual({ lockInTime: T('2017-08-18T13:40:00Z'), lockOutTime: null, companyName: 'Acme Transport', companyAddress: '1 Haven Road', companyCardNumber: { cardType: 'company', issuingMemberState: 2, cardNumber: 'B000000000ACM000' } });
    // the rig writes a lock still on as 0
    expect(toHex(encodeVuCompanyLocksRecord(decoded).subarray(4, 8))).toBe('00000000');
    expect(decodeVuCompanyLocksRecord(encodeVuCompanyLocksRecord(decoded))).toEqual(decoded);
  });

  it('CardSlotsStatus: co-driver slot in the high nibble', () => {
    expect(decodeCardSlotsStatus(fromHex('31'))).toEqual({ driver: 'driver', codriver: 'control' });
    expect(() => decodeCardSlotsStatus(fromHex('05'))).toThrow(new App7G1Error('CardSlotsStatus: slot value 5 is not 0..4 (App. 1 2.34)'));
  });

  it('refuses a record of another size', () => {
    expect(() => decodeVuControlActivityRecord(new Uint8Array(32))).toThrow(new App7G1Error('VuControlActivityRecord is 31 bytes, got 32'));
  });
});
