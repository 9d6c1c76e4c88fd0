import { describe, expect, it } from 'vitest';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import type { DownloadResult } from '../../../harness/download/index.ts';
import { decodeTrep21, decodeTrep22, decodeTrep23 } from '../../../protocols/app7-records/index.ts';
import { acme, anna, bolt, carla, wendy } from '../../cards/test-cards.ts';
import { downloadOnRigClock, vuWithIdePlan } from '../vu-test-rig.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const DAY = Date.UTC(2026, 2, 2);
const plan = () => vuWithIdePlan('vu-controls', { calibration: { authorisedSpeedKmh: 90 } }, 10);

function message(result: DownloadResult, trtp: number, nth = 0): Uint8Array {
  const t = result.transfers.filter((x) => x.trtp === trtp)[nth];
  if (!t || !t.ok) throw new Error(`no TREP ${trtp.toString(16)} (${t && !t.ok ? `NRC ${t.nrc.toString(16)}` : 'not asked'})`);
  return t.message;
}

describe('over speeding control data (Annex IC 117 note (1), 70; App. 1 VuOverSpeedingControlData)', () => {
  it('counts all 20 over speedings since the last control, not the 5 the storing rules keep; a control-mode download starts again', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: anna });
      // 20 times: 62 s at 100 km/h (over speeding from the 2nd second: 61 samples above 90), then 3 s at 80
      for (let i = 0; i < 20; i++) {
        rig.worldAction('speed', { kmh: 100 });
        await rig.clock.advance(62_000);
        rig.worldAction('speed', { kmh: 80 });
        await rig.clock.advance(3_000);
      }
      rig.worldAction('stop', {});
      await rig.clock.advance(60_000);
      const before = decodeTrep23(message(await downloadOnRigClock(rig, [{ trtp: 0x23 }]), 0x23)).data;
      const kept = new Set(before.records.filter((r) => r.type === 0x07).map((r) => r.begin));
      // the storing rules keep 5: the most serious of the day (04, the first of equals), the 5 most serious of the year (05)
      expect(kept.size).toBe(5);
      expect(before.overSpeedingControl).toEqual({ lastControl: 0, firstOverSpeedSince: T0 / 1000 + 1, numberOfOverSpeedSince: 20 });

      // Annex IC 70: in control mode, downloading 'events and faults' is an over speeding control
      rig.host.stimulate('vu', 'insertCard', { slot: 'co-driver', card: carla });
      await rig.clock.advance(10_000);
      const control = await downloadOnRigClock(rig, [{ trtp: 0x22, date: DAY / 1000 }, { trtp: 0x23 }], { rigRead: false });
      // the controller sees the count since the previous control...
      expect(decodeTrep23(message(control, 0x23)).data.overSpeedingControl.numberOfOverSpeedSince).toBe(20);
      const after = await downloadOnRigClock(rig, [{ trtp: 0x23 }], { rigRead: false });
      const data = decodeTrep23(message(after, 0x23)).data.overSpeedingControl;
      // ...and the count starts again from the time the control's TREP 23 had gone out
      expect(data.numberOfOverSpeedSince).toBe(0);
      expect(data.firstOverSpeedSince).toBe(0);
      expect(data.lastControl * 1000).toBeGreaterThanOrEqual(Math.floor(control.startedAt / 1000) * 1000);
      expect(data.lastControl * 1000).toBeLessThanOrEqual(control.endedAt);

      // Annex IC 126, 127: each control-mode session is a control activity: VU downloading, the day downloaded
      const controls = decodeTrep21(message(after, 0x21)).data.controls;
      expect(controls).toEqual([
        {
          controlType: 0x40,
          controlTime: controls[0]!.controlTime,
          controlCard: { cardType: 'control', issuingMemberState: 6, cardNumber: 'B000000000CTL000', generation: 2 },
          downloadPeriodBeginTime: DAY,
          downloadPeriodEndTime: DAY,
        },
      ]);
      // the control's time is when its first message (the overview) had gone out, in whole seconds
      expect(controls[0]!.controlTime).toBeGreaterThanOrEqual(Math.floor(control.startedAt / 1000) * 1000);
      expect(controls[0]!.controlTime).toBeLessThan(control.endedAt);
      expect(controls[0]!.controlTime % 1000).toBe(0);

      rig.host.stimulate('vu', 'withdrawCard', { slot: 'co-driver' });
      rig.worldAction('speed', { kmh: 100 });
      await rig.clock.advance(70_000);
      rig.worldAction('stop', {});
      await rig.clock.advance(10_000);
      const last = await downloadOnRigClock(rig, [{ trtp: 0x23 }]);
      const next = decodeTrep23(message(last, 0x23)).data.overSpeedingControl;
      // the second control-mode session downloaded TREP 23 too: the last control is its; the rig's own read in
      // operational mode after it is no control
      expect(next.lastControl * 1000).toBeGreaterThanOrEqual(Math.floor(after.startedAt / 1000) * 1000);
      expect(next.lastControl * 1000).toBeLessThanOrEqual(after.endedAt);
      expect(next.numberOfOverSpeedSince).toBe(1);
      expect(next.firstOverSpeedSince).toBeGreaterThan(next.lastControl);
      // the second control session (one TREP 23, no day) is the second control activity
      const all = decodeTrep21(message(last, 0x21)).data.controls;
      expect(all.map((c) => [c.controlType, c.downloadPeriodBeginTime, c.downloadPeriodEndTime])).toEqual([
        [0x40, DAY, DAY],
        [0x40, 0, 0],
      ]);
      expect(all[1]!.controlTime).toBeGreaterThanOrEqual(Math.floor(after.startedAt / 1000) * 1000);
      expect(all[1]!.controlTime).toBeLessThan(after.endedAt);
    } finally {
      await rig.close();
    }
  }, 60_000);
});

describe('downloads by mode of operation (Annex IC 12; App. 7 DDP_018)', () => {
  it('refuses the upload with no card (operational mode, NRC 50), serves a company card holder and the rig itself', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      await rig.clock.advance(60_000);
      await expect(downloadOnRigClock(rig, [], { rigRead: false })).rejects.toThrow('request upload: negative response 50 (upload not accepted)');
      // the rig's own read of an emulated VU is lifted from operational mode (download/access.ts)
      expect((await downloadOnRigClock(rig, [])).transfers.map((t) => t.ok)).toEqual([true]);
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: acme });
      await rig.clock.advance(5_000);
      const company = await downloadOnRigClock(rig, [{ trtp: 0x22, date: DAY / 1000 }], { rigRead: false });
      expect(company.transfers.map((t) => t.ok)).toEqual([true, true]);
      expect(decodeTrep22(message(company, 0x22)).data.day).toBe(DAY);
    } finally {
      await rig.close();
    }
  });

  it('starts with the cards of cardsAtStart in their slots (company mode: an outside IDE may download)', async () => {
    const rig = await Rig.start(vuWithIdePlan('vu-start-cards', { cards: { acme }, cardsAtStart: { driver: 'acme' } }), { start: T0 });
    try {
      await rig.clock.advance(1_000);
      const overview = decodeTrep21(message(await downloadOnRigClock(rig, [], { rigRead: false }), 0x21)).data;
      expect(overview.slots).toEqual({ driver: 'company', codriver: 'none' });
    } finally {
      await rig.close();
    }
  });

  it('locks in and out only in company mode, for the company card in use (Annex IC 12, 66, 67)', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: anna });
      rig.host.stimulate('vu', 'companyLock', { action: 'in' }); // operational mode: no such function
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      rig.host.stimulate('vu', 'insertCard', { slot: 'co-driver', card: acme });
      await rig.clock.advance(1_000);
      rig.host.stimulate('vu', 'companyLock', { action: 'in' });
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'co-driver' });
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: bolt });
      await rig.clock.advance(1_000);
      rig.host.stimulate('vu', 'companyLock', { action: 'out' }); // not Bolt's lock: refused (66)
      await rig.clock.advance(1_000);
      rig.host.stimulate('vu', 'companyLock', { action: 'in' }); // locks Acme out (67)
      await rig.clock.advance(1_000);
      const locks = decodeTrep21(message(await downloadOnRigClock(rig, [], { rigRead: false }), 0x21)).data.companyLocks;
      const acmeCard = { cardType: 'company', issuingMemberState: 6, cardNumber: 'B000000000ACM000', generation: 2 };
      const boltCard = { cardType: 'company', issuingMemberState: 6, cardNumber: 'B000000000BLT000', generation: 2 };
      expect(locks).toEqual([
        { lockInTime: T0 + 1000, lockOutTime: T0 + 3000, companyName: 'Acme Transport', companyAddress: '1 Haven Road, Antwerp', companyCard: acmeCard },
        { lockInTime: T0 + 3000, lockOutTime: null, companyName: 'Bolt Logistics', companyAddress: '9 Depot Street, Ghent', companyCard: boltCard },
      ]);
    } finally {
      await rig.close();
    }
  });
});

describe('the downloading self-test (Annex IC 88, 89)', () => {
  it('refuses the upload while the interface is broken; records no 0x34 in calibration mode', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: wendy });
      rig.host.stimulate('vu', 'downloadInterfaceFault', { faulty: true });
      await rig.clock.advance(1_000);
      await expect(downloadOnRigClock(rig, [], { rigRead: false })).rejects.toThrow('request upload: negative response 50 (upload not accepted)');
      rig.host.stimulate('vu', 'downloadInterfaceFault', { faulty: false });
      const events = decodeTrep23(message(await downloadOnRigClock(rig, [{ trtp: 0x23 }], { rigRead: false }), 0x23)).data.records;
      expect(events.map((r) => r.type)).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});
