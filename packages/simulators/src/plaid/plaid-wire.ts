/**
 * Plaid wire helpers for the simulator: `PlaidError` bodies, request ids, and plain checks of the
 * Identity Verification request bodies (pinned spec `2020-09-14_1.697.4`). Written here rather than
 * imported from `@kycport/plaid`: the simulators must not depend on an adapter.
 */
import type { PlaidRefusalStyle } from './plaid-settings';
import type { SimulatorResponse } from '../simulator-server';
import { asRecord, base62 } from '../simulator-wire';

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

/** The message of a `terse` refusal: it names no field. */
export const TERSE_REFUSAL_MESSAGE = 'the request could not be processed as sent';

/**
 * An undocumented refusal (`INVALID_REQUEST` / `INVALID_FIELD`, an assumption) worded by the
 * simulator's `refusalStyle`: `message` (naming the field) or the terse message.
 */
export function refusal(style: PlaidRefusalStyle, message: string): SimulatorResponse {
  return invalidField(style === 'terse' ? TERSE_REFUSAL_MESSAGE : message);
}

export function unknownFields(fields: ReadonlyArray<string>): SimulatorResponse {
  return plaidError(
    'INVALID_REQUEST',
    'UNKNOWN_FIELDS',
    `the following fields are not recognized by this endpoint: ${fields.join(', ')}`,
  );
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

/** `IdentityVerificationRequestUser` (retry): the six identity fields. */
export const RETRY_USER_FIELDS: ReadonlyArray<string> = [
  'email_address',
  'phone_number',
  'date_of_birth',
  'name',
  'address',
  'id_number',
];
/**
 * `IdentityVerificationCreateRequestUser` (create): the same plus the deprecated `client_user_id`
 * and `ip_address` (newer spec versions).
 */
export const CREATE_USER_FIELDS: ReadonlyArray<string> = [
  ...RETRY_USER_FIELDS,
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

/** An optional part of the body: absent (`undefined` or `null`) passes, anything else is checked. */
function optionalPart<A>(value: unknown, check: (value: unknown) => Checked<A>): Checked<A | undefined> {
  return value === undefined || value === null ? { ok: true, value: undefined } : check(value);
}

type UserStrings = Pick<RequestUser, 'email_address' | 'phone_number' | 'date_of_birth' | 'ip_address'>;

/** The plain strings of `user`, in the order they are checked, with their format (none for the IP). */
const USER_STRINGS: ReadonlyArray<
  readonly [keyof UserStrings, ((value: string) => boolean) | undefined, string]
> = [
  ['email_address', (value) => EMAIL.test(value), 'user.email_address must be a valid email address'],
  ['phone_number', (value) => E164.test(value), 'user.phone_number must be in E.164 format'],
  ['date_of_birth', isIsoDate, 'user.date_of_birth must be a date in YYYY-MM-DD format'],
  ['ip_address', undefined, ''],
];

function checkUserStrings(user: Record<string, unknown>): Checked<UserStrings> {
  const out: { -readonly [K in keyof UserStrings]: UserStrings[K] } = {};
  for (const [key, valid, message] of USER_STRINGS) {
    const value = optionalString(user, key, `user.${key}`);
    if (!value.ok) return value;
    if (value.value === undefined) continue;
    if (valid !== undefined && !valid(value.value)) return fail(invalidField(message));
    out[key] = value.value;
  }
  return { ok: true, value: out };
}

function checkName(input: unknown): Checked<NonNullable<RequestUser['name']>> {
  const name = asRecord(input);
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
  return {
    ok: true,
    value: { given_name: name.given_name as string, family_name: name.family_name as string },
  };
}

type AddressParts = Partial<Record<'street' | 'street2' | 'city' | 'region' | 'postal_code', string>>;

/** A full address (more than a country): street and city at least, each part in its documented format. */
function fullAddressProblem(parts: AddressParts, country: string): SimulatorResponse | undefined {
  const missing = (['street', 'city'] as const).filter((key) => parts[key] === undefined);
  if (missing.length > 0) return missingFields(missing.map((key) => `user.address.${key}`));
  if ((parts.street as string).length > 80 || !HAS_LETTER.test(parts.street as string))
    return invalidField('user.address.street must have at most 80 characters and at least one letter');
  if ((parts.city as string).length > 100 || !HAS_LETTER.test(parts.city as string))
    return invalidField('user.address.city must have at most 100 characters and at least one letter');
  if (parts.street2 !== undefined && parts.street2.length > 50)
    return invalidField('user.address.street2 must have at most 50 characters');
  if (parts.region !== undefined && !/^[A-Z0-9]{1,3}$/.test(parts.region))
    return invalidField(
      'user.address.region must be an ISO 3166-2 subdivision code without the country prefix',
    );
  if (parts.postal_code === undefined) return undefined;
  const pattern = country === 'US' ? /^\d{5}$/ : /^[A-Za-z0-9]{2,10}$/;
  if (pattern.test(parts.postal_code)) return undefined;
  return invalidField(
    country === 'US'
      ? 'user.address.postal_code must be 5 digits for US addresses'
      : 'user.address.postal_code must have 2 to 10 alphanumeric characters',
  );
}

/** Plaid accepts no address, a country only, or a full address (street and city at least). */
function checkAddress(input: unknown): Checked<NonNullable<RequestUser['address']>> {
  const address = asRecord(input);
  if (!address) return fail(invalidField('user.address must be an object'));
  if (address.country === undefined || address.country === null)
    return fail(missingFields(['user.address.country']));
  if (typeof address.country !== 'string' || !/^[A-Z]{2}$/.test(address.country))
    return fail(invalidField('user.address.country must be a capitalized ISO 3166-1 alpha-2 code'));
  const parts: AddressParts = {};
  for (const key of ['street', 'street2', 'city', 'region', 'postal_code'] as const) {
    const value = optionalString(address, key, `user.address.${key}`);
    if (!value.ok) return value;
    if (value.value !== undefined) parts[key] = value.value;
  }
  if (Object.keys(parts).length > 0) {
    const problem = fullAddressProblem(parts, address.country);
    if (problem) return fail(problem);
  }
  return { ok: true, value: { ...parts, country: address.country } };
}

function checkIdNumber(input: unknown): Checked<NonNullable<RequestUser['id_number']>> {
  const idNumber = asRecord(input);
  if (!idNumber) return fail(invalidField('user.id_number must be an object'));
  const missing = ['value', 'type'].filter((key) => idNumber[key] === undefined || idNumber[key] === null);
  if (missing.length > 0) return fail(missingFields(missing.map((key) => `user.id_number.${key}`)));
  if (typeof idNumber.type !== 'string' || !ID_NUMBER_TYPES.has(idNumber.type))
    return fail(invalidField('user.id_number.type must be a supported IDNumberType'));
  if (typeof idNumber.value !== 'string' || !/^[A-Za-z0-9]+$/.test(idNumber.value))
    return fail(
      invalidField('user.id_number.value must be alphanumeric with formatting characters stripped'),
    );
  return { ok: true, value: { value: idNumber.value, type: idNumber.type } };
}

/**
 * `user` of create and retry: each identity field either fully provided or omitted; the formats
 * Plaid documents (E.164 phone, YYYY-MM-DD date, RFC email, names 1-100 characters, addresses none /
 * country only / full, US postal codes of 5 digits, id numbers alphanumeric of a known type).
 */
export function checkUser(
  input: unknown,
  fields: ReadonlyArray<string> = CREATE_USER_FIELDS,
): Checked<RequestUser | undefined> {
  if (input === undefined || input === null) return { ok: true, value: undefined };
  const user = asRecord(input);
  if (!user) return fail(invalidField('user must be an object'));
  const unknown = Object.keys(user).filter((key) => !fields.includes(key));
  if (unknown.length > 0) return fail(unknownFields(unknown.map((key) => `user.${key}`)));
  const strings = checkUserStrings(user);
  if (!strings.ok) return strings;
  const name = optionalPart(user.name, checkName);
  if (!name.ok) return name;
  const address = optionalPart(user.address, checkAddress);
  if (!address.ok) return address;
  const idNumber = optionalPart(user.id_number, checkIdNumber);
  if (!idNumber.ok) return idNumber;
  return {
    ok: true,
    value: {
      ...strings.value,
      ...(name.value !== undefined ? { name: name.value } : {}),
      ...(address.value !== undefined ? { address: address.value } : {}),
      ...(idNumber.value !== undefined ? { id_number: idNumber.value } : {}),
    },
  };
}

export type { Checked };
