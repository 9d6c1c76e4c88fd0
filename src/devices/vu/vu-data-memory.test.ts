import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../harness/clock/index.ts';
import { Rig } from '../../harness/rig/rig-runtime.ts';
import { anna, wendy } from '../cards/test-cards.ts';
import { damagePart } from './data-memory/damage.ts';
import { encodeDataMemory, loadDataMemorySync } from './data-memory/persistence.ts';
import { recordsFromDownload } from './download-records.ts';
import { vuStimuli } from './stimuli.ts';
import { dataMemoryOf, DAMAGEABLE_PARTS, detachOngoingEvents, type VuDataMemory } from './vu-data-memory.ts';
import { createVuMachine, type VuContext } from './vu-machine.ts';
import { vuOptionsSchema } from './vu-options.ts';
import { eventRecords } from './vu-records.ts';
import { vuStorageKey } from './vu-storage-key.ts';
import { downloadOnRigClock, vuWithIdePlan } from './vu-test-rig.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const DAY = Date.UTC(2026, 2, 2) / 1000;
const s = (ms: number) => Math.floor(ms / 1000);

/** A VU on its own: pulses as big-endian pairs (k = 8000), records read in-process. */
function startVu(options: Record<string, unknown> = {}, start = T0) {
  const clock = new VirtualClock({ start });
  const actor = createActor(
    createVuMachine(clock, vuOptionsSchema.parse(options), (held, bytes) => {
      const all = [...held, ...bytes];
      let pulses = 0;
      let i = 0;
      for (; i + 1 < all.length; i += 2) pulses += (all[i]! << 8) | all[i + 1]!;
      return { pulses, held: all.slice(i) };
    }),
    { clock },
  );
  actor.subscribe({ error: () => undefined }); // a test that makes the VU fail reads the error off its snapshot
  actor.start();
  const drive = async (kmh: number, seconds: number) => {
    const pulses = Math.round((kmh * 8000) / 3600);
    for (let i = 0; i < seconds; i++) {
      await clock.advance(500);
      actor.send({ type: 'port.rx', port: 'pulses', bytes: Uint8Array.of(pulses >> 8, pulses & 0xff) });
      await clock.advance(500);
    }
  };
  const context = () => actor.getSnapshot().context as VuContext;
  const records = () => eventRecords(context().events, s(clock.now()));
  const codes = () => records().map((r) => [r.code, r.at! - T0, r.end === undefined ? 'ongoing' : r.end - T0]);
  const supply = (on: boolean) => actor.send({ type: 'vu.supply', on });
  return { clock, actor, drive, context, records, codes, supply };
}

describe('stored user data integrity (0x15): a damaged part is found, reset and recorded; the rest is kept', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('finds a part damaged between two runs, and the download gives 0x15 and the intact data (App. 7)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vu-integrity-'));
    const file = join(dir, 'vu.dm');
    const options = { dataMemoryFile: file, calibration: { authorisedSpeedKmh: 90 } };
    const first = await Rig.start(vuWithIdePlan('vu-integrity', options, 10), { start: T0 });
    first.host.stimulate('vu', 'insertCard', { slot: 'driver', card: anna });
    first.host.stimulate('vu', 'enterPlace', { slot: 'driver', type: 'begin', country: 'B' });
    first.worldAction('speed', { kmh: 100 });
    await first.clock.advance(120_000);
    first.worldAction('stop', {});
    await first.clock.advance(600_000);
    await first.close();
    const key = vuStorageKey(vuOptionsSchema.parse(options));
    expect(loadDataMemorySync(file, key).damaged).toEqual([]);

    // while the rig is down, one bit of the stored places goes bad
    writeFileSync(file, damagePart(readFileSync(file), 'places'));
    expect(loadDataMemorySync(file, key).damaged).toEqual([{ part: 'places', problem: 'fails its MAC check (changed, or written under another VU key)' }]);

    const restart = T0 + 3_600_000;
    const second = await Rig.start(vuWithIdePlan('vu-integrity', options, 10), { start: restart });
    try {
      const records = recordsFromDownload(await downloadOnRigClock(second, [{ trtp: 0x22, date: DAY }, { trtp: 0x23 }]));
      const events = records.filter((r) => r.kind === 'event' || r.kind === 'fault').map((r) => [r.kind, r.code, r.at, r.end]);
      expect(events).toEqual([
        ['event', 0x07, T0 + 1000, T0 + 120_000], // the event memory is intact
        ['event', 0x15, restart, restart], // found at the restart
      ]);
      expect(records.filter((r) => r.kind === 'place')).toEqual([]); // the damaged part, reset
      expect(records.filter((r) => r.kind === 'cardInsertion').map((r) => [r.code, r.at])).toEqual([['B000000012345601', T0]]); // the slots are intact
    } finally {
      await second.close();
    }
    // the VU saved its memory again: whole, without the places
    const saved = loadDataMemorySync(file, key);
    expect(saved.damaged).toEqual([]);
    expect(saved.memory['places']).toEqual({ records: [], refusals: [] });
  });

  it('checks at power-up what it stored as the supply went, without a file too', async () => {
    const vu = startVu();
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
    vu.actor.send({ type: 'vu.enterPlace', slot: 'driver', entry: { type: 'begin', country: 0x06, region: 0 } });
    await vu.clock.advance(60_000);
    const before = vu.context();
    vu.supply(false);
    vu.actor.send({ type: 'vu.damageDataMemory', part: 'places' });
    await vu.clock.advance(60_000);
    vu.supply(true);
    const after = vu.context();
    expect(after.places).toEqual({ records: [], refusals: [] });
    expect(after.slots).toEqual(before.slots);
    expect(after.activities).toEqual(before.activities);
    // 0x15 at power-up, then the interruption it came back from (records in the order they were made)
    expect(vu.codes()).toEqual([
      [0x15, 120_000, 120_000],
      [0x08, 60_000, 120_000],
    ]);
    expect(vu.records().find((r) => r.code === 0x15)!.fields).toMatchObject({ purposes: [0x00], cardsAtBegin: { driver: { cardNumber: 'B000000012345601' } } });
    // an undamaged power cycle finds nothing
    vu.supply(false);
    await vu.clock.advance(60_000);
    vu.supply(true);
    expect(vu.codes().filter(([code]) => code === 0x15)).toHaveLength(1);
  });

  it('resets the specific conditions when their part is damaged (0x15): the entries and the open OUT OF SCOPE lost, the rest kept', async () => {
    // a part the damageDataMemory stimulus offers to scenarios
    expect(vuStimuli['damageDataMemory']!.args.safeParse({ part: 'specificConditions' }).success).toBe(true);
    for (const damaged of [false, true]) {
      const vu = startVu();
      vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
      await vu.clock.advance(60_000);
      vu.actor.send({ type: 'vu.specificCondition', condition: 'out-of-scope-begin' });
      await vu.clock.advance(60_000);
      const before = vu.context();
      expect(before.specificConditions).toMatchObject({ records: [{ entryTime: T0 + 60_000, type: 1 }], outOfScope: true });
      vu.supply(false);
      if (damaged) vu.actor.send({ type: 'vu.damageDataMemory', part: 'specificConditions' });
      await vu.clock.advance(60_000);
      vu.supply(true);
      const after = vu.context();
      expect([after.slots, after.activities, after.places]).toEqual([before.slots, before.activities, before.places]);
      if (!damaged) {
        // positive control: an undamaged power cycle keeps them
        expect(after.specificConditions).toEqual(before.specificConditions);
        expect(vu.codes()).toEqual([[0x08, 120_000, 180_000]]);
        continue;
      }
      // what a new VU holds: no entries, not out of scope, no crossing open (Annex IC 85: 0x15 at power-up)
      expect(after.specificConditions).toEqual({ records: [], refusals: [], outOfScope: false, ferryTrain: null });
      expect(vu.codes()).toEqual([
        [0x15, 180_000, 180_000],
        [0x08, 120_000, 180_000],
      ]);
      // the OUT OF SCOPE is no longer open: its end is refused as an end of a condition not open
      vu.actor.send({ type: 'vu.specificCondition', condition: 'out-of-scope-end' });
      expect(vu.context().specificConditions.records).toEqual([]);
      expect(vu.context().specificConditions.refusals.map((r) => [r.condition, r.reason])).toEqual([['out-of-scope-end', 'not-open']]);
    }
  });

  it('lets go of on-going events when the event memory itself is lost, and carries on', async () => {
    const vu = startVu();
    await vu.drive(50, 10); // driving without a card: 0x04 on-going
    expect(vu.codes()).toEqual([[0x04, 1000, 'ongoing']]);
    vu.supply(false);
    vu.actor.send({ type: 'vu.damageDataMemory', part: 'events' });
    await vu.clock.advance(10_000);
    vu.supply(true);
    expect(vu.context().slots.noCardEvent).toBeNull();
    await vu.drive(50, 5); // the condition still holds: a new 0x04 from the first second after power-up
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
    await vu.drive(50, 2);
    expect(vu.actor.getSnapshot().status).toBe('active');
    expect(vu.codes()).toEqual([
      [0x15, 20_000, 20_000],
      [0x08, 10_000, 20_000],
      [0x04, 21_000, 25_000],
      [0x05, 25_000, 25_000],
    ]);
  });

  it('records no 0x15 in calibration mode, but still resets the damaged part', async () => {
    const vu = startVu();
    vu.actor.send({ type: 'vu.insertCard', slot: 'driver', card: wendy });
    vu.actor.send({ type: 'vu.enterPlace', slot: 'driver', entry: { type: 'begin', country: 0x06, region: 0 } });
    vu.supply(false);
    vu.actor.send({ type: 'vu.damageDataMemory', part: 'places' });
    await vu.clock.advance(60_000);
    vu.supply(true);
    expect(vu.context().places.records).toEqual([]);
    expect(vu.codes()).toEqual([]); // neither 0x15 (Annex IC 85) nor 0x08 (Annex IC 79)
  });

  it('refuses damage while powered, and a stored copy that is not a data memory at all', async () => {
    const vu = startVu();
    vu.actor.send({ type: 'vu.damageDataMemory', part: 'places' });
    expect(vu.actor.getSnapshot().status).toBe('error');
    expect(String(vu.actor.getSnapshot().error)).toContain('damageDataMemory acts on the memory the VU checks at power-up: cut its supply first');

    dir = mkdtempSync(join(tmpdir(), 'vu-integrity-'));
    const file = join(dir, 'vu.dm');
    const withFile = startVu({ dataMemoryFile: file });
    withFile.supply(false);
    writeFileSync(file, 'not a data memory');
    withFile.supply(true);
    expect(String(withFile.actor.getSnapshot().error)).toContain(`VU data memory file ${file}: corrupt: no header line: not a VU data memory file`);
  });

  it('refuses to start on a file of another format version, naming it', () => {
    dir = mkdtempSync(join(tmpdir(), 'vu-integrity-'));
    const file = join(dir, 'vu.dm');
    writeFileSync(file, '{"bytes":3,"format":"tacho-rig/vu-data-memory","sha256":"00","version":1}\n{}\n');
    expect(() => startVu({ dataMemoryFile: file })).toThrow(`VU data memory file ${file}: unsupported-version: format version 1; this rig reads version 2`);
  });

  it("resets every part of another VU's file (another key) and records 0x15", () => {
    dir = mkdtempSync(join(tmpdir(), 'vu-integrity-'));
    const file = join(dir, 'vu.dm');
    const other = startVu({ identification: { serialNumber: { serialNumber: 2, monthYear: '0126', manufacturerCode: 0x40 } } });
    other.actor.send({ type: 'vu.insertCard', slot: 'driver', card: anna });
    const otherKey = vuStorageKey(vuOptionsSchema.parse({ identification: { serialNumber: { serialNumber: 2, monthYear: '0126', manufacturerCode: 0x40 } } }));
    writeFileSync(file, encodeDataMemory(dataMemoryOf(other.context()), otherKey));
    const vu = startVu({ dataMemoryFile: file }, T0 + 60_000);
    expect(vu.context().slots.driver).toBeNull();
    expect(vu.codes()).toEqual([[0x15, 60_000, 60_000]]);
  });

  it('offers every part it names to the damage stimulus, and only parts of the memory', () => {
    const memory: VuDataMemory = dataMemoryOf(startVu().context());
    for (const part of DAMAGEABLE_PARTS) expect(part in memory).toBe(true);
    expect(vuStimuli['damageDataMemory']!.args.safeParse({ part: 'places' }).success).toBe(true);
    expect(vuStimuli['damageDataMemory']!.args.safeParse({ part: 'plaices' }).success).toBe(false);
  });
});

describe('detachOngoingEvents', () => {
  it('lets go of every id of an on-going event the context holds (a new holder must be listed there)', () => {
    const { context, actor } = startVu();
    // Every key that holds an event id is named ...Event, or is one of the sensor watch's condition slots.
    const holder = /Event$|^(motionDataError|authFailure|sensorChanged|sensorFault)$/;
    const set = (value: unknown): unknown => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, holder.test(k) && v === null ? 7 : set(v)]));
    };
    const held = (value: unknown, path: string): string[] => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
      return Object.entries(value).flatMap(([k, v]) => (holder.test(k) && typeof v === 'number' ? [`${path}${k}`] : held(v, `${path}${k}.`)));
    };
    const { events: _e, options: _o, ...rest } = context();
    const all = set(rest) as VuContext;
    expect(held(all, '').length).toBeGreaterThan(10); // the positive control: the holders were found and set
    expect(held(detachOngoingEvents({ ...all, events: context().events, options: context().options }), '')).toEqual([]);
    actor.stop();
  });
});
