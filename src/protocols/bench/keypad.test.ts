import { describe, expect, it } from 'vitest';
import {
  KEYPAD_MAX_LINE,
  KeypadError,
  decodeKeypadLine,
  encodeKeypadAnswer,
  encodeKeypadLine,
  encodeKeypadRequest,
  encodeKeypadValue,
  formatKeypadRun,
  keypadLineCodec,
  keypadReason,
  parseKeypadAnswer,
  parseKeypadRequest,
} from './keypad.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('keypad robot requests (rig-defined protocol, version 1)', () => {
  it('sends RUN, the action and its arguments as name=value words, and LF', () => {
    expect(hex(encodeKeypadRequest({ type: 'run', action: 'pairSensor', args: {} }))).toBe('52 55 4E 20 70 61 69 72 53 65 6E 73 6F 72 0A');
    expect(Buffer.from(encodeKeypadRequest({ type: 'run', action: 'selectActivity', args: { slot: 'driver', activity: 'work' } })).toString('latin1')).toBe('RUN selectActivity slot=driver activity=work\n');
    expect(hex(encodeKeypadRequest({ type: 'run', action: 'companyLock', args: { action: 'in' } }))).toBe('52 55 4E 20 63 6F 6D 70 61 6E 79 4C 6F 63 6B 20 61 63 74 69 6F 6E 3D 69 6E 0A');
    expect(hex(encodeKeypadRequest({ type: 'id' }))).toBe('49 44 3F 0A');
  });

  it('writes a value bare where it reads back as the same string, else as compact ASCII JSON', () => {
    expect(encodeKeypadValue('co-driver')).toBe('co-driver');
    expect(encodeKeypadValue('B')).toBe('B');
    expect(encodeKeypadValue(8000)).toBe('8000');
    expect(encodeKeypadValue(-1.5)).toBe('-1.5');
    expect(encodeKeypadValue(true)).toBe('true');
    // strings that would read as something else, or hold a blank, a quote or non-ASCII
    expect(encodeKeypadValue('8000')).toBe('"8000"');
    expect(encodeKeypadValue('true')).toBe('"true"');
    expect(encodeKeypadValue('315/80 R22.5')).toBe('"315/80 R22.5"');
    expect(encodeKeypadValue('')).toBe('""');
    expect(encodeKeypadValue('Café "Bleu"')).toBe('"Caf\\u00e9 \\"Bleu\\""');
    expect(encodeKeypadValue([{ equipmentType: 6, manufacturerCode: '0040' }])).toBe('[{"equipmentType":6,"manufacturerCode":"0040"}]');
    expect(formatKeypadRun('calibrate', { purpose: 'periodic-inspection', w: 8000, tyreSize: '315/80 R22.5', vin: undefined })).toBe(
      'RUN calibrate purpose=periodic-inspection w=8000 tyreSize="315/80 R22.5"',
    );
  });

  it('reads back what it writes, whatever the values', () => {
    const cases: Record<string, unknown>[] = [
      {},
      { slot: 'driver', type: 'begin', country: 'E', region: 'CAT' },
      { w: 8000, k: 7999, l: 3200, tyreSize: '315/70R22.5', registrationNumber: '123', vin: 'WDB 96340', authorisedSpeedKmh: 90 },
      { seals: [{ equipmentType: 6, manufacturerCode: '0040', sealIdentifier: '0011223344556677' }], note: 'a "quoted" [text] {x} \\ é', empty: '', nothing: null, no: false },
    ];
    for (const args of cases) {
      const line = decodeKeypadLine(encodeKeypadRequest({ type: 'run', action: 'calibrate', args }));
      expect(parseKeypadRequest(line)).toEqual({ type: 'run', action: 'calibrate', args });
    }
  });

  it('reads requests leniently in blanks and the command case, strictly in everything else', () => {
    expect(parseKeypadRequest('  run\tenterPlace  slot=driver type=end country=NL ')).toEqual({ type: 'run', action: 'enterPlace', args: { slot: 'driver', type: 'end', country: 'NL' } });
    expect(parseKeypadRequest('id?')).toEqual({ type: 'id' });
    const refused = (line: string) => {
      try {
        parseKeypadRequest(line);
      } catch (error) {
        expect(error).toBeInstanceOf(KeypadError);
        return (error as Error).message;
      }
      return 'taken';
    };
    expect(refused('')).toBe('an empty line (RUN or ID?)');
    expect(refused('PRESS OK')).toBe("unknown command 'PRESS' (RUN or ID?)");
    expect(refused('RUN')).toBe('RUN names no action');
    expect(refused('RUN pair-sensor')).toBe("an action is [A-Za-z][A-Za-z0-9]*: 'pair-sensor'");
    expect(refused('RUN selectActivity driver')).toBe("an argument is name=value: 'driver'");
    expect(refused('RUN selectActivity slot driver=x')).toBe("an argument is name=value: 'slot'");
    expect(refused('RUN selectActivity slot=driver slot=co-driver')).toBe("argument 'slot' is given twice");
    expect(refused('RUN selectActivity slot=')).toBe("argument 'slot' has no value");
    expect(refused('RUN calibrate tyreSize="315/80')).toBe('an argument\'s string is not closed: "315/80');
    expect(refused('RUN calibrate seals=[{"a":1}')).toBe('an argument\'s array is not closed: [{"a":1}');
    expect(refused('RUN calibrate tyreSize="a"b')).toBe("argument 'tyreSize': a blank must follow its value, not 'b'");
    expect(refused('RUN calibrate w=80,00')).toBe("an argument's bare value may hold letters, digits and _ . : / + - only: 80,00");
    expect(refused('RUN calibrate seals={"a":}')).toMatch(/^an argument's value is not JSON: \{"a":\} \(/);
    expect(refused('ID? now')).toBe('ID? takes nothing after it: "ID? now"');
  });

  it('refuses to write what does not fit a line', () => {
    expect(() => formatKeypadRun('pair sensor')).toThrow(RangeError);
    expect(() => formatKeypadRun('calibrate', { 'tyre-size': 'x' })).toThrow(RangeError);
    expect(() => encodeKeypadRequest({ type: 'run', action: 'calibrate', args: { vin: 'x'.repeat(KEYPAD_MAX_LINE) } })).toThrow(RangeError);
    expect(() => encodeKeypadLine('OK\n')).toThrow(RangeError);
  });
});

describe('keypad robot answers', () => {
  it('answers OK, ERR with a reason, ID with an identity, each one line', () => {
    expect(hex(encodeKeypadAnswer({ type: 'ok' }))).toBe('4F 4B 0A');
    expect(Buffer.from(encodeKeypadAnswer({ type: 'err', reason: 'no macro for skewClock' })).toString('latin1')).toBe('ERR no macro for skewClock\n');
    expect(hex(encodeKeypadAnswer({ type: 'err', reason: 'busy' }))).toBe('45 52 52 20 62 75 73 79 0A');
    expect(Buffer.from(encodeKeypadAnswer({ type: 'id', identity: 'tacho-rig,emulated keypad,keypad,1.0' })).toString('latin1')).toBe('ID tacho-rig,emulated keypad,keypad,1.0\n');
  });

  it('puts any reason on one printable line, cut to fit', () => {
    expect(keypadReason("device 'vu' refused:\nno card\tin é")).toBe("device 'vu' refused: no card in ?");
    expect(keypadReason('')).toBe('no reason given');
    const long = keypadReason('x'.repeat(1000));
    expect(long.length).toBe(KEYPAD_MAX_LINE - 1 - 4);
    expect(long.endsWith('...')).toBe(true);
    expect(encodeKeypadAnswer({ type: 'err', reason: 'x'.repeat(1000) }).length).toBe(KEYPAD_MAX_LINE);
  });

  it('reads answers, and refuses anything else', () => {
    expect(parseKeypadAnswer('OK')).toEqual({ type: 'ok' });
    expect(parseKeypadAnswer('ok ')).toEqual({ type: 'ok' });
    expect(parseKeypadAnswer('ERR not in calibration mode')).toEqual({ type: 'err', reason: 'not in calibration mode' });
    expect(parseKeypadAnswer('ERR')).toEqual({ type: 'err', reason: 'no reason given' });
    expect(parseKeypadAnswer('ID robot 2')).toEqual({ type: 'id', identity: 'robot 2' });
    expect(() => parseKeypadAnswer('OKAY')).toThrow(new KeypadError('not an answer of the keypad robot: "OKAY" (OK, ERR <reason> or ID <identity>)'));
    expect(() => parseKeypadAnswer('ERROR 5')).toThrow(KeypadError);
  });
});

describe('keypad lines on the wire', () => {
  it('reads a line without its LF and a CR before it; refuses a cut line and non-ASCII', () => {
    expect(decodeKeypadLine(ascii('OK\n'))).toBe('OK');
    expect(decodeKeypadLine(ascii('OK\r\n'))).toBe('OK');
    expect(() => decodeKeypadLine(ascii('OK'))).toThrow(new KeypadError('a keypad line ends with LF; this one was cut at 2 bytes'));
    expect(() => decodeKeypadLine(Uint8Array.of(0x4f, 0xe9, 0x0a))).toThrow(new KeypadError('a keypad line is printable ASCII; byte e9 is not'));
  });

  it('the trace cuts lines across chunks and reads each as a request or an answer', () => {
    const deframer = keypadLineCodec.createDeframer();
    const frames = [...deframer.push(ascii('RUN select')), ...deframer.push(ascii('Activity slot=driver activity=work\nOK\nERR bu')), ...deframer.push(ascii('sy\r\n'))];
    expect(frames.map((f) => keypadLineCodec.describe(f))).toEqual([
      { line: 'RUN selectActivity slot=driver activity=work', request: { type: 'run', action: 'selectActivity', args: { slot: 'driver', activity: 'work' } } },
      { line: 'OK', answer: { type: 'ok' } },
      { line: 'ERR busy', answer: { type: 'err', reason: 'busy' } },
    ]);
    expect(() => keypadLineCodec.describe(ascii('HELLO\n'))).toThrow(KeypadError);
  });
});
