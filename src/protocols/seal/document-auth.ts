import { createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';

/**
 * Origin authentication of the seal system's JSON messages (rig-defined; Decision 141 leaves the mechanism
 * to the operators). A message carries an authenticator in its member `auth`:
 *
 *   auth = { "alg": "Ed25519" | "HMAC-SHA256", "value": hex }
 *
 * computed over
 *
 *   ASCII(domain) || 0x00 || UTF-8(canonicalJson(message without its member "auth"))
 *
 * (see canonical-json.ts), with the domain naming what kind of message it is, so a signature made for one
 * kind cannot be presented as another:
 *   "EAEU-SEAL-DOC/1"  a seal's document (position, event, activation), signed by the seal;
 *   "EAEU-SEAL-ACK/1"  the home operator's acknowledgement to a seal, signed by that operator;
 *   "EAEU-SEAL-OPR/1"  an operator-to-operator message (forward, correction, ack), signed by the sender.
 * Ed25519 (RFC 8032, pure): `value` is the 64-byte signature. HMAC-SHA256 (RFC 2104): `value` is the whole
 * 32-byte tag. The scheme is a plug-in: {@link AUTH_SCHEMES} maps `alg` to its sign and verify, and a key
 * says which scheme it is for. The verifier goes by its own key, never by the message's `alg` (a message
 * naming another scheme than the key's is refused), so no message can choose a weaker check.
 */
export const AuthDomain = {
  sealDocument: 'EAEU-SEAL-DOC/1',
  ackToSeal: 'EAEU-SEAL-ACK/1',
  operatorMessage: 'EAEU-SEAL-OPR/1',
} as const;
export type AuthDomainValue = (typeof AuthDomain)[keyof typeof AuthDomain];

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), `${bytes} bytes as ${bytes * 2} hex digits`);

export const AuthenticatorSchema = z.strictObject({
  alg: z.enum(['Ed25519', 'HMAC-SHA256']),
  value: z.string().regex(/^[0-9a-f]{64}$|^[0-9a-f]{128}$/, 'a 32-byte tag or 64-byte signature as lower-case hex'),
});
export type Authenticator = z.output<typeof AuthenticatorSchema>;
export type AuthAlg = Authenticator['alg'];

/** A key that makes authenticators: an Ed25519 private key (its 32-byte seed, RFC 8032 5.1.5) or an HMAC key. */
export const SigningKeySchema = z.discriminatedUnion('alg', [
  z.strictObject({ alg: z.literal('Ed25519'), privateKey: hex(32).describe('Ed25519 private key: the 32-byte seed of RFC 8032') }),
  z.strictObject({ alg: z.literal('HMAC-SHA256'), key: hex(32).describe('HMAC-SHA256 key, shared with the verifier') }),
]);
export type SigningKey = z.output<typeof SigningKeySchema>;

/** A key that checks authenticators: an Ed25519 public key (32 bytes, RFC 8032 5.1.5) or the HMAC key itself. */
export const VerifyingKeySchema = z.discriminatedUnion('alg', [
  z.strictObject({ alg: z.literal('Ed25519'), publicKey: hex(32).describe('Ed25519 public key, 32 bytes') }),
  z.strictObject({ alg: z.literal('HMAC-SHA256'), key: hex(32).describe('HMAC-SHA256 key, shared with the signer') }),
]);
export type VerifyingKey = z.output<typeof VerifyingKeySchema>;

export interface AuthScheme<S extends SigningKey, V extends VerifyingKey> {
  alg: S['alg'];
  /** Whether a third party can check the authenticator without being able to make one (a signature). */
  publiclyVerifiable: boolean;
  sign(key: S, data: Uint8Array): Uint8Array;
  verify(key: V, data: Uint8Array, value: Uint8Array): boolean;
  /** The key that checks what `key` makes. For a MAC that is the secret itself. */
  verifyingKey(key: S): V;
}

// DER wrappers of a raw Ed25519 key (RFC 8410): PKCS #8 for the private seed, SubjectPublicKeyInfo for the public key.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();
const privateKeyObject = (seedHex: string) => cached(privateKeys, seedHex, () => createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, Buffer.from(seedHex, 'hex')]), format: 'der', type: 'pkcs8' }));
const publicKeyObject = (publicHex: string) => cached(publicKeys, publicHex, () => createPublicKey({ key: Buffer.concat([SPKI_ED25519, Buffer.from(publicHex, 'hex')]), format: 'der', type: 'spki' }));

/**
 * Key objects by key, so a device does not rebuild its keys for every message. Bounded: keys named by
 * senders (a seal id made up per message) must not grow it without end; past the bound it starts afresh.
 */
const MAX_CACHED_KEYS = 65_536;

function cached(map: Map<string, KeyObject>, hexKey: string, make: () => KeyObject): KeyObject {
  const k = hexKey.toLowerCase();
  let o = map.get(k);
  if (!o) {
    if (map.size >= MAX_CACHED_KEYS) map.clear();
    map.set(k, (o = make()));
  }
  return o;
}

type Ed25519Signing = Extract<SigningKey, { alg: 'Ed25519' }>;
type Ed25519Verifying = Extract<VerifyingKey, { alg: 'Ed25519' }>;
type HmacSigning = Extract<SigningKey, { alg: 'HMAC-SHA256' }>;
type HmacVerifying = Extract<VerifyingKey, { alg: 'HMAC-SHA256' }>;

export const ed25519: AuthScheme<Ed25519Signing, Ed25519Verifying> = {
  alg: 'Ed25519',
  publiclyVerifiable: true,
  sign: (key, data) => new Uint8Array(sign(null, data, privateKeyObject(key.privateKey))),
  verify: (key, data, value) => {
    if (value.length !== 64) return false;
    try {
      return verify(null, data, publicKeyObject(key.publicKey), value);
    } catch {
      return false; // 32 bytes that are not a point of the curve: nothing verifies against them
    }
  },
  verifyingKey: (key) => ({ alg: 'Ed25519', publicKey: ed25519PublicKey(key.privateKey) }),
};

export const hmacSha256: AuthScheme<HmacSigning, HmacVerifying> = {
  alg: 'HMAC-SHA256',
  publiclyVerifiable: false,
  sign: (key, data) => new Uint8Array(createHmac('sha256', Buffer.from(key.key, 'hex')).update(data).digest()),
  verify: (key, data, value) => {
    const expected = createHmac('sha256', Buffer.from(key.key, 'hex')).update(data).digest();
    return value.length === expected.length && timingSafeEqual(expected, value);
  },
  verifyingKey: (key) => ({ alg: 'HMAC-SHA256', key: key.key }),
};

/** The schemes by `alg`. A new one is a new entry here and in the key schemas. */
export const AUTH_SCHEMES = { Ed25519: ed25519, 'HMAC-SHA256': hmacSha256 } as const;

/** The public key (hex) of an Ed25519 private seed (hex). */
export function ed25519PublicKey(privateKeyHex: string): string {
  const der = createPublicKey(privateKeyObject(privateKeyHex)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(SPKI_ED25519.length)).toString('hex');
}

/** The bytes an authenticator covers: domain, a zero byte, the canonical JSON of the message without `auth`. */
export function signedBytes(domain: AuthDomainValue, message: object): Uint8Array {
  const { auth: _auth, ...rest } = message as Record<string, unknown>;
  return new TextEncoder().encode(`${domain}\u0000${canonicalJson(rest)}`);
}

/** The message with its authenticator (any `auth` it had is replaced). */
export function authenticate<T extends object>(domain: AuthDomainValue, message: T, key: SigningKey): T & { auth: Authenticator } {
  const scheme = AUTH_SCHEMES[key.alg] as AuthScheme<SigningKey, VerifyingKey>;
  const value = scheme.sign(key, signedBytes(domain, message));
  const { auth: _auth, ...rest } = message as T & { auth?: unknown };
  return { ...(rest as T), auth: { alg: key.alg, value: Buffer.from(value).toString('hex') } };
}

export type AuthCheck = { ok: true } | { ok: false; reason: string };

/** Checks a message's authenticator against the key the verifier holds for the party the message names. */
export function checkAuthenticator(domain: AuthDomainValue, message: object, key: VerifyingKey): AuthCheck {
  const auth = (message as { auth?: Authenticator }).auth;
  if (!auth) return { ok: false, reason: 'no authenticator (member auth)' };
  if (auth.alg !== key.alg) return { ok: false, reason: `authenticator is ${auth.alg}, the key held for the sender is ${key.alg}` };
  const scheme = AUTH_SCHEMES[key.alg] as AuthScheme<SigningKey, VerifyingKey>;
  const ok = scheme.verify(key, signedBytes(domain, message), Uint8Array.from(Buffer.from(auth.value, 'hex')));
  return ok ? { ok: true } : { ok: false, reason: `${auth.alg} ${auth.alg === 'Ed25519' ? 'signature' : 'tag'} does not verify` };
}

/** The key that checks what a signing key makes. */
export function verifyingKeyOf(key: SigningKey): VerifyingKey {
  return (AUTH_SCHEMES[key.alg] as AuthScheme<SigningKey, VerifyingKey>).verifyingKey(key);
}

export function publiclyVerifiable(key: VerifyingKey): boolean {
  return AUTH_SCHEMES[key.alg].publiclyVerifiable;
}
