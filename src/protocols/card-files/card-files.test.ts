import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { signDataG1 } from '../../crypto/pki-g1/data-signature.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import {
  decodeCardIccIdentification,
  decodeDriverCardApplicationIdentification,
  decodeDriverCardIdentification,
  driverCardEfSizes,
  emptyDriverCardEf,
  encodeCardIccIdentification,
  encodeDriverCardApplicationIdentification,
  encodeDriverCardIdentification,
  type DriverCardApplicationIdentification,
} from './card-ef-codec.ts';
import { encodeCardDownload, encodeCardTlv, readCardTlvs } from './card-download-file.ts';
import { verifyCardDownload, verifyCardFile } from './verify-card-download.ts';
import { FID } from './card-file-ids.ts';
import { decodeCardFile } from './decode-card-file.ts';

const spaces = (n: number) => '20'.repeat(n);

describe('EF ICC (App. 1 CardIccIdentification, 25 bytes)', () => {
  const icc = {
    clockStop: 0x02,
    cardExtendedSerialNumber: { serialNumber: 0x8dba7773, monthYear: '0125', type: 1, manufacturerCode: 0x40 },
    cardApprovalNumber: 'e1-TC-01',
    cardPersonaliserId: 0x40,
    embedderIcAssemblerId: '4245123401',
    icIdentifier: 'abcd',
  };
  it('writes every field at its offset', () => {
    expect(toHex(encodeCardIccIdentification(icc))).toBe(
      '02' + // clockStop
        '8dba7773' + '0125' + '01' + '40' + // cardExtendedSerialNumber: serial, MMYY BCD, type, manufacturer
        '65312d54432d3031' + // cardApprovalNumber 'e1-TC-01'
        '40' + // cardPersonaliserID
        '4245123401' + // embedderIcAssemblerId: 'BE', 1234 BCD, 01
        'abcd', // icIdentifier
    );
    expect(decodeCardIccIdentification(encodeCardIccIdentification(icc))).toEqual(icc);
  });
  it('refuses another length', () => {
    expect(() => decodeCardIccIdentification(new Uint8Array(24))).toThrow('CardIccIdentification is 25 bytes, got 24');
  });
});

describe('EF Identification of a driver card (CardIdentification + DriverCardHolderIdentification, 143 bytes)', () => {
  const id = {
    cardIssuingMemberState: 0x06,
    cardNumber: 'B000000012345601',
    cardIssuingAuthorityName: '',
    cardIssueDate: Date.UTC(2025, 0, 1),
    cardValidityBegin: Date.UTC(2025, 0, 1),
    cardExpiryDate: Date.UTC(2030, 11, 31),
    cardHolderName: { surname: 'PEETERS', firstNames: 'Anna' },
    cardHolderBirthDate: '1980-07-14',
    cardHolderPreferredLanguage: 'nl',
  };
  it('writes every field at its offset', () => {
    const bytes = encodeDriverCardIdentification(id);
    expect(bytes.length).toBe(143);
    expect(toHex(bytes)).toBe(
      '06' + // cardIssuingMemberState B
        '42303030303030303132333435363031' + // cardNumber
        '00' + spaces(35) + // cardIssuingAuthorityName: the App. 2 default
        '67748580' + '67748580' + '72bbba80' + // issue, validity begin 2025-01-01, expiry 2030-12-31
        '01' + '50454554455253' + spaces(28) + // holderSurname PEETERS, code page 1
        '01' + '416e6e61' + spaces(31) + // holderFirstNames Anna
        '19800714' + // cardHolderBirthDate, Datef BCD
        '6e6c', // cardHolderPreferredLanguage 'nl'
    );
    expect(decodeDriverCardIdentification(bytes)).toEqual(id);
  });
});

describe('EF Application_Identification and the sizes it implies (TCS_150, TCS_151, TCS_154, TCS_155)', () => {
  const g2: DriverCardApplicationIdentification = {
    generation: 2,
    typeOfTachographCardId: 1,
    cardStructureVersion: '0100',
    noOfEventsPerType: 12,
    noOfFaultsPerType: 24,
    activityStructureLength: 13776,
    noOfCardVehicleRecords: 200,
    noOfCardPlaceRecords: 112,
    noOfGnssAdRecords: 336,
    noOfSpecificConditionRecords: 112,
    noOfCardVehicleUnitRecords: 200,
  };
  const g1: DriverCardApplicationIdentification = { ...g2, generation: 1, cardStructureVersion: '0000', noOfGnssAdRecords: 0, noOfSpecificConditionRecords: 0, noOfCardVehicleUnitRecords: 0 };

  it('gen2: 17 bytes, places on two bytes', () => {
    expect(toHex(encodeDriverCardApplicationIdentification(g2))).toBe('01' + '0100' + '0c' + '18' + '35d0' + '00c8' + '0070' + '0150' + '0070' + '00c8');
    expect(decodeDriverCardApplicationIdentification(encodeDriverCardApplicationIdentification(g2), 2)).toEqual(g2);
  });
  it('gen1: 10 bytes, places on one byte', () => {
    expect(toHex(encodeDriverCardApplicationIdentification(g1))).toBe('01' + '0000' + '0c' + '18' + '35d0' + '00c8' + '70');
  });
  it('gives the TCS_154 sizes for a gen2 card and the TCS_150 maxima for gen1', () => {
    const sizes = (app: DriverCardApplicationIdentification) => Object.fromEntries([...driverCardEfSizes(app)].map(([fid, n]) => [fid.toString(16).padStart(4, '0'), n]));
    expect(sizes(g2)).toEqual({
      '0501': 17, '0520': 143, '050e': 4, '0521': 53, '0502': 3168, '0503': 1152, '0504': 13780, '0505': 9602,
      '0506': 2354, '0507': 19, '0508': 46, '0522': 562, '0523': 2002, '0524': 6050,
    });
    expect(sizes(g1)).toEqual({
      '0501': 10, '0520': 143, '050e': 4, '0521': 53, '0502': 1728, '0503': 1152, '0504': 13780, '0505': 6202,
      '0506': 1121, '0507': 19, '0508': 46, '0522': 280,
    });
  });
  it('fills an empty EF with the App. 2 defaults of its records', () => {
    const events = emptyDriverCardEf(FID.EVENTS_DATA, g2);
    expect(toHex(events.subarray(0, 24))).toBe('00' + '00000000' + '00000000' + '00' + '00' + spaces(13));
    expect(toHex(events.subarray(3144))).toBe(toHex(events.subarray(0, 24)));
    const vehicles = emptyDriverCardEf(FID.VEHICLES_USED, g2);
    // pointer, then CardVehicleRecord gen2: odometers, first and last use, VRN, block counter, VIN {20..20}
    expect(toHex(vehicles.subarray(0, 50))).toBe('0000' + '00'.repeat(15) + '00' + spaces(13) + '0000' + spaces(17));
    expect(toHex(emptyDriverCardEf(FID.CONTROL_ACTIVITY_DATA, g2))).toBe('00'.repeat(7) + spaces(16) + '00' + '00' + spaces(13) + '00'.repeat(8));
    expect(emptyDriverCardEf(FID.GNSS_PLACES, g2).every((b) => b === 0)).toBe(true);
  });
});

describe('card download TLVs (App. 7 §3.4.2)', () => {
  it('tags FID ‖ appendix, two length bytes, the value; reads them back', () => {
    expect(toHex(encodeCardTlv({ fid: 0x0505, appendix: 0x03, value: Uint8Array.of(1, 2, 3) }))).toBe('050503' + '0003' + '010203');
    const file = Uint8Array.of(0x00, 0x02, 0x00, 0x00, 0x01, 0xaa, 0xc1, 0x00, 0x00, 0x00, 0x00);
    expect(readCardTlvs(file).map((t) => [t.fid, t.appendix, toHex(t.value)])).toEqual([
      [0x0002, 0, 'aa'],
      [0xc100, 0, ''],
    ]);
    expect(() => readCardTlvs(Uint8Array.of(0x05, 0x05, 0x02, 0x00, 0x09, 1))).toThrow('byte 0: EF Vehicles_Used says 9 bytes, 1 follow');
    expect(() => readCardTlvs(Uint8Array.of(0x05, 0x05, 0x04, 0x00, 0x00))).toThrow('tag appendix 4 is not 00..03');
  });

  it('orders a download as DDP_035 says and puts each signature right after its data (DDP_046)', () => {
    const ef = (df: 'mf' | 'tachograph' | 'tachograph-g2', fid: number, byte: number) => ({ df, fid, data: Uint8Array.of(byte) });
    const file = encodeCardDownload(
      {
        generation: 2,
        efs: [
          ef('tachograph-g2', FID.APPLICATION_IDENTIFICATION, 0x21),
          ef('tachograph-g2', FID.CARD_CERTIFICATE, 0x22),
          ef('tachograph-g2', FID.CARD_SIGN_CERTIFICATE, 0x23),
          ef('tachograph-g2', FID.CA_CERTIFICATE, 0x24),
          ef('tachograph-g2', FID.CARD_DOWNLOAD, 0x25),
          ef('tachograph', FID.APPLICATION_IDENTIFICATION, 0x11),
          ef('tachograph', FID.CARD_CERTIFICATE, 0x12),
          ef('tachograph', FID.CA_CERTIFICATE, 0x13),
          ef('tachograph', FID.CARD_DOWNLOAD, 0x14),
          ef('mf', FID.IC, 0x02),
          ef('mf', FID.ICC, 0x01),
        ],
      },
      { g1: (d) => Uint8Array.of(0xa0 | d[0]!), g2: (d) => Uint8Array.of(0xb0 ^ d[0]!) },
    );
    const tags = readCardTlvs(file).map((t) => `${t.fid.toString(16).padStart(4, '0')}${t.appendix.toString(16).padStart(2, '0')}:${toHex(t.value)}`);
    expect(tags).toEqual([
      '000200:01', // EF ICC, EF IC first, unsigned
      '000500:02',
      'c10000:12', // DF Tachograph: the certificates, unsigned
      'c10800:13',
      '050100:11', // then the rest but Card_Download, each followed by its signature
      '050101:b1',
      'c10102:23', // DF Tachograph_G2: CardSignCertificate, CA_Certificate; no CardMA_Certificate
      'c10802:24',
      '050102:21',
      '050103:91',
    ]);
    expect(decodeCardFile(file)[5]).toEqual({ tag: '050101', name: 'signature of EF Application_Identification', df: 'tachograph', kind: 'signature', size: 1, hex: 'b1' });
  });
});

describe('the DF Tachograph part of a card file (App. 11 Part A)', () => {
  const pki = TestPkiG1.of();
  // equipment type 2 in the certificate's CHA: a workshop card
  const card = pki.equipment(fromHex('0000000101260240'), 2, Date.UTC(2031, 5, 30));
  const ef = (fid: number, data: Uint8Array) => ({ df: 'tachograph' as const, fid, data });
  // App. 2 TCS_156: a gen1 workshop card's application EFs (Card_Download and Sensor_Installation_Data are not downloaded)
  const WORKSHOP_EFS = [FID.IDENTIFICATION, FID.CALIBRATION, FID.EVENTS_DATA, FID.FAULTS_DATA, FID.DRIVER_ACTIVITY_DATA, FID.VEHICLES_USED, FID.PLACES, FID.CURRENT_USAGE, FID.CONTROL_ACTIVITY_DATA, FID.SPECIFIC_CONDITIONS];
  const image = {
    generation: 1 as const,
    efs: [
      // typeOfTachographCardId 2 (workshop), cardStructureVersion 00 00
      ef(FID.APPLICATION_IDENTIFICATION, Uint8Array.of(2, 0, 0)),
      ef(FID.CARD_CERTIFICATE, fromHex(card.certificate)),
      ef(FID.CA_CERTIFICATE, fromHex(pki.ms.certificate)),
      ...WORKSHOP_EFS.map((fid, i) => ef(fid, Uint8Array.of(3 + i))),
    ],
  };
  const NAMES = ['Application_Identification', 'Identification', 'Calibration', 'Events_Data', 'Faults_Data', 'Driver_Activity_Data', 'Vehicles_Used', 'Places', 'Current_Usage', 'Control_Activity_Data', 'Specific_Conditions'].map((n) => `DF Tachograph EF ${n}`);
  const eur = pki.eurPublicKeyBytes();
  const AT = Date.UTC(2026, 0, 1);

  const roots = { rootCertificates: [], europeanPublicKeys: [eur] };
  const failures = (file: Uint8Array, at = AT) => verifyCardDownload(file, roots, { at }).verdicts.filter((v) => v.status === 'failed').map((v) => `${v.block}: ${v.reason}`);
  it('verifies the chain to the European key, then each EF with the card key (CSM_035)', () => {
    const file = encodeCardDownload(image, { g1: (d) => signDataG1(card.key, d) });
    const v = verifyCardDownload(file, roots, { at: AT });
    expect([v.ok, v.problems]).toEqual([true, []]);
    expect(v.verdicts.filter((x) => x.status === 'verified').map((x) => x.block)).toEqual(NAMES);
    expect(verifyCardFile(file, [], AT, [eur])).toEqual({ ok: true, verified: NAMES, problems: [] });
    const expired = failures(file, Date.UTC(2031, 5, 30, 0, 0, 1));
    expect(expired[0]).toBe('DF Tachograph EF Card_Certificate: EQT certificate: expired at 2031-06-30T00:00:00.000Z, checked at 2031-06-30T00:00:01.000Z');
    expect(expired.slice(1)).toEqual(NAMES.map((n) => `${n}: not verified: the certificate chain fails at DF Tachograph EF Card_Certificate`));
  });

  it("names an EF without a signature, and one whose signature is another key's", () => {
    expect(failures(encodeCardDownload(image, {}))).toEqual(NAMES.map((n) => `${n}: no signature follows its data (DDP_046)`));
    const other = pki.equipment(fromHex('0000000201260240'), 2, null);
    expect(failures(encodeCardDownload(image, { g1: (d) => signDataG1(other.key, d) }))).toEqual(NAMES.map((n) => `${n}: signature verification failed`));
  });

  it('decodes the certificates by opening them: CA_Certificate with the European key, Card_Certificate with the MS key it certifies', () => {
    const file = encodeCardDownload(image, {});
    const certificates = (eurPublicKeys: Uint8Array[]) => decodeCardFile(file, { eurPublicKeys }).filter((e) => e.tag === 'c10000' || e.tag === 'c10800').map((e) => e.fields);
    expect(certificates([eur])).toEqual([
      { car: '0642202001ffff01', chr: '0000000101260240', equipmentType: 2, applicationId: 'ff544143484f', endOfValidity: '2031-06-30T00:00:00.000Z', publicExponent: '0000000000010001' },
      { car: 'fd45432001ffff01', chr: '0642202001ffff01', equipmentType: 0, applicationId: 'ff544143484f', endOfValidity: '2042-10-02T04:30:00.000Z', publicExponent: '0000000000010001' },
    ]);
    expect(certificates([])).toEqual([
      { car: '0642202001ffff01', opened: false, reason: 'CHR, CHA and EOV are inside the signature, and no known key has the CHR 0642202001ffff01' },
      { car: 'fd45432001ffff01', opened: false, reason: 'CHR, CHA and EOV are inside the signature, and no known key has the CHR fd45432001ffff01' },
    ]);
  });
});
