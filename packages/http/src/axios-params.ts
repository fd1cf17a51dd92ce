/**
 * Query parameters serialised byte for byte as axios's default `buildURL` does, for the lean
 * adapter (lean-adapter.ts): axios does not export its serializer from its CommonJS build, and both
 * adapters must put the same query on the wire (a property test compares them).
 */

/** axios's own query encoding (`buildURL`'s `encode`), so both adapters put the same bytes on the wire. */
function encodeQueryPart(value: string): string {
  return encodeURIComponent(value)
    .replace(/%3A/gi, ':')
    .replace(/%24/g, '$')
    .replace(/%2C/gi, ',')
    .replace(/%20/g, '+');
}

function queryValue(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Names axios's serializer drops (its prototype-pollution guard); both adapters send neither. */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function appendParam(parts: string[], rawKey: string, value: unknown): void {
  if (value === undefined || value === null || UNSAFE_KEYS.has(rawKey)) return;
  const key = rawKey.trim();
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== undefined && item !== null)
        parts.push(`${encodeQueryPart(`${key}[]`)}=${encodeQueryPart(queryValue(item))}`);
    }
  } else if (typeof value === 'object' && !(value instanceof Date)) {
    // axios keeps an object's own key untrimmed and trims its members' names.
    for (const [name, inner] of Object.entries(value)) appendParam(parts, `${rawKey}[${name.trim()}]`, inner);
  } else parts.push(`${encodeQueryPart(key)}=${encodeQueryPart(queryValue(value))}`);
}

/**
 * `params` the way axios's default serializer writes them: keys trimmed, `undefined` and `null`
 * left out (and `__proto__`, `constructor`, `prototype`), arrays as `key[]=`, dates as ISO strings, objects as `key[name]=`. kycport itself
 * sends fixed names with strings, numbers and booleans.
 */
export function serializeParams(params: unknown): string {
  if (params instanceof URLSearchParams) return params.toString();
  if (typeof params !== 'object' || params === null) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) appendParam(parts, key, value);
  return parts.join('&');
}
