export { cardDownloadRequest, cardFileOf, DEFAULT_CLIENT_TIMING, DownloadError, downloadVu, type DownloadClientTiming, type DownloadOptions, type DownloadResult, type TransferOutcome } from './client.ts';
export { downloadFromRig, downloadThrough, fullDownloadRequests } from './rig-download.ts';
