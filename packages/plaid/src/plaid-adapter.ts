/**
 * The Plaid adapter definition: lets the container wire Plaid with `provider: 'plaid'` /
 * `KYC_PROVIDER=plaid`, and gives hosts `plaidAdapter.parseConfig` / `configFromEnv` and
 * `createPlaidProvider` (which validates the config once and throws a `KycException` holding a
 * `config` error when it is invalid).
 */
import { defineKycAdapter } from '@kycport/core';
import { PLAID_ENVIRONMENT_VARIABLES, PLAID_PROVIDER_ID, PlaidConfig } from './plaid-config';
import { buildPlaidProvider } from './plaid-provider';
import type { PlaidProvider, PlaidProviderDependencies } from './plaid-provider';

export const plaidAdapter = defineKycAdapter<PlaidConfig, PlaidProviderDependencies, PlaidProvider>({
  id: PLAID_PROVIDER_ID,
  configCodec: PlaidConfig,
  environmentVariables: PLAID_ENVIRONMENT_VARIABLES,
  create: buildPlaidProvider,
});

export const createPlaidProvider = plaidAdapter.createProvider;
