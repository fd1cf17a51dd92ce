/**
 * Plaid wire helpers for the simulator: `PlaidError` bodies, request ids, and plain checks of the
 * Identity Verification request bodies (pinned spec `2020-09-14_1.697.4`). Written here rather than
 * imported from `@kycport/plaid`: the testing kit must not depend on an adapter at run time.
 */
import { randomBytes } from 'node:crypto';
import type { SimulatorResponse } from '../simulator-server';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random base-62 characters (Plaid ids and request ids look like `52xR9LKo77r1Np`). */
export function base62(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE62[byte % BASE62.length];
  return out;
}

/** A Plaid-looking `request_id` (15 characters, e.g. `saKrIBuEB9qJZng`). */
export function requestId(): string {
  return base62(15);
}

export type PlaidErrorType = 'INVALID_REQUEST' | 'INVALID_INPUT' | 'RATE_LIMIT_EXCEEDED' | 'API_ERROR';

const DOCUMENTATION: Record<PlaidErrorType, string> = {
  INVALID_REQUEST: 'https://plaid.com/docs/?ref=error#invalid-request-errors',
  INVALID_INPUT: 'https://plaid.com/docs/?ref=error#invalid-input-errors',
  RATE_LIMIT_EXCEEDED: 'https://plaid.com/docs/?ref=error#rate-limit-exceeded-errors',
  API_ERROR: 'https://plaid.com/docs/?ref=error#api-errors',
};

/** A `PlaidError` body (https://plaid.com/docs/errors/), as Plaid sends it. */
export function plaidErrorBody(
  errorType: PlaidErrorType,
  errorCode: string,
  errorMessage: string,
): Record<string, unknown> {
  return {
    display_message: null,
    documentation_url: DOCUMENTATION[errorType],
    error_code: errorCode,
    error_message: errorMessage,
    error_type: errorType,
    request_id: requestId(),
    suggested_action: null,
  };
}

/** A failed answer: HTTP `status` (400 unless told) with a `PlaidError` body. */
export function plaidError(
  errorType: PlaidErrorType,
  errorCode: string,
  errorMessage: string,
  status = 400,
): SimulatorResponse {
  return { status, body: plaidErrorBody(errorType, errorCode, errorMessage) };
}

/** Plaid's message for `MISSING_FIELDS`. */
export function missingFields(fields: ReadonlyArray<string>): SimulatorResponse {
  return plaidError(
    'INVALID_REQUEST',
    'MISSING_FIELDS',
    `the following required fields are missing: ${fields.join(', ')}`,
  );
}

export function invalidField(message: string): SimulatorResponse {
  return plaidError('INVALID_REQUEST', 'INVALID_FIELD', message);
}

export function unknownFields(fields: ReadonlyArray<string>): SimulatorResponse {
  return plaidError(
    'INVALID_REQUEST',
    'UNKNOWN_FIELDS',
    `the following fields are not recognized by this endpoint: ${fields.join(', ')}`,
  );
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

// ------------------------------------------------------------------------------------------------
// Field checks
// ------------------------------------------------------------------------------------------------

/** `IDNumberType` of the pinned spec plus `in_epic` (newer spec versions). */
export const ID_NUMBER_TYPES: ReadonlySet<string> = new Set([
  'ar_dni',
  'au_drivers_license',
  'au_passport',
  'br_cpf',
  'ca_sin',
  'cl_run',
  'cn_resident_card',
  'co_nit',
  'dk_cpr',
  'eg_national_id',
  'es_dni',
  'es_nie',
  'hk_hkid',
  'in_epic',
  'in_pan',
  'it_cf',
  'jo_civil_id',
  'jp_my_number',
  'ke_huduma_namba',
  'kw_civil_id',
  'mx_curp',
  'mx_rfc',
  'my_nric',
  'ng_nin',
  'nz_drivers_license',
  'om_civil_id',
  'ph_psn',
  'pl_pesel',
  'ro_cnp',
  'sa_national_id',
  'se_pin',
  'sg_nric',
  'tr_tc_kimlik',
  'us_ssn',
  'us_ssn_last_4',
  'za_smart_id',
]);

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const HAS_LETTER = /\p{L}/u;

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The identity data the simulator keeps for an attempt (`IdentityVerificationRequestUser`). */
export interface RequestUser {
  readonly email_address?: string;
  readonly phone_number?: string;
  readonly date_of_birth?: string;
  readonly name?: { readonly given_name: string; readonly family_name: string };
  readonly address?: {
    readonly street?: string;
    readonly street2?: string;
    readonly city?: string;
    readonly region?: string;
    readonly postal_code?: string;
    readonly country: string;
  };
  readonly id_number?: { readonly value: string; readonly type: string };
  readonly ip_address?: string;
}

const USER_FIELDS = [
  'email_address',
  'phone_number',
  'date_of_birth',
  'name',
  'address',
  'id_number',
  'client_user_id',
  'ip_address',
];

type Checked<A> =
  { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: SimulatorResponse };

const fail = <A>(error: SimulatorResponse): Checked<A> => ({ ok: false, error });

function optionalString(
  record: Record<string, unknown>,
  key: string,
  path: string,
): Checked<string | undefined> {
  const value = record[key];
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== 'string') return fail(invalidField(`${path} must be a string`));
  return { ok: true, value };
}

/**
 * `user` of create and retry: each identity field either fully provided or omitted; the formats
 * Plaid documents (E.164 phone, YYYY-MM-DD date, RFC email, names 1-100 characters, addresses none /
 * country only / full, US postal codes of 5 digits, id numbers alphanumeric of a known type).
 */
export function checkUser(input: unknown): Checked<RequestUser | undefined> {
  if (input === undefined || input === null) return { ok: true, value: undefined };
  const user = asRecord(input);
  if (!user) return fail(invalidField('user must be an object'));
  const unknown = Object.keys(user).filter((key) => !USER_FIELDS.includes(key));
  if (unknown.length > 0) return fail(unknownFields(unknown.map((key) => `user.${key}`)));
  const out: {
    -readonly [K in keyof RequestUser]: RequestUser[K];
  } = {};

  const email = optionalString(user, 'email_address', 'user.email_address');
  if (!email.ok) return email;
  if (email.value !== undefined) {
    if (!EMAIL.test(email.value))
      return fail(invalidField('user.email_address must be a valid email address'));
    out.email_address = email.value;
  }
  const phone = optionalString(user, 'phone_number', 'user.phone_number');
  if (!phone.ok) return phone;
  if (phone.value !== undefined) {
    if (!E164.test(phone.value)) return fail(invalidField('user.phone_number must be in E.164 format'));
    out.phone_number = phone.value;
  }
  const dob = optionalString(user, 'date_of_birth', 'user.date_of_birth');
  if (!dob.ok) return dob;
  if (dob.value !== undefined) {
    if (!isIsoDate(dob.value))
      return fail(invalidField('user.date_of_birth must be a date in YYYY-MM-DD format'));
    out.date_of_birth = dob.value;
  }
  const ip = optionalString(user, 'ip_address', 'user.ip_address');
  if (!ip.ok) return ip;
  if (ip.value !== undefined) out.ip_address = ip.value;

  if (user.name !== undefined && user.name !== null) {
    const name = asRecord(user.name);
    if (!name) return fail(invalidField('user.name must be an object'));
    const missing = ['given_name', 'family_name'].filter(
      (key) => name[key] === undefined || name[key] === null,
    );
    if (missing.length > 0) return fail(missingFields(missing.map((key) => `user.name.${key}`)));
    for (const key of ['given_name', 'family_name']) {
      const value = name[key];
      if (typeof value !== 'string' || value.trim() === '' || value.length > 100)
        return fail(invalidField(`user.name.${key} must have 1 to 100 characters, not only whitespace`));
    }
    out.name = { given_name: name.given_name as string, family_name: name.family_name as string };
  }

  if (user.address !== undefined && user.address !== null) {
    const address = asRecord(user.address);
    if (!address) return fail(invalidField('user.address must be an object'));
    if (address.country === undefined || address.country === null)
      return fail(missingFields(['user.address.country']));
    if (typeof address.country !== 'string' || !/^[A-Z]{2}$/.test(address.country))
      return fail(invalidField('user.address.country must be a capitalized ISO 3166-1 alpha-2 code'));
    const parts: Record<string, string | undefined> = {};
    for (const key of ['street', 'street2', 'city', 'region', 'postal_code']) {
      const value = optionalString(address, key, `user.address.${key}`);
      if (!value.ok) return value;
      parts[key] = value.value;
    }
    const full = parts.street !== undefined || parts.city !== undefined;
    if (
      full ||
      parts.street2 !== undefined ||
      parts.region !== undefined ||
      parts.postal_code !== undefined
    ) {
      // Plaid accepts no address, a country only, or a full address (street and city at least).
      const missing = ['street', 'city'].filter((key) => parts[key] === undefined);
      if (missing.length > 0) return fail(missingFields(missing.map((key) => `user.address.${key}`)));
      if ((parts.street as string).length > 80 || !HAS_LETTER.test(parts.street as string))
        return fail(
          invalidField('user.address.street must have at most 80 characters and at least one letter'),
        );
      if ((parts.city as string).length > 100 || !HAS_LETTER.test(parts.city as string))
        return fail(
          invalidField('user.address.city must have at most 100 characters and at least one letter'),
        );
      if (parts.street2 !== undefined && parts.street2.length > 50)
        return fail(invalidField('user.address.street2 must have at most 50 characters'));
      if (parts.region !== undefined && !/^[A-Z0-9]{1,3}$/.test(parts.region))
        return fail(
          invalidField(
            'user.address.region must be an ISO 3166-2 subdivision code without the country prefix',
          ),
        );
      if (parts.postal_code !== undefined) {
        const pattern = address.country === 'US' ? /^\d{5}$/ : /^[A-Za-z0-9]{2,10}$/;
        if (!pattern.test(parts.postal_code))
          return fail(
            invalidField(
              address.country === 'US'
                ? 'user.address.postal_code must be 5 digits for US addresses'
                : 'user.address.postal_code must have 2 to 10 alphanumeric characters',
            ),
          );
      }
    }
    out.address = {
      ...(parts.street !== undefined ? { street: parts.street } : {}),
      ...(parts.street2 !== undefined ? { street2: parts.street2 } : {}),
      ...(parts.city !== undefined ? { city: parts.city } : {}),
      ...(parts.region !== undefined ? { region: parts.region } : {}),
      ...(parts.postal_code !== undefined ? { postal_code: parts.postal_code } : {}),
      country: address.country,
    };
  }

  if (user.id_number !== undefined && user.id_number !== null) {
    const idNumber = asRecord(user.id_number);
    if (!idNumber) return fail(invalidField('user.id_number must be an object'));
    const missing = ['value', 'type'].filter((key) => idNumber[key] === undefined || idNumber[key] === null);
    if (missing.length > 0) return fail(missingFields(missing.map((key) => `user.id_number.${key}`)));
    if (typeof idNumber.type !== 'string' || !ID_NUMBER_TYPES.has(idNumber.type))
      return fail(invalidField('user.id_number.type must be a supported IDNumberType'));
    if (typeof idNumber.value !== 'string' || !/^[A-Za-z0-9]+$/.test(idNumber.value))
      return fail(
        invalidField('user.id_number.value must be alphanumeric with formatting characters stripped'),
      );
    out.id_number = { value: idNumber.value, type: idNumber.type };
  }
  return { ok: true, value: out };
}

export type { Checked };
