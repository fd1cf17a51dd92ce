/**
 * `buildPlaidProvider(config)`: the `KycProvider` port over Plaid Identity Verification, wired from
 * the flows (`plaid-attempts.ts`, `plaid-retry.ts`) and the endpoints (`PLAID_ENDPOINTS`).
 *
 * - UserRef = `client_user_id` = `applicant.externalId` (Plaid forbids PII in it). The attempt id
 *   (`idv_...`) is not needed by the host: the latest attempt is found with `/list`.
 * - Credentials travel only in the `PLAID-CLIENT-ID` / `PLAID-SECRET` headers, computed per request
 *   inside the transport; they are never in a body, error, log line or observer event.
 * - `isPlaidProvider` narrows a `KycProvider` (the container's token) to the two methods Plaid adds.
 */
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { unsupported } from '@kycport/core';
import type {
  CallOptions,
  KycAdapterDependencies,
  KycCapabilities,
  KycError,
  KycEvent,
  KycProvider,
  KycProviderWithWebhooks,
  StatusResult,
} from '@kycport/core';
import { createHttpClient } from '@kycport/http';
import type { HttpClientConfig } from '@kycport/http';
import { PLAID_ENDPOINTS, callPlaid } from './plaid-api';
import {
  createPlaidAttempt,
  getPlaidAttempt,
  getPlaidStatus,
  getPlaidVerification,
  resolvePlaidEvent,
} from './plaid-attempts';
import type { PlaidCallSettings } from './plaid-attempts';
import { PLAID_API_VERSION, PLAID_PROVIDER_ID, plaidBaseUrl, plaidRedirectPolicy } from './plaid-config';
import type { PlaidConfig } from './plaid-config';
import { mapPlaidError, plaidRequestId } from './plaid-error';
import { callOptionsOf, decodePlaidCreateRequest } from './plaid-request-mapping';
import { retryPlaidAttempt } from './plaid-retry';
import { createPlaidWebhookHandler, createPlaidWebhookVerifier } from './plaid-webhooks';
import type { PlaidWebhookEventType } from './plaid-webhooks';

/**
 * Why Plaid does not support `submitVerification`: the reason its `unsupported` error and
 * capabilities give.
 */
export const PLAID_SUBMIT_UNSUPPORTED_REASON =
  'Plaid Identity Verification has no call to add data or documents to an attempt: applicant data is sent with createUser ' +
  '(with gave_consent, data-only templates run their checks at once), and documents and selfies are captured only in ' +
  "Plaid's hosted flow (Link or the shareable URL)";

/**
 * What the Plaid provider can be given besides its settings: an observer, transport overrides and a
 * clock (mostly for tests).
 */
export interface PlaidProviderDependencies extends KycAdapterDependencies {
  /** Transport overrides: retry policy, sleep and randomness, or the axios instance or adapter. */
  readonly transport?: Partial<
    Pick<HttpClientConfig, 'retry' | 'sleep' | 'random' | 'axiosAdapter' | 'axiosInstance' | 'httpAdapter'>
  >;
  /** Clock for the webhook `iat` check (milliseconds since the epoch). */
  readonly now?: () => number;
}

/**
 * The Plaid provider: the `KycProvider` port with typed webhooks, plus two reads Plaid adds: one
 * attempt by its id, and the attempt a webhook event names.
 */
export interface PlaidProvider extends KycProviderWithWebhooks<PlaidWebhookEventType> {
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
}

/** A `KycProvider` that is Plaid's: the port plus `getVerification` and `resolvePlaidEvent`. */
export type PlaidKycProvider = KycProvider & Pick<PlaidProvider, 'getVerification' | 'resolvePlaidEvent'>;

/**
 * True when `provider` is a Plaid provider built by this package: `createPlaidProvider`'s, or what a
 * container's `KYC_TOKENS.KycProvider` resolves to when Plaid is its one provider; it then narrows
 * the `KycProvider` to Plaid's two extra methods. A router (several providers) is not: it gives
 * access to no member provider, so with a router read the state with `getStatus(event.userRef)`.
 * Checks the id and that both methods exist; never throws.
 */
export function isPlaidProvider(provider: KycProvider): provider is PlaidKycProvider {
  const given: unknown = provider;
  if (typeof given !== 'object' || given === null) return false;
  const candidate = given as Partial<Record<'id' | 'getVerification' | 'resolvePlaidEvent', unknown>>;
  return (
    candidate.id === PLAID_PROVIDER_ID &&
    typeof candidate.getVerification === 'function' &&
    typeof candidate.resolvePlaidEvent === 'function'
  );
}

/**
 * What Plaid supports: every operation but `submitVerification`, all four retry strategies, a
 * hosted flow, webhooks signed with ES256 JWTs that carry ids only.
 */
export function plaidCapabilities(_config: PlaidConfig): KycCapabilities {
  return {
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
}

/**
 * Builds the Plaid provider from a validated configuration, with Plaid's own ids as refs
 * (`plaidAdapter.create` and `createPlaidProvider` qualify them). Hosts use `createPlaidProvider`.
 */
export function buildPlaidProvider(
  config: PlaidConfig,
  dependencies: PlaidProviderDependencies = {},
): PlaidProvider {
  const { clientId, secret, templateId } = config;
  const client = createHttpClient({
    provider: PLAID_PROVIDER_ID,
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
  const settings: PlaidCallSettings = { client, templateId, redirectPolicy: plaidRedirectPolicy(config) };
  const fetchKey = (keyId: string) =>
    pipe(
      callPlaid(client, PLAID_ENDPOINTS.webhookVerificationKey, { key_id: keyId }),
      TE.map((response) => response.key),
    );

  return {
    id: PLAID_PROVIDER_ID,
    capabilities: plaidCapabilities(config),
    webhooks: createPlaidWebhookHandler({
      verifier: createPlaidWebhookVerifier({
        fetchKey,
        now: dependencies.now,
        fetchesPerMinute: config.webhookKeyFetchesPerMinute,
      }),
      getAttempt: (id) => getPlaidAttempt(client, id),
      expectedEnvironment: config.baseUrl === undefined ? config.environment : undefined,
    }),
    createUser: (input, options) =>
      pipe(
        TE.fromEither(decodePlaidCreateRequest(input, { templateId, isShareable: config.isShareable })),
        TE.bindTo('body'),
        TE.bindW('given', () => TE.fromEither(callOptionsOf(options))),
        TE.chain(({ body, given }) => createPlaidAttempt(settings, body, given)),
      ),
    getStatus: (ref, options) => getPlaidStatus(settings, ref, options),
    retry: (ref, options) => retryPlaidAttempt(settings, ref, options),
    submitVerification: () =>
      unsupported(PLAID_PROVIDER_ID, 'submitVerification', PLAID_SUBMIT_UNSUPPORTED_REASON),
    getVerification: (id, options) => getPlaidVerification(settings, id, options),
    resolvePlaidEvent: (event, options) => resolvePlaidEvent(settings, event, options),
    close: () => client.close(),
  };
}
