import { z } from 'zod';
import { workshopCardSchema } from '../cards/card-schema.ts';
import { skziCardDataSchema } from './schemas.ts';
import { dataCentreTestKey } from './signing.ts';
import { NKM_MODELS, nkmNumberProblem } from './models.ts';
import { TACHOGRAPH_MODELS } from './firmware.ts';

/**
 * A ШТРИХ-ТахоRUS with its НКМ block, as the rig file describes it. The defaults are an НКМ-2.11 in a plastic
 * SM100.42.00.00.14 with firmware that meets chapter 4's gate, before STEP 1.
 */
export const nkmTachographOptions = z
  .strictObject({
    nkm: z
      .strictObject({
        model: z.enum(NKM_MODELS).default('НКМ-2.11'),
        factoryNo: z.string().default('20E3S00012345678'),
        regNo: z.string().default('20E 799B 012345678'),
      })
      .prefault({}),
    tachograph: z
      .strictObject({
        model: z.enum(TACHOGRAPH_MODELS).default('SM100.42.00.00.14'),
        /** «Номер 1» as the memory holds it (chapter 4 item 4: must equal the case label). */
        number1: z.string().default('0042000123'),
        /** The number on the case label; a difference is the 6.8 serial-number fault. Default: number1. */
        labelNumber1: z.string().optional(),
        /** «Номер 2»: the registry's number (chapter 4 item 5). */
        number2: z.string().default('SM1420000123'),
        firmware: z.strictObject({ main: z.number().int().min(0), extra: z.number().int().min(0) }).default({ main: 1374, extra: 314 }),
      })
      .prefault({}),
    /**
     * Workshop cards a scenario inserts by name (stimulus insertCard), each with its СКЗИ content as it starts
     * (card-slot.ts: a request the АРМА wrote, a signed request, a certificate). The tachograph keeps what the
     * steps write on them between insertions.
     */
    cards: z.record(z.string().min(1), workshopCardSchema.extend({ skzi: skziCardDataSchema.default({}) })).default({}),
    /** The data centre's public key the block trusts certificates from (P-256 point, hex); default: the rig's test data centre. */
    dataCentrePublicKey: z.string().optional(),
    /** 6.6 or 6.9: what request processing shows on firmware below chapter 4's gate (the seed names both). */
    outdatedFirmwareError: z.enum(['invalidState', 'badInput']).default('invalidState'),
    /** 6.6 or 6.7: what a certificate for another block shows at STEP 2 (the seed names both). */
    otherBlockCertificateError: z.enum(['invalidState', 'desync']).default('desync'),
    /** How long the transient screens and the restart last (rig time). */
    timing: z
      .strictObject({
        preparingMs: z.number().int().min(0).default(3000),
        loadingMs: z.number().int().min(0).default(5000),
        activatingMs: z.number().int().min(0).default(3000),
        registeringMs: z.number().int().min(0).default(2000),
        restartMs: z.number().int().min(0).default(8000),
      })
      .prefault({}),
  })
  .superRefine((o, ctx) => {
    const problem = nkmNumberProblem(o.nkm.model, o.nkm.factoryNo, o.nkm.regNo);
    if (problem) ctx.addIssue({ code: 'custom', path: ['nkm'], message: problem });
  });
export type NkmTachographOptions = z.output<typeof nkmTachographOptions>;

export function dataCentreKeyOf(options: NkmTachographOptions): string {
  return options.dataCentrePublicKey ?? dataCentreTestKey().publicPoint;
}
