/**
 * The `Plaid-Verification` JWT: a compact JWS pinned to ES256 (ECDSA P-256 + SHA-256), decoded once
 * and verified with node:crypto over a key imported once per key.
 *
 * Why hand-written rather than jose's `compactVerify` (what kycport used before issue 17): jose
 * verifies through WebCrypto, whose `subtle.verify` runs every ECDSA check as a job on libuv's
 * thread pool and settles a promise on the way back. On the webhook bench the main thread sat idle
 * 54% of the time waiting for that hop (`node --cpu-prof`), and jose decoded the protected header a
 * second time after `decodeProtectedHeader` had read `alg`/`kid`. node:crypto's synchronous
 * `verify` does the same OpenSSL check in line, over a `KeyObject` imported once (here the header
 * is decoded once, the payload once, after the signature): on a 2-core machine, verify-only
 * throughput (warm key cache) went from about 4,500 to about 12,000 events per CPU-second, and the
 * ECDSA check itself is now two thirds of the time left.
 *
 * What jose enforced and this keeps: exactly three base64url segments; a JSON-object protected
 * header; `alg` is `ES256` (checked by the caller before any key fetch, so `none`, HS256 and RS256
 * never cost a request); no `crit` header (jose refuses unknown critical extensions; the one it
 * knows, `b64`, Plaid never sends, so any `crit` is refused here); a 64-byte IEEE P1363 `r || s`
 * signature (what JWS ES256 specifies, RFC 7518 3.4) checked over the `<header>.<payload>` bytes as
 * sent. Stricter than jose: segments must be base64url without padding or whitespace (jose's
 * decoder also took `+`, `/`, `=` and spaces); Plaid sends canonical base64url. Nothing throws.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { PlaidJwkPublicKey } from './plaid-api';

/** A compact JWS split and decoded once; the payload is decoded only after the signature verified. */
export interface PlaidJws {
  /** The protected header, a JSON object (its `alg` and `kid` not yet checked). */
  readonly header: Readonly<Record<string, unknown>>;
  /** `<header>.<payload>` exactly as sent: the bytes the signature covers. */
  readonly signingInput: string;
  /** The payload segment, still base64url. */
  readonly payloadSegment: string;
  /** The signature bytes (64 for a genuine ES256 token: `r || s`). */
  readonly signature: Buffer;
}

/** The byte length of an ES256 signature in JWS form (IEEE P1363: 32-byte r, 32-byte s). */
export const ES256_SIGNATURE_BYTES = 64;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** base64url -> bytes; undefined for anything else (padding, whitespace, `+`, `/`, an impossible length). */
function base64urlBytes(segment: string): Buffer | undefined {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) return undefined;
  return Buffer.from(segment, 'base64url');
}

/** `JSON.parse` of base64url JSON; undefined when either step fails. */
function base64urlJson(segment: string): { readonly value: unknown } | undefined {
  const bytes = base64urlBytes(segment);
  if (bytes === undefined) return undefined;
  try {
    return { value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The token's three segments, its protected header decoded; undefined when it is not a compact JWS
 * (not three segments, a segment not base64url, a header that is not a JSON object).
 */
export function decodePlaidJws(token: string): PlaidJws | undefined {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.includes('.', second + 1)) return undefined;
  const headerSegment = token.slice(0, first);
  const payloadSegment = token.slice(first + 1, second);
  const header = headerSegment === '' ? undefined : base64urlJson(headerSegment);
  const signature = base64urlBytes(token.slice(second + 1));
  if (header === undefined || !isRecord(header.value) || signature === undefined) return undefined;
  if (!BASE64URL.test(payloadSegment)) return undefined;
  return { header: header.value, signingInput: token.slice(0, second), payloadSegment, signature };
}

/**
 * The ES256 signature over the signing input, with node:crypto's synchronous `verify` (see the file
 * comment for why not jose). False for a signature of the wrong length or any error.
 */
export function verifyPlaidEs256(key: KeyObject, jws: PlaidJws): boolean {
  if (jws.signature.length !== ES256_SIGNATURE_BYTES) return false;
  try {
    const signed = Buffer.from(jws.signingInput, 'latin1');
    return verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, jws.signature);
  } catch {
    return false;
  }
}

/** The payload parsed as JSON (call only once the signature verified); undefined when it is not JSON. */
export function plaidJwsPayload(jws: PlaidJws): { readonly value: unknown } | undefined {
  return base64urlJson(jws.payloadSegment);
}

/**
 * Plaid's keys imported once as `KeyObject`s: by the JWK object the key lookup caches, so a key is
 * imported on its first webhook and again only when Plaid's answer replaced it (a refresh or a
 * rotation); importing the JWK on every delivery halved verification throughput.
 */
export interface PlaidKeyImporter {
  /** The P-256 public key of `jwk`, or undefined when node:crypto refuses it (not a point on P-256). */
  publicKey(jwk: PlaidJwkPublicKey): KeyObject | undefined;
  /** Forgets every imported key. */
  clear(): void;
}

/** A `PlaidKeyImporter` with its own cache (one per verifier). */
export function createPlaidKeyImporter(): PlaidKeyImporter {
  let imported = new WeakMap<PlaidJwkPublicKey, KeyObject>();
  return {
    publicKey: (jwk) => {
      const cached = imported.get(jwk);
      if (cached !== undefined) return cached;
      try {
        const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
        if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return undefined;
        imported.set(jwk, key);
        return key;
      } catch {
        return undefined;
      }
    },
    clear: () => {
      imported = new WeakMap();
    },
  };
}
