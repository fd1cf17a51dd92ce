/**
 * The retry flow after a lost answer (issue 11): Plu does not replay a reused idempotency key and a
 * retry spends one of 3, so the flow never sends the retry again; it reads the list once. A listed
 * status other than denied settles it (the result); denied, a missing user or a failed read cannot,
 * and the error says so: `retryable: false`, `outcome: 'unknown'`. Also the redirect check.
 */
import * as E from 'fp-ts/Either';
import nock from 'nock';
import type { KycError, RetryResult } from '@kycport/core';
import { PLU_RETRY_URL_LOST_REASON } from '../src/plu-retry';
import {
  buildProvider,
  cleanNockAfterEach,
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

const timeout = () => Object.assign(new Error('simulated timeout'), { code: 'ETIMEDOUT' });
const reset = () => Object.assign(new Error('simulated reset'), { code: 'ECONNRESET' });

async function right(task: () => Promise<E.Either<KycError, RetryResult>>): Promise<RetryResult> {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

async function left(task: () => Promise<E.Either<KycError, RetryResult>>): Promise<KycError> {
  const result = await task();
  if (E.isRight(result)) throw new Error('expected an error');
  return result.left;
}

/** The lost answers: the retry reached Plu, kycport cannot tell what it did. */
const lostAnswers: ReadonlyArray<[string, (scope: nock.Interceptor) => nock.Scope]> = [
  ['a timeout', (interceptor) => interceptor.replyWithError(timeout())],
  ['a connection reset after sending', (interceptor) => interceptor.replyWithError(reset())],
  ['a 2xx that is not JSON', (interceptor) => interceptor.reply(200, '{"status": "success", "data": {')],
  ['a wrong-shape 2xx', (interceptor) => interceptor.reply(201, { status: 'success', data: 'nope' })],
];

describe('plu retry after a lost answer', () => {
  it.each(lostAnswers)(
    '%s, and the list still shows denied: unknown, not retryable, and the retry is never resent',
    async (_name, answer) => {
      const { provider, observer } = buildProvider();
      answer(plu().post(RETRY_PATH));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, listPage([listedUser(SERVICE_ID, 'denied')], 0, 1));
      const error = await left(provider.retry(REF));
      expect(error).toMatchObject({ retryable: false, outcome: 'unknown', userRef: REF });
      expect(error.message).toContain('retry: the outcome is unknown');
      expect(error.message).toContain('do not call retry again now');
      expect(observer.events.map((event) => event.method)).toEqual(['POST', 'GET']);
    },
  );

  it.each(lostAnswers)(
    '%s, and the list shows pending_kyc: the retry took effect; the result says the URL is unavailable',
    async (_name, answer) => {
      const { provider, observer } = buildProvider();
      answer(plu().post(RETRY_PATH));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, listPage([listedUser(SERVICE_ID, 'pending_kyc')], 0, 1));
      expect(await right(provider.retry(REF))).toMatchObject({
        userRef: REF,
        attempts: {},
        state: {
          status: 'action_required',
          providerStatus: 'pending_kyc',
          nextAction: { type: 'redirect_unavailable', reason: PLU_RETRY_URL_LOST_REASON },
        },
        raw: { reconciled: true },
      });
      expect(observer.events.filter((event) => event.method === 'POST')).toHaveLength(1);
    },
  );

  it('the list shows approved or the automated pending: that state, nothing left to do for the user', async () => {
    for (const [status, expected] of [
      ['approved', { status: 'approved', nextAction: { type: 'none' } }],
      ['pending', { status: 'pending', nextAction: { type: 'await_provider' } }],
    ] as const) {
      const { provider } = buildProvider();
      plu().post(RETRY_PATH).replyWithError(timeout());
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, listPage([listedUser(SERVICE_ID, status)], 0, 1));
      expect((await right(provider.retry(REF))).state).toMatchObject(expected);
    }
  });

  it('the list shows a status kycport does not know: it may be how Plu lists a denial, so it cannot tell', async () => {
    const { provider } = buildProvider();
    plu().post(RETRY_PATH).replyWithError(timeout());
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([listedUser(SERVICE_ID, 'kyc_rejected')], 0, 1));
    const error = await left(provider.retry(REF));
    expect(error).toMatchObject({ kind: 'timeout', retryable: false, outcome: 'unknown' });
    expect(error.message).toContain('does not know');
  });

  it('the user is not listed, or the list cannot be read: unknown and not retryable', async () => {
    const missing = buildProvider();
    plu().post(RETRY_PATH).replyWithError(timeout());
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([], 0, 0));
    const notListed = await left(missing.provider.retry(REF));
    expect(notListed).toMatchObject({ kind: 'timeout', retryable: false, outcome: 'unknown' });
    expect(notListed.message).toContain('not in the partner user list');

    const failing = buildProvider({}, { transport: { retry: false } });
    plu().post(RETRY_PATH).reply(200, 'oops');
    plu().get(LIST_PATH).query(true).reply(500, { status: 'error', message: 'INTERNAL_ERROR' });
    const unread = await left(failing.provider.retry(REF));
    expect(unread).toMatchObject({ kind: 'unexpected_response', retryable: false, outcome: 'unknown' });
    expect(unread.message).toContain('could not be read');
  });

  it('an answered error is not reconciled: rejected, as the provider said', async () => {
    const { provider, observer } = buildProvider();
    plu().post(RETRY_PATH).reply(503, { status: 'error', message: 'INTERNAL_ERROR' });
    expect(await left(provider.retry(REF))).toMatchObject({
      kind: 'provider_unavailable',
      outcome: 'rejected',
    });
    expect(observer.count()).toBe(1);
  });

  it('a retry the caller aborted is not reconciled', async () => {
    const { provider, observer } = buildProvider();
    const controller = new AbortController();
    controller.abort();
    plu().post(RETRY_PATH).reply(201, fixture('retry-kyc-response'));
    expect(await left(provider.retry(REF, { signal: controller.signal }))).toMatchObject({
      kind: 'network',
      providerCode: 'ABORTED',
      retryable: false,
    });
    expect(observer.events.every((event) => event.method === 'POST')).toBe(true);
  });
});

describe('plu retry: the verificationUrl goes through the redirect check', () => {
  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['plain http elsewhere', 'http://elsewhere.example.com/verify'],
  ])('%s: unexpected_response, outcome unknown, never a redirect', async (_name, url) => {
    const { provider } = buildProvider();
    plu()
      .post(RETRY_PATH)
      .reply(200, {
        status: 'success',
        data: { serviceId: SERVICE_ID, verificationUrl: url, retryCount: 1 },
      });
    const error = await left(provider.retry(REF));
    expect(error).toMatchObject({
      kind: 'unexpected_response',
      userRef: REF,
      retryable: false,
      outcome: 'unknown',
      issues: [{ path: 'response.data.verificationUrl', message: 'expected an https URL' }],
    });
    expect(JSON.stringify(error)).not.toContain(url);
  });

  it('the origin of a plain-http baseUrl is allowed (a local simulator)', async () => {
    const local = 'http://127.0.0.1:4010';
    const { provider } = buildProvider({ baseUrl: `${local}/api` });
    nock(local)
      .post(RETRY_PATH)
      .reply(200, {
        status: 'success',
        data: { serviceId: SERVICE_ID, verificationUrl: `${local}/persona?inquiry-id=inq_2`, retryCount: 1 },
      });
    expect((await right(provider.retry(REF))).state).toMatchObject({
      status: 'action_required',
      nextAction: { type: 'redirect', url: `${local}/persona?inquiry-id=inq_2` },
    });
  });
});
