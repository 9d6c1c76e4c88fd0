export { DddError, SID_TRANSFER_DATA_POSITIVE, readDdd, scanDdd, verifyDdd, writeDdd, type DddBlock, type DddVerification } from './ddd-file.ts';
export { decodeDdd, decodeDddFile, type DecodedBlock, type DecodedDddFile } from './decode-ddd.ts';
export { blockOrderProblems, GEN2_V1_TREPS, missingBlocks, type TrepLayout } from './ddd-layout.ts';
