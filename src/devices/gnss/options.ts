import { z } from 'zod';

const hex = (bytes: number) => z.string().regex(new RegExp(`^([0-9a-fA-F]{2}){${bytes}}$`), `${bytes} bytes of hex`);
const certificate = z.string().regex(/^([0-9a-fA-F]{2}){204,341}$/, '204..341 bytes of hex (App. 12 Table 1)');

export const egfOptions = z.strictObject({
  /** App. 1 ExtendedSerialNumber: record '07' and EF.ICC. */
  serialNumber: z
    .strictObject({
      serialNumber: z.number().int().min(0).max(0xffffffff).default(1),
      /** MMYY, coded BCD. */
      monthYear: z.string().regex(/^(0[1-9]|1[0-2])\d\d$/).default('0126'),
      /** App. 1 EquipmentType; 8 (GNSS facility) by default. */
      type: z.number().int().min(0).max(255).default(8),
      manufacturerCode: z.number().int().min(0).max(255).default(0x40),
    })
    .default({ serialNumber: 1, monthYear: '0126', type: 8, manufacturerCode: 0x40 }),
  /** Record '08': SensorOSIdentifier. */
  osIdentifier: hex(2).default('0100'),
  /** Record '09': SensorExternalGNSSApprovalNumber, 16 bytes (IA5String, space padded). */
  approvalNumber: z.string().max(16).default('e1-RIG-EGF-0001'),
  /** Record '10': SensorExternalGNSSSCIdentifier. */
  securityComponentId: hex(8).default('5249472D45474600'),
  /** EF EGF_MACertificate, EF CA_Certificate, EF Link_Certificate: Table 1's default {00..00} until the test PKI supplies them. */
  certificates: z
    .strictObject({ egfMa: certificate.optional(), ca: certificate.optional(), link: certificate.optional() })
    .default({}),
  /**
   * EGF_MA key pair and certificates (CSM_93), as hex: `privateKey` (the scalar), `certificate` (EGF_MA),
   * `ca` (MSCA_VU-EGF), `link` (optional), `root` (the European root it verifies VU chains against).
   */
  credentials: z
    .strictObject({ privateKey: z.string().regex(/^([0-9a-fA-F]{2}){32}$/, '32 bytes of hex'), certificate, ca: certificate, link: certificate.optional(), root: certificate })
    .optional(),
  /** The same from files (PEM/DER private key; DER or hex certificates), paths as the rig file gives them. */
  credentialFiles: z.strictObject({ privateKey: z.string(), certificate: z.string(), ca: z.string(), link: z.string().optional(), root: z.string() }).optional(),
  /** Or issued by the rig's test PKI for this serial number; `validityMs` shortens the EGF_MA life (GNS_31). */
  testPki: z
    .strictObject({ seed: z.number().int().optional(), issuedAt: z.string().datetime().optional(), validityMs: z.number().positive().optional() })
    .optional(),
  /** A VU_MA certificate (hex) stored at an earlier coupling (CSM_210), so a rig can start coupled. */
  coupledVuCertificate: certificate.optional(),
  /**
   * A file keeping what a real EGF keeps across power cycles: the VU_MA certificate its last coupling stored
   * (CSM_210), read at start when it belongs to this unit (the same serial number; it wins over
   * coupledVuCertificate) and written at each coupling. For an EGF that outlives one run: a bench's peer of a
   * VU under test that stays coupled between scenarios. Relative to the working directory.
   */
  stateFile: z.string().optional(),
  /** Bench option: serve EF EGF and EF VU without secure messaging (App. 12 asks for SM-MAC). */
  plainAccess: z.boolean().default(false),
  /** CSM_193: SM command/response pairs per session, at most 240. */
  smSessionLimit: z.number().int().min(1).max(240).default(240),
  /** GNS_29: a tampered EGF answers '6690', or falls silent. */
  tamperResponse: z.enum(['6690', 'silent']).default('6690'),
  /** Receiver sentence period (GNS_9: 1 Hz). */
  receiverPeriodMs: z.number().positive().default(1000),
  /** GNS_30: more than this without receiver data makes record '01' read 12 × 'FF'. */
  noDataLimitMs: z.number().positive().default(3 * 3_600_000),
  /**
   * ISO/IEC 7816-3 character waiting time: a partial block older than this is dropped. The one window the EGF
   * holds the VU to: it answers each block at once and waits for nothing else of the VU's.
   */
  cwtMs: z
    .number()
    .positive()
    .default(100)
    .describe("character waiting time (ISO/IEC 7816-3 §11.4.3), ms: the EGF drops a block of the VU's whose next byte comes later than this; wider for a VU that sends a block's bytes further apart"),
  /** The EGF's IFSC (largest INF it accepts); 32, the ISO default, unless the rig says otherwise. */
  ifsc: z.number().int().min(1).max(254).default(32),
});

export type EgfOptions = z.output<typeof egfOptions>;
