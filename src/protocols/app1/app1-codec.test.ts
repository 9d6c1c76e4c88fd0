import { describe, expect, it } from 'vitest';
import {
  decodeFullCardNumberAndGeneration,
  decodeHolderName,
  decodeOdometerShort,
  decodeTimeReal,
  decodeVehicleRegistrationNumber,
  encodeFullCardNumber,
  encodeFullCardNumberAndGeneration,
  encodeHolderName,
  encodeName,
  encodeOdometerShort,
  encodeTimeReal,
  encodeWorkshopCardPin,
} from './app1-codec.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('App. 1 card identity codecs', () => {
  it('encodes FullCardNumberAndGeneration of a gen 2 German driver card', () => {
    // EquipmentType 01 (driver card), NationNumeric 0D (D), "DF00001234567801" in IA5, Generation 02
    const bytes = encodeFullCardNumberAndGeneration({ cardType: 'driver', issuingMemberState: 0x0d, cardNumber: 'DF00001234567801', generation: 2 });
    expect(hex(bytes)).toBe('010d' + '4446303030303132333435363738' + '3031' + '02');
  });

  it('encodes FullCardNumber of a company card: 18 bytes', () => {
    const bytes = encodeFullCardNumber({ cardType: 'company', issuingMemberState: 0x11, cardNumber: 'F123456789012a00' });
    expect(hex(bytes)).toBe('0411' + '46313233343536373839303132' + '61' + '3030');
  });

  it('decodes what it encodes, and all zeros as no card', () => {
    const value = { cardType: 'workshop', issuingMemberState: 0x26, cardNumber: 'NL0000000004210Z', generation: 1 } as const;
    expect(decodeFullCardNumberAndGeneration(encodeFullCardNumberAndGeneration(value))).toEqual(value);
    expect(hex(encodeFullCardNumberAndGeneration(null))).toBe('00'.repeat(19));
    expect(decodeFullCardNumberAndGeneration(new Uint8Array(19))).toBeNull();
  });

  it("reads a slot of 'FF'H as no card, whatever its generation byte (the events of the public gen2 v2 VU sample: 18 × FF, then 00)", () => {
    expect(decodeFullCardNumberAndGeneration(Uint8Array.from([...new Array(18).fill(0xff), 0x00]))).toBeNull();
    expect(decodeFullCardNumberAndGeneration(new Uint8Array(19).fill(0xff))).toBeNull();
    expect(decodeFullCardNumberAndGeneration(Uint8Array.from([...new Array(18).fill(0), 0x02]))).toBeNull();
    // one byte of a card is enough to make it one: refused as before
    expect(() => decodeFullCardNumberAndGeneration(Uint8Array.from([0xff, 0x12, ...new Array(16).fill(0xff), 0x00]))).toThrow('EquipmentType 255 is not a card type');
  });

  it('refuses to decode a non-card equipment type or an RFU generation', () => {
    const bytes = encodeFullCardNumberAndGeneration({ cardType: 'driver', issuingMemberState: 1, cardNumber: 'A0000000000001' + '00', generation: 2 });
    expect(() => decodeFullCardNumberAndGeneration(Uint8Array.from([6, ...bytes.subarray(1)]))).toThrow('EquipmentType 6 is not a card type');
    expect(() => decodeFullCardNumberAndGeneration(Uint8Array.from([...bytes.subarray(0, 18), 3]))).toThrow('Generation 3 is not 1 or 2');
    expect(() => decodeFullCardNumberAndGeneration(bytes.subarray(0, 18))).toThrow('needs 19 bytes');
  });

  it('encodes a Name in code page 1, space padded, and an empty one as the App. 2 default', () => {
    expect(hex(encodeName('Müller'))).toBe('01' + '4dfc6c6c6572' + '20'.repeat(29));
    expect(hex(encodeName(''))).toBe('00' + '20'.repeat(35));
    expect(() => encodeName('Ωmega')).toThrow('outside ISO 8859-1');
  });

  it('encodes HolderName as surname then first names, 72 bytes, and decodes it', () => {
    const bytes = encodeHolderName({ surname: 'MUSTERMANN', firstNames: 'Max' });
    expect(bytes.length).toBe(72);
    expect(hex(bytes.subarray(0, 11))).toBe('01' + '4d55535445524d414e4e');
    expect(hex(bytes.subarray(36, 40))).toBe('01' + '4d6178');
    expect(decodeHolderName(bytes)).toEqual({ surname: 'MUSTERMANN', firstNames: 'Max' });
  });

  it('decodes a HolderName in any App. 1 code page: a Polish gen2 driver card (code page 2) and a KOI8-R one (80)', () => {
    // 'Łódź' in ISO/IEC 8859-2 is a3 f3 64 bc, 'Дмитрий' in KOI8-R e4 cd c9 d4 d2 c9 ca (python3 codecs)
    const bytes = new Uint8Array(72).fill(0x20);
    bytes.set([2, 0xa3, 0xf3, 0x64, 0xbc], 0);
    bytes.set([80, 0xe4, 0xcd, 0xc9, 0xd4, 0xd2, 0xc9, 0xca], 36);
    expect(decodeHolderName(bytes)).toEqual({ surname: 'Łódź', firstNames: 'Дмитрий' });
  });

  it('decodes a VehicleRegistrationNumber in its code page: a Bulgarian plate in ISO/IEC 8859-5', () => {
    // 'СВ1234АК' in ISO/IEC 8859-5 is c1 b2 31 32 33 34 b0 ba (python3 codecs)
    const bytes = Uint8Array.from([5, 0xc1, 0xb2, 0x31, 0x32, 0x33, 0x34, 0xb0, 0xba, 0x20, 0x20, 0x20, 0x20, 0x20]);
    expect(decodeVehicleRegistrationNumber(bytes)).toBe('СВ1234АК');
    expect(decodeVehicleRegistrationNumber(Uint8Array.from([0, ...new Array(13).fill(0x20)]))).toBe('');
  });

  it('encodes TimeReal as big-endian seconds since the epoch', () => {
    // 2029-02-28T00:00:00Z = 1 866 931 200 s = 0x6F471C00
    expect(hex(encodeTimeReal(Date.UTC(2029, 1, 28)))).toBe('6f471c00');
    expect(decodeTimeReal(Uint8Array.of(0x6f, 0x47, 0x1c, 0x00))).toBe(Date.UTC(2029, 1, 28));
    expect(hex(encodeTimeReal(1999))).toBe('00000001');
  });

  it('encodes OdometerShort on 3 bytes within 0..9 999 999 km', () => {
    expect(hex(encodeOdometerShort(123_456))).toBe('01e240');
    expect(decodeOdometerShort(Uint8Array.of(0x98, 0x96, 0x7f))).toBe(9_999_999);
    expect(() => encodeOdometerShort(10_000_000)).toThrow('out of range');
  });

  it('pads a workshop card PIN with FF to 8 bytes (TCS_72: "1234" is 31 32 33 34 FF FF FF FF)', () => {
    expect(hex(encodeWorkshopCardPin('1234'))).toBe('31323334ffffffff');
    expect(hex(encodeWorkshopCardPin('12345678'))).toBe('3132333435363738');
    expect(() => encodeWorkshopCardPin('123')).toThrow('4 to 8 digits');
  });
});
