import { describe, it } from 'vitest';
import { bytesAround, fuzzDecoder } from '../fuzz/fuzz.ts';
import { CardFileError, encodeCardDownload, type CardEf } from './card-download-file.ts';
import { decodeCardEfContent, type EfContext } from './card-ef-records.ts';
import { FID } from './card-file-ids.ts';
import { decodeCardDownload } from './decode-card-download.ts';
import * as ef from './fixtures/tachograph-go-card-efs.ts';

/**
 * The card file decoder under fuzzing, on files full of records (way-platform/tachograph-go's EF vectors,
 * fixtures/, MIT): decodeCardDownload never throws, whatever the bytes (damage is reported, not thrown), and
 * decodes no NaN; each EF decoder throws a CardFileError at most.
 */
const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));
const G1: [number, string][] = [
  [FID.APPLICATION_IDENTIFICATION, ef.applicationIdentification],
  [FID.IDENTIFICATION, ef.identification],
  [FID.EVENTS_DATA, ef.events],
  [FID.DRIVER_ACTIVITY_DATA, ef.activity],
  [FID.VEHICLES_USED, ef.vehicles],
  [FID.PLACES, ef.places],
  [FID.CURRENT_USAGE, ef.currentUsage],
];
const G2: [number, string][] = [
  [FID.PLACES, ef.placesG2],
  [FID.VEHICLE_UNITS_USED, ef.vehicleUnitsUsed],
  [FID.GNSS_PLACES, ef.gnssPlaces],
];
const efs: CardEf[] = [
  { df: 'mf', fid: FID.ICC, data: b64(ef.icc) },
  ...G1.map(([fid, v]): CardEf => ({ df: 'tachograph', fid, data: b64(v) })),
  ...G2.map(([fid, v]): CardEf => ({ df: 'tachograph-g2', fid, data: b64(v) })),
];
const file = encodeCardDownload({ generation: 2, efs }, { g1: () => new Uint8Array(128), g2: () => new Uint8Array(64) });

describe('card download decoding under fuzzing', () => {
  it('decodeCardDownload returns, whatever the bytes', () => {
    fuzzDecoder(bytesAround({ valid: [file, file.subarray(0, 4000)] }), (f) => decodeCardDownload(f), null, { runs: 120 });
  });

  it('each EF decoder throws a CardFileError at most', () => {
    const contexts: EfContext[] = [
      { cardType: 'driver', generation: 1 },
      { cardType: 'driver', generation: 2 },
      { cardType: 'workshop', generation: 2 },
      { cardType: 'control', generation: 2 },
      { cardType: 'company', generation: 1 },
    ];
    const fids = Object.values(FID);
    const values = bytesAround({ valid: [...G1, ...G2].map(([, v]) => b64(v)).filter((v) => v.length < 3000) });
    const each = (v: Uint8Array) =>
      fids.flatMap((fid) =>
        contexts.map((ctx) => {
          try {
            return decodeCardEfContent(fid, v, ctx, []);
          } catch (error) {
            if (error instanceof CardFileError) return null;
            throw error;
          }
        }),
      );
    fuzzDecoder(values, each, null, { runs: 150 });
  });
});
