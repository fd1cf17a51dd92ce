/**
 * The P100 adapter against the P100 simulator over loopback, built with `p100Adapter` (no
 * container): the shared contract suite (as with nock), a full onboarding with webhooks, the
 * attempt cap and faults.
 */
import * as E from 'fp-ts/Either';
import { userRef } from '@kycport/core';
import type {
  KycEvent,
  KycProvider,
  KycResult,
  KycWebhookHandler,
  SubmitVerificationInput,
  UserRef,
  WebhookRequest,
} from '@kycport/core';
import {
  P100_SIMULATOR_API_KEY,
  P100_SIMULATOR_WEBHOOK_TOKEN,
  startP100Simulator,
} from '@kycport/simulators';
import type { P100Simulator } from '@kycport/simulators';
import { describeKycProviderContract } from '@kycport/testing';
import { createP100WebhookHandler, p100Adapter } from '../../src';
import {
  call,
  createUserBody,
  filesForm,
  hostedOptions,
  inputFor,
  left,
  p100Ref,
  right,
  simId,
  startReceiver,
  wireP100,
} from './support';
import type { ReceivedWebhook, Receiver } from './support';

const retryOptions = {
  strategy: { kind: 'auto' as const },
  providerOptions: { p100: { ...hostedOptions, country: 'PL' } },
};
const documentData = (number: string) =>
  ({
    document: { type: 'id_card' as const, number, expirationDate: '2030-06-11' },
    providerOptions: {
      p100: { openAccountReason: 'DAILY_USE', incomeSource: 'SALARY', occupation: 'IT', riskLvl: 'LOW' },
    },
  }) satisfies SubmitVerificationInput;
const pdf = () => ({
  purpose: 'proof_of_address' as const,
  fileName: 'bill.pdf',
  contentType: 'application/pdf',
  data: new Uint8Array(64).fill(7),
});

let counter = 0;
const nextId = (label: string) => `${label}-${(counter += 1)}`;

describeKycProviderContract('p100 (simulator)', async () => {
  const sim = await startP100Simulator();
  const receiver = await startReceiver();
  sim.setWebhookUrl(receiver.url);
  const { provider, webhooks, observer, close } = wireP100(sim);
  const validInput = inputFor('contract-valid-input');

  /** A user created at the simulator (no verification yet), optionally moved to a P100 state. */
  const user = async (state?: string): Promise<{ ref: UserRef }> => {
    const id = nextId('contract');
    const answer = await call(sim.baseUrl, 'POST', '/v1/user/balances/crypto-and-fiat', createUserBody(id));
    expect(answer.status).toBe(201);
    if (state !== undefined) await sim.setUserState(id, state);
    return { ref: p100Ref(id) };
  };
  /** A user whose Method A reviews reached the cap (P430 is documented on Add User Verification). */
  const withReviews = async (count: number) => {
    const { ref } = await user();
    const id = simId(ref);
    const upload = () =>
      call(sim.baseUrl, 'POST', `/v1/user/kyc-files/${id}`, filesForm([{ type: 'image/jpeg', size: 8 }]));
    for (let index = 0; index < count; index += 1) {
      await upload();
      const data = documentData(nextId('CAP')).document;
      const body = {
        externalUserId: id,
        documentType: 'ID_CARD',
        documentNumber: data.number,
        openAccountReason: 'DAILY_USE',
        incomeSource: 'SALARY',
        occupation: 'IT',
      };
      expect((await call(sim.baseUrl, 'POST', '/v1/user/verification', body)).status).toBe(201);
      await sim.completeHostedFlow(id, 'denied');
    }
    await upload();
    return { ref };
  };

  /** A real delivery from the simulator, captured by the receiver. */
  const capturedWebhook = async (): Promise<{ delivery: ReceivedWebhook; ref: UserRef }> => {
    const { ref } = await user('NOT_VERIFIED/PENDING');
    receiver.received.length = 0;
    await sim.completeHostedFlow(simId(ref), 'denied');
    await sim.webhooksIdle();
    const delivery = receiver.received[0];
    if (!delivery) throw new Error('no webhook received');
    return { delivery, ref };
  };
  const request = (delivery: ReceivedWebhook, authorization?: string, rawBody?: string): WebhookRequest => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization !== undefined) headers.authorization = authorization;
    return { headers, rawBody: rawBody ?? delivery.rawBody };
  };

  return {
    provider,
    webhooks,
    callCount: () => observer.count(),
    validInput,
    someRef: p100Ref('contract-some-ref'),
    secrets: [P100_SIMULATOR_API_KEY, P100_SIMULATOR_WEBHOOK_TOKEN],
    successes: [
      {
        name: 'create user and start the hosted verification',
        operation: 'createUser',
        arrange: () => ({}),
        input: validInput,
        expectedStatus: 'action_required',
        check: (result) =>
          expect(result).toMatchObject({
            state: {
              nextAction: {
                type: 'redirect',
                url: expect.stringMatching(
                  new RegExp(`^${sim.baseUrl}/v1/kyc/verification/contract-valid-input/`),
                ),
              },
            },
          }),
      },
      {
        name: 'status pending',
        operation: 'getStatus',
        arrange: () => user('NOT_VERIFIED/PENDING'),
        expectedStatus: 'pending',
      },
      {
        name: 'status in review',
        operation: 'getStatus',
        arrange: () => user('NOT_VERIFIED/VERIFICATION'),
        expectedStatus: 'in_review',
      },
      {
        name: 'status approved',
        operation: 'getStatus',
        arrange: () => user('VERIFIED/SUCCESSFUL'),
        expectedStatus: 'approved',
      },
      {
        name: 'status denied with reason',
        operation: 'getStatus',
        arrange: () => user('NOT_VERIFIED/REJECTED_BY_PROVIDER'),
        expectedStatus: 'denied',
        check: (result) => expect(result).toMatchObject({ state: { reasonCodes: ['NO_FACE_FOUND'] } }),
      },
      {
        name: 'status expired',
        operation: 'getStatus',
        arrange: () => user('EXPIRED/SUCCESSFUL'),
        expectedStatus: 'expired',
      },
      {
        name: 'status documents accepted: document data due',
        operation: 'getStatus',
        arrange: () => user('NOT_VERIFIED/SUCCESSFUL'),
        expectedStatus: 'action_required',
      },
      {
        name: 'status KYC not found (P445) is a state',
        operation: 'getStatus',
        arrange: () => user(),
        expectedStatus: 'action_required',
        check: (result) => expect(result).toMatchObject({ state: { reasonCodes: ['P445'] } }),
      },
      {
        name: 'retry starts a new verification after a denial',
        operation: 'retry',
        arrange: () => user('NOT_VERIFIED/REJECTED_BY_PROVIDER'),
        options: retryOptions,
        expectedStatus: 'action_required',
      },
      {
        name: 'submit document data after the accepted capture',
        operation: 'submitVerification',
        arrange: () => user('NOT_VERIFIED/SUCCESSFUL'),
        input: documentData('CONTRACT-DOC-1'),
        expectedStatus: 'in_review',
      },
      {
        name: 'submit passport files',
        operation: 'submitVerification',
        arrange: () => user(),
        input: {
          document: { type: 'passport' },
          files: [
            {
              purpose: 'document_front',
              fileName: 'passport.jpg',
              contentType: 'image/jpeg',
              data: new Uint8Array(32),
            },
            {
              purpose: 'selfie',
              fileName: 'selfie.jpg',
              contentType: 'image/jpeg',
              data: new Uint8Array(32),
            },
          ],
        },
        expectedStatus: 'action_required',
      },
      {
        name: 'submit a proof of address',
        operation: 'submitVerification',
        arrange: () => user(),
        input: { files: [pdf()] },
        expectedStatus: 'pending',
      },
      {
        name: 'createUser repeated for a user P100 has (P411): reads it and starts the verification',
        operation: 'createUser',
        arrange: async () => {
          await call(
            sim.baseUrl,
            'POST',
            '/v1/user/balances/crypto-and-fiat',
            createUserBody('contract-duplicate'),
          );
          return {};
        },
        input: inputFor('contract-duplicate'),
        expectedStatus: 'action_required',
        check: (result) =>
          expect(result).toMatchObject({
            userRef: p100Ref('contract-duplicate'),
            state: { nextAction: { type: 'redirect' } },
          }),
      },
      {
        name: 'submit nothing (hosted): starts a verification',
        operation: 'submitVerification',
        arrange: () => user(),
        input: { providerOptions: retryOptions.providerOptions },
        expectedStatus: 'action_required',
      },
    ],
    failures: [
      {
        name: 'unknown user (P412)',
        operation: 'getStatus',
        arrange: () => ({ ref: p100Ref('contract-nobody') }),
        expectedKind: 'not_found',
        expectedCode: 'P412',
      },
      {
        name: 'P500 arriving as 400 on every attempt',
        operation: 'getStatus',
        arrange: async () => {
          const arranged = await user('NOT_VERIFIED/PENDING');
          sim.injectProviderError({ code: 'P500', method: 'GET', times: 3 });
          return arranged;
        },
        expectedKind: 'provider_unavailable',
        expectedCode: 'P500',
        expectedRetryable: true,
      },
      {
        name: 'P501 on create user',
        operation: 'createUser',
        arrange: () => {
          sim.injectProviderError({ method: 'POST', path: '/v1/user/balances/crypto-and-fiat' });
          return {};
        },
        input: inputFor('contract-p501'),
        expectedKind: 'provider_unavailable',
        expectedCode: 'P501',
        expectedRetryable: true,
      },
      {
        name: 'validation at P100 (P403, no errorName): birth date in the future',
        operation: 'createUser',
        arrange: () => ({}),
        input: {
          ...inputFor('contract-future'),
          applicant: { ...inputFor('contract-future').applicant, dateOfBirth: '2999-01-01' },
        },
        expectedKind: 'validation',
        expectedCode: 'P403',
      },
      {
        name: 'too many verifications (P430 on Add User Verification)',
        operation: 'submitVerification',
        arrange: () => withReviews(3),
        input: documentData('CONTRACT-DOC-CAP'),
        expectedKind: 'retry_limit_reached',
        expectedCode: 'P430',
      },
      {
        name: 'already verified: retry is refused by its status read (no start)',
        operation: 'retry',
        arrange: () => user('VERIFIED/SUCCESSFUL'),
        options: retryOptions,
        expectedKind: 'invalid_state',
      },
      {
        name: 'KYC not valid or expired (P446)',
        operation: 'submitVerification',
        arrange: () => user('EXPIRED/SUCCESSFUL'),
        input: documentData('CONTRACT-DOC-2'),
        expectedKind: 'invalid_state',
        expectedCode: 'P446',
      },
      {
        name: 'missing KYC files (P427 as 404)',
        operation: 'submitVerification',
        arrange: () => user(),
        input: documentData('CONTRACT-DOC-3'),
        expectedKind: 'invalid_state',
        expectedCode: 'P427',
      },
      {
        name: 'document number in use (P466)',
        operation: 'submitVerification',
        arrange: async () => {
          // The suite arranges each failure more than once (kinds, then outcomes): the number is
          // taken by the first owner, so a later owner's own P466 is expected.
          const owner = await user('NOT_VERIFIED/SUCCESSFUL');
          const taken = await provider.submitVerification(owner.ref, documentData('CONTRACT-DOC-4'))();
          if (E.isLeft(taken)) expect(taken.left.providerCode).toBe('P466');
          return user('NOT_VERIFIED/SUCCESSFUL');
        },
        input: documentData('CONTRACT-DOC-4'),
        expectedKind: 'conflict',
        expectedCode: 'P466',
      },
      {
        name: 'POA already verified (P447)',
        operation: 'submitVerification',
        arrange: () => user('POA/APPROVED'),
        input: { files: [pdf()] },
        expectedKind: 'invalid_state',
        expectedCode: 'P447',
      },
    ],
    invalidInputs: [
      {
        name: 'bad phone',
        operation: 'createUser',
        input: { ...validInput, applicant: { ...validInput.applicant, phone: '601-233-456' } },
        expectedPath: 'applicant.phone',
      },
      {
        name: 'terms not accepted',
        operation: 'createUser',
        input: { ...validInput, applicant: { ...validInput.applicant, termsAccepted: false } },
        expectedPath: 'applicant.termsAccepted',
      },
      {
        name: 'SALARY without occupation',
        operation: 'createUser',
        input: { ...validInput, providerOptions: { p100: { ...hostedOptions, occupation: undefined } } },
        expectedPath: 'providerOptions.p100.occupation',
      },
      { name: 'blank ref', operation: 'getStatus', ref: userRef(' '), expectedPath: 'ref' },
      {
        name: 'retry without the verification fields',
        operation: 'retry',
        ref: p100Ref('contract-some-ref'),
        options: { strategy: { kind: 'auto' } },
        expectedPath: 'providerOptions.p100.documentType',
      },
      {
        name: 'POA file of a wrong type',
        operation: 'submitVerification',
        ref: p100Ref('contract-some-ref'),
        input: {
          files: [
            {
              purpose: 'proof_of_address',
              fileName: 'bill.gif',
              contentType: 'image/gif',
              data: new Uint8Array(8),
            },
          ],
        },
        expectedPath: 'files.0.contentType',
      },
    ],
    webhookScenarios: {
      authentic: async () => {
        const { delivery, ref } = await capturedWebhook();
        return { request: { headers: delivery.headers, rawBody: delivery.rawBody }, expectedRef: ref };
      },
      rejected: [
        {
          name: 'forged token',
          request: async () => request((await capturedWebhook()).delivery, 'not-the-token'),
        },
        { name: 'missing Authorization', request: async () => request((await capturedWebhook()).delivery) },
        {
          name: 'authentic token but not JSON',
          request: async () =>
            request((await capturedWebhook()).delivery, P100_SIMULATOR_WEBHOOK_TOKEN, 'not json'),
        },
      ],
    },
    afterEach: async () => {
      sim.clearFaults();
      await sim.webhooksIdle();
    },
    close: async () => {
      close();
      await sim.close();
      await receiver.close();
    },
  };
});

describe('p100 (simulator): onboarding', () => {
  let sim: P100Simulator;
  let receiver: Receiver;
  let provider: KycProvider;
  let webhooks: KycWebhookHandler;
  let closeProvider: () => void;
  /** Webhooks received and verified by the adapter's handler (401 for the ones it rejects). */
  let events: KycEvent[];

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await startP100Simulator({ webhookUrl: receiver.url });
    ({ provider, webhooks, close: closeProvider } = wireP100(sim));
    receiver.respond = async (delivery) => {
      const result = await webhooks.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody })();
      if (result._tag === 'Left') return 401;
      events.push(result.right);
      return 200;
    };
  });
  beforeEach(() => {
    events = [];
  });
  afterEach(async () => {
    sim.clearFaults();
    await sim.webhooksIdle();
  });
  afterAll(async () => {
    closeProvider();
    await sim.close();
    await receiver.close();
  });

  const statusOf = async (ref: UserRef) => right(await provider.getStatus(ref)()).state;
  const kycEventsOf = (ref: UserRef) =>
    events.filter((event) => event.userRef === ref && event.type === 'kyc.verification_status');

  it('create -> hosted flow denied -> webhook -> denied -> retry -> hosted flow approved -> webhook -> approved', async () => {
    const id = nextId('onboarding');
    const created: KycResult = right(await provider.createUser(inputFor(id))());
    expect(created.state).toMatchObject({ status: 'action_required', nextAction: { type: 'redirect' } });
    const firstUrl = (created.state.nextAction as { url: string }).url;
    expect(firstUrl.startsWith(`${sim.baseUrl}/v1/kyc/verification/${id}/`)).toBe(true);
    // What the user's browser gets (no API key).
    const page = await fetch(firstUrl);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    await page.text();
    const ref = created.userRef;
    // The host holds the provider-qualified ref; the simulator knows the externalUserId.
    expect(ref).toBe(p100Ref(id));
    expect(await statusOf(ref)).toMatchObject({ status: 'pending', providerStatus: 'NOT_VERIFIED/PENDING' });

    await sim.completeHostedFlow(simId(ref), 'denied');
    await sim.webhooksIdle();
    expect(kycEventsOf(ref)).toEqual([
      expect.objectContaining({
        stateIncluded: true,
        state: expect.objectContaining({ status: 'denied', reasonCodes: ['NO_FACE_FOUND'] }),
      }),
    ]);
    expect(await statusOf(ref)).toMatchObject({ status: 'denied', reasonCodes: ['NO_FACE_FOUND'] });

    const retried = right(await provider.retry(ref, retryOptions)());
    expect(retried.state).toMatchObject({ status: 'action_required', nextAction: { type: 'redirect' } });
    expect((retried.state.nextAction as { url: string }).url).not.toBe(firstUrl);
    expect(await statusOf(ref)).toMatchObject({ status: 'pending' });

    // No outcome: the sandbox convention decides (lastName Kowalski: the capture is accepted).
    await sim.completeHostedFlow(simId(ref));
    await sim.webhooksIdle();
    // Method B step 5: the document data is due, then P100 processes it and gives its verdict.
    expect(await statusOf(ref)).toMatchObject({
      status: 'action_required',
      nextAction: { type: 'submit_verification', missing: ['document_data'] },
    });
    right(await provider.submitVerification(ref, documentData(nextId('DOC')))());
    expect(await statusOf(ref)).toMatchObject({ status: 'pending', providerStatus: 'NOT_VERIFIED/PENDING' });
    await sim.completeHostedFlow(simId(ref));
    await sim.webhooksIdle();
    expect(kycEventsOf(ref).map((event) => event.stateIncluded && event.state.status)).toEqual([
      'denied',
      'action_required',
      'approved',
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'user.status', userRef: ref, detail: 'ACTIVE' }),
    );
    expect(await statusOf(ref)).toMatchObject({ status: 'approved', providerStatus: 'VERIFIED/SUCCESSFUL' });
    // Every delivery was accepted by the adapter's handler.
    expect(sim.webhookDeliveries.every((delivery) => delivery.delivered)).toBe(true);

    // Issue 12: refused by the status read; P100 sees no POST /v1/kyc.
    const startsBefore = sim.requests.filter((entry) => entry.path === '/v1/kyc').length;
    const again = left(await provider.retry(ref, retryOptions)());
    expect([again.kind, again.outcome]).toEqual(['invalid_state', 'not_sent']);
    expect(sim.requests.filter((entry) => entry.path === '/v1/kyc')).toHaveLength(startsBefore);
  });

  it('denies by the lastName convention', async () => {
    const created = right(await provider.createUser(inputFor(nextId('denied'), 'Kowalski Denied'))());
    await sim.completeHostedFlow(simId(created.userRef));
    expect(await statusOf(created.userRef)).toMatchObject({ status: 'denied' });
  });

  it('Method A (document upload): files, data, review', async () => {
    const wired = wireP100(sim, { kycMethod: 'document_upload' });
    try {
      const created = right(await wired.provider.createUser(inputFor(nextId('method-a')))());
      expect(created.state.nextAction.type).toBe('submit_verification');
      const image = (purpose: 'document_front' | 'selfie') => ({
        purpose,
        fileName: `${purpose}.jpg`,
        contentType: 'image/jpeg',
        data: new Uint8Array(32).fill(1),
      });
      const files = right(
        await wired.provider.submitVerification(created.userRef, {
          document: { type: 'passport' },
          files: [image('document_front'), image('selfie')],
        })(),
      );
      expect(files.state).toMatchObject({ nextAction: { missing: ['document_data'] } });
      right(await wired.provider.submitVerification(created.userRef, documentData(nextId('DOC')))());
      expect(right(await wired.provider.getStatus(created.userRef)()).state.status).toBe('pending');
      await sim.completeHostedFlow(simId(created.userRef), 'approved');
      expect(right(await wired.provider.getStatus(created.userRef)()).state.status).toBe('approved');
    } finally {
      wired.close();
    }
  });

  it('a 429 with Retry-After and a P501 on getStatus are retried by the transport and succeed', async () => {
    const created = right(await provider.createUser(inputFor(nextId('faults')))());
    const path = `/v1/kyc/status/${simId(created.userRef)}`;
    sim.injectFault({ fault: { type: 'status', status: 429, retryAfterSeconds: 1 }, method: 'GET', path });
    expect(await statusOf(created.userRef)).toMatchObject({ status: 'pending' });
    sim.injectProviderError({ code: 'P501', method: 'GET', path });
    expect(await statusOf(created.userRef)).toMatchObject({ status: 'pending' });
    sim.injectFault({ fault: { type: 'status', status: 503 }, method: 'GET', path });
    expect(await statusOf(created.userRef)).toMatchObject({ status: 'pending' });
    const statuses = sim.requests.filter((entry) => entry.path === path).map((entry) => entry.status);
    expect(statuses).toEqual([429, 200, 400, 200, 503, 200]);
    // A POST is never resent: P501 comes back as a retryable error (after a denial: the read allows a start).
    await sim.completeHostedFlow(simId(created.userRef), 'denied');
    sim.injectProviderError({ method: 'POST', path: '/v1/kyc' });
    const failed = left(await provider.retry(created.userRef, retryOptions)());
    expect([failed.kind, failed.providerCode, failed.retryable]).toEqual([
      'provider_unavailable',
      'P501',
      true,
    ]);
  });

  it('refuses a wrong API key with xo2 (unauthorized)', async () => {
    const wrong = wireP100(sim, { apiKey: 'not-the-simulator-key' });
    try {
      const error = left(await wrong.provider.getStatus(p100Ref('anyone'))());
      expect([error.kind, error.providerCode]).toEqual(['unauthorized', 'xo2']);
    } finally {
      wrong.close();
    }
  });

  it('wires from the simulator environment (P100_* variables)', async () => {
    const config = p100Adapter.configFromEnv(sim.environment);
    if (E.isLeft(config)) throw new Error(config.left.message);
    const fromEnv = p100Adapter.create(config.right);
    try {
      const created = right(await fromEnv.provider.createUser(inputFor(nextId('env')))());
      expect(created.state.status).toBe('action_required');
      const handler = createP100WebhookHandler(sim.environment.P100_WEBHOOK_TOKEN);
      expect(handler.provider).toBe('p100');
    } finally {
      fromEnv.close();
    }
  });
});
