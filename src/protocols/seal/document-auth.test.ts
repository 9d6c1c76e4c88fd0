import { describe, expect, it } from 'vitest';
import {
  AuthDomain,
  authenticate,
  checkAuthenticator,
  ed25519,
  ed25519PublicKey,
  hmacSha256,
  signedBytes,
  verifyingKeyOf,
  type SigningKey,
} from './document-auth.ts';
import { provisionedOperatorPublicKey, provisionedSealKey, provisionedSealVerifyingKey } from './provisioning.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const doc = { v: 1, id: '3f2b8c1e-9d4a-4e6f-8a1b-2c3d4e5f6a7b', type: 'event', sealId: 'RU-0001', seq: 7, event: { code: '01', detail: 'locking element broken' } };

describe('the authentication schemes', () => {
  it('Ed25519 signs and its public key is what RFC 8032 section 7.1 test 1 says (the raw key wrapped right)', () => {
    const secret = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
    expect(ed25519PublicKey(secret)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const signature = ed25519.sign({ alg: 'Ed25519', privateKey: secret }, new Uint8Array(0));
    expect(hex(signature)).toBe('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
    expect(ed25519.verify({ alg: 'Ed25519', publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a' }, new Uint8Array(0), signature)).toBe(true);
  });

  it('HMAC-SHA256 is RFC 4231 test case 1', () => {
    const key = { alg: 'HMAC-SHA256' as const, key: '0b'.repeat(20) };
    const tag = hmacSha256.sign(key, new TextEncoder().encode('Hi There'));
    expect(hex(tag)).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expect(hmacSha256.verify(key, new TextEncoder().encode('Hi There'), tag)).toBe(true);
    expect(hmacSha256.verify(key, new TextEncoder().encode('Hi there'), tag)).toBe(false);
  });
});

describe('authenticators over the canonical form', () => {
  it('cover the domain, a zero byte and the canonical JSON without auth', () => {
    expect(new TextDecoder().decode(signedBytes(AuthDomain.sealDocument, { ...doc, auth: { alg: 'Ed25519', value: '00' } }))).toBe(
      'EAEU-SEAL-DOC/1\u0000{"event":{"code":"01","detail":"locking element broken"},"id":"3f2b8c1e-9d4a-4e6f-8a1b-2c3d4e5f6a7b","sealId":"RU-0001","seq":7,"type":"event","v":1}',
    );
  });

  for (const key of [provisionedSealKey(141, 'RU', 'RU-0001'), { alg: 'HMAC-SHA256', key: '5a'.repeat(32) } as SigningKey]) {
    it(`${key.alg}: verifies the message as signed, in any member order, and nothing changed, in another domain or under another key`, () => {
      const signed = authenticate(AuthDomain.sealDocument, doc, key);
      const check = verifyingKeyOf(key);
      expect(signed.auth.alg).toBe(key.alg);
      expect(signed.auth.value).toMatch(key.alg === 'Ed25519' ? /^[0-9a-f]{128}$/ : /^[0-9a-f]{64}$/);
      expect(checkAuthenticator(AuthDomain.sealDocument, signed, check)).toEqual({ ok: true });
      const reordered = JSON.parse(JSON.stringify({ auth: signed.auth, event: { detail: doc.event.detail, code: '01' }, seq: 7, type: 'event', v: 1, sealId: 'RU-0001', id: doc.id }));
      expect(checkAuthenticator(AuthDomain.sealDocument, reordered, check)).toEqual({ ok: true });
      const what = key.alg === 'Ed25519' ? 'signature' : 'tag';
      expect(checkAuthenticator(AuthDomain.sealDocument, { ...signed, seq: 8 }, check)).toEqual({ ok: false, reason: `${key.alg} ${what} does not verify` });
      expect(checkAuthenticator(AuthDomain.sealDocument, { ...signed, event: { code: '05' } }, check)).toEqual({ ok: false, reason: `${key.alg} ${what} does not verify` });
      expect(checkAuthenticator(AuthDomain.ackToSeal, signed, check)).toEqual({ ok: false, reason: `${key.alg} ${what} does not verify` });
      const other = key.alg === 'Ed25519' ? provisionedSealVerifyingKey(141, 'RU', 'RU-0002') : { alg: 'HMAC-SHA256' as const, key: '5b'.repeat(32) };
      expect(checkAuthenticator(AuthDomain.sealDocument, signed, other)).toEqual({ ok: false, reason: `${key.alg} ${what} does not verify` });
      expect(checkAuthenticator(AuthDomain.sealDocument, doc, check)).toEqual({ ok: false, reason: 'no authenticator (member auth)' });
    });
  }

  it('go by the verifier\'s key, not by the alg the message names', () => {
    // A MAC made with the seal's public key as the secret (which anyone can read) must not pass for a signature.
    const publicKey = provisionedSealVerifyingKey(141, 'RU', 'RU-0001') as { alg: 'Ed25519'; publicKey: string };
    const forged = authenticate(AuthDomain.sealDocument, doc, { alg: 'HMAC-SHA256', key: publicKey.publicKey });
    expect(checkAuthenticator(AuthDomain.sealDocument, forged, publicKey)).toEqual({ ok: false, reason: 'authenticator is HMAC-SHA256, the key held for the sender is Ed25519' });
  });
});

describe('test provisioning', () => {
  it('derives the same keys from the same seed, other keys for another seal, state or seed', () => {
    expect(provisionedSealKey(141, 'RU', 'RU-0001')).toEqual(provisionedSealKey(141, 'RU', 'RU-0001'));
    const keys = [provisionedSealKey(141, 'RU', 'RU-0001'), provisionedSealKey(141, 'RU', 'RU-0002'), provisionedSealKey(141, 'KZ', 'RU-0001'), provisionedSealKey(142, 'RU', 'RU-0001')];
    expect(new Set(keys.map((k) => JSON.stringify(k))).size).toBe(4);
    expect(provisionedOperatorPublicKey(141, 'RU')).not.toBe(provisionedOperatorPublicKey(141, 'KZ'));
    expect(provisionedOperatorPublicKey(141, 'RU')).toMatch(/^[0-9a-f]{64}$/);
  });
});
