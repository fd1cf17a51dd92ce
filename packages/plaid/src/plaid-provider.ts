/**
 * `createPlaidProvider(config)`: the `KycProvider` port over Plaid Identity Verification.
 *
 * - UserRef = `client_user_id` = `applicant.externalId` (Plaid forbids PII in it). The attempt id
 *   (`idv_...`) is not needed by the host: the latest attempt is found with `/list`.
 * - Credentials travel only in the `PLAID-CLIENT-ID` / `PLAID-SECRET` headers, computed per request
 *   inside the transport; they are never in a body, error, log line or observer event.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import {
  CreateUserInputCodec,
  RetryStrategyCodec,
  UserRefCodec,
  boundedString,
  decodeInput,
  kycError,
  withLazyRaw,
  unsupported,
  userRef,
} from '@kycport/core';
import type {
  CallOptions,
  CreateUserInput,
  CreateUserResult,
  KycCapabilities,
  KycError,
  KycEvent,
  KycObserver,
  KycProvider,
  KycWebhookHandler,
  RetryOptions,
  RetryResult,
  RetryStrategy,
  StatusResult,
  SubmitVerificationResult,
  UserRef,
} from '@kycport/core';
import { createHttpClient } from '@kycport/http';
import type { HttpClientConfig, HttpRequest } from '@kycport/http';
import {
  PLAID_REDACTED_KEYS,
  PlaidIdentityVerification,
  PlaidIdentityVerificationList,
  PlaidWebhookVerificationKeyResponse,
} from './plaid-api';
import type {
  IdentityVerificationGetRequest,
  IdentityVerificationListRequest,
  PlaidJwkPublicKey,
  WebhookVerificationKeyGetRequest,
} from './plaid-api';
import { PLAID, PLAID_API_VERSION, plaidBaseUrl } from './plaid-config';
import type { PlaidConfig } from './plaid-config';
import { mapPlaidError, plaidRequestId } from './plaid-error';
import {
  decodeCreateUserOptions,
  decodeRetryOptions,
  plaidCreateRequest,
  plaidRetryRequest,
} from './plaid-request-mapping';
import { blocksIncompleteRetry, plaidStateOf } from './plaid-status-mapping';
import { createPlaidWebhookHandler, createPlaidWebhookVerifier } from './plaid-webhooks';

export const PLAID_SUBMIT_UNSUPPORTED_REASON =
  'Plaid Identity Verification has no call to add data or documents to an attempt: applicant data is sent with createUser ' +
  '(with gave_consent, data-only templates run their checks at once), and documents and selfies are captured only in ' +
  "Plaid's hosted flow (Link or the shareable URL)";

/** Pages of `/identity_verification/list` read at most per lookup (a guard against a cursor loop). */
export const PLAID_MAX_LIST_PAGES = 50;

export interface PlaidDependencies {
  readonly observer?: KycObserver;
  readonly transport?: Partial<
    Pick<HttpClientConfig, 'retry' | 'sleep' | 'random' | 'axiosAdapter' | 'axiosInstance'>
  >;
  /** Clock for the webhook `iat` check (milliseconds since the epoch). */
  readonly now?: () => number;
}

export interface PlaidProvider extends KycProvider {
  readonly webhooks: KycWebhookHandler;
  /** One attempt by its id (`idv_...`, also Link's `link_session_id`) with `/identity_verification/get`. */
  getVerification(
    identityVerificationId: string,
    options?: CallOptions,
  ): TE.TaskEither<KycError, StatusResult>;
  /**
   * The current state of the attempt a webhook event names (one `/get`). The attempt may have been
   * superseded by a retry since; `getStatus(event.userRef)` reads the latest attempt.
   */
  resolvePlaidEvent(event: KycEvent, options?: CallOptions): TE.TaskEither<KycError, StatusResult>;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

export const PLAID_CAPABILITIES: KycCapabilities = {
  operations: {
    createUser: { supported: true },
    getStatus: { supported: true },
    retry: { supported: true },
    submitVerification: { supported: false, reason: PLAID_SUBMIT_UNSUPPORTED_REASON },
  },
  retryStrategies: ['auto', 'restart', 'resume', 'custom'],
  hostedFlow: true,
  documentUpload: false,
  statusLookup: 'list_latest',
  webhooks: { authentication: 'jwt_es256', carriesState: false },
};

const IdentityVerificationId = boundedString(100);

interface LatestAttempt {
  readonly latest: PlaidIdentityVerification;
  /** Attempts listed for the user and template. */
  readonly count: number;
}

/** Newest by `created_at`; on equal or unreadable timestamps the later list entry wins. */
export function newestAttempt(
  attempts: ReadonlyArray<PlaidIdentityVerification>,
): PlaidIdentityVerification | undefined {
  // `created_at` has one-second resolution and Plaid does not document the list order, so an
  // attempt that a later one names as its `previous_attempt_id` is never the newest.
  const superseded = new Set(attempts.map((attempt) => attempt.previous_attempt_id).filter(Boolean));
  const candidates = attempts.filter((attempt) => !superseded.has(attempt.id));
  let newest: PlaidIdentityVerification | undefined;
  let newestTime = Number.NEGATIVE_INFINITY;
  for (const attempt of candidates.length > 0 ? candidates : attempts) {
    const parsed = Date.parse(attempt.created_at);
    const time = Number.isNaN(parsed) ? newestTime : parsed;
    if (newest === undefined || time >= newestTime) {
      newest = attempt;
      newestTime = time;
    }
  }
  return newest;
}

export function createPlaidProvider(
  config: PlaidConfig,
  dependencies: PlaidDependencies = {},
): PlaidProvider {
  const { clientId, secret, templateId } = config;
  const client = createHttpClient({
    provider: PLAID,
    baseUrl: plaidBaseUrl(config),
    timeoutMs: config.timeoutMs,
    authenticate: () => ({ 'PLAID-CLIENT-ID': clientId, 'PLAID-SECRET': secret }),
    mapError: mapPlaidError,
    requestIdFrom: plaidRequestId,
    observer: dependencies.observer,
    headers: { 'Plaid-Version': PLAID_API_VERSION, 'Content-Type': 'application/json' },
    userAgent: '@kycport/plaid',
    ...dependencies.transport,
  });

  const call = <A>(
    request: Omit<HttpRequest<A>, 'method' | 'signal' | 'timeoutMs'>,
    options: CallOptions = {},
  ) =>
    pipe(
      client.request<A>({ ...request, method: 'POST', signal: options.signal, timeoutMs: options.timeoutMs }),
      TE.map((response) => response.data),
    );

  const resultOf = <X extends object = object>(
    attempt: PlaidIdentityVerification,
    attemptNumber?: number,
    extra?: X,
  ) =>
    withLazyRaw(
      {
        provider: PLAID,
        userRef: userRef(attempt.client_user_id),
        state: plaidStateOf(attempt, attemptNumber),
        ...(extra as X),
      },
      attempt,
      PLAID_REDACTED_KEYS,
    );

  const validRef = (ref: UserRef): TE.TaskEither<KycError, UserRef> =>
    TE.fromEither(decodeInput(PLAID, UserRefCodec, ref, 'ref'));

  /** Every attempt for the user and template, following `next_cursor`. */
  const findLatest =
    (ref: UserRef, options?: CallOptions): TE.TaskEither<KycError, LatestAttempt> =>
    async () => {
      const attempts: PlaidIdentityVerification[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < PLAID_MAX_LIST_PAGES; page += 1) {
        const body: IdentityVerificationListRequest = {
          template_id: templateId,
          client_user_id: ref,
          ...(cursor ? { cursor } : {}),
        };
        const listed = await call(
          {
            operation: 'getStatus',
            pathTemplate: '/identity_verification/list',
            body,
            idempotent: true,
            response: PlaidIdentityVerificationList,
          },
          options,
        )();
        if (E.isLeft(listed)) return listed;
        attempts.push(
          ...listed.right.identity_verifications.filter((attempt) => attempt.client_user_id === ref),
        );
        const next = listed.right.next_cursor ?? undefined;
        if (next === undefined || next === '' || next === cursor) {
          const latest = newestAttempt(attempts);
          if (latest === undefined) {
            return E.left(
              kycError('not_found', {
                provider: PLAID,
                message: `${PLAID}: no identity verification exists for this user and template`,
                userRef: ref,
                retryable: false,
              }),
            );
          }
          return E.right({ latest, count: attempts.length });
        }
        cursor = next;
      }
      return E.left(
        kycError('unexpected_response', {
          provider: PLAID,
          message: `${PLAID}: /identity_verification/list returned more than ${PLAID_MAX_LIST_PAGES} pages`,
          issues: [
            { path: 'response.next_cursor', message: `expected fewer than ${PLAID_MAX_LIST_PAGES} pages` },
          ],
          userRef: ref,
        }),
      );
    };

  const getAttempt = (identityVerificationId: string, options?: CallOptions) => {
    const body: IdentityVerificationGetRequest = { identity_verification_id: identityVerificationId };
    return call(
      {
        operation: 'getVerification',
        pathTemplate: '/identity_verification/get',
        body,
        idempotent: true,
        response: PlaidIdentityVerification,
      },
      options,
    );
  };

  const fetchKey = (keyId: string): TE.TaskEither<KycError, PlaidJwkPublicKey> => {
    const body: WebhookVerificationKeyGetRequest = { key_id: keyId };
    return pipe(
      call({
        operation: 'webhookVerificationKey',
        pathTemplate: '/webhook_verification_key/get',
        body,
        idempotent: true,
        response: PlaidWebhookVerificationKeyResponse,
      }),
      TE.map((response) => response.key),
    );
  };

  const webhooks = createPlaidWebhookHandler({
    verifier: createPlaidWebhookVerifier({ fetchKey, now: dependencies.now }),
    getAttempt: (id) => getAttempt(id),
    expectedEnvironment: config.baseUrl === undefined ? config.environment : undefined,
  });

  /** Plaid's documented strategy restrictions, checked when the latest attempt is known. */
  const checkStrategy = (
    strategy: RetryStrategy,
    known: LatestAttempt | undefined,
    ref: UserRef,
  ): E.Either<KycError, void> => {
    if (known === undefined) return E.right(undefined);
    const refuse = (message: string) =>
      E.left(
        kycError('invalid_state', {
          provider: PLAID,
          message: `${PLAID}: ${message}`,
          userRef: ref,
          retryable: false,
        }),
      );
    if (strategy.kind === 'auto' && known.latest.status === 'active') {
      return refuse('retry with strategy auto (Plaid infer) is refused while the latest attempt is active');
    }
    if (strategy.kind === 'resume' && blocksIncompleteRetry(known.latest.steps)) {
      return refuse(
        'retry with strategy resume (Plaid incomplete) is refused after a failed watchlist screening or risk check',
      );
    }
    return E.right(undefined);
  };

  return {
    id: PLAID,
    capabilities: PLAID_CAPABILITIES,
    webhooks,

    createUser: (input: CreateUserInput, options?: CallOptions): TE.TaskEither<KycError, CreateUserResult> =>
      pipe(
        TE.fromEither(decodeInput(PLAID, CreateUserInputCodec, input)),
        TE.chainEitherK((valid) =>
          pipe(
            decodeCreateUserOptions(valid.providerOptions),
            E.chainW((plaidOptions) =>
              plaidCreateRequest(valid.applicant, plaidOptions, {
                templateId,
                isShareable: config.isShareable,
              }),
            ),
          ),
        ),
        // is_idempotent: true makes Plaid return the existing attempt for client_user_id + template_id,
        // so a transport retry after a timeout cannot create a second attempt.
        TE.chain((body) =>
          call(
            {
              operation: 'createUser',
              pathTemplate: '/identity_verification/create',
              body,
              idempotent: true,
              response: PlaidIdentityVerification,
            },
            options,
          ),
        ),
        TE.map((attempt) => resultOf(attempt)),
      ),

    getStatus: (ref: UserRef, options?: CallOptions): TE.TaskEither<KycError, StatusResult> =>
      pipe(
        validRef(ref),
        TE.chain((valid) => findLatest(valid, options)),
        TE.map(({ latest, count }) => resultOf(latest, count)),
      ),

    retry: (ref: UserRef, options: RetryOptions = {}): TE.TaskEither<KycError, RetryResult> =>
      pipe(
        validRef(ref),
        TE.chain((valid) =>
          pipe(
            TE.fromEither(
              decodeInput(PLAID, RetryStrategyCodec, options.strategy ?? { kind: 'auto' }, 'strategy'),
            ),
            TE.chain((strategy) =>
              pipe(
                TE.fromEither(decodeRetryOptions(options.providerOptions)),
                TE.chain((plaidOptions) =>
                  pipe(
                    plaidOptions.checkStateFirst === false
                      ? TE.right<KycError, LatestAttempt | undefined>(undefined)
                      : TE.map((known: LatestAttempt): LatestAttempt | undefined => known)(
                          findLatest(valid, options),
                        ),
                    TE.chainFirstEitherK((known) => checkStrategy(strategy, known, valid)),
                    TE.chain((known) =>
                      pipe(
                        // Not idempotent: Plaid has no idempotency for retry, so a repeated send starts
                        // another attempt. The transport only repeats it when it never reached Plaid.
                        call(
                          {
                            operation: 'retry',
                            pathTemplate: '/identity_verification/retry',
                            body: plaidRetryRequest(valid, templateId, strategy, plaidOptions),
                            idempotent: false,
                            response: PlaidIdentityVerification,
                          },
                          options,
                        ),
                        TE.map((attempt): RetryResult => {
                          const count = known === undefined ? undefined : known.count + 1;
                          return resultOf(attempt, count, { attempts: count === undefined ? {} : { count } });
                        }),
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),

    submitVerification: (): TE.TaskEither<KycError, SubmitVerificationResult> =>
      unsupported(PLAID, 'submitVerification', PLAID_SUBMIT_UNSUPPORTED_REASON),

    getVerification: (identityVerificationId: string, options?: CallOptions) =>
      pipe(
        TE.fromEither(
          decodeInput(PLAID, IdentityVerificationId, identityVerificationId, 'identityVerificationId'),
        ),
        TE.chain((id) => getAttempt(id, options)),
        TE.map((attempt) => resultOf(attempt)),
      ),

    resolvePlaidEvent: (event: KycEvent, options?: CallOptions) => {
      if (event.provider !== PLAID || event.stateIncluded || event.resourceId === undefined) {
        return TE.left(
          kycError('validation', {
            provider: PLAID,
            message: `${PLAID}: the event is not a Plaid identity verification event with a resourceId`,
            issues: [{ path: 'event.resourceId', message: 'is required' }],
            retryable: false,
          }),
        );
      }
      return pipe(
        getAttempt(event.resourceId, options),
        TE.map((attempt) => resultOf(attempt)),
      );
    },

    close: () => client.close(),
  };
}
