import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { decodeCertificate } from '../../crypto/pki/cv-certificate.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { FID, readCardTlvs, verifyCardFile } from '../../protocols/card-files/index.ts';
import { cardCredentials } from './card-credentials.ts';
import { driverCardSchema } from './card-schema.ts';
import { driverCardDownload, driverCardImage } from './driver-card-image.ts';

const anna = driverCardSchema.parse({
  type: 'driver',
  issuingMemberState: 'B',
  cardNumber: 'B000000012345601',
  holder: { surname: 'PEETERS', firstNames: 'Anna' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});
const AT = Date.UTC(2026, 2, 2, 8);
const root = fromHex(TestPki.of().erca.certificate);
const tagsOf = (file: Uint8Array) => readCardTlvs(file).map((t) => `${t.fid.toString(16).padStart(4, '0')}${t.appendix.toString(16).padStart(2, '0')}/${t.value.length}`);

describe("the emulated driver card's EFs", () => {
  const image = driverCardImage(anna);
  const ef = (df: string, fid: number) => image.efs.find((e) => e.df === df && e.fid === fid)!.data;

  it('EF ICC: serial number from SHA-256 of the card identity, month of validity begin, the rig approval number', () => {
    // SHA-256("driver:6:B000000012345601") starts 8dba7773
    expect(toHex(ef('mf', FID.ICC))).toBe('00' + '8dba7773' + '0125' + '01' + '40' + '65312d54432d3031' + '40' + '0000000000' + '0000');
    expect(toHex(ef('mf', FID.IC))).toBe('8dba7773' + '00000000');
  });

  it('EF Identification from the options, the same in both DFs', () => {
    const expected =
      '06' + '42303030303030303132333435363031' + '00' + '20'.repeat(35) + '67748580' + '67748580' + '72bbba80' +
      '01' + '50454554455253' + '20'.repeat(28) + '01' + '416e6e61' + '20'.repeat(31) + '00000000' + '656e';
    expect(toHex(ef('tachograph', FID.IDENTIFICATION))).toBe(expected);
    expect(toHex(ef('tachograph-g2', FID.IDENTIFICATION))).toBe(expected);
  });

  it('gen2 certificates: Card_Sign (type 17) and Card_MA (type 1) for the ICC serial number, issued by the test MSCA', () => {
    const sign = decodeCertificate(ef('tachograph-g2', FID.CARD_SIGN_CERTIFICATE));
    const ma = decodeCertificate(ef('tachograph-g2', FID.CARD_CERTIFICATE));
    expect([sign.chr, sign.equipmentType, ma.chr, ma.equipmentType]).toEqual(['8dba777301250140', 17, '8dba777301250140', 1]);
    expect(sign.car).toBe(decodeCertificate(fromHex(TestPki.of().msca.certificate)).chr);
    expect([new Date(sign.effectiveDate).toISOString(), new Date(sign.expirationDate).toISOString()]).toEqual(['2025-01-01T00:00:00.000Z', '2030-12-31T23:59:59.000Z']);
  });
});

describe('a driver card download (DDP_035, DDP_046)', () => {
  it('a gen2 card: common files, DF Tachograph unsigned, DF Tachograph_G2 with a 64-byte signature after each EF', () => {
    const file = driverCardDownload(anna);
    expect(tagsOf(file)).toEqual([
      '000200/25', '000500/8',
      'c10000/194', 'c10800/194', '050100/10', '052000/143', '052100/53', '050200/1728', '050300/1152', '050400/13780', '050500/6202',
      '050600/1121', '050700/19', '050800/46', '052200/280',
      'c10102/205', 'c10802/205',
      '050102/17', '050103/64', '052002/143', '052003/64', '052102/53', '052103/64', '050202/3168', '050203/64', '050302/1152', '050303/64',
      '050402/13780', '050403/64', '050502/9602', '050503/64', '050602/2354', '050603/64', '050702/19', '050703/64', '050802/46', '050803/64',
      '052202/562', '052203/64', '052302/2002', '052303/64', '052402/6050', '052403/64',
    ]);
    expect(file.length).toBe(65_360);
    const result = verifyCardFile(file, [root], AT);
    expect(result.problems).toEqual([]);
    expect(result.verified).toHaveLength(13);
  });

  it('the signatures are the card key over each EF: a changed byte fails that EF only', () => {
    const file = driverCardDownload(anna);
    const tlvs = readCardTlvs(file);
    const identification = tlvs.find((t) => t.fid === FID.IDENTIFICATION && t.appendix === 2)!;
    file[identification.value.byteOffset - file.byteOffset + 20] ^= 0x01;
    expect(verifyCardFile(file, [root], AT).problems).toEqual(['EF Identification: signature verification failed']);
    expect(verifyCardFile(driverCardDownload(anna), [fromHex(TestPki.of({ seed: 5 }).erca.certificate)], AT).problems[0]).toMatch(/^DF Tachograph_G2 certificates: EQT.CA certificate: signature/);
  });

  it('is the same for the same card and PKI seed, and another seed gives other keys', () => {
    expect(toHex(driverCardDownload(anna))).toBe(toHex(driverCardDownload(anna)));
    expect(cardCredentials(anna, 5).cardSign!.certificate).not.toBe(cardCredentials(anna).cardSign!.certificate);
  });

  it('a gen1 card: DF Tachograph only, and nothing for the Part A signatures the rig cannot make', () => {
    const file = driverCardDownload({ ...anna, generation: 1 });
    const tags = tagsOf(file);
    expect(tags).toHaveLength(15);
    expect(tags.every((t) => t.slice(4, 6) === '00')).toBe(true);
    expect(verifyCardFile(file, [root], AT).problems).toEqual(['no DF Tachograph_G2 files: nothing to verify with App. 11 Part B']);
  });
});
