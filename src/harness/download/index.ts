export { cardDownloadRequest, cardFileOf, DEFAULT_CLIENT_TIMING, DownloadError, downloadVu, probeVu, type DownloadClientTiming, type ProbeResult, type DownloadOptions, type DownloadResult, type TransferOutcome } from './client.ts';
export { downloadFromRig, downloadThrough, fullDownloadRequests } from './rig-download.ts';
