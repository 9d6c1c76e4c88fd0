import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driverCardSchema } from '../../devices/cards/card-schema.ts';
import { driverCardDownload } from '../../devices/cards/driver-card-image.ts';

const anna = driverCardSchema.parse({
  type: 'driver',
  issuingMemberState: 'B',
  cardNumber: 'B000000012345601',
  holder: { surname: 'PEETERS', firstNames: 'Anna' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});

describe('`rig decode` of a card download file', () => {
  it('gives EF ICC and EF Identification as fields, the other EFs and the signatures as sized hex', () => {
    const dir = mkdtempSync(join(tmpdir(), 'card-ddd-'));
    try {
      const path = join(dir, 'card.ddd');
      writeFileSync(path, driverCardDownload(anna));
      const out = JSON.parse(execFileSync(process.execPath, ['bin/rig.js', 'decode', path, '--json'], { encoding: 'utf8' })) as {
        tag: string;
        size: number;
        fields?: Record<string, unknown>;
        hex?: string;
      }[];
      expect(out).toHaveLength(43);
      expect(out[0]).toMatchObject({ tag: '000200', size: 25, fields: { cardApprovalNumber: 'e1-TC-01', cardExtendedSerialNumber: { serialNumber: 0x8dba7773, monthYear: '0125', type: 1, manufacturerCode: 0x40 } } });
      expect(out.find((e) => e.tag === '052002')).toMatchObject({
        size: 143,
        fields: { cardIssuingMemberState: 6, cardNumber: 'B000000012345601', cardHolderName: { surname: 'PEETERS', firstNames: 'Anna' }, cardExpiryDate: Date.UTC(2030, 11, 31) },
      });
      const events = out.find((e) => e.tag === '050202')!;
      expect([events.size, events.hex!.length, events.fields]).toEqual([3168, 6336, undefined]);
      expect(out.find((e) => e.tag === '050203')).toMatchObject({ size: 64 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
