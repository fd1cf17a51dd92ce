import nock from 'nock';
import { userRef } from '@kycport/core';
import type { CreateUserInput, KycErrorKind } from '@kycport/core';
import { describeKycProviderContract } from '@kycport/testing';
import type { FailureScenario } from '@kycport/testing';
import { PLU_ERROR_CODES, PLU_LIST_PAGE_SIZE } from '../src';
import {
  API_KEY,
  bodyFixture,
  WEBHOOK_SECRET,
  buildProvider,
  errorBody,
  fixture,
  listPage,
  listedUser,
  plu,
  cleanNockAfterEach,
  signedDelivery,
  validInput,
  pluRef,
} from './plu-test-support';

const RETRY_PATH = (serviceId: string) => `/api/v2/partner/card/users/${serviceId}/retry-kyc`;
const CREATE_PATH = '/api/v2/partner/card/users';
const LIST_PATH = '/api/v1/partner/card/users';

const withApplicant = (changes: Partial<CreateUserInput['applicant']>): CreateUserInput => ({
  ...validInput,
  applicant: { ...validInput.applicant, ...changes },
});
const withOptions = (options: Record<string, unknown>): CreateUserInput => ({
  ...validInput,
  providerOptions: { plu: options },
});

/**
 * One retry-kyc failure per documented code: the code table is what the transport sees, except that
 * on retry a code whose kind says the request was refused (validation, invalid_state, conflict) is a
 * refusal of the retry, `invalid_state` (issue 12: none of Plu's documented codes names a retry limit).
 */
const RETRY_REFUSAL_KINDS: ReadonlyArray<KycErrorKind> = ['validation', 'invalid_state', 'conflict'];
const codeScenarios: FailureScenario[] = Object.entries(PLU_ERROR_CODES).map(([code, rule]) => {
  const status =
    code === 'INSUFFICIENT_WALLET_BALANCE'
      ? 402
      : code === 'INTERNAL_ERROR'
        ? 500
        : code === 'CARD_DEBIT_LIMIT'
          ? 429
          : code.endsWith('_NOT_FOUND') && code !== 'USER_NOT_FOUND'
            ? 404
            : 400;
  return {
    name: `${code} (HTTP ${status})`,
    operation: 'retry',
    arrange: () => {
      plu().post(RETRY_PATH('acme-user-abc123')).reply(status, errorBody(code));
      return { ref: pluRef('acme-user-abc123') };
    },
    expectedKind: RETRY_REFUSAL_KINDS.includes(rule.kind) ? 'invalid_state' : rule.kind,
    expectedCode: code,
  };
});

const statusScenarios: FailureScenario[] = (
  [
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    // The retry sends no body: a 422 is a refusal of the retry (issue 12).
    [422, 'invalid_state'],
    [429, 'rate_limited'],
    [500, 'provider_unavailable'],
  ] as ReadonlyArray<[number, KycErrorKind]>
).map(([status, kind]) => ({
  name: `HTTP ${status} with a free-text message`,
  operation: 'retry',
  arrange: () => {
    // Free text in `message` is not a code and must never reach the error.
    plu()
      .post(RETRY_PATH('acme-user-abc123'))
      .reply(status, {
        status: 'error',
        message: 'Something about jane.doe@example.com',
        data: { error: 'jane.doe@example.com' },
      });
    return { ref: pluRef('acme-user-abc123') };
  },
  expectedKind: kind,
}));

cleanNockAfterEach();

describeKycProviderContract('plu', () => {
  const { provider, observer } = buildProvider({ defaultAccountPurpose: 'personal use' });
  const documentedList = fixture('list-users-response');
  return {
    provider,
    webhooks: provider.webhooks,
    callCount: () => observer.count(),
    validInput,
    someRef: pluRef('acme-user-abc123'),
    secrets: [API_KEY, WEBHOOK_SECRET],
    afterEach: () => {
      // Every interceptor a scenario arranged must have been used.
      const pending = nock.pendingMocks();
      nock.cleanAll();
      expect(pending).toEqual([]);
    },
    close: () => provider.close(),
    successes: [
      {
        name: 'create (documented example)',
        operation: 'createUser',
        arrange: () => {
          plu()
            .post(CREATE_PATH, bodyFixture('create-user-request'))
            .reply(201, fixture('create-user-response'));
          return {};
        },
        expectedStatus: 'action_required',
        check: (result) => {
          expect(result).toMatchObject({
            userRef: pluRef('acme-user-abc123def456ghi'),
            state: {
              nextAction: {
                type: 'redirect',
                url: 'https://withpersona.com/verify?inquiry-id=inq_abc123...',
              },
            },
          });
        },
      },
      {
        name: 'status approved (documented list)',
        operation: 'getStatus',
        arrange: () => {
          plu().get(LIST_PATH).query({ skip: 0, limit: PLU_LIST_PAGE_SIZE }).reply(200, documentedList);
          return { ref: pluRef('acme-user-abc123') };
        },
        expectedStatus: 'approved',
      },
      {
        name: 'status pending_kyc (documented list)',
        operation: 'getStatus',
        arrange: () => {
          plu().get(LIST_PATH).query({ skip: 0, limit: PLU_LIST_PAGE_SIZE }).reply(200, documentedList);
          return { ref: pluRef('acme-user-def456') };
        },
        expectedStatus: 'pending',
      },
      {
        name: 'status with an undocumented value stays visible and is not approved',
        operation: 'getStatus',
        arrange: () => {
          plu()
            .get(LIST_PATH)
            .query(true)
            .reply(200, listPage([listedUser('acme-user-odd', 'kyc_on_hold')], 0, 1));
          return { ref: pluRef('acme-user-odd') };
        },
        expectedStatus: 'pending',
        check: (result) => expect(result).toMatchObject({ state: { providerStatus: 'kyc_on_hold' } }),
      },
      {
        name: 'retry, automated path (documented example)',
        operation: 'retry',
        arrange: () => {
          plu().post(RETRY_PATH('acme-user-abc123')).reply(201, fixture('retry-kyc-response'));
          return { ref: pluRef('acme-user-abc123') };
        },
        options: { strategy: { kind: 'auto' } },
        expectedStatus: 'pending',
        check: (result) =>
          expect(result).toMatchObject({
            attempts: { count: 2, remaining: 2 },
            state: { nextAction: { type: 'await_provider' } },
          }),
      },
      {
        name: 'retry, Persona path',
        operation: 'retry',
        arrange: () => {
          plu()
            .post(RETRY_PATH('acme-user-abc123'))
            .reply(200, fixture('retry-kyc-verification-url-response'));
          return { ref: pluRef('acme-user-abc123') };
        },
        expectedStatus: 'action_required',
        check: (result) =>
          expect(result).toMatchObject({
            attempts: { count: 3, remaining: 1 },
            state: { nextAction: { type: 'redirect' } },
          }),
      },
    ],
    failures: [
      {
        name: 'DUP_USER on create',
        operation: 'createUser',
        arrange: () => {
          plu().post(CREATE_PATH).reply(400, errorBody('DUP_USER'));
          plu()
            .get(LIST_PATH)
            .query(true)
            .reply(
              200,
              listPage([listedUser('acme-user-existing', 'approved', 'jane.doe@example.com')], 0, 1),
            );
          return {};
        },
        expectedKind: 'conflict',
        expectedCode: 'DUP_USER',
        expectedRetryable: false,
      },
      {
        name: 'INSUFFICIENT_WALLET_BALANCE (402) on create',
        operation: 'createUser',
        arrange: () => {
          plu().post(CREATE_PATH).reply(402, errorBody('INSUFFICIENT_WALLET_BALANCE'));
          return {};
        },
        expectedKind: 'payment_required',
        expectedCode: 'INSUFFICIENT_WALLET_BALANCE',
      },
      {
        name: 'USER_BLACKLISTED on create is forbidden and final',
        operation: 'createUser',
        arrange: () => {
          plu().post(CREATE_PATH).reply(400, errorBody('USER_BLACKLISTED'));
          return {};
        },
        expectedKind: 'forbidden',
        expectedCode: 'USER_BLACKLISTED',
        expectedRetryable: false,
      },
      {
        name: 'USER_NOT_FOUND arriving as 400 on retry',
        operation: 'retry',
        arrange: () => {
          plu().post(RETRY_PATH('acme-user-nobody')).reply(400, errorBody('USER_NOT_FOUND'));
          return { ref: pluRef('acme-user-nobody') };
        },
        expectedKind: 'not_found',
        expectedCode: 'USER_NOT_FOUND',
      },
      {
        name: 'idempotency reuse on retry',
        operation: 'retry',
        arrange: () => {
          plu().post(RETRY_PATH('acme-user-abc123')).reply(400, errorBody('IDEMPOTENCY_KEY_REUSED'));
          return { ref: pluRef('acme-user-abc123') };
        },
        options: { idempotencyKey: '550e8400-e29b-41d4-a716-446655440000' },
        expectedKind: 'conflict',
        expectedCode: 'IDEMPOTENCY_KEY_REUSED',
      },
      {
        name: 'retry cap (undocumented code, recognised)',
        operation: 'retry',
        arrange: () => {
          plu().post(RETRY_PATH('acme-user-abc123')).reply(400, errorBody('KYC_RETRY_LIMIT_EXCEEDED'));
          return { ref: pluRef('acme-user-abc123') };
        },
        expectedKind: 'retry_limit_reached',
        expectedCode: 'KYC_RETRY_LIMIT_EXCEEDED',
        expectedRetryable: false,
      },
      {
        name: 'a retry refused with an undocumented code keeps the code and is invalid_state (issue 12)',
        operation: 'retry',
        arrange: () => {
          plu().post(RETRY_PATH('acme-user-abc123')).reply(400, errorBody('KYC_NOT_DENIED'));
          return { ref: pluRef('acme-user-abc123') };
        },
        expectedKind: 'invalid_state',
        expectedCode: 'KYC_NOT_DENIED',
        expectedRetryable: false,
      },
      {
        name: 'INTERNAL_ERROR while listing users',
        operation: 'getStatus',
        arrange: () => {
          plu().get(LIST_PATH).query(true).times(3).reply(500, errorBody('INTERNAL_ERROR'));
          return { ref: pluRef('acme-user-abc123') };
        },
        expectedKind: 'provider_unavailable',
        expectedCode: 'INTERNAL_ERROR',
        expectedRetryable: true,
      },
      {
        name: 'user missing from every page',
        operation: 'getStatus',
        arrange: () => {
          plu().get(LIST_PATH).query({ skip: 0, limit: PLU_LIST_PAGE_SIZE }).reply(200, documentedList);
          return { ref: pluRef('acme-user-nobody') };
        },
        expectedKind: 'not_found',
      },
      {
        name: 'success body of the wrong shape (the list still shows denied: cannot tell)',
        operation: 'retry',
        arrange: () => {
          plu().post(RETRY_PATH('acme-user-abc123')).reply(200, { status: 'success', data: 'nope' });
          // The answer is lost, so the retry reads the list once; denied cannot tell whether it started.
          plu()
            .get(LIST_PATH)
            .query(true)
            .reply(200, listPage([listedUser('acme-user-abc123', 'denied')], 0, 1));
          return { ref: pluRef('acme-user-abc123') };
        },
        expectedKind: 'unexpected_response',
        expectedRetryable: false,
      },
      ...codeScenarios,
      ...statusScenarios,
    ],
    invalidInputs: [
      {
        name: 'bad phone',
        operation: 'createUser',
        input: withApplicant({ phone: '555-1234' }),
        expectedPath: 'applicant.phone',
      },
      {
        name: 'missing phone',
        operation: 'createUser',
        input: withApplicant({ phone: undefined }),
        expectedPath: 'applicant.phone',
      },
      {
        name: 'missing name',
        operation: 'createUser',
        input: withApplicant({ name: undefined }),
        expectedPath: 'applicant.name',
      },
      {
        name: 'last name over 100 characters',
        operation: 'createUser',
        input: withApplicant({ name: { given: 'Jane', family: 'D'.repeat(101) } }),
        expectedPath: 'applicant.name.family',
      },
      {
        name: 'missing email',
        operation: 'createUser',
        input: withApplicant({ email: undefined }),
        expectedPath: 'applicant.email',
      },
      {
        name: 'missing ip address',
        operation: 'createUser',
        input: withApplicant({ ipAddress: undefined }),
        expectedPath: 'applicant.ipAddress',
      },
      {
        name: 'missing address',
        operation: 'createUser',
        input: withApplicant({ address: undefined }),
        expectedPath: 'applicant.address',
      },
      {
        name: 'missing region',
        operation: 'createUser',
        input: withApplicant({
          address: { line1: '123 Main Street', city: 'San Francisco', postalCode: '94105', country: 'US' },
        }),
        expectedPath: 'applicant.address.region',
      },
      {
        name: 'missing postal code',
        operation: 'createUser',
        input: withApplicant({
          address: { line1: '123 Main Street', city: 'San Francisco', region: 'CA', country: 'US' },
        }),
        expectedPath: 'applicant.address.postalCode',
      },
      {
        name: 'alpha-3 country',
        operation: 'createUser',
        input: withApplicant({
          address: {
            line1: '123 Main Street',
            city: 'San Francisco',
            region: 'CA',
            postalCode: '94105',
            country: 'USA',
          },
        }),
        expectedPath: 'applicant.address.country',
      },
      {
        name: 'terms not accepted',
        operation: 'createUser',
        input: withApplicant({ termsAccepted: false }),
        expectedPath: 'applicant.termsAccepted',
      },
      {
        name: 'terms absent',
        operation: 'createUser',
        input: withApplicant({ termsAccepted: undefined }),
        expectedPath: 'applicant.termsAccepted',
      },
      {
        name: 'unknown program',
        operation: 'createUser',
        input: withOptions({ program: 'prepaid' }),
        expectedPath: 'providerOptions.plu.program',
      },
      {
        name: 'non_custodial without wallet',
        operation: 'createUser',
        input: withOptions({ program: 'non_custodial' }),
        expectedPath: 'providerOptions.plu.walletAddress',
      },
      {
        name: 'wallet that is not an Ethereum address',
        operation: 'createUser',
        input: withOptions({ program: 'non_custodial', walletAddress: '0x123' }),
        expectedPath: 'providerOptions.plu.walletAddress',
      },
      {
        name: 'http redirect URL',
        operation: 'createUser',
        input: withOptions({ program: 'custodial', redirectUrl: 'http://example.com/back' }),
        expectedPath: 'providerOptions.plu.redirectUrl',
      },
      {
        name: 'account purpose over 200 characters',
        operation: 'createUser',
        input: withOptions({ program: 'custodial', accountPurpose: 'x'.repeat(201) }),
        expectedPath: 'providerOptions.plu.accountPurpose',
      },
      {
        name: 'no program anywhere',
        operation: 'createUser',
        input: withOptions({}),
        expectedPath: 'providerOptions.plu.program',
      },
      { name: 'blank ref on getStatus', operation: 'getStatus', ref: userRef(' '), expectedPath: 'ref' },
      { name: 'blank ref on retry', operation: 'retry', ref: userRef(''), expectedPath: 'ref' },
      {
        name: 'malformed strategy on retry',
        operation: 'retry',
        ref: pluRef('acme-user-abc123'),
        options: { strategy: { kind: 'sideways' } as never },
        expectedPath: 'strategy',
      },
    ],
    webhookScenarios: {
      authentic: () => ({
        request: signedDelivery(fixture('webhook-kyc-approved')),
        expectedRef: pluRef('acme-user-7mFQc5aCslAWtkd'),
      }),
      rejected: [
        {
          name: 'forged signature',
          request: () => signedDelivery(fixture('webhook-kyc-approved'), 'whsec_someone_else'),
        },
        {
          name: 'missing signature',
          request: () => ({
            headers: { 'content-type': 'application/json' },
            rawBody: JSON.stringify(fixture('webhook-kyc-approved')),
          }),
        },
        {
          name: 'signature of the wrong length',
          request: () => ({
            headers: { 'x-webhook-signature': 'abc123' },
            rawBody: JSON.stringify(fixture('webhook-kyc-approved')),
          }),
        },
        {
          name: 'signature that is not hex',
          request: () => ({
            headers: { 'x-webhook-signature': 'z'.repeat(64) },
            rawBody: JSON.stringify(fixture('webhook-kyc-approved')),
          }),
        },
        {
          name: 'tampered body',
          request: () => {
            const signed = signedDelivery(fixture('webhook-kyc-denied'));
            return { ...signed, rawBody: String(signed.rawBody).replace('"denied"', '"approved"') };
          },
        },
        { name: 'signed but not JSON', request: () => signedDelivery('not json') },
        {
          name: 'signed but without data.serviceId',
          request: () =>
            signedDelivery({
              event: 'user.kyc-event',
              timestamp: '2026-02-19T20:49:29.927Z',
              data: { status: 'approved' },
            }),
        },
        {
          name: 'signed but without an event',
          request: () => signedDelivery({ data: { serviceId: 'acme-user-1', status: 'approved' } }),
        },
        {
          name: 'signed card/wallet event (not KYC)',
          request: () => signedDelivery(fixture('webhook-card-withdrawal')),
        },
      ],
    },
  };
});
