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
