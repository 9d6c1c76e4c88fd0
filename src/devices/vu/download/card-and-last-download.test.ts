import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { cardFileOf, downloadVu, type DownloadOptions, type DownloadResult } from '../../../harness/download/index.ts';
import { FRAMING_8N1, NO_FAULTS } from '../../../harness/links/index.ts';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import { decodeTrep21 } from '../../../protocols/app7-records/index.ts';
import { decodeCardFile, encodeCardCurrentUse, encodeCardDownload, FID, verifyCardFile } from '../../../protocols/card-files/index.ts';
import { cardSigner, cardSignerG1 } from '../../cards/card-credentials.ts';
import { cardSchema } from '../../cards/card-schema.ts';
import { anna } from '../../cards/test-cards.ts';
import { driverCardDownload, driverCardImage } from '../../cards/driver-card-image.ts';
import { ideKind } from '../../ide/index.ts';
import { motionSensorKind } from '../../motion-sensor/index.ts';
import { vuKind } from '../index.ts';
import { vuOptionsSchema } from '../vu-options.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const haulage = cardSchema.parse({
  type: 'company',
  issuingMemberState: 'B',
  cardNumber: 'B0000000000C1001',
  companyName: 'Rig Haulage',
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});
const link = (id: string, ends: [string, string], framing = FRAMING_8N1) => ({ id, ends, transport: 'memory' as const, baud: 9600, framing, pacing: true, faults: NO_FAULTS, deliveryQuantumMs: 0 });

function plan(dataMemoryFile?: string): RigPlan {
  return {
    name: 'vu-card-download',
    clock: 'virtual',
    seed: 1,
    devices: [
      { name: 'vu', kind: vuKind, mode: 'emulated', options: vuOptionsSchema.parse(dataMemoryFile ? { dataMemoryFile } : {}) },
      { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({}) },
      { name: 'ide', kind: ideKind, mode: 'emulated', options: {} },
    ],
    links: [link('pulses', ['sensor.pulses', 'vu.pulses']), link('download', ['ide.vu', 'vu.download'], { dataBits: 8, parity: 'even', stopBits: 1 })],
  };
}

/** A download session; `rigRead`: as the rig's own read (download/access.ts), else with the rights the slots give. */
async function download(rig: Rig, options: DownloadOptions, rigRead = false): Promise<DownloadResult> {
  let outcome: { result?: DownloadResult; error?: unknown } | undefined;
  if (rigRead) rig.actor('vu')!.send({ type: 'vu.rigRead', on: true });
  downloadVu(rig.port('ide.vu')!, rig.clock, { baud: 115200, ...options }).then(
    (result) => (outcome = { result }),
    (error) => (outcome = { error }),
  );
  while (!outcome) await rig.clock.advance(100);
  if (rigRead) rig.actor('vu')!.send({ type: 'vu.rigRead', on: false });
  if (outcome.error) throw outcome.error;
  return outcome.result!;
}

const overviewOf = (r: DownloadResult) => {
  const t = r.transfers.find((x) => x.trtp === 0x21)!;
  if (!t.ok) throw new Error('no overview');
  return decodeTrep21(t.message).data;
};

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('TRTP 06: a driver card downloaded through the VU (DDP_047..050)', () => {
  it('forwards the card in the driver slot as signed TLVs; the empty co-driver slot gets FA', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: anna });
      await rig.clock.advance(5_000);
      const result = await download(rig, { transfers: [{ trtp: 0x06, slot: 2 }], card: 'driver' });
      expect(result.transfers.map((t) => [t.trtp, t.ok, t.ok ? t.subMessages : t.nrc])).toEqual([
        // operational mode with a driver card alone: the card may be downloaded, VU data may not (Annex IC 12 (b))
        [0x21, false, 0xfa],
        [0x06, false, 0xfa], // co-driver slot: no card (DDP_018)
        // 66 823 bytes in sub-messages of 251 (+ SID and TREP in the 255-byte field): 267 of them
        [0x06, true, 267],
      ]);
      const file = cardFileOf(result)!;
      // what the VU read from the card, byte for byte: the card as personalised, but for the card session data
      // the VU set in both applications at insertion (Annex IC 145: T0, the vehicle's nation and VRN), and the
      // EFs it wrote for the session just before the download (issue 15, card-updates.test.ts): the day's
      // activities, the vehicle and the VU used; each signed by the card as it now holds it
      const session = encodeCardCurrentUse({ sessionOpenTime: T0, vehicleRegistrationNation: 6, vehicleRegistrationNumber: 'B-RIG-001' });
      const image = driverCardImage(anna);
      const written: number[] = [FID.DRIVER_ACTIVITY_DATA, FID.VEHICLES_USED, FID.VEHICLE_UNITS_USED];
      const downloaded = (fid: number, df: string) => fromHex(decodeCardFile(file).find((e) => e.tag === fid.toString(16).padStart(4, '0') + (df === 'tachograph' ? '00' : '02'))!.hex!);
      for (const ef of image.efs.filter((e) => written.includes(e.fid))) expect(toHex(downloaded(ef.fid, ef.df))).not.toBe(toHex(ef.data));
      const held = { ...image, efs: image.efs.map((ef) => (ef.fid === FID.CURRENT_USAGE ? { ...ef, data: session } : written.includes(ef.fid) ? { ...ef, data: downloaded(ef.fid, ef.df) } : ef)) };
      expect(toHex(file)).toBe(toHex(encodeCardDownload(held, { g1: cardSignerG1(anna), g2: cardSigner(anna) })));
      expect(toHex(file)).not.toBe(toHex(driverCardDownload(anna)));
      // 2026-03-02T06:00:00Z = 69A52760, nation 06, code page 01, 'B-RIG-001' and 4 spaces
      expect(decodeCardFile(file).find((e) => e.tag === '050702')!.hex).toBe('69a52760' + '06' + '01' + '422d5249472d303031' + '20202020');
      const root = fromHex(TestPki.of().erca.certificate);
      expect(verifyCardFile(file, [root], rig.clock.now(), [TestPkiG1.of().eurPublicKeyBytes()])).toMatchObject({ ok: true, problems: [] });
      const identification = decodeCardFile(file).find((e) => e.tag === '052002')!;
      expect(identification.fields).toMatchObject({ cardNumber: 'B000000012345601', cardHolderName: { surname: 'PEETERS', firstNames: 'Anna' } });
      // at 115200 baud the card's 65 kB take about half a minute of rig time
      expect(result.endedAt - result.startedAt).toBeGreaterThan(25_000);
      expect(result.endedAt - result.startedAt).toBeLessThan(40_000);
    } finally {
      await rig.close();
    }
  }, 120_000);

  it('a company card in the slot is not a driver card: FA', async () => {
    const rig = await Rig.start(plan(), { start: T0 });
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: haulage });
      await rig.clock.advance(5_000);
      const result = await download(rig, { card: 'driver' });
      expect(result.transfers.map((t) => [t.trtp, t.ok ? 'ok' : t.nrc])).toEqual([
        [0x21, 'ok'],
        [0x06, 0xfa],
      ]);
    } finally {
      await rig.close();
    }
  });
});

describe('TREP 21 VuDownloadActivityData: the last download in company or calibration mode (Annex IC 129)', () => {
  it('a second download shows the first; it survives a restart; an operational-mode download leaves it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vu-last-download-'));
    const file = join(dir, 'vu.mem');
    const rig = await Rig.start(plan(file), { start: T0 });
    let first: DownloadResult;
    try {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: haulage });
      await rig.clock.advance(60_000);
      first = await download(rig, {});
      expect(overviewOf(first).lastDownload).toBeNull(); // never downloaded before
      await rig.clock.advance(3_600_000);
      const second = await download(rig, {});
      const last = overviewOf(second).lastDownload!;
      // the time the first session's overview had gone out, in whole seconds
      expect(last.downloadingTime).toBeGreaterThanOrEqual(Math.floor(first.startedAt / 1000) * 1000);
      expect(last.downloadingTime).toBeLessThanOrEqual(first.endedAt);
      expect(last.downloadingTime % 1000).toBe(0);
      expect(last).toEqual({
        downloadingTime: last.downloadingTime,
        card: { cardType: 'company', issuingMemberState: 6, cardNumber: 'B0000000000C1001', generation: 2 },
        companyOrWorkshopName: 'Rig Haulage',
      });
    } finally {
      await rig.close();
    }
    const restarted = await Rig.start(plan(file), { start: T0 + 86_400_000 });
    try {
      const third = await download(restarted, {});
      const afterRestart = overviewOf(third).lastDownload!;
      // the second download (the last in company mode), kept in the data memory file
      expect(afterRestart.companyOrWorkshopName).toBe('Rig Haulage');
      expect(afterRestart.downloadingTime).toBeGreaterThan(first.endedAt + 3_000_000);
      restarted.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await restarted.clock.advance(60_000);
      // the third download, in company mode, is now the last one
      const fourth = await download(restarted, {}, true);
      const afterThird = overviewOf(fourth).lastDownload!;
      expect(afterThird.downloadingTime).toBeGreaterThanOrEqual(Math.floor(third.startedAt / 1000) * 1000);
      expect(afterThird.downloadingTime).toBeLessThanOrEqual(third.endedAt);
      // the fourth, in operational mode (the rig's read: a download without a card is refused, Annex IC 12), was not recorded
      const fifth = await download(restarted, {}, true);
      expect(overviewOf(fifth).lastDownload).toEqual(afterThird);
    } finally {
      await restarted.close();
    }
  }, 120_000);
});
