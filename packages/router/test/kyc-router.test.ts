import * as E from 'fp-ts/Either';
import { KycException, formatUserRef, userRef, withQualifiedRefs } from '@kycport/core';
import type { KycProviderWithWebhooks, UserRef } from '@kycport/core';
import { buildKycRouter, createKycRouter } from '../src';
import type { KycRouterOptions } from '../src';
import { applicantInput, left, right, routedFakes, unreachable } from './router-kit';

const IDS = ['alpha', 'beta', 'gamma'] as const;

function setup(route?: KycRouterOptions['route'], legacyRefProvider?: string) {
  const fakes = routedFakes(IDS);
  const providers = IDS.map((id) => fakes[id]!.provider);
  const router = createKycRouter({
    providers,
    ...(route ? { route } : {}),
    ...(legacyRefProvider ? { legacyRefProvider } : {}),
  });
  const usersAt = (id: string) => fakes[id]!.fake.control.users().length;
  return { fakes, providers, router, usersAt };
}

describe('createKycRouter: calls on existing users', () => {
  it('sends every call on a ref to the provider that issued it, after the default moved', async () => {
    const { providers, router, fakes } = setup({ default: 'alpha' });
    const created = right(await router.createUser(applicantInput('host-1'))());
    expect(created).toMatchObject({ provider: 'alpha', route: 'default' });
    expect(created.userRef).toBe(formatUserRef('alpha', fakes.alpha!.fake.control.users()[0]!.ref));
    const moved = createKycRouter({ providers, route: { default: 'beta' } });
    expect(right(await moved.getStatus(created.userRef)())).toMatchObject({
      provider: 'alpha',
      userRef: created.userRef,
    });
    fakes.alpha!.fake.control.completeHostedFlow(fakes.alpha!.fake.control.users()[0]!.ref, 'denied');
    expect(right(await moved.retry(created.userRef)())).toMatchObject({ provider: 'alpha' });
    expect(fakes.beta!.fake.control.users()).toEqual([]);
  });

  it.each(IDS.flatMap((from) => IDS.filter((to) => to !== from).map((to) => [from, to] as const)))(
    'never lets a %s ref reach %s: the adapter answers validation naming the provider, with no call',
    async (from, to) => {
      const { fakes, router } = setup({ default: from });
      const created = right(await router.createUser(applicantInput('host-2'))());
      const target = fakes[to]!;
      const before = target.fake.control.users().length;
      for (const call of [
        () => target.provider.getStatus(created.userRef),
        () => target.provider.retry(created.userRef),
        () => target.provider.submitVerification(created.userRef, {}),
      ]) {
        const error = left(await call()());
        expect(error).toMatchObject({ kind: 'validation', provider: to, outcome: 'not_sent' });
        expect(error.message).toContain(`"${from}"`);
      }
      expect(target.fake.control.users()).toHaveLength(before);
    },
  );

  it('refuses a ref of a provider that is not configured, and a bare ref without legacyRefProvider', async () => {
    const { router } = setup();
    expect(left(await router.getStatus(userRef('plu:acme-user-1'))())).toMatchObject({ kind: 'validation' });
    const bare = left(await router.getStatus(userRef('fake-user-1'))());
    expect(bare).toMatchObject({ kind: 'validation', provider: 'router' });
    expect(bare.message).toContain('legacyRefProvider');
  });

  it('sends a bare (legacy) ref to legacyRefProvider, never guessing', async () => {
    const { fakes, router } = setup({ default: 'alpha' }, 'beta');
    right(await fakes.beta!.provider.createUser(applicantInput('legacy-1'))());
    const bareRef = fakes.beta!.fake.control.users()[0]!.ref;
    expect(right(await router.getStatus(bareRef)())).toMatchObject({
      provider: 'beta',
      userRef: `beta:${bareRef}`,
    });
  });

  it("with one provider, a bare ref is that provider's", async () => {
    const fakes = routedFakes(['solo']);
    const router = createKycRouter({ providers: [fakes.solo!.provider] });
    right(await fakes.solo!.fake.createUser(applicantInput('old-1'))());
    const bareRef = fakes.solo!.fake.control.users()[0]!.ref;
    expect(right(await router.getStatus(bareRef)())).toMatchObject({ provider: 'solo' });
  });
});

describe('createKycRouter: new users', () => {
  const route = {
    default: 'alpha',
    countries: { PL: 'gamma' },
    nationalities: { UA: 'beta' },
    rollout: [{ provider: 'beta', percent: 25 }],
  } as const;

  it('applies the rules in order: explicit, country, nationality, rollout, default', async () => {
    const { router } = setup(route);
    const explicit = right(await router.createUser(applicantInput('r-1', 'PL'), { provider: 'alpha' })());
    expect(explicit).toMatchObject({ provider: 'alpha', route: 'explicit' });
    const byCountry = right(await router.createUser(applicantInput('r-2', 'PL', 'UA'))());
    expect(byCountry).toMatchObject({ provider: 'gamma', route: 'country' });
    const byNationality = right(await router.createUser(applicantInput('r-3', 'DE', 'UA'))());
    expect(byNationality).toMatchObject({ provider: 'beta', route: 'nationality' });
  });

  it('lands a 25% rollout on 1,000 stable ids within 25 ± 4 percent, the same id always on the same provider', async () => {
    const { router, usersAt } = setup({ default: 'alpha', rollout: [{ provider: 'beta', percent: 25 }] });
    const chosen: string[] = [];
    for (let index = 0; index < 1000; index++) {
      chosen.push(right(await router.createUser(applicantInput(`user-${index}@host`))()).provider);
    }
    expect(usersAt('beta')).toBeGreaterThanOrEqual(210);
    expect(usersAt('beta')).toBeLessThanOrEqual(290);
    expect(usersAt('alpha') + usersAt('beta')).toBe(1000);
    const again = setup({ default: 'alpha', rollout: [{ provider: 'beta', percent: 25 }] });
    for (let index = 0; index < 1000; index += 37) {
      const result = right(await again.router.createUser(applicantInput(`user-${index}@host`))());
      expect(result.provider).toBe(chosen[index]);
    }
  });

  it('refuses an explicit provider that is not configured, with no call', async () => {
    const { router, usersAt } = setup();
    expect(left(await router.createUser(applicantInput('x'), { provider: 'plu' })())).toMatchObject({
      kind: 'validation',
      issues: [{ path: 'options.provider' }],
    });
    expect(IDS.map(usersAt)).toEqual([0, 0, 0]);
  });
});

describe('createKycRouter: failover (createUser only, off by default)', () => {
  it('fails over only on a network error that sent nothing, and says so', async () => {
    const { fakes, router, usersAt } = setup({ default: 'alpha', failover: ['alpha', 'beta', 'gamma'] });
    fakes.alpha!.fake.control.failNext('createUser', unreachable('alpha'));
    const result = right(await router.createUser(applicantInput('f-1'))());
    expect(result).toMatchObject({ provider: 'beta', route: 'failover' });
    expect(result.failedOver.map((error) => [error.provider, error.kind, error.outcome])).toEqual([
      ['alpha', 'network', 'not_sent'],
    ]);
    expect([usersAt('alpha'), usersAt('beta'), usersAt('gamma')]).toEqual([0, 1, 0]);
  });

  it.each([
    ['a timeout', { kind: 'timeout', outcome: 'unknown' }],
    ['a 5xx after sending', { kind: 'provider_unavailable', outcome: 'rejected' }],
    ['a network error after sending', { kind: 'network', outcome: 'unknown' }],
    ['a host abort', { kind: 'network', outcome: 'not_sent', providerCode: 'ABORTED' }],
  ] as const)('does not fail over on %s', async (_name, shape) => {
    const { fakes, router, usersAt } = setup({ default: 'alpha', failover: ['alpha', 'beta'] });
    fakes.alpha!.fake.control.failNext('createUser', { ...unreachable('alpha'), ...shape });
    expect(left(await router.createUser(applicantInput('f-2'))())).toMatchObject({
      provider: 'alpha',
      kind: shape.kind,
    });
    expect(usersAt('beta')).toBe(0);
  });

  it('does not fail over without a failover list, nor for an explicit provider', async () => {
    const plain = setup({ default: 'alpha' });
    plain.fakes.alpha!.fake.control.failNext('createUser', unreachable('alpha'));
    expect(left(await plain.router.createUser(applicantInput('f-3'))())).toMatchObject({ kind: 'network' });
    const explicit = setup({ default: 'alpha', failover: ['alpha', 'beta'] });
    explicit.fakes.beta!.fake.control.failNext('createUser', unreachable('beta'));
    expect(
      left(await explicit.router.createUser(applicantInput('f-4'), { provider: 'beta' })()),
    ).toMatchObject({ provider: 'beta' });
    expect(explicit.usersAt('alpha')).toBe(0);
  });
});

describe('createKycRouter: capabilities and configuration', () => {
  it("reports what every provider supports, and each provider's by id or ref", async () => {
    const { router } = setup({ default: 'alpha' });
    expect(router.capabilities.operations.submitVerification.supported).toBe(false);
    expect(router.capabilitiesOf('beta')).toBe(router.capabilitiesOf('beta'));
    const created = right(await router.createUser(applicantInput('c-1'))());
    expect(router.capabilitiesOf(created.userRef)).toBeDefined();
    expect(router.capabilitiesOf('nobody')).toBeUndefined();
  });

  it.each<[string, Partial<KycRouterOptions>, string]>([
    ['a default that is not configured', { route: { default: 'plu' } }, 'route.default'],
    [
      'a country rule naming an unknown provider',
      { route: { default: 'alpha', countries: { PL: 'p100' } } },
      'route.countries.PL',
    ],
    [
      'a country that is not alpha-2',
      { route: { default: 'alpha', countries: { POL: 'beta' } } },
      'route.countries',
    ],
    [
      'shares over 100 percent',
      {
        route: {
          default: 'alpha',
          rollout: [
            { provider: 'beta', percent: 60 },
            { provider: 'gamma', percent: 50 },
          ],
        },
      },
      'route.rollout',
    ],
    [
      'a share out of range',
      { route: { default: 'alpha', rollout: [{ provider: 'beta', percent: 101 }] } },
      'route.rollout.0.percent',
    ],
    [
      'a failover naming an unknown provider',
      { route: { default: 'alpha', failover: ['zeta'] } },
      'route.failover.0',
    ],
    ['a legacyRefProvider that is not configured', { legacyRefProvider: 'plu' }, 'legacyRefProvider'],
  ])('refuses %s with a config error naming %s', (_name, options, path) => {
    const { providers } = setup();
    const built = buildKycRouter({ providers, ...options });
    expect(E.isLeft(built) && built.left.kind).toBe('config');
    if (E.isLeft(built) && built.left.kind === 'config')
      expect(built.left.issues.map((issue) => issue.path)).toContain(path);
    expect(() => createKycRouter({ providers, ...options })).toThrow(KycException);
  });

  it('refuses two providers with one id', () => {
    const fakes = routedFakes(['alpha']);
    const providers: KycProviderWithWebhooks[] = [fakes.alpha!.provider, fakes.alpha!.provider];
    expect(E.isLeft(buildKycRouter({ providers }))).toBe(true);
  });
});

describe('createKycRouter: webhooks', () => {
  it('routes a delivery by the provider its path names, with qualified refs in the event', async () => {
    const { fakes, router } = setup();
    right(await router.createUser(applicantInput('w-1'), { provider: 'gamma' })());
    const bare = fakes.gamma!.fake.control.users()[0]!.ref;
    const delivery = fakes.gamma!.fake.control.completeHostedFlow(bare, 'approved');
    const event = right(await router.webhooks.parseWebhook({ ...delivery, provider: 'gamma' })());
    expect(event).toMatchObject({ provider: 'gamma', userRef: `gamma:${bare}` });
    // The same delivery through another provider's path fails that provider's verification.
    expect(left(await router.webhooks.parseWebhook({ ...delivery, provider: 'alpha' })())).toMatchObject({
      kind: 'webhook_rejected',
    });
    expect(left(await router.webhooks.parseWebhook({ ...delivery, provider: 'plu' })())).toMatchObject({
      kind: 'webhook_rejected',
    });
  });

  it('recognises the provider by its signature headers only when exactly one matches', async () => {
    const { fakes, router } = setup();
    const delivery = fakes.alpha!.fake.control.signWebhook({});
    expect(router.webhooks.detectProvider(delivery.headers)).toBeUndefined();
    expect(left(await router.webhooks.parseWebhook(delivery)())).toMatchObject({ kind: 'webhook_rejected' });
    const solo = createKycRouter({ providers: [fakes.alpha!.provider] });
    expect(solo.webhooks.detectProvider(delivery.headers)).toBe('alpha');
    expect(solo.webhooks.detectProvider({})).toBeUndefined();
    expect(solo.webhooks.detectProvider(null)).toBeUndefined();
  });
});

export type { UserRef };

describe('createKycRouter: getStatuses (bulk reads)', () => {
  it('asks a provider with a bulk read once for its refs, the others per ref, answering every ref in order', async () => {
    const fakes = routedFakes(['bulk', 'single']);
    const bulkCalls: string[][] = [];
    const bulkFake = fakes.bulk!.fake;
    const withBulk = withQualifiedRefs({
      ...bulkFake,
      getStatuses: (refs: ReadonlyArray<UserRef>) => async () => {
        bulkCalls.push([...refs]);
        const answers = await Promise.all(refs.map((ref) => bulkFake.getStatus(ref)()));
        return E.right(
          answers.map((answer, index) =>
            E.isRight(answer)
              ? { ref: refs[index]!, result: answer.right }
              : { ref: refs[index]!, error: answer.left },
          ),
        );
      },
    });
    const router = createKycRouter({
      providers: [withBulk, fakes.single!.provider],
      route: { default: 'bulk' },
    });
    const a = right(await router.createUser(applicantInput('b-1'))()).userRef;
    const b = right(await router.createUser(applicantInput('b-2'))()).userRef;
    const c = right(await router.createUser(applicantInput('b-3'), { provider: 'single' })()).userRef;
    const refs = [a, c, userRef('bulk:nobody'), b, userRef('plu:elsewhere')];
    const answers = right(await router.getStatuses!(refs)());
    expect(answers.map((answer) => answer.ref)).toEqual(refs);
    expect(
      answers.map((answer) => ('result' in answer ? answer.result.provider : answer.error.kind)),
    ).toEqual(['bulk', 'single', 'not_found', 'bulk', 'validation']);
    expect(bulkCalls).toEqual([[a, 'nobody', b].map((ref) => ref.replace(/^bulk:/, ''))]);
  });
});
