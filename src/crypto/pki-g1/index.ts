export { HmacDrbg, seededDrbg } from './hmac-drbg.ts';
export {
  bigintOf,
  bytesOf,
  DEFAULT_PUBLIC_EXPONENT,
  deriveRsaKeyPair,
  EXPONENT_BYTES,
  MODULUS_BYTES,
  publicKeyOf,
  rsaPrivateKeyObject,
  rsaPrivateOperation,
  rsaPublicKeyObject,
  rsaPublicOperation,
  type RsaKeyPair,
  type RsaPublicKey,
} from './rsa-keys.ts';
export { decodeEuropeanPublicKey, encodeEuropeanPublicKey, EUROPEAN_PUBLIC_KEY_BYTES, type EuropeanPublicKey } from './european-public-key.ts';
export {
  decodeG1CertificateContent,
  encodeG1CertificateContent,
  g1CertificateCar,
  G1_CERTIFICATE_BYTES,
  G1_CERTIFICATE_CONTENT_BYTES,
  G1_CERTIFICATE_PROFILE,
  G1_EQUIPMENT_TYPE,
  issueG1Certificate,
  openG1Certificate,
  TACHOGRAPH_G1_AID_6,
  type G1CertificateContent,
  type G1CertificateInput,
} from './rsa-certificate.ts';
export { signDataG1, verifyDataG1 } from './data-signature.ts';
export { verifyG1Chain, type G1ChainInput, type VerifiedG1Chain } from './chain-g1.ts';
export { TestPkiG1, type G1Credential, type TestPkiG1Options } from './test-pki-g1.ts';
