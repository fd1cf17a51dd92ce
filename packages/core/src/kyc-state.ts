/** The normalized KYC state every adapter maps its provider's statuses onto. */

/**
 * - `pending`: started; nothing is asked of the user or host yet, the provider has not decided.
 * - `action_required`: the user or the host must act (see `nextAction`).
 * - `in_review`: the provider (or a human there) is reviewing.
 * - `approved` / `denied`: a verdict. `denied` may still be retryable (see `nextAction`).
 * - `expired` / `canceled`: the attempt ended without a verdict.
 */
export type KycStatus =
  'pending' | 'action_required' | 'in_review' | 'approved' | 'denied' | 'expired' | 'canceled';

/** Every `KycStatus`, in the order of the flow (for codecs, tables and exhaustive tests). */
export const KYC_STATUSES: ReadonlyArray<KycStatus> = [
  'pending',
  'action_required',
  'in_review',
  'approved',
  'denied',
  'expired',
  'canceled',
];

/** What should happen next, and who does it. */
export type NextAction =
  /** Send the user's browser to `url` (a hosted verification flow; always `https:` or a configured origin). */
  | { readonly type: 'redirect'; readonly url: string }
  /**
   * The user must continue in the provider's hosted flow, but its URL existed only in an answer
   * that was lost (kycport recovered the user, not the URL). The provider page says how to get one.
   */
  | { readonly type: 'redirect_unavailable'; readonly reason: string }
  /** The host must call `submitVerification` with the listed items (provider terms, e.g. `document_data`). */
  | { readonly type: 'submit_verification'; readonly missing: ReadonlyArray<string> }
  /** Nothing to do but wait for a webhook or poll `getStatus`. */
  | { readonly type: 'await_provider' }
  /** The provider's rules leave no self-service path (e.g. retries exhausted). */
  | { readonly type: 'contact_support' }
  /** Done: nothing further (approved), or a final state. */
  | { readonly type: 'none' };

/**
 * The normalized KYC state of one user: the same shape whichever provider answered, with the
 * provider's own values kept alongside.
 */
export interface KycState {
  /** Where the user is in the flow, provider-neutral. */
  readonly status: KycStatus;
  /** The provider's own status value(s), as received, e.g. `pending_kyc` or `NOT_VERIFIED/PENDING`. */
  readonly providerStatus: string;
  /** Provider reason or denial codes (`WRONG_USER_REGION`, `NO_FACE_FOUND`, `kyc_check`...). */
  readonly reasonCodes: ReadonlyArray<string>;
  /** 1 for the first attempt, where the provider tells. */
  readonly attempt?: number;
  /** What should happen next, and who does it (redirect the user, wait, retry, nothing). */
  readonly nextAction: NextAction;
}

/**
 * Marks a `switch` as exhaustive: does not compile while a case is missing, and throws if a value
 * the types exclude arrives at run time anyway.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${String(value)}`);
}

/**
 * The one rule every adapter applies to a provider status it does not know (a value added after the
 * adapter was written): `pending` with nothing to do but wait, the raw value kept in
 * `providerStatus`. Never a verdict: an unknown value must not approve or deny anyone.
 */
export function unknownProviderState(providerStatus: string, attempt?: number): KycState {
  return {
    status: 'pending',
    providerStatus,
    reasonCodes: [],
    ...(attempt === undefined ? {} : { attempt }),
    nextAction: { type: 'await_provider' },
  };
}
