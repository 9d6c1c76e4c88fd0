import { describe, expect, it } from 'vitest';
import { workOf } from '../fuzz/work-meter.ts';
import { createT1State, encodeBlock, T1_MAX_MESSAGE, t1Receive, t1Resynch, t1Retransmit, t1RequestIfs, t1Send, type T1State } from './index.ts';

const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/ /g, ''), 'hex'));
const x = (bs: Uint8Array[]) => bs.map((b) => Buffer.from(b).toString('hex').toUpperCase());
const apdu40 = Uint8Array.from({ length: 40 }, (_, i) => i);

// The exchanges follow the scenarios of ISO/IEC 7816-3 Annex A (T=1): every block is written out in full, with
// its LRC, so the test fails on any wire-level change, not only on a change the two ends agree on.
describe('T=1 endpoint', () => {
  it('exchanges one I-block each way and alternates N(S)', () => {
    let master = createT1State();
    let card = createT1State();
    const m1 = t1Send(master, h('0084000008'));
    expect(x(m1.out)).toEqual(['000005008400000889']);
    const c1 = t1Receive(card, m1.out[0]!);
    expect(c1.message).toEqual(h('0084000008'));
    expect(c1.out).toEqual([]);
    card = c1.state;
    const c2 = t1Send(card, h('9000'));
    expect(x(c2.out)).toEqual(['000002900092']);
    master = t1Receive(m1.state, c2.out[0]!).state;
    // Second exchange: both ends now send N(S) = 1 (PCB 40).
    const m2 = t1Send(master, h('00B0000010'));
    expect(x(m2.out)).toEqual(['00400500B00000' + '10' + 'E5']);
    expect(t1Receive(c2.state, m2.out[0]!).message).toEqual(h('00B0000010'));
  });

  it('chains a 40-byte APDU over IFSC 32 and acknowledges each link with an R-block', () => {
    const m1 = t1Send(createT1State(), apdu40);
    const first = m1.out[0]!;
    expect([first[0], first[1], first[2], first.length]).toEqual([0x00, 0x20, 32, 36]);
    const c1 = t1Receive(createT1State(), first);
    expect(x(c1.out)).toEqual(['00900090']); // R(1): send N(S) = 1 next
    expect(c1.message).toBeUndefined();
    const m2 = t1Receive(m1.state, c1.out[0]!);
    expect(x(m2.out)).toEqual(['004008' + '2021222324252627' + '48']);
    const c2 = t1Receive(c1.state, m2.out[0]!);
    expect(c2.message).toEqual(apdu40);
    expect(c2.state.nr).toBe(0);
  });

  it('chains a response over IFSD 32: the master acknowledges, the card continues', () => {
    const card = t1Receive(createT1State(), h('000005008400000889')).state;
    const c1 = t1Send(card, apdu40);
    expect(x(c1.out)[0]!.slice(0, 6)).toBe('002020');
    const m1 = t1Receive(t1Send(createT1State(), h('0084000008')).state, c1.out[0]!);
    expect(x(m1.out)).toEqual(['00900090']);
    const c2 = t1Receive(c1.state, m1.out[0]!);
    expect(x(c2.out)).toEqual(['004008' + '2021222324252627' + '48']);
    expect(t1Receive(m1.state, c2.out[0]!).message).toEqual(apdu40);
  });

  it('asks for a block again after a bad LRC, and the sender retransmits it (rule 7.1, 7.2)', () => {
    const m1 = t1Send(createT1State(), h('0084000008'));
    const corrupted = Uint8Array.from(m1.out[0]!);
    corrupted[4] ^= 0x01;
    const c1 = t1Receive(createT1State(), corrupted);
    expect(c1.refused).toBe('LRC 89 should be 88');
    expect(x(c1.out)).toEqual(['00810081']); // R(0) with EDC error: still expecting N(S) = 0
    const m2 = t1Receive(m1.state, c1.out[0]!);
    expect(x(m2.out)).toEqual(['000005008400000889']);
    expect(t1Receive(c1.state, m2.out[0]!).message).toEqual(h('0084000008'));
  });

  it('repeats its answer when the master reports the answer corrupted', () => {
    const card = t1Receive(createT1State(), h('000005008400000889')).state;
    const c1 = t1Send(card, h('9000'));
    const m = t1Send(createT1State(), h('0084000008')).state;
    const bad = Uint8Array.from(c1.out[0]!);
    bad[5] = 0;
    const m1 = t1Receive(m, bad);
    expect(x(m1.out)).toEqual(['00810081']); // R(0) with EDC error: the master still expects the card's N(S) = 0
    expect(m1.state.nr).toBe(0);
    const c2 = t1Receive(c1.state, m1.out[0]!);
    expect(x(c2.out)).toEqual(['000002900092']);
  });

  it('resynchronises on S(RESYNCH request) and starts again from N(S) = 0', () => {
    let card: T1State = t1Receive(createT1State(), h('000005008400000889')).state;
    card = t1Send(card, h('9000')).state;
    expect([card.ns, card.nr]).toEqual([1, 1]);
    const master = t1Resynch(createT1State());
    expect(x(master.out)).toEqual(['00C000C0']);
    const c = t1Receive(card, master.out[0]!);
    expect(x(c.out)).toEqual(['00E000E0']);
    expect(c.resynchronised).toBe(true);
    expect([c.state.ns, c.state.nr]).toEqual([0, 0]);
    const m = t1Receive(master.state, c.out[0]!);
    expect(m.resynchronised).toBe(true);
    expect(t1Receive(c.state, t1Send(m.state, h('0084000008')).out[0]!).message).toEqual(h('0084000008'));
  });

  it('sends a block at most three times (rule 7.4): a peer that keeps asking for another N(S) exhausts it, and the master resynchronises', () => {
    // The master's N(S) is 1; a fresh card (a peer replaced) expects 0 and asks for it with R(0) each time.
    let master = t1Send(t1Receive(t1Send(createT1State(), h('0084000008')).state, h('000002900092')).state, h('00B0000010'));
    const card = createT1State();
    const sent = [...x(master.out)];
    for (let i = 0; i < 5; i++) {
      const answer = t1Receive(card, master.out[0]!);
      expect(x(answer.out)).toEqual(['00820082']); // R(0), error: N(S) 1 is not the one expected
      master = t1Receive(master.state, answer.out[0]!);
      if (master.exhausted) break;
      sent.push(...x(master.out));
    }
    expect(sent).toEqual(Array(3).fill('00400500B00000' + '10' + 'E5'));
    expect(master.exhausted).toBe(true);
    expect(master.out).toEqual([]);
    expect(x(t1Resynch(master.state).out)).toEqual(['00C000C0']);
  });

  it('negotiates IFS and then sends larger blocks', () => {
    const m = t1RequestIfs(createT1State(), 0xfe);
    expect(x(m.out)).toEqual(['00C101FE3E']);
    const c = t1Receive(createT1State(), m.out[0]!);
    expect(x(c.out)).toEqual(['00E101FE1E']);
    expect(c.state.ifsSend).toBe(254);
    expect(t1Send(c.state, apdu40).out).toHaveLength(1);
  });

  it('retransmits its last block on a timeout, and refuses an INF larger than its IFS', () => {
    const m = t1Send(createT1State(), h('0084000008'));
    expect(x(t1Retransmit(m.state).out)).toEqual(['000005008400000889']);
    const big = t1Send(createT1State({ ifsSend: 40 }), apdu40);
    const c = t1Receive(createT1State(), big.out[0]!);
    expect(c.refused).toBe('INF of 40 bytes exceeds our IFS 32');
    expect(x(c.out)).toEqual(['00820082']);
  });
});

describe('T=1 chains are bounded and linear', () => {
  /** A peer chaining one-byte I-blocks (M = 1) for ever: what a faulty or hostile EGF can send. */
  const chain = (blocks: number) => Array.from({ length: blocks }, (_, i) => encodeBlock({ type: 'I', nad: 0, ns: (i % 2) as 0 | 1, more: true, inf: Uint8Array.of(i & 0xff) }));
  const receiveAll = (frames: Uint8Array[]) => {
    let state = createT1State();
    const refused: number[] = [];
    frames.forEach((f, i) => {
      const step = t1Receive(state, f);
      state = step.state;
      if (step.refused) refused.push(i);
    });
    return { state, refused };
  };

  it('refuses the block that takes a chain past the longest short APDU (261 bytes, GNS_16) and drops what it held', () => {
    const { state, refused } = receiveAll(chain(T1_MAX_MESSAGE + 1));
    expect(T1_MAX_MESSAGE).toBe(261);
    expect(refused).toEqual([T1_MAX_MESSAGE]);
    expect(state.rx).toEqual([]);
  });

  it('one-byte blocks cost work in proportion to their number (the chain was copied at every block: 2 × 10^6 elements for 2 000)', () => {
    const [small, large] = [chain(2000), chain(4000)];
    const [w2000, w4000] = [workOf(() => receiveAll(small)), workOf(() => receiveAll(large))];
    // a block costs at most a walk of the longest chain's chunks (261) and its own few bytes
    expect(w2000).toBeLessThan(2000 * 400);
    expect(w4000 / w2000).toBeLessThan(2.2);
  });
});

