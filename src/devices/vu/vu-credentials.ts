import { TestPki } from '../../crypto/pki/test-pki.ts';
import type { DownloadSigner } from '../../protocols/app7-records/index.ts';
import type { VuMaCredentials } from './gnss-link/index.ts';
import type { VuOptions } from './vu-options.ts';

/**
 * The VU's two key pairs and certificates (CSM_72), issued by the rig's test PKI for its serial number:
 * VU_Sign signs downloads, VU_MA authenticates the VU to an EGF (and, later, to cards).
 */
function credentials(options: VuOptions) {
  return TestPki.of({ seed: options.pki.seed }).vu(options.identification.serialNumber);
}

export function vuSigner(options: VuOptions): DownloadSigner {
  const vu = credentials(options);
  return { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate };
}

export function vuMaCredentials(options: VuOptions): VuMaCredentials {
  const vu = credentials(options);
  return {
    privateKey: vu.vuMa.key.privateKey,
    curve: vu.vuMa.key.curve as VuMaCredentials['curve'],
    certificate: vu.vuMa.certificate,
    mscaCertificate: vu.mscaCertificate,
    rootCertificate: vu.rootCertificate,
  };
}
