/**
 * Property: any answer to `/webhook_verification_key/get` and to the follow-up
 * `/identity_verification/get` of an authentic webhook (hostile step values among them), served by
 * nock, gives a Right or a typed Left: `webhook_rejected` or `provider_unavailable`, never a throw.
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import nock from 'nock';
import { createPlaidProvider } from '../src/plaid-adapter';
import type { PlaidProvider } from '../src/plaid-provider';
import {
  PROPERTY_TIMEOUT_MS,
  answerStatus,
  answerText,
  attemptJson,
  hostileJson,
  mutated,
} from './plaid-property-kit';
import {
  BASE_URL,
  NOW_MS,
  config,
  keyResponse,
  signWebhook,
  webhookBody,
  webhookKey,
} from './plaid-test-kit';
import type { WebhookKey } from './plaid-test-kit';

afterEach(() => nock.cleanAll());

/** A provider per case: empty key caches and a full fetch budget, so every case fetches its key. */
function freshProvider(): PlaidProvider {
  return createPlaidProvider(config, { transport: { retry: false }, now: () => NOW_MS });
}

describe('property: Plaid webhook key and follow-up answers of any shape give a Right or a typed Left', () => {
  it(
    'webhook key and the follow-up read',
    async () => {
      let run = 0;
      const keys: WebhookKey[] = [await webhookKey('kid-0')];
      const keyJson = (key: WebhookKey) =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constant<unknown>(keyResponse(key)) },
          { weight: 1, arbitrary: mutated(keyResponse(key), ['key', 'request_id']) },
          {
            weight: 1,
            arbitrary: mutated(keyResponse(key).key as Record<string, unknown>, [
              'kid',
              'kty',
              'crv',
              'x',
              'y',
              'alg',
              'expired_at',
            ]).map((jwk) => ({ key: jwk, request_id: 'r' })),
          },
          { weight: 1, arbitrary: hostileJson },
        );
      await fc.assert(
        fc.asyncProperty(
          answerStatus,
          answerText(keyJson(keys[0] as WebhookKey)),
          answerStatus,
          answerText(attemptJson),
          async (keyStatus, keyText, getStatus, getText) => {
            run += 1;
            const provider = freshProvider();
            const key = { ...(keys[0] as WebhookKey), kid: `kid-${run}` };
            nock.cleanAll();
            nock(BASE_URL)
              .post('/webhook_verification_key/get')
              .reply(keyStatus, keyText.replaceAll('kid-0', key.kid));
            nock(BASE_URL).post('/identity_verification/get').reply(getStatus, getText);
            const signed = await signWebhook(key, webhookBody());
            const result = await provider.webhooks.parseWebhook(signed)();
            provider.close();
            expect(E.isLeft(result) || E.isRight(result)).toBe(true);
            if (E.isLeft(result))
              expect(['webhook_rejected', 'provider_unavailable']).toContain(result.left.kind);
            if (E.isRight(result)) expect(result.right.dedupeKeyStrength).toBe('weak');
            nock.cleanAll();
          },
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
