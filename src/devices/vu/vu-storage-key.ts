import { hkdfSync } from 'node:crypto';
import type { VuOptions } from './vu-options.ts';

/**
 * The key the VU's data memory file is protected under (HMAC-SHA-256 per part, data-memory/persistence.ts), so
 * a changed byte, or a part copied in from another VU's file, is found at restore (0x15 stored user data
 * integrity error). A real VU keeps such a secret in its secure element; the emulated one derives it, like its
 * test certificates, from the rig's test PKI seed and its own serial number (HKDF-SHA-256, RFC 5869): the same
 * VU reads its own file back in every run, another VU (or the same with another identity) does not.
 */
export function vuStorageKey(options: VuOptions): Buffer {
  const sn = options.identification.serialNumber;
  const secret = `tacho-rig/test-pki/${options.pki.seed}/vu-storage-secret`;
  const info = `vu-data-memory/${sn.manufacturerCode}/${sn.type}/${sn.monthYear}/${sn.serialNumber}`;
  return Buffer.from(hkdfSync('sha256', secret, 'tacho-rig/vu-data-memory', info, 32));
}
