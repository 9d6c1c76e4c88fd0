import { createECDH, createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Rng } from '../random.ts';
import { concatBytes, fromHex, toHex } from '../bytes.ts';
import { signDeterministic } from './deterministic-ecdsa.ts';
import { encodeTlv } from './tlv.ts';

/**
 * The 256-bit curves of cipher suite CS#1 (CSM_50: ECC 256, SHA-256) that Node's OpenSSL offers, with the
 * object identifiers App. 11 Table 1 (CSM_142) puts in a certificate's Domain Parameters. The test PKI uses
 * brainpoolP256r1; NIST P-256 is accepted from files so a bench's real test PKI on either curve loads.
 */
export type CurveName = 'brainpoolP256r1' | 'prime256v1';

interface CurveInfo {
  name: CurveName;
  /** DER content octets of the OBJECT IDENTIFIER. */
  oid: Uint8Array;
  /** Order n of the base point, for drawing a private scalar in [1, n-1]. */
  order: bigint;
  /** Bytes of a coordinate and of a plain signature half (TR-03111 plain format: r ‖ s). */
  size: number;
}

export const CURVES: Readonly<Record<CurveName, CurveInfo>> = {
  // 1.3.36.3.3.2.8.1.1.7
  brainpoolP256r1: {
    name: 'brainpoolP256r1',
    oid: fromHex('2B 24 03 03 02 08 01 01 07'),
    order: 0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7n,
    size: 32,
  },
  // 1.2.840.10045.3.1.7 (secp256r1)
  prime256v1: {
    name: 'prime256v1',
    oid: fromHex('2A 86 48 CE 3D 03 01 07'),
    order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    size: 32,
  },
};

/** id-ecPublicKey 1.2.840.10045.2.1, for the PKCS/SPKI wrappers Node imports keys from. */
const EC_PUBLIC_KEY_OID = fromHex('2A 86 48 CE 3D 02 01');

export function curveOfOid(oid: Uint8Array): CurveInfo {
  const hex = toHex(oid);
  const found = Object.values(CURVES).find((c) => toHex(c.oid) === hex);
  if (!found) throw new Error(`domain parameters ${hex} are not a supported 256-bit curve (brainpoolP256r1, NIST P-256)`);
  return found;
}

/** An ECC key pair as plain data (hex), so device options and machine context stay JSON. */
export interface EcKeyPair {
  curve: CurveName;
  /** Private scalar d, big-endian, `size` bytes. */
  privateKey: string;
  /** Uncompressed public point 04 ‖ X ‖ Y (CSM_143). */
  publicPoint: string;
}

/** A key pair from the seeded generator: d drawn uniformly in [1, n-1] by rejection. */
export function deriveKeyPair(rng: Rng, curve: CurveName = 'brainpoolP256r1'): EcKeyPair {
  const info = CURVES[curve];
  for (;;) {
    const d = rng.bytes(info.size);
    const value = BigInt(`0x${toHex(d)}`);
    if (value === 0n || value >= info.order) continue;
    return keyPairFromPrivate(curve, d);
  }
}

export function keyPairFromPrivate(curve: CurveName, d: Uint8Array): EcKeyPair {
  const ecdh = createECDH(curve);
  ecdh.setPrivateKey(d);
  return { curve, privateKey: toHex(d), publicPoint: toHex(new Uint8Array(ecdh.getPublicKey(null, 'uncompressed'))) };
}

function sequence(...parts: Uint8Array[]): Uint8Array {
  return encodeTlv(0x30, concatBytes(...parts));
}

/** SEC 1 ECPrivateKey in DER: what OpenSSL imports a raw scalar from. */
export function privateKeyObject(pair: EcKeyPair): KeyObject {
  const info = CURVES[pair.curve];
  const der = sequence(
    Uint8Array.of(0x02, 0x01, 0x01),
    encodeTlv(0x04, fromHex(pair.privateKey)),
    encodeTlv(0xa0, encodeTlv(0x06, info.oid)),
    encodeTlv(0xa1, encodeTlv(0x03, concatBytes(Uint8Array.of(0), fromHex(pair.publicPoint)))),
  );
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'sec1' });
}

/**
 * An SPKI wrapper around a certificate's public point. OpenSSL checks the point is on the curve while
 * importing, which is the TR-03111 validation CSM_143 asks for on decoding.
 */
export function publicKeyObject(curve: CurveName, publicPoint: Uint8Array): KeyObject {
  const info = CURVES[curve];
  if (publicPoint.length !== 1 + 2 * info.size || publicPoint[0] !== 0x04) {
    throw new Error(`public point must be uncompressed (04 ‖ X ‖ Y, ${1 + 2 * info.size} bytes) per CSM_143`);
  }
  const der = sequence(
    sequence(encodeTlv(0x06, EC_PUBLIC_KEY_OID), encodeTlv(0x06, info.oid)),
    encodeTlv(0x03, concatBytes(Uint8Array.of(0), publicPoint)),
  );
  try {
    return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch (error) {
    throw new Error(`public point is not a valid point of ${curve}: ${(error as Error).message}`);
  }
}

/**
 * CSM_150, CSM_233: ECDSA with SHA-256 (CS#1), plain format r ‖ s. The nonce is RFC 6979's, not OpenSSL's
 * random one, so the same key and data always give the same bytes (the rig's repeatability for a seed).
 */
export function signPlain(pair: EcKeyPair, data: Uint8Array): Uint8Array {
  return signDeterministic(pair.curve, fromHex(pair.privateKey), data);
}

export function verifyPlain(curve: CurveName, publicPoint: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 2 * CURVES[curve].size) return false;
  return verify('sha256', data, { key: publicKeyObject(curve, publicPoint), dsaEncoding: 'ieee-p1363' }, signature);
}
