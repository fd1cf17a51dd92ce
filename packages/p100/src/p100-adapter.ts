/**
 * The P100 adapter definition: what the container (`provider: 'p100'` / `KYC_PROVIDER=p100`) or a
 * host uses to validate a configuration, read it from the environment and build the provider.
 */
import { defineKycAdapter } from '@kycport/core';
import { P100Config, P100_ENVIRONMENT_VARIABLES, P100_PROVIDER_ID } from './p100-config';
import { buildP100Provider } from './p100-provider';
import type { P100Provider, P100ProviderDependencies } from './p100-provider';

/**
 * The P100 adapter definition: register it with the container (`createKycContainer(config, {
 * adapters: [p100Adapter] })`) or build a provider directly with
 * `p100Adapter.createProvider(config)`.
 */
export const p100Adapter = defineKycAdapter<P100Config, P100ProviderDependencies, P100Provider>({
  id: P100_PROVIDER_ID,
  configCodec: P100Config,
  environmentVariables: P100_ENVIRONMENT_VARIABLES,
  create: buildP100Provider,
});

/**
 * Validates `config`, then builds the provider; throws a `KycException` holding a `config` error
 * when the configuration is invalid (at start-up, never per call).
 */
export const createP100Provider = p100Adapter.createProvider;
