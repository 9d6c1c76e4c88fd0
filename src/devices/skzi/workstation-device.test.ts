import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { newCarrier } from './card-slot.ts';
import { serveDataCentre, type ServedDataCentre } from './data-centre/serve-http.ts';
import { handOver, rigExchange } from './rig-exchange.ts';
import { ARM_MESSAGE } from './texts.ts';
import { createWorkstationMachine, workstationOptions } from './workstation-device.ts';
import { Workstation } from './workstation.ts';
import { START, tacho, VEHICLE, card, testDataCentre } from './workstation-test-fixtures.ts';

/**
 * The АРМА device against a data centre reached over real HTTP (the rig file's `url:`): a node:http server in
 * this process answers with the data centre's msw handlers, so the workstation's requests go through a socket,
 * not through the rig's in-process resolution. Operations run in order, each answer applied before the next.
 */
const dc = testDataCentre();
let served: ServedDataCentre;
let url: string;

beforeAll(async () => {
  served = await serveDataCentre(dc);
  url = served.url;
});
afterAll(() => served.close());

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
    expect(served.hits.length).toBe(1);
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
