import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromHex } from '../../../crypto/bytes.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { cardFileOf, downloadVu, type DownloadResult } from '../../../harness/download/index.ts';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import { decodeCardDownload, decodeCardEfContent, FID, verifyCardFile, type CardEfRecordTypes } from '../../../protocols/card-files/index.ts';
import type { CardDf } from '../../../protocols/card-files/index.ts';
import { readCardMemoryFile } from '../../cards/emulator/card-memory-file.ts';
import { cardIdentityKey, readEf } from '../../cards/emulator/card-memory.ts';
import { anna } from '../../cards/test-cards.ts';
import { vuWithIdePlan } from '../vu-test-rig.ts';

/**
 * Issue 15: what the VU writes on a driver card (card-updates.ts, card-writer.ts, card-session-records.ts),
 * read back from the card's memory file EF by EF, and through a card download (TRTP 06).
 */
const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const B_RIG_001 = { vehicleRegistrationNation: 6, vehicleRegistrationNumber: 'B-RIG-001' };

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const cardIn = () => {
  dir = mkdtempSync(join(tmpdir(), 'card-updates-'));
  return { ...anna, memoryFile: join(dir, 'anna.card.json') };
};

function ef<K extends keyof CardEfRecordTypes>(file: string, df: CardDf, fid: number, _type: K): CardEfRecordTypes[K] {
  const memory = readCardMemoryFile(file, cardIdentityKey(anna))!;
  const generation = df === 'tachograph-g2' ? 2 : 1;
  const app = decodeCardEfContent(FID.APPLICATION_IDENTIFICATION, readEf(memory, df, FID.APPLICATION_IDENTIFICATION)!, { cardType: 'driver', generation }, []);
  const ctx = { cardType: 'driver' as const, generation: generation as 1 | 2, ...(app?.type === 'CardApplicationIdentification' ? { applicationIdentification: app.record } : {}) };
  const problems: string[] = [];
  const content = decodeCardEfContent(fid, readEf(memory, df, fid)!, ctx, problems);
  expect(problems).toEqual([]);
  return content!.record as CardEfRecordTypes[K];
}

async function download(rig: Rig): Promise<DownloadResult> {
  let outcome: { result?: DownloadResult; error?: unknown } | undefined;
  downloadVu(rig.port('ide.vu')!, rig.clock, { baud: 115200, transfers: [], card: 'driver' }).then(
    (result) => (outcome = { result }),
    (error) => (outcome = { error }),
  );
  while (!outcome) await rig.clock.advance(100);
  if (outcome.error) throw outcome.error;
  return outcome.result!;
}

/** 06:00 insertion, a place at 06:00:30, 10 km at 60 km/h from 06:01, stopped at 06:11, then 4 minutes parked. */
async function drivingDay(rig: Rig, card: typeof anna): Promise<void> {
  rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
  await rig.clock.advance(30_000);
  rig.host.stimulate('vu', 'enterPlace', { slot: 'driver', type: 'begin', country: 'B' });
  await rig.clock.advance(30_000);
  rig.worldAction('speed', { kmh: 60 });
  await rig.clock.advance(10 * MIN);
  rig.worldAction('stop', {});
  await rig.clock.advance(4 * MIN);
}

describe('the VU writes the session on the driver card (Annex IC 146, 143)', () => {
  it('at withdrawal: the day\'s activities, the vehicle used, the VU, the place, in both applications; the session data reset', async () => {
    const card = cardIn();
    const rig = await Rig.start(vuWithIdePlan('card-updates', {}), { start: T0 });
    try {
      await drivingDay(rig, card);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(1_000);
    } finally {
      await rig.close();
    }
    const file = card.memoryFile;
    const activity = ef(file, 'tachograph-g2', FID.DRIVER_ACTIVITY_DATA, 'CardDriverActivity');
    expect(activity.activityDailyRecords.map((d) => [d.activityRecordDate, d.activityDailyPresenceCounter, d.activityDayDistance])).toEqual([['2026-03-02T00:00:00.000Z', 1, 10]]);
    // 00:00 not inserted (unknown); 06:00 inserted, the VU's activity of the slot (break/rest: nothing selected); driving 06:01-06:11, then the automatic WORK; withdrawn 06:15
    expect(activity.activityDailyRecords[0]!.activityChangeInfo.map((c) => [c.time.slice(11, 16), c.cardStatus, c.activity, c.drivingStatus ?? c.activityStatus])).toEqual([
      ['00:00', 'not-inserted', 'break-rest', 'unknown'],
      ['06:00', 'inserted', 'break-rest', 'single'],
      ['06:01', 'inserted', 'driving', 'single'],
      ['06:11', 'inserted', 'work', 'single'],
      ['06:15', 'not-inserted', 'break-rest', 'unknown'],
    ]);
    const vehicles = ef(file, 'tachograph-g2', FID.VEHICLES_USED, 'CardVehiclesUsed');
    expect(vehicles.vehiclePointerNewestRecord).toBe(0);
    expect(vehicles.cardVehicleRecords[0]).toEqual({
      vehicleOdometerBegin: 0,
      vehicleOdometerEnd: 10,
      vehicleFirstUse: iso(T0),
      vehicleLastUse: iso(T0 + 15 * MIN),
      vehicleRegistration: B_RIG_001,
      vuDataBlockCounter: 1,
      vehicleIdentificationNumber: 'WDB9634031L000001',
    });
    expect(vehicles.cardVehicleRecords[1]).toBeNull();
    // the gen1 application holds the same vehicle, without the VIN (31 bytes)
    expect(ef(file, 'tachograph', FID.VEHICLES_USED, 'CardVehiclesUsed').cardVehicleRecords[0]).toEqual({ vehicleOdometerBegin: 0, vehicleOdometerEnd: 10, vehicleFirstUse: iso(T0), vehicleLastUse: iso(T0 + 15 * MIN), vehicleRegistration: B_RIG_001, vuDataBlockCounter: 1 });
    expect(ef(file, 'tachograph', FID.DRIVER_ACTIVITY_DATA, 'CardDriverActivity').activityDailyRecords).toEqual(activity.activityDailyRecords);
    expect(ef(file, 'tachograph-g2', FID.VEHICLE_UNITS_USED, 'CardVehicleUnitsUsed').cardVehicleUnitRecords.slice(0, 2)).toEqual([{ timeStamp: iso(T0), manufacturerCode: 0x40, deviceID: 6, vuSoftwareVersion: '0100' }, null]);
    const places = ef(file, 'tachograph-g2', FID.PLACES, 'CardPlaceDailyWorkPeriod');
    expect(places.placeRecords[0]).toMatchObject({ entryTime: iso(T0 + 30_000), entryTypeDailyWorkPeriod: 0, dailyWorkPeriodCountry: 6, dailyWorkPeriodRegion: 0, vehicleOdometerValue: 0 });
    expect(ef(file, 'tachograph', FID.PLACES, 'CardPlaceDailyWorkPeriod').placeRecords[0]).toEqual({ entryTime: iso(T0 + 30_000), entryTypeDailyWorkPeriod: 0, dailyWorkPeriodCountry: 6, dailyWorkPeriodRegion: 0, vehicleOdometerValue: 0 });
    // Annex IC 150: after the records, the session data reset
    expect(ef(file, 'tachograph-g2', FID.CURRENT_USAGE, 'CardCurrentUse')).toMatchObject({ sessionOpenTime: null });
  }, 60_000);

  it('before a card download (TRTP 06) while the card is in: the day so far, signed by the card; the withdrawal then updates the same records', async () => {
    const card = cardIn();
    const rig = await Rig.start(vuWithIdePlan('card-updates', {}), { start: T0 });
    try {
      await drivingDay(rig, card);
      const asked = Math.floor(rig.clock.now() / 1000) * 1000;
      const file = cardFileOf(await download(rig))!;
      const decoded = decodeCardDownload(file);
      const record = <K extends keyof CardEfRecordTypes>(fid: number, _k: K) => (decoded.efs.find((e) => e.df === 'tachograph-g2' && e.fid === fid) as unknown as { record: CardEfRecordTypes[K] }).record;
      expect(record(FID.DRIVER_ACTIVITY_DATA, 'CardDriverActivity').activityDailyRecords.map((d) => [d.activityRecordDate, d.activityDayDistance, d.activityChangeInfo.at(-1)!.activity])).toEqual([['2026-03-02T00:00:00.000Z', 10, 'work']]);
      const used = record(FID.VEHICLES_USED, 'CardVehiclesUsed').cardVehicleRecords[0]!;
      // written as the download began (the card is still in: its last use is now)
      expect(Date.parse(used.vehicleLastUse!) - asked).toBeGreaterThanOrEqual(0);
      expect(Date.parse(used.vehicleLastUse!) - asked).toBeLessThan(2_000);
      const verdict = verifyCardFile(file, [fromHex(TestPki.of({}).erca.certificate)], rig.clock.now(), [fromHex(TestPkiG1.of({}).eurPublicKey)]);
      expect(verdict.ok).toBe(true);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(1_000);
      const withdrawn = Math.floor((rig.clock.now() - 1_000) / 1000) * 1000;
      const vehicles = ef(card.memoryFile, 'tachograph-g2', FID.VEHICLES_USED, 'CardVehiclesUsed');
      // the same period of use, its last use moved on to the withdrawal: updated in place, not appended
      expect(vehicles.cardVehicleRecords.slice(0, 2).map((r) => [r?.vehicleFirstUse, r?.vehicleLastUse])).toEqual([[iso(T0), iso(withdrawn)], [undefined, undefined]]);
      const days = ef(card.memoryFile, 'tachograph-g2', FID.DRIVER_ACTIVITY_DATA, 'CardDriverActivity').activityDailyRecords;
      expect(days.map((d) => [d.activityDailyPresenceCounter, d.activityDayDistance, d.activityChangeInfo.length])).toEqual([[1, 10, 5]]);
    } finally {
      await rig.close();
    }
  }, 60_000);
});

describe('0x03 time overlap (Annex IC 74): the card\'s last withdrawal later than the VU\'s time', () => {
  it('is stored on the card (Annex IC 286 note: begin the withdrawal, end this insertion, this vehicle); a VU whose time is later stores none', async () => {
    const card = cardIn();
    const first = await Rig.start(vuWithIdePlan('card-updates', {}), { start: T0 });
    try {
      first.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
      await first.clock.advance(10 * MIN);
      first.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await first.clock.advance(1_000);
    } finally {
      await first.close();
    }
    const events = () => ef(card.memoryFile, 'tachograph-g2', FID.EVENTS_DATA, 'CardEventData').cardEventRecords;
    const later = await Rig.start(vuWithIdePlan('card-updates', {}), { start: T0 + 20 * MIN });
    try {
      later.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
      await later.clock.advance(5 * MIN);
      later.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await later.clock.advance(1_000);
    } finally {
      await later.close();
    }
    expect(events().flat().filter((r) => r !== null)).toEqual([]);
    // a VU whose clock is an hour behind the first: the card was last withdrawn at 06:25 by the second VU
    const behind = await Rig.start(vuWithIdePlan('card-updates', {}), { start: T0 - 60 * MIN });
    try {
      behind.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
      await behind.clock.advance(1_000);
    } finally {
      await behind.close();
    }
    expect(events()[0]![0]).toEqual({ eventType: 0x03, eventBeginTime: iso(T0 + 25 * MIN), eventEndTime: iso(T0 - 60 * MIN), eventVehicleRegistration: B_RIG_001 });
    expect(events().flat().filter((r) => r !== null)).toHaveLength(1);
    // and in the gen1 application (a gen1 VU's event too: Annex IC 260)
    expect(ef(card.memoryFile, 'tachograph', FID.EVENTS_DATA, 'CardEventData').cardEventRecords[0]![0]).toMatchObject({ eventType: 0x03 });
  }, 60_000);
});
