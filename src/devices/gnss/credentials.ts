import { fromHex, toHex } from '../../crypto/bytes.ts';
import { decodeCertificate } from '../../crypto/pki/cv-certificate.ts';
import { keyPairFromPrivate } from '../../crypto/pki/ec-keys.ts';
import { readCertificateFile, readPrivateKeyFile } from '../../crypto/pki/key-files.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import type { EgfOptions } from './options.ts';
import type { EgfKeys } from './security.ts';

export interface ResolvedCredentials {
  keys: EgfKeys | null;
  /** What EF C100/C108/C109 hold (hex), or undefined for Table 1's default zeros. */
  certificates: { egfMa?: string; ca?: string; link?: string };
}

/**
 * Where the EGF's EGF_MA material comes from, first match wins: `credentials` (hex), `credentialFiles`,
 * `testPki` (issued for the EGF's serial number), else none: the EGF serves its files but cannot authenticate.
 */
export function resolveCredentials(o: EgfOptions): ResolvedCredentials {
  let hex: { privateKey: string; certificate: string; ca: string; link?: string; root: string } | undefined = o.credentials;
  if (!hex && o.credentialFiles) {
    const f = o.credentialFiles;
    hex = {
      privateKey: readPrivateKeyFile(f.privateKey).privateKey,
      certificate: toHex(readCertificateFile(f.certificate)),
      ca: toHex(readCertificateFile(f.ca)),
      root: toHex(readCertificateFile(f.root)),
      ...(f.link ? { link: toHex(readCertificateFile(f.link)) } : {}),
    };
  }
  if (!hex && o.testPki) {
    const pki = TestPki.of(o.testPki.seed === undefined ? {} : { seed: o.testPki.seed });
    const c = pki.egf(o.serialNumber, {
      ...(o.testPki.issuedAt ? { issuedAt: Date.parse(o.testPki.issuedAt) } : {}),
      ...(o.testPki.validityMs ? { validityMs: o.testPki.validityMs } : {}),
    });
    hex = { privateKey: c.egfMa.key.privateKey, certificate: c.egfMa.certificate, ca: c.mscaCertificate, root: c.rootCertificate };
  }
  if (!hex) return { keys: null, certificates: o.certificates };
  const certificate = decodeCertificate(fromHex(hex.certificate));
  const key = keyPairFromPrivate(certificate.curve, fromHex(hex.privateKey));
  if (key.publicPoint !== certificate.publicPoint) throw new Error('the EGF private key does not match the public key of its EGF_MA certificate');
  return {
    keys: { key, certificate, roots: [hex.root] },
    certificates: { egfMa: hex.certificate, ca: hex.ca, ...(hex.link ? { link: hex.link } : {}) },
  };
}
