import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { newCarrier } from './card-slot.ts';
import { DataCentre } from './data-centre/data-centre.ts';
import { serveDataCentre, type ServedDataCentre } from './data-centre/serve-http.ts';
import { handOver, rigExchange } from './rig-exchange.ts';
import { ARM_MESSAGE } from './texts.ts';
import { createWorkstationMachine } from './workstation-device.ts';
import { Workstation } from './workstation.ts';
import { START, tacho, VEHICLE, card, OWNER, testDataCentre } from './workstation-test-fixtures.ts';

/**
 * The АРМА against a real data centre (`url:`) that is out of reach (seed 6.3 / 6.4; the retry is the rig's):
 * a node:http server answering 503, a closed port (connection refused), a server that never answers (the
 * АРМА's timeout). Each shows «Не происходит подключение к серверу» with its cause, keeps the operation and
 * sends it again at the retry; once the service answers, the operation goes through once and nothing is lost.
 * The retries' timers run on a hand-driven clock (XState's `clock`), so nothing here waits on wall time except
 * the timeout case's own 150 ms socket wait.
 */

const servers: ServedDataCentre[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** A data centre behind node:http; `trouble(n)` may answer the n-th request itself (a 503, or never). */
async function dataCentreServer(dc: DataCentre, trouble: (n: number, res: ServerResponse) => boolean, port = 0): Promise<{ url: string; hits: () => number }> {
  const served = await serveDataCentre(dc, { trouble, port });
  servers.push(served);
  return { url: served.url, hits: () => served.hits.length };
}

/** XState's clock by hand: timers fire when `fire` says so, in due order. */
function handClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    clock: {
      setTimeout: (fn: (...args: unknown[]) => void, ms: number) => {
        const id = nextId++;
        timers.set(id, { at: now + ms, fn });
        return id;
      },
      clearTimeout: (id: unknown) => void timers.delete(id as number),
    },
    /** Advances to the next timer and fires it; false when none is set. */
    fireNext(): boolean {
      const next = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) return false;
      timers.delete(next[0]);
      now = next[1].at;
      next[1].fn();
      return true;
    },
    get now() {
      return now;
    },
  };
}

function workstation(url: string, timeoutMs = 30_000) {
  const exchange = rigExchange({});
  const inFlight = new Set<Promise<unknown>>();
  const hand = handClock();
  const actor = createActor(createWorkstationMachine({ now: () => START + hand.now, arm: new Workstation(url, globalThis.fetch, timeoutMs), exchange, inFlight, retryMs: 60_000 }), { clock: hand.clock }).start();
  handOver(exchange, 'bare', newCarrier(card));
  actor.send({ type: 'card.receive', name: 'bare' });
  const settle = async () => {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  };
  const shown = () => actor.getSnapshot().context.log.filter((e) => e.kind === 'shown').map((e) => [e.at - START, e.code, e.fields]);
  return { actor, hand, settle, shown };
}

const createRequest = { op: 'createRequest' as const, card: 'bare', nkmFactoryNo: tacho.nkm.factoryNo, tachographNo2: tacho.tachograph.number2, vehicle: VEHICLE, owner: OWNER };
const newDc = () => testDataCentre();

describe('the АРМА and a real data centre out of reach (url)', () => {
  it('503 twice (an HTML page), then the request is created once at the second retry, and the next operation after it', async () => {
    const dc = newDc();
    const server = await dataCentreServer(dc, (n, res) => {
      if (n > 2) return false;
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><body>503 Service Unavailable</body></html>');
      return true;
    });
    const { actor, hand, settle, shown } = workstation(server.url);
    actor.send({ type: 'arm.op', op: createRequest });
    actor.send({ type: 'arm.op', op: { op: 'checkRequest', requestId: 'R-000001' } });
    await settle();
    expect(shown()).toEqual([[0, ARM_MESSAGE.serverUnreachable, { operation: 'createRequest', ok: false, httpStatus: 503, cause: 'HTTP 503' }]]);
    expect(dc.requestIds()).toEqual([]);
    expect(actor.getSnapshot().context.cards.bare!.skzi.request).toBeUndefined();
    expect(hand.fireNext()).toBe(true);
    await settle();
    expect(hand.fireNext()).toBe(true);
    await settle();
    expect(shown()).toEqual([
      [0, ARM_MESSAGE.serverUnreachable, { operation: 'createRequest', ok: false, httpStatus: 503, cause: 'HTTP 503' }],
      [60_000, ARM_MESSAGE.serverUnreachable, { operation: 'createRequest', ok: false, httpStatus: 503, cause: 'HTTP 503' }],
      [120_000, 'created', { operation: 'createRequest', ok: true, httpStatus: 201 }],
      [120_000, 'created', { operation: 'checkRequest', ok: true, httpStatus: 200 }],
    ]);
    // created once, written onto the card; nothing waits any more
    expect(dc.requestIds()).toEqual(['R-000001']);
    expect(actor.getSnapshot().context.cards.bare!.skzi.request?.requestId).toBe('R-000001');
    expect(server.hits()).toBe(4);
    expect(hand.fireNext()).toBe(false);
  });

  it('a closed port is «connection refused»; when a server listens there again the retry goes through', async () => {
    // a port that was just free: listen, note it, close
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { actor, hand, settle, shown } = workstation(`http://127.0.0.1:${port}/api/v1`);
    actor.send({ type: 'arm.op', op: createRequest });
    await settle();
    expect(shown()).toEqual([[0, ARM_MESSAGE.serverUnreachable, { operation: 'createRequest', ok: false, httpStatus: 0, cause: 'connection refused' }]]);
    // the service returns on that port
    const dc = newDc();
    await dataCentreServer(dc, () => false, port);
    expect(hand.fireNext()).toBe(true);
    await settle();
    expect(shown().at(-1)).toEqual([60_000, 'created', { operation: 'createRequest', ok: true, httpStatus: 201 }]);
    expect(dc.requestIds()).toEqual(['R-000001']);
  });

  it('a server that never answers is a «timeout» after the АРМА\'s timeoutMs; the answer at the retry goes through', async () => {
    const dc = newDc();
    const server = await dataCentreServer(dc, (n) => n === 1); // the first request: no answer ever
    const { actor, hand, settle, shown } = workstation(server.url, 150);
    actor.send({ type: 'arm.op', op: createRequest });
    await settle();
    expect(shown()).toEqual([[0, ARM_MESSAGE.serverUnreachable, { operation: 'createRequest', ok: false, httpStatus: 0, cause: 'timeout' }]]);
    expect(dc.requestIds()).toEqual([]);
    expect(hand.fireNext()).toBe(true);
    await settle();
    expect(shown().at(-1)).toEqual([60_000, 'created', { operation: 'createRequest', ok: true, httpStatus: 201 }]);
    expect(server.hits()).toBe(2);
  });
});
