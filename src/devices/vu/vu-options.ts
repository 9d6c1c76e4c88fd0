import { z } from 'zod';
import { TEST_PKI_DEFAULT_SEED } from '../../crypto/pki/test-pki.ts';
import { TEST_MSCA_DEFAULT_SEED } from '../../crypto/index.ts';
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

export const sealSchema = z.strictObject({
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
      // App. 1 §2.155 Speed (one octet, whole km/h) and §2.113 OdometerShort (0..9 999 999 km, Annex IC 29)
      authorisedSpeedKmh: z.number().int().min(1).max(255).default(90),
      odometerKm: z.number().min(0).max(9_999_999).default(0),
      seals: z.array(sealSchema).default([]),
      /** Annex IC 120 (version 2): the vehicle's by-default load type, stored on each card inserted (Annex IC 147a). */
      byDefaultLoadType: z.enum(['undefined', 'goods', 'passengers']).default('goods'),
    })
    .prefault({}),
  /**
   * The VU's side of the motion sensor link (App. 11 §12): its KM-VU, and how it watches the paired sensor.
   * The defaults match a motion sensor's defaults (KM generation 1, 128-bit keys, the same test MSCA seed).
   */
  motionSensor: z
    .strictObject({
      /** CSM_103, CSM_118: the version of the one KM-VU generation the VU holds. */
      kmVuVersion: z.number().int().min(0).max(255).default(1),
      keyBits: z.union([z.literal(128), z.literal(192), z.literal(256)]).default(128),
      /** Seed of the test MSCA that issues KM-VU; sensors and workshop cards must come from the same. */
      mscaSeed: z.number().int().default(TEST_MSCA_DEFAULT_SEED),
      /** An explicit KM-VU as hex (a real one, on a bench); overrides mscaSeed. */
      kmVu: z
        .string()
        .regex(/^(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48}|[0-9A-Fa-f]{64})$/, 'an AES key of 16, 24 or 32 bytes, as hex')
        .transform((hex) => hex.toLowerCase())
        .optional(),
      /** Rig ms between two authenticated counter checks of the paired sensor. */
      checkPeriodMs: z.number().positive().default(10_000),
      /** Rig ms the VU waits for the sensor's answer to each attempt (a request has three, sensor-link/attempts.ts). */
      answerTimeoutMs: z.number().positive().default(1_000),
      /**
       * Motion data error (0x09): how far the pulses counted on the pulse line may differ from the rise of
       * the authenticated counter between two checks: the larger of this many pulses and this fraction of the
       * rise. The allowance covers pulses still on their way (the rig's pulse frames come every 100 ms).
       */
      tolerancePulses: z.number().int().min(0).default(100),
      toleranceFraction: z.number().min(0).max(1).default(0.02),
      /** Unanswered requests in a row (each after its three attempts) after which the sensor counts as faulty (0x35). */
      faultAfterNoAnswers: z.number().int().min(1).default(3),
      /**
       * Annex IC 83's second trigger of 0x09: the speed from 0 to more than 40 km/h within a second, then above
       * 40 for 3 s. Off unless asked: the rig's world changes speed in steps, so every drive would begin with one.
       */
      speedJumpCheck: z.boolean().default(false),
    })
    .refine((m) => m.kmVu === undefined || m.kmVu.length * 4 === m.keyBits, { message: 'kmVu must be as long as keyBits says', path: ['kmVu'] })
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
  /**
   * Cards of `cards` already in the slots when the VU starts (inserted then, into empty slots), e.g. a company
   * card so that download equipment outside the rig may download (Annex IC 12: not in operational mode).
   */
  cardsAtStart: z.strictObject({ driver: z.string().optional(), 'co-driver': z.string().optional() }).default({}),
  /**
   * A VU under test on a bench (mode external): the card of `cards` the rig has the bench's card switch insert
   * to download the VU's records when the VU refuses the download in the mode it is in (Annex IC 12: not in
   * operational mode), into which slot, and how long the VU takes to read a card before it accepts a download.
   * A company card is the least intrusive: it leaves a download activity record (Annex IC 129), where a control
   * card would count as a control and restart the over speeding count (Annex IC 70, 117).
   */
  downloadCard: z
    .strictObject({
      card: z.string(),
      slot: z.enum(['driver', 'co-driver']).default('co-driver'),
      readMs: z.number().min(0).default(5_000),
    })
    .optional(),
  /** The test PKI the VU's VU_Sign and VU_MA credentials come from (CSM_72): the same seed as the rig's IDE trusts. */
  pki: z.strictObject({ seed: z.number().int().default(TEST_PKI_DEFAULT_SEED) }).prefault({}),
  // --- Issue 16 (DSRC remote communication, App. 14): the remote communication function ---
  /**
   * App. 14 §5.6: a DSRC-VU on the `dsrc` port (the VU link frame of src/protocols/dsrc/vu-link.ts). Off unless
   * `installed` (DSC_75: the link is initialised only after installation), so a VU without one records nothing.
   * The VU-specific keys are the test PKI's (seed `pki.seed`) for K_M-DSRC `keyVersion` (CSM_123-126), derived
   * from the VU serial number, or from `certificateRequestId` (8 bytes hex, crIdentifier 'FF') when given.
   */
  dsrc: z
    .strictObject({
      installed: z.boolean().default(false),
      keyVersion: z.number().int().min(0).max(255).default(1),
      certificateRequestId: z
        .string()
        .regex(/^[0-9A-Fa-f]{12}[fF]{2}[0-9A-Fa-f]{2}$/, "8 bytes as hex, the last-but-one 'FF' (App. 1 CertificateRequestID)")
        .transform((h) => h.toLowerCase())
        .optional(),
      /** DSC_12: rig ms between two RtmData updates. */
      periodMs: z.number().positive().default(60_000),
      /** Rig ms the VU waits for the DSRC-VU's answer to a command (DSC_74: no acknowledgement). */
      answerTimeoutMs: z.number().positive().default(2_000),
    })
    .prefault({}),
  /**
   * The VU's GNSS receiver (App. 12): `external` an EGF on the `gnss` port, `internal` a receiver inside the VU
   * reading the rig's GNSS sky (GNS_34), `none` no GNSS function. Positions are requested every
   * `requestPeriodMs` (GNS_23: at most 20 s).
   */
  gnss: z
    .strictObject({
      receiver: z.enum(['none', 'internal', 'external']).default('none'),
      requestPeriodMs: z.number().positive().max(20_000).default(20_000),
    })
    .prefault({}),
  // --- Issue 13 (per-port timing): how slowly the VU answers downloads, to stand in for a slow VU on a bench ---
  download: z
    .strictObject({
      // DDP_019 P2: 20..1000 ms from the end of a request to the start of the VU's answer
      answerDelayMs: z
        .number()
        .min(20)
        .default(20)
        .describe(
          "ms from the end of an IDE's request to the start of the VU's answer (App. 7 DDP_019 P2: at least 20, at most 1000). Beyond 1000 the VU breaks App. 7: a stand-in for a slow VU under test, to try an IDE's widened P2 max",
        ),
    })
    .prefault({}),
  // Issue 15: the VU's generation 2 version (App. 7 DDP_011, DDP_028a; Annex IC 306i "not accessed by version 1 of second generation vehicle units")
  gen2Version: z
    .union([z.literal(1), z.literal(2)])
    .default(1)
    .describe(
      "the VU's generation 2 version: 1 answers TRTP 21..25 and refuses TRTP 00 and 31..35 (NRC 12); 2 also answers TRTP 00 ('02 02'H) and the version 2 data, TRTP 31, 32 (with its border crossings and load/unload operations), 33, 24 and 35 (App. 7 DDP_011, DDP_028a), and stores the by-default load type on each version 2 card inserted (EF Load_Type_Entries, Annex IC 147a, 306i)",
    ),
  /** File the data memory is persisted to (atomic writes), so it survives a rig restart. None: kept in memory only. */
  dataMemoryFile: z.string().optional(),
  /** Rig minutes between saves of the data memory while powered (it is also saved on supply loss, card
   * withdrawal and when the rig stops). */
  persistEveryMinutes: z.number().positive().default(60),
}).superRefine((o, ctx) => {
  if (o.downloadCard && !(o.downloadCard.card in o.cards)) {
    ctx.addIssue({ code: 'custom', path: ['downloadCard', 'card'], message: `no card named '${o.downloadCard.card}' in cards (it has: ${Object.keys(o.cards).join(', ') || 'none'})` });
  }
  for (const [slot, name] of Object.entries(o.cardsAtStart)) {
    if (name !== undefined && !(name in o.cards)) ctx.addIssue({ code: 'custom', path: ['cardsAtStart', slot], message: `no card named '${name}' in cards (it has: ${Object.keys(o.cards).join(', ') || 'none'})` });
  }
});

export type VuOptions = z.output<typeof vuOptionsSchema>;
