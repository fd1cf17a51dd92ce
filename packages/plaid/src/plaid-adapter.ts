/**
 * The Plaid adapter definition: lets the container wire Plaid with `provider: 'plaid'` /
 * `KYC_PROVIDER=plaid`, and gives hosts `plaidAdapter.parseConfig` / `configFromEnv` and
 * `createPlaidProvider` (which validates the config once and throws a `KycException` holding a
 * `config` error when it is invalid).
 *
 * Hosts see provider-qualified refs (`plaid:<client_user_id>`): `defineKycAdapter` wraps the port's
 * methods, and `qualifyPlaidExtras` wraps the two Plaid adds (`getVerification`, `resolvePlaidEvent`).
 */
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { defineKycAdapter } from '@kycport/core';
import type { KycError, KycEvent, UserRef, UserRefTranslator } from '@kycport/core';
import { PLAID_ENVIRONMENT_VARIABLES, PLAID_PROVIDER_ID, PlaidConfig } from './plaid-config';
import { buildPlaidProvider } from './plaid-provider';
import type { PlaidProvider, PlaidProviderDependencies } from './plaid-provider';

/**
 * `getVerification` and `resolvePlaidEvent` with qualified refs: their results and errors carry
 * `plaid:<client_user_id>`; `resolvePlaidEvent` takes an event as `parseWebhook` gave it (its ref
 * qualified) or with a bare ref stored before, and refuses an event naming another provider's user
 * as `validation`, before any request.
 */
export function qualifyPlaidExtras(
  inner: PlaidProvider,
  refs: UserRefTranslator,
): Pick<PlaidProvider, 'getVerification' | 'resolvePlaidEvent'> {
  const out = <A extends { readonly userRef: UserRef }>(
    task: TE.TaskEither<KycError, A>,
  ): TE.TaskEither<KycError, A> => pipe(task, TE.bimap(refs.qualifyError, refs.qualify));
  return {
    getVerification: (id, options) => out(inner.getVerification(id, options)),
    resolvePlaidEvent: (event, options) => {
      // Anything but an event with a ref is handed on as it is: the adapter's own check answers it.
      const given: unknown = event;
      if (typeof given !== 'object' || given === null) return out(inner.resolvePlaidEvent(event, options));
      const ref = (given as Partial<KycEvent>).userRef;
      if (typeof ref !== 'string') return out(inner.resolvePlaidEvent(event, options));
      const bare = refs.toProvider(ref);
      return bare._tag === 'Left'
        ? TE.left(bare.left)
        : out(inner.resolvePlaidEvent({ ...event, userRef: bare.right }, options));
    },
  };
}

/**
 * The Plaid adapter definition: register it with the container (`createKycContainer(config, {
 * adapters: [plaidAdapter] })`) or build a provider directly with `createPlaidProvider(config)`.
 */
export const plaidAdapter = defineKycAdapter<PlaidConfig, PlaidProviderDependencies, PlaidProvider>({
  id: PLAID_PROVIDER_ID,
  configCodec: PlaidConfig,
  environmentVariables: PLAID_ENVIRONMENT_VARIABLES,
  create: buildPlaidProvider,
  qualifyExtras: qualifyPlaidExtras,
});

/**
 * Validates a Plaid configuration and builds the provider, with qualified refs (`plaid:…`); throws
 * a `KycException` holding a `config` error when the configuration is invalid.
 */
export const createPlaidProvider = plaidAdapter.createProvider;
