import * as E from 'fp-ts/Either';
import { KYC_TOKENS, defineKycAdapter, parseUserRef } from '@kycport/core';
import type { ConfigError, CreateUserInput } from '@kycport/core';
import {
  closeKycContainer,
  createKycContainer,
  kycConfigFromEnv,
  registerKycAdapter,
  resolveKyc,
  resolveKycRouter,
  tryCreateKycContainer,
  unregisterKycAdapter,
} from '@kycport/container';
import { FakeConfig, createFakeKycProvider } from '@kycport/testing';
import type { FakeKycProvider } from '@kycport/testing';

/** Two fake providers with ids of their own, declared like any third-party adapter. */
const built = new Map<string, FakeKycProvider>();
const fakeNamed = (id: string) =>
  defineKycAdapter({
    id,
    configCodec: FakeConfig,
    environmentVariables: [
      { name: `${id.toUpperCase()}_SECRET`, key: 'webhookSecret', secret: true, description: 'secret' },
    ],
    create: (config) => {
      const fake = createFakeKycProvider({ ...config, id });
      built.set(id, fake);
      return fake;
    },
  });

beforeAll(() => {
  registerKycAdapter(fakeNamed('north'));
  registerKycAdapter(fakeNamed('south'));
});
afterAll(() => {
  unregisterKycAdapter('north');
  unregisterKycAdapter('south');
});

const input = (externalId: string, country = 'DE'): CreateUserInput => ({
  applicant: {
    externalId,
    name: { given: 'Ada', family: 'Lovelace' },
    email: 'ada@example.com',
    termsAccepted: true,
    address: { line1: 'Main 1', city: 'Berlin', postalCode: '10115', country },
  },
});

function issuesOf(result: E.Either<ConfigError, unknown>): ReadonlyArray<string> {
  return E.isLeft(result) ? result.left.issues.map((issue) => issue.path) : [];
}

describe('several providers in one container', () => {
  it('routes new users by the rules and existing users to their own provider, from a config object', async () => {
    const container = createKycContainer({
      provider: 'north',
      providers: ['north', 'south'],
      route: { countries: { PL: 'south' } },
      north: {},
      south: {},
    });
    const provider = resolveKyc(container, KYC_TOKENS.KycProvider);
    expect(provider.id).toBe('router');
    const polish = await provider.createUser(input('pl-1', 'PL'))();
    const german = await provider.createUser(input('de-1'))();
    expect(E.isRight(polish) && polish.right.provider).toBe('south');
    expect(E.isRight(german) && german.right.provider).toBe('north');
    if (E.isRight(polish)) {
      expect(parseUserRef(polish.right.userRef)).toMatchObject(E.right({ provider: 'south' }));
      expect(await provider.getStatus(polish.right.userRef)()).toMatchObject(E.right({ provider: 'south' }));
    }
    expect(resolveKycRouter(container).providers).toEqual(['north', 'south']);
    closeKycContainer(container);
  });

  it('reads the same from environment variables', async () => {
    const config = kycConfigFromEnv({
      KYC_PROVIDERS: 'north,south',
      KYC_PROVIDER: 'south',
      KYC_ROUTE_COUNTRY_PL: 'north',
      KYC_ROLLOUT: 'north:10',
      KYC_FAILOVER: 'south,north',
      KYC_LEGACY_REF_PROVIDER: 'north',
      SOUTH_SECRET: 'whsec_south_secret',
    });
    expect(config).toEqual(
      E.right({
        provider: 'south',
        providers: ['north', 'south'],
        route: {
          countries: { PL: 'north' },
          rollout: [{ provider: 'north', percent: 10 }],
          failover: ['south', 'north'],
        },
        legacyRefProvider: 'north',
        north: {},
        south: { webhookSecret: 'whsec_south_secret' },
      }),
    );
    if (E.isLeft(config)) return;
    const router = resolveKycRouter(createKycContainer(config.right));
    const created = await router.createUser(input('pl-2', 'PL'))();
    expect(E.isRight(created) && created.right).toMatchObject({ provider: 'north', route: 'country' });
  });

  it('keeps a one-provider configuration as it was: the adapter itself, no router', () => {
    const container = createKycContainer({ provider: 'north', north: {} });
    expect(resolveKyc(container, KYC_TOKENS.KycProvider).id).toBe('north');
    expect(resolveKycRouter(container).providers).toEqual(['north']);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'a rule naming a provider that is not configured',
      { KYC_PROVIDERS: 'north,south', KYC_ROUTE_COUNTRY_PL: 'plaid' },
      'KYC_ROUTE_COUNTRY_PL',
    ],
    [
      'a country that is not alpha-2',
      { KYC_PROVIDERS: 'north,south', KYC_ROUTE_COUNTRY_POL: 'south' },
      'KYC_ROUTE_COUNTRY_POL',
    ],
    [
      'a nationality rule naming an unknown provider',
      { KYC_PROVIDERS: 'north,south', KYC_ROUTE_NATIONALITY_UA: 'x' },
      'KYC_ROUTE_NATIONALITY_UA',
    ],
    [
      'percentages over 100',
      { KYC_PROVIDERS: 'north,south', KYC_ROLLOUT: 'north:60,south:41' },
      'KYC_ROLLOUT',
    ],
    [
      'a rollout that does not parse',
      { KYC_PROVIDERS: 'north,south', KYC_ROLLOUT: 'north=10' },
      'KYC_ROLLOUT',
    ],
    [
      'a failover naming an unknown provider',
      { KYC_PROVIDERS: 'north,south', KYC_FAILOVER: 'north,zeta' },
      'KYC_FAILOVER',
    ],
    [
      'a legacy ref provider that is not configured',
      { KYC_PROVIDERS: 'north,south', KYC_LEGACY_REF_PROVIDER: 'plu' },
      'KYC_LEGACY_REF_PROVIDER',
    ],
    [
      'a default that is not among the providers',
      { KYC_PROVIDERS: 'north,south', KYC_PROVIDER: 'fake' },
      'KYC_PROVIDER',
    ],
    ['an unknown provider in the list', { KYC_PROVIDERS: 'north,acme' }, 'KYC_PROVIDERS'],
  ])('refuses %s with a config error naming the variable, never echoing a secret', (_name, env, variable) => {
    const result = kycConfigFromEnv({ ...env, NORTH_SECRET: 'whsec_never_echoed' });
    expect(issuesOf(result)).toContain(variable);
    expect(JSON.stringify(result)).not.toContain('whsec_never_echoed');
  });

  it('refuses the same mistakes in a config object, naming the key', () => {
    const result = tryCreateKycContainer({
      provider: 'north',
      providers: ['north', 'south'],
      route: { countries: { PL: 'plaid' }, rollout: [{ provider: 'south', percent: 120 }] },
      legacyRefProvider: 'p100',
    });
    expect(issuesOf(result)).toEqual(
      expect.arrayContaining(['route.countries.PL', 'route.rollout.0.percent', 'legacyRefProvider']),
    );
  });
});
