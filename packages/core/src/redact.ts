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
 * A lazy `raw`: the response and its extra keys, redacted once on first read and shared by copies
 * (`withFields`). The response sits in private fields, and `util.inspect` (even with `showHidden`)
 * prints only a placeholder, so nothing unredacted is ever printed.
 */
class LazyRaw {
  readonly #response: unknown;
  readonly #extraKeys: ReadonlyArray<string>;
  #redacted: { readonly value: unknown } | undefined;

  constructor(response: unknown, extraKeys: ReadonlyArray<string>) {
    this.#response = response;
    this.#extraKeys = extraKeys;
  }

  value(): unknown {
    this.#redacted ??= { value: redact(this.#response, this.#extraKeys) };
    return this.#redacted.value;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[kycport lazy raw]';
  }
}

/** Where a result keeps its `LazyRaw`: a non-enumerable symbol key (never serialized or spread). */
const LAZY_RAW = Symbol('kycport.lazyRaw');

type WithLazyRawCell = { readonly [LAZY_RAW]?: LazyRaw };

/**
 * One accessor for every lazy `raw`, reading the cell of the object it is read on: defining it per
 * result allocates no closure or descriptor. (On Node 20 the closure-and-descriptor version, with
 * the spread it followed, cost about 2.5 µs a result; this one about 0.5: docs/performance.md.)
 */
const LAZY_RAW_DESCRIPTOR: PropertyDescriptor = {
  enumerable: true,
  configurable: false,
  get(this: WithLazyRawCell): unknown {
    return this[LAZY_RAW]?.value();
  },
};

function defineLazyRaw<T extends object>(target: T, lazy: LazyRaw): T & { readonly raw: unknown } {
  Object.defineProperty(target, LAZY_RAW, { value: lazy });
  Object.defineProperty(target, 'raw', LAZY_RAW_DESCRIPTOR);
  return target as T & { readonly raw: unknown };
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
  // Object.assign, not a spread: a spread's copy took the slow path when `raw` was added (Node 20).
  return defineLazyRaw(Object.assign({}, fields), new LazyRaw(response, extraKeys));
}

/**
 * A copy of `value` with `fields` set, keeping its accessors as they are: a lazy `raw`
 * (`withLazyRaw`) stays unevaluated, where an object spread or `Object.assign` would run it.
 */
export function withFields<T extends object, F extends object>(value: T, fields: F): Omit<T, keyof F> & F {
  const lazy = (value as WithLazyRawCell)[LAZY_RAW];
  if (lazy !== undefined && !('raw' in fields)) {
    // The usual case (a result qualified by the router or the container): plain fields copied, the
    // same lazy `raw` defined again. Copying property descriptors instead cost about 2 µs a call.
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key !== 'raw') copy[key] = (value as Record<string, unknown>)[key];
    }
    return defineLazyRaw(Object.assign(copy, fields), lazy) as unknown as Omit<T, keyof F> & F;
  }
  const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(value);
  for (const [key, field] of Object.entries(fields)) {
    descriptors[key] = { value: field, enumerable: true, writable: false, configurable: true };
  }
  return Object.defineProperties({}, descriptors) as Omit<T, keyof F> & F;
}
