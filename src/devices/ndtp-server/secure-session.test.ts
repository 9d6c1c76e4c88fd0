import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import type { TraceEntry } from '../../harness/trace/index.ts';
import { decodePacket, encodePacket, isEncrypted, NphResult, NplError, PROFILES, request, sealFrame, type NavRecord } from '../../protocols/ndtp/index.ts';
import { SEED_EX2_HEX } from '../../protocols/ndtp/seed-vectors.ts';
import { loadScenarioFile } from '../../scenarios/engine/loader.ts';
import { runScenario } from '../../scenarios/engine/runner.ts';
import { loadSuite } from '../../scenarios/engine/suite.ts';
import { scopePlan } from '../../harness/rig/scope.ts';
import { intake, type ServerState } from './intake.ts';

const p = PROFILES['seed-ex2'];
const T = Date.parse('2026-03-02T08:00:00Z');
type Frame = Extract<TraceEntry, { kind: 'frame' }>;
const bytesOf = (f: Frame) => fromHex(f.hex.replace(/\s/g, ''));

describe('the secure NDTP session on the wire', () => {
  it('carries nothing but the set-up in plain: every later frame of tanker-x encrypted, its position nowhere on the wire; the wrong key refused in plain with CLIENT_AUTH_FAILED', async () => {
    const [{ scenario }] = await loadScenarioFile('src/scenarios/ndtp/ndtp-secure-session.scenario.yaml');
    const { plan } = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: [] });
    const run = await runScenario(scenario!, scopePlan(plan, ['tanker-x', 'tanker-y', 'egais-x']));
    expect(run.result.outcome).toBe('pass');
    const frames = run.trace.filter((e): e is Frame => e.kind === 'frame');
    const x = frames.filter((f) => f.from === 'tanker-x.uplink' || f.to === 'tanker-x.uplink');
    // request and its answer, the key proof plain; its answer (OK) and all that follows encrypted
    expect(x.map((f) => isEncrypted(bytesOf(f)))).toEqual([false, false, false, ...Array(1 + 4 * 2).fill(true)]);
    expect(x.slice(0, 3).map((f) => (f.decoded as { packet: string }).packet)).toEqual(['NPH_SGC_CONN_REQUEST', 'NPH_RESULT', 'NPH_SGC_CONN_AUTH_STRING']);
    // the position the world gives (58.5969583 N, 49.6715249 E, as u32 LE ×1e7) and the NPH header of a
    // real-time packet (service 1, type 101) appear in no frame of tanker-x's
    const wire = x.map((f) => f.hex.replace(/\s/g, '').toUpperCase()).join('|');
    for (const plain of ['AF2FED22', 'F1459B1D', '01006500']) expect(wire).not.toContain(plain);
    // tanker-y: its wrong key's proof refused with a plain NPH_RESULT CLIENT_AUTH_FAILED, then silence
    const y = frames.filter((f) => f.to === 'tanker-y.uplink').map((f) => decodePacket(bytesOf(f), p));
    expect(y.map((packet) => (packet.npl === 'nph' && packet.body.kind === 'result' ? [packet.requestId, packet.body.error] : ['other']))).toEqual([
      [1, NphResult.OK],
      [2, NphResult.CLIENT_AUTH_FAILED],
    ]);
  });

  it('answers NPL_ERR_DECRYPTION_FAILED, in plain, to a frame sealed under another key and to plain data in a secure session', () => {
    const key = '000102030405060708090a0b0c0d0e0f';
    const state: ServerState = {
      profile: 'seed-ex2',
      address: 0,
      clients: [{ peerAddress: 1024, key }],
      connections: { ndtp: { held: [], session: { step: 'online', peerAddress: 1024, secure: { up: key, down: key, sent: 0, received: 0 } } } },
      rules: [],
      seen: [],
      log: [],
    };
    const seed = decodePacket(fromHex(SEED_EX2_HEX), p);
    const record = (seed as { body: { record: NavRecord } }).body.record;
    const plain = encodePacket(request(1024, 5, { kind: 'realtime', record }), p);
    const npl = (out: Uint8Array[]) => out.map((b) => [isEncrypted(b), decodePacket(b, p)]).map(([enc, x]) => [enc, (x as { npl: string }).npl, (x as { error?: number }).error]);
    let r = intake(state, 'ndtp', sealFrame(plain, fromHex('ffeeddccbbaa99887766554433221100'), 1, p), T);
    expect(npl(r.out)).toEqual([[false, 'error', NplError.DECRYPTION_FAILED]]);
    expect(r.state.log).toEqual([{ kind: 'refused', code: 'decrypt', at: T, fields: { port: 'ndtp', detail: 'decrypt: the AES-GCM tag does not verify (another key, or bytes changed on the way)', answer: 'NPL_ERR_DECRYPTION_FAILED' } }]);
    r = intake(state, 'ndtp', plain, T);
    expect(npl(r.out)).toEqual([[false, 'error', NplError.DECRYPTION_FAILED]]);
    expect(r.state.log.at(-1)).toMatchObject({ kind: 'refused', code: 'decrypt', fields: { detail: 'a plain realtime packet in a secure session' } });
    // positive control: sealed under the session's key, counter 1: taken in, and the OK answered encrypted
    r = intake(state, 'ndtp', sealFrame(plain, fromHex(key), 1, p), T);
    expect(r.out.map(isEncrypted)).toEqual([true]);
    expect(r.state.log.at(-1)).toMatchObject({ kind: 'navdata', code: 'realtime', fields: { peerAddress: 1024, requestId: 5 } });
    expect(r.state.connections.ndtp!.session.secure).toEqual({ up: key, down: key, sent: 1, received: 1 });
  });
});
