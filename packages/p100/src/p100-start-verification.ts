/**
 * Starting a hosted verification (P100's Method B): `POST /v1/kyc`, then the redirect the user's
 * browser follows. Shared by createUser (hosted method), retry and an empty submitVerification.
 * https://partner-api-docs.p100.io/creating-kyc-verification-19688834e0
 *
 * Each start creates a verification that counts against P100's attempt cap (P430) and may be
 * charged, so it is never resent. When its answer is lost (a timeout or a broken connection), the
 * flow reads Get KYC Status and compares it with the reading taken before sending:
 * - before: no verification (P445) or a finished attempt (`REJECTED_BY_PROVIDER`, `SUCCESSFUL`);
 *   after: an attempt in flight (`PENDING`, `VERIFICATION`): the start took effect. The result says
 *   so, with `redirect_unavailable` (the verification id, hence the URL, was only in the answer).
 * - anything else (unchanged, an attempt already in flight before, the read failing): the read
 *   cannot tell. The error is `outcome: 'unknown'`, `retryable: false`, naming the user.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { isWellFormedText, kycError, kycErrorOfKind, redirectTo, withErrorContext } from '@kycport/core';
import type { CallOptions, KycError, KycState, RedirectPolicy, UserRef } from '@kycport/core';
import { outcomeUnknown } from '@kycport/http';
import type { HttpClient, HttpResponse } from '@kycport/http';
import { P100_ENDPOINTS } from './p100-api';
import type { P100StartVerificationRequest, P100StartVerificationResponse } from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100Settings } from './p100-config';
import { readP100Kyc } from './p100-get-status';
import type { P100KycReading } from './p100-get-status';
import { checkBeforeNewAttempt } from './p100-pre-checks';
import type { P100StartPermissions } from './p100-pre-checks';
import { redirectUnavailableState, verificationCreatedState } from './p100-status-mapping';

/** The state after the start, and P100's answer (or the reading) for `raw`. */
export interface StartedP100Verification {
  readonly state: KycState;
  readonly raw: unknown;
}

/** Why a reconciled start has no URL (the reason of `redirect_unavailable`). */
export const P100_LOST_URL_REASON =
  "P100 started the hosted verification, but its verificationId (hence the verification URL) was only in P100's lost answer, and P100 offers no call that returns it again";

/** The longest verification id used in a URL (P100 documents none; ids seen are UUIDs). */
const MAX_VERIFICATION_ID_LENGTH = 256;

/** One URL path segment: well-formed, non-blank, and not a dot segment (a URL parser would remove it). */
function isPathSegment(value: string): boolean {
  return value.trim() !== '' && isWellFormedText(value) && value !== '.' && value !== '..';
}

/**
 * The browser URL of a hosted verification
 * (https://partner-api-docs.p100.io/redirect-to-verification-19688840e0). Built, never fetched:
 * P100 answers it with an HTML page whose scripts take the browser to iDenfy. `undefined` when a
 * part cannot be one path segment (a lone surrogate, blank, `.` or `..`).
 */
export function p100VerificationUrl(
  baseUrl: string,
  externalUserId: string,
  verificationId: string,
): string | undefined {
  if (!isPathSegment(externalUserId) || !isPathSegment(verificationId)) return undefined;
  return `${baseUrl}/v1/kyc/verification/${encodeURIComponent(externalUserId)}/${encodeURIComponent(verificationId)}`;
}

/** Core's rule: any https URL, plus the configured base URL's origin when it is plain http (a simulator). */
export function p100RedirectPolicy(baseUrl: string): RedirectPolicy {
  try {
    const url = new URL(baseUrl);
    return url.protocol === 'http:' ? { allowedOrigins: [url.origin] } : {};
  } catch {
    return {};
  }
}

/** The response is undocumented: the id is looked for as `verificationId`, then `id`. */
function verificationIdOf(response: P100StartVerificationResponse): string | undefined {
  const value = response.verificationId ?? response.id;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  return typeof value === 'string' && value.length <= MAX_VERIFICATION_ID_LENGTH && isPathSegment(value)
    ? value
    : undefined;
}

/** P100 answered 2xx (it started a verification) but no usable id came with it: no URL. */
function unusableVerificationId(response: HttpResponse<unknown>): KycError {
  return kycError('unexpected_response', {
    provider: P100_PROVIDER_ID,
    message: `${P100_PROVIDER_ID}: startVerification answered HTTP ${response.status} without a usable verificationId or id, so there is no verification URL; the verification was probably started: read getStatus, and call retry only for a new URL`,
    issues: [{ path: 'response.verificationId', message: 'expected a verificationId or id usable in a URL' }],
    httpStatus: response.status,
    requestId: response.requestId,
    retryable: false,
    outcome: 'unknown',
  });
}

/** The redirect of a start P100 answered: the URL built from the id, checked by core's `redirectTo`. */
function redirectFromAnswer(
  settings: P100Settings,
  ref: UserRef,
  response: HttpResponse<P100StartVerificationResponse>,
): E.Either<KycError, StartedP100Verification> {
  const verificationId = verificationIdOf(response.data);
  const url =
    verificationId === undefined ? undefined : p100VerificationUrl(settings.baseUrl, ref, verificationId);
  if (url === undefined) return E.left(unusableVerificationId(response));
  return pipe(
    redirectTo(P100_PROVIDER_ID, url, 'response.verificationId', p100RedirectPolicy(settings.baseUrl)),
    E.mapLeft((error): KycError =>
      withErrorContext(error, { outcome: 'unknown', requestId: response.requestId }),
    ),
    E.map((redirect) => ({ state: verificationCreatedState(redirect), raw: response.data })),
  );
}

/** A finished attempt, or none: a start would show up as a new attempt in flight. */
function isSettled(reading: P100KycReading): boolean {
  if (reading.kind === 'not_started') return true;
  const attempt = reading.data.attemptStatus;
  return attempt === 'REJECTED_BY_PROVIDER' || attempt === 'SUCCESSFUL';
}

/** Whether the reading after a lost start shows that the start took effect (see the file comment). */
export function p100StartTookEffect(before: P100KycReading, after: P100KycReading): boolean {
  if (!isSettled(before) || after.kind !== 'pair') return false;
  const attempt = after.data.attemptStatus;
  return attempt === 'PENDING' || attempt === 'VERIFICATION';
}

/** The start's outcome stays unknown after the read: not safe to repeat. */
function startOutcomeUnknown(cause: KycError): KycError {
  return kycErrorOfKind(cause.kind, {
    provider: P100_PROVIDER_ID,
    message: `${P100_PROVIDER_ID}: startVerification: the outcome is unknown (${cause.kind}) and P100's KYC status cannot tell whether this verification was started (it has no attempt id); do not repeat the call: read getStatus later, and call retry only when it shows no verification in flight`,
    retryable: false,
    outcome: 'unknown',
    httpStatus: cause.httpStatus,
    providerCode: cause.providerCode,
    requestId: cause.requestId,
  });
}

/** The answer of a start was lost: read the KYC status and compare it with `before`. */
function reconcileStart(
  client: HttpClient,
  ref: UserRef,
  before: P100KycReading,
  cause: KycError,
  options: CallOptions,
): TE.TaskEither<KycError, StartedP100Verification> {
  return pipe(
    readP100Kyc(client, ref, options),
    TE.fold(
      () => TE.left(startOutcomeUnknown(cause)),
      (after) =>
        after.kind === 'pair' && p100StartTookEffect(before, after)
          ? TE.right({
              state: redirectUnavailableState(
                after.data.status,
                after.data.attemptStatus,
                after.data.rejectionReason,
                P100_LOST_URL_REASON,
              ),
              raw: { reconciled: true, kycStatus: after.data },
            })
          : TE.left(startOutcomeUnknown(cause)),
    ),
  );
}

/**
 * `POST /v1/kyc` and the redirect state. Never resent: each call creates a (fee-bearing)
 * verification. `before` is what Get KYC Status showed before sending (P445 right after a create).
 */
export function startP100Verification(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  body: P100StartVerificationRequest,
  before: P100KycReading,
  options: CallOptions = {},
): TE.TaskEither<KycError, StartedP100Verification> {
  const call = client.call(P100_ENDPOINTS.startVerification, { body }, options);
  // The user exists at P100 whenever a verification is started (created just before, or named by
  // the ref): the error names it, so the host calls `retry` instead of creating it again.
  const naming = (error: KycError): E.Either<KycError, never> =>
    E.left(withErrorContext(error, { userRef: ref }));
  // `then`s rather than `TE.foldW`/`TE.mapLeft`: the same branches without fp-ts's closures and
  // promise hops on every call.
  return () =>
    call().then((sent) => {
      if (E.isRight(sent)) {
        const redirect = redirectFromAnswer(settings, ref, sent.right);
        return E.isLeft(redirect) ? naming(redirect.left) : redirect;
      }
      // A lost answer (no status at all): P100 may have started it. A 2xx it answered is handled above.
      const error = sent.left;
      if (!outcomeUnknown(error) || error.httpStatus !== undefined) return naming(error);
      return reconcileStart(client, ref, before, error, options)().then((reconciled) =>
        E.isLeft(reconciled) ? naming(reconciled.left) : reconciled,
      );
    });
}

/**
 * Reads the KYC status, checks that a new attempt is needed (`checkBeforeNewAttempt`: no start for a
 * verified user, an attempt in progress, or accepted documents), then starts: the reading is also
 * what a lost answer is compared with.
 */
export function readThenStartP100Verification(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  body: P100StartVerificationRequest,
  options: CallOptions,
  permissions: P100StartPermissions = {},
): TE.TaskEither<KycError, StartedP100Verification> {
  const read = readP100Kyc(client, ref, options);
  // A `then` rather than `TE.chainEitherK`/`TE.chain`, as in startP100Verification.
  return () =>
    read().then((reading) => {
      if (E.isLeft(reading)) return reading;
      const before = checkBeforeNewAttempt(reading.right, ref, permissions);
      if (E.isLeft(before)) return before;
      return startP100Verification(client, settings, ref, body, before.right, options)();
    });
}
