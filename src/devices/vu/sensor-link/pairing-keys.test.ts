import { describe, expect, it } from 'vitest';
import { TestMsca, toHex, xorBytes, CV_128 } from '../../../crypto/index.ts';
import { pairingKeys } from './pairing-keys.ts';

const msca = new TestMsca(3);

describe('pairing keys (CSM_217 steps 2-3, CSM_222)', () => {
  const vu = { kmVu: msca.vuKey(2, 128).key, kmVersion: 2, keyBits: 128 as const, vuGeneration: 2 as const };

  it('picks the KM-WC of the VU version and derives KM and KID', () => {
    const r = pairingKeys(vu, { generation: 2, kmWc: msca.workshopCardKeys([1, 2, 3], 128) });
    const g = msca.generation(2, 128);
    expect(r).toEqual({ ok: true, km: toHex(g.km), kid: toHex(xorBytes(g.km, CV_128)), kmVersion: 2 });
  });

  it('refuses with a reason: no matching version, gen1 card, gen1 VU, key lengths that differ', () => {
    expect(pairingKeys(vu, { generation: 2, kmWc: msca.workshopCardKeys([3], 128) })).toEqual({
      ok: false,
      reason: 'no-matching-km-wc',
      detail: 'no KM-WC of version 2 on the workshop card (it holds 3) (CSM_217 step 2)',
    });
    expect(pairingKeys(vu, { generation: 2, kmWc: [] })).toMatchObject({ ok: false, reason: 'no-matching-km-wc', detail: 'no KM-WC of version 2 on the workshop card (it holds none) (CSM_217 step 2)' });
    expect(pairingKeys(vu, { generation: 1, kmWc: msca.workshopCardKeys([2], 128) })).toMatchObject({ ok: false, reason: 'workshop-card-generation-1' });
    expect(pairingKeys({ ...vu, vuGeneration: 1 }, { generation: 2, kmWc: msca.workshopCardKeys([2], 128) })).toMatchObject({ ok: false, reason: 'vu-generation-1' });
    expect(pairingKeys(vu, { generation: 2, kmWc: msca.workshopCardKeys([2], 256) })).toEqual({
      ok: false,
      reason: 'key-length-mismatch',
      detail: 'KM-VU is 128 bits, KM-WC version 2 is 256 bits, the VU expects 128',
    });
  });
});
