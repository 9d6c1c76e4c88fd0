import { TestPki } from '../../crypto/pki/test-pki.ts';
import { concatBytes } from '../../crypto/bytes.ts';
import { DSRC_SW, processDsrcMessage } from '../../protocols/dsrc/index.ts';
import type { VirtualCard } from './card-schema.ts';
import { cardExpiryDate, cardValidityBegin } from './card.ts';

/** ISO/IEC 7816-4: instruction not supported (a card without DSRC keys, TCS_135). */
export const SW_INS_NOT_SUPPORTED = 0x6d00;

/**
 * A control or workshop card's PROCESS DSRC MESSAGE (App. 2 §3.5.16, TCS_135-139; App. 11 CSM_228, CSM_230),
 * APDU in, response out: CLA 80 INS 2A P1 80 P2 B0 Lc <RTM data> Le. Only control and workshop cards hold
 * K_M-DSRC (CSM_127); others answer 6D00 (TCS_135: "other card types return an error"; the SW is a choice).
 * The card does not interpret the payload it returns (TCS_136).
 */
export function processDsrcMessageApdu(card: VirtualCard, pkiSeed: number, apdu: Uint8Array): Uint8Array {
  const sw = (v: number) => Uint8Array.of(v >> 8, v & 0xff);
  if (card.type !== 'control' && card.type !== 'workshop') return sw(SW_INS_NOT_SUPPORTED);
  if (apdu.length < 6 || apdu[0] !== 0x80 || apdu[1] !== 0x2a || apdu[2] !== 0x80 || apdu[3] !== 0xb0) return sw(DSRC_SW.wrongData);
  const lc = apdu[4]!;
  // Lc, the data, then Le (M3) or none (M1)
  if (apdu.length !== 5 + lc + 1 && apdu.length !== 5 + lc) return sw(0x6700);
  const pki = TestPki.of({ seed: card.pki?.seed ?? pkiSeed });
  const result = processDsrcMessage(apdu.subarray(5, 5 + lc), {
    masterKeys: card.dsrcKeyVersions.map((v) => pki.dsrcMasterKey(v)),
    validityBegin: Math.floor(cardValidityBegin(card) / 1000),
    expiryDate: Math.floor(cardExpiryDate(card) / 1000),
  });
  return 'payload' in result ? concatBytes(result.payload, sw(DSRC_SW.ok)) : sw(result.sw);
}
