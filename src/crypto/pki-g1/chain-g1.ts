import { CertificateChainError, type ChainRole } from '../pki/chain.ts';
import { decodeEuropeanPublicKey, type EuropeanPublicKey } from './european-public-key.ts';
import { g1CertificateCar, G1_EQUIPMENT_TYPE, openG1Certificate, TACHOGRAPH_G1_AID_6, type G1CertificateContent } from './rsa-certificate.ts';
import { toHex } from '../bytes.ts';
import type { RsaPublicKey } from './rsa-keys.ts';

/**
 * CSM_019 applied down a first-generation chain, as an IDE does before CSM_035: the Member State
 * certificate (EF CA_Certificate) opened with the trusted European key its CAR names, the equipment
 * certificate (EF Card_Certificate) opened with the MS key just recovered, each CHA and end of validity
 * checked. Failures are CertificateChainErrors, like the gen2 chain's: role EQT, EQT.CA (the MS) or EUR.
 */
export interface G1ChainInput {
  /** The equipment certificate, 194 bytes. */
  eqt: Uint8Array;
  /** The Member State certificate that issued it, 194 bytes. */
  ca: Uint8Array;
  /** Trusted European public keys, 144 bytes each (KID ‖ n ‖ e). */
  eurPublicKeys: readonly Uint8Array[];
  /** ms: the time end of validity is judged at. */
  at: number;
  /** Equipment types accepted for EQT; default the four card types. */
  eqtTypes?: readonly number[];
}

export interface VerifiedG1Chain {
  eqt: G1CertificateContent;
  ca: G1CertificateContent;
  eur: EuropeanPublicKey;
}

const CARD_TYPES = [G1_EQUIPMENT_TYPE.driverCard, G1_EQUIPMENT_TYPE.workshopCard, G1_EQUIPMENT_TYPE.controlCard, G1_EQUIPMENT_TYPE.companyCard];

function open(role: ChainRole, certificate: Uint8Array, issuer: RsaPublicKey): G1CertificateContent {
  try {
    return openG1Certificate(certificate, issuer);
  } catch (error) {
    throw new CertificateChainError(role, 'signature', (error as Error).message);
  }
}

function carOf(role: ChainRole, certificate: Uint8Array): string {
  try {
    return g1CertificateCar(certificate);
  } catch (error) {
    throw new CertificateChainError(role, 'structure', (error as Error).message);
  }
}

function checkCha(role: ChainRole, c: G1CertificateContent, types: readonly number[], what: string): void {
  if (c.applicationId !== toHex(TACHOGRAPH_G1_AID_6)) throw new CertificateChainError(role, 'cha', `CHA application ID ${c.applicationId} is not the tachograph (gen1) AID`);
  if (!types.includes(c.equipmentType)) throw new CertificateChainError(role, 'cha', `CHA equipment type ${c.equipmentType} does not indicate ${what}`);
}

function checkValidity(role: ChainRole, c: G1CertificateContent, at: number): void {
  // CSM_019 "if applicable": an EOV of 'FF FF FF FF' is not used
  if (c.endOfValidity !== null && at > c.endOfValidity) throw new CertificateChainError(role, 'expired', `expired at ${new Date(c.endOfValidity).toISOString()}, checked at ${new Date(at).toISOString()}`);
}

export function verifyG1Chain(input: G1ChainInput): VerifiedG1Chain {
  const eurs = input.eurPublicKeys.map((k) => {
    try {
      return decodeEuropeanPublicKey(k);
    } catch (error) {
      throw new CertificateChainError('EUR', 'structure', (error as Error).message);
    }
  });
  const caCar = carOf('EQT.CA', input.ca);
  const eqtCar = carOf('EQT', input.eqt);
  // CSM_019: from CAR' select the CA public key
  const eur = eurs.find((k) => k.kid === caCar);
  if (!eur) throw new CertificateChainError('EQT.CA', 'issuer', `CAR ${caCar} names no trusted European public key`);
  const ca = open('EQT.CA', input.ca, eur);
  checkCha('EQT.CA', ca, [G1_EQUIPMENT_TYPE.memberState], 'a Member State');
  checkValidity('EQT.CA', ca, input.at);
  if (eqtCar !== ca.chr) throw new CertificateChainError('EQT', 'issuer', `CAR ${eqtCar} is not the CHR ${ca.chr} of the Member State certificate`);
  const eqt = open('EQT', input.eqt, ca.publicKey);
  checkCha('EQT', eqt, input.eqtTypes ?? CARD_TYPES, 'a tachograph card');
  checkValidity('EQT', eqt, input.at);
  return { eqt, ca, eur };
}
