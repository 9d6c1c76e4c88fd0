import { describe, expect, it } from 'vitest';
import {
  SCPI_ERROR,
  ScpiError,
  decodeScpiLine,
  encodeScpiLine,
  formatScpiError,
  headerMatches,
  parseProgramMessage,
  parseScpiBoolean,
  parseScpiErrorAnswer,
  parseScpiNumeric,
  popScpiError,
  pushScpiError,
  scpiLineCodec,
} from './scpi.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('SCPI lines', () => {
  it('sends a command as its ASCII text and LF', () => {
    expect(hex(encodeScpiLine('OUTP ON'))).toBe('4F 55 54 50 20 4F 4E 0A');
    expect(hex(encodeScpiLine('SYST:ERR?'))).toBe('53 59 53 54 3A 45 52 52 3F 0A');
    expect(() => encodeScpiLine('OUTP ON\n')).toThrow(RangeError);
  });

  it('reads a line without its LF, and without a CR before it', () => {
    expect(decodeScpiLine(ascii('*IDN?\n'))).toBe('*IDN?');
    expect(decodeScpiLine(ascii('*IDN?\r\n'))).toBe('*IDN?');
    expect(() => decodeScpiLine(ascii('*IDN?'))).toThrow(new ScpiError('a SCPI line ends with LF; this one was cut at 5 bytes'));
    expect(() => decodeScpiLine(Uint8Array.of(0x4f, 0xff, 0x0a))).toThrow(ScpiError);
  });

  it('the trace cuts lines across chunks', () => {
    const deframer = scpiLineCodec.createDeframer();
    const frames = [...deframer.push(ascii('OUTP O')), ...deframer.push(ascii('N\nSYST:ERR?\n0,"No'))];
    expect(frames.map((f) => scpiLineCodec.describe(f))).toEqual([{ line: 'OUTP ON' }, { line: 'SYST:ERR?' }]);
  });
});

describe('SCPI program messages', () => {
  it('splits units at ; and parameters at , outside strings; capitals; queries', () => {
    expect(parseProgramMessage('outp:stat on;*idn?')).toEqual({
      ok: true,
      units: [
        { common: false, mnemonics: ['OUTP', 'STAT'], query: false, params: ['on'] },
        { common: true, mnemonics: ['IDN'], query: true, params: [] },
      ],
    });
    expect(parseProgramMessage('DISP:TEXT "a;b, c"')).toEqual({ ok: true, units: [{ common: false, mnemonics: ['DISP', 'TEXT'], query: false, params: ['"a;b, c"'] }] });
    expect(parseProgramMessage('VOLT 12 V')).toEqual({ ok: true, units: [{ common: false, mnemonics: ['VOLT'], query: false, params: ['12 V'] }] });
  });

  it('continues a compound header at the previous path (IEEE 488.2 A.1); a leading colon goes back to the root', () => {
    const units = (text: string) => (parseProgramMessage(text) as { units: { mnemonics: string[] }[] }).units.map((u) => u.mnemonics.join(':'));
    expect(units('MEAS:VOLT?;CURR?')).toEqual(['MEAS:VOLT', 'MEAS:CURR']);
    expect(units('MEAS:VOLT?;:VOLT?')).toEqual(['MEAS:VOLT', 'VOLT']);
    expect(units('MEAS:VOLT?;*IDN?;CURR?')).toEqual(['MEAS:VOLT', 'IDN', 'MEAS:CURR']);
    expect(units('OUTP ON;VOLT 12')).toEqual(['OUTP', 'VOLT']);
  });

  it('a malformed unit is a syntax error; the units before it stand', () => {
    expect(parseProgramMessage('OUTP ON;;VOLT 3')).toEqual({ ok: false, error: SCPI_ERROR.syntax, units: [{ common: false, mnemonics: ['OUTP'], query: false, params: ['ON'] }] });
    expect(parseProgramMessage('OUTP?X').ok).toBe(false);
    expect(parseProgramMessage('VOLT 1,,2').ok).toBe(false);
    expect(parseProgramMessage('*:IDN?').ok).toBe(false);
    expect(parseProgramMessage('')).toEqual({ ok: true, units: [] });
  });
});

describe('SCPI headers: long and short forms', () => {
  it('takes the short or the long form in any case, optional nodes given or not, nothing in between', () => {
    for (const written of [['OUTP'], ['OUTPUT'], ['OUTP', 'STAT'], ['OUTPUT', 'STATE'], ['OUTP', 'STATE']]) expect(headerMatches('OUTPut[:STATe]', written)).toBe(true);
    for (const written of [['OUTPU'], ['OUT'], ['OUTP', 'STA'], ['STAT'], ['OUTP', 'STAT', 'STAT']]) expect(headerMatches('OUTPut[:STATe]', written)).toBe(false);
    expect(headerMatches('[SOURce:]VOLTage[:LEVel]', ['SOUR', 'VOLT', 'LEV'])).toBe(true);
    expect(headerMatches('[SOURce:]VOLTage[:LEVel]', ['VOLTAGE'])).toBe(true);
    expect(headerMatches('[SOURce:]VOLTage[:LEVel]', ['SOUR'])).toBe(false);
    expect(headerMatches('MEASure:VOLTage', ['MEAS', 'VOLT'])).toBe(true);
    expect(headerMatches('MEASure:VOLTage', ['VOLT'])).toBe(false);
  });
});

describe('SCPI parameters', () => {
  it('booleans: ON, OFF, or a number rounded, non-zero meaning ON', () => {
    expect(['ON', 'on', '1', '0.6', 'OFF', 'off', '0', '0.4'].map((p) => parseScpiBoolean(p))).toEqual([true, true, true, true, false, false, false, false].map((value) => ({ ok: true, value })));
    expect(parseScpiBoolean('MAYBE')).toEqual({ ok: false, error: SCPI_ERROR.illegalParameterValue });
    expect(parseScpiBoolean('1V')).toEqual({ ok: false, error: SCPI_ERROR.invalidSuffix });
  });

  it('numbers in a unit, with multipliers, MIN/MAX/DEF, and a range', () => {
    const volts = { unit: 'V', min: 0, max: 30, default: 12 };
    expect(parseScpiNumeric('24', volts)).toEqual({ ok: true, value: 24 });
    expect(parseScpiNumeric('13.8V', volts)).toEqual({ ok: true, value: 13.8 });
    expect(parseScpiNumeric('2.4e1', volts)).toEqual({ ok: true, value: 24 });
    expect(parseScpiNumeric('500 mV', volts)).toEqual({ ok: true, value: 0.5 });
    expect(parseScpiNumeric('max', volts)).toEqual({ ok: true, value: 30 });
    expect(parseScpiNumeric('MINIMUM', volts)).toEqual({ ok: true, value: 0 });
    expect(parseScpiNumeric('DEF', volts)).toEqual({ ok: true, value: 12 });
    expect(parseScpiNumeric('31', volts)).toEqual({ ok: false, error: SCPI_ERROR.dataOutOfRange });
    expect(parseScpiNumeric('-1', volts)).toEqual({ ok: false, error: SCPI_ERROR.dataOutOfRange });
    expect(parseScpiNumeric('12A', volts)).toEqual({ ok: false, error: SCPI_ERROR.invalidSuffix });
    expect(parseScpiNumeric('HIGH', volts)).toEqual({ ok: false, error: SCPI_ERROR.dataType });
  });
});

describe('SCPI error queue', () => {
  it('answers 0,"No error" when empty, first in first out, -350 Queue overflow as the last entry when full', () => {
    expect(formatScpiError(popScpiError([]).error)).toBe('0,"No error"');
    let queue = pushScpiError([], SCPI_ERROR.undefinedHeader, 3);
    queue = pushScpiError(queue, SCPI_ERROR.syntax, 3);
    queue = pushScpiError(queue, SCPI_ERROR.missingParameter, 3);
    queue = pushScpiError(queue, SCPI_ERROR.dataOutOfRange, 3);
    queue = pushScpiError(queue, SCPI_ERROR.dataOutOfRange, 3);
    expect(queue.map(formatScpiError)).toEqual(['-113,"Undefined header"', '-102,"Syntax error"', '-350,"Queue overflow"']);
    const first = popScpiError(queue);
    expect(formatScpiError(first.error)).toBe('-113,"Undefined header"');
    expect(first.queue).toHaveLength(2);
  });

  it('reads an answer to SYSTem:ERRor?', () => {
    expect(parseScpiErrorAnswer('0,"No error"')).toEqual({ code: 0, message: 'No error' });
    expect(parseScpiErrorAnswer('-113,"Undefined header"\r')).toEqual({ code: -113, message: 'Undefined header' });
    expect(parseScpiErrorAnswer('+0,"No error"')).toEqual({ code: 0, message: 'No error' });
    expect(() => parseScpiErrorAnswer('OK')).toThrow(ScpiError);
  });
});
