/**
 * The Plu adapter definition: how the container (`provider: 'plu'` / `KYC_PROVIDER=plu`, loaded
 * lazily by name) and hosts configure and build Plu. The config is validated exactly once:
 * `parseConfig` / `configFromEnv` then `create`, or `createPluProvider` alone.
 */
import { defineKycAdapter } from '@kycport/core';
import { PLU_ENVIRONMENT_VARIABLES, PLU_PROVIDER_ID, PluConfig, pluCrossFieldIssues } from './plu-config';
import { buildPluProvider } from './plu-provider';
import type { PluProvider, PluProviderDependencies } from './plu-provider';

/**
 * The Plu adapter definition: register it with the container (`createKycContainer(config, {
 * adapters: [pluAdapter] })`) or build a provider directly with
 * `pluAdapter.createProvider(config)`.
 */
export const pluAdapter = defineKycAdapter<PluConfig, PluProviderDependencies, PluProvider>({
  id: PLU_PROVIDER_ID,
  configCodec: PluConfig,
  environmentVariables: PLU_ENVIRONMENT_VARIABLES,
  crossFieldIssues: pluCrossFieldIssues,
  create: buildPluProvider,
});

/**
 * Validates `config`, then builds the provider. Throws a `KycException` holding a `config` error
 * when the configuration is invalid (at start-up, never per call).
 */
export const createPluProvider = pluAdapter.createProvider;
