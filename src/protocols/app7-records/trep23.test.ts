import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { vuTimeAdjustmentOf, type DownloadedEventFault } from './event-records.ts';
import { decodeTrep23 } from './trep-decode.ts';
import { encodeTrep23, readTrepArrays, type DownloadSigner, type EventsAndFaultsData } from './trep.ts';

const vu = TestPki.of().vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 });
const signer: DownloadSigner = { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate };

/** 2026-03-02T08:00:00Z, TimeReal seconds (69A54380). */
const AT = 1772438400;
const anna = { cardType: 'driver' as const, issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 as const };
const ANNA = '0106' + '42303030303030303132333435363031' + '02';
const NONE = '00'.repeat(19);
const workshopCard = { cardType: 'workshop' as const, issuingMemberState: 0x06, cardNumber: 'B000000000777000', generation: 2 as const };

const fault: DownloadedEventFault = { type: 0x31, category: 'fault', purpose: 0x00, begin: AT, end: AT + 600, cardsAtBegin: { driver: anna, codriver: null }, cardsAtEnd: { driver: anna, codriver: null }, similarEvents: 0, data: {} };
const event: DownloadedEventFault = { type: 0x02, category: 'event', purpose: 0x03, begin: AT + 60, end: AT + 960, cardsAtBegin: { driver: null, codriver: null }, cardsAtEnd: { driver: anna, codriver: null }, similarEvents: 1, data: {} };
const overSpeeding: DownloadedEventFault = {
  type: 0x07,
  category: 'event',
  purpose: 0x00,
  begin: AT + 100,
  end: AT + 200,
  cardsAtBegin: { driver: anna, codriver: null },
  cardsAtEnd: null,
  similarEvents: 3,
  data: { maxSpeed: 104, averageSpeed: 95 },
};

const DATA: EventsAndFaultsData = {
  records: [event, overSpeeding, fault],
  overSpeedingControl: { lastControl: 0, firstOverSpeedSince: AT + 100, numberOfOverSpeedSince: 1 },
  timeAdjustments: [
    vuTimeAdjustmentOf({ oldTime: AT, newTime: AT + 120, kind: 'workshop', workshopCard }, { name: 'Rig Tachograph Workshop', address: '2 Calibration Lane, Brussels' }),
    vuTimeAdjustmentOf({ oldTime: AT + 7200, newTime: AT + 7199, kind: 'automatic' }),
  ],
};

describe('TREP 23 events and faults (DDP_031, gen2 v1)', () => {
  const trep = encodeTrep23(DATA, signer);
  const arrays = readTrepArrays(trep);

  it('carries faults, events, over speeding control, over speeding events and time adjustments; no VuTimeAdjustmentGNSSRecordArray (seed L5043)', () => {
    expect(arrays.map((a) => a.name)).toEqual([
      'VuFaultRecordArray',
      'VuEventRecordArray',
      'VuOverSpeedingControlDataRecordArray',
      'VuOverSpeedingEventRecordArray',
      'VuTimeAdjustmentRecordArray',
      'SignatureRecordArray',
    ]);
    expect(arrays.some((a) => a.recordType === 0x1d)).toBe(false);
  });

  it('writes a VuFaultRecord (90 bytes) without similarEventsNumber, manufacturer data as zeros', () => {
    expect(toHex(arrays[0]!.bytes)).toBe('18005a0001' + '3100' + '69a54380' + '69a545d8' + ANNA + NONE + ANNA + NONE + '00000000');
  });

  it('writes a VuEventRecord (91 bytes): cards at begin, cards at end, similar events', () => {
    expect(toHex(arrays[1]!.bytes)).toBe('15005b0001' + '0203' + '69a543bc' + '69a54740' + NONE + NONE + ANNA + NONE + '01' + '00000000');
  });

  it('writes VuOverSpeedingControlData and a 32-byte VuOverSpeedingEventRecord with max and average speed', () => {
    expect(toHex(arrays[2]!.bytes)).toBe('1a00090001' + '00000000' + '69a543e4' + '01');
    expect(toHex(arrays[3]!.bytes)).toBe('1b00200001' + '0700' + '69a543e4' + '69a54448' + '68' + '5f' + ANNA + '03');
  });

  it('writes VuTimeAdjustmentRecords: a workshop one with its name, address and card, an automatic one with defaults', () => {
    expect(toHex(arrays[4]!.bytes)).toBe(
      '1e00630002' +
        '69a54380' + '69a543f8' +
        '01' + '52696720546163686f677261706820576f726b73686f70' + '20'.repeat(12) +
        '01' + '322043616c6962726174696f6e204c616e652c204272757373656c73' + '20'.repeat(7) +
        '0206' + '42303030303030303030373737303030' + '02' +
        '69a55fa0' + '69a55f9f' + '00' + '20'.repeat(35) + '00' + '20'.repeat(35) + NONE,
    );
  });

  it('writes an on-going event with end time 0 and empty arrays as headers', () => {
    const ongoing = { ...event, end: null, cardsAtEnd: null };
    const t = readTrepArrays(encodeTrep23({ records: [ongoing], overSpeedingControl: { lastControl: 0, firstOverSpeedSince: 0, numberOfOverSpeedSince: 0 }, timeAdjustments: [] }, signer));
    expect(toHex(t[0]!.bytes)).toBe('18005a0000');
    expect(toHex(t[1]!.bytes.subarray(5, 15))).toBe('0203' + '69a543bc' + '00000000');
    expect(toHex(t[3]!.bytes)).toBe('1b00200000');
    expect(toHex(t[4]!.bytes)).toBe('1e00630000');
  });

  it('signs every array before the signature', () => {
    const sig = arrays[5]!;
    expect(verifyPlain('brainpoolP256r1', fromHex(vu.vuSign.key.publicPoint), trep.subarray(0, sig.offset), sig.records[0]!)).toBe(true);
  });

  it('decodes back to the records it was given, grouped by array', () => {
    const decoded = decodeTrep23(trep);
    expect(decoded.data).toEqual({ ...DATA, records: [fault, event, overSpeeding] });
    expect(decoded.signature).toBe(toHex(arrays[5]!.records[0]!));
  });
});
