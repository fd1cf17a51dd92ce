/** Small crypto helpers every adapter's webhook verification needs (node:crypto, no hand-rolled primitives). */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Lowercase hex SHA-256. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Constant-time string comparison that cannot throw: both sides are hashed to 32 bytes first, so
 * `timingSafeEqual` always gets equal lengths and the comparison time does not reveal the length.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
