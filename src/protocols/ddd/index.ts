export { SID_TRANSFER_DATA_POSITIVE, readDdd, verifyDdd, writeDdd, type DddBlock, type DddVerification } from './ddd-file.ts';
