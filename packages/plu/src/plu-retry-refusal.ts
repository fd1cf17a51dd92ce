/**
 * What a refusal of retry-kyc means, what the adapter knows of a user's retries, and the optional
 * pre-check. Source: https://docs.getplu.com/api-reference/users/retry-kyc: Plu "Retries KYC for a
 * user in a denied state" and "Each user can be retried up to 3 times. After that, contact support."
 * Plu documents no error code for either refusal (https://docs.getplu.com/errors lists none), so:
 * - every refusal (a 4xx that is not auth, payment, a missing user, a rate limit or a recognised
 *   idempotency-key reuse) is `invalid_state` or `retry_limit_reached`, never `validation` (the
 *   retry sends no body, and its only input, the serviceId, was checked before sending);
 * - which of the two is decided by the evidence, strongest first: the answer's `data.retryCount`;
 *   a code naming a retry limit, or naming the user's state; the status the pre-check just read
 *   (a denied user refused can only be the cap); the last known retry count (from Plu's earlier
 *   answers for the user, or the listed user); else `invalid_state` with a message naming both
 *   possibilities. Codes are hints, never required: a bare 400 is classified too.
 */
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { kycError, kycErrorOfKind } from '@kycport/core';
import type { CallOptions, KycError, KycErrorKind, UserRef } from '@kycport/core';
import type { HttpErrorMapper, HttpFailure } from '@kycport/http';
import { PLU_PROVIDER_ID } from './plu-config';
import { isPluIdempotencyCode, isPluRetryLimitCode, mapPluError, pluErrorCode } from './plu-error';
import { PLU_MAX_ATTEMPTS, PLU_MAX_RETRIES, isPluKnownStatus, pluRetryCountOf } from './plu-status-mapping';
import { findPluUserByServiceId } from './plu-user-scan';
import type { PluUserScan } from './plu-user-scan';

/** Users whose last retry count one adapter instance keeps (the oldest is forgotten first). */
export const PLU_RETRY_MEMORY_CAPACITY = 10_000;

/**
 * The retry counts Plu reported to this adapter instance, per serviceId. A lower bound: retries made
 * elsewhere (another process, Plu's dashboard) are not seen, and Plu support may reset a count.
 */
export interface PluRetryMemory {
  get(serviceId: string): number | undefined;
  remember(serviceId: string, retryCount: number): void;
}

export function createPluRetryMemory(capacity = PLU_RETRY_MEMORY_CAPACITY): PluRetryMemory {
  const counts = new Map<string, number>();
  return {
    get: (serviceId) => counts.get(serviceId),
    remember: (serviceId, retryCount) => {
      counts.delete(serviceId);
      counts.set(serviceId, retryCount);
      const oldest = counts.keys().next();
      if (counts.size > capacity && oldest.done !== true) counts.delete(oldest.value);
    },
  };
}

/** What the adapter knows of the user when Plu refuses. */
export interface PluRetryKnowledge {
  /** The last known retry count (remembered or listed). */
  readonly retryCount?: number;
  /** The status the pre-check read just before the retry, when it ran. */
  readonly listedStatus?: string;
  /**
   * True when the caller passed the idempotency-key: a refusal may then be that key reused (Plu
   * answers 400, code undocumented), so a refused denied user is not taken for the cap.
   */
  readonly callerKey?: boolean;
}

type RefusalKind = Extract<KycErrorKind, 'invalid_state' | 'retry_limit_reached'>;
interface Decision {
  readonly kind: RefusalKind;
  /** Why, in kycport's words (codes and counts, never Plu's text). */
  readonly because: string;
}

const REFUSAL_KINDS: ReadonlySet<KycErrorKind> = new Set([
  'validation',
  'invalid_state',
  'retry_limit_reached',
  'conflict',
]);
/** A code naming the user's state (`KYC_NOT_DENIED`, `INVALID_KYC_STATUS`, ...): not the cap. */
const STATE_CODE = /DENIED|STATE|STATUS/;

/** A 4xx refusal of the retry itself (not auth, payment, a missing user, a rate limit or key reuse). */
export function isPluRetryRefusal(status: number, mapped: KycErrorKind, code: string | undefined): boolean {
  if (status < 400 || status > 499 || !REFUSAL_KINDS.has(mapped)) return false;
  return !(mapped === 'conflict' && isPluIdempotencyCode(code));
}

function answerRetryCount(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const data = (body as { readonly data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return undefined;
  return pluRetryCountOf((data as { readonly retryCount?: unknown }).retryCount);
}

const cap = (because: string): Decision => ({ kind: 'retry_limit_reached', because });
const notDenied = (because: string): Decision => ({ kind: 'invalid_state', because });

/** The evidence, strongest first (see the top of this file). */
export function decidePluRetryRefusal(
  code: string | undefined,
  body: unknown,
  known: PluRetryKnowledge,
): Decision | undefined {
  const answered = answerRetryCount(body);
  if (answered !== undefined)
    return answered >= PLU_MAX_RETRIES
      ? cap(`the answer's retryCount is ${answered}`)
      : notDenied(`the answer's retryCount is ${answered}, so retries are left`);
  if (isPluRetryLimitCode(code)) return cap(`its code ${code} names a retry limit`);
  if (code !== undefined && STATE_CODE.test(code))
    return notDenied(`its code ${code} names the user's state`);
  if (known.listedStatus === 'denied' && known.callerKey !== true)
    return cap(
      'the user list showed the user denied just before, and Plu refuses a denied user only at the cap',
    );
  if (known.retryCount !== undefined && known.retryCount >= PLU_MAX_RETRIES)
    return cap(`the last known retry count is ${known.retryCount}`);
  return undefined;
}

function refusalMessage(
  failure: HttpFailure,
  code: string | undefined,
  decision: Decision | undefined,
  known: PluRetryKnowledge,
): string {
  const answer = `HTTP ${failure.status}${code !== undefined ? `, code ${code}` : ', no code'}`;
  const keyReused =
    known.callerKey === true
      ? ' Or the idempotencyKey passed was already used in the last 5 minutes (an earlier retry with it reached Plu).'
      : '';
  if (decision === undefined)
    return (
      `${PLU_PROVIDER_ID}: retry: Plu refused the retry without saying why (${answer}). Plu retries only ` +
      'a user in a denied state, at most 3 times: if the user is not denied, wait for a denial ' +
      '(user.kyc-event webhook or getStatus); if the user is denied, the 3 retries are used up: ' +
      "contact Plu support. Set retryPreCheck: 'list_scan' to have kycport tell the two apart." +
      keyReused
    );
  if (decision.kind === 'retry_limit_reached')
    return (
      `${PLU_PROVIDER_ID}: retry: Plu refused the retry (${answer}): the user has used all 3 KYC ` +
      `retries (${decision.because}); Plu says "After that, contact support"`
    );
  return (
    `${PLU_PROVIDER_ID}: retry: Plu refused the retry (${answer}): Plu retries only a user in a denied ` +
    `state (${decision.because}); wait for a denial (user.kyc-event webhook or getStatus) before retrying`
  );
}

/** The retry endpoint's error mapper: Plu's table, then a refusal classified as above. */
export function pluRetryErrorMapper(ref: UserRef, known: PluRetryKnowledge): HttpErrorMapper {
  return (failure) => {
    const mapped = mapPluError(failure);
    const code = pluErrorCode(failure.body);
    if (!isPluRetryRefusal(failure.status, mapped.kind, code)) return mapped;
    const decision = decidePluRetryRefusal(code, failure.body, known);
    const kind = decision?.kind ?? 'invalid_state';
    return kycErrorOfKind(kind, {
      provider: PLU_PROVIDER_ID,
      message: refusalMessage(failure, code, decision, known),
      retryable: false,
      httpStatus: failure.status,
      providerCode: code,
      requestId: failure.requestId,
      userRef: ref,
      maxAttempts: kind === 'retry_limit_reached' ? PLU_MAX_ATTEMPTS : undefined,
    });
  };
}

function refusedLocally(ref: UserRef, kind: RefusalKind, message: string): KycError {
  return kycErrorOfKind(kind, {
    provider: PLU_PROVIDER_ID,
    message: `${PLU_PROVIDER_ID}: retry: refused before calling retry-kyc (retryPreCheck): ${message}`,
    retryable: false,
    outcome: 'not_sent',
    userRef: ref,
    maxAttempts: kind === 'retry_limit_reached' ? PLU_MAX_ATTEMPTS : undefined,
  });
}

/** A failed pre-check read: its kind and retryable (the retry was not sent, so a repeat is as safe as the read). */
function readFailed(ref: UserRef, error: KycError): KycError {
  return kycErrorOfKind(error.kind, {
    provider: PLU_PROVIDER_ID,
    message: `${PLU_PROVIDER_ID}: retry: the pre-check could not read the user list (${error.kind}${error.providerCode !== undefined ? `, code ${error.providerCode}` : ''}); retry-kyc was not called`,
    retryable: error.retryable,
    outcome: 'not_sent',
    httpStatus: error.httpStatus,
    providerCode: error.providerCode,
    requestId: error.requestId,
    retryAfterMs: 'retryAfterMs' in error ? error.retryAfterMs : undefined,
    operation: 'operation' in error ? error.operation : undefined,
    userRef: ref,
  });
}

/**
 * The pre-check (`retryPreCheck: 'list_scan'`): one List Users scan. Right: what it learned, for the
 * retry to go ahead; left: a refusal (`invalid_state`, `retry_limit_reached`, `not_found`) or the
 * read's error, each with `outcome: 'not_sent'` (no request went to retry-kyc).
 */
export function pluRetryPreCheck(
  scan: PluUserScan,
  ref: UserRef,
  options: CallOptions,
): TE.TaskEither<KycError, PluRetryKnowledge> {
  return pipe(
    findPluUserByServiceId(scan, 'retry (pre-check)', ref, options),
    TE.mapLeft((error) => readFailed(ref, error)),
    TE.chain((user) => {
      if (user === undefined)
        return TE.left(
          kycError('not_found', {
            provider: PLU_PROVIDER_ID,
            message: `${PLU_PROVIDER_ID}: retry: refused before calling retry-kyc (retryPreCheck): no user with this serviceId in the partner user list (all pages scanned)`,
            retryable: false,
            outcome: 'not_sent',
          }),
        );
      const retryCount = pluRetryCountOf(user.retryCount);
      if (user.status === 'denied' && retryCount !== undefined && retryCount >= PLU_MAX_RETRIES)
        return TE.left(
          refusedLocally(
            ref,
            'retry_limit_reached',
            `the user list shows ${retryCount} retries used of 3; Plu says "After that, contact support"`,
          ),
        );
      if (user.status !== 'denied' && isPluKnownStatus(user.status))
        return TE.left(
          refusedLocally(
            ref,
            'invalid_state',
            `the user list shows status ${user.status}, and Plu retries only a user in a denied state`,
          ),
        );
      // Denied, or a status kycport does not know (it may be how Plu lists a denial): let Plu decide.
      return TE.right({ listedStatus: user.status, retryCount });
    }),
  );
}
