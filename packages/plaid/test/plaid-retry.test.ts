/**
 * `retry` after a lost answer (issue 11): the attempt list is compared before and after, a repeat
 * with `expectedAttempts` never starts a second attempt, and every error says what happened.
 */
import * as E from 'fp-ts/Either';
import type { KycError, RetryOptions, RetryResult, RetryStrategy } from '@kycport/core';
import { countingObserver } from '@kycport/testing';
import { createPlaidProvider } from '../src/plaid-adapter';
import type { PlaidProvider } from '../src/plaid-provider';
import {
  activeAttempt,
  checkBody,
  config,
  failedAttempt,
  listOf,
  plaid,
  plaidError,
  plaidRef,
  resetWire,
  wireProblems,
  mockList,
} from './plaid-test-kit';

const REF = plaidRef('host-user-1');
const FIRST = failedAttempt('kyc_check', { id: 'idv_first00000001', created_at: '2026-01-01T00:00:00Z' });
const SECOND = activeAttempt({
  id: 'idv_second0000001',
  previous_attempt_id: 'idv_first00000001',
  created_at: '2026-01-02T00:00:00Z',
});

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

/** `/retry` acts at Plaid, but the connection breaks before the answer arrives. */
const retryAnswerLost = () =>
  plaid()
    .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
    .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

const sent = (path: string) => observer.events.filter((event) => event.pathTemplate === path).length;

function right(result: E.Either<KycError, RetryResult>): RetryResult {
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

function left(result: E.Either<KycError, unknown>): KycError {
  if (E.isRight(result)) throw new Error('expected a KycError');
  return result.left;
}

const STRATEGIES: ReadonlyArray<[string, RetryStrategy]> = [
  ['restart', { kind: 'restart' }],
  ['resume', { kind: 'resume' }],
  [
    'custom',
    {
      kind: 'custom',
      steps: { verifySms: false, kycCheck: true, documentaryVerification: true, selfieCheck: false },
    },
  ],
  ['auto', { kind: 'auto' }],
];

describe('Plaid retry after a lost answer', () => {
  it.each(STRATEGIES)(
    '%s: returns the attempt the lost call started (list before and after), sending /retry once',
    async (_name, strategy) => {
      mockList([FIRST]);
      retryAnswerLost();
      mockList([FIRST, SECOND]);
      const result = right(await provider.retry(REF, { strategy })());
      expect(result).toMatchObject({ userRef: REF, attempts: { count: 2 }, state: { attempt: 2 } });
      expect(result.state.nextAction).toEqual({ type: 'redirect', url: SECOND.shareable_url });
      expect(sent('/identity_verification/retry')).toBe(1);
    },
  );

  it('also after a timeout and after a 2xx it cannot read', async () => {
    mockList([FIRST]);
    plaid().post('/identity_verification/retry').delay(300).reply(200, SECOND);
    mockList([FIRST, SECOND]);
    const timedOut = right(await provider.retry(REF, { strategy: { kind: 'restart' }, timeoutMs: 50 })());
    expect(timedOut.attempts).toEqual({ count: 2 });

    mockList([FIRST]);
    plaid().post('/identity_verification/retry').reply(200, '{"id": "idv_second0000001", trunc');
    mockList([FIRST, SECOND]);
    const unreadable = right(await provider.retry(REF, { strategy: { kind: 'restart' } })());
    expect(unreadable.attempts).toEqual({ count: 2 });
    expect(sent('/identity_verification/retry')).toBe(2);
  });

  it('says unknown and not retryable when Plaid lists no new attempt and no expectedAttempts was given', async () => {
    mockList([FIRST]);
    retryAnswerLost();
    mockList([FIRST]);
    const error = left(await provider.retry(REF, { strategy: { kind: 'restart' } })());
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', retryable: false, userRef: REF });
    expect(error.message).toContain('expectedAttempts');
  });

  it('says unknown and not retryable when the list cannot be read after the lost answer', async () => {
    mockList([FIRST]);
    retryAnswerLost();
    plaid()
      .post('/identity_verification/list')
      .times(3)
      .reply(503, plaidError('API_ERROR', 'PLANNED_MAINTENANCE'));
    const error = left(await provider.retry(REF, { strategy: { kind: 'restart' } })());
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', retryable: false, userRef: REF });
    expect(sent('/identity_verification/retry')).toBe(1);
  });

  it('with expectedAttempts, an unresolved lost answer is retryable: the repeat checks the count first', async () => {
    const options: RetryOptions = {
      strategy: { kind: 'restart' },
      providerOptions: { plaid: { expectedAttempts: 1 } },
    };
    mockList([FIRST]);
    retryAnswerLost();
    plaid()
      .post('/identity_verification/list')
      .times(3)
      .reply(503, plaidError('API_ERROR', 'PLANNED_MAINTENANCE'));
    const error = left(await provider.retry(REF, options)());
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', retryable: true, userRef: REF });

    // The host repeats the same call: Plaid now lists the attempt the lost call started.
    mockList([FIRST, SECOND]);
    const repeated = right(await provider.retry(REF, options)());
    expect(repeated).toMatchObject({ attempts: { count: 2 }, state: { attempt: 2 } });
    expect(sent('/identity_verification/retry')).toBe(1);
  });

  it('with expectedAttempts, a repeat while Plaid still lists that many sends /retry', async () => {
    mockList([FIRST]);
    plaid()
      .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
      .reply(200, SECOND);
    const result = right(
      await provider.retry(REF, {
        strategy: { kind: 'restart' },
        providerOptions: { plaid: { expectedAttempts: 1 } },
      })(),
    );
    expect(result.attempts).toEqual({ count: 2 });
    expect(sent('/identity_verification/retry')).toBe(1);
  });

  it('with expectedAttempts above what Plaid lists: invalid_state, nothing sent', async () => {
    mockList([FIRST]);
    const error = left(
      await provider.retry(REF, {
        strategy: { kind: 'restart' },
        providerOptions: { plaid: { expectedAttempts: 3 } },
      })(),
    );
    expect(error).toMatchObject({ kind: 'invalid_state', outcome: 'not_sent', retryable: false });
    expect(sent('/identity_verification/retry')).toBe(0);
  });

  it('refuses expectedAttempts with checkStateFirst: false (the guard needs the lookup), before any call', async () => {
    const error = left(
      await provider.retry(REF, {
        providerOptions: { plaid: { expectedAttempts: 1, checkStateFirst: false } },
      })(),
    );
    expect(error).toMatchObject({
      kind: 'validation',
      outcome: 'not_sent',
      issues: [{ path: 'providerOptions.plaid.expectedAttempts' }],
    });
    expect(observer.count()).toBe(0);
  });

  it('without the lookup (checkStateFirst: false), a lost answer stays unknown and not retryable', async () => {
    retryAnswerLost();
    const error = left(
      await provider.retry(REF, {
        strategy: { kind: 'restart' },
        providerOptions: { plaid: { checkStateFirst: false } },
      })(),
    );
    expect(error).toMatchObject({ outcome: 'unknown', retryable: false, userRef: REF });
    expect(observer.count()).toBe(1);
  });

  it('says not_sent for a failure of the lookup before /retry (a lost list answer started nothing)', async () => {
    plaid()
      .post('/identity_verification/list')
      .times(3)
      .delay(300)
      .reply(200, listOf([FIRST]));
    const error = left(await provider.retry(REF, { strategy: { kind: 'restart' }, timeoutMs: 50 })());
    expect(error).toMatchObject({ kind: 'timeout', outcome: 'not_sent', retryable: true });
    expect(sent('/identity_verification/retry')).toBe(0);
  });

  it('says not_sent for a refused strategy and an unknown user, rejected for a Plaid refusal', async () => {
    mockList([activeAttempt()]);
    expect(left(await provider.retry(REF)())).toMatchObject({ kind: 'invalid_state', outcome: 'not_sent' });
    mockList([]);
    expect(left(await provider.retry(REF)())).toMatchObject({ kind: 'not_found', outcome: 'not_sent' });
    mockList([FIRST]);
    plaid().post('/identity_verification/retry').reply(400, plaidError('INVALID_REQUEST', 'INVALID_FIELD'));
    expect(left(await provider.retry(REF, { strategy: { kind: 'resume' } })())).toMatchObject({
      kind: 'invalid_state',
      outcome: 'rejected',
    });
  });

  it('answers a null options object with a validation error, never a throw', async () => {
    const error = left(await provider.retry(REF, null as unknown as RetryOptions)());
    expect(error).toMatchObject({ kind: 'validation', outcome: 'not_sent', issues: [{ path: 'options' }] });
    expect(observer.count()).toBe(0);
  });
});
