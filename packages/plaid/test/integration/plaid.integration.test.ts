/**
 * The Plaid adapter against the Plaid simulator over loopback, built with `plaidAdapter` as the
 * container builds it: the shared contract suite (as with nock), a full onboarding with signed
 * webhooks received by a local endpoint, the absence of a retry cap, faults retried by the
 * transport, configuration from the simulator's environment, the simulator's signed deliveries
 * accepted by the adapter's handler, and proof that every request the adapter sent was accepted.
 */
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/Either';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { userRef } from '@kycport/core';
import type { KycEvent, KycProvider, KycWebhookHandler, UserRef, WebhookRequest } from '@kycport/core';
import {
  PLAID_REFUSAL_STYLES,
  PLAID_SIMULATOR_CLIENT_ID,
  PLAID_SIMULATOR_SECRET,
  startPlaidSimulator,
} from '@kycport/simulators';
import type { PlaidSimulator, PlaidSimulatorOptions } from '@kycport/simulators';
import { describeKycProviderContract } from '@kycport/testing';
import { plaidAdapter } from '../../src/plaid-adapter';
import type { PlaidProvider } from '../../src/plaid-provider';
import { ben, clientUserId, left, leslie, plaidRef, right, startReceiver, wireToSimulator } from './support';
import type { ReceivedWebhook, Receiver } from './support';

const wire = (sim: PlaidSimulator, overrides: Record<string, unknown> = {}) =>
  wireToSimulator(sim, overrides);

let counter = 0;
const nextId = (label: string) => `${label}-${(counter += 1)}`;

function requestOf(
  delivery: ReceivedWebhook,
  headers?: Record<string, string>,
  rawBody?: string,
): WebhookRequest {
  return {
    headers: headers ?? { 'plaid-verification': delivery.headers['plaid-verification'] as string },
    rawBody: rawBody ?? delivery.rawBody,
  };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Every configured variant of the simulator (issue 12): the behaviours Plaid's documents leave open,
 * each answered one plausible way. The adapter must pass against all of them.
 */
const VARIANTS: ReadonlyArray<PlaidSimulatorOptions> = PLAID_REFUSAL_STYLES.map((refusalStyle) => ({
  refusalStyle,
}));
const variantName = (variant: PlaidSimulatorOptions) => `refusalStyle ${variant.refusalStyle ?? 'default'}`;

describe.each(VARIANTS.map((variant) => [variantName(variant), variant] as const))('%s', (_name, variant) => {
  describeKycProviderContract(`plaid (simulator, ${variantName(variant)})`, async () => {
    const sim = await startPlaidSimulator(variant);
    const receiver = await startReceiver();
    sim.setWebhookUrl(receiver.url);
    const { provider, webhooks, observer, close } = wire(sim);
    const validInput = leslie('contract-valid-input');

    /** A user with one attempt at the simulator, optionally completed or moved to a Plaid state. */
    const user = async (
      arrange?: { complete?: 'approved' | 'denied'; state?: string },
      input = leslie(nextId('contract')),
    ): Promise<{ ref: UserRef }> => {
      const created = right(await provider.createUser(input)());
      if (arrange?.complete) await sim.completeHostedFlow(clientUserId(created.userRef), arrange.complete);
      if (arrange?.state) await sim.setUserState(clientUserId(created.userRef), arrange.state);
      return { ref: created.userRef };
    };

    /** A real delivery from the simulator (STATUS_UPDATED), captured by the receiver. */
    const captured = async (): Promise<{ delivery: ReceivedWebhook; ref: UserRef }> => {
      await sim.webhooksIdle();
      const { ref } = await user();
      receiver.received.length = 0;
      await sim.setUserState(clientUserId(ref), 'canceled');
      await sim.webhooksIdle();
      const delivery = receiver.received.find((received) => received.rawBody.includes('STATUS_UPDATED'));
      if (!delivery) throw new Error('no webhook received');
      return { delivery, ref };
    };

    // A key the simulator never issued, for forgeries carrying the simulator's kid.
    const forger = await generateKeyPair('ES256', { extractable: true });
    const sign = (rawBody: string, kid: string) =>
      new SignJWT({ request_body_sha256: createHash('sha256').update(rawBody).digest('hex') })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuedAt()
        .sign(forger.privateKey);

    return {
      provider,
      webhooks,
      callCount: () => observer.count(),
      validInput,
      someRef: plaidRef('contract-some-ref'),
      secrets: [PLAID_SIMULATOR_SECRET, PLAID_SIMULATOR_CLIENT_ID],
      afterEach: () => sim.clearFaults(),
      close: async () => {
        close();
        await sim.close();
        await receiver.close();
      },
      successes: [
        {
          name: 'create returns the simulator-hosted shareable URL',
          operation: 'createUser',
          arrange: () => ({}),
          input: validInput,
          expectedStatus: 'action_required',
          check: (result) =>
            expect(result).toMatchObject({
              userRef: plaidRef('contract-valid-input'),
              state: {
                providerStatus: 'active',
                nextAction: {
                  type: 'redirect',
                  url: expect.stringMatching(new RegExp(`^${sim.baseUrl}/verify/idv_[A-Za-z0-9]{14}\\?key=`)),
                },
              },
            }),
        },
        {
          name: 'status pending while the hosted flow is open',
          operation: 'getStatus',
          arrange: () => user(),
          expectedStatus: 'action_required',
        },
        {
          name: 'status approved (Leslie Knope, sandbox convention)',
          operation: 'getStatus',
          arrange: async () => {
            const arranged = await user();
            await sim.completeHostedFlow(clientUserId(arranged.ref));
            return arranged;
          },
          expectedStatus: 'approved',
          check: (result) => expect(result).toMatchObject({ state: { attempt: 1, reasonCodes: [] } }),
        },
        {
          name: 'status denied (Ben Wyatt fails documentary verification)',
          operation: 'getStatus',
          arrange: async () => {
            const arranged = await user(undefined, ben(nextId('contract-ben')));
            await sim.completeHostedFlow(clientUserId(arranged.ref));
            return arranged;
          },
          expectedStatus: 'denied',
          check: (result) =>
            expect(result).toMatchObject({ state: { reasonCodes: ['documentary_verification'] } }),
        },
        {
          name: 'status in review',
          operation: 'getStatus',
          arrange: () => user({ state: 'pending_review' }),
          expectedStatus: 'in_review',
          check: (result) =>
            expect(result).toMatchObject({ state: { reasonCodes: ['watchlist_screening'] } }),
        },
        {
          name: 'status expired',
          operation: 'getStatus',
          arrange: () => user({ state: 'expired' }),
          expectedStatus: 'expired',
        },
        {
          name: 'status canceled',
          operation: 'getStatus',
          arrange: () => user({ state: 'canceled' }),
          expectedStatus: 'canceled',
        },
        {
          name: 'status of the newest of three attempts (two list pages)',
          operation: 'getStatus',
          arrange: async () => {
            const arranged = await user({ complete: 'denied' });
            right(await provider.retry(arranged.ref)());
            await sim.completeHostedFlow(clientUserId(arranged.ref), 'denied');
            right(await provider.retry(arranged.ref)());
            await sim.completeHostedFlow(clientUserId(arranged.ref), 'approved');
            return arranged;
          },
          expectedStatus: 'approved',
          check: (result) => expect(result).toMatchObject({ state: { attempt: 3 } }),
        },
        {
          name: 'retry after a failure (auto -> infer)',
          operation: 'retry',
          arrange: () => user({ complete: 'denied' }),
          expectedStatus: 'action_required',
          check: (result) => expect(result).toMatchObject({ attempts: { count: 2 } }),
        },
        {
          name: 'retry restart after an approval (reset)',
          operation: 'retry',
          arrange: () => user({ complete: 'approved' }),
          options: { strategy: { kind: 'restart' } },
          expectedStatus: 'action_required',
        },
        {
          name: 'retry custom steps',
          operation: 'retry',
          arrange: () => user({ complete: 'denied' }),
          options: {
            strategy: {
              kind: 'custom',
              steps: { verifySms: false, kycCheck: false, documentaryVerification: true, selfieCheck: false },
            },
          },
          expectedStatus: 'action_required',
        },
      ],
      failures: [
        {
          name: 'unknown user',
          operation: 'getStatus',
          arrange: () => ({ ref: plaidRef('contract-nobody') }),
          expectedKind: 'not_found',
        },
        {
          name: 'rate limited on every attempt (429 with Retry-After)',
          operation: 'getStatus',
          arrange: async () => {
            const arranged = await user();
            sim.injectFault({
              fault: {
                type: 'status',
                status: 429,
                retryAfterSeconds: 0,
                body: { error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'RATE_LIMIT', request_id: 'r1' },
              },
              path: '/identity_verification/list',
              times: 3,
            });
            return arranged;
          },
          expectedKind: 'rate_limited',
          expectedCode: 'RATE_LIMIT',
          expectedRetryable: true,
        },
        {
          name: 'internal server error on every attempt',
          operation: 'createUser',
          arrange: () => {
            sim.injectFault({
              fault: {
                type: 'status',
                status: 500,
                body: { error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR', request_id: 'r2' },
              },
              path: '/identity_verification/create',
              times: 3,
            });
            return {};
          },
          input: leslie('contract-500'),
          expectedKind: 'provider_unavailable',
          expectedCode: 'INTERNAL_SERVER_ERROR',
          expectedRetryable: true,
        },
        {
          name: 'auto retry while the attempt is active (refused by the adapter)',
          operation: 'retry',
          arrange: () => user(),
          expectedKind: 'invalid_state',
        },
        {
          name: 'Plaid refuses infer while active (no local check)',
          operation: 'retry',
          arrange: () => user(),
          options: { strategy: { kind: 'auto' }, providerOptions: { plaid: { checkStateFirst: false } } },
          expectedKind: 'invalid_state',
          expectedCode: 'INVALID_FIELD',
        },
        {
          name: 'Plaid refuses incomplete after a failed risk check (no local check)',
          operation: 'retry',
          arrange: () => user({ state: 'failed:risk_check' }),
          options: { strategy: { kind: 'resume' }, providerOptions: { plaid: { checkStateFirst: false } } },
          expectedKind: 'invalid_state',
          expectedCode: 'INVALID_FIELD',
        },
        {
          name: 'resume after a failed watchlist screening (refused by the adapter)',
          operation: 'retry',
          arrange: () => user({ state: 'failed:watchlist_screening' }),
          options: { strategy: { kind: 'resume' } },
          expectedKind: 'invalid_state',
        },
      ],
      invalidInputs: [
        {
          name: 'bad phone',
          operation: 'createUser',
          input: { applicant: { ...validInput.applicant, phone: '555-1234' } },
          expectedPath: 'applicant.phone',
        },
        {
          name: 'US postal code not 5 digits',
          operation: 'createUser',
          input: {
            applicant: {
              ...validInput.applicant,
              address: { line1: '1 Main St', city: 'Pawnee', postalCode: '4600', country: 'US' },
            },
          },
          expectedPath: 'applicant.address.postalCode',
        },
        {
          name: 'id number type unknown to Plaid',
          operation: 'createUser',
          input: { applicant: { ...validInput.applicant, idNumber: { type: 'national_id', value: '123' } } },
          expectedPath: 'applicant.idNumber.type',
        },
        { name: 'blank ref', operation: 'getStatus', ref: userRef(' '), expectedPath: 'ref' },
        {
          name: 'custom retry without steps',
          operation: 'retry',
          ref: plaidRef('contract-some-ref'),
          options: { strategy: { kind: 'custom' } as never },
          expectedPath: 'strategy.steps',
        },
      ],
      webhookScenarios: {
        authentic: async () => {
          const { delivery, ref } = await captured();
          return { request: requestOf(delivery), expectedRef: ref };
        },
        rejected: [
          {
            name: 'missing Plaid-Verification header',
            request: async () => requestOf((await captured()).delivery, {}),
          },
          {
            name: 'not a JWT',
            request: async () =>
              requestOf((await captured()).delivery, { 'plaid-verification': 'not-a-jwt' }),
          },
          {
            name: 'alg none',
            request: async () => {
              const { delivery } = await captured();
              const token = `${b64({ alg: 'none', kid: sim.webhookKeyId, typ: 'JWT' })}.${b64({ iat: Math.floor(Date.now() / 1000) })}.`;
              return requestOf(delivery, { 'plaid-verification': token });
            },
          },
          {
            name: 'forged signature (another key, the simulator’s kid)',
            request: async () => {
              const { delivery } = await captured();
              return requestOf(delivery, {
                'plaid-verification': await sign(delivery.rawBody, sim.webhookKeyId),
              });
            },
          },
          {
            name: 'unknown kid (the simulator answers INVALID_WEBHOOK_VERIFICATION_KEY_ID)',
            request: async () => {
              const { delivery } = await captured();
              return requestOf(delivery, {
                'plaid-verification': await sign(delivery.rawBody, 'kid-never-issued'),
              });
            },
          },
          {
            name: 'tampered body',
            request: async () => {
              const { delivery } = await captured();
              return requestOf(delivery, undefined, delivery.rawBody.replace('STATUS_UPDATED', 'RETRIED'));
            },
          },
        ],
      },
    };
  });
});

describe.each(VARIANTS.map((variant) => [variantName(variant), variant] as const))(
  'plaid (simulator, %s): onboarding',
  (_name, variant) => {
    let sim: PlaidSimulator;
    let receiver: Receiver;
    let wired: ReturnType<typeof wire>;
    const events: KycEvent[] = [];
    const rejections: string[] = [];

    beforeAll(async () => {
      sim = await startPlaidSimulator(variant);
      receiver = await startReceiver();
      wired = wire(sim);
      const handler: KycWebhookHandler = wired.webhooks;
      // The host's endpoint: verify with the adapter's handler, answer 200 or 400.
      receiver.respond = async (delivery) => {
        const parsed = await handler.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody })();
        if (E.isLeft(parsed)) {
          rejections.push(parsed.left.message);
          return 400;
        }
        events.push(parsed.right);
        return 200;
      };
      sim.setWebhookUrl(receiver.url);
    });

    afterAll(async () => {
      wired.close();
      await sim.close();
      await receiver.close();
    });

    it('create -> denied -> webhook -> retry -> approved -> webhook, with every request accepted', async () => {
      const provider: KycProvider = wired.provider;
      const created = right(await provider.createUser(leslie('onboarding-1'))());
      expect(created.state).toMatchObject({ status: 'action_required', nextAction: { type: 'redirect' } });
      const ref = created.userRef;

      await sim.completeHostedFlow(clientUserId(ref), 'denied');
      await sim.webhooksIdle();
      const denialEvents = events.filter((event) => event.type === 'IDENTITY_VERIFICATION.STATUS_UPDATED');
      expect(denialEvents).toHaveLength(1);
      expect(denialEvents[0]).toMatchObject({ provider: 'plaid', userRef: ref, stateIncluded: false });
      const denied = right(await provider.getStatus(ref)());
      expect(denied.state).toMatchObject({
        status: 'denied',
        providerStatus: 'failed',
        reasonCodes: ['documentary_verification'],
      });

      const retried = right(await provider.retry(ref, { strategy: { kind: 'auto' } })());
      expect(retried).toMatchObject({ attempts: { count: 2 }, state: { status: 'action_required' } });
      await sim.webhooksIdle();
      expect(events.map((event) => event.type)).toContain('IDENTITY_VERIFICATION.RETRIED');

      await sim.completeHostedFlow(clientUserId(ref), 'approved');
      await sim.webhooksIdle();
      const statusEvents = events.filter((event) => event.type === 'IDENTITY_VERIFICATION.STATUS_UPDATED');
      expect(statusEvents).toHaveLength(2);
      const approvalEvent = statusEvents[1] as KycEvent;
      expect(approvalEvent.userRef).toBe(ref);
      expect(approvalEvent.dedupeKey).not.toBe(denialEvents[0]?.dedupeKey);
      const approved = right(await provider.getStatus(ref)());
      expect(approved.state).toMatchObject({ status: 'approved', providerStatus: 'success', attempt: 2 });
      const resolved = right(await wired.provider.resolvePlaidEvent(approvalEvent)());
      expect(resolved.state.status).toBe('approved');

      // Every webhook verified, and every request the adapter sent (the handler's key fetch and
      // /get included) was answered 200.
      expect(rejections).toEqual([]);
      expect(sim.webhookDeliveries.every((delivery) => delivery.delivered)).toBe(true);
      const paths = new Set(sim.requests.map((entry) => entry.path));
      expect(paths).toEqual(
        new Set([
          '/identity_verification/create',
          '/identity_verification/list',
          '/identity_verification/retry',
          '/identity_verification/get',
          '/webhook_verification_key/get',
        ]),
      );
      expect(sim.requests.filter((entry) => entry.status !== 200)).toEqual([]);
    });

    it('enforces no retry cap (Plaid documents none): retry_limit_reached never happens', async () => {
      const provider = wired.provider;
      const ref = right(await provider.createUser(ben('onboarding-cap'))()).userRef;
      for (let attempt = 2; attempt <= 7; attempt += 1) {
        await sim.completeHostedFlow(clientUserId(ref));
        const result = await provider.retry(ref)();
        expect(right(result).attempts).toEqual({ count: attempt });
      }
      const status = right(await provider.getStatus(ref)());
      expect(status.state).toMatchObject({ status: 'action_required', attempt: 7 });
      expect(sim.users().find((user) => user.ref === clientUserId(ref))).toMatchObject({ attempts: 7 });
      await sim.webhooksIdle();
      expect(rejections).toEqual([]);
      expect(sim.requests.filter((entry) => entry.status !== 200)).toEqual([]);
    });

    it('retries a 429 (Retry-After), a 503 and a reset connection on idempotent calls and succeeds', async () => {
      const provider = wired.provider;
      const ref = right(await provider.createUser(leslie('onboarding-faults'))()).userRef;
      const before = wired.observer.count();
      sim.injectFault({
        fault: {
          type: 'status',
          status: 429,
          retryAfterSeconds: 0,
          body: { error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'RATE_LIMIT' },
        },
        path: '/identity_verification/list',
      });
      sim.injectFault({
        fault: {
          type: 'status',
          status: 503,
          body: { error_type: 'API_ERROR', error_code: 'PLANNED_MAINTENANCE' },
        },
        path: '/identity_verification/list',
      });
      const status = right(await provider.getStatus(ref)());
      expect(status.state.status).toBe('action_required');
      expect(wired.observer.count() - before).toBe(3);
      expect(wired.observer.events.slice(-3).map((event) => event.httpStatus)).toEqual([429, 503, 200]);

      sim.injectFault({ fault: { type: 'reset' }, path: '/identity_verification/list' });
      expect(right(await provider.getStatus(ref)()).state.status).toBe('action_required');
      // Only the provoked answers were not 200.
      expect(sim.requests.filter((entry) => entry.status !== 200).map((entry) => entry.status)).toEqual([
        429, 503, 0,
      ]);
    });

    it('reports wrong credentials as unauthorized (INVALID_API_KEYS)', async () => {
      const wrong = wire(sim, { secret: 'not-the-simulator-secret' });
      const error = left(await wrong.provider.createUser(leslie('onboarding-wrong-secret'))());
      expect(error).toMatchObject({
        kind: 'unauthorized',
        providerCode: 'INVALID_API_KEYS',
        httpStatus: 400,
      });
      wrong.close();
    });

    it('configures the adapter from the simulator environment variables', async () => {
      const config = plaidAdapter.configFromEnv(sim.environment);
      if (E.isLeft(config)) throw new Error(config.left.message);
      const adapter = plaidAdapter.create(config.right);
      const provider: KycProvider = adapter.provider;
      const created = right(await provider.createUser(leslie('onboarding-env'))());
      expect(created.state.providerStatus).toBe('active');
      adapter.close();
    });
  },
);

// Moved from the simulators package (which must not depend on an adapter): the simulator's signed
// deliveries, checked by hand and accepted by the adapter's own handler.
describe('plaid (simulator): signed webhooks', () => {
  let sim: PlaidSimulator;
  let receiver: Receiver;
  let adapter: PlaidProvider;
  let wired: ReturnType<typeof wire>;

  beforeAll(async () => {
    sim = await startPlaidSimulator({ webhookRetryDelaysMs: [5, 10, 20] });
    receiver = await startReceiver();
    sim.setWebhookUrl(receiver.url);
    wired = wire(sim);
    adapter = wired.provider;
  });

  afterAll(async () => {
    wired.close();
    await sim.close();
    await receiver.close();
  });

  it('signs each delivery with a Plaid-Verification JWT the adapter’s handler accepts', async () => {
    const id = nextId('signed');
    const ref = right(await adapter.createUser(leslie(id))()).userRef;
    expect(ref).toBe(plaidRef(id));
    const attempt = sim.attempts(id)[0] as { id: string };
    await sim.completeHostedFlow(id, 'approved');
    await sim.webhooksIdle();
    expect(receiver.received.length).toBeGreaterThan(0);
    for (const delivery of receiver.received) {
      const token = delivery.headers['plaid-verification'] as string;
      expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: sim.webhookKeyId, typ: 'JWT' });
      const claims = decodeJwt(token);
      expect(claims.request_body_sha256).toBe(createHash('sha256').update(delivery.rawBody).digest('hex'));
      expect(Math.abs((claims.iat as number) - Date.now() / 1000)).toBeLessThan(60);
      const event = await adapter.webhooks.parseWebhook({
        headers: delivery.headers,
        rawBody: delivery.rawBody,
      })();
      if (E.isLeft(event)) throw new Error(`rejected: ${event.left.message}`);
      expect(event.right).toMatchObject({ userRef: ref, resourceId: attempt.id, stateIncluded: false });
    }
    // A byte changed: the adapter refuses it.
    const delivery = receiver.received[0];
    if (!delivery) throw new Error('no delivery');
    const tampered = await adapter.webhooks.parseWebhook({
      headers: delivery.headers,
      rawBody: delivery.rawBody.replace('sandbox', 'production'),
    })();
    expect(E.isLeft(tampered) && tampered.left.kind).toBe('webhook_rejected');
  });
});

// Issue 11: the simulator acts on /retry and then drops the answer; the adapter finds the attempt
// it started instead of starting another, and a host repeat with expectedAttempts adds none.
describe('plaid (simulator): retry after a lost answer', () => {
  let sim: PlaidSimulator;
  let wired: ReturnType<typeof wire>;

  beforeAll(async () => {
    sim = await startPlaidSimulator();
    wired = wire(sim);
  });

  afterAll(async () => {
    wired.close();
    await sim.close();
  });

  it.each(['answer_lost', 'timeout_after_acting'] as const)(
    '%s: returns the started attempt, and the repeat starts no other',
    async (fault) => {
      const provider = wired.provider;
      const ref = right(await provider.createUser(ben(nextId(`lost-${fault}`)))()).userRef;
      await sim.completeHostedFlow(clientUserId(ref), 'denied');
      const seen = right(await provider.getStatus(ref)()).state.attempt;
      expect(seen).toBe(1);
      sim.injectFault({
        fault: fault === 'answer_lost' ? { type: 'answer_lost' } : { type: 'timeout_after_acting', ms: 500 },
        path: '/identity_verification/retry',
      });
      const options = {
        strategy: { kind: 'restart' as const },
        providerOptions: { plaid: { expectedAttempts: seen } },
        timeoutMs: 200,
      };
      const first = right(await provider.retry(ref, options)());
      expect(first).toMatchObject({ attempts: { count: 2 }, state: { status: 'action_required' } });
      expect(sim.attempts(clientUserId(ref))).toHaveLength(2);

      // The host did not see the answer in time and repeats the same call.
      const repeated = right(await provider.retry(ref, options)());
      expect(repeated.attempts).toEqual({ count: 2 });
      expect(sim.attempts(clientUserId(ref))).toHaveLength(2);
    },
  );
});

// Issue 12: retry true to Plaid's documents, against every variant of the simulator, asserting what
// the simulator saw (its requests and its attempts).
describe.each(VARIANTS.map((variant) => [variantName(variant), variant] as const))(
  'plaid (simulator, %s): retry rules of the documents',
  (_name, variant) => {
    let sim: PlaidSimulator;
    let wired: ReturnType<typeof wire>;
    // Requests the simulator answered since the last mark.
    let mark = 0;
    const markRequests = () => {
      mark = sim.requests.length;
    };
    const seen = () => sim.requests.slice(mark);
    const retriesSeen = () => seen().filter((entry) => entry.path === '/identity_verification/retry');

    beforeAll(async () => {
      sim = await startPlaidSimulator(variant);
      wired = wire(sim);
    });
    beforeEach(() => markRequests());
    afterAll(async () => {
      wired.close();
      await sim.close();
    });

    it('sends corrected identity data as the user object: the new attempt carries it and passes', async () => {
      const input = leslie(nextId('corrected'));
      const wrongBirthday = { applicant: { ...input.applicant, dateOfBirth: '1975-01-19' } };
      const ref = right(await wired.provider.createUser(wrongBirthday)()).userRef;
      await sim.completeHostedFlow(clientUserId(ref));
      expect(right(await wired.provider.getStatus(ref)()).state.reasonCodes).toEqual(['kyc_check']);
      const retried = right(
        await wired.provider.retry(ref, {
          strategy: { kind: 'resume' },
          providerOptions: { plaid: { applicant: { dateOfBirth: '1975-01-18' } } },
        })(),
      );
      expect(retried.attempts).toEqual({ count: 2 });
      const attempts = sim.attempts(clientUserId(ref));
      expect(attempts).toHaveLength(2);
      expect(attempts[1]).toMatchObject({ user: { date_of_birth: '1975-01-18' } });
      await sim.completeHostedFlow(clientUserId(ref));
      expect(right(await wired.provider.getStatus(ref)()).state.status).toBe('approved');
      expect(seen().filter((entry) => entry.status !== 200)).toEqual([]);
    });

    it('refuses a corrected field Plaid would refuse before any request', async () => {
      const ref = right(await wired.provider.createUser(ben(nextId('bad-correction')))()).userRef;
      markRequests();
      const error = left(
        await wired.provider.retry(ref, {
          providerOptions: { plaid: { applicant: { phone: '555-0100' } } },
        })(),
      );
      expect(error).toMatchObject({ kind: 'validation', outcome: 'not_sent' });
      expect(seen()).toEqual([]);
    });

    it.each(['failed:watchlist_screening', 'failed:risk_check'])(
      'refuses auto (infer -> incomplete) after %s with no request to /retry',
      async (state) => {
        const ref = right(await wired.provider.createUser(ben(nextId('infer-blocked')))()).userRef;
        await sim.setUserState(clientUserId(ref), state);
        markRequests();
        const error = left(await wired.provider.retry(ref, { strategy: { kind: 'auto' } })());
        expect(error).toMatchObject({ kind: 'invalid_state', outcome: 'not_sent' });
        expect(retriesSeen()).toEqual([]);
        expect(sim.attempts(clientUserId(ref))).toHaveLength(1);
        // reset has no restriction: restart goes through.
        right(await wired.provider.retry(ref, { strategy: { kind: 'restart' } })());
        expect(retriesSeen()).toEqual([expect.objectContaining({ status: 200 })]);
      },
    );

    it('without the lookup, Plaid refuses infer for the same rule and the adapter says invalid_state', async () => {
      const ref = right(await wired.provider.createUser(ben(nextId('infer-plaid')))()).userRef;
      await sim.setUserState(clientUserId(ref), 'failed:risk_check');
      const error = left(
        await wired.provider.retry(ref, {
          strategy: { kind: 'auto' },
          providerOptions: { plaid: { checkStateFirst: false } },
        })(),
      );
      expect(error).toMatchObject({
        kind: 'invalid_state',
        providerCode: 'INVALID_FIELD',
        outcome: 'rejected',
      });
      expect(retriesSeen()).toEqual([expect.objectContaining({ status: 400 })]);
      expect(sim.attempts(clientUserId(ref))).toHaveLength(1);
    });

    it('reports an unknown client_user_id as not_found, with or without the lookup', async () => {
      const ref = plaidRef(nextId('nobody'));
      expect(left(await wired.provider.retry(ref)())).toMatchObject({
        kind: 'not_found',
        outcome: 'not_sent',
      });
      expect(retriesSeen()).toEqual([]);
      const error = left(
        await wired.provider.retry(ref, {
          strategy: { kind: 'restart' },
          providerOptions: { plaid: { checkStateFirst: false } },
        })(),
      );
      expect(error).toMatchObject({ kind: 'not_found', outcome: 'rejected', providerCode: 'INVALID_FIELD' });
      expect(retriesSeen()).toEqual([expect.objectContaining({ status: 400 })]);
    });

    it('reports a template Plaid does not know as config (getStatus, retry with and without the lookup)', async () => {
      const ref = right(await wired.provider.createUser(ben(nextId('template')))()).userRef;
      const other = wire(sim, { templateId: 'idvtmp_notKnownHere01' });
      try {
        markRequests();
        const issues = [{ path: 'templateId' }];
        expect(left(await other.provider.getStatus(ref)())).toMatchObject({ kind: 'config', issues });
        expect(left(await other.provider.retry(ref)())).toMatchObject({
          kind: 'config',
          outcome: 'not_sent',
        });
        expect(retriesSeen()).toEqual([]);
        const error = left(
          await other.provider.retry(ref, {
            strategy: { kind: 'restart' },
            providerOptions: { plaid: { checkStateFirst: false } },
          })(),
        );
        expect(error).toMatchObject({ kind: 'config', outcome: 'rejected', issues });
        expect(retriesSeen()).toEqual([expect.objectContaining({ status: 400 })]);
        expect(sim.attempts(clientUserId(ref))).toHaveLength(1);
      } finally {
        other.close();
      }
    });

    it('gives an active attempt without a shareable URL redirect_unavailable naming Plaid Link', async () => {
      const created = right(
        await wired.provider.createUser({
          ...leslie(nextId('not-shareable')),
          providerOptions: { plaid: { isShareable: false } },
        })(),
      );
      expect(created.state).toMatchObject({
        status: 'action_required',
        nextAction: { type: 'redirect_unavailable', reason: expect.stringContaining('Plaid Link') },
      });
      expect(sim.attempts(clientUserId(created.userRef))[0]).toMatchObject({ shareable_url: null });
    });
  },
);
