import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { decodeCertificate } from '../../crypto/pki/cv-certificate.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { openG1Certificate, verifyDataG1 } from '../../crypto/pki-g1/index.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { decodeCardDownload, FID, readCardTlvs, verifyCardDownload, verifyCardFile } from '../../protocols/card-files/index.ts';
import type { FileVerification } from '../../protocols/file-verification.ts';
import { cardCredentials, cardG1Credentials } from './card-credentials.ts';
import { anna } from './test-cards.ts';
import { driverCardDownload, driverCardImage } from './driver-card-image.ts';

const AT = Date.UTC(2026, 2, 2, 8);
const root = fromHex(TestPki.of().erca.certificate);
const eur = TestPkiG1.of().eurPublicKeyBytes();
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

  it('gen1 certificates (App. 11 Part A): Card_Certificate for the same serial number issued by the test MS, CA_Certificate the MS issued by EUR', () => {
    const ca = ef('tachograph', FID.CA_CERTIFICATE);
    const card = ef('tachograph', FID.CARD_CERTIFICATE);
    expect([ca.length, card.length]).toEqual([194, 194]);
    expect(toHex(ca)).toBe(TestPkiG1.of().ms.certificate);
    // the CAR in clear after Sign ‖ Cn'
    expect(toHex(card.subarray(186))).toBe('0642202001ffff01');
    const ms = openG1Certificate(ca, TestPkiG1.of().eurKey);
    expect(openG1Certificate(card, ms.publicKey)).toEqual({
      cpi: 1,
      car: '0642202001ffff01',
      applicationId: 'ff544143484f',
      equipmentType: 1,
      endOfValidity: Date.UTC(2030, 11, 31, 23, 59, 59),
      chr: '8dba777301250140',
      publicKey: { modulus: cardG1Credentials(anna).card.key.modulus, publicExponent: '0000000000010001' },
    });
  });
});

describe('a driver card download (DDP_035, DDP_046)', () => {
  const roots = { rootCertificates: [root], europeanPublicKeys: [eur] };
  const statuses = (v: FileVerification) => v.verdicts.map((x) => `${x.block}: ${x.status}${x.status === 'verified' ? '' : ` (${x.reason})`}`);

  it('a gen2 card: common files; each DF its certificates unsigned, then every other EF followed by its signature (128 bytes RSA in DF Tachograph, 64 ECDSA in DF Tachograph_G2)', () => {
    const file = driverCardDownload(anna);
    expect(tagsOf(file)).toEqual([
      '000200/25', '000500/8',
      'c10000/194', 'c10800/194',
      '050100/10', '050101/128', '052000/143', '052001/128', '052100/53', '052101/128', '050200/1728', '050201/128', '050300/1152', '050301/128',
      '050400/13780', '050401/128', '050500/6202', '050501/128', '050600/1121', '050601/128', '050700/19', '050701/128', '050800/46', '050801/128',
      '052200/280', '052201/128',
      'c10102/205', 'c10802/205',
      '050102/17', '050103/64', '052002/143', '052003/64', '052102/53', '052103/64', '050202/3168', '050203/64', '050302/1152', '050303/64',
      '050402/13780', '050403/64', '050502/9602', '050503/64', '050602/2354', '050603/64', '050702/19', '050703/64', '050802/46', '050803/64',
      '052202/562', '052203/64', '052302/2002', '052303/64', '052402/6050', '052403/64',
    ]);
    // 65 360 before the gen1 signatures, and 11 TLVs of 5 + 128 bytes more
    expect(file.length).toBe(66_823);
    const v = verifyCardDownload(file, roots);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    // a card that recorded nothing: judged when its newest certificate took effect (the test MSCA's), not now
    expect([new Date(v.at).toISOString(), v.atSource]).toEqual(['2025-07-02T15:00:00.000Z', 'the latest time the file records: DF Tachograph_G2 EF CA_Certificate effectiveDate']);
    expect(statuses(v).slice(0, 5)).toEqual([
      'MF EF ICC: unsigned (DDP_035: EF ICC and EF IC are downloaded unsigned)',
      'MF EF IC: unsigned (DDP_035: EF ICC and EF IC are downloaded unsigned)',
      'DF Tachograph EF Card_Certificate: unsigned (DDP_035: downloaded unsigned; the chain verifies to the European public key fd45432001ffff01)',
      'DF Tachograph EF CA_Certificate: unsigned (DDP_035: downloaded unsigned; the chain verifies to the European public key fd45432001ffff01)',
      'DF Tachograph EF Application_Identification: verified',
    ]);
    expect(v.verdicts.filter((x) => x.status === 'verified')).toHaveLength(24);
    expect(v.verdicts.filter((x) => x.status === 'unsigned').map((x) => x.block)).toEqual([
      'MF EF ICC', 'MF EF IC', 'DF Tachograph EF Card_Certificate', 'DF Tachograph EF CA_Certificate', 'DF Tachograph_G2 EF CardSignCertificate', 'DF Tachograph_G2 EF CA_Certificate',
    ]);
    expect(v.verdicts.find((x) => x.block === 'DF Tachograph_G2 EF Identification')).toEqual({ block: 'DF Tachograph_G2 EF Identification', offset: 27004, status: 'verified' });
  });

  it("the gen1 signatures are CSM_034's over each EF with the card's RSA key", () => {
    const tlvs = readCardTlvs(driverCardDownload(anna));
    const data = tlvs.find((t) => t.fid === FID.IDENTIFICATION && t.appendix === 0)!;
    const signature = tlvs.find((t) => t.fid === FID.IDENTIFICATION && t.appendix === 1)!;
    expect(verifyDataG1(cardG1Credentials(anna).card.key, data.value, signature.value)).toBe(true);
    expect(verifyDataG1(cardG1Credentials(anna, 5).card.key, data.value, signature.value)).toBe(false);
  });

  it('a changed byte fails that EF only, naming its DF; a changed certificate fails the certificate and what its chain signs', () => {
    const flip = (appendix: number, fid: number) => {
      const file = driverCardDownload(anna);
      const t = readCardTlvs(file).find((x) => x.fid === fid && x.appendix === appendix)!;
      file[t.value.byteOffset - file.byteOffset + 20] ^= 0x01;
      const v = verifyCardDownload(file, roots);
      expect(v.ok).toBe(false);
      return v.verdicts.filter((x) => x.status === 'failed').map((x) => `${x.block}: ${x.reason}`);
    };
    expect(flip(2, FID.IDENTIFICATION)).toEqual(['DF Tachograph_G2 EF Identification: signature verification failed']);
    expect(flip(0, FID.IDENTIFICATION)).toEqual(['DF Tachograph EF Identification: signature verification failed']);
    expect(flip(0, FID.DRIVER_ACTIVITY_DATA)).toEqual(['DF Tachograph EF Driver_Activity_Data: signature verification failed']);
    expect(flip(1, FID.PLACES)).toEqual(['DF Tachograph EF Places: signature verification failed']);
    const card = flip(0, FID.CARD_CERTIFICATE);
    expect(card[0]).toBe("DF Tachograph EF Card_Certificate: EQT certificate: the opened signature does not run '6A' … 'BC' (it starts 73, ends f2)");
    expect(card.slice(1)).toHaveLength(11);
    expect(card[1]).toBe('DF Tachograph EF Application_Identification: not verified: the certificate chain fails at DF Tachograph EF Card_Certificate');
    expect(flip(0, FID.CA_CERTIFICATE)[0]).toBe("DF Tachograph EF CA_Certificate: EQT.CA certificate: the opened signature does not run '6A' … 'BC' (it starts de, ends 95)");
    const sign = flip(2, FID.CARD_SIGN_CERTIFICATE);
    expect(sign[0]).toMatch(/^DF Tachograph_G2 EF CardSignCertificate: EQT certificate: /);
    expect(sign.slice(1).every((x) => x.startsWith('DF Tachograph_G2 '))).toBe(true);
  });

  it('trusts only the keys it is given: a root of the same name but another key fails; a root not given is unknown', () => {
    const file = driverCardDownload(anna);
    // the test PKI of seed 5 names its root as seed 7027's does (TEST_ERCA_KID): the MSCA certificate is not signed by it
    const other = verifyCardDownload(file, { rootCertificates: [fromHex(TestPki.of({ seed: 5 }).erca.certificate)], europeanPublicKeys: [eur] });
    expect(other.verdicts.find((x) => x.block === 'DF Tachograph_G2 EF CA_Certificate')).toMatchObject({ status: 'failed', reason: 'EQT.CA certificate: signature does not verify with the key of fd45432001ffff01' });
    const none = verifyCardDownload(file, { rootCertificates: [], europeanPublicKeys: [eur] });
    expect(none.ok).toBe(false);
    const g2 = none.verdicts.filter((x) => x.block.startsWith('DF Tachograph_G2'));
    expect(g2.find((x) => x.block === 'DF Tachograph_G2 EF CA_Certificate')).toMatchObject({ status: 'unknown-root', reason: 'EQT.CA certificate: CAR fd45432001ffff01 names no trusted root' });
    // the card's own signatures still check against its key: each signed EF is unknown-root, none failed
    expect(g2.filter((x) => x.status === 'unknown-root')).toHaveLength(14);
    expect(none.verdicts.filter((x) => x.status === 'failed')).toEqual([]);
    const nothing = verifyCardDownload(file, { rootCertificates: [], europeanPublicKeys: [] });
    expect(new Set(nothing.verdicts.map((x) => x.status))).toEqual(new Set(['unsigned', 'unknown-root']));
    expect(nothing.verdicts.find((x) => x.block === 'DF Tachograph EF CA_Certificate')).toMatchObject({ status: 'unknown-root', reason: 'no European public key given to verify DF Tachograph with (CSM_035)' });
    // seed 5's EUR modulus is below the MS certificate's signature: raw RSA refuses it before any '6A' … 'BC' check
    const g1 = verifyCardDownload(file, { rootCertificates: [root], europeanPublicKeys: [TestPkiG1.of({ seed: 5 }).eurPublicKeyBytes()] });
    expect(g1.verdicts.find((x) => x.block === 'DF Tachograph EF CA_Certificate')).toMatchObject({ status: 'failed', reason: "EQT.CA certificate: the signature is not below the issuer's modulus" });
  });

  it('a damaged EF in an unknown-root file still fails: the signature does not match the card key', () => {
    const file = driverCardDownload(anna);
    const t = readCardTlvs(file).find((x) => x.fid === FID.PLACES && x.appendix === 2)!;
    file[t.value.byteOffset - file.byteOffset + 3] ^= 0x80;
    const v = verifyCardDownload(file, { rootCertificates: [], europeanPublicKeys: [eur] });
    expect(v.verdicts.filter((x) => x.status === 'failed')).toEqual([
      { block: 'DF Tachograph_G2 EF Places', offset: 55346, status: 'failed', reason: "signature verification failed with the card's key (and EQT.CA certificate: CAR fd45432001ffff01 names no trusted root)" },
    ]);
  });

  it('judges certificates at the time given, when the caller knows it: after the card certificate expired, they fail', () => {
    const file = driverCardDownload(anna);
    const late = verifyCardDownload(file, roots, { at: Date.UTC(2031, 0, 1) });
    expect([late.atSource, late.ok]).toEqual(['given by the caller', false]);
    expect(late.verdicts.filter((x) => x.block.endsWith('Certificate') && x.status === 'failed').map((x) => `${x.block}: ${x.reason}`)).toEqual([
      'DF Tachograph EF Card_Certificate: EQT certificate: expired at 2030-12-31T23:59:59.000Z, checked at 2031-01-01T00:00:00.000Z',
      'DF Tachograph_G2 EF CardSignCertificate: EQT certificate: expired at 2030-12-31T23:59:59.000Z, checked at 2031-01-01T00:00:00.000Z',
    ]);
  });

  it('is the same for the same card and PKI seed, and another seed gives other keys', () => {
    expect(toHex(driverCardDownload(anna))).toBe(toHex(driverCardDownload(anna)));
    expect(cardCredentials(anna, 5).cardSign!.certificate).not.toBe(cardCredentials(anna).cardSign!.certificate);
    expect(cardG1Credentials(anna, 5).card.certificate).not.toBe(cardG1Credentials(anna).card.certificate);
  });

  it('a gen1 card: DF Tachograph only, signed, and it verifies without a gen2 root', () => {
    const file = driverCardDownload({ ...anna, generation: 1 });
    const tags = tagsOf(file);
    expect(tags).toHaveLength(26);
    expect(tags.every((t) => ['00', '01'].includes(t.slice(4, 6)))).toBe(true);
    const v = verifyCardDownload(file, { rootCertificates: [], europeanPublicKeys: [eur] });
    expect([v.ok, v.problems, v.verdicts.filter((x) => x.status === 'verified').length]).toEqual([true, [], 11]);
    // no gen2 certificate and no use recorded: its validity begin
    expect([new Date(v.at).toISOString(), v.atSource]).toEqual(['2025-01-01T00:00:00.000Z', 'EF Identification cardValidityBegin: the file records no use of the card']);
  });

  it('a file without DF Tachograph fails: DDP_035 makes it mandatory', () => {
    const g2Only = readCardTlvs(driverCardDownload(anna)).filter((t) => t.appendix >= 2);
    const bytes = Uint8Array.from(g2Only.flatMap((t) => [t.fid >>> 8, t.fid & 0xff, t.appendix, t.value.length >>> 8, t.value.length & 0xff, ...t.value]));
    expect(verifyCardDownload(bytes, roots)).toMatchObject({ ok: false, problems: ['no DF Tachograph files (DDP_035: mandatory for every card)'] });
  });

  it('verifyCardFile, the earlier result shape, says the same', () => {
    const file = driverCardDownload(anna);
    expect(verifyCardFile(file, [root], AT, [eur])).toMatchObject({ ok: true, problems: [] });
    expect(verifyCardFile(file, [root], AT, [eur]).verified).toHaveLength(24);
    expect(verifyCardFile(file, [], AT, [eur]).problems[0]).toBe('DF Tachograph_G2 EF CA_Certificate: EQT.CA certificate: CAR fd45432001ffff01 names no trusted root');
  });
});

describe("the emulator's driver card file read back whole (decodeCardDownload)", () => {
  it.each([2, 1] as const)('gen%i: every EF typed, none with a problem, the identification as written', (generation) => {
    const d = decodeCardDownload(driverCardDownload({ ...anna, generation }));
    expect(d.problems).toEqual([]);
    expect(d.efs.filter((e) => e.type === 'unknown' || e.type === 'undecodable' || e.problems.length > 0)).toEqual([]);
    expect([d.cardType, d.generation, d.structure]).toEqual(['driver', generation, generation === 2 ? 'gen2v1' : 'gen1']);
    // EF ICC and IC, then per DF 2 certificates and 11 (gen2: 13) signed EFs
    expect(d.efs).toHaveLength(generation === 2 ? 30 : 15);
    const identification = d.efs.find((e) => e.type === 'CardIdentification' && e.df === (generation === 2 ? 'tachograph-g2' : 'tachograph'));
    expect(identification).toMatchObject({
      record: {
        cardIdentification: { cardIssuingMemberState: 6, cardNumber: 'B000000012345601', cardIssuingAuthorityName: '', cardValidityBegin: '2025-01-01T00:00:00.000Z', cardExpiryDate: '2030-12-31T00:00:00.000Z' },
        cardHolderIdentification: { cardHolderName: { holderSurname: 'PEETERS', holderFirstNames: 'Anna' }, cardHolderBirthDate: null, cardHolderPreferredLanguage: 'en' },
      },
    });
    // the rig's VU does not write its cards yet: every record set holds App. 2 defaults, read as unused
    expect(d.summary).toMatchObject({ holder: 'PEETERS Anna', cardNumber: 'B000000012345601', activities: null });
    expect(Object.values(d.summary.counts).flatMap((c) => Object.values(c)).every((n) => n === 0)).toBe(true);
  });
});
