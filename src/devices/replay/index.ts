import type { DeviceKind, PortSpec, RigAccess, StimulusSpec } from '../../harness/devices/device-kind.ts';
import { app7PortCodec } from '../../protocols/app7/index.ts';
import { motionSensorLinkCodec, pulseCodec } from '../../protocols/motion-sensor/port-codecs.ts';
import { t1PortCodec } from '../gnss/port-codec.ts';
import { vuKind } from '../vu/index.ts';
import { vuRecordKinds } from '../vu/record-kinds.ts';
import { vuStimuli } from '../vu/stimuli.ts';
import { createReplayMachine } from './machine.ts';
import { loadRecording, replayOptionsSchema, type ReplayOptions, REPLAY_PORTS } from './options.ts';
import { buildScripts, portOf } from './script.ts';

/**
 * The ports of a replay device. Fixed, as a kind's ports are: those of a VU (the device under test this
 * project's scenarios address) with its codecs, so frames match and trace as the VU's, and `host`, the port
 * of a bench instrument (relay board, lab power supply), matched as a byte stream. A rig puts a replay device
 * where the recorded DUT was, on the same port names.
 */
const ports: Record<(typeof REPLAY_PORTS)[number], PortSpec> = {
  pulses: { description: "plays a VU's pulse input: takes the recorded pulse frames", baud: 9600, codec: pulseCodec },
  sensor: { description: "plays a VU's secured link to its motion sensor", baud: 9600, codec: motionSensorLinkCodec() },
  gnss: { description: "plays a VU's line to its external GNSS facility (T=1 blocks)", baud: 115200, codec: t1PortCodec },
  download: { description: "plays a VU's front connector (App. 7)", baud: 9600, codec: app7PortCodec },
  host: { description: "plays a bench instrument's host port (a relay board, a lab power supply): its bytes matched as a stream" },
};

/**
 * A VU's stimuli, so a scenario written for the VU validates against its replay (with the recorded VU's card
 * names). They change nothing: what the DUT did after each is in the recording. A stimulus that a bench
 * actuator performed left its own bytes on the actuator's link, which a replay of that instrument plays.
 */
const stimuli: Record<string, StimulusSpec<any>> = Object.fromEntries(
  Object.entries(vuStimuli).map(([name, spec]) => [
    name,
    {
      description: `${spec.description} (on a replay: nothing, the recorded DUT's answer to it is played)`,
      args: spec.args,
      ...(spec.argsFor
        ? {
            argsFor: (device: { name: string; options: unknown }) => {
              const recorded = (device.options as ReplayOptions).recorded;
              return recorded.kind === vuKind.kind ? spec.argsFor!({ name: device.name, options: recorded.options }) : spec.args;
            },
          }
        : {}),
      toEvent: (args: unknown) => ({ type: 'replay.stimulus', name, args }),
    } satisfies StimulusSpec<any>,
  ]),
);

export const replayKind: DeviceKind<ReplayOptions> = {
  kind: 'replay',
  description: 'plays back a device under test from a recording (`rig run --record`): its side of every link it had, matched frame by frame',
  options: replayOptionsSchema,
  ports,
  machine: ({ options, clock }) => {
    const recording = loadRecording(options.recording);
    const scripts = buildScripts(recording, options.device, (link) => {
      const codec = ports[portOf(link.dut) as keyof typeof ports]?.codec;
      return codec && codec.name === link.codec ? codec : undefined;
    });
    return { machine: createReplayMachine(scripts, clock, options) };
  },
  stimuli,
  fixesRun: (options) => ({ ...options.run, why: `device replays ${options.recording}` }),
  playsExternal: true,
  // Read through its front door, as a real VU is: the App. 7 download over the rig's IDE, answered from the recording.
  recordKinds: vuRecordKinds,
  // As the recorded run read it (an external VU: no actor to peek into; its options, a downloadCard say, as the
  // recording has them; the bench's actuators, whose own links a replay of the instrument plays).
  records: (device, rig) => {
    const outside: RigAccess = {
      clock: rig.clock,
      actor: () => undefined,
      port: (name) => rig.port(name),
      peerOf: (port) => rig.peerOf(port),
      network: rig.network,
      device: (name) => {
        const found = rig.device(name);
        if (name !== device || !found) return found;
        const { recorded } = found.options as ReplayOptions;
        return { kind: recorded.kind, mode: 'external', options: recorded.options };
      },
      ...(rig.actuate ? { actuate: rig.actuate.bind(rig) } : {}),
    };
    return vuKind.records!(device, outside);
  },
};
