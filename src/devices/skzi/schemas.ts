import { z } from 'zod';
import { NKM_MODELS } from './models.ts';

/**
 * The data the activation moves between the workstation, the workshop card, the tachograph's НКМ block and the
 * data centre: one zod schema each, so the card file, the HTTP API (api.ts) and its OpenAPI document
 * (openapi.ts) are one definition. The seed gives the flow, not the formats: these are the rig's (README
 * "СКЗИ activation").
 */
const hex = z.string().regex(/^([0-9a-f]{2})+$/);
/** 6.38: 16 characters. */
export const factoryNoSchema = z.string().regex(/^[0-9A-Z]{16}$/, { error: 'an НКМ factory number is 16 characters (6.38)' });
export const vinSchema = z.string().regex(/^[A-HJ-NPR-Z0-9]{17}$/, { error: 'a VIN is 17 characters' });

export const vehicleSchema = z.strictObject({
  vin: vinSchema,
  /** ГРЗ, in Cyrillic (6.21); checked by the data centre, not here, so a Latin plate reaches the 6.21 error. */
  vrn: z.string().max(12),
  /** ПТС number. */
  pts: z.string().min(1).max(15),
});
export type Vehicle = z.infer<typeof vehicleSchema>;

/** What the АРМА writes to the workshop card (5.3): the request prepared in АРМП, bound to that card. */
export const activationRequestSchema = z.strictObject({
  requestId: z.string().regex(/^R-\d{6}$/),
  /** The workshop card it was created with (5.2: the request continues on that card). */
  cardNumber: z.string().min(1).max(16),
  /** The block and tachograph the workshop entered («Номер 2», chapter 4 item 5). */
  nkmFactoryNo: factoryNoSchema,
  tachographNo2: z.string().min(1).max(20),
  vehicle: vehicleSchema,
  owner: z.strictObject({ name: z.string().min(1), inn: z.string().regex(/^\d{10}(\d{2})?$/) }),
  createdAt: z.number().int(),
});
export type ActivationRequest = z.infer<typeof activationRequestSchema>;

/** The block as it names itself in what it signs (6.38's numbers, its software version, its public key). */
export const nkmIdentitySchema = z.strictObject({
  model: z.enum(NKM_MODELS),
  swVersion: z.string(),
  factoryNo: factoryNoSchema,
  regNo: z.string(),
  /** ECDSA P-256 public point, uncompressed (04 ‖ X ‖ Y), hex. */
  publicKey: hex,
});
export type NkmIdentity = z.infer<typeof nkmIdentitySchema>;

/** STEP 1 (5.3): the request as the НКМ block signed it on the card, with the tachograph number from its memory. */
export const signedRequestSchema = z.strictObject({
  request: activationRequestSchema,
  nkm: nkmIdentitySchema,
  /** «Номер 2» as the tachograph's memory holds it. */
  tachographNo2: z.string(),
  signedAt: z.number().int(),
  /** ECDSA P-256 / SHA-256 over the canonical bytes of everything above, r ‖ s, hex (64 bytes). */
  signature: hex,
});
export type SignedRequest = z.infer<typeof signedRequestSchema>;

/** The «квалифицированный сертификат ключей блока СКЗИ» the ЦОД issues (5.4), written to the card by the АРМА. */
export const skziCertificateSchema = z.strictObject({
  serial: z.string().regex(/^C-\d{6}$/),
  requestId: z.string(),
  nkmFactoryNo: factoryNoSchema,
  nkmPublicKey: hex,
  tachographNo2: z.string(),
  vehicle: vehicleSchema,
  issuedAt: z.number().int(),
  /** The data centre's ECDSA P-256 / SHA-256 signature over the canonical bytes of the fields above, hex. */
  signature: hex,
});
export type SkziCertificate = z.infer<typeof skziCertificateSchema>;

/** The workshop card's СКЗИ content (card-slot.ts): at most one of each. */
export const skziCardDataSchema = z.strictObject({
  request: activationRequestSchema.optional(),
  signedRequest: signedRequestSchema.optional(),
  certificate: skziCertificateSchema.optional(),
});
export type SkziCardData = z.infer<typeof skziCardDataSchema>;
