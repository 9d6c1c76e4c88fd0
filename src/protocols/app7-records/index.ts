export { RECORD_ARRAY_HEADER_SIZE, RECORD_TYPE, encodeRecordArray, readRecordArray, recordArrayName, type RecordArrayView, type RecordTypeName } from './record-array.ts';
export * from './records.ts';
export {
  encodeTrep21,
  encodeTrep22,
  encodeTrep23,
  encodeTrep24,
  readTrepArrays,
  signatureRecordArray,
  trepDataLength,
  type ActivitiesOfDayData,
  type DownloadSigner,
  type EventsAndFaultsData,
  type OverviewData,
} from './trep.ts';
