/** Lets the container wire P100 with `provider: 'p100'` / `KYC_PROVIDER=p100`. */
import type { KycAdapterDefinition } from '@kycport/core';
import {
  P100_ENVIRONMENT_VARIABLES,
  P100_PROVIDER_ID,
  p100ConfigFromEnvironment,
  parseP100Config,
} from './p100-config';
import type { P100Config } from './p100-config';
import { createP100Provider } from './p100-provider';

export const p100Adapter: KycAdapterDefinition<P100Config> = {
  id: P100_PROVIDER_ID,
  environmentVariables: P100_ENVIRONMENT_VARIABLES,
  parseConfig: parseP100Config,
  configFromEnv: p100ConfigFromEnvironment,
  create: (config, dependencies = {}) => {
    const provider = createP100Provider(config, { observer: dependencies.observer });
    return { provider, webhooks: provider.webhooks, close: () => provider.close() };
  },
};
