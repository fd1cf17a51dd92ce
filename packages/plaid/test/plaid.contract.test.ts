/**
 * The shared contract suite against the Plaid adapter, with nock answering as Plaid does (fixtures
 * built from the spec's examples). Every request body is also checked against the published schema.
 */
import nock from 'nock';
import { userRef } from '@kycport/core';
import type { RetryResult, StatusResult } from '@kycport/core';
import { routedHarness } from '@kycport/fixtures';
import { createPluProvider } from '@kycport/plu';
import { countingObserver, describeKycProviderContract } from '@kycport/testing';
import type { ContractHarness } from '@kycport/testing';
import { createPlaidProvider } from '../src/plaid-adapter';
import {
  CLIENT_ID,
  NOW_MS,
  SECRET,
  activeAttempt,
  attempt,
  checkBody,
  config,
  failedAttempt,
  hs256Token,
  mockKey,
  plaid,
  plaidError,
  plaidRef,
  resetWire,
  signWebhook,
  unsignedToken,
  validInput,
  webhookBody,
  webhookKey,
  wireProblems,
  mockList,
} from './plaid-test-kit';
import type { WebhookKey } from './plaid-test-kit';

const REF = plaidRef(validInput.applicant.externalId);

async function plaidHarness(): Promise<ContractHarness> {
  const observer = countingObserver();
  const provider = createPlaidProvider(config, {
    observer,
    transport: { sleep: async () => undefined },
    now: () => NOW_MS,
  });
  const key: WebhookKey = await webhookKey('bfbd5111-8e33-4643-8ced-b2e642a72f3c');
  const otherKey: WebhookKey = await webhookKey('bfbd5111-8e33-4643-8ced-b2e642a72f3c');

  /** The key endpoint answers once per process; the verifier caches it. */
  const keyOnce = () => mockKey(key).persist();
  const authenticDelivery = async () => {
    keyOnce();
    plaid()
      .post('/identity_verification/get', checkBody('/identity_verification/get'))
      .times(2)
      .reply(200, activeAttempt({ id: 'idv_52xR9LKo77r1Np' }));
    return signWebhook(key, webhookBody());
  };

  return {
    provider,
    webhooks: provider.webhooks,
    callCount: () => observer.count(),
    validInput,
    someRef: REF,
    secrets: [SECRET, CLIENT_ID],
    afterEach: () => {
      expect(wireProblems).toEqual([]);
      resetWire();
    },
    close: () => provider.close(),
    successes: [
      {
        name: 'create returns the shareable URL',
        operation: 'createUser',
        arrange: () => {
          plaid()
            .post('/identity_verification/create', checkBody('/identity_verification/create'))
            .reply(200, activeAttempt());
          return {};
        },
        expectedStatus: 'action_required',
        check: (result) => {
          expect((result as StatusResult).state.nextAction).toEqual({
            type: 'redirect',
            url: 'https://flow.plaid.com/verify/idv_new0000000001?key=abc123',
          });
          expect((result as StatusResult).userRef).toBe(REF);
        },
      },
      {
        name: 'status approved (newest of two attempts)',
        operation: 'getStatus',
        arrange: () => {
          mockList([
            failedAttempt('kyc_check', { created_at: '2026-01-01T00:00:00Z' }),
            attempt({ id: 'idv_success0000001', status: 'success', created_at: '2026-01-02T00:00:00Z' }),
          ]);
          return { ref: REF };
        },
        expectedStatus: 'approved',
        check: (result) => expect((result as StatusResult).state.attempt).toBe(2),
      },
      {
        name: 'status denied with failed steps as reason codes',
        operation: 'getStatus',
        arrange: () => {
          mockList([failedAttempt('documentary_verification')]);
          return { ref: REF };
        },
        expectedStatus: 'denied',
        check: (result) =>
          expect((result as StatusResult).state.reasonCodes).toEqual(['documentary_verification']),
      },
      {
        name: 'status pending_review',
        operation: 'getStatus',
        arrange: () => {
          mockList([attempt({ status: 'pending_review', steps: { watchlist_screening: 'pending_review' } })]);
          return { ref: REF };
        },
        expectedStatus: 'in_review',
      },
      {
        name: 'retry after a failure (auto -> infer)',
        operation: 'retry',
        arrange: () => {
          mockList([failedAttempt()]);
          plaid()
            .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
            .reply(200, activeAttempt({ previous_attempt_id: 'idv_failed00000001' }));
          return { ref: REF };
        },
        expectedStatus: 'action_required',
        check: (result) => expect((result as RetryResult).attempts).toEqual({ count: 2 }),
      },
    ],
    failures: [
      {
        name: 'invalid API keys',
        operation: 'createUser',
        arrange: () => {
          plaid()
            .post('/identity_verification/create')
            .reply(400, plaidError('INVALID_INPUT', 'INVALID_API_KEYS'));
          return {};
        },
        expectedKind: 'unauthorized',
        expectedCode: 'INVALID_API_KEYS',
        expectedRetryable: false,
      },
      {
        name: 'environment not enabled',
        operation: 'getStatus',
        arrange: () => {
          plaid()
            .post('/identity_verification/list')
            .reply(400, plaidError('INVALID_INPUT', 'UNAUTHORIZED_ENVIRONMENT'));
          return { ref: REF };
        },
        expectedKind: 'forbidden',
        expectedCode: 'UNAUTHORIZED_ENVIRONMENT',
      },
      {
        name: 'rate limited',
        operation: 'getStatus',
        arrange: () => {
          plaid()
            .post('/identity_verification/list')
            .times(3)
            .reply(429, plaidError('RATE_LIMIT_EXCEEDED', 'RATE_LIMIT'));
          return { ref: REF };
        },
        expectedKind: 'rate_limited',
        expectedCode: 'RATE_LIMIT',
        expectedRetryable: true,
      },
      {
        name: 'internal server error',
        operation: 'createUser',
        arrange: () => {
          plaid()
            .post('/identity_verification/create')
            .times(3)
            .reply(500, plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR'));
          return {};
        },
        expectedKind: 'provider_unavailable',
        expectedCode: 'INTERNAL_SERVER_ERROR',
        expectedRetryable: true,
      },
      {
        name: 'planned maintenance',
        operation: 'getStatus',
        arrange: () => {
          plaid()
            .post('/identity_verification/list')
            .times(3)
            .reply(503, plaidError('API_ERROR', 'PLANNED_MAINTENANCE'));
          return { ref: REF };
        },
        expectedKind: 'provider_unavailable',
        expectedCode: 'PLANNED_MAINTENANCE',
      },
      {
        name: 'unknown user',
        operation: 'getStatus',
        arrange: () => {
          mockList([]);
          return { ref: plaidRef('host-user-nobody') };
        },
        expectedKind: 'not_found',
      },
      {
        name: 'auto retry while the attempt is active (refused locally)',
        operation: 'retry',
        arrange: () => {
          mockList([activeAttempt()]);
          return { ref: REF };
        },
        expectedKind: 'invalid_state',
      },
      {
        name: 'Plaid refuses the retry strategy',
        operation: 'retry',
        options: { strategy: { kind: 'resume' } },
        arrange: () => {
          mockList([failedAttempt('kyc_check')]);
          plaid()
            .post('/identity_verification/retry')
            .reply(400, plaidError('INVALID_REQUEST', 'INVALID_FIELD'));
          return { ref: REF };
        },
        expectedKind: 'invalid_state',
        expectedCode: 'INVALID_FIELD',
      },
      {
        name: 'HTML gateway error',
        operation: 'getStatus',
        arrange: () => {
          plaid().post('/identity_verification/list').times(3).reply(502, '<html>Bad gateway</html>');
          return { ref: REF };
        },
        expectedKind: 'provider_unavailable',
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
        name: 'missing externalId',
        operation: 'createUser',
        input: { applicant: { ...validInput.applicant, externalId: '' } },
        expectedPath: 'applicant.externalId',
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
        name: 'region with country prefix',
        operation: 'createUser',
        input: {
          applicant: {
            ...validInput.applicant,
            address: { line1: '1 Main St', city: 'Pawnee', region: 'US-IN', country: 'US' },
          },
        },
        expectedPath: 'applicant.address.region',
      },
      {
        name: 'id number type unknown to Plaid',
        operation: 'createUser',
        input: { applicant: { ...validInput.applicant, idNumber: { type: 'national_id', value: '123' } } },
        expectedPath: 'applicant.idNumber.type',
      },
      {
        name: 'bad provider option',
        operation: 'createUser',
        input: { ...validInput, providerOptions: { plaid: { isShareable: 'yes' } } },
        expectedPath: 'providerOptions.plaid.isShareable',
      },
      { name: 'blank ref', operation: 'getStatus', ref: userRef(' '), expectedPath: 'ref' },
      {
        name: 'custom retry without steps',
        operation: 'retry',
        ref: REF,
        options: { strategy: { kind: 'custom' } as never },
        expectedPath: 'strategy.steps',
      },
    ],
    webhookScenarios: {
      authentic: async () => ({ request: await authenticDelivery(), expectedRef: REF }),
      rejected: [
        {
          name: 'missing Plaid-Verification header',
          request: () => ({ headers: {}, rawBody: webhookBody() }),
        },
        {
          name: 'not a JWT',
          request: () => ({ headers: { 'Plaid-Verification': 'not-a-jwt' }, rawBody: webhookBody() }),
        },
        {
          name: 'alg none',
          request: () => ({
            headers: { 'Plaid-Verification': unsignedToken(key.kid, webhookBody()) },
            rawBody: webhookBody(),
          }),
        },
        {
          name: 'HS256 (algorithm confusion)',
          request: async () => ({
            headers: { 'Plaid-Verification': await hs256Token(key.kid, webhookBody()) },
            rawBody: webhookBody(),
          }),
        },
        {
          name: 'forged signature (another key, same kid)',
          request: async () => {
            keyOnce();
            return signWebhook(otherKey, webhookBody());
          },
        },
        {
          name: 'tampered body',
          request: async () => {
            keyOnce();
            const signed = await signWebhook(key, webhookBody('STATUS_UPDATED'));
            return { ...signed, rawBody: webhookBody('RETRIED') };
          },
        },
        {
          name: 'signed but not an IDV webhook',
          request: async () => {
            keyOnce();
            return signWebhook(key, JSON.stringify({ hello: 'world' }));
          },
        },
      ],
    },
  };
}

describeKycProviderContract('plaid', plaidHarness);

/**
 * The same contract through a router holding Plaid and Plu (two real adapters on nock): every call
 * goes through the router's dispatch, and Plu (whose host nock never answers) receives none.
 */
const pluObserver = countingObserver();
const plu = createPluProvider(
  { apiKey: 'sk_staging_router_companion', baseUrl: 'https://plu.router-companion.invalid' },
  { observer: pluObserver },
);
describeKycProviderContract('plaid behind a router with plu', async () => {
  const routed = routedHarness(await plaidHarness(), [plu]);
  return {
    ...routed,
    afterEach: async () => {
      await routed.afterEach?.();
      expect(pluObserver.count()).toBe(0);
    },
  };
});

afterAll(() => nock.cleanAll());
