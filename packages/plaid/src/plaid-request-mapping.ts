/**
 * Neutral input -> Plaid request bodies. Pure functions: every Plaid constraint published for
 * `IdentityVerificationCreateRequestUser` (most are stated only in the spec's descriptions, so a
 * schema validator alone would not catch them) is checked here, and a violation is a `validation`
 * error naming the neutral path (`applicant.address.postalCode`), never the value.
 */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { pipe } from 'fp-ts/function';
import {
  CreateUserInputCodec,
  decodeCallOptions,
  decodeInput,
  isWellFormedText,
  refined,
  validationError,
} from '@kycport/core';
import type {
  Applicant,
  CallOptions,
  CreateUserInput,
  KycIssue,
  RetryStrategy,
  ValidationError,
} from '@kycport/core';
import type {
  IdentityVerificationCreateRequest,
  IdentityVerificationRetryRequest,
  PlaidRequestUser,
  PlaidRetryStrategy,
  PlaidUserAddress,
} from './plaid-api';
import { PLAID_PROVIDER_ID } from './plaid-config';
import { decodeCreateUserOptions } from './plaid-options';
import type { PlaidCreateUserOptions, PlaidRetryOptions } from './plaid-options';

/** `IDNumberType` of the pinned spec (1.697.4). `in_epic` (newer spec) is not accepted yet. */
export const PLAID_ID_NUMBER_TYPES = [
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
] as const;
/** An id number type Plaid accepts (`us_ssn`, `br_cpf`, ...). */
export type PlaidIdNumberType = (typeof PLAID_ID_NUMBER_TYPES)[number];

const ID_NUMBER_TYPES: ReadonlySet<string> = new Set(PLAID_ID_NUMBER_TYPES);

/** "Alpha-numeric, with all formatting characters stripped." */
export function stripIdNumber(value: string): string {
  return value.replace(/[^A-Za-z0-9]/g, '');
}

/** Postal codes are sent without spaces and hyphens ("between 2 and 10 alphanumeric characters"). */
export function normalizePostalCode(value: string): string {
  return value.replace(/[\s-]/g, '');
}

const HAS_LETTER = /\p{L}/u;

/**
 * The WHATWG "valid e-mail address" pattern: stricter than core's pragmatic check and in line with
 * the `format: email` Plaid declares (RFC 3696). Hand-written because it is one regular expression
 * and no validator library is a runtime dependency of this package.
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const PlaidEmail = refined(
  t.string,
  (value) => EMAIL.test(value),
  'an RFC 3696 email address without spaces',
);
const PlaidStreet = refined(
  t.string,
  (value) => value.length <= 80 && HAS_LETTER.test(value),
  'a street of at most 80 characters with at least one letter',
);
const PlaidStreet2 = refined(t.string, (value) => value.length <= 50, 'at most 50 characters');
const PlaidCity = refined(
  t.string,
  (value) => value.length <= 100 && HAS_LETTER.test(value),
  'a city of at most 100 characters with at least one letter',
);
const PlaidRegion = refined(
  t.string,
  (value) => /^[A-Z0-9]{1,3}$/.test(value),
  'an ISO 3166-2 subdivision code without the country prefix (e.g. CA)',
);
const PlaidPostalCode = refined(
  t.string,
  (value) => /^[A-Za-z0-9]{2,10}$/.test(normalizePostalCode(value)),
  'a postal code of 2-10 letters or digits',
);
const PlaidIdNumber = t.type({
  type: refined(
    t.string,
    (value) => ID_NUMBER_TYPES.has(value),
    'a Plaid IDNumberType (e.g. us_ssn, us_ssn_last_4)',
  ),
  value: refined(
    t.string,
    (value) => stripIdNumber(value).length > 0,
    'an ID number with at least one letter or digit',
  ),
});

/** `client_user_id` becomes the `UserRef`, which must be well-formed Unicode to be usable later. */
const PlaidClientUserId = refined(t.string, isWellFormedText, 'well-formed Unicode (no lone surrogate)');

/** Plaid's constraints, laid over the neutral applicant so failures name neutral paths. */
const PlaidFullAddress = t.intersection([
  t.type({ line1: PlaidStreet, city: PlaidCity }),
  t.partial({ line2: PlaidStreet2, region: PlaidRegion, postalCode: PlaidPostalCode }),
]);
const PlaidApplicantConstraints = (address: 'full' | 'country_only') =>
  t.partial({
    externalId: PlaidClientUserId,
    email: PlaidEmail,
    idNumber: PlaidIdNumber,
    ...(address === 'full' ? { address: PlaidFullAddress } : {}),
  });

/** The applicant's identity fields (`externalId` is not part of Plaid's `user` object). */
export type PlaidUserFields = Omit<Applicant, 'externalId'> & { readonly externalId?: string };

/** Cross-field rule: "For US-based addresses this must be 5 numeric digits." */
function postalCodeIssues(applicant: PlaidUserFields, prefix: string): KycIssue[] {
  const address = applicant.address;
  if (address?.postalCode === undefined || address.country !== 'US') return [];
  return /^\d{5}$/.test(normalizePostalCode(address.postalCode))
    ? []
    : [
        {
          path: `${prefix}.address.postalCode`,
          message: 'expected 5 digits for a US address (Plaid takes no ZIP+4)',
        },
      ];
}

function addressOf(
  address: NonNullable<Applicant['address']>,
  mode: 'full' | 'country_only',
): PlaidUserAddress {
  if (mode === 'country_only') return { country: address.country };
  return {
    street: address.line1,
    ...(address.line2 !== undefined ? { street2: address.line2 } : {}),
    city: address.city,
    ...(address.region !== undefined ? { region: address.region } : {}),
    ...(address.postalCode !== undefined ? { postal_code: normalizePostalCode(address.postalCode) } : {}),
    country: address.country,
  };
}

/**
 * The applicant as Plaid's `user` object (create's and retry's share the identity fields), or
 * undefined when there is nothing to prefill. Not sent: `name.middle` (Plaid's name has given and
 * family only), `nationality` (no field), `ipAddress` (only in spec versions after the pinned
 * 1.697.4). Issues name paths under `prefix` (`applicant`, or `providerOptions.plaid.applicant` on
 * retry), never values.
 */
export function toPlaidRequestUser(
  applicant: PlaidUserFields,
  options: Pick<PlaidCreateUserOptions, 'address'> = {},
  prefix = 'applicant',
): E.Either<ValidationError, PlaidRequestUser | undefined> {
  const mode = options.address ?? 'full';
  const checked = decodeInput(PLAID_PROVIDER_ID, PlaidApplicantConstraints(mode), applicant, prefix);
  const crossField = mode === 'full' ? postalCodeIssues(applicant, prefix) : [];
  if (E.isLeft(checked) || crossField.length > 0) {
    const issues = [...(E.isLeft(checked) ? checked.left.issues : []), ...crossField];
    return E.left(validationError(PLAID_PROVIDER_ID, issues));
  }
  const user: PlaidRequestUser = {
    ...(applicant.email !== undefined ? { email_address: applicant.email } : {}),
    ...(applicant.phone !== undefined ? { phone_number: applicant.phone } : {}),
    ...(applicant.dateOfBirth !== undefined ? { date_of_birth: applicant.dateOfBirth } : {}),
    ...(applicant.name !== undefined
      ? { name: { given_name: applicant.name.given, family_name: applicant.name.family } }
      : {}),
    ...(applicant.address !== undefined ? { address: addressOf(applicant.address, mode) } : {}),
    ...(applicant.idNumber !== undefined
      ? { id_number: { value: stripIdNumber(applicant.idNumber.value), type: applicant.idNumber.type } }
      : {}),
  };
  return E.right(Object.keys(user).length > 0 ? user : undefined);
}

export interface CreateRequestSettings {
  readonly templateId: string;
  /** The config default for `is_shareable`. */
  readonly isShareable?: boolean;
}

/** `POST /identity_verification/create` body. `client_user_id` sits at the root (the nested one is deprecated). */
export function toPlaidCreateRequest(
  applicant: Applicant,
  options: PlaidCreateUserOptions,
  settings: CreateRequestSettings,
): E.Either<ValidationError, IdentityVerificationCreateRequest> {
  return E.map((user: PlaidRequestUser | undefined): IdentityVerificationCreateRequest => ({
    client_user_id: applicant.externalId,
    template_id: settings.templateId,
    is_shareable: options.isShareable ?? settings.isShareable ?? true,
    gave_consent: options.gaveConsent ?? applicant.termsAccepted ?? false,
    is_idempotent: true,
    ...(user !== undefined ? { user } : {}),
  }))(toPlaidRequestUser(applicant, options));
}

/** The port's `createUser` input validated (applicant, then `providerOptions.plaid`) and mapped. */
export function decodePlaidCreateRequest(
  input: CreateUserInput,
  settings: CreateRequestSettings,
): E.Either<ValidationError, IdentityVerificationCreateRequest> {
  return pipe(
    decodeInput(PLAID_PROVIDER_ID, CreateUserInputCodec, input),
    E.chain((valid) =>
      pipe(
        decodeCreateUserOptions(valid.providerOptions),
        E.chain((options) => toPlaidCreateRequest(valid.applicant, options, settings)),
      ),
    ),
  );
}

/** auto -> infer, restart -> reset, resume -> incomplete, custom -> custom. */
export function toPlaidRetryStrategy(strategy: RetryStrategy): PlaidRetryStrategy {
  switch (strategy.kind) {
    case 'auto':
      return 'infer';
    case 'restart':
      return 'reset';
    case 'resume':
      return 'incomplete';
    case 'custom':
      return 'custom';
  }
}

/**
 * `providerOptions.plaid.applicant` as the retry's `user` object, checked as `createUser` checks
 * the applicant (paths under `providerOptions.plaid.applicant`); undefined when absent or empty.
 */
export function toPlaidRetryUser(
  options: PlaidRetryOptions,
): E.Either<ValidationError, PlaidRequestUser | undefined> {
  if (options.applicant === undefined) return E.right(undefined);
  return toPlaidRequestUser(
    options.applicant,
    { address: options.address },
    `providerOptions.${PLAID_PROVIDER_ID}.applicant`,
  );
}

/**
 * `POST /identity_verification/retry` body: `steps` only (and always) with `custom`; `user` when
 * corrected identity data is given (`toPlaidRetryUser`).
 */
export function toPlaidRetryRequest(
  clientUserId: string,
  templateId: string,
  strategy: RetryStrategy,
  options: PlaidRetryOptions,
  user?: PlaidRequestUser,
): IdentityVerificationRetryRequest {
  return {
    client_user_id: clientUserId,
    template_id: templateId,
    strategy: toPlaidRetryStrategy(strategy),
    ...(user !== undefined ? { user } : {}),
    ...(strategy.kind === 'custom'
      ? {
          steps: {
            verify_sms: strategy.steps.verifySms,
            kyc_check: strategy.steps.kycCheck,
            documentary_verification: strategy.steps.documentaryVerification,
            selfie_check: strategy.steps.selfieCheck,
          },
        }
      : {}),
    ...(options.isShareable !== undefined ? { is_shareable: options.isShareable } : {}),
  };
}

/** The call options, checked before any request (core's one rule, `decodeCallOptions`). */
export function callOptionsOf<O extends CallOptions>(options: O | undefined): E.Either<ValidationError, O> {
  return decodeCallOptions(PLAID_PROVIDER_ID, options);
}
