import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertificateChainError } from '../pki/chain.ts';
import { fromHex, toHex } from '../bytes.ts';
import { verifyG1Chain } from './chain-g1.ts';
import { decodeEuropeanPublicKey, encodeEuropeanPublicKey } from './european-public-key.ts';
import { G1_EQUIPMENT_TYPE, issueG1Certificate, openG1Certificate } from './rsa-certificate.ts';
import { publicKeyOf } from './rsa-keys.ts';
import { TestPkiG1 } from './test-pki-g1.ts';

const pki = TestPkiG1.of();
const sha256 = (hex: string) => createHash('sha256').update(fromHex(hex)).digest('hex');
const CHR = fromHex('8dba777301250140');
const EOV = Date.UTC(2030, 11, 31, 23, 59, 59);
const AT = Date.UTC(2026, 2, 2, 8);

describe('the gen1 test PKI (CSM_006..011)', () => {
  it('is the same on every machine for seed 7027 (the default): golden digests of the EUR and MS moduli and the MS certificate', () => {
    expect(pki.seed).toBe(7027);
    expect(sha256(pki.eurKey.modulus)).toBe('1b25bcc00fd520992ff5c961340fdfb0537e1d01c7a22bff48eaa1dbe4d688e9');
    expect(sha256(pki.ms.key.modulus)).toBe('91a46b5eca6a1e494e1aeeb1a63018bccb6e8bec6ce122bd4285c9ed672d593b');
    expect(sha256(pki.ms.certificate)).toBe('033ca7d4cd45a7dd34634668aa25fd0282b4fb932715390973f60ffcd9784983');
    expect(sha256(TestPkiG1.of({ seed: 5 }).eurKey.modulus)).toBe('0df8799f657e18fd3666b97cbcc24a74891433f646d6b8670e2abb538d5735ce');
    expect(TestPkiG1.of()).toBe(pki);
  });

  it('EUR.PK in its 144-byte form: KID ‖ n ‖ e', () => {
    const eur = pki.eurPublicKeyBytes();
    expect(eur.length).toBe(144);
    expect(toHex(eur)).toBe('fd45432001ffff01' + pki.eurKey.modulus + '0000000000010001');
    expect(toHex(encodeEuropeanPublicKey(decodeEuropeanPublicKey(eur)))).toBe(toHex(eur));
    expect(() => decodeEuropeanPublicKey(eur.subarray(8))).toThrow('a European public key is 144 bytes (KID 8 ‖ n 128 ‖ e 8), not 136');
  });

  it('the MS certificate: issued by EUR, CHA type 00, CHR the MS KID, ends with the gen2 MSCA (2042-10-02T04:30Z)', () => {
    const ms = openG1Certificate(fromHex(pki.ms.certificate), pki.eurKey);
    expect(ms).toEqual({
      cpi: 1,
      car: 'fd45432001ffff01',
      applicationId: 'ff544143484f',
      equipmentType: 0,
      endOfValidity: 0x88d7b148 * 1000,
      chr: '0642202001ffff01',
      publicKey: publicKeyOf(pki.ms.key),
    });
    expect(new Date(ms.endOfValidity!).toISOString()).toBe('2042-10-02T04:30:00.000Z');
  });

  it('an equipment key per CHR, its certificate per type and end of validity', () => {
    const card = pki.equipment(CHR, G1_EQUIPMENT_TYPE.driverCard, EOV);
    expect(pki.equipment(CHR, G1_EQUIPMENT_TYPE.driverCard, EOV)).toBe(card);
    expect(pki.equipment(CHR, G1_EQUIPMENT_TYPE.workshopCard, null).key).toEqual(card.key);
    expect(pki.equipment(fromHex('8dba777401250140'), G1_EQUIPMENT_TYPE.driverCard, EOV).key.modulus).not.toBe(card.key.modulus);
    expect(openG1Certificate(fromHex(card.certificate), pki.ms.key)).toMatchObject({ car: '0642202001ffff01', chr: '8dba777301250140', equipmentType: 1, endOfValidity: EOV });
  });
});

describe('gen1 chain verification (CSM_019 down to EUR.PK)', () => {
  const card = pki.equipment(CHR, G1_EQUIPMENT_TYPE.driverCard, EOV);
  const input = { eqt: fromHex(card.certificate), ca: fromHex(pki.ms.certificate), eurPublicKeys: [pki.eurPublicKeyBytes()], at: AT };
  const failure = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      return error instanceof CertificateChainError ? `${error.role}/${error.problem}: ${error.message}` : String(error);
    }
    return 'no error';
  };

  it('unwraps MS.PK with EUR.PK, then the card key with MS.PK', () => {
    const chain = verifyG1Chain(input);
    expect([chain.eur.kid, chain.ca.chr, chain.eqt.chr, chain.eqt.publicKey]).toEqual(['fd45432001ffff01', '0642202001ffff01', '8dba777301250140', publicKeyOf(card.key)]);
  });

  it('refuses an untrusted EUR key, a CAR naming no trusted key, a wrong CHA, an expired certificate, an EQT of another MS', () => {
    const other = TestPkiG1.of({ seed: 5 });
    const otherEur = decodeEuropeanPublicKey(other.eurPublicKeyBytes());
    expect(failure(() => verifyG1Chain({ ...input, eurPublicKeys: [other.eurPublicKeyBytes()] }))).toBe("EQT.CA/signature: EQT.CA certificate: the signature is not below the issuer's modulus");
    const renamed = encodeEuropeanPublicKey({ ...otherEur, kid: 'fd45432002ffff01' });
    expect(failure(() => verifyG1Chain({ ...input, eurPublicKeys: [renamed] }))).toBe('EQT.CA/issuer: EQT.CA certificate: CAR fd45432001ffff01 names no trusted European public key');
    expect(failure(() => verifyG1Chain({ ...input, eqtTypes: [G1_EQUIPMENT_TYPE.workshopCard] }))).toBe('EQT/cha: EQT certificate: CHA equipment type 1 does not indicate a tachograph card');
    expect(failure(() => verifyG1Chain({ ...input, at: EOV + 1000 }))).toBe('EQT/expired: EQT certificate: expired at 2030-12-31T23:59:59.000Z, checked at 2031-01-01T00:00:00.000Z');
    const foreign = issueG1Certificate({ car: fromHex('0642202002ffff01'), equipmentType: 1, endOfValidity: EOV, chr: CHR, publicKey: publicKeyOf(card.key) }, pki.ms.key);
    expect(failure(() => verifyG1Chain({ ...input, eqt: foreign }))).toBe('EQT/issuer: EQT certificate: CAR 0642202002ffff01 is not the CHR 0642202001ffff01 of the Member State certificate');
    // a card certificate in the CA's place: its CAR names no EUR key
    expect(failure(() => verifyG1Chain({ ...input, ca: input.eqt }))).toBe('EQT.CA/issuer: EQT.CA certificate: CAR 0642202001ffff01 names no trusted European public key');
  });
});
