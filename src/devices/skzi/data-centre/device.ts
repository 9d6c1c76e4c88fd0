import { assign, setup } from 'xstate';
import { z } from 'zod';
import type { DeviceKind } from '../../../harness/devices/device-kind.ts';
import { freeCode, type RecordKinds } from '../../../harness/devices/record-kinds.ts';
import { nkmTestKey } from '../signing.ts';
import { rigExchange, type ServedDataCentre } from '../rig-exchange.ts';
import { getResponse } from 'msw';
import { cardRecordSchema, nkmRecordSchema, REGISTRY_TABLES, registryListSchema, REQUEST_STATUSES, requestListSchema, tachographRecordSchema, vehicleRecordSchema, type RegistryTable } from './api.ts';
import { DataCentre } from './data-centre.ts';
import { dataCentreHandlers } from './handlers.ts';
import type { Registry } from './registry-rules.ts';

/**
 * The data centre (ЦОД) and the ФБУ «Росавтотранс» registry as a rig device (README "The СКЗИ (НКМ)
 * activation"): the API of api.ts served by msw handlers in the rig process, at `baseUrl`, to the rig's
 * workstations (skzi-workstation with `dataCentre: <this device>`). Its registry starts as the rig file gives
 * it; a scenario changes it as the manufacturer or the ФБУ would (stimulus putRecord: a blocked card, a Latin
 * plate, a block tied to another tachograph, 6.11–6.21) and reads it back as records, with the requests' states.
 */
const blockKey = nkmRecordSchema.extend({
  /** Default: the rig's test key for the block (signing.ts nkmTestKey), as its maker files it. */
  publicKey: nkmRecordSchema.shape.publicKey.optional(),
});

export const dataCentreOptions = z.strictObject({
  /**
   * Where the handlers answer; default `http://<device>.skzi.rig/api/v1` (never a real host: msw serves it).
   */
  baseUrl: z.url().optional(),
  /**
   * A real data centre's API base URL: the rig serves nothing, the workstations naming this device talk to it
   * over HTTP, and its registry and requests are read as records through the API's listings. Its registry is
   * its own (the options' `registry` and `processingMs` do not apply); so is its clock. Required with
   * `mode: external` (a bench on a wall clock); on an emulated device it lets a virtual-clock run use a real
   * server, as the workstation's own `url:` does.
   */
  url: z.url().optional(),
  /** 6.34: a certificate takes 1 hour to 1 day; this data centre answers after this long (rig time). */
  processingMs: z.number().int().min(0).default(3_600_000),
  /** The registry before the run, by table and key (api.ts REGISTRY_TABLES). */
  registry: z
    .strictObject({
      tachographs: z.record(z.string(), tachographRecordSchema).default({}),
      nkm: z.record(z.string(), blockKey).default({}),
      vehicles: z.record(z.string(), vehicleRecordSchema).default({}),
      cards: z.record(z.string(), cardRecordSchema).default({}),
    })
    .prefault({}),
}).superRefine((o, ctx) => {
  // a record is filed under its own key (api.ts REGISTRY_TABLES): the records read back name it by that key
  for (const table of Object.keys(REGISTRY_TABLES) as RegistryTable[]) {
    for (const [id, record] of Object.entries(o.registry[table] as Record<string, Record<string, unknown>>)) {
      const key = REGISTRY_TABLES[table].key;
      if (record[key] !== id) ctx.addIssue({ code: 'custom', path: ['registry', table, id], message: `filed under ${id} but its ${key} is ${String(record[key])}` });
    }
  }
});
export type DataCentreDeviceOptions = z.output<typeof dataCentreOptions>;

export const defaultDataCentreUrl = (device: string) => `http://${device}.skzi.rig/api/v1`;

function registryOf(options: DataCentreDeviceOptions): Registry {
  const nkm = Object.fromEntries(Object.entries(options.registry.nkm).map(([id, r]) => [id, { ...r, publicKey: r.publicKey ?? nkmTestKey(r.factoryNo).publicPoint }]));
  return { ...options.registry, nkm };
}

export const dataCentreRecordKinds: RecordKinds = {
  tachograph: { description: 'a tachograph in the registry now', code: freeCode(z.string(), '«Номер 2»'), time: 'none', fields: tachographRecordSchema },
  nkm: { description: 'an СКЗИ block in the registry now', code: freeCode(z.string(), 'the factory number'), time: 'none', fields: nkmRecordSchema },
  vehicle: { description: 'a vehicle in the registry now', code: freeCode(z.string(), 'the VIN'), time: 'none', fields: vehicleRecordSchema },
  workshopCard: { description: 'a workshop card in the registry now', code: freeCode(z.string(), 'the card number'), time: 'none', fields: cardRecordSchema },
  request: {
    description: 'an activation request as the data centre holds it now (processed if its time has come)',
    code: freeCode(z.string(), 'the request id'),
    time: 'none',
    fields: z.strictObject({ status: z.enum(REQUEST_STATUSES), error: z.string().nullable(), vrn: z.string(), certificateSerial: z.string().nullable() }),
  },
};

const RECORD_KIND: Record<RegistryTable, string> = { tachographs: 'tachograph', nkm: 'nkm', vehicles: 'vehicle', cards: 'workshopCard' };

export const dataCentreKind: DeviceKind<DataCentreDeviceOptions> = {
  kind: 'skzi-data-centre',
  description: 'the СКЗИ data centre (ЦОД) and the ФБУ «Росавтотранс» registry behind their HTTP API, served by msw in the rig process (or a real one at url)',
  checkRig: (self) => (self.mode === 'external' && !self.options.url ? [{ path: ['url'], message: "an external data centre needs its API's url: the rig reads its registry there" }] : []),
  options: dataCentreOptions as unknown as z.ZodType<DataCentreDeviceOptions>,
  ports: {},
  machine: ({ name, options, clock }) => {
    if (options.url) {
      // a real data centre: nothing served here; the workstations and the records reach it at its URL
      rigExchange(clock).dataCentres.set(name, { baseUrl: options.url, real: true });
      return { machine: setup({}).createMachine({ id: 'skzi-data-centre-real' }) };
    }
    const baseUrl = options.baseUrl ?? defaultDataCentreUrl(name);
    const dataCentre = new DataCentre({ now: () => clock.now(), registry: registryOf(options), processingMs: options.processingMs });
    // checkAnswers: an answer that does not fit its declared schema is a 500 the workstation shows, never drift
    const served: ServedDataCentre = { baseUrl, dataCentre, handlers: dataCentreHandlers(dataCentre, baseUrl, { checkAnswers: true }) };
    rigExchange(clock).dataCentres.set(name, served);
    type DcEvent = { type: 'registry.put'; table: RegistryTable; id: string; record: unknown } | { type: 'dc.outage'; mode: 'refused' | 'timeout' | 'http'; status: number; forMs: number };
    const machine = setup({
      types: { context: {} as { changes: number }, events: {} as DcEvent },
      actions: {
        // from now, for forMs of rig time, no request reaches the handlers (the workstation sees it as 6.3/6.4)
        outage: ({ event }) => {
          if (event.type === 'dc.outage') served.outage = { mode: event.mode, status: event.status, until: clock.now() + event.forMs };
        },
        // the manufacturer's or the ФБУ's change, through the same operation the API offers (put-<table>)
        put: assign({
          changes: ({ context, event }) => {
            if (event.type !== 'registry.put') return context.changes;
            const answer = dataCentre.handle(`put-${event.table}`, { id: event.id }, event.record);
            if (answer.status !== 200) throw new Error(`the registry refused the ${event.table} record: ${JSON.stringify(answer.body)}`);
            return context.changes + 1;
          },
        }),
      },
    }).createMachine({ id: 'skzi-data-centre', context: { changes: 0 }, on: { 'registry.put': { actions: 'put' }, 'dc.outage': { actions: 'outage' } } });
    return { machine };
  },
  stimuli: {
    putRecord: {
      description: "put a registry record (the manufacturer's or the ФБУ's change: a blocked card, a vehicle's plate, a block tied to another tachograph)",
      args: z.strictObject({ table: z.enum(Object.keys(REGISTRY_TABLES) as [RegistryTable, ...RegistryTable[]]), record: z.record(z.string(), z.unknown()) }),
      toEvent: (a: { table: RegistryTable; record: Record<string, unknown> }, device) => {
        if ((device.options as DataCentreDeviceOptions).url) throw new Error(`${device.name} is a real data centre (url): its registry is its operators' to change`);
        const id = a.record[REGISTRY_TABLES[a.table].key];
        if (typeof id !== 'string') throw new Error(`a ${a.table} record names its ${REGISTRY_TABLES[a.table].key}`);
        return { type: 'registry.put', table: a.table, id, record: a.record };
      },
      emulatedOnly: 'registry maintenance is the ФБУ\'s and the makers\' work, not the workshop\'s',
    },
    outage: {
      description:
        'the data centre out of reach from now for forMs of rig time: refused (connection refused), timeout (the request gets no answer: the АРМА waits its timeoutMs) or http (a proxy answers status, 503 by default, with no API body); no request reaches the data centre meanwhile',
      args: z.strictObject({ mode: z.enum(['refused', 'timeout', 'http']), forMs: z.number().int().min(1), status: z.number().int().min(500).max(599).default(503) }),
      toEvent: (a: { mode: 'refused' | 'timeout' | 'http'; forMs: number; status: number }, device) => {
        if ((device.options as DataCentreDeviceOptions).url) throw new Error(`${device.name} is a real data centre (url): the rig cannot take it down`);
        return { type: 'dc.outage', mode: a.mode, forMs: a.forMs, status: a.status };
      },
      emulatedOnly: 'the rig serves this data centre; a real one is taken down by its own operators',
    },
  },
  recordKinds: dataCentreRecordKinds,
  records: (device, rig) => ({
    // through the front door, the API's listings (api.ts listRequests, list-<table>): from the msw handlers of a
    // data centre the rig serves, over HTTP from a real one (url)
    read: async () => {
      const url = (rig.device(device)?.options as DataCentreDeviceOptions | undefined)?.url;
      const served = rigExchange(rig.clock).dataCentres.get(device);
      let get: (path: string) => Promise<unknown>;
      if (url) get = (path) => answerJson(fetch(`${url.replace(/\/$/, '')}${path}`, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) }), `${url}${path}`);
      else if (served?.handlers) {
        const handlers = served.handlers;
        get = (path) => answerJson(getResponse(handlers, new Request(`${served.baseUrl.replace(/\/$/, '')}${path}`)), `${device} ${path}`);
      } else throw new Error(`skzi-data-centre '${device}' is not served in this rig: its registry is not reachable`);
      const tables = [];
      for (const table of Object.keys(REGISTRY_TABLES) as RegistryTable[]) {
        // checked against the API's schema; the fields as the data centre sent them (its key order)
        const raw = await get(`/registry/${table}`);
        registryListSchema(REGISTRY_TABLES[table].schema).parse(raw);
        const { records } = raw as { records: Record<string, unknown>[] };
        tables.push(...records.map((record) => ({ kind: RECORD_KIND[table], code: String(record[REGISTRY_TABLES[table].key]), fields: record })));
      }
      const { requests } = requestListSchema.parse(await get('/requests'));
      const views = requests.map((view) => ({ kind: 'request', code: view.request.requestId, fields: { status: view.status, error: view.error ?? null, vrn: view.vehicle.vrn, certificateSerial: view.certificateSerial ?? null } }));
      return [...tables, ...views];
    },
  }),
};

/** A registry read gives up after this long on a real data centre (wall time). */
const READ_TIMEOUT_MS = 10_000;

/** The JSON of a 200 answer; anything else is an error naming what was read and what came back. */
async function answerJson(answer: Promise<Response | undefined>, what: string): Promise<unknown> {
  const response = await answer;
  if (!response) throw new Error(`no handler answers GET ${what}`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${what} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}
