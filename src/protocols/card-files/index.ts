export { dfOfTag, efName, FID, TAG_APPENDIX, type CardDf } from './card-file-ids.ts';
export * from './card-ef-codec.ts';
export { cardDfLayout, GEN2_VERSION_2, type CardDfLayout } from './card-file-layout.ts';
export {
  CardFileError,
  encodeCardDownload,
  encodeCardTlv,
  MAX_TLV_VALUE,
  readCardTlvs,
  scanCardTlvs,
  type CardDownloadSigners,
  type CardEf,
  type CardImage,
  type CardSigner,
  type CardTlv,
  type PlacedCardTlv,
} from './card-download-file.ts';
export { verifyCardDownload, verifyCardFile, type CardFileVerification, type VerifyCardDownloadOptions, type VerifyCardFileOptions } from './verify-card-download.ts';
export { decodeCardDownload, efLabel, type CardStructureGeneration, type DecodeCardDownloadOptions, type DecodedCardDownloadEf, type DecodedCardFile } from './decode-card-download.ts';
export { downloadTimeOf, summarizeCardFile, type CardFileSummary } from './card-file-summary.ts';
export { decodeCardEfContent, type CardEfRecordTypes, type CardEfType, type EfContext, type RecordSet, type TypedEf } from './card-ef-records.ts';
export type { CertificateRecord, G1CertificateRecord, G2CertificateRecord } from './card-certificate-records.ts';
export { decodeCardFile, isCardFile, type DecodeCardFileOptions, type DecodedCardEf } from './decode-card-file.ts';
export { CARD_CURRENT_USE_BYTES, decodeCardCurrentUse, encodeCardCurrentUse, NO_SESSION, type CardCurrentUse } from './card-current-use.ts';
