import { concatBytes, fromHex, toHex, bytesEqual } from '../../../crypto/bytes.ts';
import { decodeCertificate, EQUIPMENT_TYPE } from '../../../crypto/pki/cv-certificate.ts';
import { CertificateChainError, verifyChain } from '../../../crypto/pki/chain.ts';
import { deriveKeyPair, signPlain, type EcKeyPair } from '../../../crypto/pki/ec-keys.ts';
import { readTlv } from '../../../crypto/pki/tlv.ts';
import { authenticationToken, cipherSuiteOf, compressedPoint, deriveSessionKeys, ecdhSecret, startSession, type SmSession } from '../../../crypto/sm/index.ts';
import type { Rng } from '../../../crypto/random.ts';
import { readBinary, readRecord, selectByAid, selectByFid, SW, swHex, type CommandApdu, type ResponseApdu } from '../../../protocols/apdu/index.ts';
import { dynamicAuthenticationData, externalAuthenticate, generalAuthenticate, getChallenge, mseSetAtChipAuthentication, mseSetAtVuAuthentication, mseSetDst, psoVerifyCertificateOf } from '../../../protocols/apdu/security-commands.ts';
import { readPosition } from './position.ts';
import type { AuthFailureReason, CouplingContext, GnssLinkReport, VuMaCredentials } from './types.ts';

/**
 * The VU's conversations with the EGF as pure steps over plain data: each takes the response to the last
 * command and gives the next command (or the end), the reports, and what changed. The machine does the
 * transport (T=1), secure messaging and timing.
 *
 *  - couple (CSM_206..210): read EF.ICC and the EGF chain, verify it, present the VU chain; then authenticate;
 *  - authenticate (Figure 11, CSM_211..213, §10.3, §10.4): EF.ICC, MSE: SET AT, GET CHALLENGE, EXTERNAL
 *    AUTHENTICATE, MSE: SET AT, GENERAL AUTHENTICATE, then SELECT EF EGF under SM; then read;
 *  - read (GNS_23, GNS_24): READ RECORD 01..06 under SM.
 */
export const EGF_AID = Uint8Array.of(0xff, 0x44, 0x54, 0x45, 0x47, 0x4d);
const NO_DATA = 'ff'.repeat(12);

type CoupleStep = 'selectMf' | 'selectIcc' | 'readIcc' | 'selectDf' | 'selectCert' | 'readCert' | 'selectCa' | 'readCa' | 'dstCa' | 'psoCa' | 'dstVu' | 'psoVu';
type AuthStep = 'selectMf' | 'selectIcc' | 'readIcc' | 'selectDf' | 'setAt' | 'challenge' | 'extAuth' | 'setAtCa' | 'generalAuth' | 'selectEf';

export type Job =
  | { kind: 'couple'; step: CoupleStep; workshop: CouplingContext; serial?: string; certificate?: string; ca?: string }
  | { kind: 'authenticate'; step: AuthStep; eph?: EcKeyPair; egfChr?: string }
  | { kind: 'read'; record: number; records: string[] };

export interface Env {
  credentials: VuMaCredentials;
  egfCertificate: string | null;
  /** VU time, ms: the VU judges certificates by its own clock (CSM_160). */
  now: number;
  rng: Rng;
}

export interface Step {
  /** The conversation after this step; null when it is over. */
  job: Job | null;
  command?: CommandApdu;
  /** Send the command under secure messaging. */
  secure?: boolean;
  reports: GnssLinkReport[];
  /** A new stored EGF_MA certificate (coupling). */
  egfCertificate?: string;
  /** A new session (chip authentication), or null to drop it. */
  session?: SmSession | null;
}

const ask = (job: Job, command: CommandApdu, extra: Partial<Step> = {}): Step => ({ job, command, reports: [], ...extra });
const fail = (reason: AuthFailureReason, detail: string): Step => ({ job: null, reports: [{ type: 'gnss.authFailed', reason, detail }], session: null });

export function startCoupling(workshop: CouplingContext): Step {
  return ask({ kind: 'couple', step: 'selectMf', workshop }, selectByFid(0x3f00, 0x00));
}

export function startAuthentication(): Step {
  return ask({ kind: 'authenticate', step: 'selectMf' }, selectByFid(0x3f00, 0x00));
}

/** SM command/response pairs of one read (records 01..06, GNS_23): the VU renews its session before it cannot fit one. */
export const READ_PAIRS = 6;

export function startRead(): Step {
  return ask({ kind: 'read', record: 1, records: [] }, readRecord(1, 85), { secure: true });
}

export function advance(job: Job, r: ResponseApdu, env: Env): Step {
  switch (job.kind) {
    case 'couple':
      return advanceCoupling(job, r, env);
    case 'authenticate':
      return advanceAuthentication(job, r, env);
    case 'read':
      return advanceRead(job, r);
  }
}

/** A certificate read with READ BINARY: the file may hold more than the certificate's own TLV. */
function certificateOf(data: Uint8Array): string | null {
  try {
    const t = readTlv(data, 0);
    return t.tag === 0x7f21 ? toHex(data.subarray(0, t.length)) : null;
  } catch {
    return null;
  }
}

function advanceCoupling(job: Extract<Job, { kind: 'couple' }>, r: ResponseApdu, env: Env): Step {
  const ok = r.sw === SW.OK;
  const to = (step: CoupleStep, command: CommandApdu, patch: Partial<typeof job> = {}) => ask({ ...job, ...patch, step }, command);
  const refused = (what: string) => fail(job.step.startsWith('dst') || job.step.startsWith('pso') ? 'vu-chain-refused' : 'egf-chain', `${what}: ${swHex(r.sw)}`);
  switch (job.step) {
    case 'selectMf':
      return ok ? to('selectIcc', selectByFid(0x0002, 0x02)) : refused('SELECT MF');
    case 'selectIcc':
      return ok ? to('readIcc', readBinary(0, 8)) : refused('SELECT EF.ICC');
    case 'readIcc':
      if (!ok || r.data.length !== 8) return refused('READ BINARY EF.ICC');
      return to('selectDf', selectByAid(EGF_AID), { serial: toHex(r.data) });
    case 'selectDf':
      return ok ? to('selectCert', selectByFid(0xc100)) : refused('SELECT EGF AID');
    case 'selectCert':
      return ok ? to('readCert', readBinary(0, 256)) : refused('SELECT EF EGF_MACertificate');
    case 'readCert': {
      const certificate = ok ? certificateOf(r.data) : null;
      return certificate ? to('selectCa', selectByFid(0xc108), { certificate }) : fail('egf-chain', 'EF EGF_MACertificate holds no certificate');
    }
    case 'selectCa':
      return ok ? to('readCa', readBinary(0, 256)) : refused('SELECT EF CA_Certificate');
    case 'readCa': {
      const ca = ok ? certificateOf(r.data) : null;
      if (!ca) return fail('egf-chain', 'EF CA_Certificate holds no certificate');
      // CSM_206 with Figure 4: the EGF chain up to a root the VU trusts, CHA checked, valid at VU time.
      try {
        const chain = verifyChain({ eqt: fromHex(job.certificate!), ca: fromHex(ca), roots: [fromHex(env.credentials.rootCertificate)], at: env.now, eqtTypes: [EQUIPMENT_TYPE.externalGnssFacility] });
        // CSM_146: the EGF certificate's CHR is the serial number of EF.ICC.
        if (chain.eqt.chr !== job.serial) return fail('egf-chain', `certificate CHR ${chain.eqt.chr} is not the EF.ICC serial number ${job.serial}`);
      } catch (error) {
        return fail('egf-chain', error instanceof CertificateChainError ? error.message : String(error));
      }
      // CSM_208 with Figure 5: the VU presents its chain, the MSCA certificate first.
      const msca = decodeCertificate(fromHex(env.credentials.mscaCertificate));
      return to('dstCa', mseSetDst(fromHex(msca.car)), { ca });
    }
    case 'dstCa':
      return ok ? to('psoCa', psoVerifyCertificateOf(fromHex(env.credentials.mscaCertificate))) : refused('MSE: SET DST (root)');
    case 'psoCa': {
      if (!ok) return refused('PSO: VERIFY CERTIFICATE (MSCA)');
      const vu = decodeCertificate(fromHex(env.credentials.certificate));
      return to('dstVu', mseSetDst(fromHex(vu.car)));
    }
    case 'dstVu':
      return ok ? to('psoVu', psoVerifyCertificateOf(fromHex(env.credentials.certificate))) : refused('MSE: SET DST (MSCA)');
    case 'psoVu': {
      if (!ok) return refused('PSO: VERIFY CERTIFICATE (VU_MA)');
      // CSM_207, CSM_203: the verified EGF_MA certificate replaces the one stored; authentication follows (CSM_213).
      const next = startAuthentication();
      return {
        ...next,
        egfCertificate: job.certificate!,
        reports: [{ type: 'gnss.coupled', egfCertificate: job.certificate!, egfSerialNumber: job.serial!, workshop: job.workshop }],
      };
    }
  }
}

function advanceAuthentication(job: Extract<Job, { kind: 'authenticate' }>, r: ResponseApdu, env: Env): Step {
  const ok = r.sw === SW.OK;
  const to = (step: AuthStep, command: CommandApdu, patch: Partial<typeof job> = {}, extra: Partial<Step> = {}) => ask({ ...job, ...patch, step }, command, extra);
  const refused = (what: string, reason: AuthFailureReason = 'refused') => fail(reason, `${what}: ${swHex(r.sw)}`);
  if (!env.egfCertificate) return fail('not-coupled', 'no EGF_MA certificate stored: the VU is not coupled');
  const egf = decodeCertificate(fromHex(env.egfCertificate));
  switch (job.step) {
    case 'selectMf':
      return ok ? to('selectIcc', selectByFid(0x0002, 0x02)) : refused('SELECT MF');
    case 'selectIcc':
      return ok ? to('readIcc', readBinary(0, 8)) : refused('SELECT EF.ICC');
    case 'readIcc': {
      if (!ok || r.data.length !== 8) return refused('READ BINARY EF.ICC');
      // CSM_205: only the EGF coupled, whose certificate the VU stored, is trusted.
      if (toHex(r.data) !== egf.chr) return fail('egf-changed', `EF.ICC names ${toHex(r.data)}, the coupled EGF is ${egf.chr}`);
      // CSM_211, CSM_212, GNS_31: an expired EGF_MA certificate is logged, and the protocol goes on.
      const reports: GnssLinkReport[] = env.now > egf.expirationDate ? [{ type: 'gnss.certificateExpired', expiredAt: egf.expirationDate }] : [];
      return to('selectDf', selectByAid(EGF_AID), { egfChr: egf.chr }, { reports });
    }
    case 'selectDf': {
      if (!ok) return refused('SELECT EGF AID');
      // CSM_164, CSM_208 note: a fresh ephemeral key pair on the EGF certificate's domain parameters.
      const eph = deriveKeyPair(env.rng, egf.curve);
      const vu = decodeCertificate(fromHex(env.credentials.certificate));
      return to('setAt', mseSetAtVuAuthentication(fromHex(vu.chr), compressedPoint(fromHex(eph.publicPoint))), { eph });
    }
    case 'setAt':
      // CSM_211: '6A88' is an EGF that does not hold (or no longer accepts) this VU's VU_MA certificate.
      if (r.sw === SW.REFERENCED_DATA_NOT_FOUND) return fail('not-coupled', 'the EGF does not know the VU_MA key (6A88)');
      return ok ? to('challenge', getChallenge()) : refused('MSE: SET AT (VU Authentication)');
    case 'challenge': {
      if (!ok || r.data.length !== 8) return refused('GET CHALLENGE');
      // CSM_170, CSM_171, CSM_173: sign EGF.CHR ‖ rcard ‖ Comp(VU.PKeph) with VU_MA.SK.
      const token = concatBytes(fromHex(job.egfChr!), r.data, compressedPoint(fromHex(job.eph!.publicPoint)));
      const signature = signPlain({ curve: env.credentials.curve, privateKey: env.credentials.privateKey, publicPoint: decodeCertificate(fromHex(env.credentials.certificate)).publicPoint }, token);
      return to('extAuth', externalAuthenticate(signature));
    }
    case 'extAuth':
      return ok ? to('setAtCa', mseSetAtChipAuthentication()) : refused('EXTERNAL AUTHENTICATE', 'vu-authentication-refused');
    case 'setAtCa':
      return ok ? to('generalAuth', generalAuthenticate(fromHex(job.eph!.publicPoint))) : refused('MSE: SET AT (Chip Authentication)');
    case 'generalAuth': {
      if (!ok) return refused('GENERAL AUTHENTICATE', 'chip-authentication');
      const fields = dynamicAuthenticationData(r.data);
      if (!fields) return fail('chip-authentication', 'GENERAL AUTHENTICATE answer is not 7C { 81 NPICC, 82 TPICC }');
      // CSM_176 steps 7-9.
      const point = fromHex(job.eph!.publicPoint);
      const keys = deriveSessionKeys(ecdhSecret(job.eph!, fromHex(egf.publicPoint)), fields.nonce, cipherSuiteOf(egf.curve).keyBits);
      if (!bytesEqual(authenticationToken(keys.kMac, point), fields.token)) return fail('chip-authentication', 'TPICC does not verify: the EGF does not hold the EGF_MA private key');
      return ask({ ...job, step: 'selectEf', eph: undefined }, selectByFid(0x2f2f), { secure: true, session: startSession(keys), reports: [{ type: 'gnss.authenticated' }] });
    }
    case 'selectEf':
      if (ok) return startRead();
      // Authenticated, but EF EGF is found corrupted: an EGF fault (0x37), no authentication failure. The
      // session goes, so the next cycle selects EF EGF again (after a fresh authentication).
      if (isProcessingError(r.sw)) return { job: null, reports: [{ type: 'gnss.facilityFault', sw: r.sw }], session: null };
      return refused('SELECT EF EGF');
  }
}

/**
 * ISO/IEC 7816-4 '64xx'/'65xx' execution errors: App. 2 TCS_38, TCS_41, TCS_43 answer '6400' or '6500' for an
 * application or file found corrupted; the EGF follows App. 2 (GNS_21, GNS_27). The EGF does not operate
 * properly (Annex IC 89), which the VU records as an external GNSS facility fault (0x37, Annex IC 88).
 */
export function isProcessingError(sw: number): boolean {
  return sw === SW.EXECUTION_ERROR || sw === SW.EXECUTION_ERROR_MEMORY_CHANGED;
}

function advanceRead(job: Extract<Job, { kind: 'read' }>, r: ResponseApdu): Step {
  // A record the EGF cannot read: the read ends with the fault; the session and the current EF stay.
  if (isProcessingError(r.sw)) return { job: null, reports: [{ type: 'gnss.facilityFault', sw: r.sw }] };
  const records = [...job.records, r.sw === SW.OK ? toHex(r.data) : ''];
  if (job.record < 6) return ask({ kind: 'read', record: job.record + 1, records }, readRecord(job.record + 1, 85), { secure: true });
  return { job: null, reports: [evaluate(records)] };
}

/** GNS_23 step 5, GNS_30: what the six records say. */
function evaluate(records: string[]): GnssLinkReport {
  if (records[0] === NO_DATA) return { type: 'gnss.noData' };
  const text = (hex: string) => Buffer.from(hex, 'hex').toString('latin1');
  const result = readPosition(text(records[0]!), records.slice(1).map(text));
  return result.ok ? { type: 'gnss.position', position: result.position } : { type: 'gnss.noFix', time: result.time };
}
