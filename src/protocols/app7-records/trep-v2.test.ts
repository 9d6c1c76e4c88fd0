import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { decodeCertificate } from '../../crypto/pki/cv-certificate.ts';
import { testDownloadSigner } from '../ddd/test-download.ts';
import { decodeTrep23 } from './trep-decode.ts';
import { encodeTrep22, encodeTrep23, readTrepArrays } from './trep.ts';
import { RICH_ACTIVITIES, RICH_EVENTS } from './test-treps.ts';
import { RICH_ACTIVITIES_V2, RICH_OVERVIEW_V2, RICH_TECHNICAL_V2 } from './test-treps-v2.ts';
import { encodeTrep00, encodeTrep31, encodeTrep32, encodeTrep33, encodeTrep35 } from './trep-v2.ts';
import { decodeTrep00, decodeTrep31, decodeTrep32, decodeTrep33, decodeTrep35 } from './trep-v2-decode.ts';

const signer = testDownloadSigner;
const headers = (data: Uint8Array) => readTrepArrays(data).map((a) => [a.recordType, a.recordSize, a.records.length]);
const signatureVerifies = (data: Uint8Array, from = 0) => {
  const arrays = readTrepArrays(data);
  const sig = arrays[arrays.length - 1]!;
  const key = decodeCertificate(fromHex(signer.vuCertificate));
  return verifyPlain(key.curve, fromHex(key.publicPoint), data.subarray(from, sig.offset), sig.records[0]!);
};

describe('TREP 00, Download interface version (DDP_028a)', () => {
  it('is the two bytes 02 02 (generation 2, version 2), no record array, no signature', () => {
    expect(toHex(encodeTrep00())).toBe('0202');
    expect(decodeTrep00(fromHex('0202'))).toEqual({ downloadInterfaceVersion: '0202' });
    expect(decodeTrep00(fromHex('76000202'))).toEqual({ downloadInterfaceVersion: '0202' });
    expect(() => decodeTrep00(fromHex('020201'))).toThrow('TREP 00: DownloadInterfaceVersion is 2 bytes (App. 1 §2.60a), the block holds 3');
  });
});

describe('TREP 31, Overview (DDP_029 gen2 v2)', () => {
  const data = encodeTrep31(RICH_OVERVIEW_V2, signer);

  it('carries VehicleRegistrationIdentificationRecordArray (24H, 15 bytes) after the VIN, and signs all but the certificates', () => {
    const arrays = readTrepArrays(data);
    expect(arrays.map((a) => a.name)).toEqual([
      'MemberStateCertificateRecordArray',
      'VuCertificateRecordArray',
      'VehicleIdentificationNumberRecordArray',
      'VehicleRegistrationIdentificationRecordArray',
      'CurrentDateTimeRecordArray',
      'VuDownloadablePeriodRecordArray',
      'CardSlotsStatusRecordArray',
      'VuDownloadActivityDataRecordArray',
      'VuCompanyLocksRecordArray',
      'VuControlActivityRecordArray',
      'SignatureRecordArray',
    ]);
    // header 24 000F 0001, then nation 06 (B), code page 01, 'B-RIG-001' and 4 spaces
    expect(toHex(arrays[3]!.bytes)).toBe('24000f0001' + '06' + '01' + toHex(new TextEncoder().encode('B-RIG-001    ')));
    expect(signatureVerifies(data, arrays[2]!.offset)).toBe(true);
  });

  it('decodes back to what was encoded, certificates and signature as hex', () => {
    const decoded = decodeTrep31(data);
    expect(decoded.data).toEqual(RICH_OVERVIEW_V2);
    expect([decoded.mscaCertificate, decoded.vuCertificate]).toEqual([signer.mscaCertificate, signer.vuCertificate]);
    expect(decodeTrep31(Uint8Array.of(0x76, 0x31, ...data)).data.registrationNation).toBe(6);
  });

  it('also reads the VRN alone (VehicleRegistrationNumberRecordArray, 0BH): registrationNation null', () => {
    const vrnOnly = encodeTrep31({ ...RICH_OVERVIEW_V2, registrationNation: null }, signer);
    expect(headers(vrnOnly)[3]).toEqual([0x0b, 14, 1]);
    expect(decodeTrep31(vrnOnly).data).toEqual({ ...RICH_OVERVIEW_V2, registrationNation: null });
  });
});

describe('TREP 32, Activities (DDP_030 gen2 v2)', () => {
  const data = encodeTrep32(RICH_ACTIVITIES_V2, signer);

  it('has the nine arrays of the v2 table, places 41 bytes, GNSS 57, border crossings 55, load/unload 58', () => {
    expect(headers(data)).toEqual([
      [0x06, 4, 1],
      [0x05, 3, 1],
      [0x0d, 131, 1],
      [0x01, 2, 2],
      [0x1c, 41, 1],
      [0x16, 57, 1],
      [0x09, 5, 1],
      [0x22, 55, 1],
      [0x23, 58, 2],
      [0x08, 64, 1],
    ]);
    expect(signatureVerifies(data)).toBe(true);
  });

  it('round-trips, and the border crossing reads as its bytes say', () => {
    expect(decodeTrep32(data).data).toEqual(RICH_ACTIVITIES_V2);
    const border = readTrepArrays(data)[7]!.records[0]!;
    // countryLeft 06 (B) at 38, countryEntered 0D (D) at 39, then the place: 08:00:00Z, accuracy 12, authenticated
    expect(toHex(border.subarray(38, 52))).toBe('060d' + toHex(fromHex((Date.UTC(2026, 2, 3, 8) / 1000).toString(16))) + '0c' + '00c51c' + '00177a' + '01');
  });

  it('refuses a gen2 v1 day (TREP 22 data) as not the v2 layout', () => {
    expect(() => decodeTrep32(encodeTrep22(RICH_ACTIVITIES, signer))).toThrow('TREP 32: VuPlaceDailyWorkPeriodRecordArray has recordSize 40, App. 1 gives 41');
  });
});

describe('TREP 33, Events and faults (DDP_031 gen2 v2 = the v1 table)', () => {
  it('is the TREP 23 layout, named TREP 33 in its errors', () => {
    const data = encodeTrep33(RICH_EVENTS, signer);
    expect(toHex(data)).toBe(toHex(encodeTrep23(RICH_EVENTS, signer)));
    expect(decodeTrep33(data)).toEqual(decodeTrep23(data));
    expect(() => decodeTrep33(data.subarray(0, data.length - 1))).toThrow(/^TREP 33: SignatureRecordArray at \d+: 1 × 64 bytes run past the end \(63 left\)$/);
  });
});

describe('TREP 35, Technical data (DDP_033 gen2 v2)', () => {
  const data = encodeTrep35(RICH_TECHNICAL_V2, signer);
  const arrays = readTrepArrays(data);

  it('VuIdentification is 138 bytes, vuDigitalMapVersion last (IA5 12)', () => {
    expect(headers(data)[0]).toEqual([0x19, 138, 1]);
    const id = arrays[0]!.records[0]!;
    expect(new TextDecoder().decode(id.subarray(108, 124))).toBe('e1-0002         ');
    expect([id[124], id[125]]).toEqual([2, 0]);
    expect(new TextDecoder().decode(id.subarray(126, 138))).toBe('EU-2025.12  ');
  });

  it('VuCalibrationRecord is 252 bytes: gen1 part, sensor, GNSS and RCM serials, seals, load type, country and its time', () => {
    expect(headers(data)[3]).toEqual([0x0c, 252, 1]);
    const c = arrays[3]!.records[0]!;
    // sensorSerialNumber 167..174: serial 00123456, monthYear 0226 (BCD), type 07, manufacturer 41
    expect(toHex(c.subarray(167, 175))).toBe('0012345602260741');
    // sensorGNSSSerialNumber 175..182: none coupled, zeros
    expect(toHex(c.subarray(175, 183))).toBe('0000000000000000');
    // rcmSerialNumber 183..190: 00000777, 0126, type 09 (Remote Communication Module), manufacturer 40
    expect(toHex(c.subarray(183, 191))).toBe('0000077701260940');
    // sealDataVu 191..245: first seal type 07 (motion sensor), 0A1B, 0102030405060708; the other four unused (16)
    expect(toHex(c.subarray(191, 202))).toBe('070a1b0102030405060708');
    expect(c[202]).toBe(16);
    // byDefaultLoadType 246 (01 goods), calibrationCountry 247 (06 B), calibrationCountryTimestamp 248..251
    expect(toHex(c.subarray(246, 252))).toBe('0106' + (Date.UTC(2026, 2, 3) / 1000 - 60).toString(16));
    expect(signatureVerifies(data)).toBe(true);
  });

  it('round-trips', () => {
    expect(decodeTrep35(data).data).toEqual(RICH_TECHNICAL_V2);
  });
});
