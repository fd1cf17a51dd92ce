/**
 * `createPluProvider(config)`: the `KycProvider` for Plu's v2 card users with Persona KYC.
 * - createUser: `POST /v2/partner/card/users`, with reconciliation through List Users when the
 *   outcome of the create is unknown (timeout, reset, reused idempotency key).
 * - retry: `POST /v2/partner/card/users/{serviceId}/retry-kyc` (Plu picks the path: `auto` only).
 * - getStatus: a paged scan of `GET /v1/partner/card/users` (Plu has no single-user read).
 * - submitVerification: unsupported (Persona's hosted flow collects documents).
 */
import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import {
  HttpsUrl,
  KycException,
  RetryStrategyCodec,
  UserRefCodec,
  decodeInput,
  kycError,
  kycErrorOfKind,
  redact,
  withLazyRaw,
  unsupported,
  userRef,
  withErrorContext,
} from '@kycport/core';
import type {
  CallOptions,
  CreateUserInput,
  CreateUserResult,
  KycCapabilities,
  KycError,
  KycObserver,
  KycProvider,
  KycWebhookHandler,
  RetryOptions,
  RetryResult,
  StatusResult,
  UserRef,
} from '@kycport/core';
import { createHttpClient } from '@kycport/http';
import type { HttpClientConfig } from '@kycport/http';
import { PLU_PATHS, PluCreateUserResponse, PluListUsersResponse, PluRetryKycResponse } from './plu-api';
import type { PluCreateUserRequest, PluListedUser } from './plu-api';
import { PLU, parsePluConfig, pluBaseUrl } from './plu-config';
import type { PluConfig } from './plu-config';
import { isPluIdempotencyCode, mapPluError, pluCodeRule } from './plu-error';
import { toPluCreateUserRequest } from './plu-request-mapping';
import {
  PLU_MAX_ATTEMPTS,
  PLU_VERIFICATION_URL_ISSUED,
  pluKycState,
  pluRetryState,
} from './plu-status-mapping';
import { createPluWebhookHandler } from './plu-webhooks';

/**
 * Users per List Users page. Plu documents `limit` (default 50) but no maximum; 100 halves the
 * requests of a scan against the default while staying a size APIs commonly allow. If Plu caps it
 * lower, the scan still works: it advances by the users actually returned.
 */
export const PLU_LIST_PAGE_SIZE = 100;

export const PLU_SUBMIT_VERIFICATION_REASON =
  'Plu collects identity documents in the Persona hosted flow: redirect the user to nextAction.url (the verificationUrl from createUser or retry, or the verificationLink of a needsVerification webhook)';

export const PLU_RETRY_STRATEGY_REASON =
  'Plu chooses the retry path itself (a new Persona inquiry, or a re-submission of the stored documents); use the auto strategy';

export const PLU_CAPABILITIES: KycCapabilities = {
  operations: {
    createUser: { supported: true },
    getStatus: { supported: true },
    retry: { supported: true },
    submitVerification: { supported: false, reason: PLU_SUBMIT_VERIFICATION_REASON },
  },
  retryStrategies: ['auto'],
  maxAttempts: PLU_MAX_ATTEMPTS,
  hostedFlow: true,
  documentUpload: false,
  statusLookup: 'paged_scan',
  webhooks: { authentication: 'hmac_sha256', carriesState: true },
};

export interface PluProviderDependencies {
  readonly observer?: KycObserver;
  readonly transport?: Partial<
    Pick<HttpClientConfig, 'retry' | 'sleep' | 'random' | 'axiosAdapter' | 'axiosInstance'>
  >;
  /** Idempotency keys for calls that pass none (default `crypto.randomUUID`). */
  readonly randomUUID?: () => string;
}

export type PluProvider = KycProvider & { readonly webhooks: KycWebhookHandler; close(): void };

type Found = E.Either<KycError, PluListedUser | undefined>;

/** Whether the create may have happened although no success was seen. */
function outcomeUnknown(error: KycError, afterResend: boolean): boolean {
  if (error.kind === 'timeout') return true;
  if (error.kind === 'network') return error.providerCode !== 'ABORTED';
  if (isPluIdempotencyCode(error.providerCode)) return true;
  // After our own resend, an unrecognised 400 is most likely the undocumented key-reuse answer.
  return afterResend && error.httpStatus === 400 && pluCodeRule(error.providerCode) === undefined;
}

function sameEmail(a: string | undefined, b: string): boolean {
  return a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Builds the provider. Throws a `KycException` holding a `config` error when `config` is invalid. */
export function createPluProvider(
  config: PluConfig,
  dependencies: PluProviderDependencies = {},
): PluProvider {
  const parsed = parsePluConfig(config);
  if (E.isLeft(parsed)) throw new KycException(parsed.left);
  const settings = parsed.right;
  const newKey = dependencies.randomUUID ?? randomUUID;
  const client = createHttpClient({
    provider: PLU,
    baseUrl: pluBaseUrl(settings),
    timeoutMs: settings.timeoutMs,
    authenticate: () => ({ Authorization: `Bearer ${settings.apiKey}` }),
    mapError: mapPluError,
    observer: dependencies.observer,
    userAgent: '@kycport/plu',
    ...dependencies.transport,
  });
  const defaults = { program: settings.defaultProgram, accountPurpose: settings.defaultAccountPurpose };

  /**
   * Pages List Users until `matches` holds for a user, or the list ends (`skip >= total`, an empty
   * page, or a short page when `total` is absent). Cost: one GET per 100 users scanned.
   */
  const scanUsers =
    (
      operation: string,
      matches: (user: PluListedUser) => boolean,
      options: CallOptions,
    ): (() => Promise<Found>) =>
    async () => {
      let skip = 0;
      let previousFirst: string | undefined;
      for (;;) {
        const page = await client.request({
          operation,
          method: 'GET',
          pathTemplate: PLU_PATHS.listUsers,
          query: { skip, limit: PLU_LIST_PAGE_SIZE },
          idempotent: true,
          response: PluListUsersResponse,
          signal: options.signal,
          timeoutMs: options.timeoutMs,
        })();
        if (E.isLeft(page)) return page;
        const { users, pagination } = page.right.data.data;
        const match = users.find(matches);
        if (match !== undefined) return E.right(match);
        const first = users[0]?.serviceId;
        if (first !== undefined && first === previousFirst) {
          // The same page twice: Plu ignored `skip`. Stop rather than loop.
          return E.left(
            kycError('unexpected_response', {
              provider: PLU,
              message: `${PLU}: ${operation}: List Users returned the same page for a later skip, so the scan cannot continue`,
              issues: [{ path: 'response.data.pagination', message: 'expected skip to advance the page' }],
              httpStatus: page.right.status,
            }),
          );
        }
        previousFirst = first;
        skip += users.length;
        const total = pagination?.total;
        const ended =
          users.length === 0 || (total !== undefined ? skip >= total : users.length < PLU_LIST_PAGE_SIZE);
        if (ended) return E.right(undefined);
      }
    };

  const findByEmail = (email: string, options: CallOptions) =>
    scanUsers('createUser (reconcile by email)', (user) => sameEmail(user.email, email), options);

  const postUser = (body: PluCreateUserRequest, idempotencyKey: string, options: CallOptions) =>
    client.request({
      operation: 'createUser',
      method: 'POST',
      pathTemplate: PLU_PATHS.createUser,
      body,
      headers: { 'idempotency-key': idempotencyKey, 'Content-Type': 'application/json' },
      // Not safe for the transport to resend: Plu answers a reused key with a 400, not a replay.
      // The provider reconciles explicitly instead (below).
      idempotent: false,
      response: PluCreateUserResponse,
      acceptStatus: (status) => status === 200 || status === 201,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });

  const created = (
    response: PluCreateUserResponse,
    requestId: string | undefined,
  ): E.Either<KycError, CreateUserResult> => {
    const { serviceId, verificationUrl } = response.data;
    const ref = userRef(serviceId);
    if (verificationUrl === undefined || !HttpsUrl.is(verificationUrl)) {
      return E.left(
        kycError('unexpected_response', {
          provider: PLU,
          message: `${PLU}: createUser: the user was created but the response has no https verificationUrl`,
          issues: [{ path: 'response.data.verificationUrl', message: 'expected an https URL' }],
          requestId,
          userRef: ref,
        }),
      );
    }
    return E.right({
      provider: PLU,
      userRef: ref,
      state: {
        status: 'action_required',
        providerStatus: PLU_VERIFICATION_URL_ISSUED,
        reasonCodes: [],
        attempt: 1,
        nextAction: { type: 'redirect', url: verificationUrl },
      },
      raw: redact(response),
    });
  };

  /** A user found by reconciliation: its listed status (the verification URL is not in the list). */
  const reconciled = (user: PluListedUser): CreateUserResult => ({
    provider: PLU,
    userRef: userRef(user.serviceId),
    state: pluKycState(user.status),
    raw: redact({ reconciled: true, user }),
  });

  const unknownOutcome = (error: KycError): KycError =>
    kycErrorOfKind(error.kind, {
      provider: PLU,
      message:
        `${PLU}: createUser: the outcome of the create is unknown (${error.kind}${error.providerCode ? `, code ${error.providerCode}` : ''}) ` +
        'and no user with this email was found in the partner user list; call createUser again ' +
        '(with the same idempotencyKey if one was passed): kycport reconciles again before creating',
      retryable: true,
      httpStatus: error.httpStatus,
      providerCode: error.providerCode,
      requestId: error.requestId,
    });

  /**
   * The create with reconciliation. Orders of events handled:
   * 1. POST succeeds: done.
   * 2. DUP_USER on the first POST: `conflict`, with the existing user's ref when the list has it.
   * 3. Timeout / reset / reused key: look the email up. Found: the create happened; return it.
   * 4. Not found after a reused key: another request with this key may be running; report it.
   * 5. Not found after a timeout or reset: POST again with the same key (Plu forgets keys after 5
   *    minutes and the email is unique, so this cannot create a second user). If that answers with
   *    a timeout, a key-reuse 400 or DUP_USER, the first create landed late: look the email up again.
   */
  const createWithReconciliation =
    (body: PluCreateUserRequest, options: CallOptions): TE.TaskEither<KycError, CreateUserResult> =>
    async () => {
      const idempotencyKey = options.idempotencyKey ?? newKey();
      const first = await postUser(body, idempotencyKey, options)();
      if (E.isRight(first)) return created(first.right.data, first.right.requestId);
      const firstError = first.left;
      if (firstError.providerCode === 'DUP_USER') {
        const existing = await findByEmail(body.email, options)();
        return E.left(
          E.isRight(existing) && existing.right !== undefined
            ? withErrorContext(firstError, { userRef: userRef(existing.right.serviceId) })
            : firstError,
        );
      }
      if (!outcomeUnknown(firstError, false)) return E.left(firstError);

      const found = await findByEmail(body.email, options)();
      if (E.isLeft(found)) return E.left(unknownOutcome(firstError));
      if (found.right !== undefined) return E.right(reconciled(found.right));
      if (isPluIdempotencyCode(firstError.providerCode)) return E.left(unknownOutcome(firstError));

      const second = await postUser(body, idempotencyKey, options)();
      if (E.isRight(second)) return created(second.right.data, second.right.requestId);
      const secondError = second.left;
      if (secondError.providerCode !== 'DUP_USER' && !outcomeUnknown(secondError, true))
        return E.left(secondError);
      const foundLate = await findByEmail(body.email, options)();
      if (E.isRight(foundLate) && foundLate.right !== undefined) return E.right(reconciled(foundLate.right));
      return E.left(unknownOutcome(firstError));
    };

  const validRef = (ref: UserRef) => decodeInput(PLU, UserRefCodec, ref, 'ref');

  const provider: KycProvider = {
    id: PLU,
    capabilities: PLU_CAPABILITIES,

    createUser: (input: CreateUserInput, options: CallOptions = {}) =>
      pipe(
        TE.fromEither(toPluCreateUserRequest(input, defaults)),
        TE.chain((body) => createWithReconciliation(body, options)),
      ),

    getStatus: (ref: UserRef, options: CallOptions = {}) =>
      pipe(
        TE.fromEither(validRef(ref)),
        TE.chain((serviceId) => scanUsers('getStatus', (user) => user.serviceId === serviceId, options)),
        TE.chain((user): TE.TaskEither<KycError, StatusResult> =>
          user === undefined
            ? TE.left(
                kycError('not_found', {
                  provider: PLU,
                  message: `${PLU}: getStatus: no user with this serviceId in the partner user list (all pages scanned)`,
                  retryable: false,
                }),
              )
            : TE.right(
                withLazyRaw(
                  { provider: PLU, userRef: userRef(user.serviceId), state: pluKycState(user.status) },
                  user,
                ),
              ),
        ),
      ),

    retry: (ref: UserRef, options: RetryOptions = {}) =>
      pipe(
        TE.fromEither(validRef(ref)),
        TE.chain((serviceId) =>
          pipe(
            TE.fromEither(
              decodeInput(PLU, RetryStrategyCodec, options.strategy ?? { kind: 'auto' }, 'strategy'),
            ),
            TE.chain((strategy) =>
              strategy.kind === 'auto'
                ? TE.right(serviceId)
                : unsupported<UserRef>(
                    PLU,
                    `retry with strategy ${strategy.kind}`,
                    PLU_RETRY_STRATEGY_REASON,
                  ),
            ),
          ),
        ),
        TE.chain((serviceId) =>
          client.request({
            operation: 'retry',
            method: 'POST',
            pathTemplate: PLU_PATHS.retryKyc,
            pathParams: { serviceId },
            // The page lists no idempotency-key, the overview requires one on every POST: send one.
            headers: {
              'idempotency-key': options.idempotencyKey ?? newKey(),
              'Content-Type': 'application/json',
            },
            // A resend with the same key is answered with a 400, so the transport must not resend.
            idempotent: false,
            response: PluRetryKycResponse,
            acceptStatus: (status) => status === 200 || status === 201,
            signal: options.signal,
            timeoutMs: options.timeoutMs,
          }),
        ),
        TE.map((response): RetryResult => {
          const { state, attempts } = pluRetryState(response.data.data);
          return withLazyRaw({ provider: PLU, userRef: ref, state, attempts }, response.data);
        }),
      ),

    submitVerification: () => unsupported(PLU, 'submitVerification', PLU_SUBMIT_VERIFICATION_REASON),
  };

  return {
    ...provider,
    webhooks: createPluWebhookHandler(settings.webhookSecret),
    close: () => client.close(),
  };
}
