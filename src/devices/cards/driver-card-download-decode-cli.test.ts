import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anna } from './test-cards.ts';
import { driverCardDownload } from './driver-card-image.ts';
import { toHex } from '../../crypto/bytes.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/index.ts';


describe('`rig decode` of a card download file', () => {
  it('gives every EF as its App. 1 record (card-files decodeCardDownload), each signature with the EF it signs, no EF as hex', () => {
    const dir = mkdtempSync(join(tmpdir(), 'card-ddd-'));
    try {
      const path = join(dir, 'card.ddd');
      writeFileSync(path, driverCardDownload(anna));
      const json = JSON.parse(execFileSync(process.execPath, ['bin/rig.js', 'decode', path, '--json'], { encoding: 'utf8' })) as {
        generation: string;
        summary: Record<string, unknown>;
        efs: { tag: string; size: number; type: string; record?: Record<string, unknown>; hex?: string; signature?: { size: number } }[];
        problems: string[];
      };
      const out = json.efs;
      // 30 EFs: 54 TLVs less the 24 signatures, each attached to the EF before it (DDP_046)
      expect([out.length, json.generation, json.problems]).toEqual([30, 'gen2v1', []]);
      expect(out.filter((e) => e.hex !== undefined)).toEqual([]);
      expect(json.summary).toMatchObject({ kind: 'card download', cardType: 'driver', cardNumber: 'B000000012345601', holder: 'PEETERS Anna', cardExpiryDate: '2030-12-31T00:00:00Z' });
      expect(out[0]).toMatchObject({ tag: '000200', size: 25, type: 'CardIccIdentification', record: { cardApprovalNumber: 'e1-TC-01', cardExtendedSerialNumber: { serialNumber: 0x8dba7773, monthYear: '0125', type: 1, manufacturerCode: 0x40 } } });
      expect(out.find((e) => e.tag === '052002')).toMatchObject({
        size: 143,
        signature: { size: 64 },
        record: { cardIdentification: { cardIssuingMemberState: 6, cardNumber: 'B000000012345601', cardExpiryDate: '2030-12-31T00:00:00Z' }, cardHolderIdentification: { cardHolderName: { holderSurname: 'PEETERS', holderFirstNames: 'Anna' } } },
      });
      const events = out.find((e) => e.tag === '050202')!;
      // App. 1 2.19 gen2: 11 event types of noOfEventsPerType records, none used on a fresh card
      expect([events.size, events.type, events.signature?.size, (events.record!.cardEventRecords as unknown[][]).map((set) => set.length)]).toEqual([3168, 'CardEventData', 64, new Array(11).fill(12)]);
      expect(out.find((e) => e.tag === '050200')).toMatchObject({ signature: { size: 128 } });
      // gen1 certificates opened with the test European key (App. 11 CSM_019), as the gen2 ones are decoded
      expect(out.find((e) => e.tag === 'c10000')).toMatchObject({
        tag: 'c10000',
        name: 'EF Card_Certificate',
        df: 'tachograph',
        size: 194,
        type: 'Certificate',
        record: { car: '0642202001ffff01', chr: '8dba777301250140', equipmentType: 1, applicationId: 'ff544143484f', endOfValidity: '2030-12-31T23:59:59Z', publicExponent: '0000000000010001' },
      });
      expect(out.find((e) => e.tag === 'c10800')!.record).toMatchObject({ car: 'fd45432001ffff01', chr: '0642202001ffff01', equipmentType: 0, endOfValidity: '2042-10-02T04:30:00Z' });
      expect(out.find((e) => e.tag === 'c10102')!.record).toMatchObject({ car: '0642202001ffff01', chr: '8dba777301250140', equipmentType: 17 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens the gen1 certificates with the European key given by --eur-key, and leaves them closed with another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'card-ddd-'));
    try {
      const path = join(dir, 'card.ddd');
      writeFileSync(path, driverCardDownload(anna, { pkiSeed: 99 }));
      const right = join(dir, 'eur-99.hex');
      writeFileSync(right, toHex(TestPkiG1.of({ seed: 99 }).eurPublicKeyBytes()));
      const decode = (...args: string[]) =>
        (JSON.parse(execFileSync(process.execPath, ['bin/rig.js', 'decode', path, '--json', ...args], { encoding: 'utf8' })) as { efs: { tag: string; record?: Record<string, unknown> }[] }).efs;
      expect(decode('--eur-key', right).find((e) => e.tag === 'c10800')!.record).toMatchObject({ chr: '0642202001ffff01', equipmentType: 0 });
      expect(decode().find((e) => e.tag === 'c10800')!.record).toMatchObject({ opened: false });
      const short = join(dir, 'short.bin');
      writeFileSync(short, new Uint8Array(136));
      expect(() => execFileSync(process.execPath, ['bin/rig.js', 'decode', path, '--eur-key', short], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/short\.bin: a European public key is 144 bytes \(KID 8, n 128, e 8\), this file holds 136/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
