export { createDownloadServerMachine, type DownloadServerContext, type DownloadServerDeps, type DownloadServerEvent } from './machine.ts';
export {
  answerFetch,
  DEFAULT_DOWNLOAD_SERVER_TIMING,
  type DownloadDataProvider,
  type DownloadServerCommand,
  type DownloadServerInput,
  type DownloadServerReport,
  type DownloadServerTiming,
  type TransferAnswer,
} from './types.ts';
