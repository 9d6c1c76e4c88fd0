import { assign, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { DeviceKind, DeviceStimulusEmitted, PortRefusedEmitted, PortRxEvent, PortTxEmitted, RigCheckIssue, RigView } from '../../harness/devices/device-kind.ts';
import { stimulusProblem } from '../../harness/devices/stimulus-check.ts';
import {
  EMPTY_LCUS_DEFRAME_STATE,
  LCUS_BAUD,
  LCUS_BOARD_SIZES,
  LCUS_MAX_CHANNELS,
  LcusError,
  decodeLcusCommand,
  deframeLcusCommands,
  encodeLcusStatus,
  lcusStatusCodec,
  type LcusDeframeState,
} from '../../protocols/bench/index.ts';

/**
 * A USB relay board of the LCUS family (CH340, 1 to 8 relays; protocols/bench/lcus-relay.ts), as a bench has
 * one switching things on the device under test: the stand-in for it in `rig serve`'s process. A host closes
 * and opens relays with 4-byte commands on `host` and may ask their state with FF; the board answers nothing
 * else. Each relay's contact is wired to a device of the same rig (`wiring`): closing or opening it applies a
 * stimulus of that device, as the bench's wiring does (a relay in the supply line, a card switch joining a
 * card's smart-card extender to a slot, a switch across the case-opening contact). A command for a relay that
 * is already in that position changes nothing and applies nothing. The board starts with every relay open.
 */
const CHANNEL_NAMES = Array.from({ length: LCUS_MAX_CHANNELS }, (_, i) => String(i + 1)) as [string, ...string[]];

const wiredStimulus = z.strictObject({
  stimulus: z.string().describe("the wired device's stimulus"),
  args: z.record(z.string(), z.unknown()).default({}).describe('its arguments, as a scenario would give them'),
});

const channelWiring = z
  .strictObject({
    close: wiredStimulus.optional().describe('applied when the relay closes (energised: its normally-open contact closes)'),
    open: wiredStimulus.optional().describe('applied when the relay opens again'),
  })
  .describe("what one relay's contact does to the wired device");

export const relayBoardOptions = z.strictObject({
  channels: z
    .union(LCUS_BOARD_SIZES.map((n) => z.literal(n)) as unknown as [z.ZodLiteral<1>, z.ZodLiteral<2>, z.ZodLiteral<4>, z.ZodLiteral<8>])
    .default(8)
    .describe('the board size: LCUS-1, -2, -4 or -8; commands for a relay beyond it are ignored, and the status answer has this many lines'),
  wiring: z
    .strictObject({
      device: z.string().describe('the device the relays are wired to: emulated, in this rig (the stand-in VU)'),
      channels: z.partialRecord(z.enum(CHANNEL_NAMES), channelWiring).default({}).describe("each relay's wiring, by channel '1'..'8'; an unwired relay switches nothing"),
    })
    .optional()
    .describe("what the relays are wired to, modelling the bench's wiring: required where the board is emulated (a stand-in), left out where it is external (the rig drives a real one)"),
});
export type RelayBoardOptions = z.output<typeof relayBoardOptions>;

interface RelayBoardContext {
  /** Relay n+1 closed. */
  closed: boolean[];
  deframe: LcusDeframeState;
}

export function relayBoardMachine(device: string, options: RelayBoardOptions) {
  const wiring = options.wiring;
  if (!wiring) throw new Error(`relay-board '${device}' is emulated without wiring: say which device its relays are wired to (options.wiring.device)`);
  return setup({
    types: {
      context: {} as RelayBoardContext,
      events: {} as PortRxEvent,
      emitted: {} as PortTxEmitted | PortRefusedEmitted | DeviceStimulusEmitted,
    },
    actions: {
      serve: enqueueActions(({ context, event, enqueue }) => {
        if (event.port !== 'host') return;
        const { state: deframe, frames } = deframeLcusCommands(context.deframe, event.bytes);
        const closed = [...context.closed];
        for (const frame of frames) {
          let command;
          try {
            command = decodeLcusCommand(frame);
          } catch (error) {
            if (!(error instanceof LcusError)) throw error;
            enqueue.emit({ type: 'port.refused', port: 'host', code: 'malformed', detail: error.message });
            continue;
          }
          if (command.type === 'status') {
            enqueue.emit({ type: 'port.tx', port: 'host', bytes: encodeLcusStatus(closed) });
            continue;
          }
          if (command.channel > options.channels) {
            enqueue.emit({ type: 'port.refused', port: 'host', code: 'no-such-relay', detail: `relay ${command.channel} on a ${options.channels}-relay board` });
            continue;
          }
          if (closed[command.channel - 1] === command.on) continue; // already there: the contact does not move
          closed[command.channel - 1] = command.on;
          const wired = wiring.channels[String(command.channel) as keyof typeof wiring.channels]?.[command.on ? 'close' : 'open'];
          if (wired) enqueue.emit({ type: 'device.stimulus', device: wiring.device, name: wired.stimulus, args: wired.args });
        }
        enqueue(assign({ closed, deframe }));
      }),
    },
  }).createMachine({
    id: 'relay-board',
    context: { closed: Array.from({ length: options.channels }, () => false), deframe: EMPTY_LCUS_DEFRAME_STATE },
    on: { 'port.rx': { actions: 'serve' } },
  });
}

/** An emulated board's wiring must name an emulated device of this rig, relays the board has, and stimuli that device takes with those arguments. */
export function relayWiringIssues(self: { name: string; mode: 'emulated' | 'external'; options: RelayBoardOptions }, rig: RigView): RigCheckIssue[] {
  if (self.mode === 'external') return [];
  const wiring = self.options.wiring;
  if (!wiring) return [{ path: ['wiring'], message: 'an emulated relay-board needs wiring: the device its relays are wired to, e.g. wiring: { device: vu, channels: { 1: ... } }' }];
  const wired = rig.device(wiring.device);
  if (!wired) return [{ path: ['wiring', 'device'], message: `no device '${wiring.device}' in this rig; it has: ${rig.deviceNames.join(', ')}` }];
  if (wired.mode === 'external') return [{ path: ['wiring', 'device'], message: `'${wiring.device}' is external: the emulated relay board can switch only a device emulated in this rig` }];
  const issues: RigCheckIssue[] = [];
  for (const [channel, contact] of Object.entries(wiring.channels)) {
    if (Number(channel) > self.options.channels) issues.push({ path: ['wiring', 'channels', channel], message: `relay ${channel} on a ${self.options.channels}-relay board` });
    for (const edge of ['close', 'open'] as const) {
      const wire = contact?.[edge];
      if (!wire) continue;
      const problem = stimulusProblem(rig, wiring.device, wire.stimulus, wire.args);
      if (problem) issues.push({ path: ['wiring', 'channels', channel, edge, problem.includes('has no stimulus') ? 'stimulus' : 'args'], message: problem });
    }
  }
  return issues;
}

export const relayBoardKind: DeviceKind<RelayBoardOptions> = {
  kind: 'relay-board',
  description:
    "an emulated LCUS-type USB relay board (CH340, 9600 8N1: A0 <relay> <00|01> <sum> switches a relay, FF asks their state) on port host; each relay's closing and opening applies a stimulus of the wired device, modelling the bench's wiring (the stand-in for a bench's real board in `rig serve`)",
  options: relayBoardOptions,
  ports: { host: { description: "the board's USB-serial port", baud: LCUS_BAUD, codec: lcusStatusCodec } },
  machine: ({ name, options }) => ({ machine: relayBoardMachine(name, options) }),
  stimuli: {},
  actsOn: (options) => (options.wiring ? [options.wiring.device] : []),
  checkRig: relayWiringIssues,
};
