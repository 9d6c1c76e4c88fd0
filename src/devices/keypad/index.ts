import { assign, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type {
  DeviceKind,
  DeviceStimulusEmitted,
  DeviceStimulusResultEvent,
  PortRefusedEmitted,
  PortRxEvent,
  PortTxEmitted,
  RigCheckIssue,
  RigView,
} from '../../harness/devices/device-kind.ts';
import { stimulusProblem } from '../../harness/devices/stimulus-check.ts';
import {
  KEYPAD_BAUD,
  KEYPAD_MAX_LINE,
  KeypadError,
  decodeKeypadLine,
  encodeKeypadAnswer,
  keypadLineCodec,
  parseKeypadRequest,
  splitLines,
  type KeypadAnswer,
  type KeypadArgs,
} from '../../protocols/bench/index.ts';

/**
 * A keypad robot (protocols/bench/keypad.ts), as a bench has one pressing the buttons of the VU under test
 * through opto-couplers across its keys: the stand-in for it in `rig serve`'s process. The host on `host` asks
 * it to `RUN` one of its macros with arguments; it runs the macro (`macroMs`: the presses and the VU's screens
 * between them), which applies that stimulus to the device it is wired to (`wiring`), the same checked path as
 * a scenario's stimulus (traced with `by`), and answers `OK`, or `ERR` with the VU's reason when the VU did not
 * take it (a refusal, arguments its menu does not offer). It holds one macro per action it lists: a RUN of
 * any other is `ERR no macro for ...`; a RUN while a macro runs is `ERR busy ...`; `ID?` is answered at any
 * time. This models a real robot that holds the DUT model's macros; the rig that drives it (a `bench-actuator`)
 * sees only the line.
 */
export const keypadOptions = z.strictObject({
  wiring: z
    .strictObject({
      device: z.string().describe('the device whose keys it presses: emulated, in this rig (the stand-in VU)'),
      macros: z
        .array(z.string())
        .min(1)
        .describe("the device's stimuli it holds a macro for, by name (its menu actions: pairSensor, coupleGnss, selectActivity, enterPlace, companyLock, calibrate)"),
    })
    .optional()
    .describe("what it is wired to and the macros it holds for that model: required where the robot is emulated (a stand-in), left out where it is external (the rig drives a real one)"),
  macroMs: z
    .number()
    .int()
    .min(0)
    .default(500)
    .describe("how long a macro takes before the stimulus is applied and the robot answers (a real one walks the VU's menu in seconds; the stand-in's is short so scenario timings hardly move)"),
});
export type KeypadOptions = z.output<typeof keypadOptions>;

/** The ID? answer: it says plainly that this is the rig's emulated robot, not the bench's. */
export function keypadIdentity(device: string): string {
  return `tacho-rig,emulated keypad,${device},1.0`;
}

interface Macro {
  id: number;
  action: string;
  args: KeypadArgs;
}

interface KeypadContext {
  /** Bytes of the request line not yet ended by LF. */
  pending: number[];
  /** The macro running, or null. */
  macro: Macro | null;
  nextId: number;
}

type Event = PortRxEvent | DeviceStimulusResultEvent;

export function keypadMachine(device: string, options: KeypadOptions) {
  const wiring = options.wiring;
  if (!wiring) throw new Error(`keypad '${device}' is emulated without wiring: say which device's keys it presses and its macros (options.wiring)`);
  const answer = (a: KeypadAnswer): PortTxEmitted => ({ type: 'port.tx', port: 'host', bytes: encodeKeypadAnswer(a) });
  return setup({
    types: {
      context: {} as KeypadContext,
      events: {} as Event,
      emitted: {} as PortTxEmitted | PortRefusedEmitted | DeviceStimulusEmitted,
    },
    delays: { macro: options.macroMs },
    guards: {
      started: ({ context }) => context.macro !== null,
      ours: ({ context, event }) => event.type === 'device.stimulus.result' && event.id === context.macro?.id,
    },
    actions: {
      /** Every whole line: ID? answered at once; a RUN starts its macro when none runs; anything else is ERR. */
      serve: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx' || event.port !== 'host') return;
        const { pending, lines } = splitLines(context.pending, event.bytes, KEYPAD_MAX_LINE);
        let macro = context.macro;
        let nextId = context.nextId;
        for (const line of lines) {
          let request;
          try {
            request = parseKeypadRequest(decodeKeypadLine(line));
          } catch (error) {
            if (!(error instanceof KeypadError)) throw error;
            enqueue.emit({ type: 'port.refused', port: 'host', code: 'malformed', detail: error.message });
            enqueue.emit(answer({ type: 'err', reason: error.message }));
            continue;
          }
          if (request.type === 'id') enqueue.emit(answer({ type: 'id', identity: keypadIdentity(device) }));
          else if (macro) enqueue.emit(answer({ type: 'err', reason: `busy: running ${macro.action}` }));
          else if (!wiring.macros.includes(request.action)) enqueue.emit(answer({ type: 'err', reason: `no macro for ${request.action} (this robot has ${wiring.macros.join(', ')})` }));
          else macro = { id: nextId++, action: request.action, args: request.args };
        }
        enqueue.assign({ pending, macro, nextId });
      }),
      /** The macro's last key: the wired device takes the entry (or refuses it); the host tells the outcome. */
      apply: enqueueActions(({ context, enqueue }) => {
        const macro = context.macro!;
        enqueue.emit({ type: 'device.stimulus', device: wiring.device, name: macro.action, args: macro.args, reply: macro.id });
      }),
      report: enqueueActions(({ event, enqueue }) => {
        if (event.type !== 'device.stimulus.result') return;
        enqueue.emit(answer(event.ok ? { type: 'ok' } : { type: 'err', reason: event.error ?? 'refused' }));
        enqueue(assign({ macro: null }));
      }),
    },
  }).createMachine({
    id: 'keypad',
    context: { pending: [], macro: null, nextId: 1 },
    initial: 'idle',
    on: { 'port.rx': { actions: 'serve' } },
    states: {
      idle: { always: { guard: 'started', target: 'running' } },
      running: { after: { macro: 'applying' } },
      applying: {
        entry: 'apply',
        on: { 'device.stimulus.result': { guard: 'ours', target: 'idle', actions: 'report' } },
      },
    },
  });
}

/** An emulated robot's wiring must name an emulated device of this rig, and macros for stimuli it has that a hand can do. */
export function keypadWiringIssues(self: { name: string; mode: 'emulated' | 'external'; options: KeypadOptions }, rig: RigView): RigCheckIssue[] {
  if (self.mode === 'external') return [];
  const wiring = self.options.wiring;
  if (!wiring) return [{ path: ['wiring'], message: 'an emulated keypad needs wiring: the device whose keys it presses and its macros, e.g. wiring: { device: vu, macros: [pairSensor, coupleGnss] }' }];
  const wired = rig.device(wiring.device);
  if (!wired) return [{ path: ['wiring', 'device'], message: `no device '${wiring.device}' in this rig; it has: ${rig.deviceNames.join(', ')}` }];
  if (wired.mode === 'external') return [{ path: ['wiring', 'device'], message: `'${wiring.device}' is external: the emulated keypad can press the keys only of a device emulated in this rig` }];
  const issues: RigCheckIssue[] = [];
  for (const [index, macro] of wiring.macros.entries()) {
    const missing = stimulusProblem(rig, wiring.device, macro, undefined);
    const inside = wired.kind?.stimuli[macro]?.emulatedOnly;
    if (missing?.includes('has no stimulus')) issues.push({ path: ['wiring', 'macros', index], message: missing });
    else if (inside) issues.push({ path: ['wiring', 'macros', index], message: `'${macro}' acts inside ${wiring.device} (${inside}): no keys reach it` });
    else if (wiring.macros.indexOf(macro) !== index) issues.push({ path: ['wiring', 'macros', index], message: `a macro for '${macro}' is listed twice` });
  }
  return issues;
}

export const keypadKind: DeviceKind<KeypadOptions> = {
  kind: 'keypad',
  description:
    "an emulated keypad robot (rig-defined lines, 9600 8N1: RUN <action> name=value ... answered OK or ERR <reason>, ID?) on port host; each macro applies that stimulus to the wired device as its menu would take it, and a refusal is ERR with the device's reason (the stand-in for a bench's button robot in `rig serve`)",
  options: keypadOptions,
  ports: { host: { description: "the robot's USB-serial port", baud: KEYPAD_BAUD, codec: keypadLineCodec } },
  machine: ({ name, options }) => ({ machine: keypadMachine(name, options) }),
  stimuli: {},
  actsOn: (options) => (options.wiring ? [options.wiring.device] : []),
  checkRig: keypadWiringIssues,
};
