import { describe, expect, it } from 'vitest';
import { cardOnPort } from './card-on-port.ts';
import { CARD_PORT_T0, T0_WT_MS } from './machine.ts';

/**
 * The card port's T=0 line (ISO/IEC 7816-3 §10) on the rig's clock: a command half received (a header of 1 to 4
 * bytes, or a header whose data has not all come) is dropped when no byte follows for WT (T0_WT_MS: ISO/IEC 7816-3's
 * default, 9600 etu, 1 s), recorded as a `refused` entry with what was cut; the next command is answered. Bytes
 * closer together than WT are one command.
 */

const cardOnT0 = () => cardOnPort(CARD_PORT_T0);

describe('the T=0 port drops a half-received command after the waiting time (ISO/IEC 7816-3 WT)', () => {
  it('is 9600 etu at the default 9600 bit/s (WI 10, Fi 372, f 3.5712 MHz): 1 s', () => {
    expect(T0_WT_MS).toBe(1000);
  });

  for (const cut of [1, 2, 3, 4]) {
    it(`a header cut after ${cut} byte(s): dropped at WT with a record; the next SELECT is answered A4 then 9000`, async () => {
      const card = cardOnT0();
      const header = '00A4040C06';
      expect(card.send(header.slice(0, cut * 2))).toBe('');
      await card.clock.advance(T0_WT_MS - 1);
      expect(card.refused).toEqual([]);
      await card.clock.advance(1);
      const bytes = header.slice(0, cut * 2).match(/../g)!.join(' ');
      expect(card.refused).toEqual([{ port: 'vuT0', code: 'timeout', detail: `a header cut after ${cut} of its 5 bytes (${bytes}): no byte for 1000 ms (ISO/IEC 7816-3 WT), dropped` }]);
      expect(card.send('00 A4 04 0C 06')).toBe('A4');
      expect(card.send('FF534D524454')).toBe('9000');
      // the card is in DF Tachograph_G2: EF Identification's first byte is the nation, '06'
      expect(card.send('00 A4 02 0C 02')).toBe('A4');
      expect(card.send('0520')).toBe('9000');
      expect(card.send('00 B0 00 00 01')).toBe('B0 06 9000');
      expect(card.refused).toHaveLength(1);
    });
  }

  it('positive control: bytes of one header closer than WT are one command; the header cut and not dropped swallows the next command', async () => {
    const card = cardOnT0();
    expect(card.send('00 A4 04')).toBe('');
    await card.clock.advance(T0_WT_MS - 1);
    expect(card.send('0C 06')).toBe('A4');
    await card.clock.advance(T0_WT_MS - 1);
    expect(card.send('FF534D524454')).toBe('9000');
    // a gap under WT inside a header: the card takes '00 A4 04' ‖ '00 A4' as one header (SELECT, P3 'A4': it asks for 164 data bytes)
    expect(card.send('00 A4 04')).toBe('');
    await card.clock.advance(T0_WT_MS - 1);
    expect(card.send('00 A4')).toBe('A4');
    expect(card.refused).toEqual([]);
  });

  it('data cut after the INS procedure byte: dropped at WT with a record, the next command answered', async () => {
    const card = cardOnT0();
    expect(card.send('00 A4 04 0C 06')).toBe('A4');
    expect(card.send('FF534D')).toBe('');
    await card.clock.advance(T0_WT_MS);
    expect(card.refused).toEqual([{ port: 'vuT0', code: 'timeout', detail: 'the data of 00 A4 04 0C 06 cut after 3 of its 6 bytes (FF 53 4D): no byte for 1000 ms (ISO/IEC 7816-3 WT), dropped' }]);
    expect(card.send('00 A4 04 0C 06')).toBe('A4');
    expect(card.send('FF534D524454')).toBe('9000');
    // nothing pending, nothing recorded however long the line is quiet
    await card.clock.advance(10 * T0_WT_MS);
    expect(card.refused).toHaveLength(1);
  });
});
