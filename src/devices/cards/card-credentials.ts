import { createHash } from 'node:crypto';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { EQUIPMENT_TYPE as CHA_EQUIPMENT_TYPE, issueCertificate } from '../../crypto/pki/cv-certificate.ts';
import { deriveKeyPair, signPlain } from '../../crypto/pki/ec-keys.ts';
import { encodeCertificationAuthorityKid, encodeExtendedSerialNumber, type ExtendedSerialNumber } from '../../crypto/pki/key-identifier.ts';
import { TEST_MSCA_KID, TEST_PKI_DEFAULT_SEED, TestPki, type Credential } from '../../crypto/pki/test-pki.ts';
import { signDataG1 } from '../../crypto/pki-g1/data-signature.ts';
import { TestPkiG1, type G1Credential } from '../../crypto/pki-g1/test-pki-g1.ts';
import { createRng } from '../../crypto/random.ts';
import { cardExpiryDate, cardValidityBegin, type VirtualCard } from './card.ts';
import { EQUIPMENT_TYPE } from '../../protocols/app1/card-type.ts';

/**
 * A card's key pairs and certificates from the rig's test PKI (App. 11 CSM_72-style: Card_MA and, for driver
 * and workshop cards, Card_Sign), so a card download through a VU is signed as a real gen2 card signs it
 * (PSO: Compute Digital Signature, App. 7 §3.3.3) and an IDE can verify it to the test root.
 *
 * Choices (App. 2 and the card options do not give them): the card's extended serial number, the CHR of
 * its certificates (CSM_146), is derived from the card's identity: serialNumber = the first 4 bytes of
 * SHA-256("<type>:<nation>:<cardNumber>"), monthYear = the month of cardValidityBegin, type = the card's
 * EquipmentType, manufacturerCode 0x40 (the rig's VUs use it too). The certificates are issued by the
 * test PKI's one MSCA (a real card's comes from an MSCA_Card), valid from cardValidityBegin to the end of
 * its expiry date; the keys derive from the PKI seed and the serial number.
 */
export interface CardCredentials {
  cardMa: Credential;
  /** Driver and workshop cards only (CSM_141: equipment types 17 and 18). */
  cardSign: Credential | null;
  mscaCertificate: string;
  rootCertificate: string;
}

export const CARD_MANUFACTURER_CODE = 0x40;

/** The test PKI seed a card's certificates come from: its own `pki.seed`, else the VU's it is used in. */
export function cardPkiSeed(card: VirtualCard, vuPkiSeed: number = TEST_PKI_DEFAULT_SEED): number {
  return card.pki?.seed ?? vuPkiSeed;
}

export function cardExtendedSerialNumber(card: VirtualCard): ExtendedSerialNumber {
  const digest = createHash('sha256').update(`${card.type}:${card.issuingMemberState.numeric}:${card.cardNumber}`).digest();
  const [year, month] = card.validity.begin.split('-') as [string, string];
  return { serialNumber: digest.readUInt32BE(0), monthYear: month + year.slice(2), type: EQUIPMENT_TYPE[card.type], manufacturerCode: CARD_MANUFACTURER_CODE };
}

const SIGN_TYPES: Partial<Record<VirtualCard['type'], number>> = { driver: CHA_EQUIPMENT_TYPE.driverCardSign, workshop: CHA_EQUIPMENT_TYPE.workshopCardSign };
const cache = new Map<string, CardCredentials>();

export function cardCredentials(card: VirtualCard, pkiSeed: number = TEST_PKI_DEFAULT_SEED): CardCredentials {
  const pki = TestPki.of({ seed: pkiSeed });
  const chr = encodeExtendedSerialNumber(cardExtendedSerialNumber(card));
  const id = `${pkiSeed}/${toHex(chr)}/${card.validity.begin}/${card.validity.expiry}`;
  const known = cache.get(id);
  if (known) return known;
  const issue = (role: string, equipmentType: number): Credential => {
    const key = deriveKeyPair(createRng(pki.seed, `pki/card/${toHex(chr)}/${role}`), pki.curve);
    const certificate = issueCertificate(
      {
        car: encodeCertificationAuthorityKid(TEST_MSCA_KID),
        chr,
        equipmentType,
        curve: pki.curve,
        publicPoint: fromHex(key.publicPoint),
        effectiveDate: cardValidityBegin(card),
        expirationDate: cardExpiryDate(card) + 86_399_000,
      },
      pki.msca.key,
    );
    return { key, certificate: toHex(certificate) };
  };
  const signType = SIGN_TYPES[card.type];
  const credentials: CardCredentials = {
    cardMa: issue('ma', EQUIPMENT_TYPE[card.type]),
    cardSign: signType === undefined ? null : issue('sign', signType),
    mscaCertificate: pki.msca.certificate,
    rootCertificate: pki.erca.certificate,
  };
  cache.set(id, credentials);
  return credentials;
}

/** PSO: Compute Digital Signature with the card's Card_Sign key: ECDSA-SHA-256, plain r ‖ s (CSM_233). */
export function cardSigner(card: VirtualCard, pkiSeed?: number): (data: Uint8Array) => Uint8Array {
  const sign = cardCredentials(card, pkiSeed).cardSign;
  if (!sign) throw new Error(`a ${card.type} card has no Card_Sign key`);
  return (data) => signPlain(sign.key, data);
}

/**
 * What a card's DF Tachograph holds of the gen1 test PKI (App. 11 Part A, CSM_009): its one RSA key pair,
 * EF Card_Certificate (issued by the test MS key) and EF CA_Certificate (the MS certificate, issued by the
 * European test key), from the same seed as the gen2 credentials. Choices: CHR = the card's extended serial
 * number (the gen2 CHR: key identifier of Part A §3.3.1 note 5.1), CHA type = the card's EquipmentType, EOV =
 * the end of the card's expiry date (the gen2 certificates' CExD).
 */
export interface CardG1Credentials {
  card: G1Credential;
  /** EF CA_Certificate: the Member State certificate, 194 bytes hex. */
  caCertificate: string;
  /** EUR.PK, 144 bytes hex (KID ‖ n ‖ e): what an IDE trusts to verify DF Tachograph. */
  eurPublicKey: string;
}

export function cardG1Credentials(card: VirtualCard, pkiSeed: number = TEST_PKI_DEFAULT_SEED): CardG1Credentials {
  const pki = TestPkiG1.of({ seed: pkiSeed });
  const chr = encodeExtendedSerialNumber(cardExtendedSerialNumber(card));
  return {
    card: pki.equipment(chr, EQUIPMENT_TYPE[card.type], cardExpiryDate(card) + 86_399_000),
    caCertificate: pki.ms.certificate,
    eurPublicKey: pki.eurPublicKey,
  };
}

/** PSO: Compute Digital Signature of the gen1 application: RSA, PKCS #1 v1.5 with SHA-1 (CSM_034), 128 bytes. */
export function cardSignerG1(card: VirtualCard, pkiSeed?: number): (data: Uint8Array) => Uint8Array {
  const { key } = cardG1Credentials(card, pkiSeed).card;
  return (data) => signDataG1(key, data);
}
