export { dfOfTag, efName, FID, TAG_APPENDIX, type CardDf } from './card-file-ids.ts';
export * from './card-ef-codec.ts';
export {
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
} from './card-download-file.ts';
export { decodeCardFile, isCardFile, type DecodeCardFileOptions, type DecodedCardEf } from './decode-card-file.ts';
