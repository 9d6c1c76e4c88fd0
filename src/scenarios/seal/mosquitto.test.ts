import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type MosquittoProcess } from '../../harness/broker/index.ts';
import { runScenario } from '../engine/runner.ts';
import { loadSuite } from '../engine/suite.ts';

/**
 * The seal scenarios that matter most for the broker, against a real mosquitto on loopback instead of the
 * embedded aedes: a generated configuration, a free port, a password, an ACL. `.ci/run` installs mosquitto.
 */
const SCENARIOS = ['src/scenarios/seal/seal-short-range-activation.scenario.ts', 'src/scenarios/seal/seal-broken-while-offline.scenario.yaml'];

let mosquitto: MosquittoProcess;
beforeAll(async () => {
  mosquitto = await startMosquitto();
});
afterAll(async () => {
  await mosquitto?.stop();
});

describe('seal scenarios against mosquitto', async () => {
  const suite = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: SCENARIOS });

  it('loads both scenarios', () => {
    expect(suite.issues).toEqual([]);
    expect(suite.scenarios.map((s) => s.scenario.id)).toEqual(['seal-broken-while-offline', 'seal-short-range-activation']);
  });

  for (const { scenario, file } of suite.scenarios) {
    it(`${scenario.id} passes with the broker at mqtt://127.0.0.1 (mosquitto)`, async () => {
      const broker = { type: 'external' as const, url: mosquitto.url, username: mosquitto.username, password: mosquitto.password };
      const { result, trace } = await runScenario(scenario, { ...suite.plan, name: 'loopback+mosquitto', broker }, { file });
      const failures = result.expectations.filter((e) => e.outcome === 'fail').map((e) => `${e.name}: ${e.message}`);
      expect({ outcome: result.outcome, reason: result.reason, failures }).toEqual({ outcome: 'pass', reason: undefined, failures: [] });
      expect(trace.find((e) => e.kind === 'link' && e.link === 'broker')).toMatchObject({ detail: expect.stringContaining(`external broker at ${mosquitto.url}`) });
    });
  }
});

describe('seal scenarios against mosquitto over TLS', async () => {
  const suite = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: [SCENARIOS[0]!] });
  let secure: MosquittoProcess;
  beforeAll(async () => {
    secure = await startMosquitto({ tls: { certFile: 'test/fixtures/tls/server.pem', keyFile: 'test/fixtures/tls/server.key' } });
  });
  afterAll(async () => {
    await secure?.stop();
  });
  const plan = (tls: { ca?: string }) => ({
    ...suite.plan,
    name: 'loopback+mosquitto-tls',
    broker: { type: 'external' as const, url: secure.url, username: secure.username, password: secure.password, tls },
  });

  it('seal-short-range-activation passes with the broker at mqtts://localhost, its certificate checked against the test CA', async () => {
    const { scenario, file } = suite.scenarios[0]!;
    const { result, trace } = await runScenario(scenario, plan({ ca: 'test/fixtures/tls/ca.pem' }), { file });
    expect({ outcome: result.outcome, reason: result.reason }).toEqual({ outcome: 'pass', reason: undefined });
    expect(trace.find((e) => e.kind === 'link' && e.link === 'broker')).toMatchObject({ detail: expect.stringContaining(`external broker at ${secure.url}`) });
  });

  it('refuses a broker whose certificate it cannot verify, and says so', async () => {
    const { scenario, file } = suite.scenarios[0]!;
    const { result, trace } = await runScenario(scenario, plan({}), { file });
    expect(result.outcome).toBe('error');
    expect(result.reason).toMatch(new RegExp(`^broker: (seal|operator)-[\\w-]+ could not connect to mqtts://localhost:${secure.port}: .*certificate`));
    expect(trace.some((e) => e.kind === 'link' && e.link === 'broker' && e.event === 'refused' && /certificate/.test(e.detail ?? ''))).toBe(true);
  });
});
