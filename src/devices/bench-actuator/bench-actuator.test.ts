import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../harness/clock/index.ts';
import type { ActuationDoneEmitted, PortRefusedEmitted, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { benchActuatorMachine, benchActuatorOptions, performedVia, planActuation } from './index.ts';
import { BENCH_RESET } from './actuation-plan.ts';

const options = benchActuatorOptions.parse({
  target: 'vu',
  stimuli: {
    supply: { via: 'psu', volts: 24 },
    openCase: { via: 'relay', channel: 6, pulseMs: 300 },
    gnssReceiverFault: { via: 'relay', channel: 7 },
    pairSensor: { via: 'keypad' },
    selectActivity: { via: 'keypad' },
    calibrate: { via: 'keypad' },
  },
  cards: { driver: { anna: 3, wendy: 4 }, 'co-driver': { bob: 5, wendy: 8 } },
});

describe('what the bench actuator performs, and how', () => {
  it('performs the stimuli of its mapping, with what the hardware can give', () => {
    expect(performedVia(options, 'supply', { on: false })).toBe('psu');
    expect(performedVia(options, 'openCase', {})).toBe('relay');
    expect(performedVia(options, 'gnssReceiverFault', { on: true })).toBe('relay');
    expect(performedVia(options, 'insertCard', { slot: 'driver', card: 'wendy' })).toBe('relay');
    expect(performedVia(options, 'withdrawCard', { slot: 'co-driver' })).toBe('relay');
    expect(performedVia(options, 'pairSensor', {})).toBe('keypad');
    expect(performedVia(options, 'selectActivity', { slot: 'driver', activity: 'work' })).toBe('keypad');
    // not in the mapping, a card it has no relay for, an inline card, arguments the hardware cannot give
    expect(performedVia(options, 'skewClock', { seconds: 90 })).toBeUndefined();
    expect(performedVia(options, 'insertCard', { slot: 'co-driver', card: 'anna' })).toBeUndefined();
    expect(performedVia(options, 'insertCard', { slot: 'driver', card: { type: 'driver' } })).toBeUndefined();
    expect(performedVia(options, 'supply', {})).toBeUndefined();
    expect(performedVia(benchActuatorOptions.parse({ target: 'vu' }), 'withdrawCard', { slot: 'driver' })).toBeUndefined();
  });

  it('plans the supply as *CLS, VOLT, OUTP and a SYST:ERR? confirmation; off without VOLT', () => {
    expect(planActuation(options, {}, 'supply', { on: true })).toEqual({
      via: 'psu',
      ops: [{ do: 'psu', line: '*CLS' }, { do: 'psu', line: 'VOLT 24' }, { do: 'psu', line: 'OUTP ON' }, { do: 'confirm-psu' }],
      summary: '*CLS, VOLT 24, OUTP ON',
    });
    expect(planActuation(options, {}, 'supply', { on: false })).toMatchObject({ ops: [{ do: 'psu', line: '*CLS' }, { do: 'psu', line: 'OUTP OFF' }, { do: 'confirm-psu' }] });
  });

  it('plans a stimulus without arguments as a momentary contact, one with { on } as a contact held', () => {
    expect(planActuation(options, {}, 'openCase', {})).toMatchObject({
      ops: [{ do: 'relay', channel: 6, on: true }, { do: 'wait', ms: 300 }, { do: 'relay', channel: 6, on: false }, { do: 'wait', ms: 20 }],
    });
    expect(planActuation(options, {}, 'gnssReceiverFault', { on: false })).toMatchObject({ ops: [{ do: 'relay', channel: 7, on: false }, { do: 'wait', ms: 20 }] });
  });

  it('plans a menu action as one RUN line to the keypad robot, its arguments as name=value words', () => {
    expect(planActuation(options, {}, 'selectActivity', { slot: 'co-driver', activity: 'availability' })).toEqual({
      via: 'keypad',
      ops: [{ do: 'keypad', line: 'RUN selectActivity slot=co-driver activity=availability' }],
      summary: 'RUN selectActivity slot=co-driver activity=availability',
    });
    expect(planActuation(options, {}, 'pairSensor', {})).toMatchObject({ ops: [{ do: 'keypad', line: 'RUN pairSensor' }] });
    expect(planActuation(options, {}, 'calibrate', { purpose: 'periodic-inspection', tyreSize: '315/80 R22.5' })).toMatchObject({
      ops: [{ do: 'keypad', line: 'RUN calibrate purpose=periodic-inspection tyreSize="315/80 R22.5"' }],
    });
    // arguments that do not fit the robot's line fail the actuation, saying so
    expect(planActuation(options, {}, 'calibrate', { vin: 'x'.repeat(600) })).toEqual({ error: 'RUN calibrate with these arguments is 619 bytes, more than a keypad line\'s 512' });
  });

  it("switches cards: one card per slot; withdraw opens the slot's closed relay", () => {
    expect(planActuation(options, {}, 'insertCard', { slot: 'driver', card: 'anna' })).toMatchObject({ ops: [{ do: 'relay', channel: 3, on: true }, { do: 'wait', ms: 20 }] });
    expect(planActuation(options, { 3: true }, 'insertCard', { slot: 'driver', card: 'wendy' })).toEqual({ error: 'the driver slot already has card anna joined to it (relay 3 closed): withdraw it first' });
    expect(planActuation(options, { 3: true }, 'insertCard', { slot: 'co-driver', card: 'bob' })).toMatchObject({ ops: [{ do: 'relay', channel: 5, on: true }, { do: 'wait', ms: 20 }] });
    expect(planActuation(options, { 4: true }, 'insertCard', { slot: 'co-driver', card: 'wendy' })).toEqual({ error: 'card wendy is joined to the driver slot (relay 4 closed): withdraw it there first' });
    expect(planActuation(options, { 3: false, 4: true }, 'withdrawCard', { slot: 'driver' })).toMatchObject({ ops: [{ do: 'relay', channel: 4, on: false }, { do: 'wait', ms: 20 }], summary: 'open relay 4 (card wendy out of the driver slot)' });
    expect(planActuation(options, {}, 'withdrawCard', { slot: 'driver' })).toEqual({ error: 'no card is joined to the driver slot through the relay board (relays 3, 4 open)' });
  });

  it('resets the bench before a scenario: every card relay opened whatever it believes, then the supply on at its volts', () => {
    const reset = {
      via: 'relay',
      ops: [
        { do: 'relay', channel: 3, on: false },
        { do: 'relay', channel: 4, on: false },
        { do: 'relay', channel: 5, on: false },
        { do: 'relay', channel: 8, on: false },
        { do: 'wait', ms: 20 },
        { do: 'psu', line: '*CLS' },
        { do: 'psu', line: 'VOLT 24' },
        { do: 'psu', line: 'OUTP ON' },
        { do: 'confirm-psu' },
      ],
      summary: 'open relay 3, 4, 5, 8 (every card out), supply on',
    };
    // a fresh actuator knows no closed relay, yet the bench may hold the cards a run before it left in
    expect(planActuation(options, {}, BENCH_RESET, {})).toEqual(reset);
    expect(planActuation(options, { 3: true }, BENCH_RESET, {})).toEqual(reset);
    // a relay in series with the supply is closed; an actuator with nothing to reset has no reset
    expect(planActuation(benchActuatorOptions.parse({ target: 'vu', stimuli: { supply: { via: 'relay', channel: 2 } } }), {}, BENCH_RESET, {})).toEqual({ via: 'relay', ops: [{ do: 'relay', channel: 2, on: true }], summary: 'supply on' });
    expect(planActuation(benchActuatorOptions.parse({ target: 'vu' }), {}, BENCH_RESET, {})).toBeUndefined();
  });
});

/** The actuator machine on a virtual clock, its ports recorded: what it sends, what it reports. */
function actuator(overrides: Record<string, unknown> = {}) {
  const clock = new VirtualClock({ start: Date.parse('2026-03-02T08:00:00Z') });
  const actor = createActor(benchActuatorMachine('actuator', benchActuatorOptions.parse({ ...options, ...overrides })), { clock });
  const sent: string[] = [];
  const done: (ActuationDoneEmitted & { at: number })[] = [];
  const refused: string[] = [];
  actor.on('port.tx', (e: PortTxEmitted) => sent.push(`${e.port} ${e.port === 'relay' ? Buffer.from(e.bytes).toString('hex').toUpperCase() : JSON.stringify(Buffer.from(e.bytes).toString('latin1'))} @${clock.now() - t0}`));
  actor.on('actuation.done', (e: ActuationDoneEmitted) => done.push({ ...e, at: clock.now() - t0 }));
  actor.on('port.refused', (e: PortRefusedEmitted) => refused.push(`${e.code}: ${e.detail}`));
  const t0 = clock.now();
  actor.start();
  let id = 0;
  return {
    clock,
    sent,
    done,
    refused,
    perform: (stimulus: string, args: unknown) => actor.send({ type: 'actuator.perform', id: ++id, stimulus, args }),
    answer: (line: string) => actor.send({ type: 'port.rx', port: 'psu', bytes: Uint8Array.from(Buffer.from(line, 'latin1')) }),
    robot: (line: string) => actor.send({ type: 'port.rx', port: 'keypad', bytes: Uint8Array.from(Buffer.from(line, 'latin1')) }),
  };
}

describe('bench actuator machine', () => {
  it('closes a relay, and is done after its settle time, with the relay port to drain', async () => {
    const a = actuator();
    a.perform('insertCard', { slot: 'driver', card: 'anna' });
    await a.clock.advance(100);
    expect(a.sent).toEqual(['relay A00301A4 @0']);
    expect(a.done).toEqual([{ type: 'actuation.done', id: 1, ok: true, via: 'relay', drain: 'relay', at: 20 }]);
    // and remembers it: the slot is taken until withdrawn
    a.perform('insertCard', { slot: 'driver', card: 'wendy' });
    a.perform('withdrawCard', { slot: 'driver' });
    await a.clock.advance(100);
    expect(a.sent.at(-1)).toBe('relay A00300A3 @100');
    expect(a.done.slice(1).map((d) => [d.id, d.ok, d.error])).toEqual([
      [2, false, 'the driver slot already has card anna joined to it (relay 3 closed): withdraw it first'],
      [3, true, undefined],
    ]);
  });

  it('holds a momentary contact for its pulse, then opens it', async () => {
    const a = actuator();
    a.perform('openCase', {});
    await a.clock.advance(1000);
    expect(a.sent).toEqual(['relay A00601A7 @0', 'relay A00600A6 @300']);
    expect(a.done.map((d) => [d.ok, d.at])).toEqual([[true, 320]]);
  });

  it('switches the supply and is done when SYST:ERR? answers 0,"No error"', async () => {
    const a = actuator();
    a.perform('supply', { on: true });
    await a.clock.advance(5);
    expect(a.sent).toEqual(['psu "*CLS\\n" @0', 'psu "VOLT 24\\n" @0', 'psu "OUTP ON\\n" @0', 'psu "SYST:ERR?\\n" @0']);
    expect(a.done).toEqual([]);
    a.answer('0,"No ');
    a.answer('error"\r\n');
    expect(a.done).toEqual([{ type: 'actuation.done', id: 1, ok: true, via: 'psu', at: 5 }]);
  });

  it('fails with the error the supply reports, naming the commands sent', async () => {
    const a = actuator();
    a.perform('supply', { on: false });
    a.answer('-113,"Undefined header"\n');
    expect(a.done.map((d) => d.error)).toEqual(['the supply on actuator.psu reported -113,"Undefined header" after *CLS, OUTP OFF']);
  });

  it('fails when the supply does not answer within the window, naming the port; later answers are refused as unasked', async () => {
    const a = actuator({ psuAnswerWindowMs: 250 });
    a.perform('supply', { on: false });
    await a.clock.advance(249);
    expect(a.done).toEqual([]);
    await a.clock.advance(1);
    expect(a.done.map((d) => [d.ok, d.at, d.error])).toEqual([
      [false, 250, 'no answer on actuator.psu within 250 ms to SYST:ERR? (after *CLS, OUTP OFF): is the supply connected, on, and at the line\'s speed?'],
    ]);
    a.answer('0,"No error"\n');
    expect(a.refused).toEqual(['unexpected: an answer nobody asked for: "0,\\"No error\\""']);
  });

  it('refuses a second actuation while one is under way, and one it cannot do', async () => {
    const a = actuator();
    a.perform('supply', { on: true });
    a.perform('openCase', {});
    a.perform('skewClock', { seconds: 1 });
    expect(a.done.map((d) => [d.id, d.ok, d.error])).toEqual([
      [2, false, 'actuator is still busy with actuation 1 (*CLS, VOLT 24, OUTP ON)'],
      [3, false, 'actuator is still busy with actuation 1 (*CLS, VOLT 24, OUTP ON)'],
    ]);
    a.answer('0,"No error"\n');
    a.perform('skewClock', { seconds: 1 });
    expect(a.done.at(-1)).toMatchObject({ id: 4, ok: false, error: 'actuator does not perform stimulus \'skewClock\' with {"seconds":1}' });
  });

  it('runs a menu action on the keypad robot, done when it answers OK, whenever that comes within the window', async () => {
    const a = actuator();
    a.perform('selectActivity', { slot: 'driver', activity: 'work' });
    await a.clock.advance(4000);
    expect(a.sent).toEqual(['keypad "RUN selectActivity slot=driver activity=work\\n" @0']);
    expect(a.done).toEqual([]);
    a.robot('O');
    a.robot('K\r\n');
    expect(a.done).toEqual([{ type: 'actuation.done', id: 1, ok: true, via: 'keypad', at: 4000 }]);
  });

  it("fails with the robot's ERR and its reason, naming the line it ran", async () => {
    const a = actuator();
    a.perform('pairSensor', {});
    a.robot("ERR device 'vu' refused stimulus 'pairSensor': not in calibration mode\n");
    expect(a.done.map((d) => [d.ok, d.via, d.error])).toEqual([
      [false, 'keypad', "the keypad robot on actuator.keypad answered ERR device 'vu' refused stimulus 'pairSensor': not in calibration mode to RUN pairSensor"],
    ]);
  });

  it('fails when the robot stays silent for the window; a late answer, or a line that is no answer, is refused in the trace', async () => {
    const a = actuator({ keypadAnswerWindowMs: 2000 });
    a.perform('pairSensor', {});
    await a.clock.advance(1999);
    a.robot('HELLO\n');
    expect(a.done).toEqual([]);
    await a.clock.advance(1);
    expect(a.done.map((d) => [d.ok, d.at, d.error])).toEqual([
      [false, 2000, "no answer on actuator.keypad within 2000 ms to RUN pairSensor: is the keypad robot connected, on, at the line's speed, and does its macro end with OK or ERR?"],
    ]);
    a.robot('OK\n');
    expect(a.refused).toEqual(['malformed: not an answer of the keypad robot: "HELLO" (OK, ERR <reason> or ID <identity>)', 'unexpected: an answer nobody asked for: {"type":"ok"}']);
  });
});
