import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { TEST_PKI_DEFAULT_SEED, TestPki } from '../../../crypto/pki/test-pki.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { createRng } from '../../../crypto/random.ts';
import { encodeCommand, selectByAid, selectByFid, updateBinary } from '../../../protocols/apdu/index.ts';
import { encodeCardDownload, FID, verifyCardDownload, verifyCardFile } from '../../../protocols/card-files/index.ts';
import { signPlain } from '../../../crypto/pki/ec-keys.ts';
import { cardCredentials, cardSignerG1 } from '../../cards/card-credentials.ts';
import { decodeDownloadFile, hasProblems } from '../../../protocols/ddd/decode-download-file.ts';
import { cardSchema, companyCardSchema, controlCardSchema, type VirtualCard } from '../../cards/card-schema.ts';
import { cardImage } from '../../cards/emulator/card-image.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { acme, carla } from '../../cards/test-cards.ts';
import { downloadCardThroughApdus } from './card-download-reader.ts';

/**
 * Issue 15: version 2 of the generation 2 control and company cards (App. 2 TCS_168-171, TCS_176-179;
 * cardStructureVersion {01 01}): EF Application_Identification_V2 (App. 1 2.50a / 2.48a: lengthOfFollowingData,
 * VuConfigurationLengthRange) and EF VU_Configuration (n13 = 3072 bytes), personalised, then downloaded through
 * the card's APDUs (App. 7 DDP_035), signed by the card, verified and decoded as `rig decode` decodes; the
 * version 1 card of the same holder is the control.
 */
const AT = Date.UTC(2026, 2, 2, 8, 30);
const roots = { gen2: [fromHex(TestPki.of().erca.certificate)], gen1: [TestPkiG1.of().eurPublicKeyBytes()] };
const v2 = <C extends VirtualCard>(c: C): C => ({ ...c, structureVersion: 2 });
const efOf = (card: VirtualCard, df: string, fid: number) => cardImage(card, TEST_PKI_DEFAULT_SEED).efs.find((e) => e.df === df && e.fid === fid)?.data;

/**
 * A control or company card's download as the rig makes it (README, card downloads): the card's EFs in DDP_035
 * order, DF Tachograph signed with its gen1 RSA key, DF Tachograph_G2 with its Card_MA key, the one it has (CSM_83).
 * Not through its APDUs: App. 2 TCS_26 gives these cards no PERFORM HASH OF FILE nor PSO: COMPUTE DIGITAL
 * SIGNATURE, and the VU's TRTP 06 is a driver card's only (DDP_047).
 */
function download(card: VirtualCard): Uint8Array {
  const cardMa = cardCredentials(card, TEST_PKI_DEFAULT_SEED).cardMa.key;
  return encodeCardDownload(cardImage(card, TEST_PKI_DEFAULT_SEED), { g1: cardSignerG1(card, TEST_PKI_DEFAULT_SEED), g2: (data) => signPlain(cardMa, data) });
}

const CARDS = [
  { name: 'control', card: carla, type: '03', activity: FID.CONTROLLER_ACTIVITY_DATA, activityEf: 'Controller_Activity_Data' },
  { name: 'company', card: acme, type: '04', activity: FID.COMPANY_ACTIVITY_DATA, activityEf: 'Company_Activity_Data' },
] as const;

describe.each(CARDS)('a version 2 gen2 $name card (App. 2 TCS_168/176 notes)', ({ card, type, activity, activityEf }) => {
  it('is personalised with cardStructureVersion {01 01}, EF Application_Identification_V2 {00 02 0C 00} and a 3072-byte EF VU_Configuration, in DF Tachograph_G2 only', () => {
    const version2 = v2(card);
    // TCS_170/178: typeOfTachographCardId, cardStructureVersion {01 01}, n7/n8 = 230
    expect(toHex(efOf(version2, 'tachograph-g2', FID.APPLICATION_IDENTIFICATION)!)).toBe(`${type}010100e6`);
    // 2.50a / 2.48a: lengthOfFollowingData 2, VuConfigurationLengthRange 3072 (TCS_171/179 n13)
    expect(toHex(efOf(version2, 'tachograph-g2', FID.APPLICATION_IDENTIFICATION_V2)!)).toBe('00020c00');
    expect(efOf(version2, 'tachograph-g2', FID.VU_CONFIGURATION)).toEqual(new Uint8Array(3072));
    // DF Tachograph stays the generation 1 application ({00 00}), without version 2 EFs
    expect(toHex(efOf(version2, 'tachograph', FID.APPLICATION_IDENTIFICATION)!)).toBe(`${type}000000e6`);
    expect([efOf(version2, 'tachograph', FID.APPLICATION_IDENTIFICATION_V2), efOf(version2, 'tachograph', FID.VU_CONFIGURATION)]).toEqual([undefined, undefined]);
    // control: version 1 ({01 00}) has neither EF
    expect(toHex(efOf(card, 'tachograph-g2', FID.APPLICATION_IDENTIFICATION)!)).toBe(`${type}010000e6`);
    expect([efOf(card, 'tachograph-g2', FID.APPLICATION_IDENTIFICATION_V2), efOf(card, 'tachograph-g2', FID.VU_CONFIGURATION)]).toEqual([undefined, undefined]);
    // the rest of the application is the version 1 card's, byte for byte
    expect(efOf(version2, 'tachograph-g2', activity)).toEqual(efOf(card, 'tachograph-g2', activity));
  });

  it('its download (DDP_035) carries the two EFs signed with its Card_MA key, verifies, and decodes as gen2v2; the version 1 card carries neither', () => {
    const file = download(v2(card));
    const verdict = verifyCardFile(file, roots.gen2, AT, roots.gen1);
    expect([verdict.ok, verdict.problems]).toEqual([true, []]);
    const full = verifyCardDownload(file, { rootCertificates: roots.gen2, europeanPublicKeys: roots.gen1 }, { at: AT });
    expect(full.verdicts.filter((x) => x.block.startsWith('DF Tachograph_G2') && x.status === 'verified').map((x) => x.block)).toEqual([
      'DF Tachograph_G2 EF Identification',
      'DF Tachograph_G2 EF Application_Identification',
      `DF Tachograph_G2 EF ${activityEf}`,
      'DF Tachograph_G2 EF Application_Identification_V2',
      'DF Tachograph_G2 EF VU_Configuration',
    ]);
    // what `rig decode` prints (cli.ts: decodeDownloadFile)
    const decoded = decodeDownloadFile(file, { eurPublicKeys: roots.gen1 });
    if (decoded.kind !== 'card') throw new Error('not a card file');
    expect([decoded.generation, decoded.cardType, hasProblems(decoded)]).toEqual(['gen2v2', card.type, false]);
    const ef = (fid: number) => decoded.efs.find((e) => e.df === 'tachograph-g2' && e.fid === fid);
    const aiV2 = ef(FID.APPLICATION_IDENTIFICATION_V2);
    expect([aiV2?.size, aiV2 && 'record' in aiV2 ? aiV2.record : undefined]).toEqual([4, { lengthOfFollowingData: 2, vuConfigurationLengthRange: 3072 }]);
    const vuConfiguration = ef(FID.VU_CONFIGURATION);
    expect([vuConfiguration?.size, vuConfiguration && 'record' in vuConfiguration ? vuConfiguration.record : undefined]).toEqual([3072, { vuConfigurations: '00'.repeat(3072) }]);

    // control: the version 1 card's download has neither, verifies, and is gen2v1
    const v1 = download(card);
    expect(verifyCardFile(v1, roots.gen2, AT, roots.gen1).ok).toBe(true);
    const d1 = decodeDownloadFile(v1, { eurPublicKeys: roots.gen1 });
    if (d1.kind !== 'card') throw new Error('not a card file');
    expect([d1.generation, d1.efs.filter((e) => e.fid === FID.APPLICATION_IDENTIFICATION_V2 || e.fid === FID.VU_CONFIGURATION).length]).toEqual(['gen2v1', 0]);
  });

  it('a VU cannot download it through its APDUs: the card has no PERFORM HASH OF FILE (App. 2 TCS_26), the VU is told so', () => {
    const device = new CardEmulator(v2(card), { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(1, 'card') });
    expect(downloadCardThroughApdus((b) => device.transmit(b), v2(card), AT)).toEqual({ ok: false, reason: 'PERFORM HASH OF FILE 501: 6985' });
  });

  it('a tampered version 2 EF fails its signature (the check can fail)', () => {
    const file = download(v2(card));
    const decoded = decodeDownloadFile(file);
    if (decoded.kind !== 'card') throw new Error('not a card file');
    const vuConfiguration = decoded.efs.find((e) => e.df === 'tachograph-g2' && e.fid === FID.VU_CONFIGURATION)!;
    const damaged = Uint8Array.from(file);
    damaged[vuConfiguration.offset + 5 + 100] ^= 0x01;
    const verdict = verifyCardDownload(damaged, { rootCertificates: roots.gen2, europeanPublicKeys: roots.gen1 }, { at: AT });
    expect([verdict.ok, verdict.verdicts.filter((x) => x.status === 'failed').map((x) => x.block)]).toEqual([false, ['DF Tachograph_G2 EF VU_Configuration']]);
  });

  it('keeps the access rules of TCS_168/176: EF Application_Identification_V2 is never updated, EF VU_Configuration only under secure messaging', () => {
    const device = new CardEmulator(v2(card), { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(1, 'card') });
    const sw = (c: Parameters<typeof encodeCommand>[0]) => toHex(device.transmit(encodeCommand(c)).subarray(-2));
    expect(sw(selectByAid(Uint8Array.of(0xff, 0x53, 0x4d, 0x52, 0x44, 0x54)))).toBe('9000');
    for (const fid of [FID.APPLICATION_IDENTIFICATION_V2, FID.VU_CONFIGURATION]) {
      expect(sw(selectByFid(fid))).toBe('9000');
      // TCS_29: '6982' security status not satisfied (NEV; SM-MAC-G2 in plain)
      expect(sw(updateBinary(0, Uint8Array.of(1)))).toBe('6982');
    }
    expect(device.memory.files['tachograph-g2/0525']).toBe('00020c00');
  });
});

describe('structureVersion of control and company cards (card options)', () => {
  it('defaults to 1; 2 is refused on a generation 1 card, with the rule driver and workshop cards have', () => {
    expect([carla.structureVersion, acme.structureVersion]).toEqual([1, 1]);
    const gen1Control = { ...controlCardSchema.parse({ ...carla }), generation: 1 as const };
    expect(() => cardSchema.parse({ ...gen1Control, structureVersion: 2 })).toThrow('structureVersion 2 is a generation 2 card structure: a generation 1 card has version 1');
    expect(() => companyCardSchema.parse({ ...acme, generation: 1, structureVersion: 2 })).toThrow('structureVersion 2 is a generation 2 card structure: a generation 1 card has version 1');
    expect(() => companyCardSchema.parse({ ...acme, structureVersion: 3 })).toThrow('structureVersion is 1 or 2');
    // positive control: generation 2, version 2 is taken
    expect(controlCardSchema.parse({ ...carla, structureVersion: 2 }).structureVersion).toBe(2);
  });
});
