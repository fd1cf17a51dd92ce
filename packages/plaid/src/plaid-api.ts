/**
 * Plaid wire types. Requests are typed to the pinned spec (OAS `2020-09-14_1.697.4`); responses are
 * decoded with minimal codecs: only the fields the adapter reads, `t.type`/`t.partial` so extra
 * fields pass, and enums decoded as plain strings because Plaid documents that "the API may add new
 * enum values at will" (plaid/plaid-openapi README). Known values are handled in
 * `plaid-status-mapping.ts`; unknown ones stay visible. Every endpoint is a `POST` with a JSON body
 * (https://plaid.com/docs/api/), declared as data in `PLAID_ENDPOINTS`.
 */
import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import * as t from 'io-ts';
import type { CallOptions, KycError } from '@kycport/core';
import { defineEndpoint } from '@kycport/http';
import type { Endpoint, HttpClient } from '@kycport/http';
import { mapPlaidListError, mapPlaidRetryError } from './plaid-error';

// ---------------------------------------------------------------------------------------------
// Requests (what kycport sends; every body is checked against the published schema in the tests)
// ---------------------------------------------------------------------------------------------

/** `UserAddress`: none, country only, or full. */
export interface PlaidUserAddress {
  readonly street?: string;
  readonly street2?: string;
  readonly city?: string;
  readonly region?: string;
  readonly postal_code?: string;
  readonly country: string;
}

/** `IdentityVerificationCreateRequestUser` / `IdentityVerificationRequestUser` (identity fields only). */
export interface PlaidRequestUser {
  readonly email_address?: string;
  readonly phone_number?: string;
  readonly date_of_birth?: string;
  readonly name?: { readonly given_name: string; readonly family_name: string };
  readonly address?: PlaidUserAddress;
  readonly id_number?: { readonly value: string; readonly type: string };
}

/** `IdentityVerificationCreateRequest` (credentials go in headers, never here). */
export interface IdentityVerificationCreateRequest {
  readonly client_user_id: string;
  readonly template_id: string;
  readonly is_shareable: boolean;
  readonly gave_consent: boolean;
  /** Always true: Plaid returns the existing attempt for client_user_id + template_id unmodified. */
  readonly is_idempotent: true;
  readonly user?: PlaidRequestUser;
}

/** The body of `/identity_verification/get`. */
export interface IdentityVerificationGetRequest {
  /** The attempt to read (`idv_...`). */
  readonly identity_verification_id: string;
}

/**
 * The body of `/identity_verification/list`: one user's attempts under one template, a page at a
 * time.
 */
export interface IdentityVerificationListRequest {
  readonly template_id: string;
  readonly client_user_id: string;
  /** The `next_cursor` of the previous page. */
  readonly cursor?: string;
}

/** `Strategy`. */
export type PlaidRetryStrategy = 'reset' | 'incomplete' | 'infer' | 'custom';

/** `IdentityVerificationRetryRequestStepsObject`: required with `custom`, omitted otherwise. */
export interface PlaidRetrySteps {
  readonly verify_sms: boolean;
  readonly kyc_check: boolean;
  readonly documentary_verification: boolean;
  readonly selfie_check: boolean;
}

/** The body of `/identity_verification/retry`: a new attempt for the user, with a strategy. */
export interface IdentityVerificationRetryRequest {
  readonly client_user_id: string;
  readonly template_id: string;
  readonly strategy: PlaidRetryStrategy;
  /** `IdentityVerificationRequestUser`: corrected identity data Link then skips asking for. */
  readonly user?: PlaidRequestUser;
  readonly steps?: PlaidRetrySteps;
  /** Absent: Plaid keeps the original attempt's setting. */
  readonly is_shareable?: boolean;
}

/** The body of `/webhook_verification_key/get`. */
export interface WebhookVerificationKeyGetRequest {
  /** The `kid` from a webhook JWT's header. */
  readonly key_id: string;
}

// ---------------------------------------------------------------------------------------------
// Responses (minimal and tolerant)
// ---------------------------------------------------------------------------------------------

const NullableString = t.union([t.string, t.null]);

/**
 * One attempt: `IdentityVerification` (list items) = `IdentityVerificationGetResponse` /
 * `...CreateResponse` / `...RetryResponse` minus `request_id`. `status` and the `steps` values are
 * open string enums; `steps` may gain keys.
 */
export const PlaidIdentityVerification = t.intersection(
  [
    t.type({
      id: t.string,
      client_user_id: t.string,
      created_at: t.string,
      status: t.string,
      steps: t.UnknownRecord,
    }),
    t.partial({
      shareable_url: NullableString,
      previous_attempt_id: NullableString,
      completed_at: NullableString,
      request_id: t.string,
    }),
  ],
  'IdentityVerification',
);
export type PlaidIdentityVerification = t.TypeOf<typeof PlaidIdentityVerification>;

/**
 * Codec of the `/identity_verification/list` answer (only the fields kycport reads; others are
 * tolerated).
 */
export const PlaidIdentityVerificationListResponse = t.intersection(
  [
    t.type({ identity_verifications: t.array(PlaidIdentityVerification) }),
    t.partial({ next_cursor: NullableString, request_id: t.string }),
  ],
  'IdentityVerificationListResponse',
);
/** A page of a user's attempts, with the cursor of the next page. */
export type PlaidIdentityVerificationListResponse = t.TypeOf<typeof PlaidIdentityVerificationListResponse>;

/** `JWKPublicKey` as returned by `/webhook_verification_key/get`. */
export const PlaidJwkPublicKey = t.intersection(
  [
    t.type({
      alg: t.string,
      kid: t.string,
      kty: t.string,
      crv: t.string,
      x: t.string,
      y: t.string,
      /** Unix seconds; null while the key is current. Plaid's reference code rejects any non-null value. */
      expired_at: t.union([t.number, t.null]),
    }),
    t.partial({ use: t.string, created_at: t.number }),
  ],
  'JWKPublicKey',
);
export type PlaidJwkPublicKey = t.TypeOf<typeof PlaidJwkPublicKey>;

/**
 * Codec of the `/webhook_verification_key/get` answer: the public key (JWK) a webhook JWT is
 * checked with.
 */
export const PlaidWebhookVerificationKeyResponse = t.intersection(
  [t.type({ key: PlaidJwkPublicKey }), t.partial({ request_id: t.string })],
  'WebhookVerificationKeyGetResponse',
);

/** The three IDV webhooks (`IdentityVerification{StatusUpdated,StepUpdated,Retried}Webhook`): ids only. */
export const PlaidIdentityVerificationWebhook = t.intersection(
  [
    t.type({ webhook_type: t.string, webhook_code: t.string, identity_verification_id: t.string }),
    t.partial({ environment: t.string }),
  ],
  'IdentityVerificationWebhook',
);
export type PlaidIdentityVerificationWebhook = t.TypeOf<typeof PlaidIdentityVerificationWebhook>;

/** Claims of the `Plaid-Verification` JWT (https://plaid.com/docs/api/webhooks/webhook-verification/). */
export const PlaidWebhookClaims = t.type(
  { iat: t.number, request_body_sha256: t.string },
  'PlaidWebhookClaims',
);
export type PlaidWebhookClaims = t.TypeOf<typeof PlaidWebhookClaims>;

/**
 * Keys redacted from `raw` beyond core's list: document images and selfie captures (URLs to
 * personal images), data extracted from documents, and `shareable_url` (a bearer link to the
 * user's session; it is handed out once as `nextAction.url`).
 */
export const PLAID_REDACTED_KEYS: ReadonlyArray<string> = [
  'images',
  'capture',
  'extracted_data',
  'shareable_url',
  'issuing_region',
  'expiration_date',
  'issue_date',
];

// ---------------------------------------------------------------------------------------------
// Endpoints (https://plaid.com/docs/api/products/identity-verification/ and
// https://plaid.com/docs/api/webhooks/webhook-verification/)
// ---------------------------------------------------------------------------------------------

/**
 * Every Plaid endpoint kycport calls, as data: path, method, whether it is safe to send twice, and
 * the answer's codec.
 */
export const PLAID_ENDPOINTS = {
  /**
   * `is_idempotent: true` (always sent) makes Plaid return the existing attempt for
   * client_user_id + template_id, so a transport retry after a timeout cannot create a second one.
   */
  create: defineEndpoint({
    operation: 'createUser',
    method: 'POST',
    path: '/identity_verification/create',
    idempotent: true,
    response: PlaidIdentityVerification,
  }),
  get: defineEndpoint({
    operation: 'getVerification',
    method: 'POST',
    path: '/identity_verification/get',
    idempotent: true,
    response: PlaidIdentityVerification,
  }),
  /** Its field refusals are about the template (its other fields are checked or Plaid's own): own mapper. */
  list: defineEndpoint({
    operation: 'getStatus',
    method: 'POST',
    path: '/identity_verification/list',
    idempotent: true,
    response: PlaidIdentityVerificationListResponse,
    mapError: mapPlaidListError,
  }),
  /**
   * Not idempotent: Plaid has no idempotency for retry, so a repeated send starts another attempt;
   * the transport only repeats it when it never reached Plaid. Its failures read differently (a
   * refused strategy), hence its own mapper.
   */
  retry: defineEndpoint({
    operation: 'retry',
    method: 'POST',
    path: '/identity_verification/retry',
    idempotent: false,
    response: PlaidIdentityVerification,
    mapError: mapPlaidRetryError,
  }),
  webhookVerificationKey: defineEndpoint({
    operation: 'webhookVerificationKey',
    method: 'POST',
    path: '/webhook_verification_key/get',
    idempotent: true,
    response: PlaidWebhookVerificationKeyResponse,
  }),
} as const;

/** Calls a Plaid endpoint with a JSON body; the decoded body on success. */
export function callPlaid<A>(
  client: HttpClient,
  endpoint: Endpoint<A>,
  body: object,
  options?: CallOptions,
): TE.TaskEither<KycError, A> {
  const call = client.call(endpoint, { body }, options);
  // A `then` rather than `TE.map`: without fp-ts's closures and promise hop on every call.
  return () => call().then((result) => (E.isLeft(result) ? result : E.right(result.right.data)));
}
