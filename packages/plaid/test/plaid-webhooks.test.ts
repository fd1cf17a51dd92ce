import { SignJWT } from 'jose';
import * as E from 'fp-ts/Either';
import type { KycError, KycEvent, WebhookRequest } from '@kycport/core';
import { countingObserver } from '@kycport/testing';
import { createPlaidProvider } from '../src/plaid-adapter';
import type { PlaidProvider } from '../src/plaid-provider';
import {
  NOW_MS,
  activeAttempt,
  attempt,
  checkBody,
  config,
  hs256Token,
  mockKey,
  plaid,
  plaidError,
  plaidRef,
  resetWire,
  signWebhook,
  unsignedToken,
  webhookBody,
  webhookKey,
  wireProblems,
} from './plaid-test-kit';
import type { WebhookKey } from './plaid-test-kit';

const IDV = 'idv_52xR9LKo77r1Np';
let provider: PlaidProvider;
let observer: ReturnType<typeof countingObserver>;
let key: WebhookKey;
let clock = NOW_MS;

beforeAll(async () => {
  key = await webhookKey('kid-current');
});
beforeEach(() => {
  clock = NOW_MS;
  observer = countingObserver();
  provider = createPlaidProvider(config, {
    observer,
    transport: { sleep: async () => undefined },
    now: () => clock,
  });
});
afterEach(() => {
  provider.close();
  expect(wireProblems).toEqual([]);
  resetWire();
});

function mockGet(body: Record<string, unknown> = activeAttempt({ id: IDV })) {
  return plaid().post('/identity_verification/get', checkBody('/identity_verification/get')).reply(200, body);
}

async function parse(request: WebhookRequest): Promise<E.Either<KycError, KycEvent>> {
  return provider.webhooks.parseWebhook(request)();
}

async function rejection(request: WebhookRequest): Promise<KycError> {
  const result = await parse(request);
  if (E.isRight(result)) throw new Error('expected a rejection');
  expect(result.left.kind).toBe('webhook_rejected');
  return result.left;
}

describe('Plaid webhooks', () => {
  it('accepts a valid token, names the user with one /get and says the state is not included', async () => {
    const keyScope = mockKey(key);
    const getScope = mockGet();
    const result = await parse(await signWebhook(key, webhookBody('STATUS_UPDATED', IDV)));
    expect(result).toEqual(
      E.right({
        provider: 'plaid',
        type: 'IDENTITY_VERIFICATION.STATUS_UPDATED',
        dedupeKey: expect.stringMatching(/^plaid:[0-9a-f]{64}$/),
        dedupeKeyStrength: 'weak',
        userRef: plaidRef('host-user-1'),
        raw: {
          webhook_type: 'IDENTITY_VERIFICATION',
          webhook_code: 'STATUS_UPDATED',
          identity_verification_id: IDV,
          environment: 'sandbox',
        },
        stateIncluded: false,
        resourceId: IDV,
      }),
    );
    expect(keyScope.isDone() && getScope.isDone()).toBe(true);
  });

  it('accepts a Uint8Array body and any header casing, and caches the key', async () => {
    mockKey(key);
    mockGet();
    mockGet();
    const signed = await signWebhook(key, webhookBody('STEP_UPDATED', IDV));
    expect(E.isRight(await parse(signed))).toBe(true);
    const again = await parse({
      headers: { 'PLAID-VERIFICATION': signed.headers['plaid-verification'] },
      rawBody: new TextEncoder().encode(signed.rawBody),
    });
    expect(E.isRight(again)).toBe(true);
    expect(
      observer.events.filter((event) => event.pathTemplate === '/webhook_verification_key/get'),
    ).toHaveLength(1);
  });

  it('rejects alg none before any key fetch', async () => {
    await rejection({
      headers: { 'Plaid-Verification': unsignedToken(key.kid, webhookBody()) },
      rawBody: webhookBody(),
    });
    expect(observer.count()).toBe(0);
  });

  it('rejects a wrong alg (HS256, RS256) before any key fetch', async () => {
    await rejection({
      headers: { 'Plaid-Verification': await hs256Token(key.kid, webhookBody()) },
      rawBody: webhookBody(),
    });
    const rs256Header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: key.kid })).toString('base64url');
    await rejection({ headers: { 'Plaid-Verification': `${rs256Header}.e30.c2ln` }, rawBody: webhookBody() });
    expect(observer.count()).toBe(0);
  });

  it('rejects a token whose iat is more than 5 minutes old (injectable clock)', async () => {
    mockKey(key);
    const signed = await signWebhook(key, webhookBody(), { iatSeconds: Math.floor(NOW_MS / 1000) - 301 });
    expect((await rejection(signed)).message).toContain('older than 5 minutes');
  });

  it('accepts a token 4 minutes old and rejects the same token once the clock has moved on', async () => {
    mockKey(key);
    mockGet();
    const signed = await signWebhook(key, webhookBody(), { iatSeconds: Math.floor(NOW_MS / 1000) - 240 });
    expect(E.isRight(await parse(signed))).toBe(true);
    clock = NOW_MS + 120_000;
    await rejection(signed);
  });

  it('rejects a token issued in the future beyond 5 minutes', async () => {
    mockKey(key);
    await rejection(await signWebhook(key, webhookBody(), { iatSeconds: Math.floor(NOW_MS / 1000) + 600 }));
  });

  it('rejects a token without iat', async () => {
    mockKey(key);
    const token = await new SignJWT({ request_body_sha256: 'x' })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .sign(key.privateKey);
    expect(
      (await rejection({ headers: { 'plaid-verification': token }, rawBody: webhookBody() })).message,
    ).toContain('claims');
  });

  it('rejects a tampered body (hash mismatch), without calling /get', async () => {
    mockKey(key);
    const signed = await signWebhook(key, webhookBody('STATUS_UPDATED', IDV));
    const error = await rejection({ ...signed, rawBody: webhookBody('STATUS_UPDATED', 'idv_someone_else') });
    expect(error.message).toContain('request_body_sha256');
    expect(observer.events.map((event) => event.pathTemplate)).toEqual(['/webhook_verification_key/get']);
  });

  it('rejects a re-serialized body (whitespace differs)', async () => {
    mockKey(key);
    const signed = await signWebhook(key, JSON.stringify(JSON.parse(webhookBody()), null, 2));
    await rejection({ ...signed, rawBody: webhookBody() });
  });

  it('rejects a signature made with another key under the same kid', async () => {
    mockKey(key);
    const impostor = await webhookKey(key.kid);
    expect((await rejection(await signWebhook(impostor, webhookBody()))).message).toContain('signature');
  });

  it('rejects an unknown kid (Plaid answers 400), not retryable', async () => {
    plaid()
      .post('/webhook_verification_key/get')
      .reply(400, plaidError('INVALID_INPUT', 'INVALID_WEBHOOK_VERIFICATION_KEY_ID'));
    const error = await rejection(await signWebhook(await webhookKey('kid-unknown'), webhookBody()));
    expect(error).toMatchObject({ retryable: false, providerCode: 'INVALID_WEBHOOK_VERIFICATION_KEY_ID' });
  });

  it('rejects a token whose key has expired_at set', async () => {
    mockKey(key, Math.floor(NOW_MS / 1000) - 60);
    expect((await rejection(await signWebhook(key, webhookBody()))).message).toContain('expired');
  });

  it('rejects, as retryable, when the key endpoint fails', async () => {
    plaid()
      .post('/webhook_verification_key/get')
      .times(3)
      .reply(503, plaidError('API_ERROR', 'PLANNED_MAINTENANCE'));
    const error = await rejection(await signWebhook(key, webhookBody()));
    expect(error).toMatchObject({ retryable: true, providerCode: 'PLANNED_MAINTENANCE' });
  });

  it('on a new kid, re-fetches cached keys that are not expired (Plaid reference code) and honours a new expiry', async () => {
    mockKey(key);
    mockGet();
    expect(E.isRight(await parse(await signWebhook(key, webhookBody())))).toBe(true);
    const next = await webhookKey('kid-next');
    const refresh = mockKey(key, Math.floor(NOW_MS / 1000));
    mockKey(next);
    mockGet();
    expect(E.isRight(await parse(await signWebhook(next, webhookBody())))).toBe(true);
    expect(refresh.isDone()).toBe(true);
    await rejection(await signWebhook(key, webhookBody()));
  });

  it('rejects an authentic body that is not an IDENTITY_VERIFICATION webhook', async () => {
    mockKey(key);
    const body = JSON.stringify({
      webhook_type: 'ITEM',
      webhook_code: 'ERROR',
      identity_verification_id: IDV,
      environment: 'sandbox',
    });
    expect((await rejection(await signWebhook(key, body))).message).toContain('IDENTITY_VERIFICATION');
  });

  it('rejects a webhook for the other Plaid environment', async () => {
    mockKey(key);
    const body = JSON.stringify({
      webhook_type: 'IDENTITY_VERIFICATION',
      webhook_code: 'RETRIED',
      identity_verification_id: IDV,
      environment: 'production',
    });
    expect((await rejection(await signWebhook(key, body))).message).toContain('environment');
  });

  it('rejects a missing header and a body that is not JSON', async () => {
    await rejection({ headers: {}, rawBody: webhookBody() });
    mockKey(key);
    await rejection(await signWebhook(key, 'not json'));
  });

  it('gives a re-delivery the same dedupe key, and a later status change of the same attempt a new one', async () => {
    mockKey(key);
    mockGet(activeAttempt({ id: IDV }));
    mockGet(activeAttempt({ id: IDV }));
    mockGet(attempt({ id: IDV, status: 'success' }));
    const first = await parse(await signWebhook(key, webhookBody()));
    const redelivery = await parse(
      await signWebhook(key, webhookBody(), { iatSeconds: Math.floor(NOW_MS / 1000) - 30 }),
    );
    const later = await parse(await signWebhook(key, webhookBody()));
    const keys = [first, redelivery, later].map((result) =>
      E.isRight(result) ? result.right.dedupeKey : 'failed',
    );
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('passes a /get failure through (so Plaid re-delivers), not as a rejection', async () => {
    mockKey(key);
    plaid()
      .post('/identity_verification/get')
      .times(3)
      .reply(500, plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR'));
    const result = await parse(await signWebhook(key, webhookBody()));
    expect(E.isLeft(result) && result.left.kind).toBe('provider_unavailable');
  });

  it('resolvePlaidEvent reads the attempt named by the event with /get', async () => {
    mockKey(key);
    mockGet(activeAttempt({ id: IDV }));
    const event = await parse(await signWebhook(key, webhookBody()));
    if (E.isLeft(event)) throw new Error(event.left.message);
    mockGet(attempt({ id: IDV, status: 'failed', steps: { selfie_check: 'failed' } }));
    const resolved = await provider.resolvePlaidEvent(event.right)();
    expect(resolved).toEqual(
      E.right(
        expect.objectContaining({
          userRef: plaidRef('host-user-1'),
          state: expect.objectContaining({ status: 'denied', reasonCodes: ['selfie_check'] }),
        }),
      ),
    );
    const foreign = await provider.resolvePlaidEvent({ ...event.right, provider: 'plu' })();
    expect(E.isLeft(foreign) && foreign.left.kind).toBe('validation');
  });
});

describe('Plaid webhooks under failure and hostile input', () => {
  it('marks every event weak: the payload carries only ids, so two changes can share a key', async () => {
    mockKey(key);
    for (const code of ['STATUS_UPDATED', 'STEP_UPDATED', 'RETRIED']) {
      mockGet();
      const result = await parse(await signWebhook(key, webhookBody(code, IDV)));
      expect(E.isRight(result) && result.right.dedupeKeyStrength).toBe('weak');
    }
  });

  it('answers a missing body as webhook_rejected and a parsed body as config, without a key fetch', async () => {
    const signed = await signWebhook(key, webhookBody());
    for (const rawBody of [undefined, null]) {
      await rejection({ ...signed, rawBody } as unknown as WebhookRequest);
    }
    const parsed = await parse({
      ...signed,
      rawBody: JSON.parse(signed.rawBody),
    } as unknown as WebhookRequest);
    expect(E.isLeft(parsed) && parsed.left).toMatchObject({ kind: 'config', issues: [{ path: 'rawBody' }] });
    expect(observer.count()).toBe(0);
  });

  it('answers null, odd or missing header maps and requests with webhook_rejected, never a throw', async () => {
    const rawBody = webhookBody();
    for (const headers of [
      null,
      undefined,
      'plaid-verification',
      { 'plaid-verification': null },
      { 'plaid-verification': [] },
    ]) {
      await rejection({ headers, rawBody } as unknown as WebhookRequest);
    }
    for (const request of [null, undefined, 42]) {
      await rejection(request as unknown as WebhookRequest);
    }
    expect(observer.count()).toBe(0);
  });

  it('builds the dedupe key from any step values in the follow-up read (hostile toString included)', async () => {
    mockKey(key);
    const hostile = { toString: 1, valueOf: 1 };
    mockGet(activeAttempt({ id: IDV, steps: { kyc_check: hostile, selfie_check: [1, 2], zz_new: null } }));
    const result = await parse(await signWebhook(key, webhookBody()));
    expect(E.isRight(result) && result.right.dedupeKey).toMatch(/^plaid:[0-9a-f]{64}$/);
  });

  it.each([
    [
      'a 400',
      () =>
        plaid()
          .post('/identity_verification/get')
          .reply(400, plaidError('INVALID_INPUT', 'INVALID_API_KEYS')),
      'rejected',
      'INVALID_API_KEYS',
    ],
    [
      'a wrong-shape 200',
      () => plaid().post('/identity_verification/get').times(3).reply(200, { id: IDV }),
      'unknown',
      undefined,
    ],
    [
      'a 200 that is not JSON',
      () => plaid().post('/identity_verification/get').times(3).reply(200, '<html>'),
      'unknown',
      undefined,
    ],
    [
      'a reset connection',
      () =>
        plaid()
          .post('/identity_verification/get')
          .times(3)
          .replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })),
      'unknown',
      'ECONNRESET',
    ],
    [
      'a 500',
      () =>
        plaid()
          .post('/identity_verification/get')
          .times(3)
          .reply(500, plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR')),
      'rejected',
      'INTERNAL_SERVER_ERROR',
    ],
  ])(
    'reports an authentic webhook whose follow-up read fails with %s as retryable provider_unavailable',
    async (_name, arrange, outcome, providerCode) => {
      mockKey(key);
      arrange();
      const result = await parse(await signWebhook(key, webhookBody()));
      expect(E.isLeft(result) && result.left).toMatchObject({
        kind: 'provider_unavailable',
        retryable: true,
        outcome,
        ...(providerCode === undefined ? {} : { providerCode }),
      });
    },
  );

  it('reports a follow-up read naming no usable user as retryable provider_unavailable', async () => {
    mockKey(key);
    plaid()
      .post('/identity_verification/get')
      .reply(200, JSON.stringify(activeAttempt({ id: IDV })).replace('"host-user-1"', '"host-\\ud800"'));
    const result = await parse(await signWebhook(key, webhookBody()));
    expect(E.isLeft(result) && result.left).toMatchObject({ kind: 'provider_unavailable', retryable: true });
  });

  it('answers resolvePlaidEvent with anything but a Plaid event as validation, never a throw', async () => {
    for (const event of [null, undefined, 'event', { provider: 'plaid', stateIncluded: false }]) {
      const result = await provider.resolvePlaidEvent(event as unknown as KycEvent)();
      expect(E.isLeft(result) && result.left).toMatchObject({ kind: 'validation', outcome: 'not_sent' });
    }
  });
});
