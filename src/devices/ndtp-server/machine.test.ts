import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../harness/clock/index.ts';
import { decodePacket, encodePacket, NphResult, PROFILES, request, type NavRecord } from '../../protocols/ndtp/index.ts';
import { fromHex } from '../../crypto/bytes.ts';
import { SEED_EX2_HEX } from '../../protocols/ndtp/seed-vectors.ts';
import { ndtpServerMachine } from './machine.ts';
import type { ServerState } from './intake.ts';

const p = PROFILES['seed-ex2'];
const T = Date.parse('2026-03-02T08:00:00Z');
const record = (): NavRecord => {
  const packet = decodePacket(fromHex(SEED_EX2_HEX), p);
  if (packet.npl !== 'nph' || packet.body.kind !== 'realtime') throw new Error('seed ex2 is realtime');
  return packet.body.record;
};

/** The server on one port, answers collected as [request id, NPH_RESULT]. */
function server() {
  const clock = new VirtualClock({ start: T });
  const initial: ServerState = { profile: 'seed-ex2', address: 0, clients: [{ peerAddress: 1024 }], connections: {}, rules: [], seen: [], log: [] };
  const actor = createActor(ndtpServerMachine(initial, clock), { clock }).start();
  const answers: [number, number][] = [];
  actor.on('port.tx', (e: { bytes: Uint8Array }) => {
    const x = decodePacket(e.bytes, p);
    if (x.npl === 'nph' && x.body.kind === 'result') answers.push([x.requestId, x.body.error]);
  });
  const rx = (bytes: Uint8Array) => actor.send({ type: 'port.rx', port: 'ndtp', bytes });
  return { actor, answers, rx };
}
const connRequest = (id: number) => encodePacket(request(1024, id, { kind: 'connRequest', request: { protoVersionHigh: 1, protoVersionLow: 0, connectionFlags: 0, peerAddress: 1024, maxPacketSize: 1024 } }), p);
const realtime = (id: number) => encodePacket(request(1024, id, { kind: 'realtime', record: record() }), p);

describe('the collection server machine', () => {
  it("ends a connection's session when its line drops: the next packet on it is PACKET_UNEXPECTED until a new set-up", () => {
    const s = server();
    s.rx(connRequest(1));
    s.rx(realtime(2));
    s.actor.send({ type: 'port.line', port: 'ndtp', connected: true }); // positive control: a line coming up ends nothing
    s.rx(realtime(3));
    s.actor.send({ type: 'port.line', port: 'ndtp', connected: false });
    s.rx(realtime(4));
    s.rx(connRequest(5));
    s.rx(realtime(6));
    expect(s.answers).toEqual([
      [1, NphResult.OK],
      [2, NphResult.OK],
      [3, NphResult.OK],
      [4, NphResult.PACKET_UNEXPECTED],
      [5, NphResult.OK],
      [6, NphResult.OK],
    ]);
  });
});
