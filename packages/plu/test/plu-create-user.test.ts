/**
 * The create flow after a lost answer (issue 11): a 2xx Plu answered with a body kycport cannot read
 * is reconciled through the user list exactly as a timeout, the result names the user, and a user
 * whose verification URL existed only in the lost answer gets `redirect_unavailable`. Also the
 * redirect check of the URL Plu returns.
 */
import * as E from 'fp-ts/Either';
import nock from 'nock';
import type { CreateUserResult, KycError } from '@kycport/core';
import { PLU_CREATE_URL_LOST_REASON } from '../src/plu-create-user';
import {
  buildProvider,
  cleanNockAfterEach,
  fixture,
  listPage,
  listedUser,
  plu,
  validInput,
  pluRef,
} from './plu-test-support';

cleanNockAfterEach();
afterEach(() => nock.abortPendingRequests());

const CREATE_PATH = '/api/v2/partner/card/users';
const LIST_PATH = '/api/v1/partner/card/users';
const EMAIL = 'jane.doe@example.com';
const KEY = '550e8400-e29b-41d4-a716-446655440000';

async function right(task: () => Promise<E.Either<KycError, CreateUserResult>>): Promise<CreateUserResult> {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

async function left(task: () => Promise<E.Either<KycError, CreateUserResult>>): Promise<KycError> {
  const result = await task();
  if (E.isRight(result)) throw new Error('expected an error');
  return result.left;
}

/** Unreadable 2xx answers: Plu acted (the user exists), the answer is lost. */
const unreadable: ReadonlyArray<[string, number, string | Record<string, unknown>]> = [
  ['a body that is not JSON', 201, '{"status": "success", "data": {'],
  ['a wrong-shape body', 201, { unexpected: true, data: [] }],
  ['a success without data.serviceId', 200, { status: 'success', message: 'ok', data: {} }],
];

describe('plu createUser: a 2xx it cannot read is reconciled like a timeout', () => {
  it.each(unreadable)(
    '%s: finds the user by email, names it, and says the URL is unavailable',
    async (_name, status, body) => {
      const { provider, observer } = buildProvider();
      plu().post(CREATE_PATH).reply(status, body);
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, listPage([listedUser('acme-user-created', 'pending_kyc', EMAIL)], 0, 1));
      const result = await right(provider.createUser(validInput, { idempotencyKey: KEY }));
      expect(result).toMatchObject({
        userRef: pluRef('acme-user-created'),
        state: {
          status: 'action_required',
          providerStatus: 'pending_kyc',
          nextAction: { type: 'redirect_unavailable', reason: PLU_CREATE_URL_LOST_REASON },
        },
        raw: { reconciled: true },
      });
      // One POST, one list page: no second create.
      expect(observer.events.map((event) => event.method)).toEqual(['POST', 'GET']);
    },
  );

  it('a wrong-shape 2xx, not yet listed: resends the same key once, and the key reuse finds the late user', async () => {
    const { provider, observer } = buildProvider();
    const keys: string[] = [];
    const record = (value: string) => keys.push(value) > 0;
    plu().post(CREATE_PATH).matchHeader('idempotency-key', record).reply(201, { status: 'success' });
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([], 0, 0));
    plu()
      .post(CREATE_PATH)
      .matchHeader('idempotency-key', record)
      .reply(400, { status: 'error', message: 'IDEMPOTENCY_KEY_REUSED', data: { error: 'x' } });
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([listedUser('acme-user-late', 'pending_kyc', EMAIL)], 0, 1));
    expect(await right(provider.createUser(validInput))).toMatchObject({
      userRef: pluRef('acme-user-late'),
      state: { nextAction: { type: 'redirect_unavailable' } },
    });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(observer.events.filter((event) => event.method === 'POST')).toHaveLength(2);
  });

  it('a reconciled user past the hosted flow keeps its listed state (approved, denied)', async () => {
    for (const [status, expected] of [
      ['approved', { status: 'approved', nextAction: { type: 'none' } }],
      ['denied', { status: 'denied', nextAction: { type: 'none' } }],
    ] as const) {
      const { provider } = buildProvider();
      plu().post(CREATE_PATH).reply(201, 'not json');
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, listPage([listedUser('acme-user-known', status, EMAIL)], 0, 1));
      expect((await right(provider.createUser(validInput))).state).toMatchObject(expected);
    }
  });

  it('a reconciled needsVerification user is told the link comes by webhook, never a silent await', async () => {
    const { provider } = buildProvider();
    plu()
      .post(CREATE_PATH)
      .replyWithError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([listedUser('acme-user-needs', 'needsVerification', EMAIL)], 0, 1));
    const { state } = await right(provider.createUser(validInput));
    expect(state.nextAction).toEqual({ type: 'redirect_unavailable', reason: PLU_CREATE_URL_LOST_REASON });
    expect(PLU_CREATE_URL_LOST_REASON).toContain('needsVerification webhook');
  });

  it('the unreadable 2xx and a failing list: unknown outcome, retryable (a repeat reconciles first)', async () => {
    const { provider } = buildProvider({}, { transport: { retry: false } });
    plu()
      .post(CREATE_PATH)
      .reply(201, { status: 'success', data: { serviceId: 7 } });
    plu().get(LIST_PATH).query(true).reply(503);
    const error = await left(provider.createUser(validInput));
    expect(error).toMatchObject({ kind: 'unexpected_response', retryable: true, outcome: 'unknown' });
    expect(error.message).toContain('could not be read');
  });
});

describe('plu createUser: the verificationUrl goes through the redirect check', () => {
  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['plain http elsewhere', 'http://elsewhere.example.com/verify?inquiry-id=inq_1'],
    ['not a URL', 'withpersona.com/verify'],
    ['empty', ''],
  ])('%s: unexpected_response naming the created user, outcome unknown', async (_name, url) => {
    const { provider, observer } = buildProvider();
    plu()
      .post(CREATE_PATH)
      .reply(201, { status: 'success', data: { serviceId: 'acme-user-new', verificationUrl: url } });
    const error = await left(provider.createUser(validInput));
    expect(error).toMatchObject({
      kind: 'unexpected_response',
      userRef: pluRef('acme-user-new'),
      retryable: false,
      outcome: 'unknown',
      issues: [{ path: 'response.data.verificationUrl', message: 'expected an https URL' }],
    });
    if (url.length > 0) expect(JSON.stringify(error)).not.toContain(url);
    expect(observer.count()).toBe(1);
  });

  it('allows the origin of a plain-http baseUrl (a local simulator), and only that origin', async () => {
    const local = 'http://127.0.0.1:4010';
    const { provider } = buildProvider({ baseUrl: `${local}/api` });
    const answer = (url: string) => ({
      status: 'success',
      data: { serviceId: 'acme-user-new', verificationUrl: url },
    });
    nock(local)
      .post(CREATE_PATH)
      .reply(201, answer(`${local}/persona?inquiry-id=inq_1`));
    expect((await right(provider.createUser(validInput))).state.nextAction).toEqual({
      type: 'redirect',
      url: `${local}/persona?inquiry-id=inq_1`,
    });
    nock(local).post(CREATE_PATH).reply(201, answer('http://127.0.0.1:9999/persona'));
    expect(await left(provider.createUser(validInput))).toMatchObject({ kind: 'unexpected_response' });
  });

  it('an https baseUrl allows no http origin at all', async () => {
    const { provider } = buildProvider();
    plu()
      .post(CREATE_PATH)
      .reply(201, {
        ...fixture('create-user-response'),
        data: { serviceId: 'x', verificationUrl: 'http://services-staging.getplu.com/v' },
      });
    expect(await left(provider.createUser(validInput))).toMatchObject({ kind: 'unexpected_response' });
  });
});
