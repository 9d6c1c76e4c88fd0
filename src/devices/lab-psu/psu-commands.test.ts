import { describe, expect, it } from 'vitest';
import { executePsuLine, initialPsuState, type PsuSettings, type PsuState } from './psu-commands.ts';

const settings: PsuSettings = { identity: 'tacho-rig,emulated lab-psu,psu,1.0', defaultVolts: 24, maxVolts: 30, errorQueueLength: 4 };

/** Runs lines one after the other; returns each line's answer (or null) and the output changes. */
function session(lines: string[], start: PsuState = initialPsuState(settings, true)) {
  let state = start;
  const answers: (string | null)[] = [];
  const changes: boolean[] = [];
  for (const line of lines) {
    const r = executePsuLine(state, line, settings);
    state = r.state;
    answers.push(r.answer ?? null);
    changes.push(...r.outputChanges);
  }
  return { state, answers, changes };
}

describe('lab supply SCPI command set', () => {
  it('answers *IDN? with its identity, and queries in long, short, mixed-case and optional-node forms', () => {
    const { answers } = session(['*IDN?', 'OUTP?', 'output:state?', 'Outp:Stat?', 'VOLT?', 'SOUR:VOLT:LEV?', 'MEAS:VOLT?', 'measure:scalar:voltage:dc?', 'SYST:ERR?']);
    expect(answers).toEqual(['tacho-rig,emulated lab-psu,psu,1.0', '1', '1', '1', '24.000', '24.000', '24.000', '24.000', '0,"No error"']);
  });

  it('switches the output with ON/OFF/1/0, reporting each change once; the measured voltage follows', () => {
    const { answers, changes, state } = session(['OUTP OFF', 'OUTP 0', 'MEAS:VOLT?', 'OUTPut:STATe ON', 'OUTP 1', 'VOLT 13.8', 'MEAS:VOLT?', 'OUTP OFF;OUTP ON;OUTP OFF']);
    expect(changes).toEqual([false, true, false, true, false]);
    expect(answers).toEqual([null, null, '0.000', null, null, null, '13.800', null]);
    expect(state.output).toBe(false);
  });

  it('queues -113 Undefined header for an unknown header or a form that does not exist, and SYST:ERR? reads them oldest first', () => {
    const { answers } = session(['FOO ON', 'OUTPU ON', '*RST?', 'MEAS:VOLT', 'SYST:ERR?', 'SYST:ERR?', 'SYST:ERR?', 'SYST:ERR?', 'SYST:ERR?']);
    expect(answers.slice(4)).toEqual(['-113,"Undefined header"', '-113,"Undefined header"', '-113,"Undefined header"', '-113,"Undefined header"', '0,"No error"']);
  });

  it('queues parameter errors and leaves the setting as it was', () => {
    const { answers, state } = session(['VOLT 31', 'VOLT', 'VOLT 1,2', 'OUTP MAYBE', 'SYST:ERR?', 'SYST:ERR?', 'SYST:ERR?', 'SYST:ERR?', 'OUTP? 1', 'SYST:ERR?', 'SYST:ERR?']);
    expect(answers.slice(4)).toEqual(['-222,"Data out of range"', '-109,"Missing parameter"', '-108,"Parameter not allowed"', '-224,"Illegal parameter value"', null, '-108,"Parameter not allowed"', '0,"No error"']);
    expect(state).toMatchObject({ output: true, volts: 24 });
  });

  it('*RST switches the output off and the voltage to its default, keeping the error queue; *CLS empties it', () => {
    const { answers, changes, state } = session(['VOLT 5', 'BAD', '*RST', 'VOLT?', 'SYST:ERR?', 'BAD', '*CLS', 'SYST:ERR?']);
    expect(changes).toEqual([false]);
    expect(answers).toEqual([null, null, null, '24.000', '-113,"Undefined header"', null, null, '0,"No error"']);
    expect(state.output).toBe(false);
  });

  it('answers several queries of one line in one answer joined by ;, and executes the units before a syntax error', () => {
    expect(session(['*IDN?;OUTP?;:VOLT?']).answers).toEqual(['tacho-rig,emulated lab-psu,psu,1.0;1;24.000']);
    const { answers, changes } = session(['OUTP OFF;;OUTP ON', 'SYST:ERR?', 'OUTP?']);
    expect(changes).toEqual([false]);
    expect(answers).toEqual([null, '-102,"Syntax error"', '0']);
  });

  it('keeps at most its queue length, the last entry -350 Queue overflow', () => {
    // `;ERR?` continues at SYST (IEEE 488.2 A.1); `;SYST:ERR?` would be SYST:SYST:ERR?, an undefined header
    const { answers } = session(['A', 'B', 'C', 'D', 'E', 'F', 'SYST:ERR?;ERR?;:SYST:ERR?;ERR?;ERR?']);
    expect(answers.at(-1)).toBe('-113,"Undefined header";-113,"Undefined header";-113,"Undefined header";-350,"Queue overflow";0,"No error"');
  });
});
