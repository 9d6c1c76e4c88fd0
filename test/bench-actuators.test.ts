import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceKinds } from '../src/devices/index.ts';
import { OperatorPrompt } from '../src/harness/bench/operator-prompt.ts';
import { DeviceRegistry } from '../src/harness/devices/registry.ts';
import { parseRig } from '../src/harness/rig/index.ts';
import { planFromRig } from '../src/harness/rig/plan.ts';
import { Rig, type RigPlan } from '../src/harness/rig/rig-runtime.ts';
import { runScenario, unmetRequirements } from '../src/scenarios/engine/runner.ts';
import { scenarioSchema, type ScenarioInput } from '../src/scenarios/engine/schema.ts';
import { benchRigText, standInRigText } from './fixtures/bench-rigs.ts';

/**
 * Both sides of a bench with actuators, joined over socat pty pairs on the wall clock: the rig's bench actuator
 * drives the stand-in's emulated relay board and lab supply, which are wired to the stand-in's emulated VU; what
 * the actuations did is read back from that VU through its App. 7 download.
 */
const registry = new DeviceRegistry(deviceKinds);
const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0).reverse()) await rig.close();
});

async function standIn(): Promise<{ rig: Rig; paths: { relay: string; psu: string } }> {
  const plan = planFromRig(parseRig(standInRigText({ ide: true }), 'stand-in.yaml', registry), registry);
  const rig = await Rig.start(plan, { start: Date.now() });
  rigs.push(rig);
  const path = (port: string) => rig.openEnds().find((e) => e.device === 'actuator' && e.port === port)!.path;
  return { rig, paths: { relay: path('relay'), psu: path('psu') } };
}

function benchPlan(paths: { relay: string; psu: string }): RigPlan {
  return planFromRig(parseRig(benchRigText(paths), 'bench.yaml', registry), registry);
}

const scenario = (steps: ScenarioInput['steps']) =>
  scenarioSchema.parse({ id: 'bench-actuation', title: 'actuators on a stand-in VU', requires: { mayBeExternal: ['vu', 'relay', 'psu'] }, start: '2026-03-02T08:00:00Z', steps });

const stimulus = (name: string, args: Record<string, unknown> = {}) => ({ do: 'stimulus' as const, device: 'vu', name, args });
const wait = (ms: number) => ({ do: 'wait' as const, for: ms });

describe('bench actuators over pty pairs, against a stand-in VU in the same process', () => {
  it('inserts and withdraws a card through the relay board, cuts and restores the supply through the lab supply, opens the case; the VU records each', async () => {
    const { rig: vuSide, paths } = await standIn();
    const t0 = Date.now();
    const { result, trace } = await runScenario(
      scenario([
        stimulus('insertCard', { slot: 'driver', card: 'anna' }),
        // a VU takes its time to read a card (mutual authentication through APDUs, then the card's EFs); a cut
        // within it would end the insertion before it is one (the relay's confirmation alone took 0.5 s under load)
        wait(2500),
        stimulus('supply', { on: false }),
        // well over the 200 ms of Annex IC 79: the supply's confirmation (SYST:ERR?) can take most of a wait under
        // load, and a cut that came out 260 ms long was once nearly not one
        wait(1200),
        stimulus('supply', { on: true }),
        wait(300),
        stimulus('openCase'),
        stimulus('withdrawCard', { slot: 'driver' }),
        wait(200),
      ]),
      benchPlan(paths),
    );
    expect(result.errors).toEqual([]);
    expect(result.outcome).toBe('pass');
    // the rig's trace: each stimulus as done, by what, after it was confirmed
    const done = trace.filter((e) => e.kind === 'stimulus').map((e) => [e.name, e.via, e.actuator]);
    expect(done).toEqual([
      // before step 0 the bench is reset: every card relay opened, the supply on
      ['bench.reset', 'relay', 'actuator'],
      ['insertCard', 'relay', 'actuator'],
      ['supply', 'psu', 'actuator'],
      ['supply', 'psu', 'actuator'],
      ['openCase', 'relay', 'actuator'],
      ['withdrawCard', 'relay', 'actuator'],
    ]);
    // the bytes on the lines, as the rig sent them and as the supply answered
    const frames = trace.filter((e) => e.kind === 'frame').map((e) => `${e.from} ${e.hex}`);
    expect(frames.filter((f) => f.startsWith('actuator.relay'))).toEqual(['actuator.relay A0 01 00 A1', 'actuator.relay A0 02 00 A2', 'actuator.relay A0 05 00 A5', 'actuator.relay A0 01 01 A2', 'actuator.relay A0 07 01 A8', 'actuator.relay A0 07 00 A7', 'actuator.relay A0 01 00 A1']);
    expect(frames.filter((f) => f.startsWith('psu.host'))).toEqual(Array(3).fill('psu.host 30 2C 22 4E 6F 20 65 72 72 6F 72 22 0A'));

    // the stand-in: its devices applied the stimuli through their wiring, and the VU recorded them
    const records = await vuSide.records('vu');
    const insertion = records.filter((r) => r.kind === 'cardInsertion');
    expect(insertion).toHaveLength(1);
    expect(insertion[0]!.fields).toMatchObject({ slot: 'driver', withdrawn: true, holder: { surname: 'PEETERS', firstNames: 'Anna' } });
    const interruption = records.filter((r) => r.kind === 'event' && r.code === 0x08);
    expect(interruption).toHaveLength(1);
    // TimeReal is whole seconds: the cut of about 1.2 s begins and ends within one second boundary or two; anna was in the slot
    expect(interruption[0]!.end! - interruption[0]!.at!).toBeLessThanOrEqual(2000);
    expect(interruption[0]!.at! + 1000).toBeGreaterThan(t0);
    expect(interruption[0]!.fields).toMatchObject({ cardsAtBegin: { driver: { cardNumber: 'B000000012345601' } }, ongoing: false });
    // nothing else: the insertion and the supply's return raised no other event or fault
    expect(records.filter((r) => r.kind === 'event' || r.kind === 'fault').map((r) => [r.kind, r.code])).toEqual([
      ['event', 0x08],
      ['event', 0x17],
    ]);
    expect(vuSide.errors).toEqual([]);
    expect(vuSide.host.errors).toEqual([]);
  });

  it('fails the step, naming the port, when the lab supply does not answer; a relay command on a cut line is an error too', async () => {
    const { rig: vuSide, paths } = await standIn();
    const plan = benchPlan(paths);
    await vuSide.close(); // the stand-in goes away: socat with it
    rigs.pop();
    const { result } = await runScenario(scenario([stimulus('supply', { on: false })]), plan);
    expect(result.outcome).toBe('error');
    // the bench reset before step 0 is the first to find the supply gone; no step runs on an unknown bench
    expect(result.reason).toBe(
      "the bench could not be reset before step 0: actuator could not apply 'bench.reset' to vu: no answer on actuator.psu within 1000 ms to SYST:ERR? (after *CLS, VOLT 24, OUTP ON): is the supply connected, on, and at the line's speed?",
    );
    expect(result.steps[0]!.outcome).toBe('not-run');
    // the same failures on a step, on a rig that is up (no reset between)
    const rig = await Rig.start(plan, { start: Date.now() });
    rigs.push(rig);
    await expect(rig.actuate('vu', 'supply', { on: false })).rejects.toThrow(
      "actuator could not apply 'supply' to vu: no answer on actuator.psu within 1000 ms to SYST:ERR? (after *CLS, OUTP OFF): is the supply connected, on, and at the line's speed?",
    );
    await expect(rig.actuate('vu', 'insertCard', { slot: 'driver', card: 'anna' })).rejects.toThrow(/^actuator could not apply 'insertCard' to vu: port actuator\.relay is disconnected, the command was lost$/);
  });

  it('asks the operator for what no actuator can do (--yes answers), and skips the scenario when prompts are off', async () => {
    const { paths } = await standIn();
    const plan = benchPlan(paths);
    const steps = [stimulus('selectActivity', { slot: 'driver', activity: 'work' }), stimulus('insertCard', { slot: 'co-driver', card: 'anna' })];
    // neither has an actuator: this bench has no keypad robot, and anna has no relay to the co-driver slot
    expect(unmetRequirements(scenario(steps), plan)).toBe(
      "step 0 (vu: selectActivity {\"slot\":\"driver\",\"activity\":\"work\"}): no actuator of rig bench-actuators can apply stimulus 'selectActivity' to external device 'vu', and operator prompts are off (rig run --prompt, or --yes)",
    );
    // what acts inside the VU nobody can do, not even a person
    expect(unmetRequirements(scenario([stimulus('skewClock', { seconds: 90 })]), plan, { prompts: true })).toMatch(/^step 0 \(vu: skewClock \{"seconds":90\}\): 'skewClock' acts inside the device/);
    expect(unmetRequirements(scenario([stimulus('insertCard', { slot: 'co-driver', card: 'wendy' })]), plan)).toBeUndefined();
    expect(unmetRequirements(scenario(steps), plan, { prompts: true })).toBeUndefined();
    const skipped = await runScenario(scenario(steps), plan);
    expect(skipped.result.outcome).toBe('skipped');

    let said = '';
    const output = new PassThrough();
    output.on('data', (chunk) => (said += String(chunk)));
    const operator = new OperatorPrompt({ input: new PassThrough(), output, interactive: false, yes: true });
    const { result, trace } = await runScenario(scenario(steps), plan, { operator });
    expect(result.outcome).toBe('pass');
    expect(trace.filter((e) => e.kind === 'stimulus').map((e) => [e.name, e.via])).toEqual([
      ['bench.reset', 'relay'],
      ['selectActivity', 'operator'],
      ['insertCard', 'operator'],
    ]);
    expect(said).toBe(
      'On vu, select the activity work for the driver slot: answered by --yes\n' +
        'Insert card anna (driver card B000000012345601, PEETERS Anna) into the co-driver slot of vu: answered by --yes\n',
    );
    // with prompts but nobody to answer them, the step is an error at once
    const nobody = new OperatorPrompt({ input: new PassThrough(), output, interactive: false });
    const unanswered = await runScenario(scenario(steps), plan, { operator: nobody });
    expect(unanswered.result.outcome).toBe('error');
    expect(unanswered.result.steps[0]!.error).toMatch(/^cannot ask the operator to "On vu, select the activity work/);
  });
});
