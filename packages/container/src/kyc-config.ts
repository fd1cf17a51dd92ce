/** The container's configuration: which provider, and that provider's own settings. */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { kycError } from '@kycport/core';
import type { ConfigError, Environment, KycAdapterDefinition, ProviderId } from '@kycport/core';
import { knownAdapterIds, resolveAdapterDefinition } from './adapter-registry';

/**
 * `{ provider: 'plu', plu: { apiKey: 'sk_staging_...', ... } }`: the settings sit under the
 * provider's id, so one object can hold settings for several providers and switch by `provider`.
 */
export interface KycConfig {
  readonly provider: ProviderId;
  readonly [providerId: string]: unknown;
}

export interface ResolvedKycConfig {
  readonly definition: KycAdapterDefinition<unknown>;
  /** The adapter's validated settings (contains secrets: never log it). */
  readonly settings: unknown;
}

export const PROVIDER_VARIABLE = 'KYC_PROVIDER';

/** Validates a config object against the selected adapter's own codec. */
export function resolveKycConfig(config: KycConfig): E.Either<ConfigError, ResolvedKycConfig> {
  if (typeof config?.provider !== 'string' || config.provider.trim() === '') {
    return E.left(
      kycError('config', {
        provider: 'kycport',
        message: 'kycport: provider is required',
        issues: [{ path: 'provider', message: 'is required' }],
        retryable: false,
      }),
    );
  }
  return pipe(
    resolveAdapterDefinition(config.provider),
    E.chain((definition) =>
      pipe(
        definition.parseConfig(config[config.provider] ?? {}),
        E.map((settings) => ({ definition, settings })),
      ),
    ),
  );
}

/**
 * Reads `KYC_PROVIDER` and that provider's variables. Errors name the variable and never echo a
 * value. Only the selected adapter is loaded.
 */
export function kycConfigFromEnv(env: Environment = process.env): E.Either<ConfigError, KycConfig> {
  const provider = env[PROVIDER_VARIABLE]?.trim();
  if (!provider) {
    return E.left(
      kycError('config', {
        provider: 'kycport',
        message: `kycport: ${PROVIDER_VARIABLE} is required (one of: ${knownAdapterIds().join(', ')})`,
        issues: [{ path: PROVIDER_VARIABLE, message: 'is required' }],
        retryable: false,
      }),
    );
  }
  return pipe(
    resolveAdapterDefinition(provider, PROVIDER_VARIABLE),
    E.chain((definition) => definition.configFromEnv(env)),
    E.map((settings): KycConfig => ({ provider, [provider]: settings })),
  );
}
