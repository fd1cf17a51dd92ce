/**
 * `buildP100Provider`: the P100 Partner API behind kycport's `KycProvider` port. It only wires: the
 * HTTP client, the settings and the flows, each in its own file.
 *
 * - createUser (`p100-create-user.ts`): Create User Account, then (hosted method) Creating KYC
 *   Verification, returning the redirect `{baseUrl}/v1/kyc/verification/{externalUserId}/{verificationId}`.
 * - getStatus (`p100-get-status.ts`): Get KYC Status. retry (`p100-retry.ts`): Get KYC Status,
 *   then a new Creating KYC Verification. submitVerification (`p100-submit-verification.ts`): KYC
 *   files, proof-of-address files and/or Add User Verification (or, hosted method with neither,
 *   starts a verification).
 * The user reference is the host's `externalUserId`: every P100 call after creation keys on it.
 * A lost answer is resolved with Get KYC Status, P100's only read (see docs/providers/p100.md).
 */
import type { KycAdapterDependencies, KycCapabilities, KycProviderWithWebhooks } from '@kycport/core';
import { createHttpClient } from '@kycport/http';
import type { HttpClientConfig } from '@kycport/http';
import { P100_PROVIDER_ID, p100Settings } from './p100-config';
import type { P100Config } from './p100-config';
import { createP100User } from './p100-create-user';
import { mapP100Error } from './p100-error';
import { getP100Status } from './p100-get-status';
import { P100_RETRY_STRATEGIES, retryP100Verification } from './p100-retry';
import { submitP100Verification } from './p100-submit-verification';
import { createP100WebhookHandler } from './p100-webhooks';
import type { P100WebhookEventType } from './p100-webhooks';

/**
 * What the P100 provider can be given besides its settings: an observer and transport overrides
 * (mostly for tests).
 */
export interface P100ProviderDependencies extends KycAdapterDependencies {
  /** Transport overrides: retry policy, sleep and randomness, or the axios instance or adapter. */
  readonly transport?: Partial<
    Pick<HttpClientConfig, 'retry' | 'sleep' | 'random' | 'axiosAdapter' | 'axiosInstance' | 'httpAdapter'>
  >;
}

/** The P100 provider: the `KycProvider` port with webhooks typed by P100's event names. */
export type P100Provider = KycProviderWithWebhooks<P100WebhookEventType>;

/**
 * What P100 supports under a configuration: every operation; a hosted flow only with the `hosted`
 * KYC method.
 */
export function p100Capabilities(config: P100Config): KycCapabilities {
  return {
    operations: {
      createUser: { supported: true },
      getStatus: { supported: true },
      retry: { supported: true },
      submitVerification: { supported: true },
    },
    retryStrategies: P100_RETRY_STRATEGIES,
    // P100 caps attempts (P430 "Too many verifications") but does not document the number.
    hostedFlow: p100Settings(config).kycMethod === 'hosted',
    documentUpload: true,
    statusLookup: 'single_request',
    // The KYC Verification Status webhook carries the state; file, POA and user status webhooks do not.
    webhooks: { authentication: 'shared_token', carriesState: true },
  };
}

/** Builds the provider from a validated configuration (`p100Adapter` validates it, once). */
export function buildP100Provider(
  config: P100Config,
  dependencies: P100ProviderDependencies = {},
): P100Provider {
  const settings = p100Settings(config);
  const client = createHttpClient({
    provider: P100_PROVIDER_ID,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutMs,
    // Header name exactly as documented: "x-api-key (not X-API-Key)".
    authenticate: () => ({ 'x-api-key': config.apiKey }),
    mapError: mapP100Error,
    observer: dependencies.observer,
    userAgent: '@kycport/p100',
    ...dependencies.transport,
  });
  return {
    id: P100_PROVIDER_ID,
    capabilities: p100Capabilities(config),
    createUser: (input, options) => createP100User(client, settings, input, options),
    getStatus: (ref, options) => getP100Status(client, settings, ref, options),
    retry: (ref, options) => retryP100Verification(client, settings, ref, options),
    submitVerification: (ref, input, options) =>
      submitP100Verification(client, settings, ref, input, options),
    webhooks: createP100WebhookHandler(config.webhookToken),
    close: () => client.close(),
  };
}
