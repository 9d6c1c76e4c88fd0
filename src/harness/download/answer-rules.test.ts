import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/index.ts';
import { judgeAnswer, type Awaited } from './answer-rules.ts';

/** A data field from spaced hex, `76 24 00 03 ...`. */
const d = (s: string) => fromHex(s.replace(/ /g, ''));
/** A full sub-message's data field (255 bytes): SID 76, TREP, counter, 251 bytes of `fill`. */
const sub = (trep: number, counter: number, fill = 0xaa) => Uint8Array.from([0x76, trep, counter >> 8, counter & 0xff, ...new Uint8Array(251).fill(fill)]);

describe('the IDE reading a well-formed frame while it waits for an answer (DDP_025/026)', () => {
  const exit: Awaited = { kind: 'service', requestSid: 0x37, responseSid: 0x77 };

  it('a service: its positive SID is the answer; a negative response naming its SID is the refusal; NRC 78 is pending', () => {
    expect(judgeAnswer(exit, d('77'))).toEqual({ kind: 'answer' });
    expect(judgeAnswer(exit, d('7F 37 22'))).toEqual({ kind: 'negative', nrc: 0x22 });
    expect(judgeAnswer(exit, d('7F 37 78'))).toEqual({ kind: 'pending' });
  });

  it('a service: another SID, or a negative response naming another request, is stale', () => {
    expect(judgeAnswer(exit, d('76 21 00 03 01 02'))).toEqual({ kind: 'stale', reason: 'Positive Response Transfer Data, not Positive Response Request Transfer Exit' });
    expect(judgeAnswer(exit, d('7F 36 FA'))).toEqual({ kind: 'stale', reason: 'negative response to Transfer Data Request, not to Request Transfer Exit' });
  });

  it('a transfer: the message whole or sub-message 1 of its TREP is the answer', () => {
    const a: Awaited = { kind: 'transfer', trtp: 0x22 };
    expect(judgeAnswer(a, d('76 22 01 02 03'))).toEqual({ kind: 'answer' });
    expect(judgeAnswer(a, sub(0x22, 1))).toEqual({ kind: 'answer' });
    expect(judgeAnswer(a, d('7F 36 FA'))).toEqual({ kind: 'negative', nrc: 0xfa });
  });

  it('a transfer: another TREP (an earlier transfer), or a later sub-message (of an earlier request of it), is stale; counter 0 a sequence error', () => {
    const a: Awaited = { kind: 'transfer', trtp: 0x22 };
    expect(judgeAnswer(a, d('76 21 00 03 01 02'))).toEqual({ kind: 'stale', reason: 'TREP 21, not 22' });
    expect(judgeAnswer(a, sub(0x22, 4))).toEqual({ kind: 'stale', reason: 'sub-message 4 of TREP 22, not the first' });
    expect(judgeAnswer(a, sub(0x22, 0))).toEqual({ kind: 'sequence-error', reason: 'first sub-message counted 0 (DDP_003 counts from 1)' });
    expect(judgeAnswer(a, d('77'))).toEqual({ kind: 'stale', reason: 'Positive Response Request Transfer Exit, not Positive Response Transfer Data' });
  });

  it('a sub-message: the counter waited for is the answer, the last (short) one included', () => {
    const a: Awaited = { kind: 'sub-message', trep: 0x24, counter: 3, received: [sub(0x24, 1), sub(0x24, 2)] };
    expect(judgeAnswer(a, sub(0x24, 3))).toEqual({ kind: 'answer' });
    expect(judgeAnswer(a, d('76 24 00 03 01 02 03'))).toEqual({ kind: 'answer' });
    expect(judgeAnswer(a, d('7F 83 12'))).toEqual({ kind: 'negative', nrc: 0x12 });
  });

  it('a sub-message: a copy of one taken is stale; a copy with other content means the VU started the message again; a counter ahead is a sequence error (DDP_026)', () => {
    const a: Awaited = { kind: 'sub-message', trep: 0x24, counter: 3, received: [sub(0x24, 1), sub(0x24, 2)] };
    expect(judgeAnswer(a, sub(0x24, 2))).toEqual({ kind: 'stale', reason: 'a late copy of sub-message 2' });
    expect(judgeAnswer(a, sub(0x24, 1, 0xbb))).toEqual({ kind: 'started-again', reason: 'sub-message 1 came again with other content' });
    expect(judgeAnswer(a, sub(0x24, 4))).toEqual({ kind: 'sequence-error', reason: 'sub-message 4 where 3 was due' });
    expect(judgeAnswer(a, sub(0x24, 0))).toEqual({ kind: 'sequence-error', reason: 'sub-message 0 where 3 was due' });
    expect(judgeAnswer(a, sub(0x23, 3))).toEqual({ kind: 'stale', reason: 'TREP 23, not 24' });
    expect(judgeAnswer(a, d('76 24 00'))).toEqual({ kind: 'sequence-error', reason: '3 bytes: too short for sub-message 3' });
    expect(judgeAnswer(a, d('7F 36 10'))).toEqual({ kind: 'stale', reason: 'negative response to Transfer Data Request, not to Acknowledge Sub Message' });
  });
});
