import { z } from 'zod';
import { NKM_MODELS } from '../models.ts';
import { activationRequestSchema, factoryNoSchema, signedRequestSchema, skziCertificateSchema, vehicleSchema, vinSchema } from '../schemas.ts';

/**
 * The HTTP API of the data centre (ЦОД) and the ФБУ «Росавтотранс» registry, as the rig defines it (the seed
 * gives the flow and the error texts, not an API). One table: the msw handlers (handlers.ts) are built from it,
 * and so is the OpenAPI document (openapi.ts, committed as openapi.json and checked by a test).
 *
 * Every error answer is `{ error: <text> }` with the seed's exact text (texts.ts) where the seed has one.
 */
export const errorSchema = z.strictObject({ error: z.string(), issues: z.array(z.string()).optional() });

/** The life of a request (seed 1.4, 5.3, 6.10, 6.42): created in АРМП, sent with the block's signature, then an error or a certificate, the receipt, closed; or revoked. */
export const REQUEST_STATUSES = ['created', 'sent', 'error', 'awaiting-receipt', 'closed', 'revoked'] as const;

export const newRequestSchema = activationRequestSchema.omit({ requestId: true, createdAt: true });
export type NewRequest = z.infer<typeof newRequestSchema>;

export const requestViewSchema = z.strictObject({
  request: activationRequestSchema,
  status: z.enum(REQUEST_STATUSES),
  /** The АРМ section it is listed in (texts.ts ARM_SECTION), when the seed names one. */
  section: z.string().optional(),
  /** «Ошибки обработки запроса»: the processing error (6.10–6.21). */
  error: z.string().optional(),
  /** The vehicle data as corrected while handling an error (6.39); the signed request keeps what was signed. */
  vehicle: vehicleSchema,
  sentAt: z.number().int().optional(),
  certificateSerial: z.string().optional(),
});
export type RequestView = z.infer<typeof requestViewSchema>;

export const resendSchema = z.strictObject({ vehicle: vehicleSchema.optional() });
export const revocationSchema = z.strictObject({ nkmFactoryNo: factoryNoSchema });
export const revocationResultSchema = z.strictObject({ revocationNo: z.string(), nkmFactoryNo: factoryNoSchema });

export const tachographRecordSchema = z.strictObject({
  no2: z.string(),
  /** The block the tachograph is linked to (null: none). */
  linkedNkm: factoryNoSchema.nullable(),
  blocked: z.boolean().default(false),
});
export const nkmRecordSchema = z.strictObject({
  factoryNo: factoryNoSchema,
  model: z.enum(NKM_MODELS),
  /** The block's public key as filed by its maker (P-256 point, hex): what its signature is checked with. */
  publicKey: z.string().regex(/^([0-9a-f]{2})+$/),
  linkedTachograph: z.string().nullable(),
  status: z.enum(['new', 'active', 'revoked']).default('new'),
  /** False: the activation was not recorded in the registry (6.44's internal failure). */
  activationRecorded: z.boolean().default(true),
});
export const vehicleRecordSchema = z.strictObject({
  vin: vinSchema,
  vrn: z.string(),
  pts: z.string(),
  /** Registration country (6.21: a country other than Russia gives the ГРЗ error). */
  country: z.string().default('RUS'),
  linkedTachograph: z.string().nullable().default(null),
  blocked: z.boolean().default(false),
});
export const cardRecordSchema = z.strictObject({
  cardNumber: z.string(),
  /** Last day of validity, YYYY-MM-DD (6.12: an expired card). */
  expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  blocked: z.boolean().default(false),
});
export type TachographRecord = z.output<typeof tachographRecordSchema>;
export type NkmRecord = z.output<typeof nkmRecordSchema>;
export type VehicleRecord = z.output<typeof vehicleRecordSchema>;
export type CardRecord = z.output<typeof cardRecordSchema>;

export const REGISTRY_TABLES = {
  tachographs: { key: 'no2', schema: tachographRecordSchema },
  nkm: { key: 'factoryNo', schema: nkmRecordSchema },
  vehicles: { key: 'vin', schema: vehicleRecordSchema },
  cards: { key: 'cardNumber', schema: cardRecordSchema },
} as const;
export type RegistryTable = keyof typeof REGISTRY_TABLES;

export interface Route {
  operationId: string;
  method: 'get' | 'post' | 'put';
  /** OpenAPI path template under the base URL. */
  path: string;
  summary: string;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema: z.ZodType }>;
}

const ARM_NOT_IN_DB_NOTE = '6.22: not in the registry';
const err = (description: string) => ({ description, schema: errorSchema });

/** GET /requests: every request the data centre holds, in the order they were created (each processed if its time has come). */
export const requestListSchema = z.strictObject({ requests: z.array(requestViewSchema) });
/** GET /registry/{table}: the table's records, in the order they were filed. */
export const registryListSchema = <S extends z.ZodType>(schema: S) => z.strictObject({ records: z.array(schema) });

export const ROUTES: Route[] = [
  {
    operationId: 'listRequests',
    method: 'get',
    path: '/requests',
    summary: 'Every request with its status, section and processing error, in the order created (what the rig reads as records)',
    responses: { 200: { description: 'the requests', schema: requestListSchema } },
  },
  {
    operationId: 'createRequest',
    method: 'post',
    path: '/requests',
    summary: 'АРМП: create an activation request for a block, a tachograph, a vehicle, bound to a workshop card',
    body: newRequestSchema,
    responses: { 201: { description: 'created', schema: requestViewSchema }, 400: err('malformed body'), 404: err('6.22: the block is not in the registry'), 409: err('6.23: the vehicle has a valid activation') },
  },
  {
    operationId: 'getRequest',
    method: 'get',
    path: '/requests/{requestId}',
    summary: 'A request with its status, section and processing error',
    responses: { 200: { description: 'the request', schema: requestViewSchema }, 404: err('no such request') },
  },
  {
    operationId: 'submitSigned',
    method: 'post',
    path: '/requests/{requestId}/signed',
    summary: 'АРМА: send the request the block signed at STEP 1 to the data centre («Отправлено в центр обработки»)',
    body: signedRequestSchema,
    responses: {
      200: { description: 'sent', schema: requestViewSchema },
      400: err('6.25: malformed or unsigned'),
      404: err('6.22: the block is not in the registry, or no such request'),
      409: err('6.23: sent before (a replay)'),
      422: err('6.25: the signature does not verify, or it signs another request'),
    },
  },
  {
    operationId: 'resendRequest',
    method: 'post',
    path: '/requests/{requestId}/resend',
    summary: '«Обработать ошибку» (6.10): optionally correct the vehicle data (6.39), send again',
    body: resendSchema,
    responses: { 200: { description: 'sent again', schema: requestViewSchema }, 400: err('malformed body'), 404: err('no such request'), 409: err('the request is not in «Ошибки обработки запроса»') },
  },
  {
    operationId: 'getCertificate',
    method: 'get',
    path: '/requests/{requestId}/certificate',
    summary: 'The qualified certificate of the block keys, once issued (5.4)',
    responses: { 200: { description: 'the certificate', schema: skziCertificateSchema }, 404: err('no such request, or no certificate (yet)') },
  },
  {
    operationId: 'uploadReceipt',
    method: 'post',
    path: '/requests/{requestId}/receipt',
    summary: 'The owner\'s receipt for the certificate (1.1 item 10): closes the request',
    responses: { 200: { description: 'closed', schema: requestViewSchema }, 404: err('no such request'), 409: err('not awaiting the receipt') },
  },
  {
    operationId: 'revoke',
    method: 'post',
    path: '/revocations',
    summary: '«Отзыв активизации» (5.6): breaks vehicle↔tachograph and tachograph↔block; irreversible',
    body: revocationSchema,
    responses: {
      200: { description: 'revoked', schema: revocationResultSchema },
      400: err('malformed body'),
      404: err('6.22: nothing to revoke'),
      409: err('6.43 awaiting the receipt; 6.44 the activation is not in the registry'),
    },
  },
  ...(Object.keys(REGISTRY_TABLES) as RegistryTable[]).flatMap((table): Route[] => [
    {
      operationId: `list-${table}`,
      method: 'get',
      path: `/registry/${table}`,
      summary: `ФБУ «Росавтотранс» registry: every record of ${table}, in the order filed (what the rig reads as records)`,
      responses: { 200: { description: 'the records', schema: registryListSchema(REGISTRY_TABLES[table].schema) } },
    },
    {
      operationId: `get-${table}`,
      method: 'get',
      path: `/registry/${table}/{id}`,
      summary: `ФБУ «Росавтотранс» registry: one record of ${table}`,
      responses: { 200: { description: 'the record', schema: REGISTRY_TABLES[table].schema }, 404: err(ARM_NOT_IN_DB_NOTE) },
    },
    {
      operationId: `put-${table}`,
      method: 'put',
      path: `/registry/${table}/{id}`,
      summary: `Registry maintenance (the manufacturer's or the ФБУ's change, 6.13–6.18): put one record of ${table}`,
      body: REGISTRY_TABLES[table].schema,
      responses: { 200: { description: 'stored', schema: REGISTRY_TABLES[table].schema }, 400: err('malformed body, or its key differs from the path') },
    },
  ]),
];

