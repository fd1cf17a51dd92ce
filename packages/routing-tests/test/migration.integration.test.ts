/**
 * A provider migration played end to end against the three simulators, through the container
 * configured from environment variables, as a host would run it:
 * 1. 50 users onboard on Plu (`KYC_PROVIDER=plu`, one provider);
 * 2. the host restarts with Plaid as the default and Plu still configured
 *    (`KYC_PROVIDERS=plu,plaid,p100`, `KYC_PROVIDER=plaid`, `KYC_ROUTE_COUNTRY_PL=p100`,
 *    `KYC_LEGACY_REF_PROVIDER=plu`): the Plu users finish on Plu (webhook, getStatus, retry), new
 *    users go to Plaid, Polish applicants to P100;
 * 3. a 25% rollout lands within a stated tolerance on 1,000 stable ids.
 * Each simulator's own records (users, request log) prove no call reached the wrong provider.
 */
import * as E from 'fp-ts/Either';
import { KYC_TOKENS, readUserRef } from '@kycport/core';
import type { CreateUserInput, Environment, KycEvent, KycProvider, ProviderId, UserRef } from '@kycport/core';
import {
  closeKycContainer,
  createKycContainer,
  kycConfigFromEnv,
  resolveKyc,
  resolveKycRouter,
} from '@kycport/container';
import type { KycRouter } from '@kycport/router';
import {
  startP100Simulator,
  startPlaidSimulator,
  startPluSimulator,
  startWebhookRecorder,
} from '@kycport/simulators';
import type { ProviderSimulator, WebhookRecorder } from '@kycport/simulators';

const P100_OPTIONS = {
  documentType: 'ID_CARD',
  incomeSource: 'SALARY',
  occupation: 'IT',
  additionalInfo: 'Software engineer',
  openAccountReason: 'DAILY_USE',
} as const;

function applicant(externalId: string, country: 'US' | 'PL' = 'US'): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Jane', family: 'Doe' },
      email: `${externalId}@example.com`,
      phone: '+14155555555',
      dateOfBirth: '1990-05-15',
      address:
        country === 'US'
          ? { line1: '123 Main Street', city: 'San Francisco', region: 'CA', postalCode: '94105', country }
          : { line1: 'Marszalkowska 1', city: 'Warszawa', postalCode: '00-001', country },
      nationality: country,
      ipAddress: '203.0.113.42',
      termsAccepted: true,
    },
    providerOptions: {
      plu: { program: 'custodial', accountPurpose: 'personal use' },
      p100: { ...P100_OPTIONS, country, birthCountry: country },
    },
  };
}

function right<A>(result: E.Either<{ kind: string; message: string }, A>): A {
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

function container(env: Environment) {
  const config = kycConfigFromEnv(env);
  if (E.isLeft(config)) throw new Error(config.left.message);
  return createKycContainer(config.right);
}

const bare = (ref: UserRef): string => readUserRef(ref).id;
const providerOfRef = (ref: UserRef): ProviderId | undefined => {
  const read = readUserRef(ref);
  return read.qualified ? read.provider : undefined;
};

describe('switching the default provider from Plu to Plaid, with P100 for Poland', () => {
  let plu: ProviderSimulator;
  let plaid: ProviderSimulator;
  let p100: ProviderSimulator;
  const hooks: Record<string, WebhookRecorder> = {};
  const events: KycEvent[] = [];
  let router: KycRouter;
  let host: ReturnType<typeof container>;

  beforeAll(async () => {
    for (const id of ['plu', 'plaid', 'p100']) hooks[id] = await startWebhookRecorder(`/webhooks/${id}`);
    plu = await startPluSimulator({ webhookUrl: hooks.plu!.url });
    plaid = await startPlaidSimulator({ webhookUrl: hooks.plaid!.url });
    p100 = await startP100Simulator({ webhookUrl: hooks.p100!.url });
  });
  afterAll(async () => {
    if (host) closeKycContainer(host);
    await Promise.all([plu, plaid, p100].map((sim) => sim?.close()));
    await Promise.all(Object.values(hooks).map((hook) => hook.close()));
  });

  const pluRefs: UserRef[] = [];

  it('1. onboards 50 users on Plu, the only provider', async () => {
    const first = container({ ...plu.environment, KYC_PROVIDER: 'plu' });
    const provider = resolveKyc(first, KYC_TOKENS.KycProvider);
    for (let index = 0; index < 50; index++) {
      pluRefs.push(right(await provider.createUser(applicant(`early-${index}`))()).userRef);
    }
    closeKycContainer(first);
    expect(plu.users()).toHaveLength(50);
    expect(plaid.users()).toHaveLength(0);
  });

  it('2. restarts with Plaid as the default: the Plu users finish on Plu, through webhooks, getStatus and retry', async () => {
    host = container({
      ...plu.environment,
      ...plaid.environment,
      ...p100.environment,
      KYC_PROVIDERS: 'plu,plaid,p100',
      KYC_PROVIDER: 'plaid',
      KYC_ROUTE_COUNTRY_PL: 'p100',
      KYC_LEGACY_REF_PROVIDER: 'plu',
    });
    router = resolveKycRouter(host);
    expect(resolveKyc(host, KYC_TOKENS.KycProvider)).toBe(router);
    for (const [id, hook] of Object.entries(hooks)) {
      hook.respond = async (delivery) => {
        const parsed = await router.webhooks.parseWebhook({ provider: id, ...delivery })();
        if (E.isLeft(parsed)) return 401;
        events.push(parsed.right);
        return 200;
      };
    }
    const pluRequestsBefore = plu.requests.length;
    // Half approve, half are denied; the webhooks arrive on Plu's path and name Plu refs.
    for (const [index, ref] of pluRefs.entries()) {
      await plu.completeHostedFlow(bare(ref), index % 2 === 0 ? 'approved' : 'denied');
    }
    await plu.webhooksIdle();
    const pluEvents = events.filter((event) => event.provider === 'plu');
    expect(new Set(pluEvents.map((event) => bare(event.userRef)))).toEqual(new Set(pluRefs.map(bare)));
    expect(pluEvents.every((event) => providerOfRef(event.userRef) === 'plu')).toBe(true);
    // Stored refs (as they were stored) and the events' refs both reach Plu.
    for (const [index, ref] of pluRefs.entries()) {
      const status = right(await router.getStatus(index % 5 === 0 ? ref : pluEvents[0]!.userRef)());
      expect(status.provider).toBe('plu');
    }
    const denied = pluRefs.filter((_, index) => index % 2 === 1);
    for (const ref of denied) expect(right(await router.retry(ref)()).provider).toBe('plu');
    expect(plu.users().filter((user) => user.attempts > 1)).toHaveLength(denied.length);
    expect(plu.requests.length).toBeGreaterThan(pluRequestsBefore);
    expect(plaid.requests).toHaveLength(0);
    expect(p100.requests).toHaveLength(0);
  });

  it('3. sends new users to Plaid and Polish applicants to P100, never to Plu', async () => {
    const pluUsers = plu.users().length;
    const created: Array<{ id: string; ref: UserRef; provider: ProviderId }> = [];
    for (let index = 0; index < 20; index++) {
      const country = index % 4 === 0 ? 'PL' : 'US';
      const result = right(await router.createUser(applicant(`late-${index}`, country))());
      created.push({ id: `late-${index}`, ref: result.userRef, provider: result.provider });
      expect([country, result.provider]).toEqual([country, country === 'PL' ? 'p100' : 'plaid']);
      expect(providerOfRef(result.userRef)).toBe(result.provider);
    }
    expect(plu.users()).toHaveLength(pluUsers);
    expect(
      p100
        .users()
        .map((user) => user.ref)
        .sort(),
    ).toEqual(
      created
        .filter((user) => user.provider === 'p100')
        .map((user) => user.id)
        .sort(),
    );
    expect(
      plaid
        .users()
        .map((user) => user.ref)
        .sort(),
    ).toEqual(
      created
        .filter((user) => user.provider === 'plaid')
        .map((user) => user.id)
        .sort(),
    );
    // Each new user finishes where it started.
    for (const user of created) {
      const status = right(await router.getStatus(user.ref)());
      expect(status.provider).toBe(user.provider);
    }
    // No P100 request names a user that is not P100's; no Plaid request path names a Plu user.
    const p100Ids = new Set(created.filter((user) => user.provider === 'p100').map((user) => user.id));
    for (const request of p100.requests) {
      const named = /\/(?:status|kyc-files|poa-files|verification)\/([^/?]+)/.exec(request.path)?.[1];
      if (named !== undefined) expect(p100Ids.has(decodeURIComponent(named))).toBe(true);
    }
    const pluIds = pluRefs.map(bare);
    for (const request of [...plaid.requests, ...p100.requests]) {
      for (const id of pluIds) expect(request.path).not.toContain(id);
    }
  });

  it('5. recognises each provider by its signature headers, for a host with one webhook URL', async () => {
    // late-0 is a Polish applicant (P100), late-1 an American one (Plaid): both finish their hosted flows.
    await p100.completeHostedFlow('late-0', 'approved');
    await plaid.completeHostedFlow('late-1', 'approved');
    await Promise.all([plu, plaid, p100].map((sim) => sim.webhooksIdle()));
    for (const id of ['plu', 'plaid', 'p100'] as const) {
      const received = hooks[id]!.received;
      expect(received.length).toBeGreaterThan(0);
      for (const delivery of received) expect(router.webhooks.detectProvider(delivery.headers)).toBe(id);
      const parsed = await router.webhooks.parseWebhook(received[received.length - 1]!)();
      expect(E.isRight(parsed) && parsed.right.provider).toBe(id);
    }
  });

  it("4. refuses a ref of a provider that is not configured, and another provider's ref at an adapter", async () => {
    const error = await router.getStatus('acme:someone' as UserRef)();
    expect(E.isLeft(error)).toBe(true);
    const pluOnly = container({ ...plu.environment, KYC_PROVIDER: 'plu' });
    const provider: KycProvider = resolveKyc(pluOnly, KYC_TOKENS.KycProvider);
    const before = plu.requests.length;
    const foreign = await provider.getStatus(`plaid:late-1` as UserRef)();
    expect(E.isLeft(foreign) && foreign.left).toMatchObject({ kind: 'validation' });
    expect(E.isLeft(foreign) && foreign.left.message).toContain('"plaid"');
    expect(plu.requests.length).toBe(before);
    closeKycContainer(pluOnly);
  });
});

describe('a 25% rollout to Plu beside Plaid, through the simulators', () => {
  it('lands 25 ± 4 percent of 1,000 stable ids on Plu, the same id always on the same provider', async () => {
    const plu = await startPluSimulator();
    const plaid = await startPlaidSimulator();
    try {
      const env = {
        ...plu.environment,
        ...plaid.environment,
        KYC_PROVIDERS: 'plu,plaid',
        KYC_PROVIDER: 'plaid',
        KYC_ROLLOUT: 'plu:25',
      };
      const router = resolveKycRouter(container(env));
      const landed = new Map<string, ProviderId>();
      for (let index = 0; index < 1000; index++) {
        const externalId = `rollout-${index}`;
        landed.set(externalId, right(await router.createUser(applicant(externalId))()).provider);
      }
      const onPlu = [...landed.values()].filter((provider) => provider === 'plu').length;
      expect(onPlu).toBeGreaterThanOrEqual(210);
      expect(onPlu).toBeLessThanOrEqual(290);
      expect(plu.users()).toHaveLength(onPlu);
      expect(plaid.users()).toHaveLength(1000 - onPlu);
      // A second host process with the same settings puts each applicant where the first did.
      const again = resolveKycRouter(container(env));
      for (const index of [0, 7, 99, 500, 999]) {
        const externalId = `rollout-${index}`;
        const choice = await again.createUser(applicant(externalId))();
        const provider = E.isRight(choice)
          ? choice.right.provider
          : E.isLeft(choice)
            ? choice.left.provider
            : undefined;
        expect(provider).toBe(landed.get(externalId));
      }
    } finally {
      await Promise.all([plu.close(), plaid.close()]);
    }
  }, 60_000);
});
