import { decodeTrep21, decodeTrep22, decodeTrep23, decodeTrep24, decodeTrep25 } from '../app7-records/index.ts';
import { readDdd } from './ddd-file.ts';

const DECODERS: Record<number, { name: string; decode: (data: Uint8Array) => unknown }> = {
  0x21: { name: 'Overview', decode: decodeTrep21 },
  0x22: { name: 'Activities', decode: decodeTrep22 },
  0x23: { name: 'Events and faults', decode: decodeTrep23 },
  0x24: { name: 'Detailed speed', decode: decodeTrep24 },
  0x25: { name: 'Technical data', decode: decodeTrep25 },
};

export interface DecodedBlock {
  trep: number;
  name: string;
  /** The typed content, or why it could not be decoded. */
  content?: unknown;
  error?: string;
}

/** Every block of a .DDD file, decoded into typed records; a block that does not decode says why, the rest still do. */
export function decodeDdd(file: Uint8Array): DecodedBlock[] {
  return readDdd(file).map(({ trep, data }) => {
    const decoder = DECODERS[trep];
    if (!decoder) return { trep, name: `TREP ${trep.toString(16).toUpperCase()}`, error: 'no decoder for this TREP (gen2 v1 has 21..25)' };
    try {
      return { trep, name: decoder.name, content: decoder.decode(data) };
    } catch (error) {
      return { trep, name: decoder.name, error: (error as Error).message };
    }
  });
}
