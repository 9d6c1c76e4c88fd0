import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../crypto/bytes.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import { decodeCardDownload, FID, verifyCardFile } from '../../../protocols/card-files/index.ts';
import { workshopCardSchema } from '../../cards/card-schema.ts';
import type { VirtualCard } from '../../cards/card.ts';
import type { CardTransmit } from '../holder-card-records.ts';
import { downloadCardThroughApdus } from './card-download-reader.ts';
import { vuWithIdePlan } from '../vu-test-rig.ts';

/**
 * Issue 15: version 2 of the generation 2 workshop card (App. 2 TCS_160, TCS_163; cardStructureVersion {01 01}): its
 * version 2 EFs at TCS_163's sizes, what a version 2 VU writes there (Annex IC 147a, 356e-356k), and its download
 * (App. 7 DDP_035: a workshop card's, read through its APDUs) signed by the card and verifying.
 */
const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const wilma = workshopCardSchema.parse({
  type: 'workshop',
  structureVersion: 2,
  issuingMemberState: 'B',
  cardNumber: 'B000000000778000',
  workshopName: 'Rig Tachograph Workshop',
  holder: { surname: 'WILLEMS', firstNames: 'Wilma' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});
const roots = { gen2: [fromHex(TestPki.of().erca.certificate)], gen1: [fromHex(TestPkiG1.of().eurPublicKey)] };

/** Wilma's card in a VU for a calibration and a load, then its download through its APDUs, at 06:03. */
async function session(vuOptions: object, card: VirtualCard = wilma): Promise<Uint8Array> {
  const rig = await Rig.start(vuWithIdePlan('workshop-v2', vuOptions), { start: T0 });
  try {
    rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
    await rig.clock.runUntil(T0 + 60_000);
    rig.host.stimulate('vu', 'calibrate', { purpose: 'periodic-inspection', byDefaultLoadType: 'passengers' });
    await rig.clock.runUntil(T0 + 120_000);
    // a version 1 VU has no load/unload function (Annex IC 4.5.4.2: "not accessed by version 1"): an error, not ignored
    if ((vuOptions as { gen2Version?: number }).gen2Version === 2) rig.host.stimulate('vu', 'loadUnload', { operation: 'unload' });
    else expect(() => rig.host.stimulate('vu', 'loadUnload', { operation: 'unload' })).toThrow('vu is a version 1 VU (gen2Version 1): load/unload operations (Annex IC 62a) are functions of version 2 VUs; give it gen2Version: 2');
    await rig.clock.runUntil(T0 + 150_000);
    rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
    await rig.clock.runUntil(T0 + 180_000);
    let transmit: CardTransmit | undefined;
    rig.actor('vu')!.send({ type: 'vu.readHeldCards', take: (cards: { card: VirtualCard; transmit: CardTransmit }[]) => (transmit = cards.find((c) => c.card.cardNumber === card.cardNumber)?.transmit) });
    const read = downloadCardThroughApdus(transmit!, card, rig.clock.now());
    if (!read.ok) throw new Error(read.reason);
    return read.file;
  } finally {
    await rig.close();
  }
}

const efOf = (file: Uint8Array, fid: number) => decodeCardDownload(file).efs.find((e) => e.df === 'tachograph-g2' && e.fid === fid);

describe('a version 2 workshop card (App. 2 TCS_160)', () => {
  it('a version 2 VU writes its load type, the additional calibration data and the session\'s unload on it; its download carries the version 2 EFs, signed, and verifies', async () => {
    const file = await session({ gen2Version: 2 });
    const verdict = verifyCardFile(file, roots.gen2, T0 + 180_000, roots.gen1);
    expect([verdict.ok, verdict.problems]).toEqual([true, []]);
    const decoded = decodeCardDownload(file);
    expect([decoded.generation, decoded.problems]).toEqual([2, []]);
    // TCS_163: n10 4 crossings, n11 8 operations, n12 4 load types, n13 3072 bytes; EF Calibration_Add_Data 2 + 255 × 27
    expect([FID.APPLICATION_IDENTIFICATION_V2, FID.PLACES_AUTHENTICATION, FID.GNSS_PLACES_AUTHENTICATION, FID.BORDER_CROSSINGS, FID.LOAD_UNLOAD_OPERATIONS, FID.LOAD_TYPE_ENTRIES, FID.CALIBRATION_ADD_DATA, FID.VU_CONFIGURATION].map((fid) => efOf(file, fid)?.size)).toEqual([10, 42, 122, 70, 162, 22, 6887, 3072]);
    const record = (fid: number) => {
      const e = efOf(file, fid);
      return e && 'record' in e ? (e.record as Record<string, unknown>) : undefined;
    };
    expect(record(FID.APPLICATION_IDENTIFICATION_V2)).toEqual({ lengthOfFollowingData: 8, noOfBorderCrossingRecords: 4, noOfLoadUnloadRecords: 8, noOfLoadTypeEntryRecords: 4, vuConfigurationLengthRange: 3072 });
    // Annex IC 147a: the vehicle's by-default load type at the insertion (goods, before the calibration changed it)
    expect(record(FID.LOAD_TYPE_ENTRIES)).toMatchObject({ loadTypeEntryPointerNewestRecord: 0, cardLoadTypeEntryRecords: [{ timeStamp: '2026-03-02T06:00:00.000Z', loadTypeEntered: 1 }, null, null, null] });
    // Annex IC 356k: beside EF Calibration's record 0, the same old time and VIN, passengers, Belgium (no position: 0)
    const addData = record(FID.CALIBRATION_ADD_DATA) as { calibrationPointerNewestRecord: number; workshopCardCalibrationAddDataRecords: unknown[] };
    expect([addData.calibrationPointerNewestRecord, addData.workshopCardCalibrationAddDataRecords[0], addData.workshopCardCalibrationAddDataRecords.filter((r) => r !== null).length]).toEqual([
      0,
      { oldTimeValue: '2026-03-02T06:01:00.000Z', vehicleIdentificationNumber: 'WDB9634031L000001', byDefaultLoadType: 2, calibrationCountry: 6, calibrationCountryTimestamp: null },
      1,
    ]);
    const calibration = record(FID.CALIBRATION) as { calibrationPointerNewestRecord: number; calibrationRecords: ({ oldTimeValue: string; vehicleIdentificationNumber: string } | null)[] };
    expect([calibration.calibrationPointerNewestRecord, calibration.calibrationRecords[0]?.oldTimeValue, calibration.calibrationRecords[0]?.vehicleIdentificationNumber]).toEqual([0, '2026-03-02T06:01:00.000Z', 'WDB9634031L000001']);
    expect(record(FID.LOAD_UNLOAD_OPERATIONS)).toMatchObject({ loadUnloadPointerNewestRecord: 0, cardLoadUnloadRecords: [{ timeStamp: '2026-03-02T06:02:00.000Z', operationType: 2, vehicleOdometerValue: 0 }, null, null, null, null, null, null, null] });
  });

  it('a version 1 VU writes none of them (Annex IC 306i, 356i "not accessed by version 1"), the card still verifies; a version 1 workshop card has no version 2 EF', async () => {
    const file = await session({});
    expect(verifyCardFile(file, roots.gen2, T0 + 180_000, roots.gen1).ok).toBe(true);
    const e = efOf(file, FID.CALIBRATION_ADD_DATA);
    expect(e && 'record' in e ? (e.record as { workshopCardCalibrationAddDataRecords: unknown[] }).workshopCardCalibrationAddDataRecords.every((r) => r === null) : undefined).toBe(true);
    const lt = efOf(file, FID.LOAD_TYPE_ENTRIES);
    expect(lt && 'record' in lt ? lt.record : undefined).toMatchObject({ cardLoadTypeEntryRecords: [null, null, null, null] });
    const lu = efOf(file, FID.LOAD_UNLOAD_OPERATIONS);
    expect(lu && 'record' in lu ? (lu.record as { cardLoadUnloadRecords: unknown[] }).cardLoadUnloadRecords.every((r) => r === null) : undefined).toBe(true);
    const v1 = await session({ gen2Version: 2 }, { ...wilma, structureVersion: 1 });
    expect(verifyCardFile(v1, roots.gen2, T0 + 180_000, roots.gen1).ok).toBe(true);
    expect(decodeCardDownload(v1).efs.filter((x) => x.df === 'tachograph-g2' && x.fid >= FID.APPLICATION_IDENTIFICATION_V2 && x.fid <= FID.VU_CONFIGURATION).map((x) => x.fid)).toEqual([]);
  });
});
