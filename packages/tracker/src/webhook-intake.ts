/**
 * The framework-neutral part of a webhook route, shared by `@kycport/express` and
 * `@kycport/fastify` (and open to any other framework's glue): hands a delivery to the tracker (or
 * to a plain webhook handler) and turns what it says into an answer. Never throws: a tracker, handler or
 * `onEvent` that throws asks the provider to re-deliver (503).
 */
import * as E from 'fp-ts/Either';
import type * as T from 'fp-ts/Task';
import type * as TE from 'fp-ts/TaskEither';
import { KycException } from '@kycport/core';
import type { KycError, KycEvent, ProviderId } from '@kycport/core';
import type { IngestResult, TrackedWebhookRequest } from './tracker-types';

/** What the route hands deliveries to when a tracker is given: `createKycTracker(...)` fits. */
export interface WebhookTracker {
  /** Verify, dedupe, order, commit; then say what to answer. */
  ingestWebhook(request: TrackedWebhookRequest): T.Task<IngestResult>;
}

/**
 * A plain webhook handler: one provider's or the router's, with `TaskEither` results
 * (`KYC_TOKENS.KycWebhookHandler`) or Promise results (`KYC_TOKENS.PromiseKycWebhookHandler`,
 * rejecting with a `KycException`).
 */
export interface PlainWebhookHandler {
  /** The provider whose webhooks it handles (`router` for the router's). */
  readonly provider: ProviderId;
  /** Verifies the delivery, then parses it. */
  parseWebhook(request: TrackedWebhookRequest): TE.TaskEither<KycError, KycEvent> | Promise<KycEvent>;
  /** Present on the router's handler: it picks the provider by `provider` or by the headers. */
  readonly detectProvider?: unknown;
}

/**
 * Where the route hands deliveries: the tracker (verified, deduplicated, committed before the
 * answer), or a plain webhook handler (verified and parsed only: deduplication and storage are then
 * the host's job, which the tracker does for you).
 */
export type WebhookTarget =
  | { readonly tracker: WebhookTracker; readonly webhooks?: undefined }
  | {
      readonly webhooks: PlainWebhookHandler;
      readonly tracker?: undefined;
      /**
       * Called with each verified event before the answer; a throw or rejection answers 503 so the
       * provider re-delivers. Make it idempotent: without a tracker nothing drops duplicates.
       */
      readonly onEvent?: (event: KycEvent) => void | Promise<void>;
    };

/**
 * What the route answered, by kind: the tracker's four outcomes, and the route's own
 * (`configuration_error`: another body parser consumed the body; `payload_too_large`, `bad_request`).
 */
export type WebhookOutcome =
  | 'accepted'
  | 'duplicate'
  | 'rejected'
  | 'retry_later'
  | 'configuration_error'
  | 'payload_too_large'
  | 'bad_request';

/** What the logger hook receives: never a header, body, ref or message. */
export interface WebhookLogEntry {
  /** The provider the path names (when it looks like a provider id) or the handler's. */
  readonly provider?: ProviderId;
  /** What the route answered. */
  readonly outcome: WebhookOutcome;
  /** The HTTP status sent. */
  readonly status: number;
}

/** An answer to send: the status and a small JSON body (the outcome, and an error kind). */
export interface WebhookAnswer {
  /** The HTTP status. */
  readonly status: number;
  /** `{ outcome }`, plus `error` (a KycError kind or the route's own) and `message` for a configuration error. */
  readonly body: { readonly outcome: WebhookOutcome; readonly error?: string; readonly message?: string };
  /** The provider for the log entry. */
  readonly provider?: ProviderId;
}

/** The configuration error's message: it names the fix, never the request. */
export const ALREADY_PARSED_MESSAGE =
  'kycport: the webhook body was already consumed by another body parser (a global JSON parser mounted ' +
  'before the webhook route?); its signature cannot be verified over re-serialized data. Mount the ' +
  'kycport webhook route before any global body parser.';

const PROVIDER_ID = /^[A-Za-z0-9_-]{1,40}$/;

/** The path's provider when it looks like a provider id (a path segment is the sender's input). */
export function webhookProviderOf(value: unknown): ProviderId | undefined {
  return typeof value === 'string' && PROVIDER_ID.test(value) ? value : undefined;
}

/** The answer for a tracker's result. */
export function webhookAnswerFor(result: IngestResult, provider: ProviderId | undefined): WebhookAnswer {
  const logged = result.provider ?? provider;
  const base = logged === undefined ? {} : { provider: logged };
  switch (result.outcome) {
    case 'accepted':
    case 'duplicate':
      return { ...base, status: 200, body: { outcome: result.outcome } };
    case 'rejected':
      return { ...base, status: 401, body: { outcome: 'rejected', error: result.error.kind } };
    default:
      return { ...base, status: 503, body: { outcome: 'retry_later', error: result.error.kind } };
  }
}

/** The route's own answers (no tracker involved). */
export function webhookRouteAnswer(
  outcome: 'configuration_error' | 'payload_too_large' | 'bad_request',
  provider: ProviderId | undefined,
): WebhookAnswer {
  const base = provider === undefined ? {} : { provider };
  if (outcome === 'configuration_error')
    return {
      ...base,
      status: 500,
      body: { outcome, error: 'body_already_parsed', message: ALREADY_PARSED_MESSAGE },
    };
  return { ...base, status: outcome === 'payload_too_large' ? 413 : 400, body: { outcome } };
}

const retryLater = (provider: ProviderId | undefined, kind: string): WebhookAnswer => ({
  ...(provider === undefined ? {} : { provider }),
  status: 503,
  body: { outcome: 'retry_later', error: kind },
});

const rejected = (provider: ProviderId | undefined, kind: string): WebhookAnswer => ({
  ...(provider === undefined ? {} : { provider }),
  status: 401,
  body: { outcome: 'rejected', error: kind },
});

/** Runs a handler's `parseWebhook`, whichever flavour it is, as an Either. */
async function parse(
  handler: PlainWebhookHandler,
  request: TrackedWebhookRequest,
): Promise<E.Either<KycError, KycEvent>> {
  try {
    const parsed = handler.parseWebhook(request);
    if (typeof parsed === 'function') return await parsed();
    return E.right(await parsed);
  } catch (error) {
    if (KycException.isInstance(error)) return E.left(error.error);
    throw error;
  }
}

async function handle(
  target: Extract<WebhookTarget, { webhooks: PlainWebhookHandler }>,
  request: TrackedWebhookRequest,
): Promise<WebhookAnswer> {
  const handler = target.webhooks;
  const named = request.provider;
  if (named !== undefined && handler.detectProvider === undefined && named !== handler.provider)
    return rejected(named, 'webhook_rejected');
  const parsed = await parse(handler, request);
  if (E.isLeft(parsed)) {
    const provider = parsed.left.provider ?? named;
    return parsed.left.kind === 'webhook_rejected'
      ? rejected(provider, parsed.left.kind)
      : retryLater(provider, parsed.left.kind);
  }
  await target.onEvent?.(parsed.right);
  return { provider: parsed.right.provider, status: 200, body: { outcome: 'accepted' } };
}

/**
 * Hands the delivery to the tracker or the handler and says what to answer. Never rejects: a throw
 * anywhere answers 503 (nothing was committed by this step; the provider re-delivers).
 */
export async function intakeWebhook(
  target: WebhookTarget,
  request: TrackedWebhookRequest,
): Promise<WebhookAnswer> {
  try {
    if (target.tracker !== undefined)
      return webhookAnswerFor(await target.tracker.ingestWebhook(request)(), request.provider);
    return await handle(target, request);
  } catch {
    return retryLater(request.provider, 'internal');
  }
}

/** Calls the logger hook, if any, with only the provider, the outcome and the status; never throws. */
export function logWebhookAnswer(
  log: ((entry: WebhookLogEntry) => void) | undefined,
  answer: WebhookAnswer,
): void {
  if (log === undefined) return;
  try {
    log({
      ...(answer.provider === undefined ? {} : { provider: answer.provider }),
      outcome: answer.body.outcome,
      status: answer.status,
    });
  } catch {
    // A logger that throws must not change the answer.
  }
}
