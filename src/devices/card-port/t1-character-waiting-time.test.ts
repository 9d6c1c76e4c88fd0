import { describe, expect, it } from 'vitest';
import { cardOnPort } from './card-on-port.ts';
import { CARD_PORT } from './machine.ts';

/**
 * The card port's T=1 line (ISO/IEC 7816-3 §11.4.3) on the rig's clock: a block half received is dropped when no
 * byte follows for CWT (the port's 100 ms), recorded as a `refused` entry with code `timeout`, the bytes dropped and
 * the reason, as the T=0 port records its drops (t0-waiting-time.test.ts); the next block is answered.
 */
const CWT = 100;
/** I-block N(S) 0: SELECT DF Tachograph_G2 by AID (NAD 00, PCB 00, LEN 0B, the APDU, LRC). */
const SELECT_G2 = '00 00 0B 00A4040C06FF534D524454 02';
/** The card's I-block N(S) 0: '9000'. */
const OK_0 = '000002900092';
/** I-block N(S) 1: SELECT EF Identification ('0520'). */
const SELECT_ID = '00 40 07 00A4020C020520 CA';

const cardOnT1 = () => cardOnPort(CARD_PORT);

describe('the T=1 port drops a half-received block after the character waiting time, and records it (ISO/IEC 7816-3 CWT)', () => {
  it('a block cut after 6 of its 15 bytes: dropped at CWT with a refused entry (the bytes, the reason); the next block is answered', async () => {
    const card = cardOnT1();
    expect(card.send('00 00 0B 00 A4 04')).toBe('');
    await card.clock.advance(CWT - 1);
    expect(card.refused).toEqual([]);
    await card.clock.advance(1);
    expect(card.refused).toEqual([{ port: 'vu', code: 'timeout', detail: 'a block cut after 6 of its 15 bytes (00 00 0B 00 A4 04): no byte for 100 ms (ISO/IEC 7816-3 CWT), dropped' }]);
    expect(card.send(SELECT_G2)).toBe(OK_0);
    // the card is in DF Tachograph_G2 (N(S) 1 from the board, the card's answer N(S) 1)
    expect(card.send(SELECT_ID)).toBe('0040029000D2');
    // nothing held, nothing recorded however long the line is quiet
    await card.clock.advance(10 * CWT);
    expect(card.refused).toHaveLength(1);
  });

  it('a block cut before its LEN: the bytes dropped, recorded', async () => {
    const card = cardOnT1();
    expect(card.send('00 00')).toBe('');
    await card.clock.advance(CWT);
    expect(card.refused).toEqual([{ port: 'vu', code: 'timeout', detail: 'a block cut after 2 bytes, before its LEN (00 00): no byte for 100 ms (ISO/IEC 7816-3 CWT), dropped' }]);
    expect(card.send(SELECT_G2)).toBe(OK_0);
  });

  it('positive control: bytes of one block closer than CWT are one block, answered, nothing recorded', async () => {
    const card = cardOnT1();
    expect(card.send('00 00 0B 00 A4 04')).toBe('');
    await card.clock.advance(CWT - 1);
    expect(card.send('0C 06 FF 53 4D')).toBe('');
    await card.clock.advance(CWT - 1);
    expect(card.send('52 44 54 02')).toBe(OK_0);
    await card.clock.advance(10 * CWT);
    expect(card.refused).toEqual([]);
  });
});
