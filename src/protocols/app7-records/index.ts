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
export * from './technical-records-v2.ts';
export {
  DOWNLOAD_INTERFACE_VERSION_G2V2,
  encodeTrep00,
  encodeTrep31,
  encodeTrep32,
  encodeTrep33,
  encodeTrep35,
  encodeVehicleRegistrationIdentification,
  type ActivitiesOfDayV2Data,
  type OverviewV2Data,
  type TechnicalV2Data,
} from './trep-v2.ts';
export { decodeTrep00, decodeTrep31, decodeTrep32, decodeTrep33, decodeTrep35, type DecodedOverviewV2 } from './trep-v2-decode.ts';
