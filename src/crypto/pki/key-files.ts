import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromHex, toHex } from '../bytes.ts';
import { decodeCertificate } from './cv-certificate.ts';
import { keyPairFromPrivate, type CurveName, type EcKeyPair } from './ec-keys.ts';
import { readTlv, readTlvSequence } from './tlv.ts';
import type { Credential, VuCredentials } from './test-pki.ts';

/**
 * Keys and certificates from files, so a bench can use a real test PKI instead of the seeded one.
 * Private keys: PEM or DER, PKCS#8 or SEC 1 (what OpenSSL writes). Certificates: raw DER, or hex text
 * (spaces and newlines ignored), as test PKIs hand them out both ways.
 */
export function readCertificateFile(path: string): Uint8Array {
  const raw = new Uint8Array(readFileSync(path));
  if (raw[0] === 0x7f && raw[1] === 0x21) return raw;
  const text = Buffer.from(raw).toString('latin1').trim();
  if (/^[0-9a-fA-F\s]+$/.test(text)) return fromHex(text);
  throw new Error(`${path}: neither a DER CV certificate (7F 21 …) nor hex text`);
}

export function readPrivateKeyFile(path: string): EcKeyPair {
  const raw = readFileSync(path);
  const text = raw.toString('latin1');
  const key = text.includes('-----BEGIN') ? createPrivateKey(text) : importDer(raw);
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve !== 'brainpoolP256r1' && curve !== 'prime256v1') throw new Error(`${path}: key curve ${curve ?? 'unknown'} is not brainpoolP256r1 or prime256v1`);
  // SEC 1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING d, ... }
  const der = new Uint8Array(key.export({ format: 'der', type: 'sec1' }));
  const items = readTlvSequence(readTlv(der).value);
  const d = items[1];
  if (!d || d.tag !== 0x04) throw new Error(`${path}: not an EC private key`);
  return keyPairFromPrivate(curve as CurveName, d.value);
}

function importDer(raw: Buffer) {
  try {
    return createPrivateKey({ key: raw, format: 'der', type: 'pkcs8' });
  } catch {
    return createPrivateKey({ key: raw, format: 'der', type: 'sec1' });
  }
}

/** A key and its certificate, checked to belong together. */
export function loadCredential(keyFile: string, certificateFile: string): Credential {
  const key = readPrivateKeyFile(keyFile);
  const certificate = readCertificateFile(certificateFile);
  const cert = decodeCertificate(certificate);
  if (cert.publicPoint !== key.publicPoint) throw new Error(`${certificateFile} does not certify the key in ${keyFile}`);
  return { key, certificate: toHex(certificate) };
}

export interface VuCredentialFiles {
  vuSignKey: string;
  vuSignCertificate: string;
  vuMaKey: string;
  vuMaCertificate: string;
  mscaCertificate: string;
  rootCertificate: string;
}

export function loadVuCredentials(files: VuCredentialFiles): VuCredentials {
  return {
    vuSign: loadCredential(files.vuSignKey, files.vuSignCertificate),
    vuMa: loadCredential(files.vuMaKey, files.vuMaCertificate),
    mscaCertificate: toHex(readCertificateFile(files.mscaCertificate)),
    rootCertificate: toHex(readCertificateFile(files.rootCertificate)),
  };
}
