import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { decodePulseLine } from './pulse-input.ts';
import { vuStimuli } from './stimuli.ts';
import { createVuMachine, type VuContext } from './vu-machine.ts';
import { vuOptionsSchema, type VuOptions } from './vu-options.ts';
import { accumulatedDrivingRecords, activityRecords, calibrationErrorRecords, calibrationRecords, cardInsertionRecords, eventRecords, identificationRecord, sensorPairingRecords, timeAdjustmentRecords } from './vu-records.ts';
import { timeReal, vuTime } from './time/vu-clock.ts';
import { motionSensorLinkCodec, pulseCodec } from '../../protocols/motion-sensor/port-codecs.ts';
import { app7PortCodec } from '../../protocols/app7/index.ts';

/**
 * The vehicle unit (smart tachograph, gen2): time measurement, motion from the sensor's pulses, card slots
 * and modes, the event and fault engine with its storing rules, power. Its records are read, for now, from
 * its data memory in-process; the App. 7 download will replace that reader.
 */
export const vuKind: DeviceKind<VuOptions> = {
  kind: 'vu',
  description: 'smart tachograph vehicle unit (Annex IC gen2)',
  options: vuOptionsSchema,
  ports: {
    pulses: { description: "the motion sensor's real-time pulse line", baud: 9600, codec: pulseCodec },
    sensor: { description: 'the secured link to the motion sensor (pairing, authenticated counter; src/protocols/motion-sensor/README.md)', baud: 9600, codec: motionSensorLinkCodec() },
    download: { description: 'the front connector: App. 7 downloads (9600 baud 8E1 until a link control switches speed)', baud: 9600, codec: app7PortCodec },
  },
  machine: ({ clock, options, rng }) => ({ machine: createVuMachine(clock, options, decodePulseLine, rng) }),
  stimuli: vuStimuli,
  records: (device, rig) => ({
    // Temporary in-process reader: the VU's records straight from its data memory (see vu-records.ts).
    read: async () => {
      const context = (rig.actor(device)?.getSnapshot() as { context: VuContext } | undefined)?.context;
      if (!context) throw new Error(`device '${device}' is not an emulated VU: its records need the App. 7 download`);
      const vuNow = vuTime(context.clock, rig.clock.now());
      return [
        ...eventRecords(context.events, timeReal(vuNow)),
        ...timeAdjustmentRecords(context.timeAdjustments),
        ...activityRecords(context.activities, vuNow),
        ...accumulatedDrivingRecords(context.accumulatedDrivingMarks),
        ...cardInsertionRecords(context.slots.iw),
        identificationRecord(context.options),
        ...sensorPairingRecords(context.sensorPairings),
        ...calibrationRecords(context.calibrations),
        ...calibrationErrorRecords(context.calibrationErrors),
      ];
    },
  }),
};
