/**
 * Plu error bodies -> `KycError`. Plu puts the machine code in `message` and human text in
 * `data.error` (`{ "status": "error", "message": "DUP_USER", "data": { "error": "..." } }`); the
 * code decides the kind before the HTTP status (USER_NOT_FOUND arrives as 400). Human text is never
 * read into an error: Plu may echo submitted values in it.
 * Source: https://docs.getplu.com/errors
 */
import * as t from 'io-ts';
import { errorFromCodeTable } from '@kycport/http';
import type { HttpErrorMapper, HttpFailure, ProviderCodeRule, ProviderCodeTable } from '@kycport/http';
import type { KycError } from '@kycport/core';
import { PLU_MAX_ATTEMPTS } from './plu-status-mapping';

/** Only `message` is read, and only when it looks like a code. */
export const PluErrorBody = t.partial({ message: t.string }, 'PluErrorBody');

const CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,63}$/;

/** The machine code of an error body, or undefined when `message` is absent or free text. */
export function pluErrorCode(body: unknown): string | undefined {
  const decoded = PluErrorBody.decode(body);
  if (decoded._tag === 'Left' || decoded.right.message === undefined) return undefined;
  const message = decoded.right.message.trim();
  return CODE_PATTERN.test(message) ? message : undefined;
}

/** Every code Plu documents (https://docs.getplu.com/errors), card codes included. */
export const PLU_ERROR_CODES: ProviderCodeTable = {
  DUP_USER: { kind: 'conflict', message: 'a user with this email already exists in the partner account' },
  // Documented as HTTP 400, not 404.
  USER_NOT_FOUND: {
    kind: 'not_found',
    message: 'no user with this serviceId belongs to the partner account',
  },
  USER_NOT_APPROVED: { kind: 'invalid_state', message: 'the user has not completed KYC verification' },
  USER_BLACKLISTED: { kind: 'forbidden', message: 'the user has been blacklisted', retryable: false },
  CARD_NOT_FOUND: { kind: 'not_found', message: 'no card with this id belongs to the partner account' },
  CARD_ALREADY_FROZEN: { kind: 'invalid_state', message: 'the card is already frozen' },
  CARD_ALREADY_TERMINATED: { kind: 'invalid_state', message: 'the card is already terminated' },
  CARD_IS_ACTIVE: { kind: 'invalid_state', message: 'the card is active' },
  INVALID_PROGRAM: { kind: 'validation', message: 'the card program is not valid for this call or partner' },
  // "Only 1 card can be created per user every 5 minutes": waiting helps.
  CARD_CREATION_LIMIT: {
    kind: 'rate_limited',
    message: 'only one card per user can be created every 5 minutes',
  },
  CARD_DEBIT_LIMIT: { kind: 'rate_limited', message: 'the card debit rate limit was exceeded' },
  CRYPTO_CARD_FUND_BLOCKED: { kind: 'invalid_state', message: 'crypto cards cannot be funded this way' },
  // The partner wallet pays user KYC fees: top it up, then call again.
  INSUFFICIENT_WALLET_BALANCE: {
    kind: 'payment_required',
    message: 'the partner wallet balance is too low for this call',
  },
  INSUFFICIENT_FUNDS: { kind: 'payment_required', message: 'the card has insufficient funds' },
  TRANSACTION_NOT_FOUND: {
    kind: 'not_found',
    message: 'no transaction with this id belongs to the partner account',
  },
  // The API key resolves to no partner: the credentials are what is wrong (documented as 404).
  PARTNER_NOT_FOUND: {
    kind: 'unauthorized',
    message: 'the API key does not belong to a partner account',
    retryable: false,
  },
  INTERNAL_ERROR: { kind: 'provider_unavailable', message: 'Plu reported an internal error' },
};

/**
 * Plu documents "Same key + same body (duplicate request)" as a 400 but not its code string; a code
 * naming idempotency or a duplicate request is recognised as key reuse.
 */
export const PLU_IDEMPOTENCY_RULE: ProviderCodeRule = {
  kind: 'conflict',
  message: 'the idempotency-key was already used within the last 5 minutes',
};
const IDEMPOTENCY_CODE = /IDEMPOTEN|DUPLICATE_REQUEST/;

export function isPluIdempotencyCode(code: string | undefined): boolean {
  return code !== undefined && IDEMPOTENCY_CODE.test(code);
}

/**
 * "Each user can be retried up to 3 times. After that, contact support." The code is not
 * documented; a code naming retries and a limit (`KYC_RETRY_LIMIT`, `MAX_RETRIES_EXCEEDED`, ...) is
 * taken as the cap. It is one hint only: on retry, every refusal is classified in
 * plu-retry-refusal.ts (the answer's retryCount, codes, the pre-check, the last known count), so a
 * cap answered with another code, or none, is still `retry_limit_reached` or `invalid_state`.
 */
export const PLU_RETRY_LIMIT_RULE: ProviderCodeRule = {
  kind: 'retry_limit_reached',
  message: 'the user has used all 3 KYC retries; Plu asks partners to contact its support',
  retryable: false,
  maxAttempts: PLU_MAX_ATTEMPTS,
};
const RETRY_WORD = /RETR(Y|IES)/;
const LIMIT_WORD = /LIMIT|MAX|EXCEED|EXHAUST/;

export function isPluRetryLimitCode(code: string | undefined): boolean {
  return code !== undefined && RETRY_WORD.test(code) && LIMIT_WORD.test(code);
}

/** The rule for a code: the documented table first, then the two recognised undocumented families. */
export function pluCodeRule(code: string | undefined): ProviderCodeRule | undefined {
  if (code === undefined) return undefined;
  if (Object.prototype.hasOwnProperty.call(PLU_ERROR_CODES, code)) return PLU_ERROR_CODES[code];
  if (isPluIdempotencyCode(code)) return PLU_IDEMPOTENCY_RULE;
  if (isPluRetryLimitCode(code)) return PLU_RETRY_LIMIT_RULE;
  return undefined;
}

/** The transport's error mapper: by code, else by HTTP status class (keeping an unknown code). */
export const mapPluError: HttpErrorMapper = (failure: HttpFailure): KycError => {
  const code = pluErrorCode(failure.body);
  const rule = pluCodeRule(code);
  return errorFromCodeTable(failure, code, rule !== undefined && code !== undefined ? { [code]: rule } : {});
};
