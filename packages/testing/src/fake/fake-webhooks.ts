/**
 * The fake's webhooks: `fake.kyc-status` events signed like Plu's (lowercase hex HMAC-SHA256 of the
 * raw body in `x-fake-signature`), and the handler that verifies and reads them. The fake always
 * has a secret (`whsec_fake` unless configured), so the missing-secret rule never applies.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as t from 'io-ts';
import { getHeader, kycError, readWebhookBody, redact, userRef } from '@kycport/core';
import type { KycError, KycEvent, KycStatus, KycWebhookHandler, WebhookRequest } from '@kycport/core';
import { fakeStateOf } from './fake-state';
import type { FakeContext } from './fake-state';

const SIGNATURE_HEADER = 'x-fake-signature';

const FakeWebhookBody = t.type({
  event: t.literal('fake.kyc-status'),
  eventId: t.string,
  occurredAt: t.string,
  data: t.type({ ref: t.string, status: t.string, attempt: t.number, reasonCodes: t.array(t.string) }),
});
type FakeWebhookBody = t.TypeOf<typeof FakeWebhookBody>;

function signature(secret: string, rawBody: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Signs an event body as the fake would deliver it. */
export function signFakeWebhook(context: FakeContext, body: unknown): WebhookRequest {
  const rawBody = JSON.stringify(body);
  return {
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature(context.secret, rawBody) },
    rawBody,
  };
}

const rejected = (context: FakeContext, message: string): KycError =>
  kycError('webhook_rejected', {
    provider: context.id,
    message: `${context.id}: webhook rejected: ${message}`,
    retryable: false,
  });

/** The body of an authentic delivery, or why it is rejected. */
function verifiedBody(context: FakeContext, request: WebhookRequest): E.Either<KycError, FakeWebhookBody> {
  const body = readWebhookBody(context.id, request?.rawBody);
  if (E.isLeft(body)) return body;
  const text = body.right;
  const given = getHeader(request.headers, SIGNATURE_HEADER);
  if (!given) return E.left(rejected(context, `missing ${SIGNATURE_HEADER} header`));
  const expected = Buffer.from(signature(context.secret, text), 'utf8');
  const actual = Buffer.from(given.trim().toLowerCase(), 'utf8');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
    return E.left(rejected(context, 'signature mismatch'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return E.left(rejected(context, 'body is not JSON'));
  }
  const decoded = FakeWebhookBody.decode(parsed);
  return E.isLeft(decoded) ? E.left(rejected(context, 'unexpected payload shape')) : E.right(decoded.right);
}

function eventOf(context: FakeContext, body: FakeWebhookBody): KycEvent {
  return {
    provider: context.id,
    type: body.event,
    dedupeKey: body.eventId,
    dedupeKeyStrength: 'exact',
    userRef: userRef(body.data.ref),
    occurredAt: body.occurredAt,
    raw: redact(body),
    stateIncluded: true,
    state: fakeStateOf(
      {
        ref: userRef(body.data.ref),
        externalId: '',
        status: body.data.status as KycStatus,
        providerStatus: body.data.status,
        reasonCodes: body.data.reasonCodes,
        attempt: body.data.attempt,
        outcomes: [],
      },
      context.maxAttempts,
    ),
  };
}

export function createFakeWebhookHandler(context: FakeContext): KycWebhookHandler {
  return {
    provider: context.id,
    signatureHeaders: [SIGNATURE_HEADER],
    parseWebhook: (request: WebhookRequest) => async () =>
      pipe(
        verifiedBody(context, request),
        E.map((body) => eventOf(context, body)),
      ),
  };
}
