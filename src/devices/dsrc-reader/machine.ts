import { assign, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { DeviceRecord, PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { toHex } from '../../crypto/bytes.ts';
import {
  AID_FREIGHT_FLEET,
  ATTRIBUTE_RTM_DATA,
  BROADCAST_LID,
  CONTAINER_RTM_DATA,
  DsrcDecodeError,
  decodeAirFrame,

  decodeTachographPayload,
  deframeAir,
  encodeAirFrame,
  encodeProcessDsrcMessage,
  encodeTApdu,
  isRtmContextMark,
  parseRtmData,
  type TApdu,
} from '../../protocols/dsrc/index.ts';
import { cardsSchema, type VirtualCard } from '../cards/card-schema.ts';
import { processDsrcMessageApdu } from '../cards/dsrc-card.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../crypto/pki/test-pki.ts';

/**
 * The roadside reader, REDCR (App. 14 §5.4; App. 11 CSM_228/229): on `interrogate` it sends a BST asking for
 * Freight & Fleet (AID 2), takes the VST's RTM application instance (its EID, the Rtm-ContextMark), GETs
 * attribute 1 (RtmData), RELEASEs (DSC_51), hands the RTM data to the card in its slot with PROCESS DSRC
 * MESSAGE (a control card, or a workshop card for a DSRC test reader: CSM_230), refuses data older or newer
 * than its freshness window (CSM_229), and decodes the payload. Its log is its record source: each
 * interrogation's outcome, time-stamped (DSC_82/83 ask it to keep the failures).
 */
export const READER_AIR_PORT = 'air';

export const dsrcReaderOptions = z.strictObject({
  /** Cards the reader can hold, by name (a scenario inserts one with `insertCard`). */
  cards: cardsSchema.default({}),
  /** The card in the reader's slot at start. */
  card: z.string().optional(),
  /** The test PKI whose K_M-DSRC the cards hold (a card's own pki.seed wins). */
  pkiSeed: z.number().int().default(TEST_PKI_DEFAULT_SEED),
  /** CSM_229: how far the RTM data's time may be from the reader's clock, s (the note's lower limit is 120). */
  freshnessSeconds: z.number().int().min(120).default(120),
  /** How long the reader waits for each answer on the air, rig ms. */
  answerTimeoutMs: z.number().positive().default(200),
  /** EN 12834 BeaconID. */
  beaconManufacturerId: z.number().int().min(0).max(65535).default(0x002a),
  beaconIndividualId: z.number().int().min(0).max(134217727).default(1),
});
export type DsrcReaderOptions = z.output<typeof dsrcReaderOptions>;

export interface DsrcReaderContext {
  options: DsrcReaderOptions;
  card: VirtualCard | null;
  held: number[];
  /** The vehicle's private LID and its RTM EID, once its VST came. */
  vehicle: { lid: string; eid: number } | null;
  log: DeviceRecord[];
}

export type DsrcReaderEvent = PortRxEvent | { type: 'interrogate' } | { type: 'insertCard'; card: VirtualCard | null };

export function dsrcReaderMachine(options: DsrcReaderOptions, now: () => number) {
  const log = (context: DsrcReaderContext, code: string, fields: Record<string, unknown>): DeviceRecord[] => [...context.log, { kind: 'interrogation', code, at: now(), fields }];
  const sendAir = (lid: Uint8Array, apdu: TApdu): PortTxEmitted => ({ type: 'port.tx', port: READER_AIR_PORT, bytes: encodeAirFrame(lid, false, encodeTApdu(apdu)) });
  return setup({
    types: { context: {} as DsrcReaderContext, events: {} as DsrcReaderEvent, emitted: {} as PortTxEmitted },
    delays: { answerTimeout: options.answerTimeoutMs },
    actions: {
      sendBst: enqueueActions(({ enqueue }) => {
        enqueue.assign({ vehicle: null, held: [] });
        // Table 14.4: broadcast, profile 0, one mandatory application AID 2, no EID, no parameter
        enqueue.emit(sendAir(BROADCAST_LID, { type: 'bst', beaconManufacturerId: options.beaconManufacturerId, beaconIndividualId: options.beaconIndividualId, time: Math.floor(now() / 1000), profile: 0, mandAids: [AID_FREIGHT_FLEET] }));
      }),
      logNoVehicle: assign({ log: ({ context }) => log(context, 'noVehicle', {}) }),
      // DSC_82: initialisation done, the data not retrieved
      logNotRetrieved: assign({ log: ({ context }) => log(context, 'notRetrieved', {}) }),
      insertCard: assign({ card: ({ context, event }) => (event.type === 'insertCard' ? event.card : context.card) }),
    },
  }).createMachine({
    id: 'dsrc-reader',
    context: { options, card: options.card ? (options.cards[options.card] ?? null) : null, held: [], vehicle: null, log: [] },
    on: { insertCard: { actions: 'insertCard' } },
    initial: 'idle',
    states: {
      idle: { on: { interrogate: { target: 'initialising' } } },
      initialising: {
        entry: 'sendBst',
        after: { answerTimeout: { target: 'idle', actions: 'logNoVehicle' } },
        on: {
          'port.rx': [
            {
              target: 'reading',
              guard: ({ context, event }) => frames(context, event).some((a) => a.apdu.type === 'vst'),
              actions: enqueueActions(({ context, event, enqueue }) => {
                const vst = frames(context, event).find((a) => a.apdu.type === 'vst')!;
                if (vst.apdu.type !== 'vst') return;
                // DSC_48, Step 5: the RTM instance: AID 2 with an RTM context mark (M3 version 2, or 1)
                const app = vst.apdu.applications.find((a) => a.aid === AID_FREIGHT_FLEET && a.eid !== undefined && a.parameter && isRtmContextMark(a.parameter));
                enqueue.assign({ held: [], vehicle: app ? { lid: toHex(vst.lid), eid: app.eid! } : null });
                if (!app) return enqueue.emit(sendAir(vst.lid, { type: 'release', eid: 0 }));
                // DCS_49: GET attribute 1 (RtmData) of that EID
                enqueue.emit(sendAir(vst.lid, { type: 'getRequest', eid: app.eid!, attributeIds: [ATTRIBUTE_RTM_DATA] }));
              }),
            },
            { actions: assign({ held: ({ context, event }) => heldAfter(context, event) }) },
          ],
        },
      },
      reading: {
        always: { guard: ({ context }) => context.vehicle === null, target: 'idle', actions: assign({ log: ({ context }) => log(context, 'notRtm', {}) }) },
        after: { answerTimeout: { target: 'idle', actions: 'logNotRetrieved' } },
        on: {
          'port.rx': [
            {
              target: 'idle',
              guard: ({ context, event }) => frames(context, event).some((a) => a.apdu.type === 'getResponse'),
              actions: enqueueActions(({ context, event, enqueue }) => {
                const response = frames(context, event).find((a) => a.apdu.type === 'getResponse')!;
                const vehicle = context.vehicle!;
                // DSC_51: RELEASE, EID 0, no answer expected
                enqueue.emit(sendAir(response.lid, { type: 'release', eid: 0 }));
                enqueue.assign({ held: [], log: log(context, ...judge(context, response.apdu, vehicle.eid)) });
              }),
            },
            { actions: assign({ held: ({ context, event }) => heldAfter(context, event) }) },
          ],
        },
      },
    },
  });

  /** CSM_228 (the card), CSM_229 (freshness, the reader's), then the payload (DSC_41). */
  function judge(context: DsrcReaderContext, apdu: TApdu, eid: number): [string, Record<string, unknown>] {
    if (apdu.type !== 'getResponse' || apdu.eid !== eid) return ['notRetrieved', { reason: 'not a GET response of the RTM instance' }];
    const attr = apdu.attributes.find((a) => a.attributeId === ATTRIBUTE_RTM_DATA && a.container === CONTAINER_RTM_DATA);
    if (!attr) return ['notRetrieved', { reason: `no RtmData attribute (return status ${apdu.ret ?? 'absent'})` }];
    if (!context.card) return ['refused', { reason: 'no card in the reader' }];
    const answer = processDsrcMessageApdu(context.card, options.pkiSeed, encodeProcessDsrcMessage(attr.value));
    const sw = (answer[answer.length - 2]! << 8) | answer[answer.length - 1]!;
    const swHex = sw.toString(16).padStart(4, '0').toUpperCase();
    // DSC_83: a failure to decipher is kept, with the card's status word
    if (sw !== 0x9000) return ['refused', { sw: swHex }];
    let security;
    try {
      security = parseRtmData(attr.value).security;
    } catch (e) {
      if (e instanceof DsrcDecodeError) return ['refused', { sw: swHex, reason: e.message }];
      throw e;
    }
    const readerTime = Math.floor(now() / 1000);
    const rtm = { rtmTime: security.timeReal * 1000, counter: security.counter, vuId: toHex(security.vuId), keyVersion: security.keyVersion };
    if (Math.abs(readerTime - security.timeReal) > options.freshnessSeconds) return ['stale', { sw: swHex, ...rtm }];
    let payload;
    try {
      payload = decodeTachographPayload(answer.subarray(0, answer.length - 2));
    } catch (e) {
      if (e instanceof DsrcDecodeError) return ['refused', { sw: swHex, reason: e.message }];
      throw e;
    }
    const { vehicleRegistrationPlate: plate, ...rest } = payload;
    return [
      'read',
      {
        sw: swHex,
        ...rtm,
        plate: String.fromCharCode(...plate.licencePlateNumber),
        countryCode: plate.countryCode,
        ...rest,
        timestamp: rest.timestamp * 1000,
      },
    ];
  }
}

function heldAfter(context: DsrcReaderContext, event: DsrcReaderEvent): number[] {
  return event.type === 'port.rx' && event.port === READER_AIR_PORT ? deframeAir(context.held, event.bytes).held : context.held;
}

/** The frames this event completes, decoded; frames that fail their FCS or decoding are dropped (a read failure). */
function frames(context: DsrcReaderContext, event: DsrcReaderEvent): { lid: Uint8Array; apdu: TApdu }[] {
  if (event.type !== 'port.rx' || event.port !== READER_AIR_PORT) return [];
  return deframeAir(context.held, event.bytes).frames.flatMap((f) => {
    try {
      const d = decodeAirFrame(f);
      return d.uplink ? [{ lid: d.lid, apdu: d.apdu }] : [];
    } catch (e) {
      if (e instanceof DsrcDecodeError) return [];
      throw e;
    }
  });
}
