import { fromHex, toHex } from '../../../crypto/bytes.ts';
import type { CardDf } from '../../../protocols/card-files/index.ts';
import { cardValidityBegin, type VirtualCard } from '../card.ts';
import { cardImage } from './card-image.ts';

/**
 * A card's non-volatile memory as plain data: what survives a reset, a withdrawal and a move to another VU.
 * The EFs (hex), keyed `<df>/<FID>` ('tachograph-g2/0520'), the workshop PIN's retry counter and the card's
 * currentAuthenticatedTime (App. 11 CSM_167). The selected file, security status and session keys are volatile
 * (card-emulator.ts): a reset loses them, as a real card's RAM does.
 */
export interface CardMemory {
  version: 1;
  /** Which card this memory belongs to: `<type>:<nation numeric>:<card number>`. */
  card: string;
  files: Record<string, string>;
  /** App. 2 TCS_72, TCS_29 '63CX': attempts left before VERIFY is blocked ('6983'); null on cards without a PIN. */
  pinTriesLeft: number | null;
  /** CSM_167: the card's notion of the current time (ms), moved forward by the certificates it verifies. */
  currentAuthenticatedTime: number;
  /**
   * Issue 15: the card's memory fails its writes (every UPDATE BINARY '6581', TCS_29), as the cardWriteFailure
   * stimulus last set it: a state of the card itself, so it goes with the card to another VU and to its memoryFile.
   * Absent: the card option `failWrites` says.
   */
  failingWrites?: boolean;
  /** EFs whose content failed its check when the memory was loaded (card-memory-file.ts), with the check found: the card answers them '6400'. */
  damaged?: Record<string, string>;
}

/**
 * App. 2 TCS_75: "The initial value of the remaining CHV attempt counter is 5"; a workshop card blocks its PIN at
 * the fifth wrong one in a row (VERIFY answers '63C4' .. '63C1', then '6983': TCS_78's '63CX' has X > 0).
 */
export const PIN_TRIES = 5;

export function cardIdentityKey(card: VirtualCard): string {
  return `${card.type}:${card.issuingMemberState.numeric}:${card.cardNumber}`;
}

export function efKey(df: CardDf, fid: number): string {
  return `${df}/${fid.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The memory of a new card, as personalised: its image (card-image.ts), a full PIN counter, its issue date as authenticated time. */
export function personaliseCard(card: VirtualCard, pkiSeed?: number, pinTries: number = PIN_TRIES): CardMemory {
  const files: Record<string, string> = {};
  for (const ef of cardImage(card, pkiSeed).efs) files[efKey(ef.df, ef.fid)] = toHex(ef.data);
  return {
    version: 1,
    card: cardIdentityKey(card),
    files,
    pinTriesLeft: card.type === 'workshop' ? pinTries : null,
    // CSM_167: a card starts from a time set at personalisation; the rig's cards from their issue date
    currentAuthenticatedTime: cardValidityBegin(card),
  };
}

export function readEf(memory: CardMemory, df: CardDf, fid: number): Uint8Array | undefined {
  const hex = memory.files[efKey(df, fid)];
  return hex === undefined ? undefined : fromHex(hex);
}

/** The memory with `data` written at `offset` of the EF (the EF's size does not change: App. 2 EFs are fixed). */
export function writeEf(memory: CardMemory, df: CardDf, fid: number, offset: number, data: Uint8Array): CardMemory {
  const current = readEf(memory, df, fid);
  if (!current) throw new Error(`no EF ${efKey(df, fid)}`);
  if (offset + data.length > current.length) throw new RangeError(`a write of ${data.length} bytes at ${offset} runs past EF ${efKey(df, fid)} (${current.length} bytes)`);
  const next = current.slice();
  next.set(data, offset);
  return { ...memory, files: { ...memory.files, [efKey(df, fid)]: toHex(next) } };
}

export function isDamaged(memory: CardMemory, df: CardDf, fid: number): boolean {
  return memory.damaged?.[efKey(df, fid)] !== undefined;
}
