export * from './fields-g1.ts';
export * from './records-g1.ts';
export { CERTIFICATE_G1_SIZE, G1_RECORD_SIZE, G1_TREP_ELEMENTS, g1TrepDataLength, SIGNATURE_G1_SIZE, splitG1Trep, type G1Element, type G1ElementView } from './layout-g1.ts';
export {
  decodeTrep01,
  decodeTrep02,
  decodeTrep03,
  decodeTrep04,
  decodeTrep05,
  encodeTrep01,
  encodeTrep02,
  encodeTrep03,
  encodeTrep04,
  encodeTrep05,
  signedPartG1,
  TREP01_SIGNED_FROM,
  type ActivitiesG1,
  type DecodedTrepG1,
  type DetailedSpeedG1,
  type EventsAndFaultsG1,
  type G1DownloadSigner,
  type OverviewG1,
  type OverviewG1Input,
  type TechnicalDataG1,
} from './trep-g1.ts';
export { readDddG1, scanDddG1, type G1Block } from './blocks-g1.ts';
