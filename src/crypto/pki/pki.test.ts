import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes.ts';
import { createRng } from '../random.ts';
import { decodeCertificate, encodeCertificateBody, EQUIPMENT_TYPE, issueCertificate } from './cv-certificate.ts';
import { deriveKeyPair, keyPairFromPrivate, privateKeyObject, signPlain, verifyPlain } from './ec-keys.ts';
import { CertificateChainError, verifyChain } from './chain.ts';
import { encodeCertificationAuthorityKid, encodeExtendedSerialNumber } from './key-identifier.ts';
import { TestPki, TEST_MSCA_KID, VU_VALIDITY_MS } from './test-pki.ts';
import { loadCredential, readPrivateKeyFile } from './key-files.ts';
import { readTlv } from './tlv.ts';

const SERIAL = { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 };
const AT = Date.UTC(2026, 5, 1);

function chainError(fn: () => unknown): CertificateChainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CertificateChainError) return error;
    throw error;
  }
  throw new Error('expected a CertificateChainError');
}

describe('EC keys', () => {
  it('derives the RFC 7027 A.1 brainpoolP256r1 public point from its private key (independent vector)', () => {
    const pair = keyPairFromPrivate('brainpoolP256r1', fromHex('81DB1EE100150FF2EA338D708271BE38300CB54241D79950F77B063039804F1D'));
    expect(pair.publicPoint).toBe(
      '04' + '44106e913f92bc02a1705d9953a8414db95e1aaa49e81d9e85f929a8e3100be5' + '8ab4846f11caccb73ce49cbdd120f5a900a69fd32c272223f789ef10eb089bdc',
    );
  });

  it('draws the same key from the same seeded stream and signs in plain r ‖ s that verifies only for the same data', () => {
    const a = deriveKeyPair(createRng(1, 'k'));
    expect(deriveKeyPair(createRng(1, 'k'))).toEqual(a);
    expect(deriveKeyPair(createRng(2, 'k')).privateKey).not.toBe(a.privateKey);
    const data = fromHex('01 02 03');
    const sig = signPlain(a, data);
    expect(sig.length).toBe(64);
    expect(verifyPlain('brainpoolP256r1', fromHex(a.publicPoint), data, sig)).toBe(true);
    expect(verifyPlain('brainpoolP256r1', fromHex(a.publicPoint), fromHex('01 02 04'), sig)).toBe(false);
  });

  it('rejects a public point that is not on the curve (CSM_143)', () => {
    const a = deriveKeyPair(createRng(1, 'k'));
    const bad = fromHex(a.publicPoint);
    bad[64] ^= 1;
    expect(() => verifyPlain('brainpoolP256r1', bad, fromHex('00'), new Uint8Array(64))).toThrow(/not a valid point/);
  });
});

describe('CV certificates (App. 11 §9.3, Table 4)', () => {
  it('encodes the body with every tag and length of Table 4, in order', () => {
    const key = keyPairFromPrivate('brainpoolP256r1', fromHex('81DB1EE100150FF2EA338D708271BE38300CB54241D79950F77B063039804F1D'));
    const body = encodeCertificateBody({
      car: encodeCertificationAuthorityKid(TEST_MSCA_KID),
      chr: encodeExtendedSerialNumber(SERIAL),
      equipmentType: EQUIPMENT_TYPE.vehicleUnitSign,
      curve: 'brainpoolP256r1',
      publicPoint: fromHex(key.publicPoint),
      effectiveDate: Date.UTC(2026, 0, 1),
      expirationDate: Date.UTC(2041, 3, 1),
    });
    expect(toHex(body)).toBe(
      '7f4e8182' +
        '5f290100' +
        '4208' + '0642202001ffff01' +
        '5f4c07' + 'ff534d524454' + '13' +
        '7f494e' + '0609' + '2b2403030208010107' + '8641' + key.publicPoint +
        '5f2008' + '00000001' + '0126' + '06' + '40' +
        '5f2504' + '6955b900' +
        '5f2404' + '8603aa80',
    );
  });

  it('issues a certificate whose signature covers the body and that decodes back', () => {
    const pki = TestPki.of();
    const vu = pki.vu(SERIAL);
    const der = fromHex(vu.vuSign.certificate);
    expect(toHex(der.subarray(0, 4))).toBe('7f2181c9');
    expect(der.length).toBe(4 + der[3]!);
    const cert = decodeCertificate(der);
    expect(cert.equipmentType).toBe(19);
    expect(cert.chr).toBe('0000000101260640');
    expect(cert.car).toBe(toHex(encodeCertificationAuthorityKid(TEST_MSCA_KID)));
    expect(cert.publicPoint).toBe(vu.vuSign.key.publicPoint);
    expect(decodeCertificate(fromHex(vu.vuMa.certificate)).equipmentType).toBe(6);
    expect(vu.vuMa.key.privateKey).not.toBe(vu.vuSign.key.privateKey);
    const sig = readTlv(der, 4 + 4 + 0x82);
    expect(sig.tag).toBe(0x5f37);
    expect(sig.value.length).toBe(64);
  });

  it('rejects a certificate that is not Table 4', () => {
    const der = fromHex(TestPki.of().vu(SERIAL).vuSign.certificate);
    const wrongTag = der.slice();
    wrongTag[1] = 0x22;
    expect(() => decodeCertificate(wrongTag)).toThrow(/expected '7F21'/);
    expect(() => decodeCertificate(der.subarray(0, der.length - 1))).toThrow(/truncated/);
  });
});

describe('chain verification (CSM_234)', () => {
  const pki = TestPki.of();
  const vu = pki.vu(SERIAL, Date.UTC(2026, 0, 1));
  const chain = { eqt: fromHex(vu.vuSign.certificate), ca: fromHex(vu.mscaCertificate), roots: [fromHex(vu.rootCertificate)], at: AT };

  it('accepts the VU_Sign → MSCA → ERCA chain', () => {
    const ok = verifyChain(chain);
    expect(ok.eqt.chr).toBe(toHex(encodeExtendedSerialNumber(SERIAL)));
    expect(ok.root.equipmentType).toBe(13);
  });

  it('rejects a VU_MA certificate as EQT: wrong CHA', () => {
    const e = chainError(() => verifyChain({ ...chain, eqt: fromHex(vu.vuMa.certificate) }));
    expect([e.role, e.problem]).toEqual(['EQT', 'cha']);
    expect(e.message).toBe('EQT certificate: CHA equipment type 6 does not indicate a signing certificate');
  });

  it('rejects an MSCA slot holding the root: wrong CHA', () => {
    const e = chainError(() => verifyChain({ ...chain, ca: fromHex(vu.rootCertificate) }));
    expect([e.role, e.problem]).toEqual(['EQT.CA', 'cha']);
  });

  it('refuses an MSCA whose public point is no uncompressed point (a damaged file) as a chain error, not a crash', () => {
    const ca = fromHex(vu.mscaCertificate);
    // the public point's DO '86 41' then 04 ‖ X ‖ Y (CSM_143): 05 is no uncompressed point
    const at = toHex(ca).indexOf('864104') / 2 + 2;
    ca[at] = 0x05;
    const e = chainError(() => verifyChain({ ...chain, ca }));
    expect([e.role, e.problem]).toEqual(['EQT', 'structure']);
    expect(e.message).toBe('EQT certificate: the key of 0642202001ffff01 cannot verify: public point must be uncompressed (04 ‖ X ‖ Y, 65 bytes) per CSM_143');
  });

  it('rejects an expired VU_Sign certificate', () => {
    const at = Date.UTC(2026, 0, 1) + VU_VALIDITY_MS + 1000;
    const e = chainError(() => verifyChain({ ...chain, at }));
    expect([e.role, e.problem]).toEqual(['EQT', 'expired']);
  });

  it('rejects a certificate used before its effective date', () => {
    const e = chainError(() => verifyChain({ ...chain, at: Date.UTC(2025, 11, 31) }));
    expect([e.role, e.problem]).toEqual(['EQT', 'not-yet-valid']);
  });

  it('rejects a chain from another issuer: another PKI root, and a certificate signed by the wrong key', () => {
    const other = TestPki.of({ seed: 99 });
    const e1 = chainError(() => verifyChain({ ...chain, roots: [fromHex(other.erca.certificate)] }));
    expect([e1.role, e1.problem]).toEqual(['EQT.CA', 'signature']);
    const e2 = chainError(() => verifyChain({ ...chain, ca: fromHex(other.msca.certificate) }));
    expect(e2.role).toBe('EQT');
    expect(e2.problem).toBe('signature');
    // a certificate naming an issuer that is not the one presented
    const forged = issueCertificate(
      {
        car: encodeCertificationAuthorityKid({ ...TEST_MSCA_KID, keySerialNumber: 2 }),
        chr: encodeExtendedSerialNumber(SERIAL),
        equipmentType: 19,
        curve: 'brainpoolP256r1',
        publicPoint: fromHex(vu.vuSign.key.publicPoint),
        effectiveDate: Date.UTC(2026, 0, 1),
        expirationDate: Date.UTC(2040, 0, 1),
      },
      pki.msca.key,
    );
    const e3 = chainError(() => verifyChain({ ...chain, eqt: forged }));
    expect([e3.role, e3.problem]).toEqual(['EQT', 'issuer']);
    expect(e3.message).toMatch(/^EQT certificate: CAR 0642202002ffff01 is not the CHR 0642202001ffff01 of its issuer$/);
  });
});

describe('key files', () => {
  it('loads a PEM PKCS#8 brainpool key and its certificate, and a SEC 1 DER P-256 key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pki-'));
    const vu = TestPki.of().vu(SERIAL);
    // the same key exported by OpenSSL as PKCS#8 PEM
    const pem = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    writeFileSync(join(dir, 'other.pem'), pem);
    expect(readPrivateKeyFile(join(dir, 'other.pem')).curve).toBe('brainpoolP256r1');
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'der', type: 'sec1' });
    writeFileSync(join(dir, 'p256.der'), p256);
    expect(readPrivateKeyFile(join(dir, 'p256.der')).curve).toBe('prime256v1');
    // round trip of the VU_Sign key through a file, with its certificate as hex text
    writeFileSync(join(dir, 'vu.pem'), privateKeyObject(vu.vuSign.key).export({ format: 'pem', type: 'pkcs8' }));
    writeFileSync(join(dir, 'vu.cert.hex'), vu.vuSign.certificate.toUpperCase().replace(/(..)/g, '$1 '));
    const loaded = loadCredential(join(dir, 'vu.pem'), join(dir, 'vu.cert.hex'));
    expect(loaded).toEqual(vu.vuSign);
    writeFileSync(join(dir, 'vu.cert.der'), fromHex(vu.vuMa.certificate));
    expect(() => loadCredential(join(dir, 'vu.pem'), join(dir, 'vu.cert.der'))).toThrow(/does not certify/);
  });
});
