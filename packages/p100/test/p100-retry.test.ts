/**
 * retry when the answer of `POST /v1/kyc` is lost (issue 11): the flow reads the KYC status pair
 * before sending and again after, and never sends the fee-bearing start twice. Where the read
 * cannot tell, the error is `retryable: false`, `outcome: 'unknown'`.
 */
import nock from 'nock';
import type { Either } from 'fp-ts/Either';
import { userRef } from '@kycport/core';
import type { KycError } from '@kycport/core';
import startVerificationResponse from './fixtures/start-verification-response.json';
import { EXTERNAL_USER_ID, USER_REF, buildProvider, errorBody, hostedOptions, p100Api } from './support';

// The ref a host stores (`p100:<externalUserId>`); bare refs: p100-qualified-refs.test.ts.
const ref = USER_REF;
const STATUS_PATH = `/v1/kyc/status/${EXTERNAL_USER_ID}`;
const retryOptions = { providerOptions: { p100: { ...hostedOptions, country: 'PL' } } };
const lostAnswer = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const pair = (status: string, attemptStatus: string) => ({ status, attemptStatus });
const DENIED = pair('NOT_VERIFIED', 'REJECTED_BY_PROVIDER');
const PENDING = pair('NOT_VERIFIED', 'PENDING');

function right<A>(result: Either<KycError, A>): A {
  if (result._tag === 'Left') throw new Error(`${result.left.kind}: ${result.left.message}`);
  return result.right;
}
function left<A>(result: Either<KycError, A>): KycError {
  if (result._tag === 'Right') throw new Error('expected an error');
  return result.left;
}

afterEach(() => nock.cleanAll());

describe('retry: the KYC status is read before the start', () => {
  it('reads, then starts once', async () => {
    const { provider, observer } = buildProvider();
    p100Api().get(STATUS_PATH).reply(200, DENIED).post('/v1/kyc').reply(201, startVerificationResponse);
    expect(right(await provider.retry(ref, retryOptions)()).state.nextAction.type).toBe('redirect');
    expect(observer.events.map((event) => `${event.method} ${event.pathTemplate}`)).toEqual([
      'GET /v1/kyc/status/{externalUserId}',
      'POST /v1/kyc',
    ]);
  });

  it('does not start for a user P100 does not have (P412 on the read)', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(400, errorBody('P412', 'invalid-user', 'User does not exist'));
    expect(left(await provider.retry(ref, retryOptions)())).toMatchObject({
      kind: 'not_found',
      outcome: 'rejected',
    });
    expect(observer.count()).toBe(1);
  });
});

describe('retry: the answer of the start is lost', () => {
  it('returns the new attempt (redirect_unavailable) when the read shows it started: not sent again', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(200, DENIED)
      .post('/v1/kyc')
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .reply(200, PENDING);
    const result = right(await provider.retry(ref, retryOptions)());
    expect(result).toMatchObject({
      userRef: USER_REF,
      attempts: {},
      state: {
        status: 'action_required',
        providerStatus: 'NOT_VERIFIED/PENDING',
        nextAction: { type: 'redirect_unavailable' },
      },
    });
    expect(observer.events.filter((event) => event.pathTemplate === '/v1/kyc')).toHaveLength(1);
  });

  it.each([
    ['the pair is unchanged', DENIED, DENIED],
    ['an attempt was already in flight before (replacing it was asked)', PENDING, PENDING],
    ['the read shows an undocumented value', pair('NOT_VERIFIED', 'ON_HOLD'), PENDING],
  ])('is retryable: false, outcome unknown, naming the user, when %s', async (_name, before, after) => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(200, before)
      .post('/v1/kyc')
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .reply(200, after);
    const replacing = {
      providerOptions: { p100: { ...retryOptions.providerOptions.p100, replacePendingAttempt: true } },
    };
    const error = left(await provider.retry(ref, replacing)());
    expect(error).toMatchObject({
      kind: 'network',
      outcome: 'unknown',
      retryable: false,
      userRef: USER_REF,
    });
    expect(error.message).toContain('cannot tell');
    expect(observer.events.filter((event) => event.pathTemplate === '/v1/kyc')).toHaveLength(1);
  });

  it('is retryable: false after a timeout when the read after fails', async () => {
    const { provider } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(200, DENIED)
      .post('/v1/kyc')
      .delay(2_000)
      .reply(201, startVerificationResponse)
      .get(STATUS_PATH)
      .times(3)
      .reply(400, errorBody('P501', undefined, 'Service temporarily unavailable'));
    // The timeout leaves the reads room under a loaded test run; only the start outlasts it.
    expect(left(await provider.retry(ref, { ...retryOptions, timeoutMs: 250 })())).toMatchObject({
      kind: 'timeout',
      outcome: 'unknown',
      retryable: false,
    });
  });

  it('a P100 rejection of the start is not reconciled: it says P100 did not do it', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(200, DENIED)
      .post('/v1/kyc')
      .reply(400, errorBody('P501', undefined, 'Service temporarily unavailable'));
    expect(left(await provider.retry(ref, retryOptions)())).toMatchObject({
      kind: 'provider_unavailable',
      outcome: 'rejected',
      retryable: true,
    });
    expect(observer.count()).toBe(2);
  });
});

describe('retry: hostile input', () => {
  it.each([
    ['a ref with a lone surrogate', userRef('user-\uDC00'), retryOptions, 'ref'],
    ['null options', ref, null, 'options'],
    ['a signal that is not an AbortSignal', ref, { ...retryOptions, signal: {} }, 'options.signal'],
  ])('refuses %s as validation, before any call', async (_name, badRef, options, path) => {
    const { provider, observer } = buildProvider();
    const error = left(await provider.retry(badRef, options as never)());
    expect(error).toMatchObject({ kind: 'validation', outcome: 'not_sent' });
    expect(error.kind === 'validation' && error.issues.map((issue) => issue.path)).toContain(path);
    expect(observer.count()).toBe(0);
  });
});
