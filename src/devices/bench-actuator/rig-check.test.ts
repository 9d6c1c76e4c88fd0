import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { parseRig, RigFileError } from '../../harness/rig/index.ts';
import { benchRigText, standInRigText } from '../../../test/fixtures/bench-rigs.ts';
import { deviceKinds } from '../index.ts';

const registry = new DeviceRegistry(deviceKinds);
const PATHS = { relay: '/dev/ttyUSB7', psu: '/dev/ttyUSB8' };

/** The issues a refused rig text yields, as `line: message`. */
function issuesOf(text: string): string[] {
  try {
    parseRig(text, 'bench.yaml', registry);
  } catch (error) {
    if (error instanceof RigFileError) return error.issues.map((i) => `${i.line}: ${i.message}`);
    throw error;
  }
  return [];
}

const VU_STIMULI =
  'supply, insertCard, withdrawCard, pullCard, selectActivity, enterPlace, specificCondition, loadUnload, borderCrossing, coupleGnss, gnssReceiverFault, skewClock, pairSensor, calibrate, cardWriteFailure, companyLock, downloadInterfaceFault, gen1Download, setDrift, damageDataMemory, dataMemoryFault, openCase, sabotageHardware, internalTransferError';
const lineOf = (text: string, fragment: string) => text.split('\n').findIndex((l) => l.includes(fragment)) + 1;

describe('a bench rig with actuators, checked at load', () => {
  it('loads both sides as shipped', () => {
    expect(issuesOf(benchRigText(PATHS))).toEqual([]);
    expect(issuesOf(standInRigText({ ide: true }))).toEqual([]);
  });

  it("refuses a card the target's options.cards does not have, on its line", () => {
    const text = benchRigText(PATHS).replace('driver: { anna: 1, wendy: 2 }', 'driver: { ana: 1, wendy: 2 }');
    expect(issuesOf(text)).toEqual([`${lineOf(text, 'ana: 1')}: device 'vu' does not take stimulus 'insertCard' with {"slot":"driver","card":"ana"}: card: no card 'ana' in vu's options.cards (did you mean 'anna'?); it has: anna, wendy`]);
  });

  it('refuses a stimulus the target does not have, and one it does not take as the hardware gives it', () => {
    const text = benchRigText(PATHS).replace('supply: { via: psu, volts: 24 }', 'suply: { via: psu }\n        skewClock: { via: relay, channel: 3 }');
    const issues = issuesOf(text);
    expect(issues[0]).toBe(`${lineOf(text, 'suply')}: device 'vu' (vu) has no stimulus 'suply'; it has: ${VU_STIMULI}`);
    expect(issues[1]).toMatch(new RegExp(`^${lineOf(text, 'skewClock: {')}: a relay can give 'skewClock' only \\{ on: true \\| false \\} \\(the relay closed or open\\) or no arguments \\(a momentary contact\\), which vu does not take: `));
    expect(issues).toHaveLength(2);
  });

  it('refuses a stimulus that acts inside the target (its clock, its memory), whatever the hardware; a keypad macro only for a stimulus it has', () => {
    const text = benchRigText(PATHS).replace(
      'supply: { via: psu, volts: 24 }',
      'supply: { via: psu, volts: 24 }\n        gnssReceiverFault: { via: relay, channel: 3 }\n        skewClock: { via: keypad }\n        pairSensor: { via: keypad }\n        pairsensor: { via: keypad }',
    );
    expect(issuesOf(text)).toEqual([
      `${lineOf(text, 'gnssReceiverFault')}: 'gnssReceiverFault' acts inside vu (its GNSS receiver's hardware failing): no bench hardware can do it to a real one`,
      `${lineOf(text, 'skewClock')}: 'skewClock' acts inside vu (its internal clock: a real VU's time is set by GNSS or a workshop, and a time conflict is provoked from the GNSS side): no bench hardware can do it to a real one`,
      // the macros go to the keypad robot: its port must be linked
      `${lineOf(text, 'pairSensor: { via: keypad }')}: this uses the keypad robot, but port actuator.keypad is on no link`,
      `${lineOf(text, 'pairsensor')}: device 'vu' (vu) has no stimulus 'pairsensor'; it has: ${VU_STIMULI}`,
    ]);
  });

  it('refuses a target that is not in the rig, a relay used twice, a slot the target has not, insertCard outside cards', () => {
    expect(issuesOf(benchRigText(PATHS).replace('target: vu', 'target: vu2'))).toEqual([`${lineOf(benchRigText(PATHS), 'target: vu')}: no device 'vu2' in this rig; it has: vu, actuator, relay, psu`]);
    const twice = benchRigText(PATHS).replace('co-driver: { wendy: 5 }', 'co-driver: { wendy: 7 }');
    expect(issuesOf(twice)).toEqual([`${lineOf(twice, 'wendy: 7')}: relay 7 is already used for openCase`]);
    const slot = benchRigText(PATHS).replace('co-driver: { wendy: 5 }', 'codriver: { wendy: 5 }');
    expect(issuesOf(slot)[0]).toMatch(new RegExp(`^${lineOf(slot, 'codriver')}: device 'vu' does not take stimulus 'withdrawCard' with \\{"slot":"codriver"\\}: slot: `));
    const misplaced = benchRigText(PATHS).replace('supply: { via: psu, volts: 24 }', 'insertCard: { via: relay, channel: 4 }');
    expect(issuesOf(misplaced)).toEqual([`${lineOf(misplaced, 'insertCard:')}: insertCard is done by the card switch: list the cards under cards: { <slot>: { <card>: <relay> } }`]);
  });

  it('refuses a mapping through a port that is on no link', () => {
    const text = benchRigText(PATHS).replace(/\n {2}- \{ ends: \[actuator\.psu.*\n/, '\n');
    expect(issuesOf(text)).toEqual([`${lineOf(text, 'supply: { via: psu')}: this uses the lab supply, but port actuator.psu is on no link`]);
  });

  it("refuses stand-in wiring to a stimulus or card the wired device does not have, or to an external device", () => {
    const text = standInRigText().replace('card: wendy } }, open: { stimulus: withdrawCard, args: { slot: co-driver } }', 'card: wendi } }, open: { stimulus: withdrawCard, args: { slot: co-driver } }');
    expect(issuesOf(text)).toEqual([`${lineOf(text, 'wendi')}: device 'vu' does not take stimulus 'insertCard' with {"slot":"co-driver","card":"wendi"}: card: no card 'wendi' in vu's options.cards (did you mean 'wendy'?); it has: anna, wendy`]);
    const close = standInRigText().replace('7: { close: { stimulus: openCase } }', '7: { close: { stimulus: opencase } }');
    expect(issuesOf(close)[0]).toMatch(new RegExp(`^${lineOf(close, 'opencase')}: device 'vu' \\(vu\\) has no stimulus 'opencase'`));
    const external = standInRigText().replace('  vu:\n    kind: vu\n', '  vu:\n    kind: vu\n    mode: external\n');
    expect(issuesOf(external)).toEqual([
      `${lineOf(external, '        device: vu')}: 'vu' is external: the emulated relay board can switch only a device emulated in this rig`,
      `${lineOf(external, 'wiring: { device: vu')}: 'vu' is external: the emulated supply can switch only a device emulated in this rig`,
    ]);
  });

  it('needs wiring on an emulated board and supply, a target on an emulated actuator', () => {
    const text = `
clock: wall
devices:
  vu: { kind: vu }
  relay: { kind: relay-board }
  psu: { kind: lab-psu }
  actuator: { kind: bench-actuator }
`;
    expect(issuesOf(text)).toEqual([
      '5: an emulated relay-board needs wiring: the device its relays are wired to, e.g. wiring: { device: vu, channels: { 1: ... } }',
      '6: an emulated lab-psu needs wiring: the device its output feeds, e.g. wiring: { device: vu }',
      '7: an emulated bench-actuator needs a target: the external device it acts on, e.g. target: vu',
    ]);
  });
});
