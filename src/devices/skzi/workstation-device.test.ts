import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { workshopCardSchema } from '../cards/card-schema.ts';
import { registryFor } from './activation-bench.ts';
import { newCarrier } from './card-slot.ts';
import { DataCentre } from './data-centre/data-centre.ts';
import { dataCentreHandlers } from './data-centre/handlers.ts';
import { nkmTachographOptions } from './options.ts';
import { handOver, rigExchange } from './rig-exchange.ts';
import { ARM_MESSAGE } from './texts.ts';
import { createWorkstationMachine, workstationOptions } from './workstation-device.ts';
import { Workstation } from './workstation.ts';

/**
 * The АРМА device against a data centre reached over real HTTP (the rig file's `url:`): a node:http server in
 * this process answers with the data centre's msw handlers, so the workstation's requests go through a socket,
 * not through the rig's in-process resolution. Operations run in order, each answer applied before the next.
 */
const START = Date.parse('2026-03-02T08:00:00Z');
const tacho = nkmTachographOptions.parse({});
const VEHICLE = { vin: 'XTA210990Y2765432', vrn: 'А123ВС77', pts: '77УХ123456' };
const card = workshopCardSchema.parse({
  type: 'workshop',
  issuingMemberState: 'RUS',
  cardNumber: 'RUS0000007770002',
  workshopName: 'Masterskaya',
  address: 'Moskva',
  holder: { surname: 'PETROV', firstNames: 'Petr' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});
const dc = new DataCentre({ now: () => START, registry: registryFor(tacho, VEHICLE, { cardNumber: card.cardNumber, expiry: '2030-12-31' }) });
let server: Server;
let url: string;
let hits = 0;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    hits++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(`${origin}${req.url}`, { method: req.method!, headers: req.headers as Record<string, string>, ...(body ? { body } : {}) });
    const response = await getResponse(dataCentreHandlers(dc, `${origin}/api/v1`, { checkAnswers: true }), request);
    res.writeHead(response?.status ?? 404, { 'content-type': 'application/json' });
    res.end(response ? await response.text() : JSON.stringify({ error: 'no such route' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the АРМА device with a real data centre (url)', () => {
  it('creates the request over HTTP, writes it onto the card, then shows 6.25 for a card with nothing signed', async () => {
    const clock = {};
    const exchange = rigExchange(clock);
    const inFlight = new Set<Promise<unknown>>();
    const actor = createActor(createWorkstationMachine({ now: () => START, arm: new Workstation(url), exchange, inFlight })).start();
    handOver(exchange, 'bare', newCarrier(card));
    actor.send({ type: 'card.receive', name: 'bare' });
    const owner = { name: 'ООО «Перевозчик»', inn: '7701234567' };
    actor.send({ type: 'arm.op', op: { op: 'createRequest', card: 'bare', nkmFactoryNo: tacho.nkm.factoryNo, tachographNo2: tacho.tachograph.number2, vehicle: VEHICLE, owner } });
    actor.send({ type: 'arm.op', op: { op: 'sendSigned', card: 'bare' } });
    while (inFlight.size) await Promise.allSettled([...inFlight]);
    const { log, cards } = actor.getSnapshot().context;
    expect(log.map((e) => [e.kind, e.code, e.fields])).toEqual([
      ['shown', 'created', { operation: 'createRequest', ok: true, httpStatus: 201 }],
      ['request', 'R-000001', { status: 'created', section: null, error: null, certificateSerial: null }],
      // 5.3 item 7: nothing signed on the card yet: 6.25, and nothing is sent
      ['shown', ARM_MESSAGE.notSigned, { operation: 'sendSigned', ok: false, httpStatus: 0 }],
    ]);
    expect(hits).toBe(1);
    expect(cards.bare!.skzi.request?.requestId).toBe('R-000001');
    expect(dc.requestIds()).toEqual(['R-000001']);
  });

  it('takes exactly one of dataCentre (a rig device) and url', () => {
    expect(workstationOptions.safeParse({ dataCentre: 'skzi-dc' }).success).toBe(true);
    expect(workstationOptions.safeParse({ url: 'http://dc.example/api/v1' }).success).toBe(true);
    expect(workstationOptions.safeParse({}).success).toBe(false);
    expect(workstationOptions.safeParse({ dataCentre: 'skzi-dc', url: 'http://dc.example/api/v1' }).success).toBe(false);
  });
});
