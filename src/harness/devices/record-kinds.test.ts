import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { beaconLoggerPlan } from '../../../test/fixtures/plans.ts';
import { loggerKind } from '../../../test/fixtures/devices/logger.ts';
import { scenario } from '../../scenarios/engine/builder.ts';
import { runScenario } from '../../scenarios/engine/runner.ts';
import { freeCode, namedCodes, noCode, numberedCodes, recordProblems, type RecordKinds } from './record-kinds.ts';
import { DeviceRegistry } from './registry.ts';

const kinds: RecordKinds = {
  event: {
    description: 'an event',
    code: numberedCodes([{ value: 0x07, name: 'over speeding' }], { hex: true }),
    time: 'span',
    fields: z.strictObject({ ongoing: z.boolean(), maxSpeed: z.number().optional() }),
    fieldsOf: (code) => (code === 0x07 ? z.strictObject({ ongoing: z.boolean(), maxSpeed: z.number().optional() }) : z.strictObject({ ongoing: z.boolean() })),
  },
  status: { description: 'a status', code: namedCodes(['ok', 'bad']), time: 'instant', fields: z.strictObject({}) },
  identity: { description: 'who', code: freeCode(z.string(), 'the serial number'), time: 'none', fields: z.strictObject({ maker: z.string() }) },
  tick: { description: 'a tick', code: noCode, time: 'instant', fields: z.strictObject({}) },
};

describe('a record checked against its kind declaration', () => {
  it('fits', () => {
    expect(recordProblems(kinds, { kind: 'event', code: 7, at: 1, end: 2, fields: { ongoing: false, maxSpeed: 100 } })).toEqual([]);
    expect(recordProblems(kinds, { kind: 'event', code: 7, at: 1, fields: { ongoing: true } })).toEqual([]);
    expect(recordProblems(kinds, { kind: 'identity', code: 'S1', fields: { maker: 'x' } })).toEqual([]);
    expect(recordProblems(kinds, { kind: 'tick', at: 5 })).toEqual([]);
  });

  it('names every way it does not', () => {
    expect(recordProblems(kinds, { kind: 'evnet', at: 1 })).toEqual(["record kind 'evnet' is not declared (declared: event, status, identity, tick)"]);
    expect(recordProblems(kinds, { kind: 'event', code: 8, at: 1, fields: { ongoing: true } })).toEqual(["code 8 is not one of the kind's codes"]);
    expect(recordProblems(kinds, { kind: 'status', code: 'fine', at: 1 })).toEqual(['code "fine" is not one of the kind\'s codes']);
    expect(recordProblems(kinds, { kind: 'identity', code: 5, fields: { maker: 'x' } })).toEqual(['code 5: expected string, received number']);
    expect(recordProblems(kinds, { kind: 'tick', code: 1, at: 5 })).toEqual(['code 1: the kind has no code']);
    expect(recordProblems(kinds, { kind: 'identity', code: 'S1', at: 5, fields: { maker: 'x' } })).toEqual(['at/end: the kind has no time']);
    expect(recordProblems(kinds, { kind: 'status', code: 'ok', at: 1, end: 2 })).toEqual(['end: the kind is an instant']);
    expect(recordProblems(kinds, { kind: 'tick' })).toEqual(['at undefined is not a time (ms)']);
    // the code decides the fields: maxSpeed is not a field of this code, an undeclared field is drift
    expect(recordProblems(kinds, { kind: 'event', code: 7, at: 1, fields: { ongoing: true, colour: 'red' } })).toEqual(['fields: Unrecognized key: "colour"']);
    expect(recordProblems(kinds, { kind: 'event', code: 7, at: 1, fields: { ongoing: 'yes' } })).toEqual(['fields.ongoing: expected boolean, received string']);
    expect(recordProblems(kinds, { kind: 'tick', at: 1, extra: true } as never)).toEqual(['keys extra are not part of a record']);
  });
});

describe('the record kind contract', () => {
  it('is required of a kind with a record source', () => {
    const { recordKinds: _, ...undeclared } = loggerKind;
    expect(() => new DeviceRegistry([undeclared])).toThrow("device kind 'test-logger' has a record source but declares no recordKinds");
  });

  it('is held against what the source returns: a record the declaration lacks makes the run an error, not a pass', async () => {
    const plan = beaconLoggerPlan();
    const { frame: _, ...withoutFrames } = loggerKind.recordKinds!;
    const drifted = { ...plan, devices: plan.devices.map((d) => (d.name === 'logger' ? { ...d, kind: { ...loggerKind, recordKinds: withoutFrames } } : d)) };
    const s = scenario('drift')
      .emulated('beacon', 'logger')
      .start('2026-01-01T08:00:00Z')
      .stimulus('beacon', 'start', { periodMs: 1000 })
      .wait('1500ms')
      .expect((e) => e.absent({ device: 'logger', kind: 'event' }))
      .build();
    expect((await runScenario(s, plan)).result.outcome).toBe('pass');
    const { result } = await runScenario(s, drifted);
    expect(result.outcome).toBe('error');
    expect(result.reason).toBe(
      "the expectations could not be read: device 'logger' (test-logger) returned records its kind does not declare: frame 0x00 at 2026-01-01T08:00:00.004Z: record kind 'frame' is not declared (declared: error, event); frame 0x01 at 2026-01-01T08:00:01.004Z: record kind 'frame' is not declared (declared: error, event)",
    );
  });
});
