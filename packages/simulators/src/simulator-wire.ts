/**
 * Small wire helpers every simulator uses: a request header's first value, a JSON object body,
 * random provider-looking ids and HTML escaping for the hosted-flow pages.
 */
import { randomBytes } from 'node:crypto';
import type { SimulatorRequest } from './simulator-server';

/** The first value of a request header (node lower-cases the names). */
export function requestHeader(request: SimulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The value as an object (not null, not an array), or `undefined`. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random base-62 characters (Plu's service ids, Plaid's ids look like `52xR9LKo77r1Np`). */
export function base62(length: number): string {
  return Array.from(randomBytes(length), (byte) => BASE62[byte % BASE62.length]).join('');
}

/** Escapes text for the simulators' HTML pages. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
