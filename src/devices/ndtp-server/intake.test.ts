import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex } from '../../crypto/bytes.ts';
import { decodePacket, encodePacket, NphResult, NplError, PROFILES, request, type NavRecord } from '../../protocols/ndtp/index.ts';
import { SEED_EX2_HEX } from '../../protocols/ndtp/seed-vectors.ts';
import { intake, type ServerState } from './intake.ts';

const p = PROFILES['seed-ex2'];
const T = Date.parse('2026-03-02T08:00:00Z');
const fresh = (): ServerState => ({ profile: 'seed-ex2', address: 0, clients: [{ peerAddress: 1024, auth: 'secret' }], connections: {}, rules: [], seen: [], log: [] });
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
  s = intake(s, 'ndtp', conn(), T).state;
  return intake(s, 'ndtp', auth('secret'), T).state;
}

describe('the collection server intake', () => {
  it('admits a registered terminal with its string, and refuses a wrong string, an unknown peer and protocol version 6', () => {
    let r = intake(fresh(), 'ndtp', concatBytes(conn(), auth('secret')), T);
    expect(answers(r.out)).toEqual([
      [1, NphResult.OK],
      [2, NphResult.OK],
    ]);
    expect(r.state.connections.ndtp!.session).toEqual({ step: 'online', peerAddress: 1024 });
    r = intake(fresh(), 'ndtp', concatBytes(conn(), auth('guess')), T);
    expect(answers(r.out)).toEqual([
      [1, NphResult.OK],
      [2, NphResult.CLIENT_AUTH_FAILED],
    ]);
    expect(r.state.log.map((x) => x.code)).toEqual(['OK', 'CLIENT_AUTH_FAILED']);
    expect(answers(intake(fresh(), 'ndtp', conn(2000), T).out)).toEqual([[1, NphResult.CLIENT_NOT_REGISTERED]]);
    expect(answers(intake(fresh(), 'ndtp', conn(1024, 6), T).out)).toEqual([[1, NphResult.PROTO_VER_NOT_SUPPORTED]]);
  });

  it('takes in the seed packet as real time at its navigation time, and a resend as a duplicate', () => {
    let r = intake(online(), 'ndtp', nav('realtime', 1433), T + 5000);
    expect(answers(r.out)).toEqual([[1433, NphResult.OK]]);
    const taken = r.state.log.at(-1)!;
    expect(taken).toMatchObject({ kind: 'navdata', code: 'realtime', at: Date.parse('2012-02-29T12:35:31Z') });
    expect(taken.fields).toMatchObject({ valid: true, lat: 58.5969583, lon: 49.6715249, nsat: 8, odometerKm: 51247, levels: [0.9352, 0.9352, 0.9352, 0.9352, 0.9352, 0.9352], strengths: [88.88, 88.88, 88.88, 88.88, 88.88, 88.88] });
    r = intake(r.state, 'ndtp', nav('history', 1434), T + 6000);
    expect(answers(r.out)).toEqual([[1434, NphResult.OK]]);
    expect(r.state.log.at(-1)).toMatchObject({ kind: 'duplicate', code: 'history' });
  });

  it('refuses navigation data before a session, a damaged frame with NPL_ERR_CRC_FAILED, bad cells with the NPH_RESULT for the reason', () => {
    expect(answers(intake(fresh(), 'ndtp', nav('realtime', 5), T).out)).toEqual([[5, NphResult.PACKET_UNEXPECTED]]);
    const damaged = nav('realtime', 6).slice();
    damaged[30]! ^= 0x10;
    let r = intake(online(), 'ndtp', damaged, T);
    expect(answers(r.out)).toEqual([['npl-error', 2]]);
    expect(r.state.log.at(-1)).toMatchObject({ kind: 'refused', code: 'crc', fields: { answer: 'NPL_ERR_CRC_FAILED' } });
    const record = seedRecord();
    record.levels[0]!.compartment = 7;
    r = intake(online(), 'ndtp', nav('realtime', 7, record), T);
    expect(answers(r.out)).toEqual([[7, NphResult.PACKET_INVALID_PARAMETER]]);
    expect(r.state.log.at(-1)).toMatchObject({ kind: 'refused', code: 'range' });
  });

  it('answers BUSY as a rule says, for as many packets as it says, then OK', () => {
    const s = { ...online(), rules: [{ scope: 'navdata' as const, result: NphResult.BUSY, times: 1 }] };
    let r = intake(s, 'ndtp', nav('realtime', 10), T);
    expect(answers(r.out)).toEqual([[10, NphResult.BUSY]]);
    expect(r.state.rules).toEqual([]);
    r = intake(r.state, 'ndtp', nav('realtime', 11), T);
    expect(answers(r.out)).toEqual([[11, NphResult.OK]]);
    expect(r.state.log.filter((x) => x.kind === 'navdata')).toHaveLength(1);
  });
  it('keeps several terminals apart, a connection (port) each: frames interleaved byte by byte, each record under its own port and peer', () => {
    const clients = [
      { peerAddress: 1024, auth: 'secret' },
      { peerAddress: 1025 },
    ];
    let s: ServerState = { ...fresh(), clients };
    const connB = encodePacket(request(1025, 1, { kind: 'connRequest', request: { protoVersionHigh: 1, protoVersionLow: 0, connectionFlags: 0, peerAddress: 1025, maxPacketSize: 1024 } }), p);
    const a = concatBytes(conn(), auth('secret'), nav('realtime', 3));
    const record = seedRecord();
    record.levels = record.levels.slice(0, 2);
    const b = concatBytes(connB, encodePacket(request(1025, 2, { kind: 'realtime', record }), p));
    const out: Record<string, Uint8Array[]> = { ndtp: [], ndtp2: [] };
    // one byte of each connection in turn: each deframer holds its own partial frame
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      for (const [port, bytes] of [['ndtp', a], ['ndtp2', b]] as const) {
        if (i >= bytes.length) continue;
        const r = intake(s, port, bytes.subarray(i, i + 1), T);
        s = r.state;
        out[port]!.push(...r.out);
      }
    }
    expect(answers(out.ndtp!)).toEqual([
      [1, NphResult.OK],
      [2, NphResult.OK],
      [3, NphResult.OK],
    ]);
    expect(answers(out.ndtp2!)).toEqual([
      [1, NphResult.OK],
      [2, NphResult.OK],
    ]);
    expect(s.log.filter((x) => x.kind === 'navdata').map((x) => [x.fields!.port, x.fields!.peerAddress, (x.fields!.levels as number[]).length])).toEqual([
      ['ndtp2', 1025, 2],
      ['ndtp', 1024, 6],
    ]);
    expect(s.connections).toEqual({ ndtp: { held: [], session: { step: 'online', peerAddress: 1024 } }, ndtp2: { held: [], session: { step: 'online', peerAddress: 1025 } } });
  });

  it('hands a terminal that connects again on another port its session there, and ends the old one', () => {
    let s = online();
    s = intake(s, 'ndtp2', concatBytes(conn(), auth('secret')), T).state;
    expect(s.connections.ndtp!.session).toEqual({ step: 'none', peerAddress: 1024 });
    expect(s.connections.ndtp2!.session).toEqual({ step: 'online', peerAddress: 1024 });
    expect(answers(intake(s, 'ndtp', nav('realtime', 9), T).out)).toEqual([[9, NphResult.PACKET_UNEXPECTED]]);
    expect(answers(intake(s, 'ndtp2', nav('realtime', 9), T).out)).toEqual([[9, NphResult.OK]]);
  });

  it('refuses navigation data at the NPL routing level: an unknown sender 100, another terminal\'s address on a session 102, a route rule 101; never encrypted, the NPL request id echoed', () => {
    const s = { ...online(), clients: [{ peerAddress: 1024, auth: 'secret' }, { peerAddress: 1025 }] };
    const from = (peer: number, id: number) => {
      const packet = request(peer, id, { kind: 'realtime', record: seedRecord() });
      return encodePacket({ ...packet, nplRequestId: 77 } as typeof packet, p);
    };
    const npl = (out: Uint8Array[]) => out.map((b) => decodePacket(b, p)).map((x) => (x.npl === 'error' ? [x.nplRequestId, x.error, x.peerAddress] : ['nph', x.requestId]));
    let r = intake(s, 'ndtp', from(4242, 20), T);
    expect(npl(r.out)).toEqual([[77, NplError.INVALID_PEER_ADDRESS, 0]]);
    expect(r.state.log.at(-1)).toEqual({ kind: 'routing', code: 'NPL_ERR_INVALID_PEER_ADDRESS', at: T, fields: { port: 'ndtp', peerAddress: 4242, requestId: 20, packet: 'realtime', sessionPeer: 1024 } });
    r = intake(s, 'ndtp', from(1025, 21), T);
    expect(npl(r.out)).toEqual([[77, NplError.PEER_PERM_DENIED, 0]]);
    r = intake({ ...s, rules: [{ scope: 'route', result: NplError.PEER_NOT_AVAILABLE, times: 1 }] }, 'ndtp', from(1024, 22), T);
    expect(npl(r.out)).toEqual([[77, NplError.PEER_NOT_AVAILABLE, 0]]);
    expect(r.state.log.at(-1)).toMatchObject({ kind: 'routing', code: 'NPL_ERR_PEER_NOT_AVAILABLE' });
    // the rule spent: the same packet again is taken in
    r = intake(r.state, 'ndtp', from(1024, 23), T);
    expect(npl(r.out)).toEqual([['nph', 23]]);
    expect(r.state.log.at(-1)).toMatchObject({ kind: 'navdata', code: 'realtime' });
  });
});
