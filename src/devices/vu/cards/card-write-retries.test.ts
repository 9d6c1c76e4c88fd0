import { describe, expect, it } from 'vitest';
import { updateBinary, type CommandApdu } from '../../../protocols/apdu/index.ts';
import { CardWriteFailed, SessionRefused, writeWithRetries, type SecuredSend } from './card-session.ts';

/** Annex IC 149: "try again, three times maximum, the same write command and then if still unsuccessful, declare the card faulty". */
describe('card writes: Annex IC 149', () => {
  const card = (answers: number[]) => {
    const sent: CommandApdu[] = [];
    const send: SecuredSend = (c) => {
      sent.push(c);
      return { data: new Uint8Array(0), sw: answers.shift() ?? 0x9000 };
    };
    return { send, sent };
  };

  it('a write refused three times and accepted the fourth is done: the same command each time', () => {
    const { send, sent } = card([0x6581, 0x6581, 0x6581, 0x9000]);
    writeWithRetries(send, updateBinary(10, Uint8Array.of(1, 2)), 'UPDATE');
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((c) => JSON.stringify({ ...c, data: [...c.data] }))).size).toBe(1);
  });

  it('a write refused four times (the command and three retries) declares the card faulty: CardWriteFailed, a SessionRefused', () => {
    const { send, sent } = card([0x6581, 0x6581, 0x6581, 0x6581, 0x9000]);
    let error: unknown;
    try {
      writeWithRetries(send, updateBinary(0, Uint8Array.of(1)), 'UPDATE of EF 0508');
    } catch (e) {
      error = e;
    }
    expect(sent).toHaveLength(4);
    expect(error).toBeInstanceOf(CardWriteFailed);
    expect(error).toBeInstanceOf(SessionRefused);
    expect((error as Error).message).toBe('UPDATE of EF 0508: 6581 after 3 retries (Annex IC 149)');
  });
});
