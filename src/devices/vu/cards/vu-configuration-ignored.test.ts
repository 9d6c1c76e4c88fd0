import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toHex } from '../../../crypto/bytes.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { Rig } from '../../../harness/rig/rig-runtime.ts';
import { FID } from '../../../protocols/card-files/index.ts';
import { driverCardSchema } from '../../cards/card-schema.ts';
import { acme } from '../../cards/test-cards.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { cardIdentityKey, personaliseCard, readEf, writeEf } from '../../cards/emulator/card-memory.ts';
import { readCardMemoryFile, writeCardMemoryFile } from '../../cards/emulator/card-memory-file.ts';
import { vuWithIdePlan } from '../vu-test-rig.ts';

/**
 * Annex IC 135a, 150a: "The vehicle unit shall ignore the elementary file EF VU_Configuration in all cards insofar as
 * no specific rules have been provided with respect to the use of such elementary file" (none are, so far). A version
 * 2 driver card whose EF VU_Configuration ('0540', App. 2 TCS_154, 3072 bytes) holds its holder's settings goes
 * through a session in which the VU writes its version 2 EFs (a border crossing, a load): every APDU the VU sends to
 * the card is seen, none selects EF VU_Configuration, and its content is as it was.
 */
const T0 = Date.UTC(2026, 3, 6, 6);
const SETTINGS = Uint8Array.from({ length: 3072 }, (_, i) => (i * 7 + 3) & 0xff);

/** SELECT of an EF by FID, in plain ('00A4020C02' FID) or under SM (its data in DO '81': '8102' FID). */
const selects = (apdus: string[], fid: number) => {
  const f = fid.toString(16).padStart(4, '0').toUpperCase();
  return apdus.filter((c) => c.startsWith(`00A4020C02${f}`) || (c.startsWith('0CA4020C') && c.includes(`8102${f}`)));
};

/** Every command any card emulator is sent from now on, as hex (until `vi.restoreAllMocks()`). */
function recordApdus(): string[] {
  const apdus: string[] = [];
  const transmit = CardEmulator.prototype.transmit;
  vi.spyOn(CardEmulator.prototype, 'transmit').mockImplementation(function (this: CardEmulator, command: Uint8Array) {
    apdus.push(toHex(command).toUpperCase());
    return transmit.call(this, command);
  });
  return apdus;
}

/** A VU with an IDE from T0 through `script` (each act, then the clock advanced by its ms): every APDU its cards were sent. */
async function apdusOfSession(name: string, vuOptions: object, script: [act: (rig: Rig) => void, ms: number][]): Promise<string[]> {
  const apdus = recordApdus();
  const rig = await Rig.start(vuWithIdePlan(name, vuOptions, 10), { start: T0 });
  try {
    for (const [act, ms] of script) {
      act(rig);
      await rig.clock.advance(ms);
    }
    expect(rig.host.errors).toEqual([]);
  } finally {
    await rig.close();
    vi.restoreAllMocks();
  }
  return apdus;
}

describe('EF VU_Configuration of a version 2 card: the VU ignores it (Annex IC 135a, 150a)', () => {
  let dir = '';
  afterEach(() => {
    vi.restoreAllMocks();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  it('neither reads nor writes it in a session that writes the version 2 EFs: its content stays the holder’s', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vu-configuration-'));
    const vera = driverCardSchema.parse({ type: 'driver', structureVersion: 2, issuingMemberState: 'B', cardNumber: 'B000000012345801', holder: { surname: 'VERMEULEN', firstNames: 'Vera' }, validity: { begin: '2025-01-01', expiry: '2030-12-31' }, memoryFile: join(dir, 'vera.card.json') });
    writeCardMemoryFile(vera.memoryFile!, writeEf(personaliseCard(vera, TEST_PKI_DEFAULT_SEED), 'tachograph-g2', FID.VU_CONFIGURATION, 0, SETTINGS));
    const before = readCardMemoryFile(vera.memoryFile!, cardIdentityKey(vera))!;
    const apdus = await apdusOfSession('vu-configuration', { cards: { vera }, gen2Version: 2 }, [
      [(rig) => rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'vera' }), 60_000],
      [
        (rig) => {
          rig.host.stimulate('vu', 'loadUnload', { operation: 'load' });
          rig.worldAction('speed', { kmh: 60 });
        },
        120_000,
      ],
      [(rig) => rig.host.stimulate('vu', 'borderCrossing', { country: 'D' }), 60_000],
      [(rig) => rig.worldAction('stop', {}), 60_000],
      [(rig) => rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' }), 1_000],
    ]);

    const after = readCardMemoryFile(vera.memoryFile!, cardIdentityKey(vera))!;
    // positive control: the VU did select and write the version 2 EFs of this session
    expect(selects(apdus, FID.BORDER_CROSSINGS).length).toBeGreaterThan(0);
    expect(selects(apdus, FID.LOAD_UNLOAD_OPERATIONS).length).toBeGreaterThan(0);
    expect(readEf(after, 'tachograph-g2', FID.BORDER_CROSSINGS)).not.toEqual(readEf(before, 'tachograph-g2', FID.BORDER_CROSSINGS));
    expect(readEf(after, 'tachograph-g2', FID.LOAD_UNLOAD_OPERATIONS)).not.toEqual(readEf(before, 'tachograph-g2', FID.LOAD_UNLOAD_OPERATIONS));
    // EF VU_Configuration: never selected, as the holder left it
    expect(selects(apdus, FID.VU_CONFIGURATION)).toEqual([]);
    expect(readEf(after, 'tachograph-g2', FID.VU_CONFIGURATION)).toEqual(SETTINGS);
  }, 60_000);

  it('a version 1 VU accesses none of a version 2 card\'s version 2 EFs (Annex IC 4.5.3.2.1.1, 4.5.3.2.17-22: "not accessed by version 1")', async () => {
    const vera = driverCardSchema.parse({ type: 'driver', structureVersion: 2, issuingMemberState: 'B', cardNumber: 'B000000012345801', holder: { surname: 'VERMEULEN', firstNames: 'Vera' }, validity: { begin: '2025-01-01', expiry: '2030-12-31' } });
    const session = (gen2Version: 1 | 2) =>
      apdusOfSession('vu-v1-card-v2', { cards: { vera }, gen2Version }, [
        [(rig) => rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'vera' }), 60_000],
        [(rig) => rig.worldAction('speed', { kmh: 60 }), 120_000],
        [(rig) => rig.worldAction('stop', {}), 60_000],
        [(rig) => rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' }), 1_000],
      ]);
    const V2_EFS = [FID.APPLICATION_IDENTIFICATION_V2, FID.PLACES_AUTHENTICATION, FID.GNSS_PLACES_AUTHENTICATION, FID.BORDER_CROSSINGS, FID.LOAD_UNLOAD_OPERATIONS, FID.LOAD_TYPE_ENTRIES, FID.VU_CONFIGURATION];
    const selected = (apdus: string[]) => V2_EFS.filter((fid) => selects(apdus, fid).length > 0);
    expect(selected(await session(1))).toEqual([]);
    // positive control: a version 2 VU reads the card's version 2 identification and writes its load type
    expect(selected(await session(2))).toEqual([FID.APPLICATION_IDENTIFICATION_V2, FID.LOAD_TYPE_ENTRIES]);
  }, 60_000);
  it('no VU, version 1 or 2, accesses a version 2 company card\'s EF Application_Identification_V2 or EF VU_Configuration (App. 2 TCS_176; Annex IC 135a, 150a)', async () => {
    const acme2 = { ...acme, structureVersion: 2 as const };
    const session = (gen2Version: 1 | 2) =>
      apdusOfSession('vu-company-card-v2', { cards: { acme: acme2 }, gen2Version }, [
        [(rig) => rig.host.stimulate('vu', 'insertCard', { slot: 'co-driver', card: 'acme' }), 60_000],
        [(rig) => rig.host.stimulate('vu', 'companyLock', { action: 'in' }), 60_000],
        [(rig) => rig.host.stimulate('vu', 'withdrawCard', { slot: 'co-driver' }), 1_000],
      ]);
    for (const version of [1, 2] as const) {
      const apdus = await session(version);
      // positive control: the VU did select and write the card's EF Company_Activity_Data (the lock-in)
      expect(selects(apdus, FID.COMPANY_ACTIVITY_DATA).length).toBeGreaterThan(0);
      expect([FID.APPLICATION_IDENTIFICATION_V2, FID.VU_CONFIGURATION].filter((fid) => selects(apdus, fid).length > 0)).toEqual([]);
    }
  }, 60_000);
});
