import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromHex } from '../../../crypto/bytes.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { cardFileOf } from '../../../harness/download/index.ts';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import { decodeCardDownload, FID } from '../../../protocols/card-files/index.ts';
import { driverCardSchema } from '../../cards/card-schema.ts';
import { anna } from '../../cards/test-cards.ts';
import { recordsFromCardFile } from '../card-download-records.ts';
import { downloadOnRigClock, vuWithIdePlan } from '../vu-test-rig.ts';

/**
 * Issue 15: EF Load_Type_Entries (App. 1 2.24a-b, App. 2 TCS_154): at each insertion of a version 2 driver card, a
 * version 2 VU stores the vehicle's by-default load type (Annex IC 147a, 306i: "not accessed by version 1 of second
 * generation vehicle units"), read back through the card download (TRTP 06).
 */
const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const MIN = 60_000;
const vera = driverCardSchema.parse({ type: 'driver', structureVersion: 2, issuingMemberState: 'B', cardNumber: 'B000000012345801', holder: { surname: 'VERMEULEN', firstNames: 'Vera' }, validity: { begin: '2025-01-01', expiry: '2030-12-31' } });
const roots = { gen2: [fromHex(TestPki.of().erca.certificate)], gen1: [fromHex(TestPkiG1.of().eurPublicKey)] };

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * The card (its memory in a file, so it is the same card at both insertions) inserted at 06:00:10, withdrawn at
 * 06:02, inserted again at 06:03:30; its download through the VU at 06:04.
 */
async function twoInsertions(vuOptions: object, plain: typeof vera | typeof anna) {
  const dir = mkdtempSync(join(tmpdir(), 'load-type-'));
  dirs.push(dir);
  const card = { ...plain, memoryFile: join(dir, 'card.json') };
  const rig = await Rig.start(vuWithIdePlan('load-type', vuOptions), { start: T0 });
  try {
    await rig.clock.advance(10_000);
    rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
    await rig.clock.runUntil(T0 + 2 * MIN);
    rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
    await rig.clock.runUntil(T0 + 3.5 * MIN);
    rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
    await rig.clock.runUntil(T0 + 4 * MIN);
    const file = cardFileOf(await downloadOnRigClock(rig, [], { card: 'driver' }))!;
    return { file, records: recordsFromCardFile(file, 'driver', roots, rig.clock.now()) };
  } finally {
    await rig.close();
  }
}

describe('EF Load_Type_Entries (Annex IC 147a)', () => {
  it('a version 2 VU stores its by-default load type at each insertion of a version 2 card; the card download carries them, signed', async () => {
    const { records } = await twoInsertions({ gen2Version: 2, calibration: { byDefaultLoadType: 'passengers' } }, vera);
    expect(records.find((r) => r.kind === 'driverCardDownload')?.fields).toMatchObject({ verified: true, problems: [] });
    expect(records.filter((r) => r.kind === 'driverCardLoadType')).toEqual([
      { kind: 'driverCardLoadType', code: 2, at: T0 + 10_000, fields: { cardNumber: 'B000000012345801', loadType: 'passengers' } },
      { kind: 'driverCardLoadType', code: 2, at: T0 + 3.5 * MIN, fields: { cardNumber: 'B000000012345801', loadType: 'passengers' } },
    ]);
  });

  it('a version 1 VU does not access the EF (306i): the card keeps no entry; a version 1 card on a version 2 VU has no such EF', async () => {
    const v1 = await twoInsertions({ calibration: { byDefaultLoadType: 'passengers' } }, vera);
    expect(v1.records.filter((r) => r.kind === 'driverCardLoadType')).toEqual([]);
    // the EF is there, downloaded, all zero: its pointer and 336 unused records
    const ef = decodeCardDownload(v1.file).efs.find((e) => e.df === 'tachograph-g2' && e.fid === FID.LOAD_TYPE_ENTRIES && e.type === 'CardLoadTypeEntries');
    expect(ef && 'record' in ef ? ef.record : undefined).toMatchObject({ loadTypeEntryPointerNewestRecord: 0 });
    const oldCard = await twoInsertions({ gen2Version: 2 }, anna);
    expect(oldCard.records.find((r) => r.kind === 'driverCardDownload')?.fields).toMatchObject({ verified: true, problems: [] });
    expect(decodeCardDownload(oldCard.file).efs.some((e) => e.fid === FID.LOAD_TYPE_ENTRIES)).toBe(false);
  });
});
