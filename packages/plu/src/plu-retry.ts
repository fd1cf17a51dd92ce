/**
 * `retry`: `POST /v2/partner/card/users/{serviceId}/retry-kyc`, and what a lost answer means.
 * Source: https://docs.getplu.com/api-reference/users/retry-kyc (idempotency: the API overview).
 *
 * A plain repeat after a lost answer (a timeout, a connection broken after sending, a 2xx kycport
 * cannot read) is not safe: Plu does not replay a reused `idempotency-key` (it answers 400 and
 * forgets keys after 5 minutes) and the retry page lists no key at all, while each retry is one of
 * the 3 a user has ("Each user can be retried up to 3 times") and may cost a KYC fee. So this flow
 * reads the user list once:
 * - Plu retries only "a user in a denied state". A known listed status other than `denied` means
 *   no retry is left to start from this call (the first took effect, or Plu refused it because the
 *   user was not denied): the result is that state, `redirect_unavailable` where the user must use
 *   the hosted flow (a Persona-path URL existed only in the lost answer).
 * - A listed `denied` cannot tell a retry that never started from one that started and was denied
 *   again (the automated path re-submits stored documents), and neither can a status kycport does
 *   not know (the list documents only `approved` and `pending_kyc`; it may be how Plu lists a
 *   denied user) nor a failed or missing read: the error keeps `outcome: 'unknown'` with
 *   `retryable: false`; docs/providers/plu.md says what the host should do.
 * A refusal (a 4xx) is classified in plu-retry-refusal.ts, which also holds the optional pre-check
 * (`retryPreCheck: 'list_scan'`) and the retry counts Plu reported to this adapter instance.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { kycError, kycErrorOfKind, redirectTo, withLazyRaw } from '@kycport/core';
import type { CallOptions, KycError, RedirectPolicy, RetryResult, UserRef } from '@kycport/core';
import { outcomeUnknown } from '@kycport/http';
import type { HttpResponse } from '@kycport/http';
import { PLU_ENDPOINTS } from './plu-api';
import type { PluListedUser, PluRetryKycResponse } from './plu-api';
import { PLU_PROVIDER_ID } from './plu-config';
import type { PluRetryPreCheck } from './plu-config';
import { pluRetryErrorMapper, pluRetryPreCheck } from './plu-retry-refusal';
import type { PluRetryKnowledge, PluRetryMemory } from './plu-retry-refusal';
import {
  isPluKnownStatus,
  pluRetryCountOf,
  pluRetryState,
  pluStateAfterLostAnswer,
} from './plu-status-mapping';
import { PLU_SCAN_PAGE_LIMIT_CODE, findPluUserByServiceId } from './plu-user-scan';
import type { PluUserScan } from './plu-user-scan';

export interface PluRetryDependencies {
  /** The client and the page cap of the reconciling scan. */
  readonly scan: PluUserScan;
  /** Idempotency keys for calls that pass none. */
  readonly newKey: () => string;
  /** Where `verificationUrl` may send the browser besides https (`pluRedirectPolicy`). */
  readonly redirectPolicy: RedirectPolicy;
  /** The retry counts Plu reported for each user (the last known count of a refusal). */
  readonly memory: PluRetryMemory;
  /** `list_scan`: read the user list before calling retry-kyc. */
  readonly preCheck: PluRetryPreCheck;
}

type Retried = TE.TaskEither<KycError, RetryResult>;

/** `nextAction.reason` of a user found in the list after a retry whose answer was lost. */
export const PLU_RETRY_URL_LOST_REASON =
  'Plu took the retry, but its answer was lost; if Plu chose the Persona path, the new ' +
  'verificationUrl existed only in that answer, and Plu documents no call that returns it again. ' +
  'A needsVerification webhook brings a verificationLink; otherwise wait for the user.kyc-event ' +
  'webhook or ask Plu support (see docs/providers/plu.md, "Lost answers")';

/** What the host should do when the read cannot settle the retry. */
const UNSETTLED_ADVICE =
  'do not call retry again now, since a repeat may start a second retry (one of 3, possibly ' +
  'fee-bearing): wait for the user.kyc-event webhook (Plu sends one for a retry that started) or ' +
  'poll getStatus, and retry again only after a new denial (see docs/providers/plu.md, "Lost answers")';

function unsettled(cause: KycError, ref: UserRef, looked: string): KycError {
  return kycErrorOfKind(cause.kind, {
    provider: PLU_PROVIDER_ID,
    message: `${PLU_PROVIDER_ID}: retry: the outcome is unknown (${cause.kind}${cause.providerCode ? `, code ${cause.providerCode}` : ''}); ${looked}; ${UNSETTLED_ADVICE}`,
    retryable: false,
    outcome: 'unknown',
    httpStatus: cause.httpStatus,
    providerCode: cause.providerCode,
    requestId: cause.requestId,
    userRef: ref,
    issues: 'issues' in cause ? cause.issues : undefined,
  });
}

/** A retry Plu answered: its state, once core's redirect check accepts a returned `verificationUrl`. */
function answered(
  response: HttpResponse<PluRetryKycResponse>,
  ref: UserRef,
  policy: RedirectPolicy,
): E.Either<KycError, RetryResult> {
  const data = response.data.data;
  if (data.verificationUrl !== undefined) {
    const redirect = redirectTo(
      PLU_PROVIDER_ID,
      data.verificationUrl,
      'response.data.verificationUrl',
      policy,
    );
    if (E.isLeft(redirect)) {
      return E.left(
        kycError('unexpected_response', {
          provider: PLU_PROVIDER_ID,
          message: `${PLU_PROVIDER_ID}: retry: Plu took the retry but its verificationUrl is not usable (https, or the simulator origin); ${UNSETTLED_ADVICE}`,
          issues: redirect.left.issues,
          httpStatus: response.status,
          requestId: response.requestId,
          userRef: ref,
          retryable: false,
          outcome: 'unknown',
        }),
      );
    }
  }
  const { state, attempts } = pluRetryState(data, policy);
  return E.right(withLazyRaw({ provider: PLU_PROVIDER_ID, userRef: ref, state, attempts }, response.data));
}

/** The user is listed with a status other than denied: no retry is left to start from this call. */
function reconciled(user: PluListedUser, ref: UserRef): RetryResult {
  return withLazyRaw(
    {
      provider: PLU_PROVIDER_ID,
      userRef: ref,
      state: pluStateAfterLostAnswer(user.status, PLU_RETRY_URL_LOST_REASON),
      // The list carries no retryCount.
      attempts: {},
    },
    { reconciled: true, user },
  );
}

/** The answer was lost: read the user's listed status once; never send the retry again. */
function reconcile(scan: PluUserScan, ref: UserRef, cause: KycError, options: CallOptions): Retried {
  return pipe(
    findPluUserByServiceId(scan, 'retry (reconcile by serviceId)', ref, options),
    TE.fold(
      (lookupError) =>
        TE.left(
          unsettled(
            cause,
            ref,
            lookupError.providerCode === PLU_SCAN_PAGE_LIMIT_CODE
              ? 'the user was not within the maxScanPages pages of the user list (PLU_MAX_SCAN_PAGES)'
              : 'the partner user list could not be read',
          ),
        ),
      (user) => {
        if (user === undefined)
          return TE.left(unsettled(cause, ref, 'the user is not in the partner user list'));
        if (user.status === 'denied')
          return TE.left(
            unsettled(
              cause,
              ref,
              'the user list still shows denied, which cannot tell whether the retry started',
            ),
          );
        // A status kycport does not know may be how Plu lists a denied user: it cannot tell either.
        if (!isPluKnownStatus(user.status))
          return TE.left(unsettled(cause, ref, 'the user list shows a status kycport does not know'));
        return TE.right(reconciled(user, ref));
      },
    ),
  );
}

/** Sends the retry once; a refusal is classified with what is known, a lost answer reconciled. */
function send(
  dependencies: PluRetryDependencies,
  ref: UserRef,
  options: CallOptions,
  known: PluRetryKnowledge,
): Retried {
  const { scan, redirectPolicy, memory } = dependencies;
  // The page lists no idempotency-key, the overview requires one on every POST: send one.
  const headers = { 'idempotency-key': options.idempotencyKey ?? dependencies.newKey() };
  // Object.assign, not `{ ...endpoint, mapError }`: on Node 20 a key added after a leading spread
  // takes a slow path of about a microsecond (docs/performance.md).
  const endpoint = Object.assign({}, PLU_ENDPOINTS.retryKyc, { mapError: pluRetryErrorMapper(ref, known) });
  const call = scan.client.call(endpoint, { pathParams: { serviceId: ref }, headers }, options);
  // A `then` rather than `TE.fold`: the same branches without fp-ts's closures and promise hops.
  return () =>
    call().then((sent) => {
      if (E.isLeft(sent)) {
        return outcomeUnknown(sent.left) ? reconcile(scan, ref, sent.left, options)() : sent;
      }
      const response = sent.right;
      const retryCount = pluRetryCountOf(response.data.data.retryCount);
      if (retryCount !== undefined) memory.remember(ref, retryCount);
      return answered(response, ref, redirectPolicy);
    });
}

/** Validated ref in, the started retry (or the state a lost answer left) out; see above. */
export function retryPluKyc(dependencies: PluRetryDependencies, ref: UserRef, options: CallOptions): Retried {
  const remembered = dependencies.memory.get(ref);
  const callerKey = options.idempotencyKey !== undefined;
  if (dependencies.preCheck === 'off')
    return send(dependencies, ref, options, { retryCount: remembered, callerKey });
  return pipe(
    pluRetryPreCheck(dependencies.scan, ref, options),
    TE.chain((listed) =>
      send(dependencies, ref, options, {
        listedStatus: listed.listedStatus,
        retryCount: listed.retryCount ?? remembered,
        callerKey,
      }),
    ),
  );
}
