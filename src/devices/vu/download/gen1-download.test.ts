import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../crypto/bytes.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import type { DownloadResult } from '../../../harness/download/index.ts';
import { decodeTrep01, decodeTrep02, decodeTrep03, decodeTrep04, decodeTrep05 } from '../../../protocols/app7-records-g1/index.ts';
import { decodeTrep21, decodeTrep22, decodeTrep23 } from '../../../protocols/app7-records/index.ts';
import { verifyDddG1 } from '../../../protocols/ddd/verify-g1.ts';
import { anna, carla } from '../../cards/test-cards.ts';
import { downloadOnRigClock, vuWithIdePlan } from '../vu-test-rig.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const DAY = Date.UTC(2026, 2, 2);
const plan = () => vuWithIdePlan('vu-gen1-download', { calibration: { authorisedSpeedKmh: 90 } }, 10);
const GEN1 = [{ trtp: 0x01 }, { trtp: 0x02, date: DAY / 1000 }, { trtp: 0x03 }, { trtp: 0x04 }, { trtp: 0x05 }];
/** A first generation control card (App. 1 Generation 1): what MIG_015 names. */
const carlaGen1 = { ...carla, generation: 1 as const };
const roots = { europeanPublicKeys: [TestPkiG1.of().eurPublicKeyBytes()], rootCertificates: [] };

function message(result: DownloadResult, trtp: number): Uint8Array {
  const t = result.transfers.find((x) => x.trtp === trtp);
  if (!t || !t.ok) throw new Error(`no TREP ${trtp.toString(16)} (${t && !t.ok ? `NRC ${t.nrc.toString(16)}` : 'not asked'})`);
  return t.message;
}
const outcomes = (r: DownloadResult) => r.transfers.map((t) => [t.trtp, t.ok ? t.trep : `NRC ${t.nrc.toString(16).toUpperCase()}`]);
const ddd = (r: DownloadResult) => concatBytes(...r.transfers.flatMap((t) => (t.ok ? [Uint8Array.of(0x76, t.trep), t.message] : [])));

/** Two minutes at 100 km/h with a driver card, then parked: activities, an over speeding, detailed speed. */
async function drive(rig: Rig) {
  rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: anna });
  rig.worldAction('speed', { kmh: 100 });
  await rig.clock.advance(120_000);
  rig.worldAction('stop', {});
  await rig.clock.advance(600_000);
}

describe('the emulated gen2 VU downloading in the generation 1 format (App. 7 §1.1, MIG_015)', () => {
  it('answers TRTP 01..05 with FA until the menu selects the gen1 format (DDP_018), then gives the five gen1 blocks, signed with its gen1 key', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      await drive(rig);
      expect(outcomes(await downloadOnRigClock(rig, GEN1))).toEqual([
        [0x01, 'NRC FA'],
        [0x02, 'NRC FA'],
        [0x03, 'NRC FA'],
        [0x04, 'NRC FA'],
        [0x05, 'NRC FA'],
      ]);
      rig.host.stimulate('vu', 'gen1Download', { on: true });
      const result = await downloadOnRigClock(rig, GEN1);
      expect(outcomes(result)).toEqual([
        [0x01, 0x01],
        [0x02, 0x02],
        [0x03, 0x03],
        [0x04, 0x04],
        [0x05, 0x05],
      ]);

      const overview = decodeTrep01(message(result, 0x01)).data;
      expect(overview).toMatchObject({
        vehicleIdentificationNumber: 'WDB9634031L000001',
        vehicleRegistrationIdentification: { vehicleRegistrationNation: 0x06, vehicleRegistrationNumber: 'B-RIG-001' },
        vuDownloadablePeriod: { minDownloadableTime: DAY },
        cardSlotsStatus: { driver: 'driver', codriver: 'none' },
        vuDownloadActivityData: { downloadingTime: 0, fullCardNumber: null, companyOrWorkshopName: '' },
        vuCompanyLocksRecords: [],
        vuControlActivityRecords: [],
      });

      const day = decodeTrep02(message(result, 0x02)).data;
      expect(day.dateOfDayDownloaded).toBe(DAY);
      expect(day.vuCardIWRecords.map((r) => [r.fullCardNumber, r.cardInsertionTime, r.cardWithdrawalTime])).toEqual([[{ cardType: 'driver', issuingMemberState: 0x06, cardNumber: 'B000000012345601' }, T0, null]]);
      expect(day.activityChangeInfos.filter((w) => w.slot === 'driver').map((w) => [w.minute, w.activity, w.cardStatus])).toEqual([
        [0, 'break-rest', 'not-inserted'],
        [360, 'driving', 'inserted'],
        [362, 'work', 'inserted'],
      ]);

      const events = decodeTrep03(message(result, 0x03)).data;
      // the first second measures 90 km/h (its first 100 ms had no pulse frame yet): above the limit from the second
      expect(events.vuOverSpeedingEventRecords.map((r) => [r.eventBeginTime, r.eventEndTime, r.maxSpeedValue, r.averageSpeedValue])).toContainEqual([T0 + 1000, T0 + 120_000, 100, 100]);
      expect(events.vuEventRecords.every((r) => r.eventType !== 0x07)).toBe(true);

      expect(decodeTrep04(message(result, 0x04)).data.vuDetailedSpeedBlocks.map((b) => b.speedBlockBeginDate)).toEqual([T0, T0 + 60_000, T0 + 120_000]);
      expect(decodeTrep05(message(result, 0x05)).data.vuIdentification).toMatchObject({ vuManufacturerName: 'Rig Test Tachographs', vuApprovalNumber: 'e1-0001', vuSerialNumber: { serialNumber: 1, type: 6 } });

      // the file verifies under the rig's gen1 test European key, judged at the VU's time of the download
      const verification = verifyDddG1(ddd(result), roots);
      expect(verification.verdicts.map((v) => [v.block, v.status])).toEqual([
        ['TREP 01 (Overview)', 'verified'],
        ['TREP 02 (Activities 2026-03-02)', 'verified'],
        ['TREP 03 (Events and faults)', 'verified'],
        ['TREP 04 (Detailed speed)', 'verified'],
        ['TREP 05 (Technical data)', 'verified'],
      ]);
      expect(verification).toMatchObject({ ok: true, problems: [], at: overview.currentDateTime, atSource: 'TREP 01 CurrentDateTime' });

      // the same memory in both formats: the gen2 download of the same session state agrees
      const gen2 = await downloadOnRigClock(rig, [{ trtp: 0x22, date: DAY / 1000 }, { trtp: 0x23 }]);
      expect(decodeTrep22(message(gen2, 0x22)).data.activities).toEqual(day.activityChangeInfos);
      const over = decodeTrep23(message(gen2, 0x23)).data.records.filter((r) => r.type === 0x07);
      expect(over.map((r) => [r.begin * 1000, r.purpose])).toEqual(events.vuOverSpeedingEventRecords.map((r) => [r.eventBeginTime, r.eventRecordPurpose]));

      // leaving the selection closes the gen1 format again
      rig.host.stimulate('vu', 'gen1Download', { on: false });
      expect(outcomes(await downloadOnRigClock(rig, [{ trtp: 0x01 }]))).toEqual([[0x01, 'NRC FA']]);
    } finally {
      await rig.close();
    }
  });

  it('outside the rig read, opens the gen1 format only to a first generation control card (MIG_015), and keeps the control activity (Annex IC 126, 127)', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      await drive(rig);
      rig.host.stimulate('vu', 'gen1Download', { on: true });
      // a gen2 control card: an EU control, the gen2 format only
      rig.host.stimulate('vu', 'insertCard', { slot: 'co-driver', card: carla });
      await rig.clock.advance(10_000);
      expect(outcomes(await downloadOnRigClock(rig, [{ trtp: 0x01 }], { rigRead: false }))).toEqual([[0x01, 'NRC FA']]);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'co-driver' });
      await rig.clock.advance(10_000);
      // a gen1 control card: the non-EU control of MIG_015
      rig.host.stimulate('vu', 'insertCard', { slot: 'co-driver', card: carlaGen1 });
      await rig.clock.advance(10_000);
      const control = await downloadOnRigClock(rig, [{ trtp: 0x01 }, { trtp: 0x02, date: DAY / 1000 }, { trtp: 0x03 }], { rigRead: false });
      expect(outcomes(control)).toEqual([
        [0x01, 0x01],
        [0x02, 0x02],
        [0x03, 0x03],
      ]);
      expect(verifyDddG1(ddd(control), roots).ok).toBe(true);
      // the control is recorded as any control: VU downloading, the day downloaded; events and faults downloaded
      // is an over speeding control (Annex IC 70)
      const after = await downloadOnRigClock(rig, [{ trtp: 0x01 }, { trtp: 0x03 }], { rigRead: false });
      const records = decodeTrep01(message(after, 0x01)).data.vuControlActivityRecords;
      expect(records[0]).toMatchObject({ controlType: 0x40, controlCardNumber: { cardType: 'control', issuingMemberState: 0x06, cardNumber: 'B000000000CTL000' }, downloadPeriodBeginTime: DAY, downloadPeriodEndTime: DAY });
      expect(decodeTrep03(message(after, 0x03)).data.vuOverSpeedingControlData.numberOfOverspeedSince).toBe(0);
      expect(decodeTrep03(message(control, 0x03)).data.vuOverSpeedingControlData.numberOfOverspeedSince).toBe(1);
      // without the menu selection the gen1 control card alone opens nothing
      rig.host.stimulate('vu', 'gen1Download', { on: false });
      expect(outcomes(await downloadOnRigClock(rig, [{ trtp: 0x01 }], { rigRead: false }))).toEqual([[0x01, 'NRC FA']]);
    } finally {
      await rig.close();
    }
  });
});
