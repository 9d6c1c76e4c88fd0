import { assign, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import {
  AID_FREIGHT_FLEET,
  APPLICATION_RTM,
  ATTRIBUTE_RTM_DATA,
  CONTAINER_RTM_DATA,
  DsrcDecodeError,
  decodeAirFrame,
  decodeVuLinkFrame,
  deframeAir,
  deframeVuLink,
  encodeAirFrame,
  encodeTApdu,
  encodeVuLinkFrame,
  rtmContextMark,
  type TApdu,
  type VuLinkMessage,
} from '../../protocols/dsrc/index.ts';
import { fromHex, toHex } from '../../crypto/bytes.ts';

/**
 * The DSRC-VU (App. 14 §4.1.1, §5.6-5.7): the remote communication facility outside the VU. On its `vu` port it
 * takes the link initialisation, the RTM data the VU sends every 60 s (already secured by the VUSM: it cannot
 * read them, DSC_7) and the termination, and acknowledges each set with RtmTransferAck Ok or NoK (DSC_74). It
 * keeps the latest set in non-volatile memory (DSC_18, §4.1.1: "the memory of the DSRC-VU shall be
 * non-volatile") for a roadside reader on its `air` port (a later step of issue 16).
 */
export const DSRC_VU_PORT = 'vu';
export const DSRC_AIR_PORT = 'air';
/** DSC_48: the EID the DSRC-VU gives its RTM application instance in the VST. */
export const RTM_EID = 1;

export const dsrcVuOptions = z.strictObject({
  /** ObeConfiguration (Table 14.9): the DSRC-VU's manufacturer (ISO 14816 register) and its SW/HW version. */
  manufacturerId: z.number().int().min(0).max(65535).default(0x0042),
  equipmentClass: z.number().int().min(0).max(32767).default(1),
  /** A broken memory at start: every set is answered NoK (the `memoryFault` stimulus changes it). */
  memoryFault: z.boolean().default(false),
  /** Its private link identifier on the air (EN 12795: 4 octets, LSB 1 on the last only), hex. */
  lid: z.string().regex(/^[0-9A-Fa-f]{6}[0-9A-Fa-f][13579BDFbdf]$/, '4 octets as hex, the last one odd').default('12345679'),
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
  /** The air side: bytes of a frame not yet complete, and the first set ever stored (what a replay serves). */
  airHeld: number[];
  firstRtmData: string | null;
  /** A manipulated DSRC-VU (stimuli): serves the first set instead of the latest, or flips one bit of what it serves. */
  replay: boolean;
  tamperBit: number | null;
}

export type DsrcVuEvent = PortRxEvent | { type: 'memoryFault'; on: boolean } | { type: 'replay'; on: boolean } | { type: 'tamper'; bit: number | null };

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
              ctx = ok ? { ...ctx, rtmData: toHex(message.data), firstRtmData: ctx.firstRtmData ?? toHex(message.data), storedAt: now(), stored: ctx.stored + 1 } : { ...ctx, refused: ctx.refused + 1 };
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
      // App. 14 §5.4.7: the interrogation as the DSRC-VU answers it (DSC_45-52), ECHO (DSC_57/58)
      fromAir: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx' || event.port !== DSRC_AIR_PORT) return;
        const { frames, held } = deframeAir(context.airHeld, event.bytes);
        enqueue.assign({ airHeld: held });
        const lid = fromHex(context.options.lid);
        const send = (apdu: TApdu) => enqueue.emit({ type: 'port.tx', port: DSRC_AIR_PORT, bytes: encodeAirFrame(lid, true, encodeTApdu(apdu)) });
        for (const frame of frames) {
          let apdu: TApdu;
          try {
            apdu = decodeAirFrame(frame).apdu;
          } catch (e) {
            if (e instanceof DsrcDecodeError) continue; // a frame whose FCS fails is not answered: the reader tries again
            throw e;
          }
          switch (apdu.type) {
            case 'bst':
              // DSC_45 / Step 1: answer only a BST that asks for Freight & Fleet (AID 2)
              if (!apdu.mandAids.includes(AID_FREIGHT_FLEET)) break;
              send({ type: 'vst', profile: apdu.profile, applications: [{ aid: AID_FREIGHT_FLEET, eid: RTM_EID, parameter: rtmContextMark() }], equipmentClass: context.options.equipmentClass, manufacturerId: context.options.manufacturerId });
              break;
            case 'getRequest': {
              if (apdu.eid !== RTM_EID || !apdu.attributeIds.includes(ATTRIBUTE_RTM_DATA)) break;
              const served = context.replay ? context.firstRtmData : context.rtmData;
              if (served === null) {
                // nothing stored yet: ISO 14906 ReturnStatus processingFailure (4)
                send({ type: 'getResponse', eid: RTM_EID, attributes: [], ret: 4 });
                break;
              }
              const data = fromHex(served);
              if (context.tamperBit !== null && context.tamperBit < data.length * 8) data[context.tamperBit >> 3]! ^= 0x80 >> (context.tamperBit & 7);
              // DSC_50: the RTM data in container 10 (DSC_39)
              send({ type: 'getResponse', eid: RTM_EID, attributes: [{ attributeId: ATTRIBUTE_RTM_DATA, container: CONTAINER_RTM_DATA, value: data }] });
              break;
            }
            case 'echoRequest':
              send({ type: 'echoResponse', eid: apdu.eid, data: apdu.data });
              break;
            default:
              break; // RELEASE: no answer (DSC_52)
          }
        }
      }),
      setReplay: assign({ replay: ({ context, event }) => (event.type === 'replay' ? event.on : context.replay) }),
      setTamper: assign({ tamperBit: ({ context, event }) => (event.type === 'tamper' ? event.bit : context.tamperBit) }),
      setMemoryFault: assign({ memoryFault: ({ context, event }) => (event.type === 'memoryFault' ? event.on : context.memoryFault) }),
    },
  }).createMachine({
    id: 'dsrc-vu',
    context: { options, linkId: null, held: [], rtmData: null, storedAt: null, memoryFault: options.memoryFault, stored: 0, refused: 0, airHeld: [], firstRtmData: null, replay: false, tamperBit: null },
    on: { 'port.rx': { actions: ['fromVu', 'fromAir'] }, memoryFault: { actions: 'setMemoryFault' }, replay: { actions: 'setReplay' }, tamper: { actions: 'setTamper' } },
  });
}
