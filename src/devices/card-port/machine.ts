import { enqueueActions, not, setup } from 'xstate';
import type { RigClock } from '../../harness/clock/index.ts';
import type { PortRefusedEmitted, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { createT1State, deframeT1, t1PartialBlock, t1Receive, t1Send, type T1State } from '../../protocols/t1/index.ts';
import { createT0CardState, t0DropPartial, t0Pending, t0Receive, type T0CardState } from '../../protocols/t0/index.ts';
import { cardDeviceFor } from '../vu/cards/card-authentication.ts';
import type { CardPortOptions } from './index.ts';

/** The card's port to the smart-card emulator board: APDUs in T=1 blocks. */
export const CARD_PORT = 'vu';
/** The same card to a board that relays the VU's T=0 bytes (ISO/IEC 7816-3 §10: headers, procedure bytes, GET RESPONSE). */
export const CARD_PORT_T0 = 'vuT0';

/** ISO/IEC 7816-3 §11.4.3, the rig's choice for a serial line: a block whose next byte is later than this is abandoned (as the EGF's default CWT). */
const CWT_MS = 100;
/**
 * ISO/IEC 7816-3 §10.2 WT on the T=0 port: WT = WI × 960 × Fi / f, with the defaults (WI 10, Fi 372) at the 3.5712 MHz
 * clock that gives 9600 bit/s: 9600 etu, 1 s (the board's contact side; the serial line has no etu of its own). The
 * standard bounds the delay before each character of the card; the port (a choice) applies it to the IFD's characters
 * too, so a header or data cut on the line (a board reset unseen, a lost byte) is dropped instead of swallowing the
 * next command. Not the T=1 port's 100 ms CWT: between the card's INS procedure byte and the data the IFD's turnaround
 * through the board and a USB adapter counts as well.
 */
export const T0_WT_MS = Math.round((10 * 960 * 372 * 1000) / 3_571_200);

export interface CardPortContext {
  t1: T1State;
  /** Bytes of a block not complete yet. */
  held: number[];
  /** The T=0 line's state (protocols/t0): a header or data not complete yet, what GET RESPONSE gives. */
  t0: T0CardState;
}

export type CardPortEvent = { type: 'port.rx'; port: string; bytes: Uint8Array };

/**
 * The card behind a serial line. The card itself (memory, PIN counter, secure messaging) is the card emulator,
 * a mutable device held here as the VU holds its cards' (vu-machine.ts); the machine's context is the line's T=1
 * state. App. 2 TCS_14 asks an IFSC of at least 'F0'; TCS_16: NAD '00', the IFSD announced by the IFD after the ATR.
 */
export function cardPortMachine(options: CardPortOptions, clock: RigClock) {
  const card = cardDeviceFor(options.card, options.pkiSeed);
  void clock;
  return setup({
    types: { context: {} as CardPortContext, events: {} as CardPortEvent, emitted: {} as PortTxEmitted | PortRefusedEmitted },
    delays: { cwt: CWT_MS, wt: T0_WT_MS },
    guards: {
      blockPending: ({ context }) => context.held.length > 0,
      onT0: ({ event }) => event.type === 'port.rx' && event.port === CARD_PORT_T0,
      onT1: ({ event }) => event.type === 'port.rx' && event.port !== CARD_PORT_T0,
      t0Pending: ({ context }) => t0Pending(context.t0),
    },
    actions: {
      // ISO/IEC 7816-3 §10 on the T=0 port: the card answers each header and data with procedure bytes; 'FF' is the reset
      receiveT0: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx') return;
        const step = t0Receive(context.t0, event.bytes, (command) => card.transmit(command));
        if (step.reset) card.reset();
        // the reset comes first in a chunk only; answers after it are the new session's
        for (const b of step.out) enqueue.emit({ type: 'port.tx', port: CARD_PORT_T0, bytes: b });
        enqueue.assign({ t0: step.state });
      }),
      receiveBytes: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx') return;
        const { frames, held } = deframeT1(context.held, event.bytes);
        let t1 = context.t1;
        for (const frame of frames) {
          const step = t1Receive(t1, frame);
          t1 = step.state;
          // the board's S(RESYNCH request): the VU reset the card (RST, or a power cycle): the MF again, no session, no PIN (TCS_18, TCS_75)
          if (step.resynchronised) card.reset();
          for (const b of step.out) enqueue.emit({ type: 'port.tx', port: CARD_PORT, bytes: b });
          if (!step.message) continue;
          const sent = t1Send(t1, card.transmit(step.message));
          t1 = sent.state;
          for (const b of sent.out) enqueue.emit({ type: 'port.tx', port: CARD_PORT, bytes: b });
        }
        enqueue.assign({ t1, held });
      }),
      // CWT ran out mid-block: dropped and recorded as the T=0 port's drops are (nothing on the line shows it)
      dropPartialBlock: enqueueActions(({ context, enqueue }) => {
        const dropped = t1PartialBlock(context.held);
        if (dropped) enqueue.emit({ type: 'port.refused', port: CARD_PORT, code: 'timeout', detail: `${dropped}: no byte for ${CWT_MS} ms (ISO/IEC 7816-3 CWT), dropped` });
        enqueue.assign({ held: [] });
      }),
      // WT ran out with a command half received: dropped, recorded (nothing on the line shows it); the next byte starts a header
      dropPartialT0: enqueueActions(({ context, enqueue }) => {
        const { state, dropped } = t0DropPartial(context.t0);
        if (dropped) enqueue.emit({ type: 'port.refused', port: CARD_PORT_T0, code: 'timeout', detail: `${dropped}: no byte for ${T0_WT_MS} ms (ISO/IEC 7816-3 WT), dropped` });
        enqueue.assign({ t0: state });
      }),
    },
  }).createMachine({
    id: 'card',
    context: { t1: createT1State({ ifsReceive: 254 }), held: [], t0: createT0CardState() },
    // The T=1 port's blocks and the T=0 port's commands, each with its own character timer
    type: 'parallel',
    states: {
      t1: {
        initial: 'idle',
        states: {
          idle: { always: { guard: 'blockPending', target: 'inBlock' }, on: { 'port.rx': { guard: 'onT1', actions: 'receiveBytes' } } },
          inBlock: {
            always: { guard: not('blockPending'), target: 'idle' },
            after: { cwt: { target: 'idle', actions: 'dropPartialBlock' } },
            on: { 'port.rx': { guard: 'onT1', target: 'inBlock', reenter: true, actions: 'receiveBytes' } },
          },
        },
      },
      t0: {
        initial: 'idle',
        states: {
          idle: { always: { guard: 't0Pending', target: 'partial' }, on: { 'port.rx': { guard: 'onT0', actions: 'receiveT0' } } },
          partial: {
            always: { guard: not('t0Pending'), target: 'idle' },
            after: { wt: { target: 'idle', actions: 'dropPartialT0' } },
            on: { 'port.rx': { guard: 'onT0', target: 'partial', reenter: true, actions: 'receiveT0' } },
          },
        },
      },
    },
  });
}
