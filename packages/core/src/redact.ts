/**
 * Redaction of provider payloads kept as `raw` on results and events. Keys are compared without
 * case, `_` or `-`, so `date_of_birth`, `dateOfBirth` and `birthDate` all match.
 */

/**
 * Provider payloads repeat the same few hundred keys, so normalized keys are memoized: redaction
 * runs on every result and was the largest kycport cost in the benchmark's CPU profile.
 */
const normalizedKeys = new Map<string, string>();
const MAX_MEMOIZED_KEYS = 4096;

const PERSONAL_OR_SECRET_KEYS = new Set(
  [
    // identity
    'name',
    'firstName',
    'lastName',
    'middleName',
    'givenName',
    'familyName',
    'fullName',
    'email',
    'emailAddress',
    'phone',
    'phoneNumber',
    'mobile',
    'dateOfBirth',
    'birthDate',
    'dob',
    // address
    'address',
    'street',
    'street2',
    'number',
    'houseNumber',
    'city',
    'postCode',
    'postalCode',
    'zip',
    // identifiers
    'ssn',
    'idNumber',
    'documentNumber',
    'userIdentificationNumber',
    'pesel',
    'taxId',
    'nationalId',
    'ipAddress',
    'walletAddress',
    'iban',
    // secrets
    'secret',
    'clientSecret',
    'apiKey',
    'xApiKey',
    'authorization',
    'token',
    'accessToken',
    'password',
    'webhookSecret',
    'plaidSecret',
  ].map(normalizeKey),
);

function normalizeKey(key: string): string {
  let normalized = normalizedKeys.get(key);
  if (normalized === undefined) {
    normalized = key.replace(/[_-]/g, '').toLowerCase();
    if (normalizedKeys.size < MAX_MEMOIZED_KEYS) normalizedKeys.set(key, normalized);
  }
  return normalized;
}

/** What `redact` puts in place of a sensitive value. */
export const REDACTED = '[redacted]';

/**
 * A deep copy of `value` with sensitive keys' values replaced by `[redacted]` (null stays null,
 * so "absent" is still visible). `extraKeys` adds provider-specific keys.
 */
export function redact(value: unknown, extraKeys: ReadonlyArray<string> = []): unknown {
  const extra = extraKeys.length === 0 ? undefined : new Set(extraKeys.map(normalizeKey));
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > 32) return REDACTED;
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    if (typeof node !== 'object' || node === null) return node;
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      const normalized = normalizeKey(key);
      const sensitive = PERSONAL_OR_SECRET_KEYS.has(normalized) || (extra?.has(normalized) ?? false);
      copy[key] = sensitive && child !== null && child !== undefined ? REDACTED : walk(child, depth + 1);
    }
    return copy;
  };
  return walk(value, 0);
}

/**
 * Builds a result whose `raw` is redacted lazily: on first read (also by `JSON.stringify` or an
 * object spread), then memoized. Redacting every response eagerly was about a fifth of kycport's
 * own CPU time per call in the benchmark profile, while most hosts never read `raw`.
 * `util.inspect` shows `raw` as `[Getter]` and never runs it, so nothing unredacted is printed.
 */
export function withLazyRaw<T extends object>(
  fields: T,
  response: unknown,
  extraKeys: ReadonlyArray<string> = [],
): T & { readonly raw: unknown } {
  let redacted: unknown;
  let done = false;
  const result = { ...fields };
  Object.defineProperty(result, 'raw', {
    enumerable: true,
    configurable: false,
    get: () => {
      if (!done) {
        redacted = redact(response, extraKeys);
        done = true;
      }
      return redacted;
    },
  });
  return result as T & { readonly raw: unknown };
}

/**
 * A copy of `value` with `fields` set, keeping its accessors as they are: a lazy `raw`
 * (`withLazyRaw`) stays unevaluated, where an object spread or `Object.assign` would run it.
 */
export function withFields<T extends object, F extends object>(value: T, fields: F): Omit<T, keyof F> & F {
  const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(value);
  for (const [key, field] of Object.entries(fields)) {
    descriptors[key] = { value: field, enumerable: true, writable: false, configurable: true };
  }
  return Object.defineProperties({}, descriptors) as Omit<T, keyof F> & F;
}
