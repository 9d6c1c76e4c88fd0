import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceKinds } from '../src/devices/index.ts';
import { currentActivity } from '../src/devices/vu/activities/driver-activities.ts';
import { DeviceRegistry } from '../src/harness/devices/registry.ts';
import { parseRig } from '../src/harness/rig/index.ts';
import { planFromRig } from '../src/harness/rig/plan.ts';
import { Rig, type RigPlan } from '../src/harness/rig/rig-runtime.ts';
import { runScenario, unmetRequirements } from '../src/scenarios/engine/runner.ts';
import { scenarioSchema, type ScenarioInput } from '../src/scenarios/engine/schema.ts';
import { KEYPAD_ACTIONS, benchRigText, standInRigText } from './fixtures/bench-rigs.ts';

/**
 * The keypad robot, both sides joined over socat pty pairs on the wall clock: the rig's bench actuator sends the
 * VU's menu actions as RUN lines to the stand-in's emulated robot, which is wired to the stand-in's emulated VU;
 * what the macros did is read back from that VU through its App. 7 download. Then the robot to an outside
 * client (Python over termios, from the protocol as the README states it).
 */
const registry = new DeviceRegistry(deviceKinds);
const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0).reverse()) await rig.close();
});

type Paths = { relay: string; psu: string; keypad: string };

async function standIn(macros: readonly string[] = KEYPAD_ACTIONS): Promise<{ rig: Rig; paths: Paths }> {
  const plan = planFromRig(parseRig(standInRigText({ ide: true, keypad: macros }), 'stand-in.yaml', registry), registry);
  const rig = await Rig.start(plan, { start: Date.now() });
  rigs.push(rig);
  const path = (port: string) => rig.openEnds().find((e) => e.device === 'actuator' && e.port === port)!.path;
  return { rig, paths: { relay: path('relay'), psu: path('psu'), keypad: path('keypad') } };
}

function benchPlan(paths: Paths, options = ''): RigPlan {
  return planFromRig(parseRig(benchRigText(paths).replace('      target: vu\n', `      target: vu\n${options}`), 'bench.yaml', registry), registry);
}

const scenario = (steps: ScenarioInput['steps']) =>
  scenarioSchema.parse({ id: 'bench-keypad', title: 'menu actions on a stand-in VU', requires: { mayBeExternal: ['vu', 'relay', 'psu', 'keypad'] }, start: '2026-03-02T08:00:00Z', steps });

const stimulus = (name: string, args: Record<string, unknown> = {}) => ({ do: 'stimulus' as const, device: 'vu', name, args });
const wait = (ms: number) => ({ do: 'wait' as const, for: ms });

describe('the keypad robot over pty pairs, against a stand-in VU in the same process', () => {
  it("runs the driver's menu actions as the robot's macros; the VU records each", async () => {
    const { rig: vuSide, paths } = await standIn();
    const { result, trace } = await runScenario(
      scenario([
        stimulus('insertCard', { slot: 'driver', card: 'anna' }),
        wait(300),
        stimulus('enterPlace', { slot: 'driver', type: 'begin', country: 'E', region: 'CAT' }),
        stimulus('selectActivity', { slot: 'driver', activity: 'availability' }),
        wait(300),
      ]),
      benchPlan(paths),
    );
    expect(result.errors).toEqual([]);
    expect(result.outcome).toBe('pass');
    // the rig's trace: each stimulus done, by what; the lines on the robot's port, both ways
    expect(trace.filter((e) => e.kind === 'stimulus').map((e) => [e.name, e.via, e.actuator])).toEqual([
      ['bench.reset', 'relay', 'actuator'],
      ['insertCard', 'relay', 'actuator'],
      ['enterPlace', 'keypad', 'actuator'],
      ['selectActivity', 'keypad', 'actuator'],
    ]);
    const frames = trace.filter((e) => e.kind === 'frame').map((e) => `${e.from} ${e.hex}`);
    const ascii = (text: string) => [...Buffer.from(`${text}\n`, 'latin1')].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    expect(frames.filter((f) => f.startsWith('actuator.keypad'))).toEqual([
      `actuator.keypad ${ascii('RUN enterPlace slot=driver type=begin country=E region=CAT')}`,
      `actuator.keypad ${ascii('RUN selectActivity slot=driver activity=availability')}`,
    ]);
    expect(frames.filter((f) => f.startsWith('keypad.host'))).toEqual([`keypad.host ${ascii('OK')}`, `keypad.host ${ascii('OK')}`]);

    // the stand-in: its robot applied the stimuli (traced with by: keypad), and the VU recorded them
    const applied = (vuSide.trace.entries as unknown as readonly Record<string, unknown>[]).filter((e) => e.kind === 'stimulus').map((e) => [e.by, e.name, e.args]);
    expect(applied).toEqual([
      ['relay', 'insertCard', { slot: 'driver', card: 'anna' }],
      ['keypad', 'enterPlace', { slot: 'driver', type: 'begin', country: 'E', region: 'CAT' }],
      ['keypad', 'selectActivity', { slot: 'driver', activity: 'availability' }],
    ]);
    const records = await vuSide.records('vu');
    const places = records.filter((r) => r.kind === 'place');
    expect(places.map((r) => [r.code, r.fields?.country, r.fields?.region, (r.fields?.card as { cardNumber?: string } | undefined)?.cardNumber])).toEqual([[0, 'E', 'CAT', 'B000000012345601']]);
    // the activity of a minute is recorded once the minute is over (Annex IC 46-52): the VU's current one is availability
    const activities = (vuSide.actor('vu')!.getSnapshot() as { context: { activities: Parameters<typeof currentActivity>[0] } }).context.activities;
    expect(currentActivity(activities, 'driver')).toBe('availability');
    expect(vuSide.errors).toEqual([]);
    expect(vuSide.host.errors).toEqual([]);
  });

  it("fails the step with the robot's ERR; with the robot silent, naming the port and the line", async () => {
    const { paths } = await standIn(['pairSensor', 'coupleGnss']);
    const plan = benchPlan(paths, '      keypadAnswerWindowMs: 1500\n');
    const refused = await runScenario(scenario([stimulus('companyLock', { action: 'in' })]), plan);
    expect(refused.result.outcome).toBe('error');
    expect(refused.result.steps[0]!.error).toBe(
      "actuator could not apply 'companyLock' to vu: the keypad robot on actuator.keypad answered ERR no macro for companyLock (this robot has pairSensor, coupleGnss) to RUN companyLock action=in",
    );
    await rigs.pop()!.close(); // the stand-in goes away, its robot with it
    // a scenario now stops at the bench reset before step 0 (the supply is gone too); the robot's silence on a step
    const silent = await runScenario(scenario([stimulus('pairSensor')]), plan);
    expect(silent.result.reason).toMatch(/^the bench could not be reset before step 0: actuator could not apply 'bench\.reset' to vu: no answer on actuator\.psu/);
    const rig = await Rig.start(plan, { start: Date.now() });
    rigs.push(rig);
    await expect(rig.actuate('vu', 'pairSensor', {})).rejects.toThrow(
      "actuator could not apply 'pairSensor' to vu: no answer on actuator.keypad within 1500 ms to RUN pairSensor: is the keypad robot connected, on, at the line's speed, and does its macro end with OK or ERR?",
    );
  });

  it('lets a bench with the robot run menu actions without prompts; without it, or for what acts inside the VU, it cannot', async () => {
    const { paths } = await standIn();
    const withRobot = benchPlan(paths);
    const withoutRobot = planFromRig(parseRig(benchRigText({ relay: paths.relay, psu: paths.psu }), 'bench.yaml', registry), registry);
    const menu = scenario([stimulus('insertCard', { slot: 'driver', card: 'wendy' }), stimulus('pairSensor'), stimulus('calibrate', { authorisedSpeedKmh: 85 })]);
    expect(unmetRequirements(menu, withRobot)).toBeUndefined();
    expect(unmetRequirements(menu, withoutRobot)).toBe(
      "step 1 (vu: pairSensor): no actuator of rig bench-actuators can apply stimulus 'pairSensor' to external device 'vu', and operator prompts are off (rig run --prompt, or --yes)",
    );
    expect(unmetRequirements(menu, withoutRobot, { prompts: true })).toBeUndefined();
    // the VU's clock is out of reach of any robot or person, prompts or not
    const skew = scenario([stimulus('skewClock', { seconds: 90 })]);
    for (const plan of [withRobot, withoutRobot]) {
      expect(unmetRequirements(skew, plan, { prompts: true })).toBe(
        "step 0 (vu: skewClock {\"seconds\":90}): 'skewClock' acts inside the device (its internal clock: a real VU's time is set by GNSS or a workshop, and a time conflict is provoked from the GNSS side), which neither an actuator nor a person can do to the real 'vu' of rig bench-actuators",
      );
    }
  });
});

describe('the emulated keypad robot, to an outside client', () => {
  it('answers a Python client over termios as the protocol says, and applies its macros to the VU', async () => {
    const plan = planFromRig(parseRig(standInRigText({ keypad: ['selectActivity', 'enterPlace'] }), 'stand-in.yaml', registry), registry);
    const rig = await Rig.start(plan, { start: Date.now() });
    rigs.push(rig);
    rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
    const path = rig.openEnds().find((e) => e.port === 'keypad')!.path;
    const client = spawn('python3', ['test/fixtures/keypad-client.py', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    client.stdout!.on('data', (chunk) => (stdout += String(chunk)));
    client.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    const [code] = await once(client, 'exit');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect((JSON.parse(stdout) as unknown[]).length).toBe(6);
    // what the robot applied: the macros that ran; the refused activity traced as not applied, no run error
    const entries = rig.trace.entries as unknown as readonly Record<string, unknown>[];
    expect(entries.filter((e) => e.kind === 'stimulus' && e.by === 'keypad').map((e) => [e.name, e.args])).toEqual([
      ['selectActivity', { slot: 'driver', activity: 'work' }],
      ['enterPlace', { slot: 'driver', type: 'end', country: 'NL' }],
    ]);
    expect(entries.filter((e) => e.kind === 'note' && String(e.message).startsWith('keypad:')).map((e) => e.message)).toEqual([
      "keypad: stimulus 'selectActivity' on 'vu' not applied: device 'vu' does not take stimulus 'selectActivity' with {\"slot\":\"driver\",\"activity\":\"driving\"}: activity: Invalid option: expected one of \"break-rest\"|\"availability\"|\"work\"",
    ]);
    expect(rig.host.errors).toEqual([]);
  });
});
