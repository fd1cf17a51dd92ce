/**
 * The webhook intake behind the controller, free of Nest: hands the raw bytes to the tracker (or
 * the plain handler) and says what to answer. Never throws; never reads a parsed body.
 */
import type { KycWebhookHandler, ProviderId, WebhookRequest } from '@kycport/core';
import type { KycTracker } from '@kycport/tracker';

/** What the controller answers: an HTTP status and a small JSON body (no PII, no secrets). */
export interface KycWebhookAnswer {
  /** 200 accepted/duplicate, 401 rejected, 404 unknown provider, 500 configuration, 503 retry later. */
  readonly status: 200 | 401 | 404 | 500 | 503;
  /** The JSON body. */
  readonly body: {
    readonly outcome: 'accepted' | 'duplicate' | 'rejected' | 'retry_later' | 'configuration_error';
    readonly message?: string;
  };
}

/** The message of the 500 answered when Nest was not created with `rawBody: true`. */
export const RAW_BODY_MISSING =
  'kycport: the raw request body is missing: create the app with ' +
  'NestFactory.create(AppModule, { rawBody: true }) so the signed bytes reach the webhook route ' +
  '(a parsed and re-serialized body is never verified)';

/** The request as Nest's platform gives it: only the parts the intake reads. */
export interface RawBodyRequest {
  /** The request headers. */
  readonly headers: WebhookRequest['headers'];
  /** The raw body bytes, present when the app was created with `rawBody: true`. */
  readonly rawBody?: unknown;
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/**
 * Answers one delivery: with a tracker, what `ingestWebhook` says (verified, deduplicated,
 * committed); without, whether the handler verified it (a dedupe set is the tracker's job).
 */
export async function answerWebhook(
  target: { readonly tracker: KycTracker | null; readonly webhooks: KycWebhookHandler },
  provider: ProviderId,
  request: RawBodyRequest,
): Promise<KycWebhookAnswer> {
  if (!isBytes(request.rawBody)) {
    return { status: 500, body: { outcome: 'configuration_error', message: RAW_BODY_MISSING } };
  }
  const delivery = { provider, headers: request.headers, rawBody: request.rawBody };
  const routes = typeof (target.webhooks as { detectProvider?: unknown }).detectProvider === 'function';
  if (!routes && target.webhooks.provider !== provider) {
    return { status: 404, body: { outcome: 'rejected', message: 'kycport: no such webhook provider' } };
  }
  try {
    if (target.tracker) {
      const result = await target.tracker.ingestWebhook(delivery)();
      return { status: result.httpStatus, body: { outcome: result.outcome } };
    }
    const parsed = await target.webhooks.parseWebhook(delivery)();
    if (parsed._tag === 'Right') return { status: 200, body: { outcome: 'accepted' } };
    return parsed.left.kind === 'webhook_rejected'
      ? { status: 401, body: { outcome: 'rejected' } }
      : { status: 503, body: { outcome: 'retry_later' } };
  } catch {
    return { status: 503, body: { outcome: 'retry_later' } };
  }
}
