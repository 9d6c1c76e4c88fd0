import { assign, emit, enqueueActions, setup } from 'xstate';
import type { ActuationDoneEmitted, ActuatorPerformEvent, PortRefusedEmitted, PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import {
  KEYPAD_MAX_LINE,
  KeypadError,
  SCPI_MAX_LINE,
  ScpiError,
  decodeKeypadLine,
  decodeScpiLine,
  encodeKeypadLine,
  encodeLcusSwitch,
  encodeScpiLine,
  formatScpiError,
  parseKeypadAnswer,
  parseScpiErrorAnswer,
  splitLines,
  type KeypadAnswer,
} from '../../protocols/bench/index.ts';
import { planActuation, type ActuationOp, type ActuationVia } from './actuation-plan.ts';
import type { BenchActuatorOptions } from './options.ts';

/**
 * The rig's side of the bench hardware: it performs the stimuli the rig asks of it (`actuator.perform`) with the
 * relay board on its `relay` port, the lab supply on its `psu` port and the keypad robot on its `keypad` port,
 * one at a time, and reports each as done or failed (`actuation.done`). A relay board answers nothing, so a
 * relay actuation is done once its commands are sent and the contact has had its settle time (the rig then
 * waits for the bytes to leave the port); a supply actuation is done when SYST:ERR? answers 0,"No error"
 * within the answer window; a keypad actuation when the robot answers its RUN with OK within its window.
 */
interface Job {
  id: number;
  via: ActuationVia;
  ops: ActuationOp[];
  /** The next op. */
  index: number;
  summary: string;
  /** The lines sent to the supply so far in this job, for error messages. */
  sent: string[];
}

export interface BenchActuatorContext {
  /** Relays by channel, as this actuator last set them (the board starts with every relay open). */
  closed: Record<string, boolean>;
  job: Job | null;
  /** Bytes of the supply's answer line not yet ended by LF. */
  psuPending: number[];
  /** Answer lines from the supply not yet read. */
  psuLines: string[];
  /** Bytes of the keypad robot's answer line not yet ended by LF. */
  keypadPending: number[];
  /** Answers from the keypad robot not yet read (a line it sent that is no answer is refused in the trace). */
  keypadAnswers: KeypadAnswer[];
}

type Event = ActuatorPerformEvent | PortRxEvent;

export function benchActuatorMachine(device: string, options: BenchActuatorOptions) {
  const psuPort = `${device}.psu`;
  const keypadPort = `${device}.keypad`;
  return setup({
    types: {
      context: {} as BenchActuatorContext,
      events: {} as Event,
      emitted: {} as PortTxEmitted | PortRefusedEmitted | ActuationDoneEmitted,
    },
    delays: {
      opWait: ({ context }) => {
        const op = context.job?.ops[context.job.index];
        return op?.do === 'wait' ? op.ms : 0;
      },
      psuWindow: options.psuAnswerWindowMs,
      keypadWindow: options.keypadAnswerWindowMs,
    },
    guards: {
      finished: ({ context }) => context.job !== null && context.job.index >= context.job.ops.length,
      atWait: ({ context }) => context.job?.ops[context.job.index]?.do === 'wait',
      atConfirm: ({ context }) => context.job?.ops[context.job.index]?.do === 'confirm-psu',
      atMacro: ({ context }) => context.job?.ops[context.job.index]?.do === 'keypad',
      macroDone: ({ context }) => context.keypadAnswers[0]?.type === 'ok',
      macroAnswered: ({ context }) => context.keypadAnswers.length > 0,
      answeredNoError: ({ context }) => context.psuLines.length > 0 && errorCodeOf(context.psuLines[0]!) === 0,
      answered: ({ context }) => context.psuLines.length > 0,
    },
    actions: {
      start: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'actuator.perform') return;
        const plan = planActuation(options, context.closed, event.stimulus, event.args);
        if (!plan || 'error' in plan) {
          const error = plan?.error ?? `${device} does not perform stimulus '${event.stimulus}' with ${JSON.stringify(event.args)}`;
          enqueue.emit({ type: 'actuation.done', id: event.id, ok: false, via: plan ? 'relay' : 'none', error });
          return;
        }
        enqueue.assign({ job: { id: event.id, via: plan.via, ops: plan.ops, index: 0, summary: plan.summary, sent: [] }, psuLines: [], keypadAnswers: [] });
      }),
      busy: emit(({ context, event }) => ({
        type: 'actuation.done' as const,
        id: (event as ActuatorPerformEvent).id,
        ok: false,
        via: 'none',
        error: `${device} is still busy with actuation ${context.job?.id} (${context.job?.summary})`,
      })),
      /** Sends the ops up to the next wait, confirmation or the end. */
      send: enqueueActions(({ context, enqueue }) => {
        const job = context.job;
        if (!job) return;
        const closed = { ...context.closed };
        const sent = [...job.sent];
        let index = job.index;
        for (let op = job.ops[index]; op && (op.do === 'relay' || op.do === 'psu'); op = job.ops[++index]) {
          if (op.do === 'relay') {
            enqueue.emit({ type: 'port.tx', port: 'relay', bytes: encodeLcusSwitch(op.channel, op.on) });
            closed[String(op.channel)] = op.on;
          } else {
            enqueue.emit({ type: 'port.tx', port: 'psu', bytes: encodeScpiLine(op.line) });
            sent.push(op.line);
          }
        }
        enqueue.assign({ closed, job: { ...job, index, sent } });
      }),
      skipOp: assign({ job: ({ context }) => (context.job ? { ...context.job, index: context.job.index + 1 } : null) }),
      askErrors: enqueueActions(({ context, enqueue }) => {
        enqueue.emit({ type: 'port.tx', port: 'psu', bytes: encodeScpiLine('SYST:ERR?') });
        if (context.job) enqueue.assign({ job: { ...context.job, sent: [...context.job.sent, 'SYST:ERR?'] } });
      }),
      takePsuBytes: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx') return;
        if (event.port !== 'psu') return; // a board's status answer (this actuator does not ask for it), or the keypad's
        const { pending, lines } = splitLines(context.psuPending, event.bytes, SCPI_MAX_LINE);
        const texts: string[] = [];
        for (const line of lines) {
          try {
            texts.push(decodeScpiLine(line));
          } catch (error) {
            if (!(error instanceof ScpiError)) throw error;
            enqueue.emit({ type: 'port.refused', port: 'psu', code: 'malformed', detail: error.message });
          }
        }
        enqueue.assign({ psuPending: pending, psuLines: [...context.psuLines, ...texts] });
      }),
      takeKeypadBytes: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx' || event.port !== 'keypad') return;
        const { pending, lines } = splitLines(context.keypadPending, event.bytes, KEYPAD_MAX_LINE);
        const answers: KeypadAnswer[] = [];
        for (const line of lines) {
          try {
            answers.push(parseKeypadAnswer(decodeKeypadLine(line)));
          } catch (error) {
            if (!(error instanceof KeypadError)) throw error;
            enqueue.emit({ type: 'port.refused', port: 'keypad', code: 'malformed', detail: error.message });
          }
        }
        enqueue.assign({ keypadPending: pending, keypadAnswers: [...context.keypadAnswers, ...answers] });
      }),
      /** An answer nobody asked for (idle, or before the confirmation): refused, for the trace. */
      dropUnasked: enqueueActions(({ context, enqueue }) => {
        for (const line of context.psuLines) enqueue.emit({ type: 'port.refused', port: 'psu', code: 'unexpected', detail: `an answer nobody asked for: ${JSON.stringify(line)}` });
        enqueue.assign({ psuLines: [] });
      }),
      /** The same on the keypad line (an answer after its window, a second answer to one RUN). */
      dropUnaskedKeypad: enqueueActions(({ context, enqueue }) => {
        for (const answer of context.keypadAnswers) enqueue.emit({ type: 'port.refused', port: 'keypad', code: 'unexpected', detail: `an answer nobody asked for: ${JSON.stringify(answer)}` });
        enqueue.assign({ keypadAnswers: [] });
      }),
      /** RUN <action> ... to the robot: the macro starts. */
      runMacro: enqueueActions(({ context, enqueue }) => {
        const job = context.job;
        const op = job?.ops[job.index];
        if (!job || op?.do !== 'keypad') return;
        enqueue.emit({ type: 'port.tx', port: 'keypad', bytes: encodeKeypadLine(op.line) });
        enqueue.assign({ job: { ...job, sent: [...job.sent, op.line] } });
      }),
      macroOk: assign({ keypadAnswers: ({ context }) => context.keypadAnswers.slice(1) }),
      failMacro: enqueueActions(({ context, enqueue }) => {
        const job = context.job!;
        const answer = context.keypadAnswers[0]!;
        const error =
          answer.type === 'err'
            ? `the keypad robot on ${keypadPort} answered ERR ${answer.reason} to ${job.sent.at(-1)}`
            : `the keypad robot on ${keypadPort} answered ${JSON.stringify(answer)} to ${job.sent.at(-1)}, not OK or ERR`;
        enqueue.emit({ type: 'actuation.done', id: job.id, ok: false, via: job.via, error });
        enqueue.assign({ job: null, keypadAnswers: context.keypadAnswers.slice(1) });
      }),
      failMacroSilent: enqueueActions(({ context, enqueue }) => {
        const job = context.job!;
        const error = `no answer on ${keypadPort} within ${options.keypadAnswerWindowMs} ms to ${job.sent.at(-1)}: is the keypad robot connected, on, at the line's speed, and does its macro end with OK or ERR?`;
        enqueue.emit({ type: 'actuation.done', id: job.id, ok: false, via: job.via, error });
        enqueue.assign({ job: null });
      }),
      dropAnswer: assign({ psuLines: ({ context }) => context.psuLines.slice(1) }),
      done: enqueueActions(({ context, enqueue }) => {
        const job = context.job!;
        enqueue.emit({ type: 'actuation.done', id: job.id, ok: true, via: job.via, ...(job.via === 'relay' ? { drain: 'relay' } : {}) });
        enqueue.assign({ job: null });
      }),
      failAnswer: enqueueActions(({ context, enqueue }) => {
        const job = context.job!;
        const answer = context.psuLines[0]!;
        let reading: string;
        try {
          const entry = parseScpiErrorAnswer(answer);
          reading = `the supply on ${psuPort} reported ${formatScpiError(entry)}`;
        } catch {
          reading = `the supply on ${psuPort} answered SYST:ERR? with ${JSON.stringify(answer)}, not an error queue entry`;
        }
        enqueue.emit({ type: 'actuation.done', id: job.id, ok: false, via: job.via, error: `${reading} after ${job.sent.slice(0, -1).join(', ')}` });
        enqueue.assign({ job: null, psuLines: context.psuLines.slice(1) });
      }),
      failNoAnswer: enqueueActions(({ context, enqueue }) => {
        const job = context.job!;
        const error = `no answer on ${psuPort} within ${options.psuAnswerWindowMs} ms to SYST:ERR? (after ${job.sent.slice(0, -1).join(', ')}): is the supply connected, on, and at the line's speed?`;
        enqueue.emit({ type: 'actuation.done', id: job.id, ok: false, via: job.via, error });
        enqueue.assign({ job: null });
      }),
    },
  }).createMachine({
    id: 'bench-actuator',
    context: { closed: {}, job: null, psuPending: [], psuLines: [], keypadPending: [], keypadAnswers: [] },
    initial: 'idle',
    states: {
      idle: {
        on: {
          'actuator.perform': { target: 'working', actions: 'start' },
          'port.rx': { actions: ['takePsuBytes', 'dropUnasked', 'takeKeypadBytes', 'dropUnaskedKeypad'] },
        },
      },
      working: {
        initial: 'advance',
        on: { 'actuator.perform': { actions: 'busy' } },
        states: {
          advance: {
            entry: 'send',
            always: [
              { guard: 'finished', target: '#bench-actuator.idle', actions: 'done' },
              { guard: 'atWait', target: 'waiting' },
              { guard: 'atConfirm', target: 'confirming' },
              { guard: 'atMacro', target: 'macro' },
              // no job: the plan was refused (start reported it)
              { target: '#bench-actuator.idle' },
            ],
          },
          waiting: {
            on: { 'port.rx': { actions: ['takePsuBytes', 'dropUnasked', 'takeKeypadBytes', 'dropUnaskedKeypad'] } },
            after: { opWait: { target: 'advance', actions: 'skipOp' } },
          },
          confirming: {
            entry: 'askErrors',
            on: { 'port.rx': { actions: ['takePsuBytes', 'takeKeypadBytes', 'dropUnaskedKeypad'] } },
            always: [
              { guard: 'answeredNoError', target: 'advance', actions: ['dropAnswer', 'skipOp'] },
              { guard: 'answered', target: '#bench-actuator.idle', actions: 'failAnswer' },
            ],
            after: { psuWindow: { target: '#bench-actuator.idle', actions: 'failNoAnswer' } },
          },
          // the robot runs its macro: the VU's menu, key by key, then OK or ERR
          macro: {
            entry: 'runMacro',
            on: { 'port.rx': { actions: ['takePsuBytes', 'dropUnasked', 'takeKeypadBytes'] } },
            always: [
              { guard: 'macroDone', target: 'advance', actions: ['macroOk', 'skipOp'] },
              { guard: 'macroAnswered', target: '#bench-actuator.idle', actions: 'failMacro' },
            ],
            after: { keypadWindow: { target: '#bench-actuator.idle', actions: 'failMacroSilent' } },
          },
        },
      },
    },
  });
}

function errorCodeOf(answer: string): number | undefined {
  try {
    return parseScpiErrorAnswer(answer).code;
  } catch {
    return undefined;
  }
}
