/**
 * Builds the configured adapter (or the router over several) from a validated configuration, with
 * no DI container: the part of the wiring every host needs, inversify's or not (`KycModule` in
 * `@kycport/nestjs` uses it; so do the inversify modules).
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { hasQualifiedRefs, withQualifiedRefs } from '@kycport/core';
import type {
  ConfigError,
  KycAdapter,
  KycAdapterDefinition,
  KycObserver,
  KycProviderWithWebhooks,
  KycTransportSettings,
} from '@kycport/core';
import { createKycRouter } from '@kycport/router';
import { resolveKycConfig } from './kyc-config';
import type { KycAdapterSource } from './adapter-registry';
import type { KycConfig, ResolvedKycConfig } from './kyc-config';

/** How `buildKyc` builds the adapter. */
export interface BuildKycOptions {
  /** Observes every provider call. */
  readonly observer?: KycObserver;
  /**
   * The axios adapter every provider's requests go through: kycport's lean one (default) or
   * `'axios'`, axios's stock Node adapter (a proxy from `HTTP(S)_PROXY`; docs/configuration.md).
   */
  readonly httpAdapter?: KycTransportSettings['httpAdapter'];
}

/** Builds one adapter from its definition and validated settings. */
export function buildKycAdapter<Config>(
  definition: KycAdapterDefinition<Config>,
  settings: Config,
  options: BuildKycOptions = {},
): KycAdapter {
  return definition.create(settings, {
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.httpAdapter ? { transport: { httpAdapter: options.httpAdapter } } : {}),
  });
}

/**
 * Builds what a validated configuration names: with one provider, its adapter
 * (`{ provider, webhooks, close }`); with several, the router over them, whose `webhooks` routes
 * each delivery to its provider and whose `close` closes them all.
 */
export function buildKyc(resolved: ResolvedKycConfig, options: BuildKycOptions = {}): KycAdapter {
  return resolved.adapters.length <= 1
    ? buildKycAdapter(resolved.definition, resolved.settings, options)
    : buildKycRouter(resolved, options);
}

/**
 * The router over every configured adapter (even one): `provider` is the router, `webhooks` routes
 * each delivery to its provider, `close` closes them all.
 */
export function buildKycRouter(resolved: ResolvedKycConfig, options: BuildKycOptions = {}): KycAdapter {
  const providers = resolved.adapters.map(({ definition, settings }): KycProviderWithWebhooks => {
    const adapter = buildKycAdapter(definition, settings, options);
    if (hasQualifiedRefs(adapter.provider)) return adapter.provider as KycProviderWithWebhooks;
    return withQualifiedRefs({
      ...adapter.provider,
      webhooks: adapter.webhooks,
      close: () => adapter.close(),
    });
  });
  const router = createKycRouter({ providers, ...(resolved.routing ?? {}) });
  return { provider: router, webhooks: router.webhooks, close: () => router.close() };
}

/**
 * Validates a configuration object (`resolveKycConfig`) and builds it (`buildKyc`); a bad
 * configuration is a `config` error naming the field, never its value.
 */
export function tryBuildKyc(
  config: KycConfig,
  options: BuildKycOptions & KycAdapterSource = {},
): E.Either<ConfigError, KycAdapter> {
  return pipe(
    resolveKycConfig(config, options),
    E.map((resolved) => buildKyc(resolved, options)),
  );
}
