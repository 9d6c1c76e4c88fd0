export { DddError, SID_TRANSFER_DATA_POSITIVE, readDdd, scanDdd, verifyDdd, writeDdd, type DddBlock, type DddVerification } from './ddd-file.ts';
export { decodeDdd, decodeDddFile, type DecodedBlock, type DecodedDddFile } from './decode-ddd.ts';
export { blockOrderProblems, GEN2_V1_TREPS, missingBlocks, type TrepLayout } from './ddd-layout.ts';
export { GEN2_V2_TREPS } from './gen2v2-layout.ts';
export { fileGeneration, generationOfTrep, VU_DOWNLOAD_KINDS, type VuDownloadKind, type VuGeneration } from './vu-generations.ts';
export { scanVuFile, type ScannedBlock, type VuFileScan } from './scan-vu-file.ts';
export { decodeDownloadFile, decodeVuFile, type DecodedCardDownload, type DecodedDownloadFile, type DecodedVuBlock, type DecodedVuFile } from './decode-download-file.ts';
export { verifyDownloadFile, type VerifyDownloadOptions } from './verify-download-file.ts';
export { downloadJson, downloadSummary, downloadText, type DownloadSummary } from './download-file-report.ts';
