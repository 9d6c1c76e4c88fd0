import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../../scenarios/engine/runner.ts';
import { loadSuite } from '../../../scenarios/engine/suite.ts';
import { nkmTestKey } from '../signing.ts';
import { DataCentre } from './data-centre.ts';
import { serveDataCentre, type ServedDataCentre } from './serve-http.ts';

/**
 * The registry read as records from a real data centre (the data-centre device's `url:`): a node:http server in
 * this process serves the API (the data centre's handlers behind a socket), the rig's АРМА names the device and
 * talks to it over HTTP, and the scenario's checks read the data centre's tachographs, blocks, vehicles, cards
 * and requests through the API's listings, as they do from the rig's own msw data centre. The server's data
 * centre answers at once (processingMs 0) on its own clock; the rig runs on virtual time, each HTTP round trip
 * held by the АРМА's settler.
 */
const START = Date.parse('2026-03-02T08:00:00Z');
let served: ServedDataCentre;
let url: string;
let dir: string;
const newDataCentre = () => new DataCentre({
  now: () => START,
  processingMs: 0,
  registry: {
    tachographs: { SM1420000123: { no2: 'SM1420000123', linkedNkm: '20E3S00012345678', blocked: false } },
    nkm: { '20E3S00012345678': { factoryNo: '20E3S00012345678', model: 'НКМ-2.11', publicKey: nkmTestKey('20E3S00012345678').publicPoint, linkedTachograph: 'SM1420000123', status: 'new', activationRecorded: true } },
    vehicles: { XTA210990Y2765432: { vin: 'XTA210990Y2765432', vrn: 'А123ВС77', pts: '77УХ123456', country: 'RUS', linkedTachograph: null, blocked: false } },
    cards: { RUS0000007770002: { cardNumber: 'RUS0000007770002', expiry: '2030-12-31', blocked: false } },
  },
});
let dc = newDataCentre();

const card = `{ type: workshop, issuingMemberState: RUS, cardNumber: RUS0000007770002, workshopName: Masterskaya, address: Moskva, holder: { surname: PETROV, firstNames: Petr }, validity: { begin: '2025-01-01', expiry: '2030-12-31' } }`;
const rig = (base: string) => `name: skzi-real-dc
clock: virtual
devices:
  skzi: { kind: skzi-tachograph, options: { cards: { bare: ${card} } } }
  skzi-arma: { kind: skzi-workstation, options: { dataCentre: skzi-dc } }
  skzi-dc: { kind: skzi-data-centre, options: { url: ${base} } }
links: []
`;

const scenario = (registryExpectations: string) => `id: skzi-real-dc-registry
title: the registry of a real data centre read as records
requires: { emulated: [skzi, skzi-arma, skzi-dc] }
start: 2026-03-02T08:00:00Z
steps:
  - { do: stimulus, device: skzi, name: giveCard, args: { card: bare, to: skzi-arma } }
  - do: stimulus
    device: skzi-arma
    name: createRequest
    args: { card: bare, nkmFactoryNo: 20E3S00012345678, tachographNo2: SM1420000123, vehicle: { vin: XTA210990Y2765432, vrn: А123ВС77, pts: 77УХ123456 }, owner: { name: ООО «Перевозчик», inn: '7701234567' } }
  - { do: stimulus, device: skzi-arma, name: giveCard, args: { card: bare, to: skzi } }
  - { do: until, at: 1m }
  - { do: stimulus, device: skzi, name: insertCard, args: { card: bare } }
  - { do: stimulus, device: skzi, name: enterPin, args: { pin: '1234' } }
  - { do: stimulus, device: skzi, name: answer, args: { yes: true } }
  - { do: until, at: 2m }
  - { do: stimulus, device: skzi, name: giveCard, args: { card: bare, to: skzi-arma } }
  - { do: stimulus, device: skzi-arma, name: sendSigned, args: { card: bare } }
  - { do: stimulus, device: skzi-arma, name: checkRequest, args: { requestId: R-000001 } }
  - { do: until, at: 3m }
expect:
  - records: { device: skzi-arma, kind: shown, code: Ожидание расписки заявителя, count: 1, window: { from: 2m, to: 2m } }
${registryExpectations}
`;

const linked = `  - records: { device: skzi-dc, kind: request, code: R-000001, count: 1, fields: { status: awaiting-receipt, error: null, vrn: А123ВС77, certificateSerial: C-000001 } }
  - records: { device: skzi-dc, kind: nkm, code: 20E3S00012345678, count: 1, fields: { status: active, linkedTachograph: SM1420000123 } }
  - records: { device: skzi-dc, kind: tachograph, code: SM1420000123, count: 1, fields: { linkedNkm: 20E3S00012345678 } }
  - records: { device: skzi-dc, kind: vehicle, code: XTA210990Y2765432, count: 1, fields: { linkedTachograph: SM1420000123 } }
  - records: { device: skzi-dc, kind: workshopCard, code: RUS0000007770002, count: 1, fields: { blocked: false } }
  - name: the registry holds nothing else
    absent: { device: skzi-dc }`;

beforeAll(async () => {
  served = await serveDataCentre(() => dc);
  url = served.url;
  dir = mkdtempSync(join(tmpdir(), 'skzi-real-dc-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await served.close();
});

async function run(expectations: string) {
  dc = newDataCentre();
  served.hits.length = 0;
  writeFileSync(join(dir, 'rig.yaml'), rig(url));
  writeFileSync(join(dir, 'registry.scenario.yaml'), scenario(expectations));
  const suite = await loadSuite({ rigFile: join(dir, 'rig.yaml'), paths: [join(dir, 'registry.scenario.yaml')] });
  expect(suite.issues).toEqual([]);
  return runScenario(suite.scenarios[0]!.scenario, suite.plan);
}

describe('the registry of a real data centre (url) read as records over HTTP', () => {
  it('reads the links the certificate filed, the request and the card through the API listings; nothing else is there', async () => {
    const { result } = await run(linked);
    expect(result.outcome, JSON.stringify({ e: result.expectations.filter((x) => (x as { outcome?: string }).outcome !== "pass"), errors: result.errors, reason: (result as { reason?: string }).reason })).toBe('pass');
    // the АРМА's operations, then the check's reads of the listings, all over the socket
    expect(served.hits).toEqual([
      'POST /api/v1/requests',
      'POST /api/v1/requests/R-000001/signed',
      'GET /api/v1/requests/R-000001',
      'GET /api/v1/registry/tachographs',
      'GET /api/v1/registry/nkm',
      'GET /api/v1/registry/vehicles',
      'GET /api/v1/registry/cards',
      'GET /api/v1/requests',
    ]);
  });

  it('fails when the registry does not show what is expected (the block still unlinked is claimed)', async () => {
    const { result } = await run(linked.replace('fields: { status: active, linkedTachograph: SM1420000123 }', 'fields: { status: new }'));
    expect(result.outcome).toBe('fail');
  });

  it('a rig names a real data centre by url: an external one without it, or a workstation naming an external one, is refused with the reason', async () => {
    writeFileSync(join(dir, 'bad.yaml'), `name: bad\nclock: wall\ndevices:\n  a: { kind: skzi-workstation, options: { dataCentre: dc } }\n  dc: { kind: skzi-data-centre, mode: external }\nlinks: []\n`);
    const refused = loadSuite({ rigFile: join(dir, 'bad.yaml'), paths: [] });
    await expect(refused).rejects.toThrow(/devices\.a\.options\.dataCentre: dc is external \(a real data centre\): give url: <its API base URL> instead/);
    await expect(refused).rejects.toThrow(/devices\.dc\.options\.url: an external data centre needs its API's url/);
  });
});
