/** Lets the container wire the fake with `provider: 'fake'` / `KYC_PROVIDER=fake`. */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as t from 'io-ts';
import { boundedString, defineKycAdapter, integerInRange } from '@kycport/core';
import type { EnvironmentVariable, UserRefTranslator } from '@kycport/core';
import { createFakeKycProvider } from './fake-kyc-provider';
import type { FakeKycProvider } from './fake-kyc-provider';

/** Codec of the fake adapter's settings: attempts per user (1-10) and the webhook secret. */
export const FakeConfig = t.partial(
  { maxAttempts: integerInRange(1, 10), webhookSecret: boundedString(200) },
  'FakeConfig',
);
/**
 * The fake adapter's settings (`KYC_FAKE_MAX_ATTEMPTS`, `KYC_FAKE_WEBHOOK_SECRET` from the
 * environment).
 */
export type FakeConfig = t.TypeOf<typeof FakeConfig>;

const FAKE_ENVIRONMENT_VARIABLES: ReadonlyArray<EnvironmentVariable> = [
  {
    name: 'KYC_FAKE_MAX_ATTEMPTS',
    key: 'maxAttempts',
    type: 'integer',
    secret: false,
    description: 'Attempts per user (default 3).',
  },
  {
    name: 'KYC_FAKE_WEBHOOK_SECRET',
    key: 'webhookSecret',
    secret: true,
    description: 'HMAC secret of the fake webhooks.',
  },
];

/** The control plays the end user with the refs the host holds (qualified) and lists users by them. */
export function qualifyFakeControl(fake: FakeKycProvider, refs: UserRefTranslator): Partial<FakeKycProvider> {
  return {
    control: {
      ...fake.control,
      completeHostedFlow: (ref, outcome, reasonCodes) =>
        fake.control.completeHostedFlow(
          pipe(
            refs.toProvider(ref),
            E.getOrElse(() => ref),
          ),
          outcome,
          reasonCodes,
        ),
      users: () => fake.control.users().map((user) => ({ ...user, ref: refs.toHost(user.ref) })),
    },
  };
}

/**
 * The fake adapter's definition: lets the container wire the in-memory fake with `provider: 'fake'`
 * or `KYC_PROVIDER=fake`.
 */
export const fakeKycAdapter = defineKycAdapter({
  id: 'fake',
  configCodec: FakeConfig,
  environmentVariables: FAKE_ENVIRONMENT_VARIABLES,
  create: (config, dependencies) => createFakeKycProvider({ ...config, observer: dependencies.observer }),
  qualifyExtras: qualifyFakeControl,
});
