/**
 * `providerOptions.plaid`: Plaid-only settings, validated with paths under `providerOptions.plaid`.
 * Unknown keys are reported (a misspelt option must not be dropped silently).
 */
import * as t from 'io-ts';

export const PlaidCreateUserOptionsCodec = t.partial(
  {
    /** `is_shareable` for this attempt; default: the config's `isShareable`, else true. */
    isShareable: t.boolean,
    /** `gave_consent`; default: `applicant.termsAccepted`, else false. */
    gaveConsent: t.boolean,
    /**
     * How much of `applicant.address` to send: `full` (default) or `country_only` (Plaid accepts
     * none, country only, or a full address).
     */
    address: t.keyof({ full: null, country_only: null }),
  },
  'PlaidCreateUserOptions',
);
export type PlaidCreateUserOptions = t.TypeOf<typeof PlaidCreateUserOptionsCodec>;

export const PlaidRetryOptionsCodec = t.partial(
  {
    /** `is_shareable` for the new attempt; absent: Plaid keeps the previous attempt's setting. */
    isShareable: t.boolean,
    /**
     * Look up the latest attempt with `/identity_verification/list` before retrying (default true):
     * one extra call (per page) that lets kycport refuse Plaid's documented strategy restrictions
     * locally, report `not_found` for an unknown user and count attempts.
     */
    checkStateFirst: t.boolean,
  },
  'PlaidRetryOptions',
);
export type PlaidRetryOptions = t.TypeOf<typeof PlaidRetryOptionsCodec>;

/** Both slices, for hosts that type their `providerOptions`. */
export interface PlaidProviderOptions {
  readonly plaid?: PlaidCreateUserOptions & PlaidRetryOptions;
}
