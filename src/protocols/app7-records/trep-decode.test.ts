import { describe, expect, it } from 'vitest';
import { concatBytes, toHex } from '../../crypto/bytes.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { decodeVuCardIWRecord, encodeVuCardIWRecord, readVuCardIWRecord, type VuCardIWRecord } from '../app1/vu-card-iw-record.ts';
import { encodeRecordArray, RECORD_TYPE } from './record-array.ts';
import { decodeTrep21, decodeTrep22, decodeTrep24 } from './trep-decode.ts';
import { encodeTrep21, encodeTrep22, encodeTrep24, readTrepArrays, type ActivitiesOfDayData, type DownloadSigner, type OverviewData } from './trep.ts';

const vu = TestPki.of().vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 });
const signer: DownloadSigner = { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate };
const DAY = Date.UTC(2026, 2, 3);
const anna = { cardType: 'driver' as const, issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 as const };
const company = { cardType: 'company' as const, issuingMemberState: 0x06, cardNumber: 'B000000000555000', generation: 2 as const };
const control = { cardType: 'control' as const, issuingMemberState: 0x0d, cardNumber: 'D000000000999000', generation: 1 as const };

const OVERVIEW: OverviewData = {
  vin: 'WDB9634031L000001',
  registrationNumber: 'B-RIG-001',
  currentTime: DAY + 9 * 3_600_000,
  minDownloadableTime: DAY - 86_400_000,
  maxDownloadableTime: DAY + 8 * 3_600_000,
  slots: { driver: 'driver', codriver: 'workshop' },
  lastDownload: { downloadingTime: DAY - 3_600_000, card: company, companyOrWorkshopName: 'Rig Haulage' },
  companyLocks: [
    { lockInTime: DAY - 30 * 86_400_000, lockOutTime: DAY - 86_400_000, companyName: 'Old Haulage', companyAddress: '3 Dock Road, Antwerp', companyCard: company },
    { lockInTime: DAY - 86_400_000, lockOutTime: null, companyName: 'Rig Haulage', companyAddress: '4 Depot Lane, Ghent', companyCard: company },
  ],
  controls: [{ controlType: 0b1110_0000, controlTime: DAY + 3_600_000, controlCard: control, downloadPeriodBeginTime: DAY - 86_400_000, downloadPeriodEndTime: DAY }],
};

const IW: VuCardIWRecord = {
  cardHolderName: { surname: 'PEETERS', firstNames: 'Anna' },
  fullCardNumberAndGeneration: anna,
  cardExpiryDate: Date.UTC(2030, 11, 31),
  cardInsertionTime: DAY + 6 * 3_600_000,
  vehicleOdometerValueAtInsertion: 1200,
  cardSlotNumber: 'driver',
  cardWithdrawalTime: DAY + 15 * 3_600_000,
  vehicleOdometerValueAtWithdrawal: 1534,
  previousVehicleInfo: { registrationNation: 0x06, registrationNumber: 'B-OLD-007', cardWithdrawalTime: DAY - 86_400_000, vuGeneration: 2 },
  manualInputFlag: false,
};

const ACTIVITIES: ActivitiesOfDayData = {
  day: DAY,
  odometerAtMidnightKm: 1534,
  cardIW: [IW],
  activities: [
    { slot: 'driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute: 0 },
    { slot: 'co-driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute: 0 },
    { slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'driving', minute: 360 },
  ],
  places: [{ card: anna, entryTime: DAY + 6 * 3_600_000, entryType: 0x02, country: 0x06, region: 0, odometerKm: 1200, place: { timeStamp: DAY + 6 * 3_600_000 - 5000, gnssAccuracy: 3, latitude: 50512, longitude: -4217 } }],
  gnssAccumulatedDriving: [{ timeStamp: DAY + 9 * 3_600_000, driverCard: anna, codriverCard: null, place: { timeStamp: DAY + 9 * 3_600_000, gnssAccuracy: 2, latitude: -33450, longitude: 151120 }, odometerKm: 1400 }],
  specificConditions: [{ entryTime: DAY + 10 * 3_600_000, type: 3 }],
};

describe('typed decoders: encode → decode gives the same data', () => {
  it('TREP 21, with the certificates and the signature alongside', () => {
    const trep = encodeTrep21(OVERVIEW, signer);
    const decoded = decodeTrep21(trep);
    expect(decoded.data).toEqual(OVERVIEW);
    expect([decoded.mscaCertificate, decoded.vuCertificate]).toEqual([vu.mscaCertificate, vu.vuSign.certificate]);
    expect(decoded.signature).toBe(toHex(readTrepArrays(trep)[10]!.records[0]!));
    expect(decodeTrep21(encodeTrep21({ ...OVERVIEW, lastDownload: null, companyLocks: [], controls: [] }, signer)).data.lastDownload).toBeNull();
  });

  it("TREP 21's VehicleRegistrationNumber is read in its code page (App. 1 §2.167), not as Latin-1", () => {
    const trep = encodeTrep21(OVERVIEW, signer);
    const vrn = readTrepArrays(trep)[3]!;
    // 'СВ1234АК' in ISO/IEC 8859-5 is c1 b2 31 32 33 34 b0 ba (python3 codecs)
    const cyrillic = Uint8Array.from([5, 0xc1, 0xb2, 0x31, 0x32, 0x33, 0x34, 0xb0, 0xba, 0x20, 0x20, 0x20, 0x20, 0x20]);
    const patched = Uint8Array.from(trep);
    patched.set(cyrillic, vrn.offset + 5);
    expect(decodeTrep21(patched).data.registrationNumber).toBe('СВ1234АК');
  });

  it("the VuCardIWRecord reads the previous vehicle's VehicleRegistrationNumber in its code page (offset 111), not as Latin-1", () => {
    const bytes = encodeVuCardIWRecord(IW);
    // 'СВ1234АК' in ISO/IEC 8859-5 is c1 b2 31 32 33 34 b0 ba (python3 codecs)
    bytes.set([5, 0xc1, 0xb2, 0x31, 0x32, 0x33, 0x34, 0xb0, 0xba, 0x20, 0x20, 0x20, 0x20, 0x20], 111);
    expect(decodeVuCardIWRecord(bytes).previousVehicleInfo?.registrationNumber).toBe('СВ1234АК');
  });

  it('an anonymised VuCardIWRecord without a card number: refused by the decoder, read with the card null by readVuCardIWRecord', () => {
    const bytes = encodeVuCardIWRecord(IW);
    bytes.fill(0, 72, 91);
    expect(() => decodeVuCardIWRecord(bytes)).toThrow('VuCardIWRecord without a card number');
    expect(readVuCardIWRecord(bytes)).toEqual({ ...IW, fullCardNumberAndGeneration: null });
  });

  it('TREP 22, negative coordinates and an empty co-driver slot included', () => {
    expect(decodeTrep22(encodeTrep22(ACTIVITIES, signer)).data).toEqual(ACTIVITIES);
  });

  it('TREP 24', () => {
    const blocks = [
      { begin: DAY / 1000 + 600, speeds: Array.from({ length: 60 }, (_, i) => 50 + i) },
      { begin: DAY / 1000 + 660, speeds: Array.from({ length: 60 }, (_, i) => 110 - i) },
    ];
    expect(decodeTrep24(encodeTrep24(blocks, signer)).data).toEqual(blocks);
  });
});

describe('typed decoders refuse what is not the DDP_029..033 layout, naming the array', () => {
  const trep24 = encodeTrep24([], signer);
  it('an array of another type where one belongs', () => {
    const wrong = concatBytes(encodeRecordArray(RECORD_TYPE.VuEventRecord, 91, []), trep24.subarray(5));
    expect(() => decodeTrep24(wrong)).toThrow('TREP 24: found VuEventRecordArray where VuDetailedSpeedBlockRecordArray belongs');
  });
  it('a record size App. 1 does not give', () => {
    const wrong = concatBytes(encodeRecordArray(RECORD_TYPE.VuDetailedSpeedBlock, 63, [new Uint8Array(63)]), trep24.subarray(5));
    expect(() => decodeTrep24(wrong)).toThrow('TREP 24: VuDetailedSpeedBlockRecordArray has recordSize 63, App. 1 gives 64');
  });
  it('bytes after the signature, and a message cut short', () => {
    expect(() => decodeTrep24(concatBytes(trep24, Uint8Array.of(0)))).toThrow('TREP 24: 1 byte(s) after the SignatureRecordArray');
    expect(() => decodeTrep24(trep24.subarray(0, trep24.length - 1))).toThrow(/^TREP 24: SignatureRecordArray at 5: 1 × 64 bytes run past the end/);
  });
  it('two records where App. 1 has one (CurrentDateTime twice)', () => {
    const trep = encodeTrep21(OVERVIEW, signer);
    const arrays = readTrepArrays(trep);
    const now = arrays[4]!;
    const doubled = concatBytes(trep.subarray(0, now.offset), encodeRecordArray(RECORD_TYPE.CurrentDateTime, 4, [now.records[0]!, now.records[0]!]), trep.subarray(now.offset + now.length));
    expect(() => decodeTrep21(doubled)).toThrow('TREP 21: CurrentDateTimeRecordArray has 2 records, expected 1');
  });
});
