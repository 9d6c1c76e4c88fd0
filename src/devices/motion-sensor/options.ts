import { z } from 'zod';
import { TEST_MSCA_DEFAULT_SEED } from '../../crypto/index.ts';

const hex = (bytes?: number[]) =>
  z
    .string()
    .regex(/^([0-9a-fA-F]{2})+$/, 'hex bytes')
    .refine((s) => !bytes || bytes.includes(s.length / 2), { message: `must be ${bytes?.join(' or ')} bytes` });

const keyBits = z.union([z.literal(128), z.literal(192), z.literal(256)]);

/** A request whose bytes stop for this long is abandoned, so a lost byte cannot wedge the next request. */
export const DEFAULT_INTER_BYTE_TIMEOUT_MS = 100;

/** The sensor's options in a rig file. Everything has a default, so `options: {}` is a working gen2 sensor. */
export const motionSensorOptions = z.strictObject({
  serialNumber: z
    .strictObject({
      serialNumber: z.number().int().min(0).max(0xffffffff),
      monthYear: z.string().regex(/^(0[1-9]|1[0-2])\d{2}$/, 'MMYY'),
    })
    .default({ serialNumber: 1, monthYear: '0126' })
    .describe('ExtendedSerialNumber without type and manufacturer (type is 7, motion sensor; manufacturer from manufacturerCode)'),
  approvalNumber: z.string().max(16).regex(/^[\x20-\x7e]*$/).default('e1-MS-TEST-01').describe('SensorApprovalNumber (IA5, up to 16)'),
  manufacturerCode: z.number().int().min(0).max(255).default(0x10),
  k: z.number().int().min(1).max(64255).default(8000).describe('impulses per km the sensor gives (App. 1 W-VehicleCharacteristicConstant range)'),
  keyBits: keyBits.default(128).describe('AES key length of the pairing keys when the test MSCA issues them'),
  generation: z.union([z.literal(1), z.literal(2)]).default(2).describe('2: AES material; 1: a first-generation sensor a gen2 VU must refuse'),
  kmVersions: z.array(z.number().int().min(0).max(255)).min(1).max(3).default([1]).describe('KM generations the test MSCA encrypts KP and Ns under (CSM_116)'),
  mscaSeed: z.number().int().default(TEST_MSCA_DEFAULT_SEED).describe('seed of the test MSCA; the VU and workshop cards must use the same'),
  keyMaterial: z
    .strictObject({
      entries: z
        .array(z.strictObject({ kmVersion: z.number().int().min(0).max(255), kidVersion: z.number().int().min(0).max(255), kp: hex([16, 24, 32]), encKp: hex([16, 32]), encNs: hex([16]) }))
        .min(1)
        .max(3),
    })
    .optional()
    .describe('explicit CSM_110 material (e.g. from a real MSCA for a bench); overrides mscaSeed, kmVersions and keyBits'),
  pulseIntervalMs: z
    .number()
    .positive()
    .default(60_000)
    .describe("while the pulse line carries pulses, its rate frame is restated this often (a rate frame goes out at each change of rate): a frame the line lost or damaged costs at most this long of pulses"),
  pulseLine: z
    .enum(['rate', 'count'])
    .default('rate')
    .describe("rate: a rate frame per change of rate (issue 18); count: a pulse count every pulseIntervalMs while moving (set it to 100), the rig's line before issue 18, to replay recordings made then"),
  initialCounter: z.number().int().min(0).max(0xffffffff).default(0).describe('authenticated pulse counter at rig start'),
  // The one window the sensor holds the VU to: it answers at once, and waits for nothing else of the VU's.
  interByteTimeoutMs: z
    .number()
    .positive()
    .default(DEFAULT_INTER_BYTE_TIMEOUT_MS)
    .describe("ms the sensor waits for the next byte of a VU's request before it abandons the request (so a lost byte cannot wedge the next one); wider for a VU that sends its requests' bytes further apart"),
  stateFile: z
    .string()
    .optional()
    .describe(
      "a file keeping what a real sensor keeps across power cycles (its pairing, its event counts, its authenticated counter), read at start and written as they change: for a sensor that outlives one run, as a bench's peer of a VU under test that stays paired between scenarios. Relative to the working directory; a file of another unit (another serial number) is ignored",
    ),
});

export type MotionSensorOptions = z.output<typeof motionSensorOptions>;
export type MotionSensorKeyBits = z.output<typeof keyBits>;
