/**
 * The contract harness of the in-memory fake: what `describeKycProviderContract` needs to run the
 * shared suite on it. Exported so suites that wrap a provider (a router, a host's decorator) can run
 * the contract over the fake too.
 */
import { kycError, userRef, withQualifiedRefs } from '@kycport/core';
import type { CreateUserInput, ProviderId, UserRef } from '@kycport/core';
import { countingObserver } from '../contract/harness';
import type { ContractHarness } from '../contract/harness';
import { qualifyFakeControl } from './fake-adapter';
import { createFakeKycProvider } from './fake-kyc-provider';
import type { FakeKycProvider } from './fake-kyc-provider';

const validInput: CreateUserInput = {
  applicant: {
    externalId: 'host-user-1',
    name: { given: 'Jane', family: 'Doe' },
    email: 'jane.doe@example.com',
    phone: '+14155555555',
    dateOfBirth: '1990-05-15',
    address: { line1: '123 Main Street', city: 'San Francisco', postalCode: '94105', country: 'US' },
    termsAccepted: true,
  },
};

/** A fresh fake (answering as `id`, default `fake`) and the scenarios of the shared contract. */
type FreshUser = (outcome?: 'approved' | 'denied') => Promise<UserRef>;

function fakeSuccesses(freshUser: FreshUser): ContractHarness['successes'] {
  return [
    {
      name: 'create',
      operation: 'createUser',
      arrange: () => ({}),
      input: { ...validInput, applicant: { ...validInput.applicant, externalId: 'happy-create' } },
      expectedStatus: 'action_required',
    },
    {
      name: 'status approved',
      operation: 'getStatus',
      arrange: async () => ({ ref: await freshUser('approved') }),
      expectedStatus: 'approved',
    },
    {
      name: 'status denied',
      operation: 'getStatus',
      arrange: async () => ({ ref: await freshUser('denied') }),
      expectedStatus: 'denied',
    },
    {
      name: 'retry after denial',
      operation: 'retry',
      arrange: async () => ({ ref: await freshUser('denied') }),
      expectedStatus: 'action_required',
    },
  ];
}

function fakeFailures(
  fake: FakeKycProvider,
  freshUser: FreshUser,
  next: () => number,
): ContractHarness['failures'] {
  const id = fake.id;
  return [
    {
      name: 'unknown user',
      operation: 'getStatus',
      arrange: () => ({ ref: userRef('fake-user-nobody') }),
      expectedKind: 'not_found',
      expectedCode: 'USER_NOT_FOUND',
    },
    {
      name: 'duplicate',
      operation: 'createUser',
      arrange: async () => {
        await freshUser();
        return {};
      },
      input: {
        ...validInput,
        applicant: { ...validInput.applicant, externalId: `contract-${next()}` },
      },
      expectedKind: 'conflict',
    },
    {
      name: 'retry while pending',
      operation: 'retry',
      arrange: async () => ({ ref: await freshUser() }),
      expectedKind: 'invalid_state',
    },
    {
      name: 'injected outage',
      operation: 'getStatus',
      arrange: async () => {
        const ref = await freshUser();
        fake.control.failNext(
          'getStatus',
          kycError('provider_unavailable', { provider: id, message: `${id}: down` }),
        );
        return { ref };
      },
      expectedKind: 'provider_unavailable',
      expectedRetryable: true,
    },
  ];
}

function fakeInvalidInputs(id: ProviderId): ContractHarness['invalidInputs'] {
  return [
    {
      name: 'bad phone',
      operation: 'createUser',
      input: { applicant: { ...validInput.applicant, phone: '555-1234' } },
      expectedPath: 'applicant.phone',
    },
    {
      name: 'terms not accepted',
      operation: 'createUser',
      input: { applicant: { ...validInput.applicant, termsAccepted: false } },
      expectedPath: 'applicant.termsAccepted',
    },
    {
      name: 'missing externalId',
      operation: 'createUser',
      input: { applicant: { ...validInput.applicant, externalId: '' } },
      expectedPath: 'applicant.externalId',
    },
    {
      name: 'bad provider options',
      operation: 'createUser',
      input: { ...validInput, providerOptions: { [id]: { outcomes: ['maybe'] } } },
      expectedPath: `providerOptions.${id}.outcomes.0`,
    },
    { name: 'blank ref', operation: 'getStatus', ref: userRef(' '), expectedPath: 'ref' },
  ];
}

function fakeWebhookScenarios(
  fake: FakeKycProvider,
  freshUser: FreshUser,
): ContractHarness['webhookScenarios'] {
  return {
    authentic: async () => {
      const ref = await freshUser();
      return { request: fake.control.completeHostedFlow(ref, 'approved'), expectedRef: ref };
    },
    rejected: [
      {
        name: 'forged signature',
        request: () => ({
          ...fake.control.signWebhook({ event: 'fake.kyc-status' }),
          headers: { 'x-fake-signature': 'deadbeef' },
        }),
      },
      { name: 'missing signature', request: () => ({ headers: {}, rawBody: '{}' }) },
      {
        name: 'tampered body',
        request: () => {
          const signed = fake.control.signWebhook({
            event: 'fake.kyc-status',
            eventId: 'e',
            occurredAt: 'x',
            data: { ref: 'a', status: 'approved', attempt: 1, reasonCodes: [] },
          });
          return { ...signed, rawBody: String(signed.rawBody).replace('approved', 'denied') };
        },
      },
      { name: 'signed but malformed', request: () => fake.control.signWebhook({ hello: 'world' }) },
      {
        name: 'signed but not JSON',
        request: () => {
          const rawBody = 'not json';
          const s = fake.control.signWebhook('');
          return { headers: s.headers, rawBody };
        },
      },
    ],
  };
}

/** A fresh fake (answering as `id`, default `fake`) and the scenarios of the shared contract. */
export function fakeContractHarness(id: ProviderId = 'fake'): ContractHarness {
  const observer = countingObserver();
  // Built as a host gets it (qualified refs), like fakeKycAdapter builds it.
  const fake = withQualifiedRefs(
    createFakeKycProvider({ id, observer, webhookSecret: 'whsec_contract_secret' }),
    qualifyFakeControl,
  );
  let counter = 0;
  const freshUser: FreshUser = async (outcome) => {
    counter += 1;
    const created = await fake.createUser({
      ...validInput,
      applicant: { ...validInput.applicant, externalId: `contract-${counter}` },
    })();
    if (created._tag === 'Left') throw new Error(created.left.message);
    if (outcome) fake.control.completeHostedFlow(created.right.userRef, outcome);
    return created.right.userRef;
  };
  return {
    provider: fake,
    webhooks: fake.webhooks,
    callCount: () => observer.count(),
    validInput,
    someRef: userRef('fake-user-someone'),
    secrets: ['whsec_contract_secret'],
    successes: fakeSuccesses(freshUser),
    failures: fakeFailures(fake, freshUser, () => counter + 1),
    invalidInputs: fakeInvalidInputs(id),
    webhookScenarios: fakeWebhookScenarios(fake, freshUser),
  };
}
