import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { decodeTrep25 } from './trep-decode.ts';
import { encodeTrep25, readTrepArrays, type DownloadSigner, type TechnicalData } from './trep.ts';

const SERIAL = { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 };
const vu = TestPki.of().vu(SERIAL);
const signer: DownloadSigner = { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate };

/** 2026-03-02T08:00:00Z and friends, TimeReal seconds. */
const AT = 1772438400;
const anna = { cardType: 'driver' as const, issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 as const };

/** A VU with the options' default identification, one pairing, one calibration, one card used. */
const TECHNICAL: TechnicalData = {
  identification: {
    manufacturerName: 'Rig Test Tachographs',
    manufacturerAddress: '1 Test Street, Brussels',
    partNumber: 'RIG-VU-2',
    serialNumber: SERIAL,
    softwareVersion: '0100',
    softwareInstallationDate: '2026-01-01T00:00:00Z',
    manufacturingDate: '2026-01-01T00:00:00Z',
    approvalNumber: 'e1-0001',
    generation: 2,
    supportsGen1Cards: true,
  },
  sensorPairings: [{ sensorSerialNumber: { serialNumber: 0x123456, monthYear: '0226', type: 7, manufacturerCode: 0x41 }, sensorApprovalNumber: 'e1-MS-TEST-01', sensorPairingDate: AT }],
  gnssCouplings: [],
  calibrations: [
    {
      calibrationPurpose: 0x03,
      workshopName: 'Rig Tachograph Workshop',
      workshopAddress: '2 Calibration Lane, Brussels',
      workshopCardNumber: { cardType: 'workshop', issuingMemberState: 0x06, cardNumber: 'B000000000777000' },
      workshopCardExpiryDate: 1924905600,
      vehicleIdentificationNumber: 'WDB9634031L000001',
      vehicleRegistrationIdentification: { vehicleRegistrationNation: 0x06, vehicleRegistrationNumber: '1-ABC-234' },
      wVehicleCharacteristicConstant: 6000,
      kConstantOfRecordingEquipment: 6000,
      lTyreCircumference: 3200,
      tyreSize: '315/70R22.5',
      authorisedSpeed: 90,
      oldOdometerValue: 1234,
      newOdometerValue: 120_000,
      oldTimeValue: AT,
      newTimeValue: AT,
      nextCalibrationDate: 1835568000,
      sealDataVu: [{ equipmentType: 7, manufacturerCode: '0A1B', sealIdentifier: '0102030405060708' }],
    },
  ],
  cards: [{ cardNumberAndGenerationInformation: anna, cardExtendedSerialNumber: { serialNumber: 0x01020304, monthYear: '0125', type: 1, manufacturerCode: 0x42 }, cardStructureVersion: '0100', cardNumber: 'B000000012345601' }],
  itsConsents: [{ cardNumberAndGen: anna, consent: true }],
  powerSupplyInterruptions: [
    { type: 0x08, category: 'event', purpose: 0x01, begin: AT + 3600, end: AT + 5400, cardsAtBegin: { driver: anna, codriver: null }, cardsAtEnd: { driver: null, codriver: null }, similarEvents: 2, data: {} },
  ],
};

describe('TREP 25 technical data (DDP_033, gen2 v1)', () => {
  const trep = encodeTrep25(TECHNICAL, signer);
  const arrays = readTrepArrays(trep);

  it('carries the seven arrays of the gen2 v1 table in order, then the signature', () => {
    expect(arrays.map((a) => a.name)).toEqual([
      'VuIdentificationRecordArray',
      'VuSensorPairedRecordArray',
      'VuSensorExternalGNSSCoupledRecordArray',
      'VuCalibrationRecordArray',
      'VuCardRecordArray',
      'VuITSConsentRecordArray',
      'VuPowerSupplyInterruptionRecordArray',
      'SignatureRecordArray',
    ]);
    expect(arrays.map((a) => [a.recordType, a.recordSize, a.records.length])).toEqual([
      [0x19, 126, 1],
      [0x20, 28, 1],
      [0x21, 28, 0],
      [0x0c, 222, 1],
      [0x0e, 45, 1],
      [0x17, 20, 1],
      [0x1f, 87, 1],
      [0x08, 64, 1],
    ]);
  });

  it('writes VuIdentification: Name, Address, part number, serial, software, dates, approval, generation 2, VuAbility 0', () => {
    expect(toHex(arrays[0]!.bytes)).toBe(
      '19007e0001' +
        '01' + '526967205465737420546163686f677261706873' + '20'.repeat(15) +
        '01' + '312054657374205374726565742c204272757373656c73' + '20'.repeat(12) +
        '5249472d56552d32' + '20'.repeat(8) +
        '0000000101260640' +
        '30313030' + '6955b900' + '6955b900' +
        '65312d30303031' + '20'.repeat(9) +
        '02' + '00',
    );
  });

  it('writes a SensorPairedRecord and an empty external GNSS array as its header', () => {
    expect(toHex(arrays[1]!.bytes)).toBe('20001c0001' + '0012345602260741' + '65312d4d532d544553542d3031202020' + '69a54380');
    expect(toHex(arrays[2]!.bytes)).toBe('21001c0000');
  });

  it('writes a VuCalibrationRecord with its SealDataVu, unused seal records as EquipmentType 16', () => {
    expect(toHex(arrays[3]!.bytes)).toBe(
      '0c00de0001' +
        '03' +
        '01' + '52696720546163686f677261706820576f726b73686f70' + '20'.repeat(12) +
        '01' + '322043616c6962726174696f6e204c616e652c204272757373656c73' + '20'.repeat(7) +
        '0206' + '42303030303030303030373737303030' +
        '72bbba80' +
        '574442393633343033314c303030303031' +
        '06' + '01' + '312d4142432d323334' + '20'.repeat(4) +
        '1770' + '1770' + '0c80' +
        '3331352f37305232322e35' + '20'.repeat(4) +
        '5a' + '0004d2' + '01d4c0' + '69a54380' + '69a54380' + '6d688b80' +
        '07' + '0a1b' + '0102030405060708' +
        ('10' + '00'.repeat(10)).repeat(4),
    );
  });

  it('writes VuCardRecord (seed L606-620), VuITSConsentRecord and VuPowerSupplyInterruptionRecord (driver begin, driver end, co-driver begin, co-driver end)', () => {
    const annaHex = '0106' + '42303030303030303132333435363031' + '02';
    expect(toHex(arrays[4]!.bytes)).toBe('0e002d0001' + annaHex + '0102030401250142' + '0100' + '42303030303030303132333435363031');
    expect(toHex(arrays[5]!.bytes)).toBe('1700140001' + annaHex + '01');
    expect(toHex(arrays[6]!.bytes)).toBe('1f00570001' + '0801' + '69a55190' + '69a55898' + annaHex + '00'.repeat(19 * 3) + '02');
  });

  it('signs every array before the signature with VU_Sign', () => {
    const sig = arrays[7]!;
    expect(verifyPlain('brainpoolP256r1', fromHex(vu.vuSign.key.publicPoint), trep.subarray(0, sig.offset), sig.records[0]!)).toBe(true);
  });

  it('refuses what App. 1 cannot hold', () => {
    const six = Array.from({ length: 6 }, () => TECHNICAL.calibrations[0]!.sealDataVu[0]!);
    expect(() => encodeTrep25({ ...TECHNICAL, calibrations: [{ ...TECHNICAL.calibrations[0]!, sealDataVu: six }] }, signer)).toThrow('SealDataVu holds 5 seals, got 6');
    expect(() => encodeTrep25({ ...TECHNICAL, identification: { ...TECHNICAL.identification, softwareVersion: '01000' } }, signer)).toThrow(/longer than 4/);
  });

  it('decodes back to the data it was given, also with SID 76 and TREP 25 in front', () => {
    expect(decodeTrep25(trep)).toEqual({ data: TECHNICAL, signature: toHex(arrays[7]!.records[0]!) });
    expect(decodeTrep25(Uint8Array.of(0x76, 0x25, ...trep)).data).toEqual(TECHNICAL);
    expect(() => decodeTrep25(Uint8Array.of(0x76, 0x24, ...trep))).toThrow('expected TREP 25, the message is TREP 24');
  });
});
