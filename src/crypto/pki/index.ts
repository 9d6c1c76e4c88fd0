export { encodeTlv, readTlv, readTlvSequence, expectTlvs, type Tlv } from './tlv.ts';
export { CURVES, curveOfOid, deriveKeyPair, keyPairFromPrivate, privateKeyObject, publicKeyObject, signPlain, verifyPlain, type CurveName, type EcKeyPair } from './ec-keys.ts';
export {
  CERTIFICATE_PROFILE_V1,
  EQUIPMENT_TYPE,
  TACHOGRAPH_G2_AID_6,
  TAG,
  certificateSignedBy,
  decodeCertificate,
  encodeCertificateBody,
  issueCertificate,
  type CertificateBodyInput,
  type CvCertificate,
} from './cv-certificate.ts';
export { encodeCertificationAuthorityKid, encodeExtendedSerialNumber, extendedSerialNumberHex, type CertificationAuthorityKid, type ExtendedSerialNumber } from './key-identifier.ts';
export { CertificateChainError, verifyChain, type ChainInput, type ChainProblem, type ChainRole, type VerifiedChain } from './chain.ts';
export {
  EGF_VALIDITY_MS,
  ERCA_VALIDITY_MS,
  MSCA_VALIDITY_MS,
  TEST_ERCA_KID,
  TEST_MSCA_KID,
  TEST_PKI_DEFAULT_SEED,
  TestPki,
  VU_VALIDITY_MS,
  type Credential,
  type DsrcMasterKey,
  type VuDsrcKeyMaterial,
  type EgfCredentials,
  type TestPkiOptions,
  type VuCredentials,
} from './test-pki.ts';
export { loadCredential, loadVuCredentials, readCertificateFile, readPrivateKeyFile, type VuCredentialFiles } from './key-files.ts';
