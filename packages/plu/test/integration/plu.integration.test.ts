/**
 * The Plu adapter against the Plu simulator over loopback, built from the simulator's settings with
 * `pluAdapter` (the container's wiring of Plu is tested in packages/container): the shared contract
 * suite (as with nock), a full onboarding with verified webhooks, the retry cap, paging and faults
 * the transport or the adapter's reconciliation absorb. Every block runs against every simulator
 * variant of what Plu leaves open (`PLU_VARIANTS`, issue 12), asserting what the simulator saw.
 */
import { userRef } from '@kycport/core';
import type { KycError, KycEvent, KycWebhookHandler, UserRef } from '@kycport/core';
import {
  PLU_SIMULATOR_API_KEY,
  PLU_SIMULATOR_WEBHOOK_SECRET,
  startPluSimulator,
  startWebhookRecorder,
} from '@kycport/simulators';
import type { PluSimulator, ReceivedWebhook } from '@kycport/simulators';
import { countingObserver, describeKycProviderContract } from '@kycport/testing';
import { pluAdapter, signPluWebhook } from '../../src';
import {
  CREATE,
  LIST,
  PLU_VARIANTS,
  RETRY,
  call,
  createdUser,
  inputFor,
  left,
  pluRef,
  right,
  serviceIdOf,
  wire,
} from './support';
import type { PluVariant } from './support';

let counter = 0;
const email = (label: string) => `${label}-${(counter += 1)}@example.com`;

/** Creates a denied user (the hosted flow completed with `denied`). */
async function deniedUser(sim: PluSimulator, label: string, lastName = 'Doe'): Promise<UserRef> {
  const ref = await createdUser(sim.baseUrl, email(label), lastName);
  await sim.completeHostedFlow(ref, 'denied');
  return pluRef(ref);
}

for (const variant of PLU_VARIANTS) describeVariantContract(variant);

function describeVariantContract(variant: PluVariant): void {
  describeKycProviderContract(`plu (simulator, ${variant.name})`, async () => {
    const sim = await startPluSimulator(variant.options);
    const receiver = await startWebhookRecorder('/webhooks/plu');
    sim.setWebhookUrl(receiver.url);
    const { provider, webhooks, observer, close } = wire(sim);
    const validInput = inputFor('contract-jane.doe@example.com');

    /** A fresh authentic delivery made by the simulator. */
    const delivery = async (): Promise<{ delivery: ReceivedWebhook; ref: string }> => {
      const ref = await createdUser(sim.baseUrl, email('contract-webhook'));
      await sim.completeHostedFlow(ref, 'approved');
      await sim.webhooksIdle();
      const last = receiver.received[receiver.received.length - 1];
      if (!last) throw new Error('no webhook received');
      return { delivery: last, ref };
    };

    return {
      provider,
      webhooks,
      callCount: () => observer.count(),
      validInput,
      someRef: pluRef('kycsim-user-abc123'),
      secrets: [PLU_SIMULATOR_API_KEY, PLU_SIMULATOR_WEBHOOK_SECRET],
      afterEach: async () => {
        sim.clearFaults();
        await sim.webhooksIdle();
      },
      close: async () => {
        close();
        await sim.close();
        await receiver.close();
      },
      successes: [
        {
          name: 'create',
          operation: 'createUser',
          arrange: () => ({}),
          expectedStatus: 'action_required',
          check: (result) => {
            expect(result).toMatchObject({
              userRef: expect.stringMatching(/^plu:kycsim-user-/),
              state: {
                providerStatus: 'verification_url_issued',
                attempt: 1,
                nextAction: { type: 'redirect', url: expect.stringMatching(/^https:\/\/.+inquiry-id=inq_/) },
              },
            });
          },
        },
        {
          name: 'status pending_kyc',
          operation: 'getStatus',
          arrange: async () => ({ ref: pluRef(await createdUser(sim.baseUrl, email('contract-pending'))) }),
          expectedStatus: 'pending',
          check: (result) => expect(result).toMatchObject({ state: { providerStatus: 'pending_kyc' } }),
        },
        {
          name: 'status approved (sandbox keyword)',
          operation: 'getStatus',
          arrange: async () => {
            const ref = await createdUser(sim.baseUrl, email('contract-approved'), 'DoeApproved');
            await sim.completeHostedFlow(ref);
            return { ref: pluRef(ref) };
          },
          expectedStatus: 'approved',
        },
        {
          name: 'status denied (sandbox keyword)',
          operation: 'getStatus',
          arrange: async () => {
            const ref = await createdUser(sim.baseUrl, email('contract-denied'), 'DoeDenied');
            await sim.completeHostedFlow(ref);
            return { ref: pluRef(ref) };
          },
          expectedStatus: 'denied',
        },
        {
          name: 'status needsVerification (the list carries no link)',
          operation: 'getStatus',
          arrange: async () => {
            const ref = await createdUser(sim.baseUrl, email('contract-needs'), 'DoeneedsVerification');
            await sim.completeHostedFlow(ref);
            return { ref: pluRef(ref) };
          },
          expectedStatus: 'action_required',
          check: (result) =>
            expect(result).toMatchObject({ state: { nextAction: { type: 'contact_support' } } }),
        },
        {
          name: 'retry, automated path (Persona passed, KYC denied)',
          operation: 'retry',
          arrange: async () => ({ ref: await deniedUser(sim, 'contract-retry-auto') }),
          options: { strategy: { kind: 'auto' } },
          expectedStatus: 'pending',
          check: (result) =>
            expect(result).toMatchObject({
              attempts: { count: 2, remaining: 2 },
              state: { providerStatus: 'pending', nextAction: { type: 'await_provider' } },
            }),
        },
        {
          name: 'retry, Persona path (Persona failed)',
          operation: 'retry',
          arrange: async () => {
            const ref = await createdUser(sim.baseUrl, email('contract-retry-persona'));
            await sim.setUserState(ref, 'persona_failed');
            return { ref: pluRef(ref) };
          },
          expectedStatus: 'action_required',
          check: (result) =>
            expect(result).toMatchObject({
              attempts: { count: 2, remaining: 2 },
              state: { nextAction: { type: 'redirect' } },
            }),
        },
      ],
      failures: [
        {
          name: 'DUP_USER on create',
          operation: 'createUser',
          arrange: async () => {
            const exists = await call(sim.baseUrl, 'GET', `${LIST}?limit=100`);
            if (!exists.text.includes(validInput.applicant.email ?? ''))
              await createdUser(sim.baseUrl, validInput.applicant.email ?? '');
            return {};
          },
          expectedKind: 'conflict',
          expectedCode: 'DUP_USER',
          expectedRetryable: false,
        },
        {
          name: 'INSUFFICIENT_WALLET_BALANCE (402, injected) on create',
          operation: 'createUser',
          input: inputFor('contract-wallet@example.com'),
          arrange: () => {
            sim.injectFault({
              method: 'POST',
              path: CREATE,
              fault: {
                type: 'status',
                status: 402,
                body: {
                  status: 'error',
                  message: 'INSUFFICIENT_WALLET_BALANCE',
                  data: { error: 'Insufficient wallet balance' },
                },
              },
            });
            return {};
          },
          expectedKind: 'payment_required',
          expectedCode: 'INSUFFICIENT_WALLET_BALANCE',
        },
        {
          name: 'USER_NOT_FOUND arriving as 400 on retry',
          operation: 'retry',
          arrange: () => ({ ref: pluRef('kycsim-user-nobody') }),
          expectedKind: 'not_found',
          expectedCode: 'USER_NOT_FOUND',
        },
        {
          name: 'retry of a user that is not denied',
          operation: 'retry',
          arrange: async () => ({
            ref: pluRef(await createdUser(sim.baseUrl, email('contract-not-denied'))),
          }),
          expectedKind: 'invalid_state',
          expectedCode: variant.codes.notDenied,
          expectedRetryable: false,
        },
        {
          name: 'idempotency key reused on retry',
          operation: 'retry',
          arrange: async () => {
            const ref = await deniedUser(sim, 'contract-retry-key');
            await call(sim.baseUrl, 'POST', RETRY(serviceIdOf(ref)), {
              idempotencyKey: 'c0ffee00-0000-4000-8000-000000000001',
            });
            await sim.setUserState(serviceIdOf(ref), 'denied');
            return { ref };
          },
          options: { idempotencyKey: 'c0ffee00-0000-4000-8000-000000000001' },
          // A recognised reuse code is a conflict; a generic or bare 400 is a refusal of the retry.
          expectedKind: variant.codes.keyReused === 'IDEMPOTENCY_KEY_REUSED' ? 'conflict' : 'invalid_state',
          expectedCode: variant.codes.keyReused,
        },
        {
          name: 'retry cap (3 retries used, through this adapter)',
          operation: 'retry',
          arrange: async () => {
            const ref = await deniedUser(sim, 'contract-retry-cap', 'DoeDenied');
            for (let retry = 0; retry < 3; retry += 1) {
              right(await provider.retry(ref)());
              await sim.completeHostedFlow(serviceIdOf(ref));
            }
            return { ref };
          },
          expectedKind: 'retry_limit_reached',
          expectedCode: variant.codes.retryLimit,
          expectedRetryable: false,
        },
        {
          name: 'user missing from every page',
          operation: 'getStatus',
          arrange: () => ({ ref: pluRef('kycsim-user-nobody') }),
          expectedKind: 'not_found',
        },
        {
          name: 'INTERNAL_ERROR while listing users (every transport attempt)',
          operation: 'getStatus',
          arrange: async () => {
            const ref = await createdUser(sim.baseUrl, email('contract-500'));
            sim.injectFault({
              method: 'GET',
              path: LIST,
              times: 10,
              fault: {
                type: 'status',
                status: 500,
                body: { status: 'error', message: 'INTERNAL_ERROR', data: { error: 'oops' } },
              },
            });
            return { ref: pluRef(ref) };
          },
          expectedKind: 'provider_unavailable',
          expectedCode: 'INTERNAL_ERROR',
          expectedRetryable: true,
        },
        {
          name: 'success body of the wrong shape on retry',
          operation: 'retry',
          arrange: async () => {
            const ref = await deniedUser(sim, 'contract-wrong-shape');
            sim.injectFault({ method: 'POST', fault: { type: 'wrong_shape' } });
            return { ref };
          },
          expectedKind: 'unexpected_response',
        },
        {
          name: 'malformed JSON on retry',
          operation: 'retry',
          arrange: async () => {
            const ref = await deniedUser(sim, 'contract-malformed');
            sim.injectFault({ method: 'POST', fault: { type: 'malformed_json' } });
            return { ref };
          },
          expectedKind: 'unexpected_response',
        },
      ],
      invalidInputs: [
        {
          name: 'bad phone',
          operation: 'createUser',
          input: { ...validInput, applicant: { ...validInput.applicant, phone: '555-1234' } },
          expectedPath: 'applicant.phone',
        },
        {
          name: 'missing email',
          operation: 'createUser',
          input: { ...validInput, applicant: { ...validInput.applicant, email: undefined } },
          expectedPath: 'applicant.email',
        },
        {
          name: 'terms not accepted',
          operation: 'createUser',
          input: { ...validInput, applicant: { ...validInput.applicant, termsAccepted: false } },
          expectedPath: 'applicant.termsAccepted',
        },
        {
          name: 'no program anywhere',
          operation: 'createUser',
          input: { ...validInput, providerOptions: { plu: { accountPurpose: 'personal use' } } },
          expectedPath: 'providerOptions.plu.program',
        },
        { name: 'blank ref on getStatus', operation: 'getStatus', ref: userRef(' '), expectedPath: 'ref' },
        { name: 'blank ref on retry', operation: 'retry', ref: userRef(''), expectedPath: 'ref' },
      ],
      webhookScenarios: {
        authentic: async () => {
          const { delivery: received, ref } = await delivery();
          return {
            request: { headers: received.headers, rawBody: received.rawBody },
            expectedRef: pluRef(ref),
          };
        },
        rejected: [
          {
            name: 'signed with another secret',
            request: async () => {
              const { delivery: received } = await delivery();
              return {
                headers: { 'x-webhook-signature': signPluWebhook(received.rawBody, 'whsec_someone_else') },
                rawBody: received.rawBody,
              };
            },
          },
          {
            name: 'signature missing',
            request: async () => {
              const { delivery: received } = await delivery();
              return { headers: { 'content-type': 'application/json' }, rawBody: received.rawBody };
            },
          },
          {
            name: 'tampered body',
            request: async () => {
              const { delivery: received } = await delivery();
              return {
                headers: received.headers,
                rawBody: received.rawBody.replace('"approved"', '"denied"'),
              };
            },
          },
        ],
      },
    };
  });
}

/** The host's webhook endpoint: verifies each delivery with the adapter's handler (401 when rejected). */
async function startVerifyingEndpoint(webhooks: KycWebhookHandler) {
  const events: KycEvent[] = [];
  const rejections: KycError[] = [];
  const recorder = await startWebhookRecorder('/webhooks/plu');
  recorder.respond = async (delivery) => {
    const result = await webhooks.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody })();
    if (result._tag === 'Right') events.push(result.right);
    else rejections.push(result.left);
    return result._tag === 'Right' ? 200 : 401;
  };
  return { url: recorder.url, events, rejections, close: () => recorder.close() };
}

describe.each(PLU_VARIANTS.map((variant) => [variant.name, variant] as const))(
  'plu (simulator, %s): onboarding',
  (_name, variant) => {
    let sim: PluSimulator;
    let endpoint: Awaited<ReturnType<typeof startVerifyingEndpoint>>;
    let wired: ReturnType<typeof wire>;

    beforeAll(async () => {
      sim = await startPluSimulator(variant.options);
      wired = wire(sim);
      endpoint = await startVerifyingEndpoint(wired.webhooks);
      sim.setWebhookUrl(endpoint.url);
    });
    afterAll(async () => {
      wired.close();
      await sim.close();
      await endpoint.close();
    });
    afterEach(() => sim.clearFaults());

    /** The GETs of a scan of this short list: one page, and without `total` the empty page that ends it. */
    const listScan = (): string[] =>
      variant.options.omitTotal === true ? ['GET 200', 'GET 200'] : ['GET 200'];

    it('create -> hosted flow denied -> webhook -> denied -> retry -> hosted flow approved -> webhook -> approved', async () => {
      const { provider } = wired;
      const created = right(await provider.createUser(inputFor(email('onboarding')))());
      expect(created.state).toMatchObject({ status: 'action_required', nextAction: { type: 'redirect' } });
      const ref = created.userRef;
      expect(right(await provider.getStatus(ref)()).state.status).toBe('pending');

      await sim.completeHostedFlow(serviceIdOf(ref), 'denied');
      await sim.webhooksIdle();
      expect(endpoint.events).toHaveLength(1);
      expect(endpoint.events[0]).toMatchObject({
        userRef: ref,
        type: 'user.kyc-event',
        state: { status: 'denied', reasonCodes: ['WRONG_USER_REGION', 'REGULATIONS_VIOLATIONS'] },
      });
      expect(right(await provider.getStatus(ref)()).state).toMatchObject({
        status: 'denied',
        providerStatus: 'denied',
      });

      const retried = right(await provider.retry(ref, { strategy: { kind: 'auto' } })());
      expect(retried).toMatchObject({ attempts: { count: 2, remaining: 2 }, state: { status: 'pending' } });
      expect(right(await provider.getStatus(ref)()).state.status).toBe('pending');

      await sim.completeHostedFlow(serviceIdOf(ref), 'approved');
      await sim.webhooksIdle();
      expect(endpoint.events).toHaveLength(2);
      expect(endpoint.events[1]).toMatchObject({ userRef: ref, state: { status: 'approved' } });
      expect(endpoint.events[1]?.dedupeKey).not.toBe(endpoint.events[0]?.dedupeKey);
      expect(right(await provider.getStatus(ref)()).state).toMatchObject({
        status: 'approved',
        providerStatus: 'approved',
      });
      expect(endpoint.rejections).toHaveLength(0);
    });

    it('hands the needsVerification link to the user as a redirect', async () => {
      const { provider } = wired;
      const created = right(await provider.createUser(inputFor(email('needs'), 'DoeneedsVerification'))());
      await sim.completeHostedFlow(serviceIdOf(created.userRef));
      await sim.webhooksIdle();
      const event = endpoint.events.find((candidate) => candidate.userRef === created.userRef);
      expect(event).toMatchObject({
        state: {
          status: 'action_required',
          nextAction: { type: 'redirect', url: expect.stringMatching(/^https:\/\/.+inquiry-id=inq_/) },
        },
      });
    });

    it('reaches retry_limit_reached after 3 retries', async () => {
      const { provider } = wired;
      const created = right(await provider.createUser(inputFor(email('cap'), 'DoeDenied'))());
      const ref = created.userRef;
      await sim.completeHostedFlow(serviceIdOf(ref));
      for (let retry = 1; retry <= 3; retry += 1) {
        const result = right(await provider.retry(ref)());
        expect(result.attempts).toEqual({ count: retry + 1, remaining: 3 - retry });
        await sim.completeHostedFlow(serviceIdOf(ref));
      }
      await sim.webhooksIdle();
      // Denied with no retries left: "After that, contact support" (the last known retry count is 3).
      expect(endpoint.events.filter((event) => event.userRef === ref).at(-1)).toMatchObject({
        state: { status: 'denied', nextAction: { type: 'contact_support' } },
      });
      const before = sim.requests.length;
      const error = left(await provider.retry(ref)());
      expect(error).toMatchObject({
        kind: 'retry_limit_reached',
        maxAttempts: 4,
        retryable: false,
        httpStatus: 400,
      });
      expect(sim.requests.slice(before).map((entry) => `${entry.method} ${entry.status}`)).toEqual([
        'POST 400',
      ]);
      expect(sim.users().find((user) => user.ref === serviceIdOf(ref))).toMatchObject({ retryCount: 3 });
      expect(right(await provider.getStatus(ref)()).state).toMatchObject({
        status: 'denied',
        nextAction: { type: 'contact_support' },
      });
    });

    it('a refusal of a user who is not denied is invalid_state, never validation', async () => {
      const ref = pluRef(await createdUser(sim.baseUrl, email('not-denied')));
      const error = left(await wired.provider.retry(ref)());
      expect(error).toMatchObject({ kind: 'invalid_state', httpStatus: 400 });
      expect(error.providerCode).toBe(variant.codes.notDenied);
      expect(sim.users().find((user) => user.ref === serviceIdOf(ref))).toMatchObject({
        retryCount: 0,
        providerStatus: 'pending_kyc',
      });
    });

    it('retries used elsewhere: without knowledge only a code naming the limit says cap; the pre-check tells it', async () => {
      const ref = await deniedUser(sim, 'elsewhere', 'DoeDenied');
      for (let retry = 0; retry < 3; retry += 1) {
        await call(sim.baseUrl, 'POST', RETRY(serviceIdOf(ref)));
        await sim.completeHostedFlow(serviceIdOf(ref));
      }
      const unaware = left(await wired.provider.retry(ref)());
      const named = variant.codes.retryLimit === 'KYC_RETRY_LIMIT_EXCEEDED';
      expect(unaware.kind).toBe(named ? 'retry_limit_reached' : 'invalid_state');
      if (!named) expect(unaware.message).toContain("retryPreCheck: 'list_scan'");
      const checking = wire(sim, { retryPreCheck: 'list_scan' });
      try {
        const before = sim.requests.length;
        expect(left(await checking.provider.retry(ref)())).toMatchObject({
          kind: 'retry_limit_reached',
          maxAttempts: 4,
        });
        expect(sim.requests.slice(before).map((entry) => entry.method)).toEqual(['GET', 'POST']);
      } finally {
        checking.close();
      }
      expect(sim.users().find((user) => user.ref === serviceIdOf(ref))).toMatchObject({ retryCount: 3 });
    });

    it('the pre-check refuses a user who is not denied with no request to retry-kyc', async () => {
      const checking = wire(sim, { retryPreCheck: 'list_scan' });
      try {
        const ref = pluRef(await createdUser(sim.baseUrl, email('pre-check')));
        const before = sim.requests.length;
        expect(left(await checking.provider.retry(ref)())).toMatchObject({
          kind: 'invalid_state',
          outcome: 'not_sent',
        });
        const seen = sim.requests.slice(before);
        expect(seen.every((entry) => entry.method === 'GET' && entry.path === LIST)).toBe(true);
        expect(seen.some((entry) => entry.path === RETRY(serviceIdOf(ref)))).toBe(false);
      } finally {
        checking.close();
      }
    });

    it('retries a GET answered with 429 + Retry-After, and a 503, and succeeds', async () => {
      const { provider } = wired;
      const ref = pluRef(await createdUser(sim.baseUrl, email('fault')));
      sim.injectFault({
        method: 'GET',
        path: LIST,
        fault: { type: 'status', status: 429, retryAfterSeconds: 0 },
      });
      sim.injectFault({ method: 'GET', path: LIST, fault: { type: 'status', status: 503 } });
      const before = sim.requests.length;
      expect(right(await provider.getStatus(ref)()).state.status).toBe('pending');
      expect(sim.requests.slice(before).map((entry) => entry.status)).toEqual([429, 503, 200]);
    });

    it('recovers a create whose connection was reset: reconciles through the list, then resends the same key', async () => {
      const { provider } = wired;
      sim.injectFault({ method: 'POST', path: CREATE, fault: { type: 'reset' } });
      const before = sim.requests.length;
      const created = right(await provider.createUser(inputFor(email('reset')))());
      expect(created.state.nextAction.type).toBe('redirect');
      expect(sim.requests.slice(before).map((entry) => `${entry.method} ${entry.status}`)).toEqual([
        'POST 0',
        ...listScan(),
        'POST 201',
      ]);
    });

    it.each(['malformed_json', 'wrong_shape'] as const)(
      'reconciles a create answered 2xx with %s exactly as a reset (issue 11)',
      async (type) => {
        const { provider } = wired;
        sim.injectFault({ method: 'POST', path: CREATE, fault: { type } });
        const before = sim.requests.length;
        const created = right(await provider.createUser(inputFor(email(`unreadable-${type}`)))());
        expect(created.state.nextAction.type).toBe('redirect');
        // The simulator's fault answered instead of creating: not listed, so one resend with the same key.
        expect(sim.requests.slice(before).map((entry) => `${entry.method} ${entry.status}`)).toEqual([
          'POST 200',
          ...listScan(),
          'POST 201',
        ]);
      },
    );

    it('never resends a retry whose answer was lost; a still-denied user is an unknown, non-retryable outcome', async () => {
      const { provider } = wired;
      const ref = await deniedUser(sim, 'lost-retry');
      sim.injectFault({ method: 'POST', path: RETRY(serviceIdOf(ref)), fault: { type: 'reset' } });
      const before = sim.requests.length;
      const error = left(await provider.retry(ref)());
      expect(error).toMatchObject({ kind: 'network', retryable: false, outcome: 'unknown', userRef: ref });
      expect(sim.requests.slice(before).map((entry) => `${entry.method} ${entry.status}`)).toEqual([
        'POST 0',
        'GET 200',
      ]);
    });

    it('answers a wrong API key with 401 -> unauthorized', async () => {
      const other = wire(sim, { apiKey: 'sk_staging_not_the_simulator' });
      try {
        const error = left(await other.provider.getStatus(pluRef('kycsim-user-abc'))());
        expect(error).toMatchObject({ kind: 'unauthorized', httpStatus: 401 });
      } finally {
        other.close();
      }
    });
  },
);

describe.each(PLU_VARIANTS.map((variant) => [variant.name, variant] as const))(
  'plu (simulator, %s): paging and environment wiring',
  (_name, variant) => {
    let sim: PluSimulator;

    beforeAll(async () => {
      sim = await startPluSimulator(variant.options);
    });
    afterAll(() => sim.close());

    it('wires from the environment variables and scans the pages the simulator gives to find a user', async () => {
      const config = pluAdapter.configFromEnv(sim.environment);
      if (config._tag === 'Left') throw new Error(config.left.message);
      const observer = countingObserver();
      const { provider, close } = pluAdapter.create(config.right, { observer });
      try {
        const refs: string[] = [];
        for (let index = 0; index < 150; index += 1)
          refs.push(await createdUser(sim.baseUrl, email('paging')));
        const last = refs[refs.length - 1] as string;
        await sim.completeHostedFlow(last, 'approved');
        const before = observer.count();
        expect(right(await provider.getStatus(pluRef(last))()).state.status).toBe('approved');
        // Pages of 100 asked; a variant capping them at 50 (with or without total) takes 3 GETs.
        const pages = Math.ceil(150 / (variant.options.pageLimitCap ?? 100));
        expect(observer.count() - before).toBe(pages);
        const listCalls = sim.requests.filter((entry) => entry.method === 'GET' && entry.path === LIST);
        expect(listCalls).toHaveLength(pages);
        // A user not listed: not_found only after the list ended (an empty page without total).
        const scanned = sim.requests.length;
        expect(left(await provider.getStatus(pluRef('kycsim-user-nobody'))())).toMatchObject({
          kind: 'not_found',
        });
        const emptyPage = variant.options.omitTotal === true ? 1 : 0;
        expect(sim.requests.length - scanned).toBe(pages + emptyPage);
      } finally {
        close();
      }
    });
  },
);
