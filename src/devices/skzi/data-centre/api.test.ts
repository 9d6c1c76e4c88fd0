import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nkmTachographOptions } from '../options.ts';
import { nkmTestKey, signRequest } from '../signing.ts';
import type { SignedRequest } from '../schemas.ts';
import { ARM_MESSAGE, ARM_SECTION } from '../texts.ts';
import { registryFor } from '../activation-bench.ts';
import { ROUTES } from './api.ts';
import { DataCentre } from './data-centre.ts';
import { dataCentreHandlers, mswPath } from './handlers.ts';
import { dataCentreOpenApi, dataCentreOpenApiText } from './openapi.ts';

/**
 * The data centre's HTTP API through msw: bad input (a malformed body, an unknown block, a replayed signed
 * request, a forged signature) gets the exact error and changes nothing; the committed OpenAPI document is the
 * one the schemas generate, and every operation in it has its handler.
 */
const BASE = 'http://dc.test/api/v1';
const START = Date.parse('2026-03-02T08:00:00Z');
const o = nkmTachographOptions.parse({});
const VEHICLE = { vin: 'XTA210990Y2765432', vrn: 'А123ВС77', pts: '77УХ123456' };
const CARD = 'RUS0000007770001';
let now = START;
let dc: DataCentre;
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  now = START;
  dc = new DataCentre({ now: () => now, registry: registryFor(o, VEHICLE, { cardNumber: CARD, expiry: '2030-12-31' }) });
  server.resetHandlers(...dataCentreHandlers(dc, BASE, { checkAnswers: true }));
});

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const response = await fetch(`${BASE}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const newRequest = { cardNumber: CARD, nkmFactoryNo: o.nkm.factoryNo, tachographNo2: o.tachograph.number2, vehicle: VEHICLE, owner: { name: 'ООО «Перевозчик»', inn: '7701234567' } };

async function createdAndSigned(): Promise<SignedRequest> {
  const created = await call('POST', '/requests', newRequest);
  expect(created.status).toBe(201);
  const request = (created.body as { request: SignedRequest['request'] }).request;
  const key = nkmTestKey(o.nkm.factoryNo);
  return signRequest(key, { request, nkm: { model: 'НКМ-2.11', swVersion: '2.11', factoryNo: o.nkm.factoryNo, regNo: o.nkm.regNo, publicKey: key.publicPoint }, tachographNo2: o.tachograph.number2, signedAt: START });
}

const state = () => JSON.stringify({ registry: dc.registry, request: dc.handle('getRequest', { requestId: 'R-000001' }, undefined) });

describe('data centre API: bad input gets the exact error and changes nothing', () => {
  it('a signed request sent once is «Отправлено в центр обработки» (the positive control)', async () => {
    const signed = await createdAndSigned();
    const sent = await call('POST', '/requests/R-000001/signed', signed);
    expect(sent).toMatchObject({ status: 200, body: { status: 'sent', section: ARM_SECTION.sent, sentAt: START } });
  });

  it('a malformed signed request (not JSON, a field missing) is 6.25', async () => {
    await createdAndSigned();
    const before = state();
    expect(await call('POST', '/requests/R-000001/signed', undefined, '{"request":')).toEqual({ status: 400, body: { error: ARM_MESSAGE.notSigned, issues: [': Invalid input: expected object, received symbol'] } });
    const missing = await call('POST', '/requests/R-000001/signed', { signature: 'ab' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe(ARM_MESSAGE.notSigned);
    expect(state()).toBe(before);
  });

  it('a forged signature or a signature over another request is 6.25 (422)', async () => {
    const signed = await createdAndSigned();
    const before = state();
    const flipped = (signed.signature[0] === '0' ? '1' : '0') + signed.signature.slice(1);
    expect(await call('POST', '/requests/R-000001/signed', { ...signed, signature: flipped })).toEqual({ status: 422, body: { error: ARM_MESSAGE.notSigned } });
    const otherKey = nkmTestKey('20E3S00099999999');
    const byOther = signRequest(otherKey, { ...signed, nkm: { ...signed.nkm, publicKey: otherKey.publicPoint } });
    expect(await call('POST', '/requests/R-000001/signed', byOther)).toEqual({ status: 422, body: { error: ARM_MESSAGE.notSigned } });
    expect(state()).toBe(before);
  });

  it('an unknown block is 6.22, at creation and at sending', async () => {
    const signed = await createdAndSigned();
    const before = state();
    expect(await call('POST', '/requests', { ...newRequest, nkmFactoryNo: '20E3S00099999999' })).toEqual({ status: 404, body: { error: ARM_MESSAGE.notInDatabase } });
    const key = nkmTestKey('20E3S00099999999');
    const unknown = signRequest(key, { ...signed, nkm: { ...signed.nkm, factoryNo: '20E3S00099999999', publicKey: key.publicPoint } });
    expect(await call('POST', '/requests/R-000001/signed', unknown)).toEqual({ status: 404, body: { error: ARM_MESSAGE.notInDatabase } });
    expect(state()).toBe(before);
  });

  it('a replayed signed request is 6.23 and changes nothing', async () => {
    const signed = await createdAndSigned();
    await call('POST', '/requests/R-000001/signed', signed);
    const before = state();
    expect(await call('POST', '/requests/R-000001/signed', signed)).toEqual({ status: 409, body: { error: ARM_MESSAGE.alreadyRegistered } });
    expect(state()).toBe(before);
  });

  it('a request for a vehicle with a valid activation is 6.23 at creation', async () => {
    dc.registry.vehicles[VEHICLE.vin] = { ...dc.registry.vehicles[VEHICLE.vin]!, linkedTachograph: 'SM1420000999' };
    expect(await call('POST', '/requests', newRequest)).toEqual({ status: 409, body: { error: ARM_MESSAGE.alreadyRegistered } });
    expect(dc.handle('getRequest', { requestId: 'R-000001' }, undefined).status).toBe(404);
  });

  it('6.44: a revocation of an activation the registry never recorded names the revocation number', async () => {
    const signed = await createdAndSigned();
    await call('POST', '/requests/R-000001/signed', signed);
    now += 3_600_000;
    await call('GET', '/requests/R-000001');
    await call('POST', '/requests/R-000001/receipt');
    dc.registry.nkm[o.nkm.factoryNo] = { ...dc.registry.nkm[o.nkm.factoryNo]!, activationRecorded: false };
    expect(await call('POST', '/revocations', { nkmFactoryNo: o.nkm.factoryNo })).toEqual({
      status: 409,
      body: { error: 'Отработка ошибки недоступна. СКЗИ не найден в перечне ФБУ «Росавтотранс». Номер отзыва в перечне - 0000001' },
    });
    expect(dc.registry.nkm[o.nkm.factoryNo]?.status).toBe('active');
  });
});

describe('data centre API: the listings the rig reads as records', () => {
  it('GET /requests lists every request in creation order, processed when due; GET /registry/<table> every record in filing order', async () => {
    expect(await call('GET', '/requests')).toEqual({ status: 200, body: { requests: [] } });
    const signed = await createdAndSigned();
    await call('POST', '/requests/R-000001/signed', signed);
    now += 3_600_000; // 6.34: an hour on, the listing itself processes it
    const listed = await call('GET', '/requests');
    expect((listed.body.requests as { request: { requestId: string }; status: string; certificateSerial: string }[]).map((r) => [r.request.requestId, r.status, r.certificateSerial])).toEqual([['R-000001', 'awaiting-receipt', 'C-000001']]);
    expect(await call('GET', '/registry/tachographs')).toEqual({ status: 200, body: { records: [{ no2: o.tachograph.number2, linkedNkm: o.nkm.factoryNo, blocked: false }] } });
    expect(await call('GET', '/registry/vehicles')).toEqual({ status: 200, body: { records: [{ ...VEHICLE, country: 'RUS', linkedTachograph: o.tachograph.number2, blocked: false }] } });
    expect(await call('GET', '/registry/cards')).toEqual({ status: 200, body: { records: [{ cardNumber: CARD, expiry: '2030-12-31', blocked: false }] } });
    const nkm = await call('GET', '/registry/nkm');
    expect((nkm.body.records as { factoryNo: string; status: string }[]).map((r) => [r.factoryNo, r.status])).toEqual([[o.nkm.factoryNo, 'active']]);
  });
});

describe('data centre API document', () => {
  it('openapi.json is what the schemas generate (regenerate: npx tsx src/devices/skzi/data-centre/write-openapi.ts)', () => {
    expect(readFileSync(new URL('./openapi.json', import.meta.url), 'utf8')).toBe(dataCentreOpenApiText());
  });

  it('every operation of the document has a handler answering at its path', async () => {
    const doc = dataCentreOpenApi() as { paths: Record<string, Record<string, { operationId: string }>> };
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, id: op.operationId })));
    expect(operations).toHaveLength(ROUTES.length);
    for (const op of operations) {
      const path = op.path.replace(/\{\w+\}/g, 'X-000000');
      const response = await fetch(`${BASE}${path}`, { method: op.method.toUpperCase(), headers: { 'content-type': 'application/json' }, ...(op.method === 'get' ? {} : { body: '{}' }) });
      // answered by a handler (msw would throw on an unhandled request), with a status the document declares
      const declared = Object.keys(ROUTES.find((r) => r.operationId === op.id)!.responses).map(Number);
      expect(declared, `${op.method} ${op.path}`).toContain(response.status);
    }
    expect(mswPath(BASE, ROUTES.find((r) => r.operationId === 'getRequest')!)).toBe(`${BASE}/requests/:requestId`);
  });
});
