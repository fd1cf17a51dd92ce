/**
 * P100 error mapping. P100 answers business errors as `{ errorCode, errorName?, errorMessage }`
 * with irregular HTTP statuses (P500/P501 as 400, P211 as 202, P427/P445/P460 as 404), and 401s
 * as plain text `Access Denied. xo1|xo2|xo3`. Errors map by `errorCode` first; the status class is
 * only the fallback for unknown codes. `errorMessage` is never copied (it may echo submitted values).
 * Sources: https://partner-api-docs.p100.io/error-handling-1299786m0 and the endpoint pages.
 */
import * as t from 'io-ts';
import { errorFromCodeTable } from '@kycport/http';
import type { HttpErrorMapper, HttpFailure, ProviderCodeTable } from '@kycport/http';
import { kycErrorOfKind } from '@kycport/core';
import type { KycError } from '@kycport/core';

/** P100's error body (https://partner-api-docs.p100.io/error-handling-1299786m0); `errorName` is absent on P403. */
export const P100ErrorBody = t.intersection(
  [t.type({ errorCode: t.string }), t.partial({ errorName: t.string, errorMessage: t.string })],
  'P100ErrorBody',
);
export type P100ErrorBody = t.TypeOf<typeof P100ErrorBody>;

/**
 * P100's documented error codes (`errorCode` in its error bodies) and the `KycError` each maps to.
 */
export const P100_ERROR_CODES: ProviderCodeTable = {
  // 202 on Add POA File: a state (handled as a success there); mapped here only if it ever arrives as an error.
  // P430 is not here: it means the attempt cap only where a verification starts (P100_VERIFICATION_CAP_CODES).
  P211: { kind: 'invalid_state', message: 'a proof of address is already pending review (P211)' },
  P403: { kind: 'validation', message: 'P100 rejected the request as invalid (P403 validation error)' },
  P411: { kind: 'conflict', message: 'a user with this externalUserId already exists (P411)' },
  P412: { kind: 'not_found', message: 'the user does not exist at P100 (P412)' },
  P424: { kind: 'validation', message: 'a source or destination is required (P424)' },
  P426: { kind: 'validation', message: 'the file type is not accepted (P426)' },
  P427: {
    kind: 'invalid_state',
    message: 'KYC files are missing: upload them before adding the user verification (P427)',
  },
  P433: { kind: 'payment_required', message: 'insufficient funds (P433)' },
  P434: { kind: 'validation', message: 'the card is invalid (P434)' },
  P440: { kind: 'validation', message: 'the file is too large (P440)' },
  P442: {
    kind: 'invalid_state',
    message: 'the user is already verified: no new verification can be started (P442)',
  },
  P445: { kind: 'not_found', message: 'no KYC verification exists for this user (P445)' },
  P446: {
    kind: 'invalid_state',
    message: 'the KYC is not valid or has expired: start a new verification (P446)',
  },
  P447: { kind: 'invalid_state', message: 'the proof of address is already verified (P447)' },
  P451: { kind: 'forbidden', message: 'the card country is not allowed (P451)' },
  P455: { kind: 'forbidden', message: 'the user is suspended (P455)' },
  P459: { kind: 'invalid_state', message: 'the user is not verified (P459)' },
  P460: { kind: 'not_found', message: 'no proof-of-address verification exists for this user (P460)' },
  P466: { kind: 'conflict', message: 'a user with this document number already exists (P466)' },
  P473: { kind: 'validation', message: 'required parameters are missing (P473)' },
  // Both arrive as HTTP 400 but are provider faults: retryable (the transport retries them on GETs only).
  P500: {
    kind: 'provider_unavailable',
    message: 'P100 failed with an unknown exception (P500)',
    retryable: true,
  },
  P501: { kind: 'provider_unavailable', message: 'P100 is temporarily unavailable (P501)', retryable: true },
};

/** The three documented 401 bodies (https://partner-api-docs.p100.io/authentication-1298787m0). */
export const P100_ACCESS_DENIED_CODES: ProviderCodeTable = {
  xo1: { kind: 'unauthorized', message: 'access denied: no API key was sent (xo1)', retryable: false },
  xo2: { kind: 'unauthorized', message: 'access denied: the API key is incorrect (xo2)', retryable: false },
  xo3: {
    kind: 'forbidden',
    message: 'access denied: the request IP address is not on the P100 allowlist (xo3)',
    retryable: false,
  },
};

/** `xo1` from `Access Denied. xo1`, whether the text is the whole body or inside an undocumented JSON envelope. */
export function accessDeniedCode(text: string): string | undefined {
  const match = /Access Denied\.?\s*(xo[123])\b/i.exec(text);
  return match?.[1]?.toLowerCase();
}

/** The `errorCode` of a P100 error body, if the body is one. */
export function p100ErrorCode(body: unknown): string | undefined {
  const decoded = P100ErrorBody.decode(body);
  return decoded._tag === 'Right' ? decoded.right.errorCode : undefined;
}

/**
 * Maps a P100 failure answer to a `KycError`: by its `errorCode`, else by an `Access Denied` text,
 * else by HTTP status; never copies P100's free text.
 */
export const mapP100Error: HttpErrorMapper = (failure: HttpFailure): KycError => {
  const code = p100ErrorCode(failure.body);
  if (code !== undefined) return errorFromCodeTable(failure, code, P100_ERROR_CODES);
  const denied = accessDeniedCode(failure.text);
  if (denied !== undefined) return errorFromCodeTable(failure, denied, P100_ACCESS_DENIED_CODES);
  if (failure.status === 401) {
    return kycErrorOfKind('unauthorized', {
      provider: failure.provider,
      message: `${failure.provider}: ${failure.operation}: access denied`,
      retryable: false,
      httpStatus: failure.status,
      requestId: failure.requestId,
    });
  }
  return errorFromCodeTable(failure, undefined, P100_ERROR_CODES);
};

/**
 * Codes read on the endpoints that start a verification only. P430 "Too many verifications" is
 * documented on Add User Verification (https://partner-api-docs.p100.io/add-user-verification-19651255e0);
 * on `POST /v1/kyc` it is an assumption (that call starts a verification too, and the words are the
 * cap's). Anywhere else P100 documents no P430, so there it is an unknown code (kept as
 * `providerCode`, kind by HTTP status), never a retry cap kycport cannot explain.
 */
export const P100_VERIFICATION_CAP_CODES: ProviderCodeTable = {
  P430: { kind: 'retry_limit_reached', message: 'too many verifications: no attempts are left (P430)' },
};

/** The error mapper of Add User Verification and Creating KYC Verification: P430 is the cap there. */
export const mapP100VerificationError: HttpErrorMapper = (failure: HttpFailure): KycError => {
  const code = p100ErrorCode(failure.body);
  return code !== undefined && Object.prototype.hasOwnProperty.call(P100_VERIFICATION_CAP_CODES, code)
    ? errorFromCodeTable(failure, code, P100_VERIFICATION_CAP_CODES)
    : mapP100Error(failure);
};
