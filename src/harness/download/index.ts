export { cardDownloadRequest, cardFileOf, DEFAULT_CLIENT_TIMING, DownloadError, downloadVu, probeVu, type DownloadClientTiming, type ProbeResult, type DownloadOptions, type DownloadResult, type TransferOutcome } from './client.ts';
export { clientOptionsOf, downloadClientOptions, type DownloadClientSettings } from './client-options.ts';
export { downloadFromRig, downloadThrough, fullDownloadRequests, ideSettingsOf } from './rig-download.ts';
