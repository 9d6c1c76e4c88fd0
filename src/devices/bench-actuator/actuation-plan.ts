import { KEYPAD_MAX_LINE, formatKeypadRun } from '../../protocols/bench/index.ts';
import { INSERT_CARD, PULL_CARD, WITHDRAW_CARD, type BenchActuatorOptions } from './options.ts';

/**
 * What the actuator does, step by step, to perform one stimulus on its target: pure, from the options, the
 * relays as it last set them, the stimulus and its (checked) arguments.
 */
export type ActuationOp =
  /** Send the LCUS command that closes (on) or opens a relay. */
  | { do: 'relay'; channel: number; on: boolean }
  /** Let rig time pass: a relay's settle time, a momentary contact's hold. */
  | { do: 'wait'; ms: number }
  /** Send a SCPI line that has no answer. */
  | { do: 'psu'; line: string }
  /** Send SYST:ERR? and wait for 0,"No error" within the answer window; anything else fails the actuation. */
  | { do: 'confirm-psu' }
  /** Send a RUN line to the keypad robot and wait for its OK within the answer window; ERR or silence fails the actuation. */
  | { do: 'keypad'; line: string };

export type ActuationVia = 'relay' | 'psu' | 'keypad';

export interface Actuation {
  via: ActuationVia;
  ops: ActuationOp[];
  /** What it does, in words, for error messages ("close relay 3 (card anna into the driver slot)"). */
  summary: string;
}

type Args = Record<string, unknown>;

/**
 * Not a stimulus of the target: what the rig asks of every actuator before a scenario on a real device under
 * test. The bench is left as the last run (or a person) left it; this opens every relay of the card switch
 * (the VU's slots empty) and switches the supply on, so each scenario starts from the same bench.
 */
export const BENCH_RESET = 'bench.reset';

/** The reset: every card relay opened (a board ignores opening an open relay), the supply on at its volts. */
export function planReset(options: BenchActuatorOptions): Actuation | undefined {
  const channels = [...new Set(Object.values(options.cards).flatMap((byCard) => Object.values(byCard)))].sort((a, b) => a - b);
  const ops: ActuationOp[] = channels.map((channel) => ({ do: 'relay', channel, on: false }));
  if (channels.length > 0 && options.relaySettleMs > 0) ops.push({ do: 'wait', ms: options.relaySettleMs });
  const supply = options.stimuli.supply;
  const lines = supply?.via === 'psu' ? ['*CLS', ...(supply.volts !== undefined ? [`VOLT ${supply.volts}`] : []), 'OUTP ON'] : [];
  ops.push(...lines.map((line): ActuationOp => ({ do: 'psu', line })), ...(lines.length ? [{ do: 'confirm-psu' } as const] : []));
  if (supply?.via === 'relay') ops.push({ do: 'relay', channel: supply.channel, on: true });
  if (ops.length === 0) return undefined;
  const summary = [channels.length ? `open relay ${channels.join(', ')} (every card out)` : '', lines.length || supply?.via === 'relay' ? 'supply on' : ''].filter(Boolean).join(', ');
  return { via: channels.length || supply?.via === 'relay' ? 'relay' : 'psu', ops, summary };
}

/** How the actuator would perform this stimulus with these arguments ('relay', 'psu', 'keypad'), or undefined if it cannot. */
export function performedVia(options: BenchActuatorOptions, stimulus: string, args: unknown): ActuationVia | undefined {
  const a = (args ?? {}) as Args;
  if (stimulus === BENCH_RESET) return planReset(options)?.via;
  if (stimulus === INSERT_CARD) return typeof a.card === 'string' && typeof a.slot === 'string' && options.cards[a.slot]?.[a.card] !== undefined ? 'relay' : undefined;
  if (stimulus === WITHDRAW_CARD || stimulus === PULL_CARD) return typeof a.slot === 'string' && Object.keys(options.cards[a.slot] ?? {}).length > 0 ? 'relay' : undefined;
  const how = options.stimuli[stimulus];
  if (!how) return undefined;
  // a macro takes the stimulus's arguments as the target takes them (checked before they get here)
  if (how.via === 'keypad') return 'keypad';
  // the supply takes { on }; a relay takes { on } (a contact in series) or nothing (a momentary contact)
  if (how.via === 'psu') return typeof a.on === 'boolean' ? 'psu' : undefined;
  return typeof a.on === 'boolean' || Object.keys(a).length === 0 ? 'relay' : undefined;
}

/**
 * The steps for one stimulus, or why it cannot be done now (a card switch asked to join a second card to an
 * occupied slot, or to withdraw from a slot it joined nothing to: as the VU refuses a card into an occupied
 * slot, the bench refuses to wire two cards to one). Undefined: not a stimulus this actuator performs.
 */
export function planActuation(options: BenchActuatorOptions, closed: Readonly<Record<string, boolean>>, stimulus: string, args: unknown): Actuation | { error: string } | undefined {
  if (stimulus === BENCH_RESET) return planReset(options);
  const via = performedVia(options, stimulus, args);
  if (!via) return undefined;
  const a = (args ?? {}) as Args;
  const settle: ActuationOp[] = options.relaySettleMs > 0 ? [{ do: 'wait', ms: options.relaySettleMs }] : [];
  const isClosed = (channel: number) => closed[String(channel)] === true;

  if (stimulus === INSERT_CARD || stimulus === WITHDRAW_CARD || stimulus === PULL_CARD) {
    const slot = a.slot as string;
    const cards = Object.entries(options.cards[slot]!);
    const joined = cards.filter(([, channel]) => isClosed(channel));
    if (stimulus === INSERT_CARD) {
      const card = a.card as string;
      const channel = options.cards[slot]![card]!;
      if (joined.length > 0) {
        const [other, at] = joined[0]!;
        return { error: `the ${slot} slot already has card ${other} joined to it (relay ${at} closed): withdraw it first` };
      }
      // one card, one extender: a card switched to two slots at once would join them electrically
      const elsewhere = Object.entries(options.cards).find(([other, byCard]) => other !== slot && byCard[card] !== undefined && isClosed(byCard[card]!));
      if (elsewhere) return { error: `card ${card} is joined to the ${elsewhere[0]} slot (relay ${elsewhere[1][card]} closed): withdraw it there first` };
      return { via, ops: [{ do: 'relay', channel, on: true }, ...settle], summary: `close relay ${channel} (card ${card} into the ${slot} slot)` };
    }
    if (joined.length === 0) {
      return { error: `no card is joined to the ${slot} slot through the relay board (relays ${cards.map(([, c]) => c).join(', ')} open)` };
    }
    return {
      via,
      ops: [...joined.map(([, channel]): ActuationOp => ({ do: 'relay', channel, on: false })), ...settle],
      summary: `open relay ${joined.map(([, c]) => c).join(', ')} (card ${joined.map(([name]) => name).join(', ')} out of the ${slot} slot)`,
    };
  }

  const how = options.stimuli[stimulus]!;
  if (how.via === 'keypad') {
    let line: string;
    try {
      line = formatKeypadRun(stimulus, a);
    } catch (error) {
      return { error: `the keypad robot cannot be asked for '${stimulus}' with ${JSON.stringify(a)}: ${(error as Error).message}` };
    }
    if (line.length + 1 > KEYPAD_MAX_LINE) return { error: `RUN ${stimulus} with these arguments is ${line.length + 1} bytes, more than a keypad line's ${KEYPAD_MAX_LINE}` };
    return { via, ops: [{ do: 'keypad', line }], summary: line };
  }
  if (how.via === 'psu') {
    const on = a.on as boolean;
    const lines = ['*CLS', ...(on && how.volts !== undefined ? [`VOLT ${how.volts}`] : []), `OUTP ${on ? 'ON' : 'OFF'}`];
    return { via, ops: [...lines.map((line): ActuationOp => ({ do: 'psu', line })), { do: 'confirm-psu' }], summary: lines.join(', ') };
  }
  if (typeof a.on === 'boolean') {
    return { via, ops: [{ do: 'relay', channel: how.channel, on: a.on }, ...settle], summary: `${a.on ? 'close' : 'open'} relay ${how.channel} (${stimulus})` };
  }
  return {
    via,
    ops: [{ do: 'relay', channel: how.channel, on: true }, { do: 'wait', ms: how.pulseMs }, { do: 'relay', channel: how.channel, on: false }, ...settle],
    summary: `close relay ${how.channel} for ${how.pulseMs} ms (${stimulus})`,
  };
}

/**
 * A lab supply switched over SCPI confirms every command (SYST:ERR? after OUTP OFF; *CLS, VOLT, OUTP ON and
 * SYST:ERR? after), each a line and an answer at 9600 baud plus the supply's own processing and its output's
 * fall and rise: a cut through it lasts some hundreds of ms, whatever the scenario asks. Measured on the
 * stand-in: a 150 ms cut was recorded as an interruption (0x08), so it lasted over Annex IC 79's 200 ms. Choice:
 * 500 ms, so no cut on either side of that threshold is trusted to SCPI that it cannot make; longer cuts (the
 * 0x08 of a 500 ms or 5 min cut) are. A relay in series switches in milliseconds.
 */
export const PSU_SHORTEST_HOLD_MS = 500;

export function shortestHold(via: string): { ms: number; why: string } | undefined {
  if (via !== 'psu') return undefined;
  return {
    ms: PSU_SHORTEST_HOLD_MS,
    why: "a lab supply switched over SCPI confirms each command (OUTP OFF, then *CLS, VOLT, OUTP ON, each followed by SYST:ERR?): a cut through it lasts some hundreds of ms (500ms taken as the least); wire the supply through a relay in series (the actuator's supply: { via: relay, channel: N })",
  };
}
