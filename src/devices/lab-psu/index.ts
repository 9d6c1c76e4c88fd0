import { assign, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { DeviceKind, DeviceStimulusEmitted, PortRefusedEmitted, PortRxEvent, PortTxEmitted, RigCheckIssue, RigView } from '../../harness/devices/device-kind.ts';
import { stimulusProblem } from '../../harness/devices/stimulus-check.ts';
import { SCPI_ERROR, SCPI_MAX_LINE, SCPI_TERMINATOR, decodeScpiLine, encodeScpiLine, scpiLineCodec, splitLines } from '../../protocols/bench/index.ts';
import { executePsuLine, initialPsuState, withError, type PsuSettings, type PsuState } from './psu-commands.ts';

/**
 * A lab power supply under SCPI control on a serial line, as a bench has one feeding the device under test:
 * the stand-in for it in `rig serve`'s process. What a host sends on `host` it answers as the instrument would
 * (psu-commands.ts); its output is wired to a device of the same rig, so switching the output on or off applies
 * that device's supply stimulus (`wiring`), as the supply leads on a bench do. This models the bench's wiring:
 * the rig that drives it (a `bench-actuator`) sees only the SCPI line.
 */
export const labPsuOptions = z.strictObject({
  wiring: z
    .strictObject({
      device: z.string().describe('the device its output feeds: emulated, in this rig (the stand-in VU)'),
      stimulus: z.string().default('supply').describe("the device's stimulus the output drives: { on: true } as it comes on, { on: false } as it goes off"),
    })
    .optional()
    .describe("what the output is wired to, modelling the bench's supply leads: required where the supply is emulated (a stand-in), left out where it is external (the rig drives a real one)"),
  output: z.enum(['on', 'off']).default('on').describe('the output at start: say what the wired device starts with (a VU starts supplied); nothing is applied at start'),
  volts: z.number().min(0).default(24).describe('the voltage setting at start, for DEFault and after *RST; not modelled on the wired device (a VU has no voltage input)'),
  maxVolts: z.number().positive().default(30).describe('the highest voltage setting; above it -222 Data out of range'),
  errorQueueLength: z.number().int().min(2).default(10).describe('entries the SCPI error queue holds before -350 Queue overflow'),
});
export type LabPsuOptions = z.output<typeof labPsuOptions>;

/** The *IDN? answer: it says plainly that this is the rig's emulated supply, not an instrument on the bench. */
export function labPsuIdentity(device: string): string {
  return `tacho-rig,emulated lab-psu,${device},1.0`;
}

interface LabPsuContext {
  psu: PsuState;
  /** Bytes of the line not yet ended by LF. */
  pending: number[];
  /** A line overran the input buffer: the rest of it, up to its LF, is thrown away with it. */
  discarding: boolean;
}

export function labPsuMachine(device: string, options: LabPsuOptions) {
  const wiring = options.wiring;
  if (!wiring) throw new Error(`lab-psu '${device}' is emulated without wiring: say which device its output feeds (options.wiring.device)`);
  const settings: PsuSettings = { identity: labPsuIdentity(device), defaultVolts: options.volts, maxVolts: options.maxVolts, errorQueueLength: options.errorQueueLength };
  return setup({
    types: {
      context: {} as LabPsuContext,
      events: {} as PortRxEvent,
      emitted: {} as PortTxEmitted | PortRefusedEmitted | DeviceStimulusEmitted,
    },
    actions: {
      serve: enqueueActions(({ context, event, enqueue }) => {
        if (event.port !== 'host') return;
        const { pending, lines } = splitLines(context.pending, event.bytes, SCPI_MAX_LINE);
        let psu = context.psu;
        let discarding = context.discarding;
        for (const line of lines) {
          const ended = line.at(-1) === SCPI_TERMINATOR;
          if (discarding) {
            discarding = !ended;
            continue;
          }
          let text: string;
          try {
            text = decodeScpiLine(line);
          } catch (error) {
            // IEEE 488.2: a message the parser cannot read is a command error in the queue, and no answer
            const overrun = !ended;
            discarding = overrun;
            psu = withError(psu, overrun ? SCPI_ERROR.inputBufferOverrun : SCPI_ERROR.invalidCharacter, settings);
            enqueue.emit({ type: 'port.refused', port: 'host', code: overrun ? 'overrun' : 'invalid-character', detail: (error as Error).message });
            continue;
          }
          const r = executePsuLine(psu, text, settings);
          psu = r.state;
          if (r.answer !== undefined) enqueue.emit({ type: 'port.tx', port: 'host', bytes: encodeScpiLine(r.answer) });
          for (const on of r.outputChanges) enqueue.emit({ type: 'device.stimulus', device: wiring.device, name: wiring.stimulus, args: { on } });
        }
        enqueue(assign({ psu, pending, discarding }));
      }),
    },
  }).createMachine({
    id: 'lab-psu',
    context: { psu: initialPsuState(settings, options.output === 'on'), pending: [], discarding: false },
    on: { 'port.rx': { actions: 'serve' } },
  });
}

/** An emulated supply's wiring must name an emulated device of this rig that takes `{ on }` for the stimulus. */
export function wiredSupplyIssues(self: { name: string; mode: 'emulated' | 'external'; options: LabPsuOptions }, rig: RigView): RigCheckIssue[] {
  if (self.mode === 'external') return [];
  if (!self.options.wiring) return [{ path: ['wiring'], message: `an emulated lab-psu needs wiring: the device its output feeds, e.g. wiring: { device: vu }` }];
  const { device, stimulus } = self.options.wiring;
  const wired = rig.device(device);
  if (wired?.mode === 'external') return [{ path: ['wiring', 'device'], message: `'${device}' is external: the emulated supply can switch only a device emulated in this rig` }];
  for (const on of [true, false]) {
    const problem = stimulusProblem(rig, device, stimulus, { on });
    if (problem) return [{ path: ['wiring', problem.startsWith('no device') ? 'device' : 'stimulus'], message: problem }];
  }
  return [];
}

export const labPsuKind: DeviceKind<LabPsuOptions> = {
  kind: 'lab-psu',
  description:
    "an emulated lab power supply under SCPI control (LF-terminated lines: *IDN?, *RST, *CLS, OUTPut[:STATe], VOLTage, MEASure:VOLTage?, SYSTem:ERRor?) on port host; its output drives the wired device's supply stimulus, modelling the bench's supply leads (the stand-in for a bench's real supply in `rig serve`)",
  options: labPsuOptions,
  ports: { host: { description: "the supply's serial remote-control port (USB-serial or RS-232), SCPI lines", baud: 9600, codec: scpiLineCodec } },
  machine: ({ name, options }) => ({ machine: labPsuMachine(name, options) }),
  stimuli: {},
  actsOn: (options) => (options.wiring ? [options.wiring.device] : []),
  checkRig: wiredSupplyIssues,
};
