/**
 * Refusals of retry-kyc (issue 12). https://docs.getplu.com/api-reference/users/retry-kyc: Plu
 * "Retries KYC for a user in a denied state" and "Each user can be retried up to 3 times. After
 * that, contact support." It documents no error code for either refusal, so every refusal (a 4xx
 * that is not auth, payment, a missing user or a rate limit) is `invalid_state` or
 * `retry_limit_reached`, decided by what the answer says and the last known retry count, never
 * `validation`; robust to a code naming the reason, a generic code and a bare 400. Also the
 * optional pre-check (`retryPreCheck: 'list_scan'`): a refused pre-check sends nothing to retry-kyc.
 */
import * as E from 'fp-ts/Either';
import nock from 'nock';
import type { KycError, RetryResult } from '@kycport/core';
import { pluAdapter } from '../src';
import {
  buildProvider,
  cleanNockAfterEach,
  errorBody,
  fixture,
  listPage,
  listedUser,
  plu,
  pluRef,
} from './plu-test-support';

cleanNockAfterEach();
afterEach(() => nock.abortPendingRequests());

const SERVICE_ID = 'acme-user-abc123';
const REF = pluRef(SERVICE_ID);
const RETRY_PATH = `/api/v2/partner/card/users/${SERVICE_ID}/retry-kyc`;
const LIST_PATH = '/api/v1/partner/card/users';
const STAGING_KEY = 'sk_staging_abc123';

async function left(task: () => Promise<E.Either<KycError, RetryResult>>): Promise<KycError> {
  const result = await task();
  if (E.isRight(result)) throw new Error('expected an error');
  return result.left;
}

async function right(task: () => Promise<E.Either<KycError, RetryResult>>): Promise<RetryResult> {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

/** Plu's error envelope with a code and a text, or a body with nothing in it. */
const coded = (code: string, extra: Record<string, unknown> = {}) => ({
  ...errorBody(code),
  data: { error: 'refused', ...extra },
});

describe('plu retry refusals: invalid_state or retry_limit_reached, never validation', () => {
  it.each([
    ['a code naming the state (KYC_NOT_DENIED)', 400, coded('KYC_NOT_DENIED')],
    ['a code naming the state (USER_NOT_DENIED)', 400, coded('USER_NOT_DENIED')],
    ['a generic code (VALIDATION_ERROR)', 400, coded('VALIDATION_ERROR')],
    ['a generic code (BAD_REQUEST)', 400, coded('BAD_REQUEST')],
    ['a bare 400 with no body', 400, ''],
    ['a bare 400 with free text in message', 400, { status: 'error', message: 'Bad request' }],
    ['a 422 (the retry sends no body to validate)', 422, ''],
    ['a bare 409', 409, ''],
    ['a generic code with the answer retryCount below the cap', 400, coded('BAD_REQUEST', { retryCount: 1 })],
  ])('%s -> invalid_state, not retryable, userRef set', async (_name, status, body) => {
    const { provider, observer } = buildProvider();
    plu().post(RETRY_PATH).reply(status, body);
    const error = await left(provider.retry(REF));
    expect(error).toMatchObject({
      kind: 'invalid_state',
      retryable: false,
      outcome: 'rejected',
      httpStatus: status,
      userRef: REF,
    });
    expect(error.message).toContain('denied');
    // One request: the answer is classified, nothing is read or resent.
    expect(observer.events.map((event) => event.method)).toEqual(['POST']);
  });

  it.each([
    ['a code naming a retry limit (KYC_RETRY_LIMIT_EXCEEDED)', coded('KYC_RETRY_LIMIT_EXCEEDED')],
    ['another such code (MAX_RETRIES_REACHED)', coded('MAX_RETRIES_REACHED')],
    ['a generic code with the answer retryCount at the cap', coded('BAD_REQUEST', { retryCount: 3 })],
    ['a bare envelope with retryCount at the cap', { status: 'error', data: { retryCount: 3 } }],
  ])('%s -> retry_limit_reached, maxAttempts 4, not retryable', async (_name, body) => {
    const { provider } = buildProvider();
    plu().post(RETRY_PATH).reply(400, body);
    const error = await left(provider.retry(REF));
    expect(error).toMatchObject({
      kind: 'retry_limit_reached',
      maxAttempts: 4,
      retryable: false,
      httpStatus: 400,
      userRef: REF,
    });
    expect(error.message).toContain('contact');
  });

  it.each([
    ['a generic code', coded('VALIDATION_ERROR')],
    ['a bare 400', ''],
  ])(
    'after 3 retries this adapter saw succeed, %s is the cap (the last known retry count)',
    async (_name, body) => {
      const { provider } = buildProvider();
      for (let count = 1; count <= 3; count += 1)
        plu()
          .post(RETRY_PATH)
          .reply(200, {
            status: 'success',
            data: { serviceId: SERVICE_ID, applicationStatus: 'pending', retryCount: count },
          });
      for (let count = 1; count <= 3; count += 1) await right(provider.retry(REF));
      plu().post(RETRY_PATH).reply(400, body);
      expect(await left(provider.retry(REF))).toMatchObject({
        kind: 'retry_limit_reached',
        maxAttempts: 4,
      });
      // Another user of the same adapter is not affected by that count.
      plu().post('/api/v2/partner/card/users/acme-user-other/retry-kyc').reply(400, body);
      expect(await left(provider.retry(pluRef('acme-user-other')))).toMatchObject({ kind: 'invalid_state' });
    },
  );

  it('a code naming the state wins over a known count at the cap (Plu support may have reset it)', async () => {
    const { provider } = buildProvider();
    plu()
      .post(RETRY_PATH)
      .reply(400, coded('KYC_NOT_DENIED', { retryCount: 1 }));
    expect(await left(provider.retry(REF))).toMatchObject({ kind: 'invalid_state' });
  });

  it.each([
    ['USER_NOT_FOUND (documented, 400)', 400, errorBody('USER_NOT_FOUND'), 'not_found'],
    [
      'INSUFFICIENT_WALLET_BALANCE (documented, 402)',
      402,
      errorBody('INSUFFICIENT_WALLET_BALANCE'),
      'payment_required',
    ],
    ['USER_BLACKLISTED (documented, 400)', 400, errorBody('USER_BLACKLISTED'), 'forbidden'],
    ['a bare 401', 401, '', 'unauthorized'],
    ['a bare 403', 403, '', 'forbidden'],
    ['a bare 404', 404, '', 'not_found'],
    ['a bare 429', 429, '', 'rate_limited'],
    ['a recognised idempotency reuse code', 400, errorBody('IDEMPOTENCY_KEY_REUSED'), 'conflict'],
  ])('keeps %s as %s', async (_name, status, body, kind) => {
    const { provider } = buildProvider({}, { transport: { retry: false } });
    plu().post(RETRY_PATH).reply(status, body);
    expect(await left(provider.retry(REF))).toMatchObject({ kind });
  });
});

describe('plu retry pre-check (retryPreCheck: list_scan, off by default)', () => {
  it('is off by default: the retry is the only request', async () => {
    const { provider, observer } = buildProvider();
    plu().post(RETRY_PATH).reply(200, fixture('retry-kyc-response'));
    await right(provider.retry(REF));
    expect(observer.events.map((event) => event.method)).toEqual(['POST']);
  });

  it.each(['pending_kyc', 'approved', 'needsVerification', 'pending', 'manualReview'])(
    'a user listed %s: invalid_state, not_sent, and no request to retry-kyc',
    async (status) => {
      const { provider, observer } = buildProvider({ retryPreCheck: 'list_scan' });
      const retried = plu().post(RETRY_PATH).reply(200, fixture('retry-kyc-response'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, listPage([listedUser(SERVICE_ID, status)], 0, 1));
      const error = await left(provider.retry(REF));
      expect(error).toMatchObject({
        kind: 'invalid_state',
        retryable: false,
        outcome: 'not_sent',
        userRef: REF,
      });
      expect(error.message).toContain(status);
      expect(retried.isDone()).toBe(false);
      expect(observer.events.map((event) => event.method)).toEqual(['GET']);
    },
  );

  it('a denied user whose listed retryCount is at the cap: retry_limit_reached with no request to retry-kyc', async () => {
    const { provider, observer } = buildProvider({ retryPreCheck: 'list_scan' });
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([{ ...listedUser(SERVICE_ID, 'denied'), retryCount: 3 }], 0, 1));
    expect(await left(provider.retry(REF))).toMatchObject({
      kind: 'retry_limit_reached',
      maxAttempts: 4,
      outcome: 'not_sent',
    });
    expect(observer.events.map((event) => event.method)).toEqual(['GET']);
  });

  it('a listed denied user is retried; a refusal after that is the cap, whatever the answer carries', async () => {
    const { provider, observer } = buildProvider({ retryPreCheck: 'list_scan' });
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([listedUser(SERVICE_ID, 'denied')], 0, 1));
    plu().post(RETRY_PATH).reply(400, '');
    expect(await left(provider.retry(REF))).toMatchObject({
      kind: 'retry_limit_reached',
      outcome: 'rejected',
    });
    expect(observer.events.map((event) => event.method)).toEqual(['GET', 'POST']);
  });

  it('with an idempotencyKey from the caller, a refusal of a listed denied user may be that key reused: not taken for the cap', async () => {
    const { provider } = buildProvider({ retryPreCheck: 'list_scan' });
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([listedUser(SERVICE_ID, 'denied')], 0, 1));
    plu().post(RETRY_PATH).reply(400, '');
    const error = await left(provider.retry(REF, { idempotencyKey: '550e8400-e29b-41d4-a716-446655440000' }));
    expect(error).toMatchObject({ kind: 'invalid_state', outcome: 'rejected' });
    expect(error.message).toContain('idempotencyKey');
  });

  it('a listed denied user is retried normally', async () => {
    const { provider } = buildProvider({ retryPreCheck: 'list_scan' });
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([listedUser(SERVICE_ID, 'denied')], 0, 1));
    plu().post(RETRY_PATH).reply(200, fixture('retry-kyc-response'));
    expect(await right(provider.retry(REF))).toMatchObject({ attempts: { count: 2, remaining: 2 } });
  });

  it('a status kycport does not know cannot refuse: the retry is sent', async () => {
    const { provider, observer } = buildProvider({ retryPreCheck: 'list_scan' });
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([listedUser(SERVICE_ID, 'kyc_rejected')], 0, 1));
    plu().post(RETRY_PATH).reply(200, fixture('retry-kyc-response'));
    await right(provider.retry(REF));
    expect(observer.events.map((event) => event.method)).toEqual(['GET', 'POST']);
  });

  it('a user not in the list: not_found, and no request to retry-kyc', async () => {
    const { provider, observer } = buildProvider({ retryPreCheck: 'list_scan' });
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([], 0, 0));
    expect(await left(provider.retry(REF))).toMatchObject({ kind: 'not_found', outcome: 'not_sent' });
    expect(observer.events.map((event) => event.method)).toEqual(['GET']);
  });

  it('a list that cannot be read: its error, the retry not sent (a repeat is safe when the read says so)', async () => {
    const { provider, observer } = buildProvider(
      { retryPreCheck: 'list_scan' },
      { transport: { retry: false } },
    );
    plu().get(LIST_PATH).query(true).reply(503, errorBody('INTERNAL_ERROR'));
    expect(await left(provider.retry(REF))).toMatchObject({
      kind: 'provider_unavailable',
      retryable: true,
      outcome: 'not_sent',
    });
    expect(observer.events.map((event) => event.method)).toEqual(['GET']);
  });

  it('is a typed, validated setting (retryPreCheck / PLU_RETRY_PRE_CHECK)', () => {
    expect(
      pluAdapter.configFromEnv({ PLU_API_KEY: STAGING_KEY, PLU_RETRY_PRE_CHECK: 'list_scan' }),
    ).toMatchObject({
      _tag: 'Right',
      right: { retryPreCheck: 'list_scan' },
    });
    const wrong = pluAdapter.configFromEnv({ PLU_API_KEY: STAGING_KEY, PLU_RETRY_PRE_CHECK: 'yes' });
    expect(E.isLeft(wrong) && wrong.left.issues.map((issue) => issue.path)).toEqual(['PLU_RETRY_PRE_CHECK']);
    expect(E.isLeft(pluAdapter.parseConfig({ apiKey: STAGING_KEY, retryPreCheck: true }))).toBe(true);
  });
});
