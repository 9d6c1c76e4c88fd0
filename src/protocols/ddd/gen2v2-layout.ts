import { decodeTrep24 } from '../app7-records/trep-decode.ts';
import { decodeTrep00, decodeTrep31, decodeTrep32, decodeTrep33, decodeTrep35, GEN2_V2_RECORD_ARRAYS } from '../app7-records/trep-v2-decode.ts';
import { DddError } from './ddd-file.ts';
import { withSignature, type TrepLayout } from './ddd-layout.ts';

/**
 * The blocks a download of a generation 2, version 2 VU produces (App. 7 DDP_011 third column: TREP 00, 31,
 * 32, 33, 24, 35), with their typed decoders. TREP 00 (DDP_028a) is the DownloadInterfaceVersion's two bytes,
 * neither a record array nor signed; TREP 24 is version 1's detailed speed, shared by both versions (App. 7
 * note M3: "TRTP 24 is used for Generation 2, for version 1 and version 2").
 */
export const GEN2_V2_TREPS: Readonly<Record<number, TrepLayout>> = {
  0x00: {
    name: 'Download interface version',
    requirement: 'DDP_028a',
    decode: decodeTrep00,
    dataLength: (file, offset) => {
      if (offset + 2 > file.length) throw new DddError(`TREP 00 block: DownloadInterfaceVersion is 2 bytes, ${file.length - offset} left`);
      return 2;
    },
  },
  0x31: { name: 'Overview', requirement: 'DDP_029', decode: decodeTrep31, timeUnit: 'ms', recordArrays: withSignature(GEN2_V2_RECORD_ARRAYS[0x31]) },
  0x32: { name: 'Activities', requirement: 'DDP_030', decode: decodeTrep32, timeUnit: 'ms', recordArrays: withSignature(GEN2_V2_RECORD_ARRAYS[0x32]) },
  0x33: { name: 'Events and faults', requirement: 'DDP_031', decode: decodeTrep33, timeUnit: 's', recordArrays: withSignature(GEN2_V2_RECORD_ARRAYS[0x33]) },
  0x24: { name: 'Detailed speed', requirement: 'DDP_032', decode: decodeTrep24, timeUnit: 's', recordArrays: withSignature(GEN2_V2_RECORD_ARRAYS[0x24]) },
  0x35: { name: 'Technical data', requirement: 'DDP_033', decode: decodeTrep35, timeUnit: 's', recordArrays: withSignature(GEN2_V2_RECORD_ARRAYS[0x35]) },
};
