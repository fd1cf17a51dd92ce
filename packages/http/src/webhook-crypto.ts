/** Small crypto helpers every adapter's webhook verification needs (node:crypto, no hand-rolled primitives). */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Lowercase hex SHA-256. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The SHA-256 digest (32 bytes) of `data` (a string is hashed as UTF-8). */
export function sha256Digest(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * Constant-time string comparison that cannot throw: both sides are hashed to 32 bytes first, so
 * `timingSafeEqual` always gets equal lengths and the comparison time does not reveal the length.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  return constantTimeMatcher(expected)(given);
}

/**
 * `constantTimeEqual` against one fixed `expected` value, its SHA-256 computed once: for a secret
 * every delivery is compared with (a webhook token), one hash per comparison instead of two.
 */
export function constantTimeMatcher(expected: string): (given: string) => boolean {
  const wanted = sha256Digest(expected);
  return (given) => timingSafeEqual(sha256Digest(given), wanted);
}

const HEX = /^[0-9a-fA-F]*$/;

/**
 * Whether `hex` (either case) spells exactly the bytes of `digest`, compared in constant time (a
 * MAC or hash the caller computed). Anything else (another length, a non-hex character) is false
 * without comparing: the expected length is public, the digest's bytes are not. Never throws.
 */
export function hexDigestEquals(digest: Uint8Array, hex: string): boolean {
  if (hex.length !== digest.length * 2 || !HEX.test(hex)) return false;
  return timingSafeEqual(Buffer.from(hex, 'hex'), digest);
}
