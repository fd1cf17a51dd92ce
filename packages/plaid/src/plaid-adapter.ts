/** Lets the container wire Plaid with `provider: 'plaid'` / `KYC_PROVIDER=plaid`. */
import type { KycAdapterDefinition } from '@kycport/core';
import {
  PLAID,
  PLAID_ENVIRONMENT_VARIABLES,
  parsePlaidConfig,
  plaidConfigFromEnvironment,
} from './plaid-config';
import type { PlaidConfig } from './plaid-config';
import { createPlaidProvider } from './plaid-provider';

export const plaidAdapter: KycAdapterDefinition<PlaidConfig> = {
  id: PLAID,
  environmentVariables: PLAID_ENVIRONMENT_VARIABLES,
  parseConfig: parsePlaidConfig,
  configFromEnv: plaidConfigFromEnvironment,
  create: (config, dependencies = {}) => {
    const provider = createPlaidProvider(config, { observer: dependencies.observer });
    return { provider, webhooks: provider.webhooks, close: () => provider.close() };
  },
};
