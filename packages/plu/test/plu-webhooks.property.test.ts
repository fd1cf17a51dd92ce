/**
 * Property: the webhook parser answers any headers and body with a typed result, never a throw;
 * validly signed JSON of any shape is an event or `webhook_rejected`; and one KYC event gets one
 * dedupe key in every byte layout (compact, indented), both validly signed.
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { isKycError, isSafeRedirectUrl } from '@kycport/core';
import type { KycError, KycEvent, WebhookRequest } from '@kycport/core';
import { createPluWebhookHandler, signPluWebhook } from '../src';
import { anyUrl, anything, hostileText } from './plu-property-support';
import { WEBHOOK_SECRET, cleanNockAfterEach } from './plu-test-support';

cleanNockAfterEach();

const handler = createPluWebhookHandler(WEBHOOK_SECRET, { maxEventAgeMs: 60_000, now: () => Date.now() });
const unlimited = createPluWebhookHandler(WEBHOOK_SECRET);

const headerValue = fc.oneof(
  hostileText,
  fc.array(fc.oneof(hostileText, fc.constant(null)), { maxLength: 3 }),
  fc.constantFrom(null, undefined),
  anything,
);
const headers = fc.oneof(
  fc.dictionary(
    fc.oneof(hostileText, fc.constantFrom('x-webhook-signature', 'X-Webhook-Signature')),
    headerValue,
  ),
  anything,
);
const bodies = fc.oneof(hostileText, fc.json(), fc.uint8Array({ maxLength: 64 }), anything);

function typed(result: E.Either<KycError, KycEvent>): void {
  if (E.isLeft(result)) {
    expect(isKycError(result.left)).toBe(true);
    expect(['webhook_rejected', 'config']).toContain(result.left.kind);
    return;
  }
  expect(result.right.dedupeKey).toMatch(/^plu:[0-9a-f]{64}$/);
  expect(['exact', 'weak']).toContain(result.right.dedupeKeyStrength);
  if (result.right.stateIncluded && result.right.state.nextAction.type === 'redirect')
    expect(isSafeRedirectUrl(result.right.state.nextAction.url)).toBe(true);
}

const signed = (rawBody: string): WebhookRequest => ({
  headers: { 'x-webhook-signature': signPluWebhook(rawBody, WEBHOOK_SECRET) },
  rawBody,
});

/** KYC events of any content: known and odd names, statuses, timestamps, links and extra fields. */
const kycEvents = fc.record({
  event: fc.oneof(fc.constantFrom('user.kyc-event', 'rain.user-event', 'user.kyc.approved'), hostileText),
  timestamp: fc.oneof(
    fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    hostileText,
    fc.constant(undefined),
  ),
  data: fc.record(
    {
      serviceId: fc.oneof(fc.constant('acme-user-1'), hostileText),
      status: fc.oneof(fc.constantFrom('approved', 'denied', 'needsVerification'), hostileText),
      reason: hostileText,
      verificationLink: anyUrl,
      extra: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
});

describe('property: the webhook parser never throws', () => {
  it('any headers and any body', async () => {
    await fc.assert(
      fc.asyncProperty(headers, bodies, async (anyHeaders, rawBody) => {
        const request = { headers: anyHeaders, rawBody } as unknown as WebhookRequest;
        const result = await handler.parseWebhook(request)();
        typed(result);
        // No header signs the body with the secret: never an event.
        expect(E.isLeft(result)).toBe(true);
      }),
    );
  });

  it('a valid signature over any JSON body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          kycEvents.map((event) => JSON.stringify(event)),
        ),
        async (body) => {
          typed(await unlimited.parseWebhook(signed(body))());
          typed(await handler.parseWebhook(signed(body))());
        },
      ),
    );
  });

  it('one event, compact and indented (each validly signed): the same dedupe key', async () => {
    await fc.assert(
      fc.asyncProperty(kycEvents, fc.constantFrom(2, 4, '\t'), async (event, indent) => {
        const compact = await unlimited.parseWebhook(signed(JSON.stringify(event)))();
        const indented = await unlimited.parseWebhook(signed(JSON.stringify(event, null, indent)))();
        expect(compact._tag).toBe(indented._tag);
        if (E.isRight(compact) && E.isRight(indented)) {
          expect(indented.right.dedupeKey).toBe(compact.right.dedupeKey);
          expect(indented.right.dedupeKeyStrength).toBe(compact.right.dedupeKeyStrength);
        }
      }),
    );
  });
});
