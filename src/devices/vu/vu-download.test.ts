import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { Rig } from '../../harness/rig/rig-runtime.ts';
import { decodeTrep21, decodeTrep22, decodeTrep23, decodeTrep24, decodeTrep25 } from '../../protocols/app7-records/index.ts';
import { verifyDdd, writeDdd } from '../../protocols/ddd/index.ts';
import { anna } from '../cards/test-cards.ts';
import { downloadOnRigClock, vuWithIdePlan } from './vu-test-rig.ts';
import { activityRecords, cardInsertionRecords, eventRecords, identificationRecord } from './vu-records.ts';
import { recordsFromDownload } from './download-records.ts';
import type { VuContext } from './vu-machine.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const DAY = Date.UTC(2026, 2, 2);
const plan = () => vuWithIdePlan('vu-download', { calibration: { authorisedSpeedKmh: 90 } }, 10);
const download = downloadOnRigClock;

describe('downloading an emulated VU through the rig (App. 7)', () => {
  it('gives back, signed, what the VU recorded: overview, a day of activities, events, detailed speed, technical data', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: anna });
      rig.worldAction('speed', { kmh: 100 });
      await rig.clock.advance(120_000);
      rig.worldAction('stop', {});
      await rig.clock.advance(600_000);
      const result = await download(rig, [{ trtp: 0x22, date: DAY / 1000 }, { trtp: 0x23 }, { trtp: 0x24 }, { trtp: 0x25 }, { trtp: 0x22, date: DAY / 1000 - 86_400 }]);
      expect(result.baud).toBe(115200);
      expect(result.transfers.map((t) => [t.trtp, t.ok, t.ok ? undefined : t.nrc])).toEqual([
        [0x21, true, undefined],
        [0x22, true, undefined],
        [0x23, true, undefined],
        [0x24, true, undefined],
        [0x25, true, undefined],
        [0x22, false, 0xfa], // the day before the VU started: no data (DDP_018)
      ]);
      const message = (trtp: number) => {
        const t = result.transfers.find((x) => x.trtp === trtp && x.ok);
        return t && t.ok ? t.message : new Uint8Array(0);
      };
      const context = (rig.actor('vu')!.getSnapshot() as { context: VuContext }).context;

      const overview = decodeTrep21(message(0x21));
      expect(overview.data).toMatchObject({ vin: 'WDB9634031L000001', registrationNumber: 'B-RIG-001', slots: { driver: 'driver', codriver: 'none' } });

      const day = decodeTrep22(message(0x22)).data;
      expect(day.odometerAtMidnightKm).toBe(0);
      expect(day.cardIW.map((r) => [r.fullCardNumberAndGeneration.cardNumber, r.cardInsertionTime])).toEqual([['B000000012345601', T0]]);
      expect(day.activities.filter((w) => w.slot === 'driver').map((w) => [w.minute, w.activity, w.cardStatus])).toEqual([
        [0, 'break-rest', 'not-inserted'],
        [360, 'driving', 'inserted'],
        [362, 'work', 'inserted'],
      ]);

      const events = decodeTrep23(message(0x23)).data.records;
      const inProcess = eventRecords(context.events, Math.floor(rig.clock.now() / 1000));
      expect([...new Set(events.map((r) => r.type))].sort()).toEqual([...new Set(inProcess.map((r) => r.code as number))].sort());
      // the first second measures 90 km/h (its first 100 ms had no pulse frame yet): above the limit from the second
      expect(events.find((r) => r.type === 0x07)).toMatchObject({ begin: T0 / 1000 + 1, end: T0 / 1000 + 120, data: { maxSpeed: 100, averageSpeed: 100 } });

      // two minutes of driving, and the minute of the stop, whose first second still had pulses
      expect(decodeTrep24(message(0x24)).data.map((b) => b.begin)).toEqual([T0 / 1000, T0 / 1000 + 60, T0 / 1000 + 120]);
      expect(decodeTrep25(message(0x25)).data.identification).toMatchObject({ manufacturerName: 'Rig Test Tachographs', approvalNumber: 'e1-0001' });

      // The .DDD verifies against the test PKI's root; the same download is what `rig decode` reads.
      const ddd = writeDdd(result.transfers.filter((t) => t.ok).map((t) => ({ trep: t.trtp, data: message(t.trtp) })));
      const root = fromHex(TestPki.of().vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 }).rootCertificate);
      expect(verifyDdd(ddd, [root], rig.clock.now())).toEqual({ ok: true, problems: [] });
    } finally {
      await rig.close();
    }
  });

  it('gives the same records through the download as the in-process reader, for what a download carries', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      rig.worldAction('speed', { kmh: 60 }); // driving without a card: 0x04
      await rig.clock.advance(300_000);
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: anna }); // insertion while driving: 0x05
      rig.worldAction('speed', { kmh: 100 }); // over speeding: 0x07
      await rig.clock.advance(120_000);
      rig.worldAction('stop', {});
      await rig.clock.advance(60_000);
      rig.host.stimulate('vu', 'supply', { on: false }); // power supply interruption: 0x08
      await rig.clock.advance(60_000);
      rig.host.stimulate('vu', 'supply', { on: true });
      await rig.clock.advance(300_000);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(180_000);
      const context = (rig.actor('vu')!.getSnapshot() as { context: VuContext }).context;
      const vuNow = rig.clock.now(); // the VU's clock has no offset here
      const inProcess = [
        ...eventRecords(context.events, Math.floor(vuNow / 1000)),
        ...activityRecords(context.activities, vuNow),
        ...cardInsertionRecords(context.slots.iw),
        identificationRecord(context.options),
      ];
      const res = await download(rig, [{ trtp: 0x22, date: DAY / 1000 }, { trtp: 0x23 }, { trtp: 0x25 }]);
      const downloaded = recordsFromDownload(res);
      const comparable = (r: { kind: string; code?: unknown; at?: number; end?: number; fields?: Record<string, unknown> }) => {
        // over speeding keeps only the driver card at begin (App. 1 §2.215); event data beyond the speeds is not downloaded
        const { cardsAtEnd: _e, ...fields } = r.fields ?? {};
        return { kind: r.kind, code: r.code, at: r.at, end: r.end, fields: r.kind === 'event' || r.kind === 'fault' ? { ...fields, cardsAtBegin: fields.cardsAtBegin } : fields };
      };
      const kinds = ['event', 'fault', 'activity', 'cardInsertion'];
      const order = (r: { kind: string; at?: number; code?: unknown }) => `${kinds.indexOf(r.kind)}/${String(r.at).padStart(15, '0')}/${String(r.code)}`;
      const pick = (list: typeof inProcess) =>
        list
          .filter((r) => kinds.includes(r.kind))
          .map(comparable)
          .sort((a, b) => order(a).localeCompare(order(b)));
      expect(inProcess.filter((r) => r.kind === 'event').map((r) => r.code)).toEqual([0x04, 0x05, 0x07, 0x08]);
      expect(pick(downloaded)).toEqual(pick(inProcess));
      expect(downloaded.find((r) => r.kind === 'vuIdentification')!.fields).toEqual(identificationRecord(context.options).fields);
    } finally {
      await rig.close();
    }
  });
});

