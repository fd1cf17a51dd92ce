/**
 * The router's webhook event names at compile time (this package's typecheck reads these lines):
 * the union of its providers' names when they are typed, `string` when they are not.
 */
import type { KycEvent, KycProviderWithWebhooks, KycWebhookEventType } from '@kycport/core';
import { createKycRouter } from '@kycport/router';
import type { KycRouter } from '@kycport/router';
import { routedFakes } from './router-kit';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type Alpha = KycProviderWithWebhooks<'alpha.kyc'>;
type Beta = KycProviderWithWebhooks<`beta.${string}`>;
type RouterOf<Provider extends KycProviderWithWebhooks> = ReturnType<typeof createKycRouter<Provider>>;
type EventOf<Router extends KycRouter<string>> =
  Awaited<ReturnType<ReturnType<Router['webhooks']['parseWebhook']>>> extends infer Result
    ? Result extends { readonly _tag: 'Right'; readonly right: infer Event }
      ? Event
      : never
    : never;

const unions: [
  Same<KycWebhookEventType<RouterOf<Alpha | Beta>>, 'alpha.kyc' | `beta.${string}`>,
  Same<EventOf<RouterOf<Alpha | Beta>>, KycEvent<'alpha.kyc' | `beta.${string}`>>,
  Same<KycWebhookEventType<RouterOf<Alpha | KycProviderWithWebhooks>>, string>,
  Same<KycWebhookEventType<RouterOf<KycProviderWithWebhooks>>, string>,
  // A typed router is still a `KycRouter` (what `resolveKycRouter` gives).
  RouterOf<Alpha | Beta> extends KycRouter ? true : false,
] = [true, true, true, true, true];

describe('router webhook event types', () => {
  it('infers string from untyped providers, and still routes', () => {
    const fakes = routedFakes(['alpha', 'beta']);
    const providers = [fakes.alpha?.provider, fakes.beta?.provider].flatMap((provider) =>
      provider === undefined ? [] : [provider],
    );
    const router = createKycRouter({ providers });
    const inferred: Same<KycWebhookEventType<typeof router>, string> = true;
    expect([...unions, inferred].every(Boolean)).toBe(true);
    expect(router.providers).toEqual(['alpha', 'beta']);
  });
});
