export { cardDownloadRequest, cardFileOf, DEFAULT_CLIENT_TIMING, DownloadError, downloadVu, probeVu, type DownloadClientTiming, type ProbeResult, type DownloadOptions, type DownloadResult, type TransferOutcome } from './client.ts';
export { clientOptionsOf, downloadClientOptions, type DownloadClientSettings } from './client-options.ts';
export { downloadFromRig, downloadThrough, ideSettingsOf } from './rig-download.ts';
export { DEFAULT_DOWNLOAD_FORMAT, DOWNLOAD_FORMATS, FORMAT_TRTP, fullDownloadRequests, GEN2_V2_INTERFACE_VERSION, type DownloadFormat } from './download-format.ts';
