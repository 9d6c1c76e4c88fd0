import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import { openG1Certificate } from '../../crypto/pki-g1/rsa-certificate.ts';
import { verifyDataG1 } from '../../crypto/pki-g1/data-signature.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { scanDddG1 } from './blocks-g1.ts';
import { App7G1Error } from './fields-g1.ts';
import { decodeTrep01, decodeTrep02, decodeTrep03, decodeTrep04, decodeTrep05, encodeTrep01, encodeTrep03, signedPartG1, TREP01_SIGNED_FROM } from './trep-g1.ts';
import { G1_TEST_ACTIVITIES, G1_TEST_EVENTS, G1_TEST_OVERVIEW, G1_TEST_SPEED, G1_TEST_TECHNICAL, g1TestBlocks, g1TestDownload, g1TestSigner } from './test-treps-g1.ts';

const signer = g1TestSigner();
const blocks = g1TestBlocks(signer);
const data = (trep: number) => blocks.find((b) => b.trep === trep)!.data;
const T = (iso: string) => Date.parse(iso);
/** The VU's public key, from its certificate opened with the MS key (as a verifier gets it). */
const vuKey = openG1Certificate(fromHex(signer.vuCertificate), openG1Certificate(fromHex(signer.memberStateCertificate), TestPkiG1.of().eurKey).publicKey).publicKey;

describe('gen1 TREPs built by hand from App. 7 DDP_031 and DDP_032 (no record-array framing)', () => {
  it('TREP 04: noOfSpeedBlocks on 2 bytes, 64-byte blocks, then the 128-byte signature', () => {
    const signature = 'a5'.repeat(128);
    const trep04 = fromHex(
      [
        '0002', //                                  0  noOfSpeedBlocks = 2
        '69a67c64' + '00'.repeat(59) + '05', //     2  block 1: 2026-03-03T06:15:00Z, 59 × 0 km/h then 5
        '69a67ca0' + '3c'.repeat(60), //           66  block 2: 06:16:00, 60 × 60 km/h
        signature, //                             130  Signature
      ].join(''),
    );
    expect(trep04.length).toBe(258);
    expect(decodeTrep04(trep04)).toEqual({
      data: {
        vuDetailedSpeedBlocks: [
          { speedBlockBeginDate: T('2026-03-03T06:15:00Z'), speedsPerSecond: [...Array(59).fill(0), 5] },
          { speedBlockBeginDate: T('2026-03-03T06:16:00Z'), speedsPerSecond: Array(60).fill(60) },
        ],
      },
      signature,
    });
    // the signature covers noOfSpeedBlocks .. the last speed block (DDP_032)
    expect(signedPartG1(0x04, trep04).signed.length).toBe(130);
  });

  it('TREP 03 with nothing stored: only the counts, the default over speeding control data and the signature', () => {
    const trep03 = fromHex(
      [
        '00', //                    0  noOfVuFaults
        '00', //                    1  noOfVuEvents
        '00000000' + '00000000' + '00', // 2  VuOverSpeedingControlData: no control yet, no over speeding, 0
        '00', //                   11  noOfVuOverSpeedingEvents
        '00', //                   12  noOfVuTimeAdjRecords
        '5a'.repeat(128), //       13  Signature
      ].join(''),
    );
    expect(decodeTrep03(trep03).data).toEqual({
      vuFaultRecords: [],
      vuEventRecords: [],
      vuOverSpeedingControlData: { lastOverspeedControlTime: 0, firstOverspeedSince: 0, numberOfOverspeedSince: 0 },
      vuOverSpeedingEventRecords: [],
      vuTimeAdjustmentRecords: [],
    });
    // the encoder writes the same bytes, up to the signature
    const encoded = encodeTrep03(
      { vuFaultRecords: [], vuEventRecords: [], vuOverSpeedingControlData: { lastOverspeedControlTime: 0, firstOverspeedSince: 0, numberOfOverspeedSince: 0 }, vuOverSpeedingEventRecords: [], vuTimeAdjustmentRecords: [] },
      signer,
    );
    expect(toHex(encoded.subarray(0, 13))).toBe(toHex(trep03.subarray(0, 13)));
    expect(encoded.length).toBe(141);
  });

  it('TREP 01: two 194-byte certificates, 17 + 15 + 4 + 8 + 1 + 58 bytes, the counted locks and controls, the signature', () => {
    const d = data(0x01);
    // 388 certificates + 103 fixed + (1 + 98) locks + (1 + 31) controls + 128 signature
    expect(d.length).toBe(388 + 103 + 99 + 32 + 128);
    expect(toHex(d.subarray(0, 194))).toBe(signer.memberStateCertificate);
    expect(toHex(d.subarray(194, 388))).toBe(signer.vuCertificate);
    expect(String.fromCharCode(...d.subarray(388, 405))).toBe('WDB9634031L000001'); // VehicleIdentificationNumber
    expect(toHex(d.subarray(405, 420))).toBe('02' + '01' + Buffer.from('B-RIG-001').toString('hex') + '20'.repeat(4)); // VehicleRegistrationIdentification
    expect(toHex(d.subarray(420, 424))).toBe('69a802a0'); // CurrentDateTime 2026-03-04T10:00:00Z
    expect(toHex(d.subarray(424, 432))).toBe('69a38180' + '69a802a0'); // VuDownloadablePeriod 2026-03-01T00:00 .. 2026-03-04T10:00
    expect(d[432]).toBe(0x31); // CardSlotsStatus: control card in the co-driver slot, driver card in the driver slot
    expect(d[491]).toBe(1); // noOfLocks
    expect(d[590]).toBe(1); // noOfControls
  });
});

describe('gen1 TREP 01..05: encode, decode, sign', () => {
  it('decodes what it encodes, every element with a record', () => {
    expect(decodeTrep01(data(0x01)).data).toEqual({ ...G1_TEST_OVERVIEW, memberStateCertificate: signer.memberStateCertificate, vuCertificate: signer.vuCertificate });
    expect(decodeTrep02(data(0x02)).data).toEqual(G1_TEST_ACTIVITIES);
    expect(decodeTrep03(data(0x03)).data).toEqual(G1_TEST_EVENTS);
    expect(decodeTrep04(data(0x04)).data).toEqual(G1_TEST_SPEED);
    expect(decodeTrep05(data(0x05)).data).toEqual(G1_TEST_TECHNICAL);
  });

  it('takes the message with SID 76 and the TREP in front, as the download client gives it', () => {
    expect(decodeTrep05(concatBytes(Uint8Array.of(0x76, 0x05), data(0x05))).data).toEqual(G1_TEST_TECHNICAL);
    expect(decodeTrep01(concatBytes(Uint8Array.of(0x76, 0x01), data(0x01))).data.currentDateTime).toBe(T('2026-03-04T10:00:00Z'));
  });

  it('signs each TREP with the VU key (CSM_034, PKCS #1 v1.5 SHA-1): TREP 01 all but the certificates, the others all before the signature', () => {
    for (const { trep, data: d } of blocks) {
      const { signed, signature } = signedPartG1(trep, d);
      expect(signature.length).toBe(128);
      expect(signed.length).toBe(d.length - 128 - (trep === 0x01 ? TREP01_SIGNED_FROM : 0));
      expect(verifyDataG1(vuKey, signed, signature)).toBe(true);
      const changed = Uint8Array.from(signed);
      changed[changed.length - 1]! ^= 1;
      expect(verifyDataG1(vuKey, changed, signature)).toBe(false);
    }
    // deterministic: the same data and key give the same bytes
    expect(toHex(encodeTrep01(G1_TEST_OVERVIEW, signer))).toBe(toHex(data(0x01)));
  });

  it('refuses a cut block, a count running past the end and bytes after the signature, naming TREP and element', () => {
    const d2 = data(0x02);
    expect(() => decodeTrep02(d2.subarray(0, d2.length - 1))).toThrow(new App7G1Error('TREP 02: Signature at ' + (d2.length - 128) + ': needs 128 bytes, 127 left'));
    expect(() => decodeTrep02(concatBytes(d2, Uint8Array.of(0)))).toThrow(new App7G1Error('TREP 02: 1 byte(s) after the Signature'));
    const many = Uint8Array.from(d2);
    many[7] = 0xff; // noOfIWRecords high byte: 65 281 records of 129 bytes
    expect(() => decodeTrep02(many)).toThrow(/^TREP 02: VuCardIWData at 7: 65281 × 129-byte VuCardIWRecord run past the end/);
    const slot = Uint8Array.from(d2);
    slot[9 + 101] = 7; // the first VuCardIWRecord's cardSlotNumber
    expect(() => decodeTrep02(slot)).toThrow(new App7G1Error('TREP 02: VuCardIWData VuCardIWRecord 1 at 7: VuCardIWRecord: CardSlotNumber 7 is not 0 (driver) or 1 (co-driver)'));
  });

  it('refuses more records than the count holds (App. 1: noOfLocks INTEGER(0..255))', () => {
    const lock = G1_TEST_OVERVIEW.vuCompanyLocksRecords[0]!;
    expect(() => encodeTrep01({ ...G1_TEST_OVERVIEW, vuCompanyLocksRecords: Array(256).fill(lock) }, signer)).toThrow('VuCompanyLocksData: 256 VuCompanyLocksRecords do not fit its 1-byte count (at most 255)');
  });
});

describe('scanDddG1 (DDP_034 file of gen1 blocks)', () => {
  it('splits the file by walking each block, SID 76 and TREP in front', () => {
    const file = g1TestDownload(signer);
    const { blocks: found, problem } = scanDddG1(file);
    expect(problem).toBeUndefined();
    const lengths = blocks.map((b) => b.data.length);
    expect(found.map((b) => [b.trep, b.offset, b.data.length])).toEqual([
      [1, 0, lengths[0]],
      [2, 2 + lengths[0]!, lengths[1]],
      [3, 4 + lengths[0]! + lengths[1]!, lengths[2]],
      [4, 6 + lengths[0]! + lengths[1]! + lengths[2]!, lengths[3]],
      [5, 8 + lengths[0]! + lengths[1]! + lengths[2]! + lengths[3]!, lengths[4]],
    ]);
    expect(file.length).toBe(10 + lengths.reduce((a, b) => a + b, 0));
  });

  it('stops where the structure breaks and names the block', () => {
    const file = g1TestDownload(signer);
    const second = 2 + blocks[0]!.data.length;
    expect(scanDddG1(file.subarray(0, second + 7))).toEqual({ blocks: [expect.objectContaining({ trep: 1 })], problem: `byte ${second}: TREP 02 block: TREP 02: OdometerValueMidnight at ${second + 6}: needs 3 bytes, 1 left` });
    const gen2 = Uint8Array.from(file);
    gen2[second + 1] = 0x22;
    expect(scanDddG1(gen2).problem).toBe(`byte ${second}: TREP 22 is not a block of a generation 1 VU download (TREP 01..05, App. 7 DDP_011)`);
  });
});
