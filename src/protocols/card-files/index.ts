export { dfOfTag, efName, FID, TAG_APPENDIX, type CardDf } from './card-file-ids.ts';
export * from './card-ef-codec.ts';
export { cardDfLayout, GEN2_VERSION_2, type CardDfLayout } from './card-file-layout.ts';
export {
  CardFileError,
  encodeCardDownload,
  encodeCardTlv,
  MAX_TLV_VALUE,
  readCardTlvs,
  verifyCardFile,
  type CardDownloadSigners,
  type CardEf,
  type CardFileVerification,
  type CardImage,
  type CardSigner,
  type CardTlv,
  type VerifyCardFileOptions,
} from './card-download-file.ts';
export { decodeCardFile, isCardFile, type DecodeCardFileOptions, type DecodedCardEf } from './decode-card-file.ts';
