/** Lets the container wire Plu with `provider: 'plu'` / `KYC_PROVIDER=plu` (loaded lazily by name). */
import type { KycAdapterDefinition } from '@kycport/core';
import { PLU, PLU_ENVIRONMENT_VARIABLES, parsePluConfig, pluConfigFromEnv } from './plu-config';
import type { PluConfig } from './plu-config';
import { createPluProvider } from './plu-provider';

export const pluAdapter: KycAdapterDefinition<PluConfig> = {
  id: PLU,
  environmentVariables: PLU_ENVIRONMENT_VARIABLES,
  parseConfig: parsePluConfig,
  configFromEnv: pluConfigFromEnv,
  create: (config, dependencies = {}) => {
    const provider = createPluProvider(config, { observer: dependencies.observer });
    return { provider, webhooks: provider.webhooks, close: () => provider.close() };
  },
};
