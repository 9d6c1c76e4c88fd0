import { describe, expect, it } from 'vitest';
import { createT0CardState, t0Direction, t0Receive, type T0CardState } from './t0-card.ts';

/** ISO/IEC 7816-3 §10 from the card's side (App. 2 TCS_31, TCS_32, TCS_43, TCS_79, TCS_80): the exact bytes both ways. */
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** A card that answers each APDU from a script, keeping what it was sent (the APDU layer the codec hands whole commands to). */
function scripted(answers: Record<string, string>) {
  const seen: string[] = [];
  let resets = 0;
  let state: T0CardState = createT0CardState();
  const send = (bytes: string) => {
    const step = t0Receive(state, hex(bytes), (command) => {
      const c = toHex(command);
      seen.push(c);
      const a = answers[c];
      if (a === undefined) throw new Error(`unexpected APDU ${c}`);
      return hex(a);
    });
    state = step.state;
    if (step.reset) resets++;
    return step.out.map(toHex).join(' ');
  };
  return { send, seen, resets: () => resets, state: () => state };
}

describe('T=0, the card side', () => {
  it('case 3: the INS procedure byte after the header, the data, then the status; the APDU whole to the card', () => {
    const card = scripted({ '00A4040C06FF534D524454': '9000' });
    expect(card.send('00 A4 04 0C 06')).toBe('A4');
    expect(card.send('FF534D')).toBe('');
    expect(card.send('524454')).toBe('9000');
    expect(card.seen).toEqual(['00A4040C06FF534D524454']);
  });

  it('case 2: P3 is Le: INS, exactly Le bytes, the status; fewer available: 6C with the exact length (TCS_43), then asked again', () => {
    const card = scripted({ '00B0000011': '06' + '42303030303030303132333435363031' + '9000', '00B0008C20': '0102030405' + '6282', '00B0008C05': '0102030405' + '9000', '0084000008': '1122334455667788' + '9000', '0084000007': '6700' });
    expect(card.send('00B0000011')).toBe('B0 0642303030303030303132333435363031 9000');
    expect(card.send('00B0008C20')).toBe('6C05');
    expect(card.send('00B0008C05')).toBe('B0 0102030405 9000');
    expect(card.send('0084000008')).toBe('84 1122334455667788 9000');
    // an error: the status alone
    expect(card.send('0084000007')).toBe('6700');
  });

  it('case 4 as case 3 (TCS_31, TCS_32): the answer announced 61 La, fetched by GET RESPONSE; a shorter Le leaves 61 XX, Le 00 or larger 6C XX', () => {
    const token = 'AB'.repeat(128);
    const card = scripted({ ['00880000100102030405060708000000010126064000']: token + '9000' });
    expect(card.send('00 88 00 00 10')).toBe('88');
    // INTERNAL AUTHENTICATE reaches the card with Le '00' (the implicit Le of TCS_32)
    expect(card.send('0102030405060708 0000000101260640')).toBe('6180');
    expect(card.seen).toEqual(['00880000100102030405060708000000010126064000']);
    expect(card.send('00C0000000')).toBe('6C80');
    expect(card.send('00C00000FF')).toBe('6C80');
    expect(card.send('00C0000030')).toBe('C0 ' + 'AB'.repeat(0x30) + ' 6150');
    expect(card.send('00C0000050')).toBe('C0 ' + 'AB'.repeat(0x50) + ' 9000');
    // nothing held any more (TCS_80)
    expect(card.send('00C0000010')).toBe('6900');
  });

  it('a protected command (CLA 0C) carries data and gets an answer: 61 La and GET RESPONSE; a 256-byte answer is 61 00', () => {
    const command = '0CB000000D' + '970111' + '8E08' + '0011223344556677';
    const card = scripted({ [command + '00']: '8111' + '00'.repeat(17) + '99029000' + '8E08' + '1122334455667788' + '9000', ['0CB000000D970100' + '8E08' + '0011223344556677' + '00']: 'CD'.repeat(256) + '9000' });
    expect(card.send(command.slice(0, 10))).toBe('B0');
    expect(card.send(command.slice(10))).toBe('6121'); // 19 + 4 + 10 bytes
    expect(card.send('00C0000021')).toBe('C0 8111' + '00'.repeat(17) + '99029000' + '8E081122334455667788 9000');
    expect(card.send('0CB000000D 970100 8E080011223344556677')).toBe('B0 6100');
    expect(card.send('00C00000FF')).toBe('C0 ' + 'CD'.repeat(255) + ' 6101');
    expect(card.send('00C0000001')).toBe('C0 CD 9000');
  });

  it('GET RESPONSE right after, or the data is lost (TCS_79); case 1 (PERFORM HASH OF FILE, P3 00): the status', () => {
    const card = scripted({ '00880000100102030405060708000000010126064000': 'AB'.repeat(128) + '9000', '802A9000': '9000' });
    card.send('0088000010 0102030405060708 0000000101260640');
    expect(card.send('802A900000')).toBe('9000');
    expect(card.send('00C0000080')).toBe('6900');
  });

  it("'FF' where a header starts is the card's reset: nothing held, the caller resets the card; inside a header it is a byte like any", () => {
    const card = scripted({ '00880000100102030405060708000000010126064000': 'AB'.repeat(128) + '9000', '00A4040C06FF544143484F': '9000' });
    card.send('0088000010 0102030405060708 0000000101260640');
    expect(card.send('FF')).toBe('');
    expect(card.resets()).toBe(1);
    expect(card.send('00C0000080')).toBe('6900');
    expect(card.send('00A4040C06 FF544143484F')).toBe('A4 9000');
    expect(card.resets()).toBe(1);
  });

  it('which case a header is (App. 2 §3.5)', () => {
    expect([t0Direction(0, 0xa4, 4, 0x0c, 6), t0Direction(0, 0xb0, 0, 0, 0x11), t0Direction(0, 0x84, 0, 0, 8), t0Direction(0, 0x88, 0, 0, 0x10), t0Direction(0, 0xb1, 0, 0, 3)]).toEqual(['in', 'out', 'out', 'in-out', 'in-out']);
    expect([t0Direction(0x80, 0x2a, 0x90, 0, 0), t0Direction(0, 0x2a, 0x9e, 0x9a, 0), t0Direction(0, 0x2a, 0, 0xae, 0xc2), t0Direction(0, 0x20, 0, 0, 0), t0Direction(0x0c, 0xd6, 0, 0, 0x20), t0Direction(0, 0x12, 0, 0, 0)]).toEqual(['none', 'out', 'in', 'none', 'in-out', 'none']);
  });
});
