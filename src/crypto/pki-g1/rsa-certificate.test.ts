import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../bytes.ts';
import { seededDrbg } from './hmac-drbg.ts';
import {
  decodeG1CertificateContent,
  encodeG1CertificateContent,
  g1CertificateCar,
  issueG1Certificate,
  openG1Certificate,
  type G1CertificateInput,
} from './rsa-certificate.ts';
import { bigintOf, bytesOf, deriveRsaKeyPair, publicKeyOf } from './rsa-keys.ts';
import { modPow } from './rsa-test-helpers.ts';

const issuer = deriveRsaKeyPair(seededDrbg(1, 'issuer'));
const holder = deriveRsaKeyPair(seededDrbg(1, 'holder'));
const input: G1CertificateInput = {
  car: fromHex('fd45432001ffff01'),
  equipmentType: 0,
  // 2030-12-31T23:59:59Z
  endOfValidity: Date.UTC(2030, 11, 31, 23, 59, 59),
  chr: fromHex('0642202001ffff01'),
  publicKey: publicKeyOf(holder),
};

describe('gen1 certificate content (CSM_017)', () => {
  it('CPI 01 ‖ CAR ‖ CHA (AID FF "TACHO" ‖ type) ‖ EOV ‖ CHR ‖ n ‖ e: 164 bytes', () => {
    const c = encodeG1CertificateContent(input);
    expect(toHex(c)).toBe('01' + 'fd45432001ffff01' + 'ff544143484f' + '00' + '72bd0bff' + '0642202001ffff01' + holder.modulus + '0000000000010001');
    expect(decodeG1CertificateContent(c)).toEqual({
      cpi: 1,
      car: 'fd45432001ffff01',
      applicationId: 'ff544143484f',
      equipmentType: 0,
      endOfValidity: Date.UTC(2030, 11, 31, 23, 59, 59),
      chr: '0642202001ffff01',
      publicKey: { modulus: holder.modulus, publicExponent: '0000000000010001' },
    });
  });

  it("EOV 'FF FF FF FF' when not used", () => {
    const c = encodeG1CertificateContent({ ...input, endOfValidity: null });
    expect(toHex(c.subarray(16, 20))).toBe('ffffffff');
    expect(decodeG1CertificateContent(c).endOfValidity).toBeNull();
  });
});

describe('gen1 certificate issue and opening (CSM_018, CSM_019; ISO/IEC 9796-2 scheme 1, SHA-1)', () => {
  const certificate = issueG1Certificate(input, issuer);
  const content = encodeG1CertificateContent(input);

  it("is Sign 128 ‖ Cn 58 ‖ CAR 8, Sign opening (s^e mod n, by hand) to '6A' ‖ Cr ‖ SHA-1(C) ‖ 'BC'", () => {
    expect(certificate.length).toBe(194);
    expect(toHex(certificate.subarray(128, 186))).toBe(toHex(content.subarray(106)));
    expect(toHex(certificate.subarray(186))).toBe('fd45432001ffff01');
    expect(g1CertificateCar(certificate)).toBe('fd45432001ffff01');
    const opened = bytesOf(modPow(bigintOf(certificate.subarray(0, 128)), 65537n, BigInt(`0x${issuer.modulus}`)), 128);
    const sha1 = new Uint8Array(createHash('sha1').update(content).digest());
    expect(toHex(opened)).toBe(toHex(concatBytes(Uint8Array.of(0x6a), content.subarray(0, 106), sha1, Uint8Array.of(0xbc))));
    // and Sign is the private operation m^d mod n on that block
    expect(bigintOf(certificate.subarray(0, 128))).toBe(modPow(bigintOf(opened), BigInt(`0x${issuer.privateExponent}`), BigInt(`0x${issuer.modulus}`)));
  });

  it('opens with the issuer key into the content it was issued with', () => {
    expect(openG1Certificate(certificate, publicKeyOf(issuer))).toEqual(decodeG1CertificateContent(content));
  });

  it('refuses another key, a changed signature, a changed Cn, a changed appended CAR', () => {
    const changed = (at: number) => {
      const c = certificate.slice();
      c[at]! ^= 0x01;
      return c;
    };
    expect(() => openG1Certificate(certificate, publicKeyOf(holder))).toThrow("the opened signature does not run '6A' … 'BC' (it starts 53, ends ab)");
    expect(() => openG1Certificate(changed(5), publicKeyOf(issuer))).toThrow("the opened signature does not run '6A' … 'BC' (it starts 99, ends e7)");
    expect(() => openG1Certificate(changed(150), publicKeyOf(issuer))).toThrow('SHA-1 of the recovered content differs from the hash in the signature');
    expect(() => openG1Certificate(changed(193), publicKeyOf(issuer))).toThrow('the CAR appended (fd45432001ffff00) is not the CAR signed (fd45432001ffff01)');
    expect(() => openG1Certificate(certificate.subarray(1), publicKeyOf(issuer))).toThrow('a gen1 certificate is 194 bytes, not 193');
  });
});
