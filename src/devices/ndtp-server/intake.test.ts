import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex } from '../../crypto/bytes.ts';
import { decodePacket, encodePacket, NphResult, PROFILES, request, type NavRecord } from '../../protocols/ndtp/index.ts';
import { SEED_EX2_HEX } from '../../protocols/ndtp/seed-vectors.ts';
import { intake, type ServerState } from './intake.ts';

const p = PROFILES['seed-ex2'];
const T = Date.parse('2026-03-02T08:00:00Z');
const fresh = (): ServerState => ({ profile: 'seed-ex2', address: 0, clients: [{ peerAddress: 1024, auth: 'secret' }], held: [], session: { step: 'none', peerAddress: 0 }, rules: [], seen: [], log: [] });
const conn = (peer = 1024, high = 1) => encodePacket(request(peer, 1, { kind: 'connRequest', request: { protoVersionHigh: high, protoVersionLow: 0, connectionFlags: 0, peerAddress: peer, maxPacketSize: 1024 } }), p);
const auth = (text: string) => encodePacket(request(1024, 2, { kind: 'authString', auth: text }), p);
const seedRecord = (): NavRecord => {
  const packet = decodePacket(fromHex(SEED_EX2_HEX), p);
  if (packet.npl !== 'nph' || packet.body.kind !== 'realtime') throw new Error('seed ex2 is realtime');
  return packet.body.record;
};
const nav = (kind: 'realtime' | 'history', id: number, record = seedRecord()) => encodePacket(request(1024, id, { kind, record }), p);
const answers = (out: Uint8Array[]) => out.map((b) => decodePacket(b, p)).map((x) => (x.npl === 'nph' && x.body.kind === 'result' ? [x.requestId, x.body.error] : ['npl-error', x.npl === 'error' ? x.error : -1]));

function online(): ServerState {
  let s = fresh();
  s = intake(s, conn(), T).state;
  return intake(s, auth('secret'), T).state;
}

describe('the collection server intake', () => {
  it('admits a registered terminal with its string, and refuses a wrong string, an unknown peer and protocol version 6', () => {
    let r = intake(fresh(), concatBytes(conn(), auth('secret')), T);
    expect(answers(r.out)).toEqual([
      [1, NphResult.OK],
      [2, NphResult.OK],
    ]);
    expect(r.state.session).toEqual({ step: 'online', peerAddress: 1024 });
    r = intake(fresh(), concatBytes(conn(), auth('guess')), T);
    expect(answers(r.out)).toEqual([
      [1, NphResult.OK],
      [2, NphResult.CLIENT_AUTH_FAILED],
    ]);
    expect(r.state.log.map((x) => x.code)).toEqual(['OK', 'CLIENT_AUTH_FAILED']);
    expect(answers(intake(fresh(), conn(2000), T).out)).toEqual([[1, NphResult.CLIENT_NOT_REGISTERED]]);
    expect(answers(intake(fresh(), conn(1024, 6), T).out)).toEqual([[1, NphResult.PROTO_VER_NOT_SUPPORTED]]);
  });

  it('takes in the seed packet as real time at its navigation time, and a resend as a duplicate', () => {
    let r = intake(online(), nav('realtime', 1433), T + 5000);
    expect(answers(r.out)).toEqual([[1433, NphResult.OK]]);
    const taken = r.state.log.at(-1)!;
    expect(taken).toMatchObject({ kind: 'navdata', code: 'realtime', at: Date.parse('2012-02-29T12:35:31Z') });
    expect(taken.fields).toMatchObject({ valid: true, lat: 58.5969583, lon: 49.6715249, nsat: 8, odometerKm: 51247, levels: [0.9352, 0.9352, 0.9352, 0.9352, 0.9352, 0.9352], strengths: [88.88, 88.88, 88.88, 88.88, 88.88, 88.88] });
    r = intake(r.state, nav('history', 1434), T + 6000);
    expect(answers(r.out)).toEqual([[1434, NphResult.OK]]);
    expect(r.state.log.at(-1)).toMatchObject({ kind: 'duplicate', code: 'history' });
  });

  it('refuses navigation data before a session, a damaged frame with NPL_ERR_CRC_FAILED, bad cells with the NPH_RESULT for the reason', () => {
    expect(answers(intake(fresh(), nav('realtime', 5), T).out)).toEqual([[5, NphResult.PACKET_UNEXPECTED]]);
    const damaged = nav('realtime', 6).slice();
    damaged[30]! ^= 0x10;
    let r = intake(online(), damaged, T);
    expect(answers(r.out)).toEqual([['npl-error', 2]]);
    expect(r.state.log.at(-1)).toMatchObject({ kind: 'refused', code: 'crc', fields: { answer: 'NPL_ERR_CRC_FAILED' } });
    const record = seedRecord();
    record.levels[0]!.compartment = 7;
    r = intake(online(), nav('realtime', 7, record), T);
    expect(answers(r.out)).toEqual([[7, NphResult.PACKET_INVALID_PARAMETER]]);
    expect(r.state.log.at(-1)).toMatchObject({ kind: 'refused', code: 'range' });
  });

  it('answers BUSY as a rule says, for as many packets as it says, then OK', () => {
    const s = { ...online(), rules: [{ scope: 'navdata' as const, result: NphResult.BUSY, times: 1 }] };
    let r = intake(s, nav('realtime', 10), T);
    expect(answers(r.out)).toEqual([[10, NphResult.BUSY]]);
    expect(r.state.rules).toEqual([]);
    r = intake(r.state, nav('realtime', 11), T);
    expect(answers(r.out)).toEqual([[11, NphResult.OK]]);
    expect(r.state.log.filter((x) => x.kind === 'navdata')).toHaveLength(1);
  });
});
