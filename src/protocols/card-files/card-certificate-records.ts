import { decodeCertificate } from '../../crypto/pki/cv-certificate.ts';
import { decodeEuropeanPublicKey } from '../../crypto/pki-g1/european-public-key.ts';
import { g1CertificateCar, openG1Certificate, type G1CertificateContent } from '../../crypto/pki-g1/rsa-certificate.ts';
import type { RsaPublicKey } from '../../crypto/pki-g1/rsa-keys.ts';

/**
 * The certificates of a card file as records. Gen1 (App. 11 Part A, 194 bytes): CHR, CHA and EOV lie inside the
 * signature (CSM_018) and read only when a known key opens it (a European key for EF CA_Certificate, the MS key
 * it certifies for EF Card_Certificate); otherwise the CAR alone, and why. Gen2 (Part B): CV certificates,
 * read directly. An all-zero EF Link_Certificate (App. 2's default {00..00}) is the card's "no link certificate".
 * Opening is not trusting: whether a chain is genuine is the verifier's question.
 */
export type G1CertificateRecord =
  | { car: string; chr: string; equipmentType: number; applicationId: string; endOfValidity: string | null; publicExponent: string }
  | { car: string; opened: false; reason: string };

export interface G2CertificateRecord {
  car: string;
  chr: string;
  equipmentType: number;
  curve: string;
  effectiveDate: string;
  expirationDate: string;
}

export type CertificateRecord = G1CertificateRecord | G2CertificateRecord | { present: false; reason: string };

export const NO_LINK_CERTIFICATE = 'all zero: the card holds no link certificate (App. 2 default {00..00})';

export function isAllZero(value: Uint8Array): boolean {
  return value.every((b) => b === 0);
}

/** The keys that open DF Tachograph's certificates, by the CHR a CAR names: the EUR keys given, and the MS key CA_Certificate certifies. */
export function g1IssuerKeys(caCertificate: Uint8Array | undefined, eurPublicKeys: readonly Uint8Array[]): Map<string, RsaPublicKey> {
  const keys = new Map<string, RsaPublicKey>();
  for (const bytes of eurPublicKeys) {
    const eur = decodeEuropeanPublicKey(bytes);
    keys.set(eur.kid, eur);
  }
  if (caCertificate) {
    try {
      const issuer = keys.get(g1CertificateCar(caCertificate));
      if (issuer) {
        const ms = openG1Certificate(caCertificate, issuer);
        keys.set(ms.chr, ms.publicKey);
      }
    } catch {
      // openG1CertificateRecord reports it on the EF itself
    }
  }
  return keys;
}

/** Throws (plain Error) only on a certificate of another size than 194 bytes. */
export function openG1CertificateRecord(value: Uint8Array, keys: Map<string, RsaPublicKey>): G1CertificateRecord {
  const car = g1CertificateCar(value);
  const issuer = keys.get(car);
  if (!issuer) return { car, opened: false, reason: `CHR, CHA and EOV are inside the signature, and no known key has the CHR ${car}` };
  let c: G1CertificateContent;
  try {
    c = openG1Certificate(value, issuer);
  } catch (error) {
    return { car, opened: false, reason: `the known key with the CHR ${car} does not open it: ${(error as Error).message}` };
  }
  return {
    car: c.car,
    chr: c.chr,
    equipmentType: c.equipmentType,
    applicationId: c.applicationId,
    endOfValidity: c.endOfValidity === null ? null : new Date(c.endOfValidity).toISOString(),
    publicExponent: c.publicKey.publicExponent,
  };
}

/** Throws (plain Error) on bytes that are not a CV certificate. */
export function g2CertificateRecord(value: Uint8Array): G2CertificateRecord {
  const c = decodeCertificate(value);
  return { car: c.car, chr: c.chr, equipmentType: c.equipmentType, curve: c.curve, effectiveDate: new Date(c.effectiveDate).toISOString(), expirationDate: new Date(c.expirationDate).toISOString() };
}
