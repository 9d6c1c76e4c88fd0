import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { encodeTrep22 } from './trep.ts';

const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('a seed gives byte-identical downloads', () => {
  const SERIAL = { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 };
  const digest = (hex: string) => toHex(sha256(fromHex(hex)));

  it('the default test PKI and a TREP 22 signed with it are the same bytes in every run (pinned digests)', () => {
    const vu = new TestPki().vu(SERIAL);
    const trep = encodeTrep22(
      { day: Date.UTC(2026, 2, 3), odometerAtMidnightKm: 1234, cardIW: [], activities: [], places: [], gnssAccumulatedDriving: [], specificConditions: [] },
      { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate },
    );
    expect({ root: digest(vu.rootCertificate), msca: digest(vu.mscaCertificate), vuSign: digest(vu.vuSign.certificate), trep22: digest(toHex(trep)) }).toEqual(PINNED);
  });
});

/** SHA-256 of the default test PKI's certificates (seed 7027) and of the TREP 22 above, from a first run. */
const PINNED = {
  root: 'e27b7d8d140e5dcddcb2e87dae9aa81137df53a1963da6aeaa9329bd9c7d3a1a',
  msca: 'f0abed6d3dddba45d4b36efb42f32c09c4c85dd6d7910d3a399f20171bbb85f6',
  vuSign: 'f0b875fbfe7c8d9b4ec6d04d7959f2de9a6821137c0a0412b6ba97a6a0ea1c39',
  trep22: 'd4191d438fba7f93e56dc3d7448f7a291c1b0f047b7093e5195771ab9397bf31',
};
