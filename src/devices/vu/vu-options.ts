import { z } from 'zod';
import { cardsSchema } from '../cards/card-schema.ts';

/**
 * A VU's options in a rig file: its identity (App. 1 `VuIdentification`), its calibration (App. 1
 * `VuCalibrationRecord`, the values a workshop sets), its clock's error, and where its data memory lives.
 * Defaults describe a plausible test VU so a rig file can say just `kind: vu`.
 */
const extendedSerialNumber = z.strictObject({
  serialNumber: z.number().int().min(0).max(0xffffffff),
  /** Month and year of manufacture, `MMYY` (App. 1 `MonthYear`). */
  monthYear: z.string().regex(/^(0[1-9]|1[0-2])\d\d$/, 'MMYY, e.g. 0326'),
  /** App. 1 `EquipmentType`: 6 is a vehicle unit. */
  type: z.number().int().min(0).max(255).default(6),
  manufacturerCode: z.number().int().min(0).max(255),
});

const seal = z.strictObject({
  /** App. 1 `EquipmentType` of the sealed component. */
  equipmentType: z.number().int().min(0).max(255),
  /** `ExtendedSealIdentifier`: manufacturer code and 8 bytes of identifier, as hex. */
  manufacturerCode: z.string().regex(/^[0-9A-Fa-f]{4}$/),
  sealIdentifier: z.string().regex(/^[0-9A-Fa-f]{16}$/),
});

export const vuOptionsSchema = z.strictObject({
  identification: z
    .strictObject({
      manufacturerName: z.string().max(35).default('Rig Test Tachographs'),
      manufacturerAddress: z.string().max(35).default('1 Test Street, Brussels'),
      partNumber: z.string().max(16).default('RIG-VU-2'),
      serialNumber: extendedSerialNumber.default({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 }),
      softwareVersion: z.string().length(4).default('0100'),
      softwareInstallationDate: z.iso.datetime({ offset: true }).default('2026-01-01T00:00:00Z'),
      manufacturingDate: z.iso.datetime({ offset: true }).default('2026-01-01T00:00:00Z'),
      approvalNumber: z.string().max(16).default('e1-0001'),
    })
    .prefault({}),
  calibration: z
    .strictObject({
      vin: z.string().max(17).default('WDB9634031L000001'),
      registrationNation: z.number().int().min(0).max(255).default(0x06), // NationNumeric: Belgium
      registrationNumber: z.string().max(13).default('B-RIG-001'),
      /** Characteristic coefficient of the vehicle, pulses per km. */
      w: z.number().int().positive().default(8000),
      /** Constant of the recording equipment, pulses per km: set equal to w at calibration. */
      k: z.number().int().positive().default(8000),
      /** Effective circumference of the wheel tyres, mm. */
      l: z.number().int().positive().default(3200),
      tyreSize: z.string().max(15).default('315/70R22.5'),
      /** Authorised speed (the speed limiter's setting), km/h: over speeding is measured against it. */
      authorisedSpeedKmh: z.number().min(1).max(255).default(90),
      odometerKm: z.number().min(0).default(0),
      seals: z.array(seal).default([]),
    })
    .prefault({}),
  clock: z
    .strictObject({
      /** VU time minus rig time at start, ms (positive: the VU is ahead). */
      offsetMs: z.number().default(0),
      driftPpm: z.number().min(-1000).max(1000).default(0),
    })
    .prefault({}),
  /** Cards a scenario can insert by name (`insertCard { slot: driver, card: anna }`). */
  cards: cardsSchema.default({}),
  /** File the data memory is persisted to (atomic writes), so it survives a rig restart. None: kept in memory only. */
  dataMemoryFile: z.string().optional(),
  /** Rig minutes between saves of the data memory while powered (it is also saved on supply loss, card
   * withdrawal and when the rig stops). */
  persistEveryMinutes: z.number().positive().default(60),
});

export type VuOptions = z.output<typeof vuOptionsSchema>;
