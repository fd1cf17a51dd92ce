/**
 * An in-memory `KycProvider` with scriptable outcomes, for host apps' unit tests and the demo.
 * It behaves like a hosted-flow provider: `createUser` returns a redirect, the test "completes" the
 * flow through `control`, a denied user can be retried up to `maxAttempts`, and webhooks are
 * HMAC-SHA256 signed like Plu's. It passes the same contract suite as the real adapters.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import * as t from 'io-ts';
import {
  CreateUserInputCodec,
  RetryStrategyCodec,
  UserRefCodec,
  decodeInput,
  getHeader,
  kycError,
  rawBodyText,
  redact,
  unsupported,
  userRef,
  validationError,
} from '@kycport/core';
import type {
  CallOptions,
  CreateUserInput,
  KycCapabilities,
  KycError,
  KycEvent,
  KycObserver,
  KycProvider,
  KycResult,
  KycState,
  KycStatus,
  KycWebhookHandler,
  RetryOptions,
  RetryResult,
  UserRef,
  WebhookRequest,
} from '@kycport/core';

/** How a hosted flow ends when `control.completeHostedFlow` is called without an explicit outcome. */
export type FakeOutcome = 'approved' | 'denied' | 'in_review' | 'expired';

export const FakeProviderOptions = t.partial({
  /** Outcomes of the successive attempts, e.g. `['denied', 'approved']`. Default: approved. */
  outcomes: t.array(t.keyof({ approved: null, denied: null, in_review: null, expired: null })),
});
export type FakeProviderOptions = t.TypeOf<typeof FakeProviderOptions>;

export interface FakeKycProviderSettings {
  /** Attempts a user gets in total (default 3). */
  readonly maxAttempts?: number;
  /** Secret for webhook signatures (default `whsec_fake`). */
  readonly webhookSecret?: string;
  readonly observer?: KycObserver;
}

interface FakeUser {
  readonly ref: UserRef;
  readonly externalId: string;
  status: KycStatus;
  providerStatus: string;
  reasonCodes: ReadonlyArray<string>;
  attempt: number;
  outcomes: FakeOutcome[];
}

export interface FakeKycControl {
  /** Ends the current attempt as the end user (and provider) would; returns the signed webhook it emits. */
  completeHostedFlow(
    ref: UserRef,
    outcome?: FakeOutcome,
    reasonCodes?: ReadonlyArray<string>,
  ): WebhookRequest;
  /** Makes the next call of `operation` fail with `error` (once). */
  failNext(
    operation: keyof Pick<KycProvider, 'createUser' | 'getStatus' | 'retry' | 'submitVerification'>,
    error: KycError,
  ): void;
  /** Signs an arbitrary event body as the fake would. */
  signWebhook(body: unknown): WebhookRequest;
  /** The users the fake knows, by ref. */
  users(): ReadonlyArray<{ ref: UserRef; status: KycStatus; attempt: number }>;
  reset(): void;
}

export interface FakeKycProvider extends KycProvider {
  readonly webhooks: KycWebhookHandler;
  readonly control: FakeKycControl;
}

const FAKE = 'fake';
const HOSTED_URL = 'https://fake.kycport.invalid/verify/';
const SIGNATURE_HEADER = 'x-fake-signature';
const SUBMIT_UNSUPPORTED =
  'the fake collects documents in its hosted flow: redirect the user to nextAction.url';

const FakeWebhookBody = t.type({
  event: t.literal('fake.kyc-status'),
  eventId: t.string,
  occurredAt: t.string,
  data: t.type({ ref: t.string, status: t.string, attempt: t.number, reasonCodes: t.array(t.string) }),
});

function stateOf(user: FakeUser, maxAttempts: number): KycState {
  const nextAction = ((): KycState['nextAction'] => {
    switch (user.status) {
      case 'action_required':
        return {
          type: 'redirect',
          url: `${HOSTED_URL}${encodeURIComponent(user.ref)}?attempt=${user.attempt}`,
        };
      case 'pending':
      case 'in_review':
        return { type: 'await_provider' };
      case 'denied':
      case 'expired':
        return user.attempt >= maxAttempts ? { type: 'contact_support' } : { type: 'none' };
      default:
        return { type: 'none' };
    }
  })();
  return {
    status: user.status,
    providerStatus: user.providerStatus,
    reasonCodes: user.reasonCodes,
    attempt: user.attempt,
    nextAction,
  };
}

export function createFakeKycProvider(settings: FakeKycProviderSettings = {}): FakeKycProvider {
  const maxAttempts = settings.maxAttempts ?? 3;
  const secret = settings.webhookSecret ?? 'whsec_fake';
  const users = new Map<string, FakeUser>();
  const failures = new Map<string, KycError>();

  const capabilities: KycCapabilities = {
    operations: {
      createUser: { supported: true },
      getStatus: { supported: true },
      retry: { supported: true },
      submitVerification: { supported: false, reason: SUBMIT_UNSUPPORTED },
    },
    retryStrategies: ['auto', 'restart'],
    maxAttempts,
    hostedFlow: true,
    documentUpload: false,
    statusLookup: 'single_request',
    webhooks: { authentication: 'hmac_sha256', carriesState: true },
  };

  /** Reports the call to the observer like the HTTP transport does, so "no request was made" is checkable. */
  const call =
    <A>(operation: string, body: () => E.Either<KycError, A>): TE.TaskEither<KycError, A> =>
    async () => {
      const started = performance.now();
      const injected = failures.get(operation);
      failures.delete(operation);
      const result = injected ? E.left(injected) : body();
      settings.observer?.onCall?.({
        provider: FAKE,
        method: 'CALL',
        pathTemplate: operation,
        attempt: 1,
        durationMs: performance.now() - started,
        outcome: E.isLeft(result) ? 'error' : 'success',
        errorKind: E.isLeft(result) ? result.left.kind : undefined,
        willRetry: false,
      });
      return result;
    };

  const result = (user: FakeUser): KycResult => ({
    provider: FAKE,
    userRef: user.ref,
    state: stateOf(user, maxAttempts),
    raw: redact({ ref: user.ref, status: user.providerStatus, attempt: user.attempt }),
  });

  const find = (ref: UserRef): E.Either<KycError, FakeUser> => {
    const user = users.get(ref);
    return user
      ? E.right(user)
      : E.left(
          kycError('not_found', {
            provider: FAKE,
            message: 'fake: no user with this reference',
            providerCode: 'USER_NOT_FOUND',
            httpStatus: 404,
          }),
        );
  };

  const validRef = (ref: UserRef) => decodeInput(FAKE, UserRefCodec, ref, 'ref');

  const provider: KycProvider = {
    id: FAKE,
    capabilities,
    createUser: (input: CreateUserInput, _options?: CallOptions) =>
      pipe(
        TE.fromEither(decodeInput(FAKE, CreateUserInputCodec, input)),
        TE.chainEitherK((decoded) =>
          pipe(
            decodeInput(
              FAKE,
              FakeProviderOptions,
              decoded.providerOptions?.[FAKE] ?? {},
              'providerOptions.fake',
            ),
            E.chain((options) => {
              const issues = [
                ...(decoded.applicant.name ? [] : [{ path: 'applicant.name', message: 'is required' }]),
                ...(decoded.applicant.email ? [] : [{ path: 'applicant.email', message: 'is required' }]),
                ...(decoded.applicant.termsAccepted === true
                  ? []
                  : [{ path: 'applicant.termsAccepted', message: 'must be true' }]),
              ];
              return issues.length > 0
                ? E.left(validationError(FAKE, issues))
                : E.right({ applicant: decoded.applicant, options });
            }),
          ),
        ),
        TE.chain(({ applicant, options }) =>
          call('createUser', () => {
            const ref = userRef(`fake-user-${applicant.externalId}`);
            if (users.has(ref)) {
              return E.left(
                kycError('conflict', {
                  provider: FAKE,
                  message: 'fake: a user with this externalId already exists',
                  providerCode: 'DUP_USER',
                  httpStatus: 409,
                  userRef: ref,
                }),
              );
            }
            const user: FakeUser = {
              ref,
              externalId: applicant.externalId,
              status: 'action_required',
              providerStatus: 'awaiting_user',
              reasonCodes: [],
              attempt: 1,
              outcomes: [...(options.outcomes ?? [])],
            };
            users.set(ref, user);
            return E.right(result(user));
          }),
        ),
      ),

    getStatus: (ref: UserRef) =>
      pipe(
        TE.fromEither(validRef(ref)),
        TE.chain(() => call('getStatus', () => pipe(find(ref), E.map(result)))),
      ),

    retry: (ref: UserRef, options?: RetryOptions) =>
      pipe(
        TE.fromEither(validRef(ref)),
        TE.chainEitherK(() =>
          decodeInput(FAKE, RetryStrategyCodec, options?.strategy ?? { kind: 'auto' }, 'strategy'),
        ),
        TE.chain((strategy) =>
          capabilities.retryStrategies.includes(strategy.kind)
            ? TE.right(strategy)
            : unsupported(
                FAKE,
                `retry with strategy ${strategy.kind}`,
                'the fake restarts the hosted flow; use auto or restart',
              ),
        ),
        TE.chain(() =>
          call('retry', (): E.Either<KycError, RetryResult> =>
            pipe(
              find(ref),
              E.chain((user) => {
                if (user.status !== 'denied' && user.status !== 'expired') {
                  return E.left(
                    kycError('invalid_state', {
                      provider: FAKE,
                      message: `fake: only a denied or expired user can be retried`,
                      providerCode: 'NOT_RETRYABLE',
                      httpStatus: 400,
                    }),
                  );
                }
                if (user.attempt >= maxAttempts) {
                  return E.left(
                    kycError('retry_limit_reached', {
                      provider: FAKE,
                      message: `fake: all ${maxAttempts} attempts are used`,
                      providerCode: 'RETRY_LIMIT',
                      httpStatus: 400,
                      maxAttempts,
                    }),
                  );
                }
                user.attempt += 1;
                user.status = 'action_required';
                user.providerStatus = 'awaiting_user';
                user.reasonCodes = [];
                return E.right({
                  ...result(user),
                  attempts: { count: user.attempt, remaining: maxAttempts - user.attempt },
                });
              }),
            ),
          ),
        ),
      ),

    submitVerification: () => unsupported(FAKE, 'submitVerification', SUBMIT_UNSUPPORTED),
  };

  const sign = (rawBody: string): string => createHmac('sha256', secret).update(rawBody).digest('hex');

  const signWebhook = (body: unknown): WebhookRequest => {
    const rawBody = JSON.stringify(body);
    return { headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(rawBody) }, rawBody };
  };

  const rejected = (message: string): KycError =>
    kycError('webhook_rejected', { provider: FAKE, message: `fake: webhook rejected: ${message}` });

  const webhooks: KycWebhookHandler = {
    provider: FAKE,
    parseWebhook: (request: WebhookRequest) => async () => {
      const signature = getHeader(request.headers, SIGNATURE_HEADER);
      const text = rawBodyText(request.rawBody);
      if (!signature) return E.left(rejected(`missing ${SIGNATURE_HEADER} header`));
      const expected = Buffer.from(sign(text), 'utf8');
      const given = Buffer.from(signature.trim().toLowerCase(), 'utf8');
      if (expected.length !== given.length || !timingSafeEqual(expected, given))
        return E.left(rejected('signature mismatch'));
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return E.left(rejected('body is not JSON'));
      }
      const decoded = FakeWebhookBody.decode(parsed);
      if (E.isLeft(decoded)) return E.left(rejected('unexpected payload shape'));
      const body = decoded.right;
      const status = body.data.status as KycStatus;
      const event: KycEvent = {
        provider: FAKE,
        type: body.event,
        dedupeKey: body.eventId,
        userRef: userRef(body.data.ref),
        occurredAt: body.occurredAt,
        raw: redact(body),
        stateIncluded: true,
        state: stateOf(
          {
            ref: userRef(body.data.ref),
            externalId: '',
            status,
            providerStatus: body.data.status,
            reasonCodes: body.data.reasonCodes,
            attempt: body.data.attempt,
            outcomes: [],
          },
          maxAttempts,
        ),
      };
      return E.right(event);
    },
  };

  const control: FakeKycControl = {
    completeHostedFlow: (ref, outcome, reasonCodes) => {
      const user = users.get(ref);
      if (!user) throw new Error('fake: no user with this reference');
      const next: FakeOutcome = outcome ?? user.outcomes.shift() ?? 'approved';
      user.status = next;
      user.providerStatus = next;
      user.reasonCodes = next === 'denied' ? [...(reasonCodes ?? ['FAKE_DENIAL'])] : [];
      return signWebhook({
        event: 'fake.kyc-status',
        eventId: randomUUID(),
        occurredAt: new Date().toISOString(),
        data: { ref: user.ref, status: user.status, attempt: user.attempt, reasonCodes: user.reasonCodes },
      });
    },
    failNext: (operation, error) => {
      failures.set(operation, error);
    },
    signWebhook,
    users: () =>
      [...users.values()].map((user) => ({ ref: user.ref, status: user.status, attempt: user.attempt })),
    reset: () => {
      users.clear();
      failures.clear();
    },
  };

  return { ...provider, webhooks, control };
}
