/** Lets the container wire the fake with `provider: 'fake'` / `KYC_PROVIDER=fake`. */
import * as t from 'io-ts';
import { configFromEnvironment, decodeConfig, integerInRange, boundedString } from '@kycport/core';
import type { EnvironmentVariable, KycAdapterDefinition } from '@kycport/core';
import { createFakeKycProvider } from './fake-kyc-provider';

export const FakeConfig = t.partial(
  { maxAttempts: integerInRange(1, 10), webhookSecret: boundedString(200) },
  'FakeConfig',
);
export type FakeConfig = t.TypeOf<typeof FakeConfig>;

const variables: ReadonlyArray<EnvironmentVariable> = [
  {
    name: 'KYC_FAKE_MAX_ATTEMPTS',
    key: 'maxAttempts',
    type: 'integer',
    required: false,
    secret: false,
    description: 'Attempts per user (default 3).',
  },
  {
    name: 'KYC_FAKE_WEBHOOK_SECRET',
    key: 'webhookSecret',
    required: false,
    secret: true,
    description: 'HMAC secret of the fake webhooks.',
  },
];

export const fakeKycAdapter: KycAdapterDefinition<FakeConfig> = {
  id: 'fake',
  environmentVariables: variables,
  parseConfig: (input) => decodeConfig('fake', FakeConfig, input),
  configFromEnv: (env) => configFromEnvironment('fake', env, variables, FakeConfig),
  create: (config, dependencies = {}) => {
    const fake = createFakeKycProvider({ ...config, observer: dependencies.observer });
    return { provider: fake, webhooks: fake.webhooks };
  },
};
