/**
 * Plaid error bodies (`PlaidError`) -> `KycError`. Plaid says to classify by `error_type` /
 * `error_code` "in preference to HTTP status codes", so the code decides first, then the type, then
 * the HTTP status class. `error_message` and `display_message` are never copied (they can echo
 * submitted values); the IDV endpoints declare no error schema at all, so any body is tolerated,
 * including non-JSON ones (HTML from a proxy).
 */
import * as t from 'io-ts';
import { kycError, kycErrorOfKind } from '@kycport/core';
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
    /** Read, never copied; any type tolerated (only a string is read). */
    display_message: t.unknown,
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

/**
 * Refusals whose code Plaid does not document (a bad `template_id`, an unknown `client_user_id`, a
 * retry strategy refused for the attempt's state: https://plaid.com/docs/api/products/identity-verification/#identity_verificationretry)
 * arrive, as far as anyone has seen, as a 400 `INVALID_FIELD` or another code of type
 * `INVALID_REQUEST` / `INVALID_INPUT`. Plaid's messages open with the field they are about
 * ("client_id must be a properly formatted, non-empty string"), so the field named in
 * `error_message` or `display_message` tells them apart. Both texts are only read, never copied
 * (they can echo submitted values), and "not safe for programmatic use": when they name nothing,
 * the flows decide with a read (plaid-retry.ts); docs/providers/plaid.md, "not document".
 */
export type PlaidRefusalSubject = 'template' | 'unknown_user' | 'user_data' | 'unnamed';

const NAMES_TEMPLATE = /\btemplate(?:_id)?\b/i;
const NAMES_USER = /\bclient_user_id\b|\buser\b/i;
const TEMPLATE_WORDS = /\btemplate(?:_id)?\b/gi;
const withoutTemplate = (text: string): string => text.replace(TEMPLATE_WORDS, '');
const NAMES_USER_FIELD = /\buser\.[a-z_]+/i;
const NOT_FOUND_WORDING =
  /\b(?:not found|could not be found|no such|does not (?:exist|match)|do not (?:exist|match)|unknown|no identity verifications?)\b/i;
const INVALID_WORDING = /\b(?:invalid|not (?:a )?valid)\b/i;

function textsOf(body: PlaidErrorBody): string {
  return [body.error_message, body.display_message]
    .filter((text): text is string => typeof text === 'string')
    .join(' \n ');
}

/** What a refusal's texts say it is about. */
export function plaidRefusalSubject(body: PlaidErrorBody): PlaidRefusalSubject {
  const text = textsOf(body);
  if (NAMES_USER_FIELD.test(text)) return 'user_data';
  const notFound = NOT_FOUND_WORDING.test(text);
  if (notFound && NAMES_USER.test(withoutTemplate(text))) return 'unknown_user';
  if (NAMES_TEMPLATE.test(text) && (notFound || INVALID_WORDING.test(text))) return 'template';
  return 'unnamed';
}

/** A 400 of the kind Plaid uses for field refusals: `INVALID_FIELD`, or an unlisted code of an input type. */
function isFieldRefusal(status: number, body: PlaidErrorBody): boolean {
  const code = body.error_code;
  const type = body.error_type;
  return (
    status === 400 &&
    (type === 'INVALID_REQUEST' || type === 'INVALID_INPUT') &&
    (!isKnownCode(code) || code === 'INVALID_FIELD')
  );
}

const TEMPLATE_REFUSED: ProviderCodeRule = {
  kind: 'config',
  message: 'Plaid does not accept the configured templateId (check it in the Plaid dashboard)',
};
const USER_UNKNOWN: ProviderCodeRule = {
  kind: 'not_found',
  message: 'Plaid knows no identity verification for this client_user_id and template',
};
const USER_DATA_REFUSED: ProviderCodeRule = {
  kind: 'validation',
  message: 'Plaid refused a value of the user object (providerOptions.plaid.applicant)',
};
const RETRY_REFUSED: ProviderCodeRule = {
  kind: 'invalid_state',
  message:
    'Plaid refused the retry for the latest attempt state (infer while active; incomplete when the failing step is screening or risk_check)',
};

/** The error of `rule`, with the configuration key named when it is about the template. */
function errorOf(failure: HttpFailure, body: PlaidErrorBody, rule: ProviderCodeRule | undefined): KycError {
  const error = errorFromRule(failure, body, rule);
  if (rule !== TEMPLATE_REFUSED) return error;
  return kycErrorOfKind('config', {
    ...error,
    issues: [{ path: 'templateId', message: 'Plaid does not accept this template id' }],
  });
}

/** The client's mapper: every endpoint but `/list` and `/retry`; a refused template is `config`. */
export const mapPlaidError: HttpErrorMapper = (failure: HttpFailure): KycError => {
  const body = plaidErrorBodyOf(failure.body);
  const base = ruleFor(body);
  const template =
    base !== PRODUCT_RULE && isFieldRefusal(failure.status, body) && plaidRefusalSubject(body) === 'template';
  return errorOf(failure, body, template ? TEMPLATE_REFUSED : base);
};

/**
 * `/identity_verification/list`'s mapper: its body is `template_id`, `client_user_id` (checked
 * locally) and `cursor` (Plaid's own), so a field refusal that names no other field is about the
 * template: `config`.
 */
export const mapPlaidListError: HttpErrorMapper = (failure: HttpFailure): KycError => {
  const body = plaidErrorBodyOf(failure.body);
  const base = ruleFor(body);
  const text = textsOf(body);
  const otherField = /\b(?:cursor|client_user_id|user_id)\b/i.test(withoutTemplate(text));
  const template =
    base !== PRODUCT_RULE &&
    isFieldRefusal(failure.status, body) &&
    (plaidRefusalSubject(body) === 'template' || !otherField);
  return errorOf(failure, body, template ? TEMPLATE_REFUSED : base);
};

const RETRY_RULES: Readonly<Record<PlaidRefusalSubject, ProviderCodeRule>> = {
  template: TEMPLATE_REFUSED,
  unknown_user: USER_UNKNOWN,
  user_data: USER_DATA_REFUSED,
  unnamed: RETRY_REFUSED,
};

/**
 * The retry endpoint's own mapper (declared on `PLAID_ENDPOINTS.retry`): the product error first;
 * then a field refusal by what it names (template -> `config`, unknown user -> `not_found`, a
 * `user.*` value -> `validation`, anything else -> `invalid_state`: kycport checked the body, so
 * what is left is the strategy for the attempt's state); then `mapPlaidError`'s rules.
 */
export const mapPlaidRetryError: HttpErrorMapper = (failure: HttpFailure): KycError => {
  const body = plaidErrorBodyOf(failure.body);
  const base = ruleFor(body);
  const refusal = base !== PRODUCT_RULE && isFieldRefusal(failure.status, body);
  return errorOf(failure, body, refusal ? RETRY_RULES[plaidRefusalSubject(body)] : base);
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
