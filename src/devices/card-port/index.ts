import { z } from 'zod';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../crypto/pki/test-pki.ts';
import { cardSchema } from '../cards/card-schema.ts';
import { t1PortCodec } from '../gnss/port-codec.ts';
import { CARD_PORT, CARD_PORT_T0, cardPortMachine } from './machine.ts';

export { CARD_PORT, CARD_PORT_T0, cardPortMachine } from './machine.ts';

export const cardPortOptions = z.strictObject({
  card: cardSchema.describe('the card (the same schema as a VU\'s options.cards); its memory persists in its memoryFile when it has one'),
  pkiSeed: z.number().int().default(TEST_PKI_DEFAULT_SEED).describe("the test PKI seed of the VU the card is meant for: the card's default PKI (card.pki.seed overrides it)"),
});
export type CardPortOptions = z.output<typeof cardPortOptions>;

/**
 * Issue 15 (hardware/card-slot-bridge.md): a tachograph card (the card emulator of src/devices/cards/emulator/)
 * on a serial path, for a smart-card emulator board in a real VU's slot to carry: ISO/IEC 7816-4 APDUs in
 * ISO/IEC 7816-3 T=1 blocks (the EGF line's codec), 115200 baud 8N1 by default. The board speaks ISO/IEC 7816-3
 * to the VU (ATR, PPS, T=0 or T=1) and relays whole APDUs; an S(RESYNCH request) from the board is the card's
 * reset (the VU's RST or power cycle): the card answers S(RESYNCH response) and starts again from the MF.
 * Beside it, the port `vuT0` carries the same card in ISO/IEC 7816-3 T=0 (src/protocols/t0: the VU's headers and
 * data, the card's procedure bytes, '61XX' and GET RESPONSE, '6CXX'), for a board that relays the VU's T=0 bytes
 * as they are; 'FF' where a header would start is the reset. A bench links the one its board speaks.
 */
export const cardPortKind: DeviceKind<CardPortOptions> = {
  kind: 'card',
  description: 'a tachograph card on a serial path (APDUs in T=1 blocks, or T=0 on the vuT0 port) for a smart-card emulator board in a real VU slot',
  options: cardPortOptions,
  ports: {
    [CARD_PORT]: { description: "to the smart-card emulator board in the VU's slot: ISO/IEC 7816-4 APDUs in ISO/IEC 7816-3 T=1 blocks", baud: 115200, codec: t1PortCodec, exchange: { role: 'answers' } },
    [CARD_PORT_T0]: {
      description: "to a board that relays the VU's ISO/IEC 7816-3 T=0 bytes: headers and data in, procedure bytes, data and status words out (61XX with GET RESPONSE, 6CXX); 'FF' where a header starts is the card's reset",
      baud: 115200,
      exchange: { role: 'answers' },
    },
  },
  machine: ({ options, clock }) => ({ machine: cardPortMachine(options, clock) }),
  stimuli: {},
};
