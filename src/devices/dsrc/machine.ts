import { assign, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { APPLICATION_RTM, DsrcDecodeError, decodeVuLinkFrame, deframeVuLink, encodeVuLinkFrame, type VuLinkMessage } from '../../protocols/dsrc/index.ts';
import { toHex } from '../../crypto/bytes.ts';

/**
 * The DSRC-VU (App. 14 §4.1.1, §5.6-5.7): the remote communication facility outside the VU. On its `vu` port it
 * takes the link initialisation, the RTM data the VU sends every 60 s (already secured by the VUSM: it cannot
 * read them, DSC_7) and the termination, and acknowledges each set with RtmTransferAck Ok or NoK (DSC_74). It
 * keeps the latest set in non-volatile memory (DSC_18, §4.1.1: "the memory of the DSRC-VU shall be
 * non-volatile") for a roadside reader on its `air` port (a later step of issue 16).
 */
export const DSRC_VU_PORT = 'vu';

export const dsrcVuOptions = z.strictObject({
  /** ObeConfiguration (Table 14.9): the DSRC-VU's manufacturer (ISO 14816 register) and its SW/HW version. */
  manufacturerId: z.number().int().min(0).max(65535).default(0x0042),
  equipmentClass: z.number().int().min(0).max(32767).default(1),
  /** A broken memory at start: every set is answered NoK (the `memoryFault` stimulus changes it). */
  memoryFault: z.boolean().default(false),
});
export type DsrcVuOptions = z.output<typeof dsrcVuOptions>;

export interface DsrcVuContext {
  options: DsrcVuOptions;
  /** DSC_72/76: the link the VU initialised; a new initialisation replaces it (no dangling link). */
  linkId: number | null;
  held: number[];
  /** The latest RTM data stored, hex; null before the first. */
  rtmData: string | null;
  /** Rig ms it was stored. */
  storedAt: number | null;
  memoryFault: boolean;
  /** Sets stored and sets refused (NoK), for the records. */
  stored: number;
  refused: number;
}

export type DsrcVuEvent = PortRxEvent | { type: 'memoryFault'; on: boolean };

export function dsrcVuMachine(options: DsrcVuOptions, now: () => number) {
  return setup({
    types: { context: {} as DsrcVuContext, events: {} as DsrcVuEvent, emitted: {} as PortTxEmitted },
    actions: {
      fromVu: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx' || event.port !== DSRC_VU_PORT) return;
        const { chunks, held } = deframeVuLink(context.held, event.bytes);
        let ctx: DsrcVuContext = { ...context, held };
        for (const chunk of chunks) {
          let message: VuLinkMessage;
          try {
            message = decodeVuLinkFrame(chunk);
          } catch (e) {
            // a garbled frame gets no answer: the VU's answer timer judges the transfer (DSC_74)
            if (e instanceof DsrcDecodeError) continue;
            throw e;
          }
          const answer = (m: VuLinkMessage) => enqueue.emit({ type: 'port.tx', port: DSRC_VU_PORT, bytes: encodeVuLinkFrame(m) });
          switch (message.command) {
            case 'initRequest':
              // DSC_76: a new initialisation drops whatever link there was
              ctx = { ...ctx, linkId: message.linkId };
              answer({ command: 'initResponse', linkId: message.linkId, success: true });
              break;
            case 'sendData': {
              if (ctx.linkId !== message.linkId) break; // no link: the VU initialises again after its timeout
              const ok = !ctx.memoryFault && message.applicationId === APPLICATION_RTM;
              ctx = ok ? { ...ctx, rtmData: toHex(message.data), storedAt: now(), stored: ctx.stored + 1 } : { ...ctx, refused: ctx.refused + 1 };
              answer({ command: 'dataAck', linkId: message.linkId, transactionId: message.transactionId, ack: ok ? 'ok' : 'nok' });
              break;
            }
            case 'terminateRequest':
              if (ctx.linkId === message.linkId) ctx = { ...ctx, linkId: null };
              answer({ command: 'terminateResponse', linkId: message.linkId });
              break;
            default:
              break; // answers are the DSRC-VU's to send, not to receive
          }
        }
        enqueue.assign(ctx);
      }),
      setMemoryFault: assign({ memoryFault: ({ context, event }) => (event.type === 'memoryFault' ? event.on : context.memoryFault) }),
    },
  }).createMachine({
    id: 'dsrc-vu',
    context: { options, linkId: null, held: [], rtmData: null, storedAt: null, memoryFault: options.memoryFault, stored: 0, refused: 0 },
    on: { 'port.rx': { actions: 'fromVu' }, memoryFault: { actions: 'setMemoryFault' } },
  });
}
