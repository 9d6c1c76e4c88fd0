import type { DeviceKind, RigCheckIssue, RigView } from '../../harness/devices/device-kind.ts';
import { stimulusProblem } from '../../harness/devices/stimulus-check.ts';
import { KEYPAD_BAUD, LCUS_BAUD, keypadLineCodec, lcusCommandCodec, scpiLineCodec } from '../../protocols/bench/index.ts';
import { performedVia, shortestHold } from './actuation-plan.ts';
import { benchActuatorMachine } from './machine.ts';
import { INSERT_CARD, WITHDRAW_CARD, benchActuatorOptions, type BenchActuatorOptions } from './options.ts';

export { benchActuatorOptions, type BenchActuatorOptions } from './options.ts';
export { planActuation, performedVia, type Actuation, type ActuationOp } from './actuation-plan.ts';
export { benchActuatorMachine } from './machine.ts';

/**
 * Checks the mapping against the target as the rig file declares it: every stimulus it names is one the
 * target has and takes with what the hardware can give ({ on } or nothing); every card is one of the target's
 * cards (its options.cards) and every slot one its insertCard takes; a relay serves one purpose; the ports the
 * mapping uses are linked. A typo is a load error naming it.
 */
export function actuatorMappingIssues(self: { name: string; mode: 'emulated' | 'external'; options: BenchActuatorOptions }, rig: RigView): RigCheckIssue[] {
  // an external actuator is the rig driving a stand-in's bench hardware from another process: nothing to check here
  if (self.mode === 'external') return [];
  const { target, stimuli, cards } = self.options;
  if (target === undefined) return [{ path: ['target'], message: 'an emulated bench-actuator needs a target: the external device it acts on, e.g. target: vu' }];
  const targetDevice = rig.device(target);
  if (!targetDevice) return [{ path: ['target'], message: `no device '${target}' in this rig; it has: ${rig.deviceNames.join(', ') || 'none'}` }];
  const issues: RigCheckIssue[] = [];
  const relayUsers = new Map<number, string>();
  const useRelay = (channel: number, purpose: string, path: (string | number)[]) => {
    const other = relayUsers.get(channel);
    if (other) issues.push({ path, message: `relay ${channel} is already used for ${other}` });
    else relayUsers.set(channel, purpose);
  };
  /** The first place each port is used, where an unlinked port is reported. */
  const ports = new Map<'relay' | 'psu' | 'keypad', (string | number)[]>();
  const usePort = (port: 'relay' | 'psu' | 'keypad', path: (string | number)[]) => ports.has(port) || ports.set(port, path);

  for (const [stimulus, how] of Object.entries(stimuli)) {
    const at = ['stimuli', stimulus];
    if (stimulus === INSERT_CARD || stimulus === WITHDRAW_CARD) {
      issues.push({ path: at, message: `${stimulus} is done by the card switch: list the cards under cards: { <slot>: { <card>: <relay> } }` });
      continue;
    }
    // A stimulus that acts inside the device (its clock, its memory): nothing on a bench reaches it
    const inside = targetDevice.kind?.stimuli[stimulus]?.emulatedOnly;
    const insideIssue = { path: at, message: `'${stimulus}' acts inside ${target} (${inside}): no bench hardware can do it to a real one` };
    if (how.via === 'keypad') {
      // a macro takes the arguments a scenario gives; only the stimulus itself is checked here
      const missing = stimulusProblem(rig, target, stimulus, undefined);
      if (missing?.includes('has no stimulus')) issues.push({ path: at, message: missing });
      else if (inside) issues.push(insideIssue);
      else usePort('keypad', at);
      continue;
    }
    // What the hardware can give: the supply's output or a relay as { on }, a relay also as a momentary contact
    const level = stimulusProblem(rig, target, stimulus, { on: true }) ?? stimulusProblem(rig, target, stimulus, { on: false });
    const momentary = how.via === 'relay' ? stimulusProblem(rig, target, stimulus, {}) : level;
    if (!(level && momentary) && inside) {
      issues.push(insideIssue);
      continue;
    }
    if (level && momentary) {
      if (level.includes('has no stimulus')) issues.push({ path: at, message: level });
      else {
        const can = how.via === 'psu' ? '{ on: true | false } (the output on or off)' : '{ on: true | false } (the relay closed or open) or no arguments (a momentary contact)';
        issues.push({ path: at, message: `a ${how.via} can give '${stimulus}' only ${can}, which ${target} does not take: ${level}` });
      }
      continue;
    }
    usePort(how.via, at);
    if (how.via === 'relay') useRelay(how.channel, stimulus, [...at, 'channel']);
  }

  for (const [slot, byCard] of Object.entries(cards)) {
    const out = stimulusProblem(rig, target, WITHDRAW_CARD, { slot });
    if (out) {
      issues.push({ path: ['cards', slot], message: out });
      continue;
    }
    for (const [card, channel] of Object.entries(byCard)) {
      const problem = stimulusProblem(rig, target, INSERT_CARD, { slot, card });
      if (problem) issues.push({ path: ['cards', slot, card], message: problem });
      else useRelay(channel, `card ${card} in the ${slot} slot`, ['cards', slot, card]);
      usePort('relay', ['cards', slot, card]);
    }
  }

  for (const [port, path] of ports) {
    if (!rig.linked(`${self.name}.${port}`)) issues.push({ path, message: `this uses the ${HARDWARE[port]}, but port ${self.name}.${port} is on no link` });
  }
  return issues;
}

const HARDWARE = { relay: 'relay board', psu: 'lab supply', keypad: 'keypad robot' } as const;

export const benchActuatorKind: DeviceKind<BenchActuatorOptions> = {
  kind: 'bench-actuator',
  description:
    "the rig's bench hardware acting on an external device under test (its target): a scenario's stimulus on the target (supply, insertCard, withdrawCard, openCase, pairSensor, ...) is done with an LCUS USB relay board on port relay, a SCPI lab supply on port psu and a keypad robot (the VU's menu actions as macros) on port keypad, as the mapping says; any port may be unlinked",
  options: benchActuatorOptions,
  ports: {
    relay: { description: 'to an LCUS-type USB relay board (CH340, 9600 8N1)', baud: LCUS_BAUD, codec: lcusCommandCodec },
    psu: { description: "to a lab power supply's SCPI serial port (LF-terminated lines)", baud: 9600, codec: scpiLineCodec },
    keypad: { description: "to a keypad robot that presses the target's buttons, one macro per menu action (rig-defined RUN/OK/ERR lines)", baud: KEYPAD_BAUD, codec: keypadLineCodec },
  },
  machine: ({ name, options }) => ({ machine: benchActuatorMachine(name, options) }),
  stimuli: {},
  actsOn: (options) => (options.target === undefined ? [] : [options.target]),
  checkRig: actuatorMappingIssues,
  actuator: {
    target: (options) => options.target,
    performs: (options, stimulus, args) => performedVia(options, stimulus, args),
    shortestHold: (_options, via) => shortestHold(via),
  },
};
