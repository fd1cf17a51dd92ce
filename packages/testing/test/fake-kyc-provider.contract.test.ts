import { kycError, userRef } from '@kycport/core';
import type { CreateUserInput } from '@kycport/core';
import { countingObserver, createFakeKycProvider, describeKycProviderContract } from '@kycport/testing';

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

describeKycProviderContract('fake', () => {
  const observer = countingObserver();
  const fake = createFakeKycProvider({ observer, webhookSecret: 'whsec_contract_secret' });
  let counter = 0;
  const freshUser = async (outcome?: 'approved' | 'denied') => {
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
    successes: [
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
    ],
    failures: [
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
          applicant: { ...validInput.applicant, externalId: `contract-${counter + 1}` },
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
            kycError('provider_unavailable', { provider: 'fake', message: 'fake: down' }),
          );
          return { ref };
        },
        expectedKind: 'provider_unavailable',
        expectedRetryable: true,
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
        input: { ...validInput, providerOptions: { fake: { outcomes: ['maybe'] } } },
        expectedPath: 'providerOptions.fake.outcomes.0',
      },
      { name: 'blank ref', operation: 'getStatus', ref: userRef(' '), expectedPath: 'ref' },
    ],
    webhookScenarios: {
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
    },
  };
});
