import {
  SCPI_ERROR,
  formatScpiError,
  headerMatches,
  parseProgramMessage,
  parseScpiBoolean,
  parseScpiNumeric,
  popScpiError,
  pushScpiError,
  type ScpiErrorEntry,
  type ScpiMessageUnit,
} from '../../protocols/bench/index.ts';

/**
 * The SCPI command set of a single-output lab power supply, the subset a bench uses to switch a unit's supply
 * (what the Rigol DP800, Keysight E36xx, R&S HMC804x and Korad/Tenma programmer's manuals share):
 *
 *   *IDN?                                          identity: manufacturer, model, serial, firmware (IEEE 488.2 10.14)
 *   *RST                                           output off, voltage to its default (IEEE 488.2 10.32; the error queue stays)
 *   *CLS                                           empties the error queue (IEEE 488.2 10.3)
 *   OUTPut[:STATe] ON|OFF|1|0, OUTPut[:STATe]?     the output relay; the query answers 1 or 0
 *   [SOURce:]VOLTage[:LEVel][:IMMediate][:AMPLitude] <V>|MIN|MAX|DEF, and ?   the voltage setting, 3 decimals
 *   MEASure[:SCALar]:VOLTage[:DC]?                 the voltage at the terminals: the setting while on, 0 while off
 *   SYSTem:ERRor[:NEXT]?                           the oldest error, or 0,"No error" (SCPI-99 Vol. 2 21.8)
 *
 * Pure: a line's text and the state before → the state after, the answer line (if any query) and each change of
 * the output, in order (`OUTP ON;OUTP OFF` switches it on and off again).
 */
export interface PsuState {
  output: boolean;
  volts: number;
  errors: ScpiErrorEntry[];
}

export interface PsuSettings {
  /** The *IDN? answer. */
  identity: string;
  /** The voltage *RST and DEFault set. */
  defaultVolts: number;
  maxVolts: number;
  /** Entries the error queue holds before -350 Queue overflow (SCPI-99 asks for at least 2). */
  errorQueueLength: number;
}

export interface PsuLineResult {
  state: PsuState;
  answer?: string;
  /** The output's changes, in order: true switched on, false switched off. */
  outputChanges: boolean[];
}

interface Command {
  header: string;
  /** The set form (with parameters); absent: a query-only header. */
  set?: (state: PsuState, params: string[], settings: PsuSettings) => PsuState | ScpiErrorEntry;
  /** The query form; absent: a command-only header. */
  query?: (state: PsuState, settings: PsuSettings) => { state: PsuState; answer: string };
}

const COMMON: Record<string, Command> = {
  IDN: { header: '*IDN', query: (state, settings) => ({ state, answer: settings.identity }) },
  RST: { header: '*RST', set: (state, params, settings) => (params.length ? SCPI_ERROR.parameterNotAllowed : { ...state, output: false, volts: settings.defaultVolts }) },
  CLS: { header: '*CLS', set: (state, params) => (params.length ? SCPI_ERROR.parameterNotAllowed : { ...state, errors: [] }) },
};

const volts = (value: number) => value.toFixed(3);

const SCPI: Command[] = [
  {
    header: 'OUTPut[:STATe]',
    set: (state, params) => one(params, (p) => {
      const on = parseScpiBoolean(p);
      return on.ok ? { ...state, output: on.value } : on.error;
    }),
    query: (state) => ({ state, answer: state.output ? '1' : '0' }),
  },
  {
    header: '[SOURce:]VOLTage[:LEVel][:IMMediate][:AMPLitude]',
    set: (state, params, settings) => one(params, (p) => {
      const value = parseScpiNumeric(p, { unit: 'V', min: 0, max: settings.maxVolts, default: settings.defaultVolts });
      return value.ok ? { ...state, volts: value.value } : value.error;
    }),
    query: (state) => ({ state, answer: volts(state.volts) }),
  },
  { header: 'MEASure[:SCALar]:VOLTage[:DC]', query: (state) => ({ state, answer: volts(state.output ? state.volts : 0) }) },
  {
    header: 'SYSTem:ERRor[:NEXT]',
    query: (state) => {
      const { error, queue } = popScpiError(state.errors);
      return { state: { ...state, errors: queue }, answer: formatScpiError(error) };
    },
  },
];

function one(params: string[], take: (param: string) => PsuState | ScpiErrorEntry): PsuState | ScpiErrorEntry {
  if (params.length === 0) return SCPI_ERROR.missingParameter;
  if (params.length > 1) return SCPI_ERROR.parameterNotAllowed;
  return take(params[0]!);
}

export function initialPsuState(settings: Pick<PsuSettings, 'defaultVolts'>, output: boolean): PsuState {
  return { output, volts: settings.defaultVolts, errors: [] };
}

/** Adds an error to the queue (e.g. a line the instrument could not read at all). */
export function withError(state: PsuState, error: ScpiErrorEntry, settings: PsuSettings): PsuState {
  return { ...state, errors: pushScpiError(state.errors, error, settings.errorQueueLength) };
}

export function executePsuLine(before: PsuState, text: string, settings: PsuSettings): PsuLineResult {
  const parsed = parseProgramMessage(text);
  let state = before;
  const answers: string[] = [];
  const outputChanges: boolean[] = [];
  const fail = (error: ScpiErrorEntry) => (state = withError(state, error, settings));
  for (const unit of parsed.units) {
    const command = find(unit);
    const form = unit.query ? command?.query : command?.set;
    if (!command || !form) {
      // a header the instrument does not have, or a form of it that does not exist (*RST?, MEAS:VOLT without ?)
      fail(SCPI_ERROR.undefinedHeader);
      continue;
    }
    const wasOn = state.output;
    if (unit.query) {
      if (unit.params.length) {
        fail(SCPI_ERROR.parameterNotAllowed);
        continue;
      }
      const r = command.query!(state, settings);
      state = r.state;
      answers.push(r.answer);
    } else {
      const r = command.set!(state, unit.params, settings);
      if ('code' in r) fail(r);
      else state = r;
    }
    if (state.output !== wasOn) outputChanges.push(state.output);
  }
  if (!parsed.ok) fail(parsed.error);
  return { state, outputChanges, ...(answers.length ? { answer: answers.join(';') } : {}) };
}

function find(unit: ScpiMessageUnit): Command | undefined {
  if (unit.common) return COMMON[unit.mnemonics[0]!];
  return SCPI.find((c) => headerMatches(c.header, unit.mnemonics));
}
