import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../crypto/bytes.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import { decodeTrep00, decodeTrep31, decodeTrep32, decodeTrep33, decodeTrep35 } from '../../../protocols/app7-records/index.ts';
import { verifyDownloadFile, writeDdd } from '../../../protocols/ddd/index.ts';
import { decodeDownloadFile } from '../../../protocols/ddd/decode-download-file.ts';
import { anna } from '../../cards/test-cards.ts';
import { downloadOnRigClock, vuWithIdePlan } from '../vu-test-rig.ts';
import { recordsFromDownload } from '../download-records.ts';
import type { DownloadResult } from '../../../harness/download/index.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const DAY = Date.UTC(2026, 2, 2);
const ANNA = { cardType: 'driver', issuingMemberState: 6, cardNumber: 'B000000012345601', generation: 2 };
const v2Plan = () => vuWithIdePlan('vu-gen2v2', { gen2Version: 2, calibration: { authorisedSpeedKmh: 90 } }, 10);
const message = (result: DownloadResult, trtp: number) => {
  const t = result.transfers.find((x) => x.trtp === trtp && x.ok);
  if (!t || !t.ok) throw new Error(`no TREP ${trtp.toString(16)}`);
  return t.message;
};

/** Anna drives 3 minutes from 06:00, loads at 06:00:30, crosses into Germany at 06:02, stops, unloads at 06:04. */
async function driveAndOperate(rig: Rig): Promise<void> {
  rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: anna });
  await rig.clock.advance(30_000);
  rig.host.stimulate('vu', 'loadUnload', { operation: 'load' });
  await rig.clock.advance(30_000);
  rig.worldAction('speed', { kmh: 60 });
  await rig.clock.advance(60_000);
  rig.host.stimulate('vu', 'borderCrossing', { country: 'D' });
  await rig.clock.advance(60_000);
  rig.worldAction('stop', {});
  await rig.clock.advance(60_000);
  rig.host.stimulate('vu', 'loadUnload', { operation: 'unload' });
  await rig.clock.advance(60_000);
}

describe('the generation 2, version 2 VU download (App. 7 DDP_011 third column, DDP_028a..033)', () => {
  it('a version 2 VU answers TRTP 00 with 02 02, then 31, 32 with the day\'s load/unload operations and border crossing, 33, 24, 35, signed; the file verifies and decodes', async () => {
    const rig = await Rig.start(v2Plan(), { start: T0 });
    try {
      await driveAndOperate(rig);
      const result = await downloadOnRigClock(rig, [{ trtp: 0x00 }, { trtp: 0x31 }, { trtp: 0x32, date: DAY / 1000 }, { trtp: 0x33 }, { trtp: 0x24 }, { trtp: 0x35 }]);
      expect(result.transfers.map((t) => [t.trtp, t.ok, t.ok ? t.trep : t.nrc])).toEqual([
        [0x00, true, 0x00],
        [0x31, true, 0x31],
        [0x32, true, 0x32],
        [0x33, true, 0x33],
        [0x24, true, 0x24],
        [0x35, true, 0x35],
      ]);
      expect(decodeTrep00(message(result, 0x00))).toEqual({ downloadInterfaceVersion: '0202' });
      // App. 1 §2.166a: the registration with its nation (Belgium, 6)
      expect(decodeTrep31(message(result, 0x31)).data).toMatchObject({ vin: 'WDB9634031L000001', registrationNation: 6, registrationNumber: 'B-RIG-001', slots: { driver: 'driver', codriver: 'none' } });

      const day = decodeTrep32(message(result, 0x32)).data;
      expect(day.activities.filter((w) => w.slot === 'driver').map((w) => [w.minute, w.activity])).toEqual([
        [0, 'break-rest'],
        [360, 'break-rest'],
        [361, 'driving'],
        [363, 'work'],
      ]);
      // Annex IC 62a: each operation with the cards, the position (none: no GNSS receiver) and the whole km
      expect(day.loadUnloadOperations.map((r) => [r.timeStamp - T0, r.operationType, r.cardNumberAndGenDriverSlot?.cardNumber, r.cardNumberAndGenCodriverSlot, r.vehicleOdometerValue, r.gnssPlaceAuthRecord.authenticationStatus])).toEqual([
        [30_000, 'load', 'B000000012345601', null, 0, 'not-authenticated'],
        [240_000, 'unload', 'B000000012345601', null, 2, 'not-authenticated'],
      ]);
      // Annex IC 133a: Belgium (the registering nation) to Germany, a minute into the 60 km/h drive (not yet a whole km)
      expect(day.borderCrossings.map((r) => [r.countryLeft, r.countryEntered, r.cardNumberAndGenDriverSlot, r.vehicleOdometerValue])).toEqual([[6, 13, ANNA, 0]]);

      const events = decodeTrep33(message(result, 0x33)).data.records;
      expect(events.map((r) => r.type)).toEqual([]);
      const tech = decodeTrep35(message(result, 0x35)).data;
      expect(tech.identification).toMatchObject({ approvalNumber: 'e1-0001', digitalMapVersion: '' });
      expect(tech.calibrations).toEqual([]);

      // CSM_233 and DDP_054: the .DDD verifies against the test PKI's root, TREP 00 unsigned (DDP_028a); rig decode reads it
      const ddd = writeDdd(result.transfers.flatMap((t) => (t.ok ? [{ trep: t.trep, data: t.message }] : [])));
      const root = fromHex(TestPki.of().erca.certificate);
      const verdict = verifyDownloadFile(ddd, { rootCertificates: [root], europeanPublicKeys: [] });
      expect([verdict.ok, verdict.problems]).toEqual([true, []]);
      expect(verdict.verdicts.map((v) => [v.block, v.status])).toEqual([
        ['TREP 31 (Overview) certificates', 'verified'],
        ['TREP 00 (Download interface version)', 'unsigned'],
        ['TREP 31 (Overview)', 'verified'],
        ['TREP 32 (Activities 2026-03-02)', 'verified'],
        ['TREP 33 (Events and faults)', 'verified'],
        ['TREP 24 (Detailed speed)', 'verified'],
        ['TREP 35 (Technical data)', 'verified'],
      ]);
      const decoded = decodeDownloadFile(ddd);
      expect([decoded.kind, decoded.generation]).toEqual(['vu', 'gen2v2']);

      // the records a scenario reads: the same shapes as the in-process reader
      const records = recordsFromDownload(result);
      expect(records.filter((r) => r.kind === 'loadUnload' || r.kind === 'borderCrossing')).toEqual([
        { kind: 'loadUnload', code: 1, at: T0 + 30_000, fields: { operation: 'load', driverCard: ANNA, codriverCard: null, odometerKm: 0 } },
        { kind: 'loadUnload', code: 2, at: T0 + 240_000, fields: { operation: 'unload', driverCard: ANNA, codriverCard: null, odometerKm: 2 } },
        { kind: 'borderCrossing', code: 'D', at: 0, fields: { countryLeft: 6, countryEntered: 13, driverCard: ANNA, codriverCard: null, odometerKm: 0 } },
      ]);
    } finally {
      await rig.close();
    }
  });

  it('a version 1 VU refuses TRTP 00 and 31..35 as not supported (NRC 12, DDP_028a) and serves 21 and 24', async () => {
    const rig = await Rig.start(vuWithIdePlan('vu-gen2v1', {}, 10), { start: T0 });
    try {
      await rig.clock.advance(60_000);
      const result = await downloadOnRigClock(rig, [{ trtp: 0x00 }, { trtp: 0x21 }, { trtp: 0x31 }, { trtp: 0x32, date: DAY / 1000 }, { trtp: 0x33 }, { trtp: 0x35 }, { trtp: 0x24 }]);
      expect(result.transfers.map((t) => [t.trtp, t.ok ? 'ok' : t.nrc])).toEqual([
        [0x00, 0x12],
        [0x21, 'ok'],
        [0x31, 0x12],
        [0x32, 0x12],
        [0x33, 0x12],
        [0x35, 0x12],
        [0x24, 'ok'],
      ]);
    } finally {
      await rig.close();
    }
  });

});
