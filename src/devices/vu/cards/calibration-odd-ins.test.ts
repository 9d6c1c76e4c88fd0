import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { oddInsUpdate, readBinaryOdd, updateBinaryOdd } from '../../../protocols/apdu/card-commands.ts';
import { encodeCommand } from '../../../protocols/apdu/index.ts';
import { FID } from '../../../protocols/card-files/index.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { personaliseCard, readEf, writeEf } from '../../cards/emulator/card-memory.ts';
import { wendy } from '../../cards/test-cards.ts';
import { calibrate, calibrationChangeSchema, initialCalibration } from '../calibration/calibration.ts';
import { vuOptionsSchema } from '../vu-options.ts';
import type { VuContext } from '../vu-machine.ts';
import { authenticateCardWithTranscript } from './card-authentication.ts';
import { calibrationWrite } from './card-holder-updates.ts';

/**
 * App. 2 TCS_64-67: UPDATE BINARY with odd INS 'D7' (offset in DO '54', data in DO '53'; under SM in DO 'B3'), for
 * what lies past offset 32 767 of an EF of 32 768 bytes or more: a gen2 workshop card's EF Calibration (255 records
 * of 178 bytes after a 4-byte header: record i at 4 + 178 i; the 186th, i = 185, at 32 934 is the first whose
 * offset P1-P2 cannot carry).
 */
const hex = (b: Uint8Array) => toHex(b).toUpperCase();
const tx = (card: CardEmulator, command: string) => hex(card.transmit(fromHex(command.replace(/ /g, ''))));
const device = (memory = personaliseCard(wendy, TEST_PKI_DEFAULT_SEED)) => new CardEmulator(wendy, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card'), memory });

describe('the odd-INS commands (TCS_52, TCS_65): exact bytes', () => {
  it('UPDATE BINARY D7: DO 54 with the offset in the fewest octets, DO 53 with the data', () => {
    expect(hex(encodeCommand(updateBinaryOdd(0, fromHex('ABCD'))))).toBe('00D7000007' + '540100' + '5302ABCD');
    expect(hex(encodeCommand(updateBinaryOdd(32934, fromHex('01'))))).toBe('00D7000007' + '540280A6' + '530101');
    expect(hex(encodeCommand(updateBinaryOdd(40000, new Uint8Array(178))))).toBe('00D70000B9' + '54029C40' + '5381B2' + '00'.repeat(178));
    expect(hex(encodeCommand(readBinaryOdd(255, 10)))).toBe('00B1000003' + '5401FF' + '0A');
    expect(hex(encodeCommand(readBinaryOdd(256, 10)))).toBe('00B100000454020100' + '0A');
    expect(oddInsUpdate(fromHex('540280A6' + '5381B2' + '11'.repeat(178)))).toEqual({ offset: 32934, data: fromHex('11'.repeat(178)) });
    expect([oddInsUpdate(fromHex('5302ABCD')), oddInsUpdate(fromHex('540100' + '5303ABCD')), oddInsUpdate(fromHex('540100' + '5302ABCD' + '00'))]).toEqual([null, null, null]);
  });

  it('the card takes a plain D7 where the EF allows a plain update (EF Card_Download of DF Tachograph_G2, SC1), and refuses what App. 2 says', () => {
    const card = device();
    expect(tx(card, '00D7000007 540100 5302ABCD')).toBe('6986'); // no current EF
    expect(tx(card, '00A4040C06 FF534D524454')).toBe('9000');
    expect(tx(card, '00A4020C02 0509')).toBe('9000');
    expect(tx(card, '00D7000007 540100 5302ABCD')).toBe('9000');
    expect(card.memory.files['tachograph-g2/0509']).toBe('abcd');
    expect(tx(card, '00D7000007 540101 5302ABCD')).toBe('6700'); // past the end
    expect(tx(card, '00D7000007 540102 5302ABCD')).toBe('6B00'); // offset past the end
    expect(tx(card, '00D7000005 5302ABCD 00')).toBe('6A80'); // no DO 54
    expect(tx(card, '00D7010007 540100 5302ABCD')).toBe('6A86');
    // EF Calibration is SM-MAC-G2 to update: plain, refused
    expect(tx(card, '00A4020C02 050A')).toBe('9000');
    expect(tx(card, '00D7000007 540280A6 530101')).toBe('6982');
  });
});

/** Wendy's gen2 card with `held` calibrations in DF Tachograph_G2's EF Calibration, the newest at index held - 1. */
function cardWithCalibrations(held: number): CardEmulator {
  let memory = personaliseCard(wendy, TEST_PKI_DEFAULT_SEED);
  const header = Uint8Array.of(held >> 8, held & 0xff, (held - 1) >> 8, (held - 1) & 0xff);
  memory = writeEf(memory, 'tachograph-g2', FID.CALIBRATION, 0, header);
  // a record in use (its times at 65..68 not zero) at the newest index
  memory = writeEf(memory, 'tachograph-g2', FID.CALIBRATION, 4 + (held - 1) * 178, fromHex('01' + '00'.repeat(63) + '00' + '6A000000'));
  return device(memory);
}

function calibrateOn(card: CardEmulator) {
  const options = vuOptionsSchema.parse({});
  const at = Date.UTC(2026, 2, 2, 9) / 1000;
  const { record } = calibrate({ current: initialCalibration(options.calibration), change: calibrationChangeSchema.parse({}), card: wendy, at, odometerKm: 0 });
  const context = { slots: { driver: { card: wendy, valid: true, iw: null }, 'co-driver': null, iw: [], conflictEvent: null, noCardEvent: null }, options, sensorPairings: [] } as unknown as Pick<VuContext, 'slots' | 'options' | 'sensorPairings'>;
  const [write] = calibrationWrite(context, wendy, record);
  return authenticateCardWithTranscript(wendy, { pkiSeed: TEST_PKI_DEFAULT_SEED, at: at * 1000, rng: createRng(1, 'vu'), secured: (send) => write!.secured(send) }, card);
}

describe("a calibration on a gen2 workshop card past offset 32 767 of EF Calibration (Annex IC 313, TCS_64-67)", () => {
  it('the 185th record (index 184, at 32 756: P1-P2 still carries it) goes with D6', () => {
    const card = cardWithCalibrations(184);
    const report = calibrateOn(card);
    expect(report.result).toEqual({ ok: true });
    expect(report.transcript.filter((e) => e.command.startsWith('0CD7'))).toEqual([]);
    const ef = readEf(card.memory, 'tachograph-g2', FID.CALIBRATION)!;
    expect(hex(ef.subarray(0, 4))).toBe('00B900B8'); // calibrationTotalNumber 185, the newest index 184
    expect(ef.subarray(32756, 32756 + 178).some((b) => b !== 0)).toBe(true);
  });

  it('the 186th (index 185, at 32 934) goes with D7 under secure messaging: B3 { 54 02 80A6, 53 81 B2 <the record> }, 8E, answered 9000', () => {
    const card = cardWithCalibrations(185);
    const before = readEf(card.memory, 'tachograph-g2', FID.CALIBRATION)!;
    const report = calibrateOn(card);
    expect(report.result).toEqual({ ok: true });
    const odd = report.transcript.filter((e) => e.command.startsWith('0CD7'));
    expect(odd).toHaveLength(1);
    const after = readEf(card.memory, 'tachograph-g2', FID.CALIBRATION)!;
    const written = after.subarray(32934, 32934 + 178);
    // Lc 'C6' = 198: 'B3' 81 B9 { '54' 02 80A6 (4), '53' 81 B2 (3), the record (178) }, '8E' 08 MAC; Le '00'
    const body = '540280A6' + '5381B2' + hex(written);
    expect(odd[0]!.command.slice(0, 10)).toBe('0CD70000C6');
    expect(odd[0]!.command.slice(10, 16 + body.length)).toBe('B381B9' + body);
    expect(odd[0]!.command.slice(16 + body.length, 20 + body.length)).toBe('8E08');
    expect(odd[0]!.command.length).toBe(20 + body.length + 16 + 2);
    // the answer: '99' 02 9000, '8E' 08 MAC, 9000
    expect(odd[0]!.response).toMatch(/^99029000 ?8E08[0-9A-F]{16}9000$/);
    expect(hex(after.subarray(0, 4))).toBe('00BA00B9'); // 186 calibrations, the newest index 185
    expect(hex(written.subarray(0, 1))).toBe('04'); // calibrationPurpose '04' periodic inspection (App. 1 2.8)
    expect(hex(after.subarray(4, 32934))).toBe(hex(before.subarray(4, 32934)));
    expect(hex(after.subarray(32934 + 178))).toBe(hex(before.subarray(32934 + 178)));
  });
});
