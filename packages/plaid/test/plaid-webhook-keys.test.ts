/**
 * The webhook key lookup under attack (issue 11): forged tokens with new key ids cost at most the
 * fetch budget, an unknown kid is remembered (negative cache), concurrent lookups share one fetch,
 * and a genuine rotation still works. Key requests are counted with nock.
 */
import * as E from 'fp-ts/Either';
import type { KycError, KycEvent, WebhookRequest } from '@kycport/core';
import { createPlaidProvider } from '../src/plaid-adapter';
import { PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE } from '../src/plaid-config';
import type { PlaidConfig } from '../src/plaid-config';
import type { PlaidProvider } from '../src/plaid-provider';
import { PLAID_UNKNOWN_KID_TTL_MS } from '../src/plaid-webhook-keys';
import {
  NOW_MS,
  activeAttempt,
  config,
  mockKey,
  plaid,
  plaidError,
  resetWire,
  sha256,
  signWebhook,
  webhookBody,
  webhookKey,
  wireProblems,
} from './plaid-test-kit';

let clock = NOW_MS;
let providers: PlaidProvider[] = [];
let keyRequests: string[] = [];

function build(overrides: Partial<PlaidConfig> = {}): PlaidProvider {
  const provider = createPlaidProvider(
    { ...config, ...overrides },
    { transport: { sleep: async () => undefined }, now: () => clock },
  );
  providers.push(provider);
  return provider;
}

/** Plaid's answer to a key id it never issued, counted. */
function unknownKidsAtPlaid(delayMs = 0): void {
  plaid()
    .post('/webhook_verification_key/get')
    .times(1000)
    .delay(delayMs)
    .reply((_uri, body) => {
      keyRequests.push(String((body as { key_id?: unknown }).key_id));
      return [400, plaidError('INVALID_INPUT', 'INVALID_WEBHOOK_VERIFICATION_KEY_ID')];
    });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A well-formed ES256 token for `kid` that nobody signed (the signature is junk). */
function forged(kid: string, rawBody = webhookBody()): WebhookRequest {
  const claims = { iat: Math.floor(clock / 1000), request_body_sha256: sha256(rawBody) };
  const token = `${b64({ alg: 'ES256', kid, typ: 'JWT' })}.${b64(claims)}.${'A'.repeat(86)}`;
  return { headers: { 'plaid-verification': token }, rawBody };
}

async function parse(
  provider: PlaidProvider,
  request: WebhookRequest,
): Promise<E.Either<KycError, KycEvent>> {
  return provider.webhooks.parseWebhook(request)();
}

function rejection(result: E.Either<KycError, KycEvent>): KycError {
  if (E.isRight(result)) throw new Error('expected a rejection');
  expect(result.left.kind).toBe('webhook_rejected');
  return result.left;
}

beforeEach(() => {
  clock = NOW_MS;
  keyRequests = [];
});
afterEach(() => {
  for (const provider of providers) provider.close();
  providers = [];
  expect(wireProblems).toEqual([]);
  resetWire();
});

describe('Plaid webhook keys: bounded lookups', () => {
  it('100 forged tokens with fresh kids cost at most the default budget of key fetches', async () => {
    const provider = build();
    unknownKidsAtPlaid();
    const results: KycError[] = [];
    for (let index = 0; index < 100; index += 1) {
      results.push(rejection(await parse(provider, forged(`forged-kid-${index}`))));
    }
    expect(keyRequests).toHaveLength(PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE);
    // Over the budget, the kid is not looked up: retryable, so a genuine delivery is re-delivered.
    expect(results.slice(PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE).every((error) => error.retryable)).toBe(true);
    expect(results.slice(0, PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE).some((error) => error.retryable)).toBe(
      false,
    );
  });

  it('honours webhookKeyFetchesPerMinute and refills after a minute', async () => {
    const provider = build({ webhookKeyFetchesPerMinute: 3 });
    unknownKidsAtPlaid();
    for (let index = 0; index < 20; index += 1) rejection(await parse(provider, forged(`kid-a-${index}`)));
    expect(keyRequests).toHaveLength(3);
    clock += 59_000;
    rejection(await parse(provider, forged('kid-b-1')));
    expect(keyRequests).toHaveLength(3);
    clock += 2_000;
    for (let index = 0; index < 20; index += 1) rejection(await parse(provider, forged(`kid-c-${index}`)));
    expect(keyRequests).toHaveLength(6);
  });

  it('remembers a kid Plaid does not know (negative cache) until the TTL has passed', async () => {
    const provider = build();
    unknownKidsAtPlaid();
    for (let index = 0; index < 5; index += 1) {
      expect(rejection(await parse(provider, forged('kid-never-issued'))).retryable).toBe(false);
    }
    expect(keyRequests).toEqual(['kid-never-issued']);
    clock += PLAID_UNKNOWN_KID_TTL_MS + 1;
    rejection(await parse(provider, forged('kid-never-issued')));
    expect(keyRequests).toEqual(['kid-never-issued', 'kid-never-issued']);
  });

  it('shares one fetch between concurrent deliveries with the same new kid', async () => {
    const provider = build();
    unknownKidsAtPlaid(50);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => parse(provider, forged('kid-concurrent'))),
    );
    results.forEach(rejection);
    expect(keyRequests).toEqual(['kid-concurrent']);
  });

  it('does not cache an outage as an unknown kid: the next delivery asks again', async () => {
    const provider = build();
    plaid()
      .post('/webhook_verification_key/get')
      .times(3)
      .reply(503, plaidError('API_ERROR', 'PLANNED_MAINTENANCE'));
    expect(rejection(await parse(provider, forged('kid-during-outage'))).retryable).toBe(true);
    unknownKidsAtPlaid();
    rejection(await parse(provider, forged('kid-during-outage')));
    expect(keyRequests).toEqual(['kid-during-outage']);
  });

  it('refuses a kid that is not well-formed Unicode without a fetch', async () => {
    const provider = build();
    unknownKidsAtPlaid();
    rejection(await parse(provider, forged('kid-\uD800')));
    expect(keyRequests).toEqual([]);
  });

  it('keeps verifying a cached genuine key during a flood, and learns a rotated key once the budget refills', async () => {
    const provider = build({ webhookKeyFetchesPerMinute: 2 });
    const current = await webhookKey('kid-current');
    const rotated = await webhookKey('kid-rotated');
    mockKey(current);
    plaid()
      .post('/identity_verification/get')
      .times(3)
      .reply(200, activeAttempt({ id: 'idv_52xR9LKo77r1Np' }));
    expect(E.isRight(await parse(provider, await signWebhook(current, webhookBody())))).toBe(true);

    unknownKidsAtPlaid();
    for (let index = 0; index < 10; index += 1) rejection(await parse(provider, forged(`flood-${index}`)));
    expect(E.isRight(await parse(provider, await signWebhook(current, webhookBody())))).toBe(true);
    const early = rejection(await parse(provider, await signWebhook(rotated, webhookBody())));
    expect(early.retryable).toBe(true);

    resetWire();
    clock += 60_001;
    mockKey(rotated);
    mockKey(current);
    plaid()
      .post('/identity_verification/get')
      .reply(200, activeAttempt({ id: 'idv_52xR9LKo77r1Np' }));
    expect(E.isRight(await parse(provider, await signWebhook(rotated, webhookBody())))).toBe(true);
  });

  it('re-fetches cached keys only once Plaid confirms a new kid, not for a forged one', async () => {
    const provider = build();
    const current = await webhookKey('kid-current');
    mockKey(current);
    plaid()
      .post('/identity_verification/get')
      .reply(200, activeAttempt({ id: 'idv_52xR9LKo77r1Np' }));
    expect(E.isRight(await parse(provider, await signWebhook(current, webhookBody())))).toBe(true);
    const refresh = mockKey(current);
    unknownKidsAtPlaid();
    rejection(await parse(provider, forged('forged-kid')));
    expect(keyRequests).toEqual(['forged-kid']);
    expect(refresh.isDone()).toBe(false);
  });
});
