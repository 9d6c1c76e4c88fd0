import { getResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { newCarrier } from './card-slot.ts';
import { dataCentreHandlers } from './data-centre/handlers.ts';
import { handOver, rigExchange } from './rig-exchange.ts';
import { ARM_MESSAGE } from './texts.ts';
import { createWorkstationMachine } from './workstation-device.ts';
import { Workstation } from './workstation.ts';
import { START, tacho, VEHICLE, card, testDataCentre } from './workstation-test-fixtures.ts';

/**
 * The АРМА's session (seed 6.24, length rig-defined): run out, every operation shows 6.24 and sends nothing;
 * a login with the card's PIN (a real VERIFY: a wrong one counts down the card's counter and opens nothing)
 * offers the unfinished stage 1; «Продолжить запрос» with nothing offered sends nothing.
 */
const BASE = 'http://dc.test/api/v1';

function setUp() {
  let now = START;
  const dc = testDataCentre(() => now);
  const handlers = dataCentreHandlers(dc, BASE, { checkAnswers: true });
  const requests: string[] = [];
  const viaMsw: typeof fetch = async (input, init) => {
    const request = new Request(String(input), init);
    requests.push(`${request.method} ${new URL(request.url).pathname}`);
    return (await getResponse(handlers, request))!;
  };
  const exchange = rigExchange({});
  const inFlight = new Set<Promise<unknown>>();
  const actor = createActor(createWorkstationMachine({ now: () => now, arm: new Workstation(BASE, viaMsw), exchange, inFlight, sessionMs: 1_800_000 })).start();
  handOver(exchange, 'bare', newCarrier(card));
  actor.send({ type: 'card.receive', name: 'bare' });
  const op = async (o: Parameters<typeof actor.send>[0] extends infer E ? (E extends { type: 'arm.op'; op: infer O } ? O : never) : never) => {
    actor.send({ type: 'arm.op', op: o });
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  };
  const shown = () => actor.getSnapshot().context.log.filter((e) => e.kind === 'shown').map((e) => [(e.at - START) / 60_000, e.code, e.fields.operation, e.fields.ok]);
  return { actor, dc, requests, op, shown, at: (minutes: number) => (now = START + minutes * 60_000) };
}

const create = { op: 'createRequest' as const, card: 'bare', nkmFactoryNo: tacho.nkm.factoryNo, tachographNo2: tacho.tachograph.number2, vehicle: VEHICLE, owner: { name: 'ООО «Перевозчик»', inn: '7701234567' } };

describe('the АРМА session (6.24)', () => {
  it('run out: operations show 6.24 and send nothing; a wrong PIN at login opens nothing and counts down the card; the right one offers the stage 1', async () => {
    const s = setUp();
    await s.op(create);
    s.at(30); // exactly 30 minutes: still live
    await s.op({ op: 'checkRequest', requestId: 'R-000001' });
    s.at(61);
    await s.op({ op: 'checkRequest', requestId: 'R-000001' });
    await s.op({ op: 'login', card: 'bare', pin: '0000' });
    await s.op({ op: 'checkRequest', requestId: 'R-000001' });
    expect(s.actor.getSnapshot().context.cards.bare!.memory.pinTriesLeft).toBe(2);
    await s.op({ op: 'login', card: 'bare', pin: '1234' });
    expect(s.shown()).toEqual([
      [0, 'created', 'createRequest', true],
      [30, 'created', 'checkRequest', true],
      [61, ARM_MESSAGE.sessionExpired, 'checkRequest', false],
      [61, 'wrong PIN, 2 tries left', 'login', false],
      [61, ARM_MESSAGE.sessionExpired, 'checkRequest', false],
      [61, ARM_MESSAGE.unfinishedStage1({ requestId: 'R-000001', date: '02.03.2026', pts: VEHICLE.pts, vin: VEHICLE.vin, vrn: VEHICLE.vrn, owner: 'ООО «Перевозчик»' }), 'login', true],
    ]);
    // the refused operations never reached the data centre; the login read the requests
    expect(s.requests).toEqual(['POST /api/v1/requests', 'GET /api/v1/requests/R-000001', 'GET /api/v1/requests']);
    expect(s.actor.getSnapshot().context.cards.bare!.memory.pinTriesLeft).toBe(3);
    expect(s.actor.getSnapshot().context.offered).toBe('R-000001');
  });

  it('«Продолжить запрос» with no unfinished stage 1 offered sends nothing', async () => {
    const s = setUp();
    await s.op(create);
    await s.op({ op: 'continueRequest', card: 'bare' });
    expect(s.shown().at(-1)).toEqual([0, 'no unfinished stage 1 to continue (log in first)', 'continueRequest', false]);
    expect(s.requests).toEqual(['POST /api/v1/requests']);
    expect(s.dc.handle('getRequest', { requestId: 'R-000001' }, undefined).body).toMatchObject({ status: 'created' });
  });
});
