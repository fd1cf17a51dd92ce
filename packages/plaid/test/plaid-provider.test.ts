import * as E from 'fp-ts/Either';
import nock from 'nock';
import { countingObserver } from '@kycport/testing';
import { createPlaidProvider } from '../src/plaid-adapter';
import { newestAttempt } from '../src/plaid-attempts';
import type { PlaidProvider } from '../src/plaid-provider';
import type { PlaidIdentityVerification } from '../src/plaid-api';
import {
  activeAttempt,
  attempt,
  checkBody,
  config,
  failedAttempt,
  listOf,
  plaid,
  plaidError,
  plaidRef,
  recorded,
  resetWire,
  validInput,
  wireProblems,
  mockList,
} from './plaid-test-kit';

const REF = plaidRef('host-user-1');
let provider: PlaidProvider;
let observer: ReturnType<typeof countingObserver>;

beforeEach(() => {
  observer = countingObserver();
  provider = createPlaidProvider(config, { observer, transport: { sleep: async () => undefined } });
});
afterEach(() => {
  provider.close();
  expect(wireProblems).toEqual([]);
  resetWire();
});

describe('Plaid provider', () => {
  it('creates with is_idempotent and the user object, credentials only in headers', async () => {
    const scope = plaid()
      .post('/identity_verification/create', checkBody('/identity_verification/create'))
      .reply(200, activeAttempt());
    const result = await provider.createUser(validInput)();
    expect(E.isRight(result) && result.right.state.status).toBe('action_required');
    expect(recorded[0]?.body).toMatchObject({
      client_user_id: 'host-user-1',
      template_id: config.templateId,
      is_idempotent: true,
      gave_consent: true,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('returns action_required + redirect_unavailable when the attempt is not shareable (Link on the front end)', async () => {
    plaid()
      .post('/identity_verification/create', checkBody('/identity_verification/create'))
      .reply(200, activeAttempt({ shareable_url: null }));
    const result = await provider.createUser({
      ...validInput,
      providerOptions: { plaid: { isShareable: false } },
    })();
    expect(E.isRight(result) && result.right.state).toMatchObject({
      status: 'action_required',
      nextAction: { type: 'redirect_unavailable', reason: expect.stringContaining('Plaid Link') },
    });
    expect(recorded[0]?.body.is_shareable).toBe(false);
  });

  it('redacts personal data, document images and the shareable URL from raw', async () => {
    plaid()
      .post('/identity_verification/create', checkBody('/identity_verification/create'))
      .reply(200, activeAttempt());
    const result = await provider.createUser(validInput)();
    const raw = JSON.stringify(E.isRight(result) ? result.right.raw : null);
    for (const value of [
      'Leslie',
      '+12345678909',
      '1990-05-29',
      '123 Main St.',
      'original_front.jpeg',
      'liveness.jpeg',
      'flow.plaid.com',
      'AB123456',
    ]) {
      expect([value, raw.includes(value)]).toEqual([value, false]);
    }
  });

  it('retries create after a 500 because is_idempotent makes it safe', async () => {
    plaid()
      .post('/identity_verification/create')
      .reply(500, plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR'));
    plaid()
      .post('/identity_verification/create', checkBody('/identity_verification/create'))
      .reply(200, activeAttempt());
    expect(E.isRight(await provider.createUser(validInput)())).toBe(true);
    expect(observer.events.map((event) => event.outcome)).toEqual(['error', 'success']);
  });

  it('does not repeat /retry after a 500 (Plaid has no idempotency there)', async () => {
    mockList([failedAttempt()]);
    plaid().post('/identity_verification/retry').reply(500, plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR'));
    const result = await provider.retry(REF, { strategy: { kind: 'restart' } })();
    expect(E.isLeft(result) && result.left.kind).toBe('provider_unavailable');
    expect(
      observer.events.filter((event) => event.pathTemplate === '/identity_verification/retry'),
    ).toHaveLength(1);
  });

  it('follows next_cursor and picks the newest attempt by created_at', async () => {
    mockList([attempt({ id: 'idv_b', status: 'success', created_at: '2026-01-03T00:00:00Z' })], 'cursor-2');
    plaid()
      .post(
        '/identity_verification/list',
        (body: Record<string, unknown>) =>
          checkBody('/identity_verification/list')(body) && body.cursor === 'cursor-2',
      )
      .reply(200, listOf([failedAttempt('kyc_check', { id: 'idv_a', created_at: '2026-01-01T00:00:00Z' })]));
    const result = await provider.getStatus(REF)();
    expect(E.isRight(result) && result.right.state).toMatchObject({ status: 'approved', attempt: 2 });
  });

  it('orders attempts by created_at, later list entries winning ties', () => {
    const at = (id: string, created_at: string) => ({ id, created_at }) as PlaidIdentityVerification;
    expect(newestAttempt([at('a', '2026-01-02T00:00:00Z'), at('b', '2026-01-01T00:00:00Z')])?.id).toBe('a');
    expect(newestAttempt([at('a', '2026-01-02T00:00:00Z'), at('b', '2026-01-02T00:00:00Z')])?.id).toBe('b');
    expect(newestAttempt([])).toBeUndefined();
  });

  it('never picks an attempt a later one retried, whatever the list order and however close the times', () => {
    const at = (id: string, previous: string | null) =>
      ({
        id,
        created_at: '2026-01-02T00:00:00Z',
        previous_attempt_id: previous,
      }) as PlaidIdentityVerification;
    expect(newestAttempt([at('idv_retry', 'idv_first'), at('idv_first', null)])?.id).toBe('idv_retry');
    expect(newestAttempt([at('idv_first', null), at('idv_retry', 'idv_first')])?.id).toBe('idv_retry');
  });

  it('refuses resume after a failed watchlist screening before calling /retry', async () => {
    mockList([failedAttempt('watchlist_screening')]);
    const result = await provider.retry(REF, { strategy: { kind: 'resume' } })();
    expect(E.isLeft(result) && result.left).toMatchObject({
      kind: 'invalid_state',
      userRef: plaidRef('host-user-1'),
    });
    expect(observer.events.map((event) => event.pathTemplate)).toEqual(['/identity_verification/list']);
  });

  it('sends custom steps, counts attempts and passes is_shareable', async () => {
    mockList([failedAttempt(), failedAttempt('selfie_check', { id: 'idv_2' })]);
    plaid()
      .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
      .reply(200, activeAttempt());
    const result = await provider.retry(REF, {
      strategy: {
        kind: 'custom',
        steps: { verifySms: false, kycCheck: true, documentaryVerification: false, selfieCheck: true },
      },
      providerOptions: { plaid: { isShareable: true } },
    })();
    expect(E.isRight(result) && result.right.attempts).toEqual({ count: 3 });
    expect(recorded.find((request) => request.path === '/identity_verification/retry')?.body).toEqual({
      client_user_id: 'host-user-1',
      template_id: config.templateId,
      strategy: 'custom',
      steps: { verify_sms: false, kyc_check: true, documentary_verification: false, selfie_check: true },
      is_shareable: true,
    });
  });

  it('skips the lookup with checkStateFirst: false (attempt count then unknown)', async () => {
    plaid()
      .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
      .reply(200, activeAttempt());
    const result = await provider.retry(REF, {
      strategy: { kind: 'auto' },
      providerOptions: { plaid: { checkStateFirst: false } },
    })();
    expect(E.isRight(result) && result.right.attempts).toEqual({});
    expect(recorded.map((request) => request.path)).toEqual(['/identity_verification/retry']);
    expect(recorded[0]?.body.strategy).toBe('infer');
  });

  it('reports retry on a user without attempts as not_found', async () => {
    mockList([]);
    const result = await provider.retry(REF)();
    expect(E.isLeft(result) && result.left.kind).toBe('not_found');
  });

  it('refuses submitVerification with the reason, without a call', async () => {
    const result = await provider.submitVerification(REF, {})();
    expect(E.isLeft(result) && result.left).toMatchObject({
      kind: 'unsupported',
      operation: 'submitVerification',
    });
    expect(observer.count()).toBe(0);
  });

  it('reads one attempt by id with getVerification', async () => {
    plaid()
      .post('/identity_verification/get', checkBody('/identity_verification/get'))
      .reply(200, attempt({ id: 'idv_1', status: 'canceled' }));
    const result = await provider.getVerification('idv_1')();
    expect(E.isRight(result) && result.right).toMatchObject({
      userRef: plaidRef('host-user-1'),
      state: { status: 'canceled' },
    });
    const blank = await provider.getVerification(' ')();
    expect(E.isLeft(blank) && blank.left).toMatchObject({
      kind: 'validation',
      issues: [{ path: 'identityVerificationId' }],
    });
  });

  it('reports a 200 with the wrong shape as unexpected_response', async () => {
    plaid().post('/identity_verification/get').reply(200, { id: 'idv_1', request_id: 'r1' });
    const result = await provider.getVerification('idv_1')();
    expect(E.isLeft(result) && result.left).toMatchObject({ kind: 'unexpected_response', requestId: 'r1' });
  });
});

describe('Plaid createUser under failure (is_idempotent makes a repeat safe)', () => {
  it('says retryable, unknown and names the user after a timeout', async () => {
    plaid().post('/identity_verification/create').times(3).delay(300).reply(200, activeAttempt());
    const result = await provider.createUser(validInput, { timeoutMs: 50 })();
    expect(E.isLeft(result) && result.left).toMatchObject({
      kind: 'timeout',
      outcome: 'unknown',
      retryable: true,
      userRef: plaidRef('host-user-1'),
    });
  });

  it('says retryable, unknown and names the user after a 2xx it cannot read', async () => {
    plaid().post('/identity_verification/create').reply(200, '<html>not json</html>');
    const unreadable = await provider.createUser(validInput)();
    expect(E.isLeft(unreadable) && unreadable.left).toMatchObject({
      kind: 'unexpected_response',
      outcome: 'unknown',
      retryable: true,
      userRef: plaidRef('host-user-1'),
    });
    plaid().post('/identity_verification/create').reply(200, { id: 'idv_1', request_id: 'r1' });
    const wrongShape = await provider.createUser(validInput)();
    expect(E.isLeft(wrongShape) && wrongShape.left).toMatchObject({
      kind: 'unexpected_response',
      outcome: 'unknown',
      retryable: true,
    });
  });

  it('keeps a Plaid refusal rejected and not retryable', async () => {
    plaid().post('/identity_verification/create').reply(400, plaidError('INVALID_INPUT', 'INVALID_API_KEYS'));
    const result = await provider.createUser(validInput)();
    expect(E.isLeft(result) && result.left).toMatchObject({ outcome: 'rejected', retryable: false });
  });

  it('refuses an externalId with a lone surrogate (it becomes the UserRef) before any call', async () => {
    const result = await provider.createUser({
      applicant: { ...validInput.applicant, externalId: 'user-\uD800' },
    })();
    expect(E.isLeft(result) && result.left).toMatchObject({
      kind: 'validation',
      outcome: 'not_sent',
      issues: [{ path: 'applicant.externalId' }],
    });
    expect(observer.count()).toBe(0);
  });

  it('answers null or odd call options with a validation error, never a throw', async () => {
    for (const options of [null, 'fast', { signal: {} }]) {
      const created = await provider.createUser(validInput, options as never)();
      const status = await provider.getStatus(REF, options as never)();
      const read = await provider.getVerification('idv_1', options as never)();
      for (const result of [created, status, read]) {
        expect(E.isLeft(result) && result.left).toMatchObject({ kind: 'validation', outcome: 'not_sent' });
      }
    }
    expect(observer.count()).toBe(0);
  });

  it('says rejected for getStatus of a user Plaid lists no attempt for', async () => {
    mockList([]);
    const result = await provider.getStatus(REF)();
    expect(E.isLeft(result) && result.left).toMatchObject({ kind: 'not_found', outcome: 'rejected' });
  });
});

describe('Plaid shareable_url goes through redirectTo', () => {
  const HOSTILE = ['javascript:alert(1)', 'http://flow.plaid.com/verify/x', 'data:text/html,hi', 'not a url'];

  it.each(HOSTILE)('refuses %p from create as unexpected_response naming the user', async (url) => {
    plaid()
      .post('/identity_verification/create')
      .reply(200, activeAttempt({ shareable_url: url }));
    const result = await provider.createUser(validInput)();
    expect(E.isLeft(result) && result.left).toMatchObject({
      kind: 'unexpected_response',
      outcome: 'unknown',
      retryable: false,
      userRef: plaidRef('host-user-1'),
      issues: [{ path: 'response.shareable_url' }],
    });
    expect(JSON.stringify(result)).not.toContain(url);
  });

  it('refuses it from getStatus, retry and getVerification too', async () => {
    const hostile = activeAttempt({ shareable_url: 'javascript:alert(1)' });
    mockList([hostile]);
    mockList([failedAttempt()]);
    plaid().post('/identity_verification/retry').reply(200, hostile);
    plaid().post('/identity_verification/get').reply(200, hostile);
    const results = [
      await provider.getStatus(REF)(),
      await provider.retry(REF)(),
      await provider.getVerification('idv_new0000000001')(),
    ];
    expect(results.map((result) => E.isLeft(result) && result.left.kind)).toEqual([
      'unexpected_response',
      'unexpected_response',
      'unexpected_response',
    ]);
  });

  it('allows plain http only on the origin of a plain-http base URL (a local simulator)', async () => {
    const local = createPlaidProvider(
      { ...config, baseUrl: 'http://127.0.0.1:4010' },
      { transport: { sleep: async () => undefined } },
    );
    const answer = (url: string) =>
      nock('http://127.0.0.1:4010')
        .post('/identity_verification/create')
        .reply(200, activeAttempt({ shareable_url: url }));
    answer('http://127.0.0.1:4010/verify/idv_1?key=k');
    const same = await local.createUser(validInput)();
    expect(E.isRight(same) && same.right.state.nextAction).toEqual({
      type: 'redirect',
      url: 'http://127.0.0.1:4010/verify/idv_1?key=k',
    });
    answer('http://127.0.0.1:4011/verify/idv_1');
    const other = await local.createUser(validInput)();
    expect(E.isLeft(other) && other.left.kind).toBe('unexpected_response');
    local.close();
  });
});
