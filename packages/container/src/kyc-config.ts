/** The container's configuration: which providers, the default for new users, and each provider's own settings. */
import * as E from 'fp-ts/Either';
import * as A from 'fp-ts/Array';
import { pipe } from 'fp-ts/function';
import { configError, kycError } from '@kycport/core';
import type { ConfigError, Environment, KycAdapterDefinition, ProviderId } from '@kycport/core';
import type { RouteRules } from '@kycport/router';
import { knownAdapterIds, resolveAdapterDefinition } from './adapter-registry';
import type { KycAdapterSource } from './adapter-registry';
import { PROVIDERS_VARIABLE, routingConfigFromEnv, routingIssues } from './routing-config';
import type { KycRoutingConfig } from './routing-config';

/**
 * `{ provider: 'plu', plu: { apiKey: 'sk_staging_...', ... } }`: the settings sit under the
 * provider's id, so one object can hold settings for several providers and switch by `provider`.
 * With `providers: ['plu', 'plaid']` both are configured at once behind a router: `provider` is the
 * default for new users, existing users stay with the provider their ref names.
 */
export interface KycConfig extends KycRoutingConfig {
  readonly provider: ProviderId;
  readonly [providerId: string]: unknown;
}

/** One configured adapter: its definition and its validated settings. */
export interface ResolvedAdapter {
  /**
   * The adapter's definition (`pluAdapter`, ...), resolved from a registered or installed package.
   */
  readonly definition: KycAdapterDefinition<unknown>;
  /** The adapter's validated settings (contains secrets: never log it). */
  readonly settings: unknown;
}

/**
 * A validated configuration, ready for the container: the default adapter (as `definition` and
 * `settings`), every configured adapter and, with several, the routing.
 */
export interface ResolvedKycConfig extends ResolvedAdapter {
  /** Every configured adapter, in the order of `providers` (one: the default's, as `definition`). */
  readonly adapters: ReadonlyArray<ResolvedAdapter>;
  /** Present when several providers are configured: how new users and bare refs are routed. */
  readonly routing?: { readonly route: RouteRules; readonly legacyRefProvider?: ProviderId };
}

/**
 * The environment variable naming the provider (the default one for new users when several are
 * configured).
 */
export const PROVIDER_VARIABLE = 'KYC_PROVIDER';

function providerRequired(path: string, message: string): ConfigError {
  return kycError('config', {
    provider: 'kycport',
    message: `kycport: ${message}`,
    issues: [{ path, message: 'is required' }],
    retryable: false,
  });
}

function resolveAdapter(
  config: KycConfig,
  id: ProviderId,
  path: string,
  source: KycAdapterSource,
): E.Either<ConfigError, ResolvedAdapter> {
  return pipe(
    resolveAdapterDefinition(id, path, source),
    E.chain((definition) =>
      pipe(
        definition.parseConfig(config[id] ?? {}),
        E.map((settings) => ({ definition, settings })),
      ),
    ),
  );
}

/**
 * Validates a config object against each configured adapter's own codec and the routing rules.
 * `source.adapters` supplies definitions explicitly (bundled hosts); others load by package name.
 */
export function resolveKycConfig(
  config: KycConfig,
  source: KycAdapterSource = {},
): E.Either<ConfigError, ResolvedKycConfig> {
  if (typeof config?.provider !== 'string' || config.provider.trim() === '') {
    return E.left(providerRequired('provider', 'provider is required'));
  }
  const issues = routingIssues(config.provider, config);
  if (issues.length > 0) return E.left(configError('kycport', issues));
  const ids = config.providers ?? [config.provider];
  return pipe(
    ids.map((id, index) =>
      resolveAdapter(config, id, ids.length === 1 ? 'provider' : `providers.${index}`, source),
    ),
    A.sequence(E.Applicative),
    E.map((adapters) => {
      const chosen = adapters[ids.indexOf(config.provider)] ?? adapters[0];
      const base = { definition: chosen!.definition, settings: chosen!.settings, adapters };
      return ids.length === 1
        ? base
        : {
            ...base,
            routing: {
              route: { ...(config.route ?? {}), default: config.provider },
              ...(config.legacyRefProvider ? { legacyRefProvider: config.legacyRefProvider } : {}),
            },
          };
    }),
  );
}

/**
 * Reads `KYC_PROVIDER`, the routing variables (`KYC_PROVIDERS`, `KYC_ROUTE_COUNTRY_<CC>`, ...) and
 * each configured provider's variables. Errors name the variable and never echo a value. Only the
 * configured adapters are loaded; `source.adapters` supplies definitions explicitly (bundled hosts).
 */
export function kycConfigFromEnv(
  env: Environment = process.env,
  source: KycAdapterSource = {},
): E.Either<ConfigError, KycConfig> {
  const listed = env[PROVIDERS_VARIABLE]?.split(',')[0]?.trim();
  const provider = env[PROVIDER_VARIABLE]?.trim() || listed;
  if (!provider) {
    return E.left(
      providerRequired(
        PROVIDER_VARIABLE,
        `${PROVIDER_VARIABLE} is required (one of: ${knownAdapterIds(source).join(', ')})`,
      ),
    );
  }
  return pipe(
    routingConfigFromEnv(env, provider),
    E.chain((routing) => {
      const ids = routing.providers ?? [provider];
      return pipe(
        ids.map((id) =>
          pipe(
            resolveAdapterDefinition(id, ids.length === 1 ? PROVIDER_VARIABLE : PROVIDERS_VARIABLE, source),
            E.chain((definition) => definition.configFromEnv(env)),
            E.map((settings) => [id, settings] as const),
          ),
        ),
        A.sequence(E.Applicative),
        E.map((settings): KycConfig => ({ provider, ...routing, ...Object.fromEntries(settings) })),
      );
    }),
  );
}
