import { setupServer } from 'msw/node';
import { createActor, type Actor } from 'xstate';
import { SteppingClock } from './stepping-clock.ts';
import type { VirtualCard } from '../cards/card.ts';
import { newCarrier, type WorkshopCarrier } from './card-slot.ts';
import type { Registry } from './data-centre/registry-rules.ts';
import { DataCentre } from './data-centre/data-centre.ts';
import { dataCentreHandlers } from './data-centre/handlers.ts';
import { createNkmMachine, type NkmEmitted, type NkmEvent } from './nkm-machine.ts';
import { nkmTachographOptions, type NkmTachographOptions } from './options.ts';
import { nkmTestKey } from './signing.ts';
import { Workstation } from './workstation.ts';
import type { z } from 'zod';

/** What a tachograph did that a person sees, in order, with the rig time. */
export type BenchEntry = { at: number; device: string } & (
  | { type: 'display'; text: string }
  | { type: 'ejected' }
  | { type: 'withdrawn' }
  | { type: 'restarted' }
  | { type: 'printout'; name: string; lines: string[] }
  | { type: 'refused'; event: string; reason: string }
);

/**
 * The activation's pieces on one simulated clock: tachographs with their НКМ block (nkm-machine.ts), workshop
 * cards that move between the tachographs and the АРМА's reader, the АРМА (workstation.ts) talking HTTP to the
 * data centre and registry served by msw (`onUnhandledRequest: 'error'`: nothing leaves the process).
 * Scenarios drive it as a workshop would and read back the log, the cards and the registry.
 */
export class ActivationBench {
  readonly clock: SteppingClock;
  readonly dataCentre: DataCentre;
  readonly arm: Workstation;
  readonly log: BenchEntry[] = [];
  private readonly server: ReturnType<typeof setupServer>;
  private readonly tachographs = new Map<string, Actor<ReturnType<typeof createNkmMachine>>>();
  private readonly cards = new Map<string, { carrier: WorkshopCarrier; in: string | null }>();

  constructor(options: { start: number; registry: Partial<Registry>; processingMs?: number; baseUrl?: string }) {
    this.clock = new SteppingClock(options.start);
    this.dataCentre = new DataCentre({ now: () => this.clock.now(), registry: options.registry, ...(options.processingMs !== undefined ? { processingMs: options.processingMs } : {}) });
    const baseUrl = options.baseUrl ?? 'http://skzi-data-centre.rig/api/v1';
    this.server = setupServer(...dataCentreHandlers(this.dataCentre, baseUrl, { checkAnswers: true }));
    this.server.listen({ onUnhandledRequest: 'error' });
    this.arm = new Workstation(baseUrl);
  }

  close(): void {
    this.server.close();
    for (const actor of this.tachographs.values()) actor.stop();
  }

  addTachograph(name: string, options: z.input<typeof nkmTachographOptions> = {}): NkmTachographOptions {
    const parsed = nkmTachographOptions.parse(options);
    const actor = createActor(createNkmMachine(() => this.clock.now()), { input: { options: parsed }, clock: this.clock });
    actor.on('*', (e: NkmEmitted) => this.record(name, e));
    actor.start();
    this.tachographs.set(name, actor);
    return parsed;
  }

  addCard(name: string, card: VirtualCard): void {
    this.cards.set(name, { carrier: newCarrier(card), in: null });
  }

  /** The card as it is now (in a hand, in the reader, or as the tachograph holding it last gave it back). */
  card(name: string): WorkshopCarrier {
    return this.cards.get(name)!.carrier;
  }

  /** The АРМА works on the card in its reader: `edit` gives the card back changed. */
  async atWorkstation<T>(cardName: string, edit: (carrier: WorkshopCarrier) => Promise<{ carrier: WorkshopCarrier; value: T }> | { carrier: WorkshopCarrier; value: T }): Promise<T> {
    const held = this.cards.get(cardName)!;
    if (held.in !== null) throw new Error(`card ${cardName} is in ${held.in}, not in the workstation's reader`);
    const { carrier, value } = await edit(held.carrier);
    held.carrier = carrier;
    return value;
  }

  send(tachograph: string, event: NkmEvent): void {
    this.tachographs.get(tachograph)!.send(event);
  }

  insert(tachograph: string, cardName: string): void {
    const held = this.cards.get(cardName)!;
    if (held.in !== null) throw new Error(`card ${cardName} is already in ${held.in}`);
    const before = this.log.length;
    this.send(tachograph, { type: 'card.insert', carrier: held.carrier });
    if (!this.log.slice(before).some((e) => e.type === 'refused')) held.in = tachograph;
  }

  /** Rig time passes (the tachographs' screens and restarts run on it; the data centre answers on it). */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  snapshot(tachograph: string) {
    return this.tachographs.get(tachograph)!.getSnapshot();
  }

  entries(device: string, from = 0): BenchEntry[] {
    return this.log.slice(from).filter((e) => e.device === device);
  }

  /** Bytes from ТахоМастер onto the tachograph's service port; the frames it answered with. */
  serviceLink(tachograph: string, bytes: Uint8Array): Uint8Array[] {
    const answers: Uint8Array[] = [];
    const subscription = this.tachographs.get(tachograph)!.on('port.tx', (e: { bytes: Uint8Array }) => answers.push(e.bytes));
    this.send(tachograph, { type: 'port.rx', port: 'service', bytes });
    subscription.unsubscribe();
    return answers;
  }

  private record(device: string, e: NkmEmitted): void {
    const base = { at: this.clock.now(), device };
    switch (e.type) {
      case 'port.tx':
        return;
      case 'nkm.display':
        this.log.push({ ...base, type: 'display', text: e.text });
        return;
      case 'nkm.card-ejected':
      case 'nkm.card-withdrawn': {
        const name = [...this.cards.entries()].find(([, c]) => c.carrier.card.cardNumber === e.carrier.card.cardNumber)?.[0];
        if (name) this.cards.set(name, { carrier: e.carrier, in: null });
        this.log.push({ ...base, type: e.type === 'nkm.card-ejected' ? 'ejected' : 'withdrawn' });
        return;
      }
      case 'nkm.restarted':
        this.log.push({ ...base, type: 'restarted' });
        return;
      case 'nkm.printout':
        this.log.push({ ...base, type: 'printout', name: e.name, lines: e.lines });
        return;
      case 'nkm.refused':
        this.log.push({ ...base, type: 'refused', event: e.event, reason: e.reason });
        return;
    }
  }
}

/**
 * A registry as the manufacturer and the ФБУ leave it before activation: the tachograph linked to its
 * factory-fitted block, the block filed with its public key, the vehicle and the workshop card listed.
 */
export function registryFor(tachograph: NkmTachographOptions, vehicle: { vin: string; vrn: string; pts: string }, card: { cardNumber: string; expiry: string }): Registry {
  const { factoryNo, model } = tachograph.nkm;
  const no2 = tachograph.tachograph.number2;
  return {
    tachographs: { [no2]: { no2, linkedNkm: factoryNo, blocked: false } },
    nkm: { [factoryNo]: { factoryNo, model, publicKey: nkmTestKey(factoryNo).publicPoint, linkedTachograph: no2, status: 'new', activationRecorded: true } },
    vehicles: { [vehicle.vin]: { ...vehicle, country: 'RUS', linkedTachograph: null, blocked: false } },
    cards: { [card.cardNumber]: { cardNumber: card.cardNumber, expiry: card.expiry, blocked: false } },
  };
}
