import { z } from 'zod';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { encodeCutFrame, motionSensorLinkCodec, pulseCodec } from '../../protocols/motion-sensor/index.ts';
import { createMotionSensorMachine } from './machine.ts';
import { motionSensorOptions, type MotionSensorOptions } from './options.ts';

const none = z.strictObject({});

/**
 * A second-generation motion sensor (App. 11 §12, ISO 16844-3 style link with this rig's framing): pairs
 * with a VU under a workshop card's KM-WC, answers authenticated counter and file requests, reports its own
 * security events, and puts the vehicle's pulses on a line of their own.
 */
export const motionSensorKind: DeviceKind<MotionSensorOptions> = {
  kind: 'motion-sensor',
  description: 'motion sensor: AES-paired secured link to the VU (App. 11 §12) and a real-time pulse output',
  options: motionSensorOptions,
  ports: {
    vu: { description: 'the secured link to the VU (instructions 10/11/40-43/50/70/80, README of src/protocols/motion-sensor)', baud: 9600, codec: motionSensorLinkCodec(), exchange: { role: 'answers' }, takesFrames: true },
    pulses: { description: "real-time speed pulses as a signal: a rate frame (the line's count and pulses per second from now on) at each change of rate, restated every pulseIntervalMs while moving; a cut line is told to a VU outside the rig by a no-signal frame", baud: 9600, codec: pulseCodec, lineEvents: true, cutSignal: encodeCutFrame },
  },
  machine: ({ options, clock, world, rng }) => ({ machine: createMotionSensorMachine({ options, clock, world, rng }) }),
  stimuli: {
    caseOpening: { description: "unauthorised case opening: the sensor counts event '24'H for the VU to read", args: none, toEvent: () => ({ type: 'sensorEvent', code: 0x24 }) },
    hardwareSabotage: { description: "hardware sabotage: the sensor counts event '25'H", args: none, toEvent: () => ({ type: 'sensorEvent', code: 0x25 }) },
    storedDataIntegrityError: { description: "stored data integrity error: the sensor counts event '22'H", args: none, toEvent: () => ({ type: 'sensorEvent', code: 0x22 }) },
    internalDataTransferError: { description: "internal data transfer error: the sensor counts event '23'H", args: none, toEvent: () => ({ type: 'sensorEvent', code: 0x23 }) },
    fault: {
      description:
        "the secured link misbehaves: silent (no answers), garble (secured answers carry a corrupted ciphertext), noise (answers with a bad checksum), garbleRequests (the VU's secured requests reach the sensor with a corrupted ciphertext: it counts '21'H and refuses each), none",
      args: z.strictObject({ mode: z.enum(['none', 'silent', 'garble', 'noise', 'garbleRequests']) }),
      toEvent: (a) => ({ type: 'fault', ...a }),
    },
    replace: {
      description: 'another unit is fitted in place of this one: its own serial number and pairing key, unpaired (generation 1: no AES material)',
      args: z.strictObject({
        serialNumber: z.strictObject({ serialNumber: z.number().int().min(0).max(0xffffffff), monthYear: z.string().regex(/^(0[1-9]|1[0-2])\d{2}$/, 'MMYY') }),
        generation: z.union([z.literal(1), z.literal(2)]).optional(),
        approvalNumber: z.string().max(16).regex(/^[\x20-\x7e]*$/).optional(),
      }),
      toEvent: (a) => ({ type: 'replace', ...a }),
    },
    pulseTamper: {
      description: 'the pulse line is tampered with while the authenticated counter stays true: inject extra pulses, suppress a fraction, or none',
      args: z.discriminatedUnion('mode', [
        z.strictObject({ mode: z.literal('none') }),
        z.strictObject({ mode: z.literal('inject'), pulsesPerSecond: z.number().positive() }),
        z.strictObject({ mode: z.literal('suppress'), fraction: z.number().gt(0).max(1) }),
      ]),
      toEvent: (a) => ({ type: 'pulseTamper', ...a }),
    },
    speedFactor: {
      description:
        'the sensor misreads the vehicle from now on: it senses factor × the true speed (0.75: 80 km/h reads 60; 0: it sees a moving vehicle stand still; 1: true again); pulse line and authenticated counter agree',
      args: z.strictObject({ factor: z.number().min(0).max(10) }),
      toEvent: (a) => ({ type: 'speedFactor', ...a }),
    },
  },
};

export { createMotionSensorMachine, type MotionSensorContext, type MotionSensorEvent, type SensorLinkFault, type SensorReplacement } from './machine.ts';
export { motionSensorOptions, type MotionSensorOptions } from './options.ts';
export { sensorKeyMaterial, sensorSerialNumber } from './key-material.ts';
export { cumulativePulses } from './pulses.ts';
