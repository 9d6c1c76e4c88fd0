import { concatBytes } from '../../../crypto/bytes.ts';
import { encodeTimeReal } from '../../../protocols/app1/app1-codec.ts';
import type { CardType } from '../../../protocols/app1/card-type.ts';
import { decodeResponse, encodeCommand, readBinary, selectByAid, selectByFid, SW, updateBinary, type CommandApdu, type ResponseApdu } from '../../../protocols/apdu/index.ts';
import { performHashOfFile, psoComputeDigitalSignature, readBinaryOdd } from '../../../protocols/apdu/card-commands.ts';
import { readTlv } from '../../../crypto/pki/tlv.ts';
import { cardDfLayout, encodeCardTlv, FID, TAG_APPENDIX } from '../../../protocols/card-files/index.ts';
import type { CardPort } from './card-reader.ts';
import { CardWriteFailed, writeWithRetries } from './card-session.ts';

/**
 * The VU's download of the card in a slot (App. 7 DDP_035, DDP_049: TRTP 06), through APDUs with the card:
 * EF ICC and IC unsigned; for DF Tachograph and (a gen2 card) DF Tachograph_G2 the certificates unsigned, then
 * every application EF App. 2 gives the card type (card-file-layout.ts; EF Card_Download stays on the card),
 * each by §3.3.3's sequence: SELECT, PERFORM HASH OF FILE, READ BINARY (as often as the EF needs), PSO: COMPUTE
 * DIGITAL SIGNATURE: the card signs what it holds, with its own key. Then DDP_035 step 4: a driver card's
 * LastCardDownload (EF Card_Download of both applications) is set to the VU's time. The result is the TREP 06
 * data (App. 7 §3.4.2 TLVs, DDP_046).
 */
export type CardDownloadResult =
  /**
   * `lastCardDownloadRefused`: the card refused the LastCardDownload update (DDP_051) three more times (Annex IC
   * 149): the VU declares it faulty and non-valid (the caller, card-slots.ts cardWriteFailed). Choice: the file is
   * still forwarded: the card signed what it holds, every EF was read before the update (DDP_051: "then").
   */
  | { ok: true; file: Uint8Array; lastCardDownloadRefused?: string }
  | { ok: false; reason: string };

const AID = { tachograph: Uint8Array.of(0xff, 0x54, 0x41, 0x43, 0x48, 0x4f), 'tachograph-g2': Uint8Array.of(0xff, 0x53, 0x4d, 0x52, 0x44, 0x54) } as const;
/** The most a short READ BINARY asks for here ('FF'; Le '00' would be 256). */
const CHUNK = 255;
/** An odd INS READ BINARY's Le counts the DO '53' header too (tag, length '81' xx): 252 data bytes in 255. */
const ODD_CHUNK = 255;

class Refused extends Error {}

export function downloadCardThroughApdus(port: CardPort, card: { type: CardType; generation: 1 | 2 }, vuTime: number): CardDownloadResult {
  const send = (c: CommandApdu): ResponseApdu => decodeResponse(port(encodeCommand(c)));
  const ok = (c: CommandApdu, what: string): ResponseApdu => {
    const r = send(c);
    if (r.sw !== SW.OK) throw new Refused(`${what}: ${r.sw.toString(16).toUpperCase().padStart(4, '0')}`);
    return r;
  };
  /** The current EF whole: READ BINARY until the card says its end ('6282' or '6B00'). */
  const readAll = (what: string): Uint8Array => {
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (;;) {
      // App. 2 TCS_52, TCS_65: past offset 32 767 (a gen2 workshop card's EF Calibration) the odd INS, the data in DO '53'
      const odd = offset > 0x7fff;
      const r = send(odd ? readBinaryOdd(offset, ODD_CHUNK) : readBinary(offset, CHUNK));
      if (r.sw === SW.WRONG_OFFSET && offset > 0) break;
      if (r.sw !== SW.OK && r.sw !== 0x6282) throw new Refused(`READ BINARY ${what} at ${offset}: ${r.sw.toString(16).toUpperCase()}`);
      const data = odd ? readTlv(r.data, 0).value : r.data;
      parts.push(data);
      offset += data.length;
      if (r.sw === 0x6282 || data.length < (odd ? ODD_CHUNK - 3 : CHUNK)) break;
    }
    return concatBytes(...parts);
  };
  const out: Uint8Array[] = [];
  const tlv = (fid: number, appendix: number, value: Uint8Array) => out.push(encodeCardTlv({ fid, appendix, value }));
  try {
    ok(selectByFid(0x3f00, 0x00), 'SELECT MF');
    for (const fid of [FID.ICC, FID.IC]) {
      if (send(selectByFid(fid)).sw !== SW.OK) continue; // DDP_035 step 1: optional
      tlv(fid, TAG_APPENDIX.DATA_G1, readAll(`EF ${fid.toString(16)}`));
    }
    for (const df of card.generation === 2 ? (['tachograph', 'tachograph-g2'] as const) : (['tachograph'] as const)) {
      const [data, signature] = df === 'tachograph' ? [TAG_APPENDIX.DATA_G1, TAG_APPENDIX.SIGNATURE_G1] : [TAG_APPENDIX.DATA_G2, TAG_APPENDIX.SIGNATURE_G2];
      ok(selectByAid(AID[df]), `SELECT ${df}`);
      ok(selectByFid(FID.APPLICATION_IDENTIFICATION), 'SELECT EF Application_Identification');
      const version = readAll('EF Application_Identification').subarray(1, 3);
      const layout = cardDfLayout(card.type, df, Buffer.from(version).toString('hex'));
      for (const fid of layout.certificates) {
        const selected = send(selectByFid(fid));
        if (selected.sw === SW.FILE_NOT_FOUND && !layout.mandatoryCertificates.includes(fid)) continue;
        if (selected.sw !== SW.OK) throw new Refused(`SELECT certificate ${fid.toString(16)}: ${selected.sw.toString(16).toUpperCase()}`);
        tlv(fid, data, readAll(`certificate ${fid.toString(16)}`));
      }
      // CardMA_Certificate, which DDP_035/037 do not name, stays out (as the rig's card files leave it, README)
      for (const fid of [...layout.signed, ...layout.optional.filter((f) => f !== FID.CARD_CERTIFICATE)]) {
        if (layout.certificates.includes(fid)) continue;
        const selected = send(selectByFid(fid));
        if (selected.sw === SW.FILE_NOT_FOUND && layout.optional.includes(fid)) continue;
        if (selected.sw !== SW.OK) throw new Refused(`SELECT EF ${fid.toString(16)}: ${selected.sw.toString(16).toUpperCase()}`);
        // App. 7 §3.3.3: the hash first, then the reads, then the signature of the hash the card kept
        ok(performHashOfFile(), `PERFORM HASH OF FILE ${fid.toString(16)}`);
        tlv(fid, data, readAll(`EF ${fid.toString(16)}`));
        tlv(fid, signature, ok(psoComputeDigitalSignature(), `PSO: COMPUTE DIGITAL SIGNATURE ${fid.toString(16)}`).data);
      }
    }
    // DDP_035 step 4, DDP_051: a driver card's download updates LastCardDownload (EF Card_Download is SC1: plain);
    // Annex IC 149: a refused write is sent again three times at most, then the card is faulty
    if (card.type === 'driver') {
      try {
        for (const df of card.generation === 2 ? (['tachograph', 'tachograph-g2'] as const) : (['tachograph'] as const)) {
          ok(selectByAid(AID[df]), `SELECT ${df}`);
          ok(selectByFid(FID.CARD_DOWNLOAD), 'SELECT EF Card_Download');
          writeWithRetries((c) => send(c), updateBinary(0, encodeTimeReal(vuTime)), `UPDATE BINARY LastCardDownload (${df})`);
        }
      } catch (error) {
        if (!(error instanceof CardWriteFailed)) throw error;
        return { ok: true, file: concatBytes(...out), lastCardDownloadRefused: error.message };
      }
    }
    return { ok: true, file: concatBytes(...out) };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return { ok: false, reason: error.message };
  }
}
