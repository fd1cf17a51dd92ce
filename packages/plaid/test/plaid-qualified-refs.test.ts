/**
 * Issue 13: Plaid built through `createPlaidProvider` hands hosts provider-qualified refs
 * (`plaid:<client_user_id>`) in results, errors naming the user, webhook events and its own extras
 * (`getVerification`, `resolvePlaidEvent`); it accepts its own qualified ref and a bare ref stored
 * before (legacy), sending the bare client_user_id on the wire; another provider's ref is a
 * `validation` error naming that provider, and Plaid sees no request. Its webhook handler names
 * the header Plaid signs deliveries with.
 */
import nock from 'nock';
import * as E from 'fp-ts/Either';
import { getHeader, userRef } from '@kycport/core';
import type { KycError, KycEvent, UserRef } from '@kycport/core';
import { countingObserver } from '@kycport/testing';
import { createPlaidProvider } from '../src/plaid-adapter';
import type { PlaidProvider } from '../src/plaid-provider';
import { PLAID_VERIFICATION_HEADER } from '../src/plaid-webhooks';
import {
  BASE_URL,
  NOW_MS,
  activeAttempt,
  attempt,
  checkBody,
  config,
  failedAttempt,
  listOf,
  mockKey,
  plaid,
  plaidRef,
  recorded,
  resetWire,
  signWebhook,
  validInput,
  webhookBody,
  webhookKey,
  wireProblems,
  mockList,
} from './plaid-test-kit';
import type { WebhookKey } from './plaid-test-kit';

const CLIENT_USER_ID = validInput.applicant.externalId;
const REF = plaidRef(CLIENT_USER_ID);
const BARE_REF = userRef(CLIENT_USER_ID);
const IDV = 'idv_52xR9LKo77r1Np';

let provider: PlaidProvider;
let observer: ReturnType<typeof countingObserver>;
let key: WebhookKey;

beforeAll(async () => {
  key = await webhookKey('kid-qualified-refs');
});
beforeEach(() => {
  observer = countingObserver();
  provider = createPlaidProvider(config, {
    observer,
    transport: { sleep: async () => undefined },
    now: () => NOW_MS,
  });
});
afterEach(() => {
  provider.close();
  expect(wireProblems).toEqual([]);
  resetWire();
});

function right<A>(result: E.Either<KycError, A>): A {
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}
function left<A>(result: E.Either<KycError, A>): KycError {
  if (E.isRight(result)) throw new Error('expected a KycError');
  return result.left;
}

const retryReplies = () =>
  plaid()
    .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
    .reply(200, activeAttempt({ id: 'idv_retried0000001' }));
const getReplies = (body: Record<string, unknown> = activeAttempt({ id: IDV })) =>
  plaid().post('/identity_verification/get', checkBody('/identity_verification/get')).reply(200, body);
const bodiesSentTo = (path: string) =>
  recorded.filter((request) => request.path === path).map((request) => request.body);

/** An authentic delivery, parsed: the event as the host receives it. */
async function parsedEvent(): Promise<KycEvent> {
  mockKey(key);
  getReplies();
  return right(
    await provider.webhooks.parseWebhook(await signWebhook(key, webhookBody('STATUS_UPDATED', IDV)))(),
  );
}

describe('plaid: results and errors naming the user carry plaid:<client_user_id>', () => {
  it('createUser returns the qualified ref (the string the host stores), sending the bare id', async () => {
    plaid()
      .post('/identity_verification/create', checkBody('/identity_verification/create'))
      .reply(200, activeAttempt());
    const result = right(await provider.createUser(validInput)());
    expect(result.userRef).toBe(`plaid:${CLIENT_USER_ID}`);
    expect(bodiesSentTo('/identity_verification/create')).toEqual([
      expect.objectContaining({ client_user_id: CLIENT_USER_ID }),
    ]);
  });

  it('getStatus and retry return the qualified ref', async () => {
    mockList([failedAttempt()]);
    mockList([failedAttempt()]);
    retryReplies();
    expect(right(await provider.getStatus(REF)()).userRef).toBe(REF);
    expect(right(await provider.retry(REF, { strategy: { kind: 'restart' } })()).userRef).toBe(REF);
  });

  it('a lost create answer names the qualified ref', async () => {
    plaid().post('/identity_verification/create').times(3).delay(300).reply(200, activeAttempt());
    const error = left(await provider.createUser(validInput, { timeoutMs: 50 })());
    expect(error).toMatchObject({ kind: 'timeout', outcome: 'unknown', userRef: REF });
  });

  it('a retry refused on the newest attempt names the qualified ref', async () => {
    mockList([failedAttempt('watchlist_screening')]);
    const error = left(await provider.retry(REF, { strategy: { kind: 'resume' } })());
    expect(error).toMatchObject({ kind: 'invalid_state', outcome: 'not_sent', userRef: REF });
  });

  it('a webhook event names the qualified ref', async () => {
    const event = await parsedEvent();
    expect(event).toMatchObject({ provider: 'plaid', userRef: REF, resourceId: IDV, stateIncluded: false });
  });

  it('has no bulk read (statusLookup list_latest): getStatuses is absent', () => {
    expect(provider.getStatuses).toBeUndefined();
    expect(provider.capabilities.bulkStatus).toBeUndefined();
  });
});

describe('plaid: its extras are qualified too', () => {
  it('getVerification returns the qualified ref', async () => {
    getReplies(attempt({ id: 'idv_1', status: 'canceled' }));
    expect(right(await provider.getVerification('idv_1')())).toMatchObject({
      userRef: REF,
      state: { status: 'canceled' },
    });
  });

  it('getVerification: an error naming the user names the qualified ref', async () => {
    getReplies(activeAttempt({ id: 'idv_1', shareable_url: 'javascript:alert(1)' }));
    const error = left(await provider.getVerification('idv_1')());
    expect(error).toMatchObject({ kind: 'unexpected_response', userRef: REF });
  });

  it('resolvePlaidEvent takes the event parseWebhook gave (qualified ref) and answers with the qualified ref', async () => {
    const event = await parsedEvent();
    getReplies(attempt({ id: IDV, status: 'failed', steps: { selfie_check: 'failed' } }));
    const resolved = right(await provider.resolvePlaidEvent(event)());
    expect(resolved).toMatchObject({
      userRef: REF,
      state: { status: 'denied', reasonCodes: ['selfie_check'] },
    });
    expect(bodiesSentTo('/identity_verification/get').at(-1)).toMatchObject({
      identity_verification_id: IDV,
    });
  });

  it('resolvePlaidEvent takes an event stored with a bare (legacy) ref', async () => {
    const event = await parsedEvent();
    getReplies(attempt({ id: IDV, status: 'success' }));
    const resolved = right(await provider.resolvePlaidEvent({ ...event, userRef: BARE_REF })());
    expect(resolved).toMatchObject({ userRef: REF, state: { status: 'approved' } });
  });
});

describe.each<[string, UserRef]>([
  ['its own qualified ref', REF],
  ['a bare (legacy) ref', BARE_REF],
])('plaid accepts %s and sends the bare client_user_id', (_name, ref) => {
  it('getStatus lists by the bare client_user_id, answering with the qualified ref', async () => {
    const scope = mockList([failedAttempt()]);
    const result = right(await provider.getStatus(ref)());
    expect(scope.isDone()).toBe(true);
    expect(result.userRef).toBe(REF);
    expect(bodiesSentTo('/identity_verification/list')).toEqual([
      expect.objectContaining({ client_user_id: CLIENT_USER_ID }),
    ]);
  });

  it('retry lists and retries by the bare client_user_id, answering with the qualified ref', async () => {
    const scope = mockList([failedAttempt()]);
    const retryScope = retryReplies();
    const result = right(await provider.retry(ref, { strategy: { kind: 'restart' } })());
    expect(scope.isDone() && retryScope.isDone()).toBe(true);
    expect(result.userRef).toBe(REF);
    expect(bodiesSentTo('/identity_verification/retry')).toEqual([
      expect.objectContaining({ client_user_id: CLIENT_USER_ID }),
    ]);
  });
});

describe('plaid: a ref whose id holds the separator', () => {
  it('sends everything after the first `:` verbatim and hands the same ref back', async () => {
    mockList([failedAttempt('kyc_check', { client_user_id: 'order:42' })]);
    const result = right(await provider.getStatus(plaidRef('order:42'))());
    expect(bodiesSentTo('/identity_verification/list')).toEqual([
      expect.objectContaining({ client_user_id: 'order:42' }),
    ]);
    expect(result.userRef).toBe('plaid:order:42');
  });

  it('reads a bare id with an unknown prefix (`order:42`, stored before) as bare', async () => {
    mockList([failedAttempt('kyc_check', { client_user_id: 'order:42' })]);
    const result = right(await provider.getStatus(userRef('order:42'))());
    expect(bodiesSentTo('/identity_verification/list')).toEqual([
      expect.objectContaining({ client_user_id: 'order:42' }),
    ]);
    expect(result.userRef).toBe('plaid:order:42');
  });
});

describe.each(['plu', 'p100', 'fake'])("plaid refuses a ref of provider '%s' before any request", (other) => {
  const foreign = userRef(`${other}:${CLIENT_USER_ID}`);
  const refusal = {
    kind: 'validation',
    provider: 'plaid',
    outcome: 'not_sent',
    retryable: false,
    issues: [{ path: 'ref', message: expect.stringContaining(`"${other}"`) }],
  };

  /** Every Plaid endpoint a ref could reach; none of them may be called. */
  function untouchable(): nock.Scope {
    return nock(BASE_URL)
      .post('/identity_verification/list')
      .reply(200, listOf([failedAttempt()]))
      .post('/identity_verification/retry')
      .reply(200, activeAttempt())
      .post('/identity_verification/get')
      .reply(200, attempt({ id: IDV }));
  }

  function expectNothingSent(scope: nock.Scope): void {
    expect(scope.isDone()).toBe(false);
    expect(scope.pendingMocks()).toHaveLength(3);
    expect(observer.count()).toBe(0);
    expect(recorded).toEqual([]);
  }

  it('getStatus, retry and submitVerification answer validation naming that provider', async () => {
    const scope = untouchable();
    const errors = [
      left(await provider.getStatus(foreign)()),
      left(await provider.retry(foreign, { strategy: { kind: 'restart' } })()),
      left(await provider.submitVerification(foreign, {})()),
    ];
    for (const error of errors) {
      expect(error).toMatchObject(refusal);
      expect(error.message).not.toContain(CLIENT_USER_ID);
    }
    expectNothingSent(scope);
  });

  it('resolvePlaidEvent refuses an event naming that provider’s user, with no /get', async () => {
    const event = await parsedEvent();
    recorded.length = 0;
    const before = observer.count();
    const scope = untouchable();
    const error = left(await provider.resolvePlaidEvent({ ...event, userRef: foreign })());
    expect(error).toMatchObject(refusal);
    expect(scope.isDone()).toBe(false);
    expect(scope.pendingMocks()).toHaveLength(3);
    expect(observer.count()).toBe(before);
    expect(recorded).toEqual([]);
  });
});

describe('plaid webhook handler: signatureHeaders', () => {
  it('names the lower-case Plaid-Verification header', () => {
    expect(provider.webhooks.signatureHeaders).toEqual(['plaid-verification']);
    expect(provider.webhooks.signatureHeaders).toEqual([PLAID_VERIFICATION_HEADER.toLowerCase()]);
  });

  it('is the header every signed delivery carries', async () => {
    const delivery = await signWebhook(key, webhookBody());
    for (const header of provider.webhooks.signatureHeaders ?? []) {
      expect(getHeader(delivery.headers, header)).toEqual(expect.any(String));
    }
    expect(Object.keys(delivery.headers).map((name) => name.toLowerCase())).toEqual(
      provider.webhooks.signatureHeaders,
    );
  });
});
