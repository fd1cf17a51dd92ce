/**
 * `providerOptions.plaid`: Plaid-only settings, validated with paths under `providerOptions.plaid`.
 * Unknown keys are reported (a misspelt option must not be dropped silently), per operation: an
 * option of `retry` given to `createUser` is an error too.
 */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import {
  Address,
  E164Phone,
  EmailAddress,
  IdNumber,
  IsoDate,
  PersonName,
  decodeInput,
  integerInRange,
  validationError,
} from '@kycport/core';
import type { KycIssue, ValidationError } from '@kycport/core';
import { PLAID_PROVIDER_ID } from './plaid-config';

/** How much of an address to send: Plaid accepts none, country only, or a full address. */
const AddressMode = t.keyof({ full: null, country_only: null });

/**
 * Corrected identity data for a retry, in kycport's `Applicant` terms: the six identity fields of
 * Plaid's retry `user` object (`IdentityVerificationRequestUser`: email_address, phone_number,
 * date_of_birth, name, address, id_number), each optional. Mapped and checked as `createUser`
 * maps and checks the applicant (plaid-request-mapping.ts). No `externalId`: the retry is for the
 * same `client_user_id`.
 */
export const PlaidRetryApplicant = t.partial(
  {
    name: PersonName,
    email: EmailAddress,
    phone: E164Phone,
    dateOfBirth: IsoDate,
    address: Address,
    idNumber: IdNumber,
  },
  'PlaidRetryApplicant',
);
export type PlaidRetryApplicant = t.TypeOf<typeof PlaidRetryApplicant>;

/**
 * Codec of `providerOptions.plaid` on `createUser`: shareable URL, consent and how much of the
 * address to send. Unknown keys are reported.
 */
export const PlaidCreateUserOptions = t.partial(
  {
    /** `is_shareable` for this attempt; default: the config's `isShareable`, else true. */
    isShareable: t.boolean,
    /** `gave_consent`; default: `applicant.termsAccepted`, else false. */
    gaveConsent: t.boolean,
    /**
     * How much of `applicant.address` to send: `full` (default) or `country_only` (Plaid accepts
     * none, country only, or a full address).
     */
    address: AddressMode,
  },
  'PlaidCreateUserOptions',
);
/** Plaid's `createUser` options (`providerOptions.plaid`). */
export type PlaidCreateUserOptions = t.TypeOf<typeof PlaidCreateUserOptions>;

/**
 * Codec of `providerOptions.plaid` on `retry`: shareable URL, the state lookup, the expected
 * attempt count, corrected identity data and the address mode. Unknown keys are reported.
 */
export const PlaidRetryOptions = t.partial(
  {
    /** `is_shareable` for the new attempt; absent: Plaid keeps the previous attempt's setting. */
    isShareable: t.boolean,
    /**
     * Look up the latest attempt with `/identity_verification/list` before retrying (default true):
     * one extra call (per page) that lets kycport refuse Plaid's documented strategy restrictions
     * locally, report `not_found` for an unknown user and count attempts.
     */
    checkStateFirst: t.boolean,
    /**
     * The number of attempts the host saw before asking for this retry (`state.attempt` of its last
     * `getStatus`, or `attempts.count` of its last `retry`). With it, `retry` starts an attempt only
     * while Plaid lists exactly that many; when Plaid lists more, an earlier call (e.g. one whose
     * answer was lost) already started one, and that newest attempt is returned instead. This makes
     * a repeat of the same call safe. Needs the lookup (`checkStateFirst` not `false`).
     */
    expectedAttempts: integerInRange(1, 1_000_000),
    /**
     * Corrected identity data sent as Plaid's `user` object, so Link skips asking for it in the new
     * attempt (every template step still runs). Checked before any request.
     */
    applicant: PlaidRetryApplicant,
    /** How much of `applicant.address` to send: `full` (default) or `country_only`. */
    address: AddressMode,
  },
  'PlaidRetryOptions',
);
/** Plaid's `retry` options (`providerOptions.plaid`). */
export type PlaidRetryOptions = t.TypeOf<typeof PlaidRetryOptions>;

/** Both slices: the public type of `providerOptions.plaid`, for hosts that type their `providerOptions`. */
export interface PlaidProviderOptions {
  readonly plaid?: PlaidCreateUserOptions & PlaidRetryOptions;
}

declare module '@kycport/core' {
  interface KycCreateUserProviderOptions {
    /**
     * `providerOptions.plaid` of `createUser`, typed whenever `@kycport/plaid` is imported (a retry
     * option given to `createUser` is refused at run time, and does not compile).
     */
    readonly [PLAID_PROVIDER_ID]: PlaidCreateUserOptions;
  }
  interface KycRetryProviderOptions {
    /** `providerOptions.plaid` of `retry`. Plaid has no `submitVerification`, so that slice stays untyped. */
    readonly [PLAID_PROVIDER_ID]: PlaidRetryOptions;
  }
}

/**
 * Decodes `providerOptions.plaid` with `codec`, reporting unknown keys too (paths under
 * `providerOptions.plaid`).
 */
function decodeProviderOptions<A>(
  codec: t.Type<A, unknown, unknown> & { readonly props: Record<string, unknown> },
  providerOptions: Readonly<Record<string, unknown>> | undefined,
): E.Either<ValidationError, A> {
  const slice = providerOptions?.[PLAID_PROVIDER_ID] ?? {};
  const prefix = `providerOptions.${PLAID_PROVIDER_ID}`;
  if (typeof slice === 'object' && slice !== null && !Array.isArray(slice)) {
    const unknown = Object.keys(slice).filter(
      (key) => !Object.prototype.hasOwnProperty.call(codec.props, key),
    );
    if (unknown.length > 0) {
      return E.left(
        validationError(
          PLAID_PROVIDER_ID,
          unknown.map((key) => ({ path: `${prefix}.${key}`, message: 'is not a Plaid option' })),
        ),
      );
    }
  }
  return decodeInput(PLAID_PROVIDER_ID, codec, slice, prefix);
}

export function decodeCreateUserOptions(
  providerOptions: Readonly<Record<string, unknown>> | undefined,
): E.Either<ValidationError, PlaidCreateUserOptions> {
  return decodeProviderOptions(PlaidCreateUserOptions, providerOptions);
}

/** Keys of `providerOptions.plaid.applicant` that Plaid's retry `user` object has no field for. */
function applicantKeyIssues(providerOptions: Readonly<Record<string, unknown>> | undefined): KycIssue[] {
  const slice = providerOptions?.[PLAID_PROVIDER_ID];
  const applicant =
    typeof slice === 'object' && slice !== null ? (slice as Record<string, unknown>).applicant : undefined;
  if (typeof applicant !== 'object' || applicant === null || Array.isArray(applicant)) return [];
  return Object.keys(applicant)
    .filter((key) => !Object.prototype.hasOwnProperty.call(PlaidRetryApplicant.props, key))
    .map((key) => ({
      path: `providerOptions.${PLAID_PROVIDER_ID}.applicant.${key}`,
      message: `is not sent on retry (Plaid's user object takes ${Object.keys(PlaidRetryApplicant.props).join(', ')})`,
    }));
}

export function decodeRetryOptions(
  providerOptions: Readonly<Record<string, unknown>> | undefined,
): E.Either<ValidationError, PlaidRetryOptions> {
  const unknownApplicantKeys = applicantKeyIssues(providerOptions);
  if (unknownApplicantKeys.length > 0)
    return E.left(validationError(PLAID_PROVIDER_ID, unknownApplicantKeys));
  return E.chain((options: PlaidRetryOptions) =>
    options.expectedAttempts !== undefined && options.checkStateFirst === false
      ? E.left(
          validationError(PLAID_PROVIDER_ID, [
            {
              path: `providerOptions.${PLAID_PROVIDER_ID}.expectedAttempts`,
              message: 'needs the attempt lookup (checkStateFirst must not be false)',
            },
          ]),
        )
      : E.right(options),
  )(decodeProviderOptions(PlaidRetryOptions, providerOptions));
}
