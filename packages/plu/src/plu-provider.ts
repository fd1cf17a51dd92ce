/**
 * `buildPluProvider(config)`: the `KycProvider` for Plu's v2 card users with Persona KYC, wired from
 * a validated config (the adapter validates it once, in plu-adapter.ts).
 * - createUser: `POST /v2/partner/card/users` with reconciliation (plu-create-user.ts).
 * - retry: `POST /v2/partner/card/users/{serviceId}/retry-kyc` (Plu picks the path: `auto` only),
 *   reading the user list when its answer is lost (plu-retry.ts).
 * - getStatus: a paged scan of `GET /v1/partner/card/users` (plu-user-scan.ts; no single-user read),
 *   at most `maxScanPages` pages.
 * - getStatuses: one pass of that scan for a whole batch (plu-bulk-status.ts; `capabilities.bulkStatus`).
 * - submitVerification: unsupported (Persona's hosted flow collects documents).
 * Every method checks its ref, input and options before any request (plu-request-mapping.ts).
 */
import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { unsupported } from '@kycport/core';
import type {
  BulkStatusEntry,
  CallOptions,
  CreateUserInput,
  KycAdapterDependencies,
  KycCapabilities,
  KycError,
  KycProviderWithWebhooks,
  RetryOptions,
  UserRef,
} from '@kycport/core';
import type { TaskEither } from 'fp-ts/TaskEither';
import { createHttpClient } from '@kycport/http';
import type { HttpClientConfig } from '@kycport/http';
import {
  PLU_PROVIDER_ID,
  pluBaseUrl,
  pluMaxScanPages,
  pluRedirectPolicy,
  pluRetryPreCheck,
} from './plu-config';
import type { PluConfig } from './plu-config';
import { pluBulkStatuses } from './plu-bulk-status';
import { createPluUser } from './plu-create-user';
import { mapPluError } from './plu-error';
import {
  toPluCallOptions,
  toPluCreateUserRequest,
  toPluRetryStrategy,
  toPluServiceId,
} from './plu-request-mapping';
import { retryPluKyc } from './plu-retry';
import { createPluRetryMemory } from './plu-retry-refusal';
import { PLU_MAX_ATTEMPTS } from './plu-status-mapping';
import { PLU_LIST_PAGE_SIZE, pluUserStatus } from './plu-user-scan';
import { createPluWebhookHandler } from './plu-webhooks';
import type { PluWebhookEventType } from './plu-webhooks';

export const PLU_SUBMIT_VERIFICATION_REASON =
  'Plu collects identity documents in the Persona hosted flow: redirect the user to nextAction.url (the verificationUrl from createUser or retry, or the verificationLink of a needsVerification webhook)';

/** What Plu supports; the same for every configuration (a function like every adapter's). */
export function pluCapabilities(_config: PluConfig): KycCapabilities {
  return {
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
    // getStatuses reads List Users once for a batch, PLU_LIST_PAGE_SIZE users per GET.
    bulkStatus: { pageSize: PLU_LIST_PAGE_SIZE },
    webhooks: { authentication: 'hmac_sha256', carriesState: true },
  };
}

/**
 * What the Plu provider can be given besides its settings: an observer, transport overrides and
 * clocks (mostly for tests).
 */
export interface PluProviderDependencies extends KycAdapterDependencies {
  /** Transport overrides: retry policy, sleep and randomness, or the axios instance or adapter. */
  readonly transport?: Partial<
    Pick<HttpClientConfig, 'retry' | 'sleep' | 'random' | 'axiosAdapter' | 'axiosInstance' | 'httpAdapter'>
  >;
  /** Idempotency keys for calls that pass none (default `crypto.randomUUID`). */
  readonly randomUUID?: () => string;
  /** The clock of the webhook age limit, in epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * The Plu provider: the `KycProvider` port with typed webhooks, plus `getStatuses`, which reads
 * many users in one pass of Plu's user list.
 */
export type PluProvider = KycProviderWithWebhooks<PluWebhookEventType> & {
  /**
   * Reads the state of many users in one List Users scan: one entry per ref, in the order given,
   * each a result or that user's error (`not_found` when the scan did not find it).
   */
  getStatuses(
    refs: ReadonlyArray<UserRef>,
    options?: CallOptions,
  ): TaskEither<KycError, ReadonlyArray<BulkStatusEntry>>;
};

/** Wires the operations to one HTTP client. `config` must already be validated. */
export function buildPluProvider(config: PluConfig, dependencies: PluProviderDependencies = {}): PluProvider {
  const newKey = dependencies.randomUUID ?? randomUUID;
  const client = createHttpClient({
    provider: PLU_PROVIDER_ID,
    baseUrl: pluBaseUrl(config),
    timeoutMs: config.timeoutMs,
    authenticate: () => ({ Authorization: `Bearer ${config.apiKey}` }),
    mapError: mapPluError,
    observer: dependencies.observer,
    userAgent: '@kycport/plu',
    ...dependencies.transport,
  });
  const defaults = { program: config.defaultProgram, accountPurpose: config.defaultAccountPurpose };
  const redirectPolicy = pluRedirectPolicy(config);
  // What Plu reported of each user's retries to this instance: the last known count of a refusal,
  // and `contact_support` for a user denied with none left.
  const memory = createPluRetryMemory();
  const scan = { client, maxPages: pluMaxScanPages(config) };
  const flows = { scan, newKey, redirectPolicy, memory, preCheck: pluRetryPreCheck(config) };
  return {
    id: PLU_PROVIDER_ID,
    capabilities: pluCapabilities(config),
    createUser: (input: CreateUserInput, options?: CallOptions) =>
      pipe(
        TE.Do,
        TE.bind('options', () => TE.fromEither(toPluCallOptions(options))),
        TE.bindW('body', () => TE.fromEither(toPluCreateUserRequest(input, defaults))),
        TE.chainW(({ options, body }) => createPluUser(flows, body, options)),
      ),
    // getStatus and retry check their input with early returns rather than a `TE.Do`/`bind`
    // pipeline: the same checks in the same order, without the pipeline's closures and promise hops
    // on every call (several µs a call in the benchmark profile).
    getStatus: (ref: UserRef, options?: CallOptions) => () => {
      const given = toPluCallOptions(options);
      if (E.isLeft(given)) return Promise.resolve(given);
      const serviceId = toPluServiceId(ref);
      if (E.isLeft(serviceId)) return Promise.resolve(serviceId);
      return pluUserStatus(scan, serviceId.right, given.right, memory.get)();
    },
    getStatuses: (refs: ReadonlyArray<UserRef>, options?: CallOptions) =>
      pluBulkStatuses(scan, refs, options, memory.get),
    retry: (ref: UserRef, options?: RetryOptions) => () => {
      const given = toPluCallOptions(options);
      if (E.isLeft(given)) return Promise.resolve(given);
      const serviceId = toPluServiceId(ref);
      if (E.isLeft(serviceId)) return Promise.resolve(serviceId);
      const strategy = toPluRetryStrategy(options?.strategy);
      if (E.isLeft(strategy)) return Promise.resolve(strategy);
      return retryPluKyc(flows, serviceId.right, given.right)();
    },
    submitVerification: () =>
      unsupported(PLU_PROVIDER_ID, 'submitVerification', PLU_SUBMIT_VERIFICATION_REASON),
    webhooks: createPluWebhookHandler(config.webhookSecret, {
      maxEventAgeMs: config.webhookMaxEventAgeMs,
      redirectPolicy,
      now: dependencies.now,
      knownRetryCount: memory.get,
    }),
    close: () => client.close(),
  };
}
