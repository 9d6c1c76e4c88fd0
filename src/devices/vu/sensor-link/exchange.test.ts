import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/index.ts';
import { rigFraming, sealCounterReply, type DecodeResult } from '../../../protocols/motion-sensor/index.ts';
import { counterRequest, interpretAnswer, serialRequest } from './exchange.ts';

const KS = toHex(new Uint8Array(16).fill(3));
const CHALLENGE = fromHex('0102030405060708');
const reply = (instruction: number, payload: Uint8Array): DecodeResult => ({ ok: true, frame: { direction: 'reply', instruction, payload } });

describe('answers as the VU reads them', () => {
  const { pending } = counterRequest(KS, CHALLENGE, 128);

  it('a counter answer under KS that echoes the challenge', () => {
    expect(interpretAnswer(pending, reply(0x80, sealCounterReply(fromHex(KS), 4242, CHALLENGE)))).toEqual({ kind: 'counter', value: 4242 });
  });

  it('an answer to an older challenge is invalid (replay)', () => {
    const old = sealCounterReply(fromHex(KS), 4242, fromHex('0807060504030201'));
    expect(interpretAnswer(pending, reply(0x80, old))).toEqual({ kind: 'invalid', detail: 'authentication data does not echo the challenge' });
  });

  it('negative replies, unexpected replies, wrong lengths and framing errors each get their own kind', () => {
    expect(interpretAnswer(pending, reply(0x7f, fromHex('7002')))).toEqual({ kind: 'refused', instruction: 0x70, code: 2, detail: 'sensor not paired (no session key)' });
    expect(interpretAnswer(pending, reply(0x7f, fromHex('4102')))).toEqual({ kind: 'malformed', code: 'unexpected-reply', detail: 'negative reply to 41 while 70 is pending' });
    expect(interpretAnswer(pending, reply(0x11, new Uint8Array(32)))).toEqual({ kind: 'malformed', code: 'unexpected-reply', detail: 'reply 11 while 80 is due' });
    expect(interpretAnswer(serialRequest(128).pending, reply(0x40, new Uint8Array(8)))).toEqual({ kind: 'serial', ns: '0000000000000000' });
    expect(interpretAnswer(pending, rigFraming.decode(fromHex('5a8000da')))).toEqual({ kind: 'malformed', code: 'bad-length', detail: 'reply 80 carries 16 bytes, got 0' });
    expect(interpretAnswer(pending, rigFraming.decode(fromHex('5a8000ff')))).toEqual({ kind: 'malformed', code: 'bad-checksum', detail: 'checksum ff but the bytes sum to da' });
  });

  it('the request itself is the sealed challenge in a 0x70 frame', () => {
    const { frame } = counterRequest(KS, CHALLENGE, 128);
    expect(frame.instruction).toBe(0x70);
    expect(frame.payload.length).toBe(16);
    expect(pending.challenge).toBe('0102030405060708');
  });
});
