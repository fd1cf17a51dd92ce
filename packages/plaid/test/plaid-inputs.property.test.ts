/**
 * Property: every port method answers any ref, input and options with a Right or a typed Left
 * (never a throw or a rejection), and a refused input sends nothing (requests counted with nock).
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import nock from 'nock';
import type { CreateUserInput, RetryOptions, UserRef } from '@kycport/core';
import { createPlaidProvider } from '../src/plaid-adapter';
import type { PlaidProvider } from '../src/plaid-provider';
import { PROPERTY_TIMEOUT_MS, anything, expectTypedResult, hostileText } from './plaid-property-kit';
import {
  BASE_URL,
  activeAttempt,
  attempt,
  config,
  failedAttempt,
  listOf,
  plaidRef,
  validInput,
} from './plaid-test-kit';

let provider: PlaidProvider;
let requests = 0;

const ANSWERS: Readonly<Record<string, unknown>> = {
  '/identity_verification/create': activeAttempt(),
  '/identity_verification/list': listOf([failedAttempt()]),
  '/identity_verification/retry': activeAttempt({ previous_attempt_id: 'idv_failed00000001' }),
  '/identity_verification/get': attempt(),
};

beforeEach(() => {
  requests = 0;
  provider = createPlaidProvider(config, { transport: { retry: false } });
  nock(BASE_URL)
    .persist()
    .post(/.*/)
    .reply((uri) => {
      requests += 1;
      return [200, ANSWERS[uri] ?? {}];
    });
});
afterEach(() => {
  provider.close();
  nock.cleanAll();
});

/** Bare (legacy) and qualified refs, Plaid's own and other providers', around hostile text. */
const ref = fc.oneof(
  hostileText,
  anything,
  fc.constant('host-user-1'),
  fc.constant(plaidRef('host-user-1')),
  hostileText.map((id) => `plaid:${id}`),
  fc.constantFrom('plu', 'p100', 'fake').map((other) => `${other}:host-user-1`),
) as fc.Arbitrary<UserRef>;

/** Anything, or a Plaid event whose ref is any of the refs above. */
const event = fc.oneof(
  anything,
  ref.map((userRef) => ({ provider: 'plaid', stateIncluded: false, resourceId: 'idv_1', userRef })),
);

const strategy = fc.oneof(
  anything,
  fc.constantFrom(
    { kind: 'auto' },
    { kind: 'restart' },
    { kind: 'resume' },
    {
      kind: 'custom',
      steps: { verifySms: true, kycCheck: false, documentaryVerification: true, selfieCheck: false },
    },
  ),
);

const hostileField = fc.oneof(hostileText, anything);

/** Retry's corrected identity data: valid (so `/retry` carries a user), one field hostile, or anything. */
const retryApplicant = fc.oneof(
  fc.constant({ name: { given: 'Leslie', family: 'Knope' }, dateOfBirth: '1975-01-18' }),
  fc.record(
    {
      name: fc.oneof(anything, fc.record({ given: hostileField, family: hostileField })),
      email: hostileField,
      phone: hostileField,
      dateOfBirth: hostileField,
      address: fc.oneof(
        anything,
        fc.record({
          line1: hostileField,
          city: hostileField,
          country: hostileField,
          postalCode: hostileField,
        }),
      ),
      idNumber: fc.oneof(anything, fc.record({ type: hostileField, value: hostileField })),
      externalId: hostileField,
    },
    { requiredKeys: [] },
  ),
  anything,
);

const plaidOptions = fc.record(
  {
    isShareable: fc.oneof(fc.boolean(), anything),
    checkStateFirst: fc.oneof(fc.boolean(), anything),
    expectedAttempts: fc.oneof(fc.integer({ min: -1, max: 3 }), anything),
    gaveConsent: fc.oneof(fc.boolean(), anything),
    address: fc.oneof(fc.constantFrom('full', 'country_only'), anything),
    applicant: retryApplicant,
  },
  { requiredKeys: [] },
);

/** Call options: valid, missing, odd values, a real or aborted signal, or not an object at all. */
const options = fc.oneof(
  fc.constant(undefined),
  anything,
  fc.record(
    {
      timeoutMs: fc.oneof(fc.integer({ min: -5, max: 60_000 }), fc.double(), anything),
      deadlineMs: fc.oneof(fc.integer({ min: -5, max: 60_000 }), anything),
      signal: fc.oneof(
        anything,
        fc.constant(undefined),
        fc.constant(new AbortController().signal),
        fc.constant(AbortSignal.abort()),
      ),
      strategy,
      providerOptions: fc.oneof(anything, fc.record({ plaid: fc.oneof(plaidOptions, anything) })),
      idempotencyKey: anything,
    },
    { requiredKeys: [] },
  ),
) as fc.Arbitrary<RetryOptions | undefined>;

const applicantField = fc.oneof(hostileText, anything);
/** Valid inputs (so that requests happen), one field made hostile, or anything at all. */
const createInput = fc.oneof(
  fc.constant(validInput),
  fc
    .record({ externalId: fc.oneof(hostileText, fc.string({ minLength: 1, maxLength: 40 })) })
    .map((overrides) => ({ ...validInput, applicant: { ...validInput.applicant, ...overrides } })),
  fc
    .record({ providerOptions: fc.oneof(anything, fc.record({ plaid: fc.oneof(anything, plaidOptions) })) })
    .map((extra) => ({ ...validInput, ...extra })),
  anything,
  fc
    .record(
      {
        externalId: applicantField,
        email: applicantField,
        phone: applicantField,
        dateOfBirth: applicantField,
        name: fc.oneof(anything, fc.record({ given: applicantField, family: applicantField })),
        address: anything,
        idNumber: fc.oneof(anything, fc.record({ type: applicantField, value: applicantField })),
        termsAccepted: anything,
      },
      { requiredKeys: [] },
    )
    .map((overrides) => ({ applicant: { ...validInput.applicant, ...overrides } })),
) as fc.Arbitrary<CreateUserInput>;

/** Runs `call` and checks its answer; a refused input must not have sent a request. */
async function check(call: () => Promise<unknown>): Promise<void> {
  const before = requests;
  const result = expectTypedResult(await call());
  if (E.isLeft(result) && ['validation', 'unsupported'].includes(result.left.kind)) {
    expect(result.left.outcome).toBe('not_sent');
    expect(requests).toBe(before);
  }
}

describe('property: Plaid port methods never throw and send nothing for refused input', () => {
  it(
    'createUser',
    async () => {
      await fc.assert(
        fc.asyncProperty(createInput, options, (input, given) =>
          check(() => provider.createUser(input, given)()),
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'getStatus',
    async () => {
      await fc.assert(
        fc.asyncProperty(ref, options, (userRef, given) => check(() => provider.getStatus(userRef, given)())),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'retry',
    async () => {
      await fc.assert(
        fc.asyncProperty(ref, options, (userRef, given) => check(() => provider.retry(userRef, given)())),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'submitVerification',
    async () => {
      await fc.assert(
        fc.asyncProperty(ref, anything, options, (userRef, input, given) =>
          check(() => provider.submitVerification(userRef, input as never, given)()),
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'getVerification and resolvePlaidEvent',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(hostileText, anything), event, options, (id, plaidEvent, given) =>
          Promise.all([
            check(() => provider.getVerification(id as string, given)()),
            check(() => provider.resolvePlaidEvent(plaidEvent as never, given)()),
          ]).then(() => undefined),
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
