export { App7RecordError, RECORD_ARRAY_HEADER_SIZE, RECORD_TYPE, encodeRecordArray, readRecordArray, recordArrayName, type RecordArrayView, type RecordTypeName } from './record-array.ts';
export * from './records.ts';
export * from './event-records.ts';
export * from './technical-records.ts';
export {
  OVER_SPEEDING,
  encodeTrep21,
  encodeTrep22,
  encodeTrep23,
  encodeTrep24,
  encodeTrep25,
  readTrepArrays,
  signatureRecordArray,
  trepDataLength,
  type ActivitiesOfDayData,
  type DownloadSigner,
  type EventsAndFaultsData,
  type OverviewData,
  type TechnicalData,
} from './trep.ts';
export { decodeTrep21, decodeTrep22, decodeTrep23, decodeTrep24, decodeTrep25, type DecodedOverview, type DecodedTrep } from './trep-decode.ts';
