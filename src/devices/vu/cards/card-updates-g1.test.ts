import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import { decodeCardEfContent, FID, type CardEfRecordTypes } from '../../../protocols/card-files/index.ts';
import { driverCardSchema } from '../../cards/card-schema.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { readCardMemoryFile } from '../../cards/emulator/card-memory-file.ts';
import { cardIdentityKey, readEf } from '../../cards/emulator/card-memory.ts';
import { anna } from '../../cards/test-cards.ts';
import { vuWithIdePlan } from '../vu-test-rig.ts';
import { authenticateCard, closeCardSessionOf } from './card-authentication.ts';

/**
 * A first generation driver card's session data and records, written by the VU under gen1 secure messaging
 * (App. 11 part A §5; card-reader-g1.ts, card-session-g1.ts), in its one application, DF Tachograph.
 */
const annaG1 = driverCardSchema.parse({ ...anna, generation: 1 });
const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const B_RIG_001 = { vehicleRegistrationNation: 6, vehicleRegistrationNumber: 'B-RIG-001' };
const vu = (at: number) => ({ pkiSeed: TEST_PKI_DEFAULT_SEED, at, rng: createRng(1, 'vu') });
const open = (at: number) => ({ open: { at, ...B_RIG_001 } });

describe('the card session data of a gen1 card (EF Current_Usage of DF Tachograph, Annex IC 145, 150, 77)', () => {
  it('opens it under gen1 SM; a session left open is reported (vuGeneration 1); closed before release', () => {
    const card = new CardEmulator(annaG1, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card') });
    expect(authenticateCard(annaG1, { ...vu(T0), cardSession: open(T0) }, card)).toEqual({ ok: true });
    expect(card.memory.files['tachograph/0507']).toBe('69a52760' + '06' + '01' + '422d5249472d303031' + '20202020');
    expect(card.memory.files['tachograph-g2/0507']).toBeUndefined();
    expect(authenticateCard(annaG1, { ...vu(T0 + 60 * MIN), cardSession: open(T0 + 60 * MIN) }, card)).toEqual({
      ok: true,
      lastSession: { insertion: T0, ...B_RIG_001, vuGeneration: 1 },
    });
    expect(closeCardSessionOf(annaG1, vu(T0 + 90 * MIN), card)).toEqual({ ok: true });
    expect(card.memory.files['tachograph/0507']!.slice(0, 8)).toBe('00000000');
    expect(authenticateCard(annaG1, { ...vu(T0 + 99 * MIN), cardSession: open(T0 + 99 * MIN) }, card)).toEqual({ ok: true });
  });
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function ef<K extends keyof CardEfRecordTypes>(file: string, fid: number, _type: K): CardEfRecordTypes[K] {
  const memory = readCardMemoryFile(file, cardIdentityKey(annaG1))!;
  const app = decodeCardEfContent(FID.APPLICATION_IDENTIFICATION, readEf(memory, 'tachograph', FID.APPLICATION_IDENTIFICATION)!, { cardType: 'driver', generation: 1 }, []);
  const ctx = { cardType: 'driver' as const, generation: 1 as const, ...(app?.type === 'CardApplicationIdentification' ? { applicationIdentification: app.record } : {}) };
  const problems: string[] = [];
  const content = decodeCardEfContent(fid, readEf(memory, 'tachograph', fid)!, ctx, problems);
  expect(problems).toEqual([]);
  return content!.record as CardEfRecordTypes[K];
}

describe('the VU writes the session on a gen1 driver card (Annex IC 146, 143) under gen1 SM', () => {
  it("at withdrawal: the day's activities, the vehicle used, the place in DF Tachograph; the session data reset", async () => {
    dir = mkdtempSync(join(tmpdir(), 'card-updates-g1-'));
    const card = { ...annaG1, memoryFile: join(dir, 'anna.card.json') };
    const rig = await Rig.start(vuWithIdePlan('card-updates-g1', {}), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
      await rig.clock.advance(30_000);
      rig.host.stimulate('vu', 'enterPlace', { slot: 'driver', type: 'begin', country: 'B' });
      // a crossing begun on board, ended by the VU at the first DRIVING minute (06:01): DF Tachograph keeps the begin only
      rig.host.stimulate('vu', 'specificCondition', { condition: 'ferry-train-begin' });
      await rig.clock.advance(30_000);
      rig.worldAction('speed', { kmh: 60 });
      await rig.clock.advance(10 * MIN);
      rig.worldAction('stop', {});
      await rig.clock.advance(MIN);
      // out of scope from 06:12, closed by the VU as the card goes at 06:15 (Annex IC 62)
      rig.host.stimulate('vu', 'specificCondition', { condition: 'out-of-scope-begin' });
      await rig.clock.advance(3 * MIN);
      expect(ef(card.memoryFile, FID.CURRENT_USAGE, 'CardCurrentUse')).toMatchObject({ sessionOpenTime: iso(T0), sessionOpenVehicle: B_RIG_001 });
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(1_000);
    } finally {
      await rig.close();
    }
    const file = card.memoryFile;
    const activity = ef(file, FID.DRIVER_ACTIVITY_DATA, 'CardDriverActivity');
    expect(activity.activityDailyRecords.map((d) => [d.activityRecordDate, d.activityDailyPresenceCounter, d.activityDayDistance])).toEqual([['2026-03-02T00:00:00.000Z', 1, 10]]);
    expect(activity.activityDailyRecords[0]!.activityChangeInfo.map((c) => [c.time.slice(11, 16), c.cardStatus, c.activity])).toEqual([
      ['00:00', 'not-inserted', 'break-rest'],
      ['06:00', 'inserted', 'break-rest'],
      ['06:01', 'inserted', 'driving'],
      ['06:11', 'inserted', 'work'],
      ['06:15', 'not-inserted', 'break-rest'],
    ]);
    expect(ef(file, FID.VEHICLES_USED, 'CardVehiclesUsed').cardVehicleRecords[0]).toEqual({ vehicleOdometerBegin: 0, vehicleOdometerEnd: 10, vehicleFirstUse: iso(T0), vehicleLastUse: iso(T0 + 15 * MIN), vehicleRegistration: B_RIG_001, vuDataBlockCounter: 1 });
    expect(ef(file, FID.PLACES, 'CardPlaceDailyWorkPeriod').placeRecords[0]).toEqual({ entryTime: iso(T0 + 30_000), entryTypeDailyWorkPeriod: 0, dailyWorkPeriodCountry: 6, dailyWorkPeriodRegion: 0, vehicleOdometerValue: 0 });
    // App. 1 2.154 generation 1: 3 ferry/train crossing (its begin), 1 and 2 out of scope; no pointer, first free places (TCS_150)
    const conditions = ef(file, FID.SPECIFIC_CONDITIONS, 'SpecificConditions');
    expect(conditions.conditionPointerNewestRecord).toBeUndefined();
    expect(conditions.specificConditionRecords.filter((c) => c !== null)).toEqual([
      { entryTime: iso(T0 + 30_000), specificConditionType: 3 },
      { entryTime: iso(T0 + 12 * MIN), specificConditionType: 1 },
      { entryTime: iso(T0 + 15 * MIN), specificConditionType: 2 },
    ]);
    expect(conditions.specificConditionRecords.slice(0, 3).every((c) => c !== null)).toBe(true);
    expect(ef(file, FID.CURRENT_USAGE, 'CardCurrentUse')).toMatchObject({ sessionOpenTime: null });
  }, 60_000);
});
