/**
 * Property: the webhook parser answers any header map, token and body with a Right or a typed
 * Left (never a throw or a rejection), and however many forged tokens arrive, the key endpoint is
 * called at most the fetch budget (requests counted with nock).
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import nock from 'nock';
import type { WebhookRequest } from '@kycport/core';
import { createPlaidProvider } from '../src/plaid-adapter';
import { PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE } from '../src/plaid-config';
import type { PlaidProvider } from '../src/plaid-provider';
import { PROPERTY_TIMEOUT_MS, anything, base64url, hostileJson, hostileText } from './plaid-property-kit';
import {
  BASE_URL,
  NOW_MS,
  activeAttempt,
  config,
  keyResponse,
  plaidError,
  plaidRef,
  sha256,
  signWebhook,
  webhookBody,
  webhookKey,
} from './plaid-test-kit';
import type { WebhookKey } from './plaid-test-kit';

let provider: PlaidProvider;
let genuine: WebhookKey;
let genuineToken: string;
let keyRequests = 0;

beforeAll(async () => {
  genuine = await webhookKey('kid-genuine');
  genuineToken = (await signWebhook(genuine, webhookBody())).headers['plaid-verification'] as string;
});
beforeEach(() => {
  keyRequests = 0;
  provider = createPlaidProvider(config, { transport: { retry: false }, now: () => NOW_MS });
  nock(BASE_URL)
    .persist()
    .post('/webhook_verification_key/get')
    .reply((_uri, body) => {
      keyRequests += 1;
      return (body as { key_id?: unknown }).key_id === genuine.kid
        ? [200, keyResponse(genuine)]
        : [400, plaidError('INVALID_INPUT', 'INVALID_WEBHOOK_VERIFICATION_KEY_ID')];
    });
  nock(BASE_URL)
    .persist()
    .post('/identity_verification/get')
    .reply(200, activeAttempt({ id: 'idv_52xR9LKo77r1Np' }));
});
afterEach(() => {
  provider.close();
  nock.cleanAll();
});

/** JWT-shaped tokens: a protected header (mostly ES256, with any kid), any claims, any signature. */
const jwtShaped = fc
  .tuple(
    fc.oneof(
      fc.record({
        alg: fc.oneof(fc.constant('ES256'), fc.constantFrom('none', 'HS256', 'RS256'), hostileJson),
        kid: fc.oneof(hostileText, fc.uuid(), fc.constant('kid-genuine'), hostileJson),
        typ: fc.constant('JWT'),
      }),
      hostileJson,
    ),
    fc.oneof(
      fc.record({
        iat: fc.oneof(fc.integer(), hostileJson),
        request_body_sha256: fc.oneof(hostileText, fc.constant(sha256(webhookBody()))),
      }),
      hostileJson,
    ),
    fc.oneof(fc.base64String(), hostileText),
  )
  .map(([header, claims, signature]) => `${base64url(header)}.${base64url(claims)}.${signature}`);

const token = fc.oneof(jwtShaped, hostileText, fc.constant(''));
const headerValue = fc.oneof(
  token,
  fc.constant(null),
  fc.constant(undefined),
  fc.array(token, { maxLength: 2 }),
  anything,
);
const headers = fc.oneof(
  anything,
  fc.dictionary(
    fc.oneof(fc.constantFrom('plaid-verification', 'Plaid-Verification', 'PLAID-VERIFICATION'), hostileText),
    headerValue,
    { maxKeys: 3 },
  ),
);
const body = fc.oneof(
  fc.constant(webhookBody()),
  hostileText,
  fc.uint8Array({ maxLength: 64 }),
  hostileJson.map((value) => JSON.stringify(value) ?? ''),
  anything,
);

describe('property: the Plaid webhook parser never throws and is bounded', () => {
  it(
    'any headers, tokens and bodies give a Right or a typed Left, with at most the budgeted key fetches',
    async () => {
      await fc.assert(
        fc.asyncProperty(headers, body, async (given, rawBody) => {
          const request = { headers: given, rawBody } as unknown as WebhookRequest;
          const result = await provider.webhooks.parseWebhook(request)();
          expect(E.isLeft(result) || E.isRight(result)).toBe(true);
          if (E.isLeft(result)) expect(['webhook_rejected', 'config']).toContain(result.left.kind);
          expect(keyRequests).toBeLessThanOrEqual(PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE);
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'the genuine token with any extra headers and any body never throws',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(hostileText, headerValue, { maxKeys: 3 }),
          body,
          async (extra, rawBody) => {
            const request = {
              headers: { ...extra, 'plaid-verification': genuineToken },
              rawBody,
            } as unknown as WebhookRequest;
            const result = await provider.webhooks.parseWebhook(request)();
            expect(E.isLeft(result) || E.isRight(result)).toBe(true);
            if (E.isRight(result)) expect(result.right.userRef).toBe(plaidRef('host-user-1'));
          },
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
