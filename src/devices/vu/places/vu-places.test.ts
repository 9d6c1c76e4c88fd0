import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { VirtualClock } from '../../../harness/clock/index.ts';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import { decodeTrep22 } from '../../../protocols/app7-records/index.ts';
import { verifyDdd, writeDdd } from '../../../protocols/ddd/index.ts';
import { anna } from '../../cards/test-cards.ts';
import { loadDataMemorySync, saveDataMemorySync } from '../data-memory/persistence.ts';
import { vuStorageKey } from '../vu-storage-key.ts';
import { vuStimuli } from '../stimuli.ts';
import { createVuMachine, type VuContext } from '../vu-machine.ts';
import { vuOptionsSchema } from '../vu-options.ts';
import { downloadOnRigClock, vuWithIdePlan } from '../vu-test-rig.ts';
import { placeRecords } from './place-records.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const DAY = Date.UTC(2026, 2, 2);
const plan = () => vuWithIdePlan('vu-places', { gnss: { receiver: 'internal' } });
const download = downloadOnRigClock;

/**
 * The two VuPlaceDailyWorkPeriodRecords of the drive below, written out by hand from App. 1 2.219 / 2.117
 * (gen2 v1: FullCardNumberAndGeneration, then PlaceRecord with its GNSSPlaceRecord), 40 bytes each.
 */
const ANNA = '01' + '06' + '42303030303030303132333435363031' + '02'; // driver card, B, 'B000000012345601', generation 2
const BEGIN =
  ANNA +
  '69a527ba' + // entryTime 06:01:30
  '00' + // EntryTypeDailyWorkPeriod 0: begin, time of entry
  '06' + // NationNumeric B
  '00' + // RegionNumeric: none
  '000000' + // odometer 0 km
  '69a527b0' + // GNSS time stamp 06:01:20 (the receiver's read before the entry)
  '09' + // GNSS accuracy: HDOP 0.9
  '00c54e' + // 50510: 50° 51.0' N (50.8503°)
  '001073'; // 4211: 4° 21.1' E (4.3517°)
const END =
  ANNA +
  '69a52a3a' + // 06:12:10
  '01' + // end, time of entry
  '0f' + // E
  '05' + // Cataluña
  '00000a' + // 10 km: 10 minutes at 60 km/h
  '69a52a30' + // 06:12:00
  '09' +
  '00c584' + // 50564: 50.8503° + 10 / 111.195° = 50.94023° = 50° 56.4' N
  '001073';

describe('the VU records daily work period places and downloads them (TREP 22)', () => {
  it('records what the card holder enters, refuses an empty slot, and downloads the day\'s places byte for byte', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: anna });
      await rig.clock.advance(90_000);
      rig.host.stimulate('vu', 'enterPlace', { slot: 'driver', type: 'begin', country: 'B' });
      rig.host.stimulate('vu', 'enterPlace', { slot: 'co-driver', type: 'begin', country: 'B' }); // no card there
      await rig.clock.advance(30_000);
      rig.worldAction('speed', { kmh: 60 });
      await rig.clock.advance(600_000);
      rig.worldAction('stop', {});
      await rig.clock.advance(10_000);
      rig.host.stimulate('vu', 'enterPlace', { slot: 'driver', type: 'end', country: 'E', region: 'CAT' });
      await rig.clock.advance(60_000);

      const result = await download(rig, [{ trtp: 0x22, date: DAY / 1000 }]);
      const trep22 = result.transfers.find((t) => t.trtp === 0x22);
      if (!trep22 || !trep22.ok) throw new Error('TREP 22 refused');
      // the VuPlaceDailyWorkPeriodRecordArray: recordType 1C, recordSize 40, 2 records, then the records
      const hex = toHex(trep22.message);
      const header = '1c' + '0028' + '0002';
      expect(hex.split(header)).toHaveLength(2);
      expect(hex.slice(hex.indexOf(header) + header.length, hex.indexOf(header) + header.length + 160)).toBe(BEGIN + END);
      expect(decodeTrep22(trep22.message).data.places.map((p) => [p.entryType, p.country, p.region, p.odometerKm])).toEqual([
        [0, 0x06, 0, 0],
        [1, 0x0f, 0x05, 10],
      ]);

      // the same records through the record source (the download) as in the VU's memory
      const context = (rig.actor('vu')!.getSnapshot() as { context: VuContext }).context;
      const records = await rig.records('vu');
      expect(records.filter((r) => r.kind === 'place')).toEqual(placeRecords(context.places.records));
      expect(records.filter((r) => r.kind === 'placeRefused').map((r) => [r.code, r.at, (r.fields as { slot: string }).slot])).toEqual([['no-card', T0 + 90_000, 'co-driver']]);

      const ddd = writeDdd([...result.transfers].filter((t) => t.ok).map((t) => ({ trep: t.trtp, data: t.ok ? t.message : new Uint8Array(0) })));
      const root = fromHex(TestPki.of().vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 }).rootCertificate);
      expect(verifyDdd(ddd, [root], rig.clock.now())).toEqual({ ok: true, problems: [] });
    } finally {
      await rig.close();
    }
  });

  it('validates the stimulus arguments and sends the numeric codes', () => {
    const spec = vuStimuli['enterPlace']!;
    const args = spec.args.parse({ slot: 'co-driver', type: 'end', country: 'E', region: 'M' });
    expect(spec.toEvent(args, { name: 'vu', options: {} })).toEqual({ type: 'vu.enterPlace', slot: 'co-driver', entry: { type: 'end', country: 0x0f, region: 0x0e } });
    expect(spec.args.safeParse({ slot: 'driver', type: 'end', country: 'NL', region: 'M' }).success).toBe(false);
  });
});

describe('places in the persisted data memory', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const startVu = (file: string, at: number) => {
    const clock = new VirtualClock({ start: at });
    const actor = createActor(createVuMachine(clock, vuOptionsSchema.parse({ dataMemoryFile: file }), () => ({ pulses: 0, held: [] })), { clock }).start();
    const places = () => (actor.getSnapshot().context as VuContext).places;
    return { clock, actor, places };
  };

  it('survive a restart, and a memory saved before places existed loads with none', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vu-places-'));
    const file = join(dir, 'vu.json');
    const first = startVu(file, T0);
    first.actor.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
    await first.clock.advance(5_000);
    first.actor.send({ type: 'vu.enterPlace', slot: 'driver', entry: { type: 'begin', country: 0x06, region: 0 } });
    const entered = first.places();
    expect(entered.records).toHaveLength(1);
    first.actor.stop();

    const second = startVu(file, T0 + 60_000);
    expect(second.places()).toEqual(entered);
    second.actor.stop();

    // an older rig's file: the same memory without the field
    const key = vuStorageKey(vuOptionsSchema.parse({}));
    const { places: _places, ...older } = loadDataMemorySync(file, key).memory;
    saveDataMemorySync(file, older, key);
    const third = startVu(file, T0 + 120_000);
    expect(third.places()).toEqual({ records: [], refusals: [] });
    third.actor.send({ type: 'vu.enterPlace', slot: 'driver', entry: { type: 'end', country: 0x06, region: 0 } });
    expect(third.places().records.map((r) => [r.entryType, r.entryTime])).toEqual([[1, T0 + 120_000]]);
    third.actor.stop();
  });
});
