/**
 * Issue 13: Plu as hosts see it, built through `createPluProvider` (nock, no network). Results,
 * errors naming a user and webhook events carry `plu:<serviceId>`; a ref handed in may be Plu's
 * qualified ref or a bare serviceId stored before refs were qualified, and Plu receives the bare
 * serviceId either way; another provider's ref is a `validation` error naming that provider, and
 * nothing is sent. The webhook handler names its signature headers (`signatureHeaders`), one per
 * scheme it verifies, so a router with one webhook URL can tell a Plu delivery.
 */
import { createHmac } from 'node:crypto';
import * as E from 'fp-ts/Either';
import nock from 'nock';
import { getHeader, userRef } from '@kycport/core';
import type { KycError, UserRef, WebhookRequest } from '@kycport/core';
import { PLU_SIGNATURE_HEADERS, pluAdapter } from '../src';
import {
  API_KEY,
  buildProvider,
  cleanNockAfterEach,
  errorBody,
  fixture,
  listPage,
  listedUser,
  plu,
  pluRef,
  signedDelivery,
  validInput,
} from './plu-test-support';

const CREATE_PATH = '/api/v2/partner/card/users';
const LIST_PATH = '/api/v1/partner/card/users';
const RETRY_PATH = (serviceId: string) =>
  `/api/v2/partner/card/users/${encodeURIComponent(serviceId)}/retry-kyc`;
const SERVICE_ID = 'acme-user-abc123';

cleanNockAfterEach();

async function right<A>(task: () => Promise<E.Either<KycError, A>>): Promise<A> {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

async function left<A>(task: () => Promise<E.Either<KycError, A>>): Promise<KycError> {
  const result = await task();
  if (E.isRight(result)) throw new Error('expected a KycError');
  return result.left;
}

const retried = (serviceId: string, retryCount = 1) => ({
  status: 'success',
  message: 'KYC retry initiated successfully',
  data: { serviceId, applicationStatus: 'pending', retryCount },
});

describe('plu: what hosts receive carries plu:<serviceId>', () => {
  it('createUser: the created user', async () => {
    const { provider } = buildProvider();
    plu().post(CREATE_PATH).reply(201, fixture('create-user-response'));
    const result = await right(provider.createUser(validInput));
    expect(result.userRef).toBe('plu:acme-user-abc123def456ghi');
    expect(result.provider).toBe('plu');
  });

  it('getStatus and retry: the user asked about', async () => {
    const { provider } = buildProvider();
    plu().get(LIST_PATH).query(true).reply(200, fixture('list-users-response'));
    expect((await right(provider.getStatus(pluRef(SERVICE_ID)))).userRef).toBe(`plu:${SERVICE_ID}`);
    plu().post(RETRY_PATH(SERVICE_ID)).reply(201, retried(SERVICE_ID));
    expect((await right(provider.retry(pluRef(SERVICE_ID)))).userRef).toBe(`plu:${SERVICE_ID}`);
  });

  it('errors naming a user: a refused retry, an unreadable create, a DUP_USER conflict', async () => {
    const { provider } = buildProvider();
    plu().post(RETRY_PATH(SERVICE_ID)).reply(400, errorBody('KYC_NOT_DENIED'));
    expect(await left(provider.retry(pluRef(SERVICE_ID)))).toMatchObject({
      kind: 'invalid_state',
      userRef: `plu:${SERVICE_ID}`,
    });
    plu()
      .post(CREATE_PATH)
      .reply(201, { status: 'success', message: 'ok', data: { serviceId: 'acme-user-new' } });
    expect(await left(provider.createUser(validInput))).toMatchObject({
      kind: 'unexpected_response',
      userRef: 'plu:acme-user-new',
    });
    plu().post(CREATE_PATH).reply(400, errorBody('DUP_USER'));
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([listedUser('acme-user-existing', 'approved', 'jane.doe@example.com')], 0, 1));
    expect(await left(provider.createUser(validInput))).toMatchObject({
      kind: 'conflict',
      userRef: 'plu:acme-user-existing',
    });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('webhook events: the user the event is about', async () => {
    const { provider } = buildProvider();
    for (const name of ['webhook-kyc-approved', 'webhook-legacy-kyc-approved', 'webhook-kyc-denied']) {
      const body = fixture(name);
      const { serviceId } = body.data as { serviceId: string };
      const event = await right(provider.webhooks.parseWebhook(signedDelivery(body)));
      expect([name, event.userRef]).toEqual([name, `plu:${serviceId}`]);
    }
  });

  it('getStatuses: each entry and result (one pass over the list; see plu-bulk-status.test.ts)', async () => {
    const { provider } = buildProvider();
    plu()
      .get(LIST_PATH)
      .query({ skip: '0', limit: '100' })
      .reply(200, listPage([listedUser(SERVICE_ID, 'approved')], 0, 1));
    const bulk = provider.getStatuses;
    if (bulk === undefined) throw new Error('the Plu provider has no getStatuses');
    const [entry] = await right(bulk([pluRef(SERVICE_ID)]));
    expect(entry).toMatchObject({ ref: pluRef(SERVICE_ID), result: { userRef: pluRef(SERVICE_ID) } });
  });
});

describe('plu: refs handed in reach Plu as the bare serviceId', () => {
  it.each([
    ['its own qualified ref', pluRef(SERVICE_ID)],
    ['a bare ref stored before refs were qualified', userRef(SERVICE_ID)],
  ])('retry with %s posts to the serviceId path and answers plu:<serviceId>', async (_name, ref) => {
    const { provider } = buildProvider();
    const scope = plu().post(RETRY_PATH(SERVICE_ID)).reply(201, retried(SERVICE_ID));
    expect((await right(provider.retry(ref))).userRef).toBe(`plu:${SERVICE_ID}`);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['its own qualified ref', pluRef('acme-user-def456')],
    ['a bare ref stored before refs were qualified', userRef('acme-user-def456')],
  ])('getStatus with %s finds the serviceId in the list', async (_name, ref) => {
    const { provider } = buildProvider();
    const scope = plu().get(LIST_PATH).query(true).reply(200, fixture('list-users-response'));
    expect(await right(provider.getStatus(ref))).toMatchObject({
      userRef: 'plu:acme-user-def456',
      state: { status: 'pending' },
    });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['qualified, the id containing ":"', pluRef('acme:user-1'), 'acme:user-1'],
    ['bare with a prefix that names no provider', userRef('order:42'), 'order:42'],
  ])('a serviceId containing ":" round-trips (%s)', async (_name, ref, serviceId) => {
    const { provider } = buildProvider();
    const scope = plu().post(RETRY_PATH(serviceId)).reply(201, retried(serviceId));
    expect((await right(provider.retry(ref))).userRef).toBe(`plu:${serviceId}`);
    expect(scope.isDone()).toBe(true);
  });
});

describe("plu: another provider's ref is refused before any request", () => {
  const operations: ReadonlyArray<
    [string, (provider: ReturnType<typeof buildProvider>['provider'], ref: UserRef) => Promise<unknown>]
  > = [
    ['getStatus', (provider, ref) => provider.getStatus(ref)()],
    ['retry', (provider, ref) => provider.retry(ref)()],
    ['submitVerification', (provider, ref) => provider.submitVerification(ref, {})()],
  ];
  const foreign = ['p100', 'plaid', 'fake'].flatMap((owner) =>
    operations.map(([operation, call]) => [owner, operation, call] as const),
  );

  it.each(foreign)(
    'a %s: ref on %s: validation naming that provider, nothing sent',
    async (owner, _op, call) => {
      const { provider, observer } = buildProvider();
      // Interceptors for every request the call could make: none may be used.
      const scope = plu()
        .post(RETRY_PATH(SERVICE_ID))
        .reply(201, retried(SERVICE_ID))
        .get(LIST_PATH)
        .query(true)
        .reply(200, fixture('list-users-response'));
      const result = (await call(provider, userRef(`${owner}:${SERVICE_ID}`))) as E.Either<KycError, unknown>;
      if (E.isRight(result)) throw new Error('expected a validation error');
      expect(result.left).toMatchObject({
        kind: 'validation',
        provider: 'plu',
        retryable: false,
        outcome: 'not_sent',
        issues: [{ path: 'ref', message: expect.stringContaining(`"${owner}"`) }],
      });
      expect(result.left.message).toContain(`"${owner}"`);
      // The refusal names the provider, never the ref.
      expect(result.left.message).not.toContain(SERVICE_ID);
      expect(scope.isDone()).toBe(false);
      expect(nock.pendingMocks()).toHaveLength(2);
      expect(observer.count()).toBe(0);
    },
  );
});

/** A `whsec_` secret (base64 after the prefix) so every scheme can be signed with it. */
const KEY_BYTES = Buffer.from('kycport-plu-refs-key-001', 'utf8');
const SECRET = `whsec_${KEY_BYTES.toString('base64')}`;
const NOW_MS = Date.parse('2026-05-01T10:00:00.000Z');
const NOW_S = Math.floor(NOW_MS / 1000);
const BODY = JSON.stringify(fixture('webhook-kyc-approved'));
const hmac = (key: string | Buffer, payload: string, encoding: 'hex' | 'base64') =>
  createHmac('sha256', key).update(payload).digest(encoding);
const standard = (prefix: 'webhook' | 'svix') => ({
  [`${prefix}-id`]: 'msg_1',
  [`${prefix}-timestamp`]: String(NOW_S),
  [`${prefix}-signature`]: `v1,${hmac(KEY_BYTES, `msg_1.${NOW_S}.${BODY}`, 'base64')}`,
});
const timestamped = `t=${NOW_S},v1=${hmac(SECRET, `${NOW_S}.${BODY}`, 'hex')}`;

/** Deliveries signed under each scheme the handler verifies (header names as senders write them). */
const SIGNED: ReadonlyArray<[string, Record<string, string>]> = [
  ['X-Webhook-Signature', { 'X-Webhook-Signature': hmac(SECRET, BODY, 'hex') }],
  ['Standard Webhooks', standard('webhook')],
  ['Svix', standard('svix')],
  ['Plu-Signature', { 'Plu-Signature': timestamped }],
  ['Persona-Signature', { 'Persona-Signature': timestamped }],
];

describe('plu: signatureHeaders', () => {
  const built = () => buildProvider({ webhookSecret: SECRET }, { now: () => NOW_MS }).provider;

  it('names, in lower case, the signature header of every scheme Plu deliveries are verified under', () => {
    const { webhooks } = built();
    expect(webhooks.signatureHeaders).toEqual([
      'x-webhook-signature',
      'webhook-signature',
      'svix-signature',
      'plu-signature',
      'persona-signature',
    ]);
    expect(PLU_SIGNATURE_HEADERS).toEqual(webhooks.signatureHeaders);
    // The adapter as the container builds it (config parsed once, then `create`) keeps them.
    const config = pluAdapter.parseConfig({ apiKey: API_KEY, environment: 'staging', webhookSecret: SECRET });
    if (E.isLeft(config)) throw new Error(config.left.message);
    const adapter = pluAdapter.create(config.right);
    expect(adapter.webhooks.signatureHeaders).toEqual(PLU_SIGNATURE_HEADERS);
    adapter.close();
  });

  it.each(SIGNED)(
    'a delivery signed with %s carries one and is accepted, naming plu:',
    async (_n, headers) => {
      const { webhooks } = built();
      const request: WebhookRequest = {
        headers: { 'content-type': 'application/json', ...headers },
        rawBody: BODY,
      };
      const marked = (webhooks.signatureHeaders ?? []).filter(
        (name) => getHeader(request.headers, name) !== undefined,
      );
      expect(marked).toHaveLength(1);
      expect(await right(webhooks.parseWebhook(request))).toMatchObject({
        provider: 'plu',
        userRef: 'plu:acme-user-7mFQc5aCslAWtkd',
      });
    },
  );

  it.each(PLU_SIGNATURE_HEADERS.map((name) => [name]))(
    '%s alone is read by the verifier (a wrong value is refused by its scheme, not as unsigned)',
    async (name) => {
      const { webhooks } = built();
      const error = await left(
        webhooks.parseWebhook({ headers: { [name]: 'v1,not-a-signature' }, rawBody: BODY }),
      );
      expect(error.kind).toBe('webhook_rejected');
      expect(error.message).not.toContain('no signature header');
    },
  );

  it('a delivery with none of them is not marked, and is refused as unsigned', async () => {
    const { webhooks } = built();
    const headers = { 'content-type': 'application/json', 'x-signature': hmac(SECRET, BODY, 'hex') };
    expect((webhooks.signatureHeaders ?? []).some((name) => getHeader(headers, name) !== undefined)).toBe(
      false,
    );
    const error = await left(webhooks.parseWebhook({ headers, rawBody: BODY }));
    expect(error).toMatchObject({ kind: 'webhook_rejected' });
    expect(error.message).toContain('no signature header');
  });
});
