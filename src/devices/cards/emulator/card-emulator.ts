import { createHash } from 'node:crypto';
import { bytesEqual, fromHex, toHex } from '../../../crypto/bytes.ts';
import { decodeCertificate } from '../../../crypto/pki/cv-certificate.ts';
import type { EcKeyPair } from '../../../crypto/pki/ec-keys.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { signDigestDeterministic } from '../../../crypto/pki/deterministic-ecdsa.ts';
import { signDigestG1 } from '../../../crypto/pki-g1/data-signature.ts';
import type { Rng } from '../../../crypto/random.ts';
import { sessionExhausted, SM_CLA, SM_SESSION_LIMIT, SM_SW, unwrapCommand, wrapResponse } from '../../../crypto/sm/index.ts';
import { encodeWorkshopCardPin } from '../../../protocols/app1/app1-codec.ts';
import { decodeCommand, encodeResponse, INS, SW, type CommandApdu, type ResponseApdu } from '../../../protocols/apdu/index.ts';
import { CARD_INS, oddInsOffset, oddInsResponse, oddInsUpdate } from '../../../protocols/apdu/card-commands.ts';
import { SECURITY_INS } from '../../../protocols/apdu/security-commands.ts';
import type { CardDf } from '../../../protocols/card-files/index.ts';
import { cardCredentials, cardExtendedSerialNumber, cardG1Credentials } from '../card-credentials.ts';
import { encodeExtendedSerialNumber } from '../../../crypto/pki/key-identifier.ts';
import type { VirtualCard } from '../card.ts';
import { accessAllowed, efAccess, SELECT_DF, SFID, type Channel } from './access-conditions.ts';
import { isDamaged, PIN_TRIES, personaliseCard, readEf, writeEf, type CardMemory } from './card-memory.ts';
import { createGen2Security, executeSecurityApdu, getChallenge, isSecurityCommand, type Gen2Security } from './gen2-authentication.ts';
import { afterCommandGen1, createGen1Security, dfSelectedGen1, executeGen1Apdu, forgedG1Key, isGen1SecurityCommand, type Gen1Security } from './gen1-authentication.ts';
import { unwrapCommandG1, wrapResponseG1, G1_SM_SW } from '../../../crypto/sm-g1/secure-messaging-g1.ts';
import { seededRsaKeyPair } from '../../../crypto/pki-g1/seeded-rsa-keys.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';

/**
 * A tachograph card as an ISO/IEC 7816-4 device (App. 2 §3): `transmit` takes a command APDU's bytes and gives
 * the response's (data ‖ SW1 SW2), over the card's memory (card-memory.ts, the App. 2 file system of
 * card-image.ts) with the App. 2 access conditions (access-conditions.ts) and gen2 mutual authentication and
 * secure messaging (gen2-authentication.ts, App. 11 part B).
 *
 * Answered: SELECT (MF by '3F00', a DF by AID, an EF by FID), READ BINARY (offset or SFID in P1-P2; odd INS with
 * the offset in DO '54'), UPDATE BINARY, GET CHALLENGE, VERIFY (workshop PIN), MSE: SET DST / SET AT, PSO:
 * VERIFY CERTIFICATE, EXTERNAL AUTHENTICATE, GENERAL AUTHENTICATE, PERFORM HASH OF FILE, PSO: COMPUTE DIGITAL
 * SIGNATURE; on a gen1 card, gen1 mutual authentication and secure messaging instead (gen1-authentication.ts,
 * App. 11 part A: MSE: SET, PSO: VERIFY CERTIFICATE, INTERNAL AUTHENTICATE, GET CHALLENGE, EXTERNAL
 * AUTHENTICATE; crypto/sm-g1), and so does a gen2 card's DF Tachograph for a gen1 VU (gen1Application).
 */
export interface CardEmulatorOptions {
  /** The test PKI seed of the card's certificates and keys (card-credentials.ts cardPkiSeed). */
  pkiSeed: number;
  /** The card's random source (GET CHALLENGE, NPICC). */
  rng: Rng;
  /** The memory to start from (a card moved from another VU, or read from its file); default: as personalised. */
  memory?: CardMemory;
  /** Called with the whole memory after every write to it (UPDATE BINARY, VERIFY's counter, the authenticated time). */
  onWrite?: (memory: CardMemory) => void;
  /** A clone's Card_MA key (tests): the card answers chip authentication with it, its certificate unchanged. */
  cardMaKey?: EcKeyPair;
  /** What a right PIN resets the counter to; default App. 2 TCS_75's 5 (the СКЗИ carrier keeps its 3, src/devices/skzi/card-slot.ts). */
  pinTries?: number;
}

/** App. 2 TCS_142, TCS_145: the AIDs of DF Tachograph ('FF' "TACHO") and DF Tachograph_G2 ('FF' "SMRDT"). */
export const AID = { tachograph: fromHex('FF544143484F'), tachographG2: fromHex('FF534D524454') } as const;
const MF_FID = 0x3f00;
/** TCS_142: DF Tachograph's file identifier (DF Tachograph_G2 has none). */
const DF_TACHOGRAPH_FID = 0x0500;
/** TCS_29: '6282' part of the data may be missing (ISO/IEC 7816-4: end of file reached before Ne bytes). */
const END_OF_FILE = 0x6282;
const CONDITIONS_OF_USE = 0x6985;
const BLOCKED = 0x6983;
/** App. 2 §3.5.8: INTERNAL AUTHENTICATE, the gen1 card authentication. */
const G1_INTERNAL_AUTHENTICATE = 0x88;

/** TCS_29: '6581' memory failure (UPDATE BINARY). */
const MEMORY_FAILURE = 0x6581;

interface Volatile {
  df: CardDf;
  ef: number | null;
  /** TCS_121: the hash PERFORM HASH OF FILE computed, and the application it was computed in. */
  hash: { df: CardDf; value: string } | null;
  pinVerified: boolean;
  security: Gen2Security;
  /** A gen1 card's mutual authentication state and session key (App. 11 part A). */
  g1: Gen1Security;
}

const afterReset = (): Volatile => ({ df: 'mf', ef: null, hash: null, pinVerified: false, security: createGen2Security(), g1: createGen1Security() });

export class CardEmulator {
  readonly card: VirtualCard;
  private readonly options: CardEmulatorOptions;
  private state: Volatile = afterReset();
  private mem: CardMemory;

  constructor(card: VirtualCard, options: CardEmulatorOptions) {
    this.card = card;
    this.options = options;
    this.mem = options.memory ?? personaliseCard(card, options.pkiSeed, this.pinTries);
  }

  /**
   * From now on every UPDATE BINARY fails ('6581', TCS_29: memory failure), or no longer does. Kept in the card's
   * memory (CardMemory.failingWrites): a card with a memoryFile, which each VU re-reads at insertion, keeps it.
   */
  failWrites(on: boolean): void {
    if (this.mem.failingWrites !== on) this.write({ ...this.mem, failingWrites: on });
  }

  /** Issue 15: UPDATE BINARY answers '6581' memory failure: the cardWriteFailure stimulus's last word, else the card option failWrites. */
  private get failingWrites(): boolean {
    return this.mem.failingWrites ?? this.card.failWrites;
  }

  private get pinTries(): number {
    return this.options.pinTries ?? PIN_TRIES;
  }

  get memory(): CardMemory {
    return this.mem;
  }

  /** A cold or warm reset: the volatile state goes (selection, security status, session keys, hash; TCS_121). */
  reset(): void {
    this.state = afterReset();
  }

  transmit(bytes: Uint8Array): Uint8Array {
    return encodeResponse(this.process(bytes));
  }

  private process(bytes: Uint8Array): ResponseApdu {
    const decoded = decodeCommand(bytes);
    if (!decoded.ok) return status(SW.WRONG_LENGTH);
    const c = decoded.apdu;
    // App. 2 TCS_29: CLA '00' (plain) or '0C' (secure messaging); '80'/'8C' for PERFORM HASH OF FILE (TCS_124)
    if ((c.cla & 0x73) !== 0) return status(SW.CLA_NOT_SUPPORTED);
    if (this.card.generation === 1) return this.processGen1(c);
    // Annex IC 144, TCS_95, TCS_97: a gen2 card's DF Tachograph is the gen1 application: a gen1 VU authenticates
    // there with the gen1 mechanisms, and its session key protects the commands that follow (App. 11 part A)
    if ((c.cla & SM_CLA) === SM_CLA && this.state.g1.session && !this.state.security.session) return this.processGen1(c);
    const response = this.processGen2(c);
    this.state = { ...this.state, g1: afterCommandGen1(this.state.g1, c) };
    return response;
  }

  /**
   * A gen1 card (App. 11 part A §5): a protected command is checked against the session key (CSM_026: an SM
   * error answers its status in plain; choice, as CSM_194 says for gen2 and ISO/IEC 7816-4 practice: the key is
   * then destroyed, so the VU must authenticate again, CSM_027), served, and its answer protected. Part A has no
   * counterpart of CSM_193: a plain command leaves the session key (it ends with a reset, a new INTERNAL
   * AUTHENTICATE (TCS_95) or its 240th use, CSM_013).
   */
  private processGen1(command: CommandApdu): ResponseApdu {
    let c = command;
    let channel: Channel = 'plain';
    if ((c.cla & SM_CLA) === SM_CLA) {
      const session = this.state.g1.session;
      // TCS_47: no current session key
      if (!session) return status(G1_SM_SW.noSessionKey);
      const unwrapped = unwrapCommandG1(session, c);
      if (!unwrapped.ok) {
        this.state = { ...this.state, g1: { ...this.state.g1, session: null } };
        return status(unwrapped.sw);
      }
      c = { ...unwrapped.command, cla: c.cla & ~SM_CLA, extended: false };
      channel = 'sm-g1';
      this.state = { ...this.state, g1: { ...this.state.g1, session: unwrapped.session } };
    }
    const response = this.execute(c, channel);
    this.state = { ...this.state, g1: afterCommandGen1(this.state.g1, c) };
    const current = this.state.g1.session;
    if (channel !== 'sm-g1' || !current) return response;
    const wrapped = wrapResponseG1(current, response);
    this.state = { ...this.state, g1: { ...this.state.g1, session: wrapped.session } };
    return this.card.alteredResponses ? alter(wrapped.response) : wrapped.response;
  }

  private processGen2(command: CommandApdu): ResponseApdu {
    let c = command;
    const session = this.state.security.session;
    let channel: Channel = 'plain';
    if ((c.cla & SM_CLA) === SM_CLA) {
      // Choice: a protected command without session keys is an incorrect SM data object ('6988', CSM_194)
      if (!session) return status(SM_SW.incorrect);
      // the abortsSecureMessaging option: a card that finds an SM error in every command (CSM_193, CSM_194)
      if (this.card.abortsSecureMessaging) return this.abortSession(SM_SW.incorrect);
      const unwrapped = unwrapCommand(session, c);
      // CSM_193, CSM_194: an SM error aborts the session, its keys destroyed
      if (!unwrapped.ok) return this.abortSession(unwrapped.sw);
      c = { ...unwrapped.command, cla: c.cla & ~SM_CLA, extended: false };
      channel = 'sm-g2';
      this.state = { ...this.state, security: { ...this.state.security, session: unwrapped.session } };
    } else if (session) {
      // CSM_193: a plain command aborts the session; the command itself is then served plain (App. 2 TCS_97 note)
      this.state = { ...this.state, security: { ...this.state.security, session: null } };
    }
    const response = this.execute(c, channel);
    const current = this.state.security.session;
    if (channel !== 'sm-g2' || !current) return response;
    const wrapped = wrapResponse(current, response, c.ins);
    // CSM_193: the card aborts the session when its limit of SM commands and responses is reached (the
    // manufacturer's, 240 at most: the smSessionLimit option, default 240); this answer still goes under SM, and a
    // protected command after it finds no session ('6988', above)
    const kept = sessionExhausted(wrapped.session, this.card.smSessionLimit ?? SM_SESSION_LIMIT) ? null : wrapped.session;
    this.state = { ...this.state, security: { ...this.state.security, session: kept } };
    return this.card.alteredResponses ? alter(wrapped.response) : wrapped.response;
  }

  private abortSession(sw: number): ResponseApdu {
    this.state = { ...this.state, security: { ...this.state.security, session: null } };
    return status(sw);
  }

  private execute(c: CommandApdu, channel: Channel): ResponseApdu {
    if (c.cla & 0x80 && !(c.ins === CARD_INS.PSO && c.p1 === 0x90)) return status(SW.CLA_NOT_SUPPORTED);
    switch (c.ins) {
      case INS.SELECT:
        return this.select(c, channel);
      case INS.READ_BINARY:
      case CARD_INS.READ_BINARY_ODD:
        return this.readBinary(c, channel);
      case INS.UPDATE_BINARY:
      case CARD_INS.UPDATE_BINARY_ODD:
        return this.updateBinary(c, channel);
      case INS.GET_CHALLENGE:
        if (this.gen1Application(c)) return this.gen1Security(c);
        return this.security((s, ctx) => getChallenge(s, c, ctx));
      case CARD_INS.VERIFY:
        return this.verify(c);
      case CARD_INS.PSO:
        if (c.p1 === 0x90 && c.p2 === 0x00) return this.performHashOfFile(c, channel);
        if (c.p1 === 0x9e && c.p2 === 0x9a) return this.computeDigitalSignature(channel);
        if (this.gen1Application(c) && isGen1SecurityCommand(c)) return this.gen1Security(c);
        if (isSecurityCommand(c) && this.card.generation === 2) return this.security((s, ctx) => executeSecurityApdu(s, c, ctx), c);
        return status(SW.INCORRECT_P1_P2);
      case SECURITY_INS.MSE:
      case SECURITY_INS.EXTERNAL_AUTHENTICATE:
      case SECURITY_INS.GENERAL_AUTHENTICATE:
      case G1_INTERNAL_AUTHENTICATE:
        if (this.gen1Application(c)) return isGen1SecurityCommand(c) ? this.gen1Security(c) : status(SW.INS_NOT_SUPPORTED);
        if (c.ins === G1_INTERNAL_AUTHENTICATE) return status(SW.INS_NOT_SUPPORTED);
        return this.security((s, ctx) => executeSecurityApdu(s, c, ctx), c);
      default:
        return status(SW.INS_NOT_SUPPORTED);
    }
  }

  /**
   * Whether the gen1 mechanisms answer `c` (App. 11 part A): on a gen1 card always; on a gen2 card in DF Tachograph,
   * the gen1 application (Annex IC 144), for the gen1 variants only (TCS_81, TCS_91, TCS_96): MSE: SET 'C1 B6', a
   * 194-byte certificate to verify (a gen2 one starts '7F21', TCS_86), INTERNAL AUTHENTICATE, and the GET
   * CHALLENGE and EXTERNAL AUTHENTICATE that follow a gen1 INTERNAL AUTHENTICATE (a choice: the gen1 sequence of
   * CSM_020 tells them from gen2 terminal authentication's). Elsewhere a gen2 card answers gen2's.
   */
  private gen1Application(c: CommandApdu): boolean {
    if (this.card.generation === 1) return true;
    if (this.state.df !== 'tachograph') return false;
    switch (c.ins) {
      case G1_INTERNAL_AUTHENTICATE:
        return true;
      case SECURITY_INS.MSE:
        return c.p1 === 0xc1 && c.p2 === 0xb6;
      case CARD_INS.PSO:
        return c.p1 === 0x00 && c.p2 === 0xae && !(c.data[0] === 0x7f && c.data[1] === 0x21);
      case INS.GET_CHALLENGE:
      case SECURITY_INS.EXTERNAL_AUTHENTICATE:
        return this.state.g1.k1 !== null;
      default:
        return false;
    }
  }

  /** App. 2 §3.5.1 SELECT (TCS_31-41): P2 '0C' (no response data); by AID, the MF by '3F00', DF Tachograph by '0500', an EF of the current DF by FID. */
  private select(c: CommandApdu, channel: Channel): ResponseApdu {
    if (c.p2 !== 0x0c) return status(SW.INCORRECT_P1_P2);
    const dfSelected = (df: CardDf): ResponseApdu => {
      if (!accessAllowed(SELECT_DF, channel)) return status(SW.SECURITY_STATUS_NOT_SATISFIED);
      // TCS_121: selecting a DF erases the hash of PERFORM HASH OF FILE; TCS_104: and the gen1 current public key
      this.state = { ...this.state, df, ef: null, hash: null, g1: dfSelectedGen1(this.state.g1) };
      return status(SW.OK);
    };
    if (c.p1 === 0x04) {
      if (bytesEqual(c.data, AID.tachograph)) return dfSelected('tachograph');
      if (bytesEqual(c.data, AID.tachographG2) && this.card.generation === 2) return dfSelected('tachograph-g2');
      return status(SW.FILE_NOT_FOUND);
    }
    if (c.data.length !== 2) return status(SW.WRONG_LENGTH);
    const fid = (c.data[0]! << 8) | c.data[1]!;
    if (c.p1 === 0x00) return fid === MF_FID ? dfSelected('mf') : status(SW.FILE_NOT_FOUND);
    if (c.p1 === 0x01) return fid === DF_TACHOGRAPH_FID && this.state.df === 'mf' ? dfSelected('tachograph') : status(SW.FILE_NOT_FOUND);
    if (c.p1 !== 0x02) return status(SW.INCORRECT_P1_P2);
    if (!readEf(this.mem, this.state.df, fid)) return status(SW.FILE_NOT_FOUND);
    // TCS_41: an EF whose attributes fail their integrity check is corrupted: '6400', no current EF
    if (isDamaged(this.mem, this.state.df, fid)) {
      this.state = { ...this.state, ef: null };
      return status(SW.EXECUTION_ERROR);
    }
    this.state = { ...this.state, ef: fid };
    return status(SW.OK);
  }

  /** P1 b8 set: a short EF identifier in b5-b1 selects the EF, P2 is the offset (TCS_44, TCS_60); else P1-P2 is a 15-bit offset. */
  private target(c: CommandApdu): { ef: number; offset: number } | ResponseApdu {
    if (c.p1 & 0x80) {
      if (c.p1 & 0x60) return status(SW.INCORRECT_P1_P2);
      const fid = SFID[this.state.df][c.p1 & 0x1f];
      if (fid === undefined || !readEf(this.mem, this.state.df, fid)) return status(SW.FILE_NOT_FOUND);
      // TCS_50, TCS_63: the same integrity check when an SFID selects the EF
      if (isDamaged(this.mem, this.state.df, fid)) return status(SW.EXECUTION_ERROR);
      this.state = { ...this.state, ef: fid };
      return { ef: fid, offset: c.p2 };
    }
    if (this.state.ef === null) return status(SW.NO_CURRENT_EF);
    return { ef: this.state.ef, offset: (c.p1 << 8) | c.p2 };
  }

  /**
   * App. 2 §3.5.2 READ BINARY (TCS_42-53). Offset beyond the EF: '6B00'. Choice (ISO/IEC 7816-4): Ne beyond the
   * end of the EF gives the bytes up to the end with '6282'. Odd INS (TCS_52): P1-P2 '0000', the offset in DO
   * '54', the data in DO '53'; Le '01' is '6700'.
   */
  private readBinary(c: CommandApdu, channel: Channel): ResponseApdu {
    let ef: number;
    let offset: number;
    if (c.ins === CARD_INS.READ_BINARY_ODD) {
      if (c.p1 !== 0 || c.p2 !== 0) return status(SW.INCORRECT_P1_P2);
      if (this.state.ef === null) return status(SW.NO_CURRENT_EF);
      const at = oddInsOffset(c.data);
      if (at === null) return status(SW.WRONG_DATA);
      if (c.le === undefined || c.le === 1) return status(SW.WRONG_LENGTH);
      ef = this.state.ef;
      offset = at;
    } else {
      if (c.data.length > 0) return status(SW.WRONG_LENGTH);
      const t = this.target(c);
      if ('sw' in t) return t;
      ({ ef, offset } = t);
      if (c.le === undefined) return status(SW.WRONG_LENGTH);
    }
    if (!accessAllowed(efAccess(this.state.df, ef).read, channel)) return status(SW.SECURITY_STATUS_NOT_SATISFIED);
    const content = readEf(this.mem, this.state.df, ef)!;
    if (offset >= content.length) return status(SW.WRONG_OFFSET);
    if (c.ins === CARD_INS.READ_BINARY_ODD) {
      // Ne counts the DO '53' header too: 2 bytes below 128 data bytes, 3 below 256, else 4
      const remaining = content.length - offset;
      const room = (header: number) => Math.min(remaining, c.le! - header);
      let n = room(2);
      if (n >= 128) n = room(3);
      if (n >= 256) n = room(4);
      const header = n < 128 ? 2 : n < 256 ? 3 : 4;
      return { data: oddInsResponse(content.slice(offset, offset + n)), sw: n + header < c.le! ? END_OF_FILE : SW.OK };
    }
    const data = content.slice(offset, offset + c.le!);
    return { data, sw: data.length < c.le! ? END_OF_FILE : SW.OK };
  }

  /**
   * App. 2 §3.5.3 UPDATE BINARY (TCS_54-63): the EF's update condition; offset beyond the EF '6B00'; data past its
   * end '6700'. Odd INS 'D7' (TCS_64-66, for EFs of 32 768 bytes or more; the card takes it on any EF): P1-P2
   * '0000', the current EF ('6986' without one), the offset in DO '54' and the data in DO '53'; a data field that
   * is not exactly those two DOs is '6A80' (a choice, ISO/IEC 7816-4: incorrect parameters in the data field).
   */
  private updateBinary(c: CommandApdu, channel: Channel): ResponseApdu {
    let t: { ef: number; offset: number };
    let data = c.data;
    if (c.ins === CARD_INS.UPDATE_BINARY_ODD) {
      if (c.p1 !== 0 || c.p2 !== 0) return status(SW.INCORRECT_P1_P2);
      if (this.state.ef === null) return status(SW.NO_CURRENT_EF);
      const parsed = oddInsUpdate(c.data);
      if (!parsed) return status(SW.WRONG_DATA);
      t = { ef: this.state.ef, offset: parsed.offset };
      data = parsed.data;
    } else {
      const target = this.target(c);
      if ('sw' in target) return target;
      t = target;
    }
    if (data.length === 0) return status(SW.WRONG_LENGTH);
    if (!accessAllowed(efAccess(this.state.df, t.ef).update, channel)) return status(SW.SECURITY_STATUS_NOT_SATISFIED);
    const size = readEf(this.mem, this.state.df, t.ef)!.length;
    if (t.offset >= size) return status(SW.WRONG_OFFSET);
    if (t.offset + data.length > size) return status(SW.WRONG_LENGTH);
    if (this.failingWrites) return status(MEMORY_FAILURE);
    this.write(writeEf(this.mem, this.state.df, t.ef, t.offset, data));
    return status(SW.OK);
  }

  /**
   * App. 2 §3.5.6 VERIFY (TCS_70-72), a workshop card's only: the PIN as 8 bytes (App. 1 WorkshopCardPIN). A
   * wrong PIN is '63CX', X the attempts left (X > 0, TCS_78); the wrong one that leaves none blocks the PIN: '6983', and
   * so is every VERIFY after it, whatever the PIN. A right one resets the counter (TCS_75).
   * Without data, the counter's state ('63CX', or '9000' once verified).
   */
  private verify(c: CommandApdu): ResponseApdu {
    if (this.card.type !== 'workshop' || this.mem.pinTriesLeft === null) return status(SW.INS_NOT_SUPPORTED);
    if (c.p1 !== 0x00 || c.p2 !== 0x00) return status(SW.INCORRECT_P1_P2);
    const tries = this.mem.pinTriesLeft;
    if (tries === 0) return status(BLOCKED);
    if (c.data.length === 0) return status(this.state.pinVerified ? SW.OK : 0x63c0 | tries);
    if (c.data.length !== 8) return status(SW.WRONG_LENGTH);
    if (bytesEqual(c.data, encodeWorkshopCardPin(this.card.pin))) {
      if (tries !== this.pinTries) this.write({ ...this.mem, pinTriesLeft: this.pinTries });
      this.state = { ...this.state, pinVerified: true };
      return status(SW.OK);
    }
    this.write({ ...this.mem, pinTriesLeft: tries - 1 });
    this.state = { ...this.state, pinVerified: false };
    return status(tries - 1 === 0 ? BLOCKED : 0x63c0 | (tries - 1));
  }

  /** Driver and workshop cards sign downloads (App. 2 §3.5.14); the access table gives them ALW OR SM-MAC-G2. */
  private signs(): boolean {
    return this.card.type === 'driver' || this.card.type === 'workshop';
  }

  /**
   * App. 2 §3.5.13 PERFORM HASH OF FILE (TCS_120-124): the hash of the current EF of DF Tachograph (SHA-1) or DF
   * Tachograph_G2 (SHA-256: the Card_Sign key's suite, CSM_50), kept until the next hash, DF selection or reset.
   * Choice: a card type without the command, no application selected, or a read condition not met is '6985'.
   */
  private performHashOfFile(c: CommandApdu, channel: Channel): ResponseApdu {
    if (c.cla !== 0x80) return status(SW.CLA_NOT_SUPPORTED);
    const { df, ef } = this.state;
    if (!this.signs() || df === 'mf' || !accessAllowed('SC1', channel)) return status(CONDITIONS_OF_USE);
    if (ef === null) return status(SW.NO_CURRENT_EF);
    const content = readEf(this.mem, df, ef)!;
    const value = createHash(df === 'tachograph' ? 'sha1' : 'sha256').update(content).digest('hex');
    this.state = { ...this.state, hash: { df, value } };
    return status(SW.OK);
  }

  /**
   * App. 2 §3.5.14 PSO: COMPUTE DIGITAL SIGNATURE: the kept hash signed with the application's key: DF
   * Tachograph's RSA key (CSM_034, 128 bytes), DF Tachograph_G2's Card_Sign key (ECDSA, plain r ‖ s, CSM_233).
   * Choice: no hash kept, or a card without a signing key, is '6985'.
   */
  private computeDigitalSignature(channel: Channel): ResponseApdu {
    const hash = this.state.hash;
    if (!this.signs() || !hash || hash.df !== this.state.df || !accessAllowed('SC1', channel)) return status(CONDITIONS_OF_USE);
    if (hash.df === 'tachograph') return { data: signDigestG1(cardG1Credentials(this.card, this.options.pkiSeed).card.key, fromHex(hash.value)), sw: SW.OK };
    const sign = cardCredentials(this.card, this.options.pkiSeed).cardSign!;
    return { data: signDigestDeterministic(sign.key.curve, fromHex(sign.key.privateKey), fromHex(hash.value)), sw: SW.OK };
  }

  private security(run: (s: Gen2Security, ctx: Parameters<typeof executeSecurityApdu>[2]) => { security: Gen2Security; response: ResponseApdu; authenticatedTime?: number }, c?: CommandApdu): ResponseApdu {
    const creds = cardCredentials(this.card, this.options.pkiSeed);
    const result = run(this.state.security, {
      keys: { key: this.options.cardMaKey ?? creds.cardMa.key, chr: decodeCertificate(fromHex(creds.cardMa.certificate)).chr, roots: [TestPki.of({ seed: this.options.pkiSeed }).erca.certificate] },
      authenticatedTime: this.mem.currentAuthenticatedTime,
      random: (n) => this.options.rng.bytes(n),
      pinRequired: this.card.type === 'workshop',
      pinVerified: this.state.pinVerified,
      refuseVu: this.card.failAuthentication,
    });
    this.state = { ...this.state, security: result.security };
    // TCS_97: a gen2 EXTERNAL AUTHENTICATE that succeeds erases the gen1 session key
    if (c?.ins === SECURITY_INS.EXTERNAL_AUTHENTICATE && result.response.sw === SW.OK && this.state.g1.session) this.state = { ...this.state, g1: { ...this.state.g1, session: null } };
    if (result.authenticatedTime !== undefined && result.authenticatedTime !== this.mem.currentAuthenticatedTime) this.write({ ...this.mem, currentAuthenticatedTime: result.authenticatedTime });
    return result.response;
  }

  /** The gen1 security commands (gen1-authentication.ts) with the card's gen1 key, its CHR and the European key of its PKI. */
  private gen1Security(c: CommandApdu): ResponseApdu {
    const creds = cardG1Credentials(this.card, this.options.pkiSeed);
    // card-credentials.ts: the gen1 CHR is the card's extended serial number
    const chr = toHex(encodeExtendedSerialNumber(cardExtendedSerialNumber(this.card)));
    const result = executeGen1Apdu(this.state.g1, c, {
      keys: { key: creds.card.key, chr, eurPublicKey: TestPkiG1.of({ seed: this.options.pkiSeed }).eurPublicKey },
      random: (n) => this.options.rng.bytes(n),
      pinRequired: this.card.type === 'workshop',
      pinVerified: this.state.pinVerified,
      inTachographDf: this.state.df === 'tachograph',
      ...(this.card.failAuthentication ? { forgedKey: forgedG1Key(this.options.pkiSeed, chr, seededRsaKeyPair) } : {}),
    });
    this.state = { ...this.state, g1: result.security };
    return result.response;
  }

  private write(memory: CardMemory): void {
    this.mem = memory;
    this.options.onWrite?.(memory);
  }
}

function status(sw: number): ResponseApdu {
  return { data: new Uint8Array(0), sw };
}

/**
 * The `alteredResponses` option: a damaged contact flips one bit of the data in every protected answer that
 * carries data (DO '81'), after the card computed its MAC: the VU's check of the MAC (CSM_192) finds it.
 */
function alter(response: ResponseApdu): ResponseApdu {
  if (response.data[0] !== 0x81 || response.data.length < 8) return response;
  const data = response.data.slice();
  data[5] = data[5]! ^ 0x01; // inside the '81' DO: a data byte, not its tag or length
  return { ...response, data };
}

