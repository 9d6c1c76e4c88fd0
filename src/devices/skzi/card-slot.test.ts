import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../crypto/random.ts';
import { wendy } from '../cards/test-cards.ts';
import { newCarrier, readSkziCardFile, verifyCarrierPin, writeSkziCardFile } from './card-slot.ts';
import { nkmTestKey, requestSignatureValid, signRequest } from './signing.ts';

const rng = createRng(1, 'test');
const request = {
  requestId: 'R-000001',
  cardNumber: wendy.cardNumber,
  nkmFactoryNo: '20E3S00012345678',
  tachographNo2: 'SM1420000123',
  vehicle: { vin: 'XTA210990Y2765432', vrn: 'А123ВС77', pts: '77УХ123456' },
  owner: { name: 'ООО', inn: '7701234567' },
  createdAt: 0,
};

describe('the workshop card as carrier', () => {
  it('the PIN through the card emulator: wrong ones count down, the right one restores the counter, the third wrong blocks', () => {
    let carrier = newCarrier(wendy);
    let outcome = verifyCarrierPin(carrier, '9999', rng);
    expect(outcome).toMatchObject({ ok: false, triesLeft: 2, blocked: false });
    outcome = verifyCarrierPin(outcome.carrier, '1234', rng);
    expect(outcome.ok).toBe(true);
    expect(outcome.carrier.memory.pinTriesLeft).toBe(3);
    carrier = outcome.carrier;
    for (const left of [2, 1, 0]) {
      outcome = verifyCarrierPin(carrier, '0000', rng);
      carrier = outcome.carrier;
      expect(outcome).toMatchObject({ ok: false, triesLeft: left });
    }
    expect(verifyCarrierPin(carrier, '1234', rng)).toMatchObject({ ok: false, blocked: true });
  });

  it('the СКЗИ card file round-trips, and refuses another card\'s file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skzi-card-'));
    const carrier = { ...newCarrier(wendy), skzi: { request } };
    writeSkziCardFile(join(dir, 'wendy.skzi.json'), carrier);
    expect(readSkziCardFile(join(dir, 'wendy.skzi.json'), wendy)).toEqual({ request });
    expect(readSkziCardFile(join(dir, 'none.json'), wendy)).toEqual({});
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ format: 'tacho-rig/skzi-card', version: 1, card: 'workshop:1:X', skzi: {} }));
    expect(() => readSkziCardFile(join(dir, 'other.json'), wendy)).toThrow(/belongs to card workshop:1:X/);
  });
});

describe('the block\'s signature (ECDSA P-256, README)', () => {
  it('verifies under its key, not under another block\'s, and not once a signed field changes', () => {
    const key = nkmTestKey('20E3S00012345678');
    const signed = signRequest(key, { request, nkm: { model: 'НКМ-2.11', swVersion: '2.11', factoryNo: '20E3S00012345678', regNo: '20E 799B 012345678', publicKey: key.publicPoint }, tachographNo2: 'SM1420000123', signedAt: 0 });
    expect(signed.signature).toHaveLength(128);
    expect(requestSignatureValid(signed, key.publicPoint)).toBe(true);
    expect(requestSignatureValid(signed, nkmTestKey('20E3S00012340000').publicPoint)).toBe(false);
    expect(requestSignatureValid({ ...signed, request: { ...request, vehicle: { ...request.vehicle, vrn: 'В123ВС77' } } }, key.publicPoint)).toBe(false);
    // deterministic: the same key and data give the same bytes
    const { signature: _s, ...unsigned } = signed;
    expect(signRequest(key, unsigned).signature).toBe(signed.signature);
  });
});
