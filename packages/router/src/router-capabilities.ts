/**
 * The router's `capabilities`: what every configured provider supports, so host code that checks
 * them works whichever provider a user lands on. `capabilitiesOf(provider or ref)` gives one's.
 */
import type { KycCapabilities, OperationSupport, ProviderId, RetryStrategyKind } from '@kycport/core';

type OperationName = keyof KycCapabilities['operations'];
const OPERATIONS: ReadonlyArray<OperationName> = ['createUser', 'getStatus', 'retry', 'submitVerification'];
/** Cheapest first: the router reports the costliest lookup any provider uses. */
const LOOKUP_COST: ReadonlyArray<KycCapabilities['statusLookup']> = [
  'single_request',
  'list_latest',
  'paged_scan',
];

/** One configured provider's id and declared capabilities, as `combineCapabilities` takes them. */
export interface ConfiguredCapabilities {
  readonly provider: ProviderId;
  readonly capabilities: KycCapabilities;
}

function combinedOperation(
  all: ReadonlyArray<ConfiguredCapabilities>,
  name: OperationName,
): OperationSupport {
  const refusals = all.flatMap(({ provider, capabilities }) => {
    const support = capabilities.operations[name];
    return support.supported ? [] : [`${provider}: ${support.reason}`];
  });
  return refusals.length === 0 ? { supported: true } : { supported: false, reason: refusals.join('; ') };
}

/**
 * Every configured provider's capabilities combined: an operation or strategy is listed only when
 * every provider supports it (an unsupported one's reason names each provider that refuses it);
 * `hostedFlow`, `documentUpload` and `webhooks.carriesState` only when true for all; `statusLookup`
 * is the costliest; `maxAttempts` the smallest documented; `webhooks.authentication` the default
 * provider's (each provider verifies its own deliveries).
 */
export function combineCapabilities(
  all: ReadonlyArray<ConfiguredCapabilities>,
  defaultProvider: ConfiguredCapabilities,
): KycCapabilities {
  const every = (test: (capabilities: KycCapabilities) => boolean): boolean =>
    all.every(({ capabilities }) => test(capabilities));
  const strategies = defaultProvider.capabilities.retryStrategies.filter((strategy: RetryStrategyKind) =>
    every((capabilities) => capabilities.retryStrategies.includes(strategy)),
  );
  const maxAttempts = all
    .map(({ capabilities }) => capabilities.maxAttempts)
    .filter((value): value is number => value !== undefined);
  const costliest = Math.max(
    ...all.map(({ capabilities }) => LOOKUP_COST.indexOf(capabilities.statusLookup)),
  );
  return {
    operations: Object.fromEntries(
      OPERATIONS.map((name) => [name, combinedOperation(all, name)]),
    ) as KycCapabilities['operations'],
    retryStrategies: strategies,
    ...(maxAttempts.length > 0 ? { maxAttempts: Math.min(...maxAttempts) } : {}),
    hostedFlow: every((capabilities) => capabilities.hostedFlow),
    documentUpload: every((capabilities) => capabilities.documentUpload),
    statusLookup: LOOKUP_COST[costliest] ?? defaultProvider.capabilities.statusLookup,
    webhooks: {
      authentication: defaultProvider.capabilities.webhooks.authentication,
      carriesState: every((capabilities) => capabilities.webhooks.carriesState),
    },
  };
}
