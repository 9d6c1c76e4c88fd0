import { assign, emit, fromCallback, sendTo, setup } from 'xstate';
import type { RigClock } from '../../harness/clock/index.ts';
import type { DeviceErrorEmitted, PortBaudEmitted, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { ReplayPlayer, type PlayerOptions } from './player.ts';
import type { PortScript } from './script.ts';

export interface ReplayContext {
  recording: string;
  device: string;
  /** The first divergence, once there is one. */
  divergence: string | null;
}

type ReplayEvent =
  | { type: 'port.rx'; port: string; bytes: Uint8Array; at?: number; toleranceMs?: number }
  | { type: 'replay.tx'; port: string; bytes: Uint8Array }
  | { type: 'replay.baud'; port: string; baud: number }
  | { type: 'replay.diverged'; message: string }
  | { type: 'replay.stimulus'; name: string; args: unknown };

type PlayerEvent = { type: 'rx'; port: string; bytes: Uint8Array; at: number };

/**
 * The player on the rig clock, as a callback actor (as the IDE runs its download client): bytes the rig sends
 * go in, what the DUT did comes back as events for the machine to put on its ports.
 */
function playerActor(scripts: readonly PortScript[], clock: RigClock, options: Omit<PlayerOptions, 'start'>) {
  return fromCallback<PlayerEvent, undefined, ReplayEvent>(({ sendBack, receive }) => {
    // The recording's start is this rig's start: the runner starts the clock there (DeviceKind.fixesRun).
    const player = new ReplayPlayer(scripts, clock, { ...options, start: clock.now() }, {
      send: (port, bytes) => sendBack({ type: 'replay.tx', port, bytes }),
      baud: (port, baud) => sendBack({ type: 'replay.baud', port, baud }),
      diverged: (message) => sendBack({ type: 'replay.diverged', message }),
    });
    receive((event) => player.receive(event.port, event.bytes, event.at));
    player.start();
    return () => player.stop();
  });
}

/**
 * A replay device: plays the recorded DUT's side of every link it had until the rig does something the
 * recording does not have; then it reports the divergence as its error (`device.error`) and falls silent, as
 * the recording no longer says what the DUT would do. A stimulus addressed to it changes nothing: what the
 * DUT did after it is in the recording.
 */
export function createReplayMachine(scripts: readonly PortScript[], clock: RigClock, options: { recording: string; device: string; lateMs: number }) {
  return setup({
    types: { context: {} as ReplayContext, events: {} as ReplayEvent, emitted: {} as PortTxEmitted | PortBaudEmitted | DeviceErrorEmitted },
    actors: { player: playerActor(scripts, clock, { source: options.recording, device: options.device, lateMs: options.lateMs }) },
    actions: {
      toPlayer: sendTo('player', ({ event }) =>
        event.type === 'port.rx' ? { type: 'rx' as const, port: event.port, bytes: event.bytes, at: event.at ?? clock.now() } : { type: 'rx' as const, port: '', bytes: new Uint8Array(0), at: clock.now() },
      ),
      transmit: emit(({ event }) => ({ type: 'port.tx' as const, port: event.type === 'replay.tx' ? event.port : '', bytes: event.type === 'replay.tx' ? event.bytes : new Uint8Array(0) })),
      setBaud: emit(({ event }) => ({ type: 'port.baud' as const, port: event.type === 'replay.baud' ? event.port : '', baud: event.type === 'replay.baud' ? event.baud : 0 })),
      keepDivergence: assign({ divergence: ({ event }) => (event.type === 'replay.diverged' ? event.message : null) }),
      reportDivergence: emit(({ event }) => ({ type: 'device.error' as const, message: event.type === 'replay.diverged' ? event.message : '' })),
    },
  }).createMachine({
    id: 'replay',
    context: { recording: options.recording, device: options.device, divergence: null },
    initial: 'playing',
    states: {
      playing: {
        invoke: { id: 'player', src: 'player' },
        on: {
          'port.rx': { actions: 'toPlayer' },
          'replay.tx': { actions: 'transmit' },
          'replay.baud': { actions: 'setBaud' },
          'replay.diverged': { target: 'diverged', actions: ['keepDivergence', 'reportDivergence'] },
        },
      },
      // Silent from here on: nothing recorded says what the DUT would do.
      diverged: {},
    },
  });
}
