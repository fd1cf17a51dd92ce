/**
 * Redaction of provider payloads kept as `raw` on results and events. Keys are compared without
 * case, `_` or `-`, so `date_of_birth`, `dateOfBirth` and `birthDate` all match.
 */

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
  return key.replace(/[_-]/g, '').toLowerCase();
}

export const REDACTED = '[redacted]';

/** True when a key names personal data or a secret. */
export function isSensitiveKey(key: string): boolean {
  return PERSONAL_OR_SECRET_KEYS.has(normalizeKey(key));
}

/**
 * A deep copy of `value` with sensitive keys' values replaced by `[redacted]` (null stays null,
 * so "absent" is still visible). `extraKeys` adds provider-specific keys.
 */
export function redact(value: unknown, extraKeys: ReadonlyArray<string> = []): unknown {
  const extra = new Set(extraKeys.map(normalizeKey));
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > 32) return REDACTED;
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    if (typeof node !== 'object' || node === null) return node;
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      const sensitive = isSensitiveKey(key) || extra.has(normalizeKey(key));
      copy[key] = sensitive && child !== null && child !== undefined ? REDACTED : walk(child, depth + 1);
    }
    return copy;
  };
  return walk(value, 0);
}
