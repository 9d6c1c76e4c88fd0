import { assign, emit, enqueueActions, setup } from 'xstate';
import type { ActuationDoneEmitted, ActuatorPerformEvent, PortRefusedEmitted, PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { SCPI_MAX_LINE, ScpiError, decodeScpiLine, encodeLcusSwitch, encodeScpiLine, formatScpiError, parseScpiErrorAnswer, splitLines } from '../../protocols/bench/index.ts';
import { planActuation, type ActuationOp } from './actuation-plan.ts';
import type { BenchActuatorOptions } from './options.ts';

/**
 * The rig's side of the bench hardware: it performs the stimuli the rig asks of it (`actuator.perform`) with the
 * relay board on its `relay` port and the lab supply on its `psu` port, one at a time, and reports each as done
 * or failed (`actuation.done`). A relay board answers nothing, so a relay actuation is done once its commands
 * are sent and the contact has had its settle time (the rig then waits for the bytes to leave the port); a
 * supply actuation is done when SYST:ERR? answers 0,"No error" within the answer window.
 */
interface Job {
  id: number;
  via: 'relay' | 'psu';
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
}

type Event = ActuatorPerformEvent | PortRxEvent;

export function benchActuatorMachine(device: string, options: BenchActuatorOptions) {
  const psuPort = `${device}.psu`;
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
    },
    guards: {
      finished: ({ context }) => context.job !== null && context.job.index >= context.job.ops.length,
      atWait: ({ context }) => context.job?.ops[context.job.index]?.do === 'wait',
      atConfirm: ({ context }) => context.job?.ops[context.job.index]?.do === 'confirm-psu',
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
        enqueue.assign({ job: { id: event.id, via: plan.via, ops: plan.ops, index: 0, summary: plan.summary, sent: [] }, psuLines: [] });
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
        if (event.port === 'relay') return; // a board's status answer: this actuator does not ask for it
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
      /** An answer nobody asked for (idle, or before the confirmation): refused, for the trace. */
      dropUnasked: enqueueActions(({ context, enqueue }) => {
        for (const line of context.psuLines) enqueue.emit({ type: 'port.refused', port: 'psu', code: 'unexpected', detail: `an answer nobody asked for: ${JSON.stringify(line)}` });
        enqueue.assign({ psuLines: [] });
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
    context: { closed: {}, job: null, psuPending: [], psuLines: [] },
    initial: 'idle',
    states: {
      idle: {
        on: {
          'actuator.perform': { target: 'working', actions: 'start' },
          'port.rx': { actions: ['takePsuBytes', 'dropUnasked'] },
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
              // no job: the plan was refused (start reported it)
              { target: '#bench-actuator.idle' },
            ],
          },
          waiting: {
            on: { 'port.rx': { actions: ['takePsuBytes', 'dropUnasked'] } },
            after: { opWait: { target: 'advance', actions: 'skipOp' } },
          },
          confirming: {
            entry: 'askErrors',
            on: { 'port.rx': { actions: 'takePsuBytes' } },
            always: [
              { guard: 'answeredNoError', target: 'advance', actions: ['dropAnswer', 'skipOp'] },
              { guard: 'answered', target: '#bench-actuator.idle', actions: 'failAnswer' },
            ],
            after: { psuWindow: { target: '#bench-actuator.idle', actions: 'failNoAnswer' } },
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
