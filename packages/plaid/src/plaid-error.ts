/**
 * Plaid error bodies (`PlaidError`) -> `KycError`. Plaid says to classify by `error_type` /
 * `error_code` "in preference to HTTP status codes", so the code decides first, then the type, then
 * the HTTP status class. `error_message` and `display_message` are never copied (they can echo
 * submitted values); the IDV endpoints declare no error schema at all, so any body is tolerated,
 * including non-JSON ones (HTML from a proxy).
 */
import * as t from 'io-ts';
import { kycError } from '@kycport/core';
import type { KycError } from '@kycport/core';
import { errorFromCodeTable } from '@kycport/http';
import type { HttpErrorMapper, HttpFailure, ProviderCodeRule, ProviderCodeTable } from '@kycport/http';
import { PLAID_PROVIDER_ID } from './plaid-config';

/** The fields of `PlaidError` kycport reads. */
export const PlaidErrorBody = t.partial(
  {
    error_type: t.string,
    error_code: t.string,
    error_message: t.union([t.string, t.null]),
    request_id: t.string,
  },
  'PlaidError',
);
export type PlaidErrorBody = t.TypeOf<typeof PlaidErrorBody>;

/** By `error_code` (https://plaid.com/docs/errors/). */
export const PLAID_ERROR_CODES: ProviderCodeTable = {
  INVALID_API_KEYS: { kind: 'unauthorized', message: 'Plaid rejected the client_id or secret' },
  UNAUTHORIZED_ENVIRONMENT: {
    kind: 'forbidden',
    message: 'the client_id is not enabled for this Plaid environment',
  },
  INVALID_PRODUCT: { kind: 'forbidden', message: 'the client_id is not enabled for Identity Verification' },
  DIRECT_INTEGRATION_NOT_ENABLED: {
    kind: 'forbidden',
    message: 'the client_id may only use Plaid Link for this call',
  },
  INVALID_BODY: { kind: 'validation', message: 'Plaid rejected the request body' },
  MISSING_FIELDS: { kind: 'validation', message: 'Plaid reported missing fields' },
  INVALID_FIELD: { kind: 'validation', message: 'Plaid rejected a field value' },
  UNKNOWN_FIELDS: { kind: 'validation', message: 'Plaid reported unknown fields' },
  INVALID_HEADERS: { kind: 'validation', message: 'Plaid rejected the request headers' },
  INCOMPATIBLE_API_VERSION: {
    kind: 'validation',
    message: 'Plaid rejected the API version 2020-09-14 for this call',
  },
  INVALID_WEBHOOK_VERIFICATION_KEY_ID: {
    kind: 'not_found',
    message: 'Plaid does not know the webhook key id',
  },
  INTERNAL_SERVER_ERROR: { kind: 'provider_unavailable', message: 'Plaid had an internal error' },
  PLANNED_MAINTENANCE: { kind: 'provider_unavailable', message: 'Plaid is in planned maintenance' },
};

/** By `error_type` when the code is not in the table (codes grow; types are broader). */
export const PLAID_ERROR_TYPES: ProviderCodeTable = {
  INVALID_REQUEST: { kind: 'validation', message: 'Plaid rejected the request as malformed' },
  INVALID_INPUT: { kind: 'validation', message: 'Plaid rejected a value in the request' },
  RATE_LIMIT_EXCEEDED: { kind: 'rate_limited', message: 'the Plaid rate limit was exceeded' },
  API_ERROR: { kind: 'provider_unavailable', message: 'Plaid failed to process the request' },
};

/**
 * Sandbox without Identity Verification access answers "client is not authorized to access the
 * following products: [\"identity_verification\"]" (plaid/plaid-node#674) with an undocumented
 * code: recognised by that sentence (read, never copied) and reported as `forbidden`.
 */
const PRODUCT_NOT_AUTHORIZED = /not authorized to access the following products/i;
const PRODUCT_RULE: ProviderCodeRule = {
  kind: 'forbidden',
  message: 'the client_id is not authorized for the identity_verification product',
};

function isKnownCode(code: string | undefined): boolean {
  return code !== undefined && Object.prototype.hasOwnProperty.call(PLAID_ERROR_CODES, code);
}

function ruleFor(body: PlaidErrorBody): ProviderCodeRule | undefined {
  const code = body.error_code;
  const type = body.error_type;
  if (typeof body.error_message === 'string' && PRODUCT_NOT_AUTHORIZED.test(body.error_message))
    return PRODUCT_RULE;
  if (code !== undefined && isKnownCode(code)) return PLAID_ERROR_CODES[code];
  if (type !== undefined && Object.prototype.hasOwnProperty.call(PLAID_ERROR_TYPES, type))
    return PLAID_ERROR_TYPES[type];
  return undefined;
}

/** Reads a `PlaidError` from a failed response; anything else (HTML, empty) yields `{}`. */
export function plaidErrorBodyOf(body: unknown): PlaidErrorBody {
  const decoded = PlaidErrorBody.decode(body);
  return decoded._tag === 'Right' ? decoded.right : {};
}

/** The failure as a `KycError` by `rule`; without a rule or a code, by HTTP status, keeping the code. */
function errorFromRule(
  failure: HttpFailure,
  body: PlaidErrorBody,
  rule: ProviderCodeRule | undefined,
): KycError {
  const providerCode = body.error_code ?? body.error_type;
  if (rule === undefined || providerCode === undefined) {
    // Unknown or absent code: keep it, classify by HTTP status.
    return errorFromCodeTable(failure, providerCode, PLAID_ERROR_CODES);
  }
  return errorFromCodeTable(failure, providerCode, { [providerCode]: rule });
}

/** The client's mapper: every endpoint but `/identity_verification/retry`. */
export const mapPlaidError: HttpErrorMapper = (failure: HttpFailure): KycError => {
  const body = plaidErrorBodyOf(failure.body);
  return errorFromRule(failure, body, ruleFor(body));
};

/**
 * On `/identity_verification/retry`, a 400 `INVALID_FIELD` or unknown `INVALID_REQUEST` /
 * `INVALID_INPUT` code after kycport validated the body is Plaid refusing the strategy for the
 * attempt's state (Plaid documents the restrictions, not their error code:
 * https://plaid.com/docs/api/products/identity-verification/#identity_verificationretry).
 */
const RETRY_REFUSED: ProviderCodeRule = {
  kind: 'invalid_state',
  message:
    'Plaid refused the retry for the latest attempt state (infer is refused while active; incomplete after a failed screening or risk check)',
};
const RETRY_STATE_CODES: ReadonlySet<string> = new Set(['INVALID_FIELD']);

function refusesRetryForState(status: number, body: PlaidErrorBody): boolean {
  const code = body.error_code;
  const type = body.error_type;
  return (
    status === 400 &&
    (type === 'INVALID_REQUEST' || type === 'INVALID_INPUT') &&
    (!isKnownCode(code) || (code !== undefined && RETRY_STATE_CODES.has(code)))
  );
}

/**
 * The retry endpoint's own mapper (declared on `PLAID_ENDPOINTS.retry`): the product error first,
 * then Plaid's "retry refused for the attempt state" rule, then `mapPlaidError`'s rules.
 */
export const mapPlaidRetryError: HttpErrorMapper = (failure: HttpFailure): KycError => {
  const body = plaidErrorBodyOf(failure.body);
  const base = ruleFor(body);
  const rule = base !== PRODUCT_RULE && refusesRetryForState(failure.status, body) ? RETRY_REFUSED : base;
  return errorFromRule(failure, body, rule);
};

/** The transport's request-id reader: Plaid puts `request_id` in every JSON body. */
export function plaidRequestId(
  headers: Readonly<Record<string, unknown>>,
  body: unknown,
): string | undefined {
  if (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { request_id?: unknown }).request_id === 'string'
  ) {
    return (body as { request_id: string }).request_id;
  }
  const header = headers['x-request-id'] ?? headers['plaid-request-id'];
  return typeof header === 'string' ? header : undefined;
}

/**
 * A webhook the handler refuses (`webhook_rejected`): not retryable unless `retryable` says a
 * re-delivery can succeed (the key could not be checked this time).
 */
export function plaidWebhookRejected(
  message: string,
  extra: { retryable?: boolean; providerCode?: string; httpStatus?: number; requestId?: string } = {},
): KycError {
  return kycError('webhook_rejected', {
    provider: PLAID_PROVIDER_ID,
    message: `${PLAID_PROVIDER_ID}: webhook rejected: ${message}`,
    retryable: false,
    ...extra,
  });
}
