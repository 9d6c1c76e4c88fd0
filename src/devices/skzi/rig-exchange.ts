import type { HttpHandler } from 'msw';
import type { WorkshopCarrier } from './card-slot.ts';
import type { DataCentre } from './data-centre/data-centre.ts';

/**
 * What the activation's devices of one rig share besides links: the workshop cards in a person's hand between
 * the tachograph and the АРМА (the card is the only carrier, seed 5.3, 5.4), and the data centres the rig
 * serves with msw (their handlers, by device name). Keyed by the rig's clock, which every device of a rig is
 * given and no other rig shares: two rigs in one process (the tests) never see each other's cards or servers.
 */
export interface RigExchange {
  /** Cards handed over and not yet taken: `giveCard` on one device puts, `receiveCard` on the other takes. */
  hand: Map<string, WorkshopCarrier>;
  dataCentres: Map<string, ServedDataCentre>;
}

/** A data centre the rig serves: its msw handlers at `baseUrl`, and an outage while one is under way. */
export interface ServedDataCentre {
  baseUrl: string;
  /** The rig's own data centre and its msw handlers; absent for a real one (`real`, reached over HTTP at baseUrl). */
  dataCentre?: DataCentre;
  handlers?: HttpHandler[];
  real?: boolean;
  /**
   * Until `until` (rig time) no request reaches it: `refused` (connection refused), `timeout` (no answer: the
   * asker waits its timeout), `http` (a proxy answers `status`, a 5xx, with no API body).
   */
  outage?: { mode: 'refused' | 'timeout' | 'http'; status: number; until: number };
}

const exchanges = new WeakMap<object, RigExchange>();

export function rigExchange(clock: object): RigExchange {
  let exchange = exchanges.get(clock);
  if (!exchange) {
    exchange = { hand: new Map(), dataCentres: new Map() };
    exchanges.set(clock, exchange);
  }
  return exchange;
}

/** Puts a card in the hand that carries it to another device; a card already in a hand is an error. */
export function handOver(exchange: RigExchange, name: string, carrier: WorkshopCarrier): void {
  if (exchange.hand.has(name)) throw new Error(`card ${name} is already on its way to another device`);
  exchange.hand.set(name, carrier);
}

/** Takes the card handed over; none in the hand is an error (receiveCard without a giveCard). */
export function takeOver(exchange: RigExchange, name: string): WorkshopCarrier {
  const carrier = exchange.hand.get(name);
  if (!carrier) throw new Error(`no card ${name} was handed over (giveCard on the device holding it)`);
  exchange.hand.delete(name);
  return carrier;
}
