import * as E from 'fp-ts/Either';
import nock from 'nock';
import type { KycError } from '@kycport/core';
import { PLU_LIST_PAGE_SIZE } from '../src';
import { PLU_CREATE_URL_LOST_REASON } from '../src/plu-create-user';
import {
  API_KEY,
  bodyFixture,
  buildProvider,
  errorBody,
  fixture,
  listPage,
  listedUser,
  plu,
  cleanNockAfterEach,
  validInput,
  pluRef,
} from './plu-test-support';

cleanNockAfterEach();

const CREATE_PATH = '/api/v2/partner/card/users';
const LIST_PATH = '/api/v1/partner/card/users';
const EMAIL = 'jane.doe@example.com';
const KEY = '550e8400-e29b-41d4-a716-446655440000';

afterEach(() => {
  nock.abortPendingRequests();
});

async function left<A>(task: () => Promise<E.Either<KycError, A>>): Promise<KycError> {
  const result = await task();
  if (E.isRight(result)) throw new Error('expected an error');
  return result.left;
}

async function right<A>(task: () => Promise<E.Either<KycError, A>>): Promise<A> {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

/** Records the idempotency keys of create POSTs. */
function keysSeen() {
  const keys: string[] = [];
  const record = (value: string) => {
    keys.push(value);
    return true;
  };
  return { keys, record };
}

/** nock 14 only fails the request with an Error instance (a plain object leaves it hanging until the deadline). */
const transportError = (code: string) => Object.assign(new Error(`simulated ${code}`), { code });

const page = (users: ReadonlyArray<Record<string, unknown>>, skip: number, total: number) =>
  listPage(users, skip, total);
const others = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => listedUser(`acme-user-${from + index}`, 'approved'));

describe('plu createUser', () => {
  it('sends the documented body with the bearer key and the caller idempotency key, and returns the redirect', async () => {
    const { provider } = buildProvider();
    const scope = plu()
      .post(CREATE_PATH, bodyFixture('create-user-request'))
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .matchHeader('idempotency-key', KEY)
      .reply(201, fixture('create-user-response'));
    const result = await right(provider.createUser(validInput, { idempotencyKey: KEY }));
    expect(result).toMatchObject({
      provider: 'plu',
      userRef: pluRef('acme-user-abc123def456ghi'),
      state: {
        status: 'action_required',
        attempt: 1,
        nextAction: { type: 'redirect', url: 'https://withpersona.com/verify?inquiry-id=inq_abc123...' },
      },
    });
    expect(scope.isDone()).toBe(true);
    // `raw` is the redacted response, computed on first read (as for every other operation).
    expect(Object.getOwnPropertyDescriptor(result, 'raw')?.get).toBeInstanceOf(Function);
    expect(result.raw).toMatchObject({ status: 'success', data: { serviceId: 'acme-user-abc123def456ghi' } });
  });

  it('sends a fresh UUID idempotency key when the caller gives none', async () => {
    const { provider } = buildProvider();
    const seen = keysSeen();
    plu()
      .post(CREATE_PATH)
      .matchHeader('idempotency-key', seen.record)
      .reply(200, fixture('create-user-response'));
    await right(provider.createUser(validInput));
    expect(seen.keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('never lets the transport resend the create (a 500 is one POST)', async () => {
    const { provider, observer } = buildProvider();
    plu().post(CREATE_PATH).reply(500, errorBody('INTERNAL_ERROR'));
    expect(await left(provider.createUser(validInput))).toMatchObject({
      kind: 'provider_unavailable',
      providerCode: 'INTERNAL_ERROR',
      retryable: true,
    });
    expect(observer.count()).toBe(1);
  });

  it('reports a created user without a verification URL as unexpected_response naming the user', async () => {
    const { provider } = buildProvider();
    plu()
      .post(CREATE_PATH)
      .reply(201, { status: 'success', message: 'ok', data: { serviceId: 'acme-user-new' } });
    expect(await left(provider.createUser(validInput))).toMatchObject({
      kind: 'unexpected_response',
      userRef: pluRef('acme-user-new'),
    });
  });

  describe('reconciliation when the outcome is unknown', () => {
    it('timeout, but the user WAS created: finds it by email (on a later page) and returns it without a second POST', async () => {
      const { provider } = buildProvider();
      const seen = keysSeen();
      plu()
        .post(CREATE_PATH)
        .matchHeader('idempotency-key', seen.record)
        .replyWithError(transportError('ETIMEDOUT'));
      plu()
        .get(LIST_PATH)
        .query({ skip: 0, limit: PLU_LIST_PAGE_SIZE })
        .reply(200, page(others(0, 100), 0, 101));
      plu()
        .get(LIST_PATH)
        .query({ skip: 100, limit: PLU_LIST_PAGE_SIZE })
        .reply(200, page([listedUser('acme-user-created', 'pending_kyc', 'Jane.Doe@Example.com')], 100, 101));
      const result = await right(provider.createUser(validInput, { idempotencyKey: KEY }));
      expect(result).toMatchObject({
        userRef: pluRef('acme-user-created'),
        // The user must still use the hosted flow whose URL was only in the lost answer.
        state: {
          status: 'action_required',
          providerStatus: 'pending_kyc',
          nextAction: { type: 'redirect_unavailable', reason: PLU_CREATE_URL_LOST_REASON },
        },
        raw: { reconciled: true },
      });
      expect(seen.keys).toEqual([KEY]);
      expect(nock.pendingMocks()).toEqual([]);
      // `raw` is redacted on first read, like every result's.
      expect(Object.getOwnPropertyDescriptor(result, 'raw')?.get).toBeInstanceOf(Function);
      expect(JSON.stringify(result.raw)).not.toContain('Example.com');
    });

    it('timeout, and the user was NOT created: creates again with the same key and returns the new user', async () => {
      const { provider } = buildProvider();
      const seen = keysSeen();
      plu()
        .post(CREATE_PATH)
        .matchHeader('idempotency-key', seen.record)
        .replyWithError(transportError('ETIMEDOUT'));
      plu().get(LIST_PATH).query(true).reply(200, fixture('list-users-response'));
      plu()
        .post(CREATE_PATH, bodyFixture('create-user-request'))
        .matchHeader('idempotency-key', seen.record)
        .reply(201, fixture('create-user-response'));
      const result = await right(provider.createUser(validInput));
      expect(result).toMatchObject({
        userRef: pluRef('acme-user-abc123def456ghi'),
        state: { status: 'action_required' },
      });
      expect(seen.keys).toHaveLength(2);
      expect(seen.keys[1]).toBe(seen.keys[0]);
    });

    it('timeout, not yet listed, then the resend meets the reused key: the late user is found on a second look', async () => {
      const { provider } = buildProvider();
      plu().post(CREATE_PATH).replyWithError(transportError('ETIMEDOUT'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([], 0, 0));
      plu().post(CREATE_PATH).reply(400, errorBody('IDEMPOTENCY_KEY_REUSED'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([listedUser('acme-user-late', 'pending_kyc', EMAIL)], 0, 1));
      expect(await right(provider.createUser(validInput, { idempotencyKey: KEY }))).toMatchObject({
        userRef: pluRef('acme-user-late'),
      });
      expect(nock.pendingMocks()).toEqual([]);
    });

    it('timeout, not yet listed, and the resend answers an unrecognised 400: treated as key reuse and looked up again', async () => {
      const { provider } = buildProvider();
      plu().post(CREATE_PATH).replyWithError(transportError('ETIMEDOUT'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([], 0, 0));
      plu().post(CREATE_PATH).reply(400, errorBody('BAD_REQUEST'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([listedUser('acme-user-late', 'pending_kyc', EMAIL)], 0, 1));
      expect(await right(provider.createUser(validInput, { idempotencyKey: KEY }))).toMatchObject({
        userRef: pluRef('acme-user-late'),
      });
    });

    it('timeout, and after the key expired the resend answers DUP_USER: the user is found and returned', async () => {
      const { provider } = buildProvider();
      plu().post(CREATE_PATH).replyWithError(transportError('ETIMEDOUT'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([], 0, 0));
      plu().post(CREATE_PATH).reply(400, errorBody('DUP_USER'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([listedUser('acme-user-late', 'approved', EMAIL)], 0, 1));
      expect(await right(provider.createUser(validInput))).toMatchObject({
        userRef: pluRef('acme-user-late'),
        state: { status: 'approved' },
      });
    });

    it('timeout, never listed, resend refused: a clear retryable error, and no third POST', async () => {
      const { provider, observer } = buildProvider();
      plu().post(CREATE_PATH).replyWithError(transportError('ETIMEDOUT'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([], 0, 0));
      plu().post(CREATE_PATH).reply(400, errorBody('IDEMPOTENCY_KEY_REUSED'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([], 0, 0));
      const error = await left(provider.createUser(validInput, { idempotencyKey: KEY }));
      expect(error).toMatchObject({ kind: 'timeout', retryable: true });
      expect(error.message).toContain('createUser: the outcome is unknown');
      expect(error.message).toContain('same idempotencyKey');
      expect(JSON.stringify(error)).not.toContain(EMAIL);
      expect(observer.events.filter((event) => event.method === 'POST')).toHaveLength(2);
    });

    it('connection reset mid-request is reconciled like a timeout', async () => {
      const { provider } = buildProvider();
      plu().post(CREATE_PATH).replyWithError(transportError('ECONNRESET'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([listedUser('acme-user-created', 'pending_kyc', EMAIL)], 0, 1));
      expect(await right(provider.createUser(validInput))).toMatchObject({
        userRef: pluRef('acme-user-created'),
      });
    });

    it('the caller resends with a reused key (400): finds the user created by the first request', async () => {
      const { provider } = buildProvider();
      plu()
        .post(CREATE_PATH)
        .matchHeader('idempotency-key', KEY)
        .reply(400, errorBody('IDEMPOTENCY_KEY_REUSED'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([listedUser('acme-user-first', 'pending_kyc', EMAIL)], 0, 1));
      expect(await right(provider.createUser(validInput, { idempotencyKey: KEY }))).toMatchObject({
        userRef: pluRef('acme-user-first'),
      });
    });

    it('the caller resends with a reused key and no user is listed yet: conflict, retryable, without resending', async () => {
      const { provider, observer } = buildProvider();
      plu().post(CREATE_PATH).reply(400, errorBody('IDEMPOTENCY_KEY_REUSED'));
      plu()
        .get(LIST_PATH)
        .query(true)
        .reply(200, page([], 0, 0));
      expect(await left(provider.createUser(validInput, { idempotencyKey: KEY }))).toMatchObject({
        kind: 'conflict',
        providerCode: 'IDEMPOTENCY_KEY_REUSED',
        retryable: true,
      });
      expect(observer.events.filter((event) => event.method === 'POST')).toHaveLength(1);
    });

    it('returns the original timeout when the reconciliation itself fails', async () => {
      const { provider } = buildProvider({}, { transport: { retry: false } });
      plu().post(CREATE_PATH).replyWithError(transportError('ETIMEDOUT'));
      plu().get(LIST_PATH).query(true).reply(503);
      expect(await left(provider.createUser(validInput))).toMatchObject({ kind: 'timeout', retryable: true });
      expect(nock.pendingMocks()).toEqual([]);
    });

    it('does not reconcile a call the caller aborted', async () => {
      const { provider, observer } = buildProvider();
      const controller = new AbortController();
      controller.abort();
      plu().post(CREATE_PATH).reply(201, fixture('create-user-response'));
      expect(await left(provider.createUser(validInput, { signal: controller.signal }))).toMatchObject({
        kind: 'network',
        providerCode: 'ABORTED',
      });
      expect(observer.events.every((event) => event.method === 'POST')).toBe(true);
    });
  });

  it('DUP_USER on the first POST: conflict carrying the existing user ref', async () => {
    const { provider } = buildProvider();
    plu().post(CREATE_PATH).reply(400, errorBody('DUP_USER'));
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, page([listedUser('acme-user-existing', 'approved', EMAIL)], 0, 1));
    expect(await left(provider.createUser(validInput))).toMatchObject({
      kind: 'conflict',
      providerCode: 'DUP_USER',
      userRef: pluRef('acme-user-existing'),
      retryable: false,
    });
  });

  it('DUP_USER when the lookup fails: plain conflict', async () => {
    const { provider } = buildProvider({}, { transport: { retry: false } });
    plu().post(CREATE_PATH).reply(400, errorBody('DUP_USER'));
    plu().get(LIST_PATH).query(true).reply(500, errorBody('INTERNAL_ERROR'));
    const error = await left(provider.createUser(validInput));
    expect(error).toMatchObject({ kind: 'conflict', providerCode: 'DUP_USER' });
    expect(error.userRef).toBeUndefined();
  });
});

describe('plu getStatus paging', () => {
  it('pages 100 users at a time and stops at the page holding the user', async () => {
    const { provider, observer } = buildProvider();
    plu()
      .get(LIST_PATH)
      .query({ skip: 0, limit: 100 })
      .reply(200, page(others(0, 100), 0, 1000));
    plu()
      .get(LIST_PATH)
      .query({ skip: 100, limit: 100 })
      .reply(200, page(others(100, 100), 100, 1000));
    plu()
      .get(LIST_PATH)
      .query({ skip: 200, limit: 100 })
      .reply(
        200,
        page([...others(200, 50), listedUser('acme-user-target', 'approved'), ...others(251, 49)], 200, 1000),
      );
    const result = await right(provider.getStatus(pluRef('acme-user-target')));
    expect(result).toMatchObject({ userRef: pluRef('acme-user-target'), state: { status: 'approved' } });
    expect(observer.count()).toBe(3);
    expect(JSON.stringify(result.raw)).not.toContain('@example.com');
  });

  it('stops once skip reaches total and reports not_found', async () => {
    const { provider, observer } = buildProvider();
    plu()
      .get(LIST_PATH)
      .query({ skip: 0, limit: 100 })
      .reply(200, page(others(0, 100), 0, 150));
    plu()
      .get(LIST_PATH)
      .query({ skip: 100, limit: 100 })
      .reply(200, page(others(100, 50), 100, 150));
    expect(await left(provider.getStatus(pluRef('acme-user-nobody')))).toMatchObject({
      kind: 'not_found',
      retryable: false,
    });
    expect(observer.count()).toBe(2);
  });

  it('advances by the users actually returned when Plu caps the page below 100', async () => {
    const { provider } = buildProvider();
    plu()
      .get(LIST_PATH)
      .query({ skip: 0, limit: 100 })
      .reply(200, page(others(0, 50), 0, 120));
    plu()
      .get(LIST_PATH)
      .query({ skip: 50, limit: 100 })
      .reply(200, page(others(50, 50), 50, 120));
    plu()
      .get(LIST_PATH)
      .query({ skip: 100, limit: 100 })
      .reply(200, page([...others(100, 19), listedUser('acme-user-last', 'pending_kyc')], 100, 120));
    expect(await right(provider.getStatus(pluRef('acme-user-last')))).toMatchObject({
      state: { status: 'pending' },
    });
  });

  it('goes past a short page when the total is missing (issue 12), and stops on an empty page', async () => {
    const { provider, observer } = buildProvider();
    plu()
      .get(LIST_PATH)
      .query({ skip: 0, limit: 100 })
      .reply(200, { status: 'success', data: { users: others(0, 30) } });
    plu()
      .get(LIST_PATH)
      .query({ skip: 30, limit: 100 })
      .reply(200, { status: 'success', data: { users: [] } });
    expect(await left(provider.getStatus(pluRef('acme-user-nobody')))).toMatchObject({ kind: 'not_found' });
    plu()
      .get(LIST_PATH)
      .query({ skip: 0, limit: 100 })
      .reply(200, page([], 0, 500));
    expect(await left(provider.getStatus(pluRef('acme-user-nobody')))).toMatchObject({ kind: 'not_found' });
    expect(observer.count()).toBe(3);
  });

  it('refuses to loop when Plu ignores skip', async () => {
    const { provider } = buildProvider();
    plu()
      .get(LIST_PATH)
      .query(true)
      .times(2)
      .reply(200, page(others(0, 100), 0, 1000));
    expect(await left(provider.getStatus(pluRef('acme-user-nobody')))).toMatchObject({
      kind: 'unexpected_response',
    });
  });

  it('lets the transport retry a failed page (a read is safe to resend)', async () => {
    const { provider } = buildProvider();
    plu().get(LIST_PATH).query(true).reply(503);
    plu().get(LIST_PATH).query(true).reply(200, fixture('list-users-response'));
    expect(await right(provider.getStatus(pluRef('acme-user-abc123')))).toMatchObject({
      state: { status: 'approved' },
    });
  });
});

describe('plu retry', () => {
  const RETRY_PATH = '/api/v2/partner/card/users/acme-user-abc123/retry-kyc';

  it('posts to retry-kyc with an idempotency key and no body', async () => {
    const { provider } = buildProvider();
    const scope = plu()
      .post(
        RETRY_PATH,
        (body) => body === '' || body === undefined || Object.keys(body as object).length === 0,
      )
      .matchHeader('idempotency-key', KEY)
      .reply(201, fixture('retry-kyc-response'));
    const result = await right(provider.retry(pluRef('acme-user-abc123'), { idempotencyKey: KEY }));
    expect(result).toMatchObject({
      userRef: pluRef('acme-user-abc123'),
      attempts: { count: 2, remaining: 2 },
      state: { status: 'pending', attempt: 2 },
    });
    expect(scope.isDone()).toBe(true);
  });

  it('reports the last allowed retry with no retries remaining, then the cap as retry_limit_reached', async () => {
    const { provider } = buildProvider();
    plu()
      .post(RETRY_PATH)
      .reply(201, {
        status: 'success',
        message: 'ok',
        data: { serviceId: 'acme-user-abc123', applicationStatus: 'pending', retryCount: 3 },
      });
    expect(await right(provider.retry(pluRef('acme-user-abc123')))).toMatchObject({
      attempts: { count: 4, remaining: 0 },
    });
    plu().post(RETRY_PATH).reply(400, errorBody('KYC_RETRY_LIMIT_REACHED'));
    expect(await left(provider.retry(pluRef('acme-user-abc123')))).toMatchObject({
      kind: 'retry_limit_reached',
      maxAttempts: 4,
      retryable: false,
    });
  });

  it('refuses strategies other than auto with the reason, before any call', async () => {
    const { provider, observer } = buildProvider();
    const error = await left(provider.retry(pluRef('acme-user-abc123'), { strategy: { kind: 'restart' } }));
    expect(error).toMatchObject({ kind: 'unsupported' });
    expect(error.message).toContain('Plu chooses the retry path itself');
    expect(observer.count()).toBe(0);
  });

  it('never resends a retry through the transport', async () => {
    const { provider, observer } = buildProvider();
    plu().post(RETRY_PATH).reply(503);
    expect(await left(provider.retry(pluRef('acme-user-abc123')))).toMatchObject({
      kind: 'provider_unavailable',
    });
    expect(observer.count()).toBe(1);
  });
});

describe('plu submitVerification', () => {
  it('is unsupported and points to the hosted flow redirect', async () => {
    const { provider, observer } = buildProvider();
    const error = await left(provider.submitVerification(pluRef('acme-user-abc123'), {}));
    expect(error).toMatchObject({ kind: 'unsupported', operation: 'submitVerification' });
    expect(error.message).toContain('nextAction.url');
    expect(provider.capabilities.operations.submitVerification).toEqual({
      supported: false,
      reason: expect.stringContaining('Persona'),
    });
    expect(observer.count()).toBe(0);
  });
});
