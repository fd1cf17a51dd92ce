/**
 * `ingestWebhook`: verify, dedupe, resolve the state, apply it only if newer, commit, then say what
 * to answer. Nothing is recorded before the commit, so a crash before it loses nothing: the
 * provider's re-delivery is processed as new.
 * - An event with its state, an `exact` dedupe key and a usable time (Plu) is applied `ordered`
 *   with that time and its key in the same atomic step.
 * - Any other event (P100: no time, `weak` key; Plaid: ids only) is resolved with one `getStatus`,
 *   applied as a read guarded by the version stored before the read (read again once on a
 *   conflict). A `weak` key is never used to drop an event; an `exact` one is recorded with the read.
 */
import * as E from 'fp-ts/Either';
import type * as T from 'fp-ts/Task';
import { kycError } from '@kycport/core';
import type { ApplyOutcome, KycError, KycEvent, ProviderId, UserRef } from '@kycport/core';
import { timeOf } from '@kycport/core';
import { applyState } from './tracker-context';
import type { TrackerContext } from './tracker-context';
import { recordedRead } from './tracked-calls';
import type { IngestResult, TrackedWebhookRequest } from './tracker-types';

interface Subject {
  readonly provider?: ProviderId;
  readonly ref?: UserRef;
}

const retryLater = (subject: Subject, error: KycError): IngestResult => ({
  ...subject,
  outcome: 'retry_later',
  httpStatus: 503,
  error,
});

function internal(provider: ProviderId, message: string): KycError {
  return kycError('internal', { provider, message: `tracker: ${message}`, retryable: true });
}

/** The answer for an apply outcome. */
function answer(subject: Subject, outcome: E.Either<KycError, ApplyOutcome>): IngestResult {
  if (E.isLeft(outcome)) return retryLater(subject, outcome.left);
  const result = outcome.right;
  switch (result.kind) {
    case 'applied':
      return { ...subject, outcome: 'accepted', httpStatus: 200, applied: 'applied', change: result.change };
    case 'unchanged':
    case 'stale':
      return { ...subject, outcome: 'accepted', httpStatus: 200, applied: result.kind };
    case 'duplicate':
      return { ...subject, outcome: 'duplicate', httpStatus: 200 };
    default:
      return retryLater(
        subject,
        internal(subject.provider ?? 'tracker', 'the state kept changing during the follow-up read'),
      );
  }
}

/** Carries its own order: the state, a time, and a key that tells events apart. */
function isOrdered(event: KycEvent): boolean {
  return event.stateIncluded && event.dedupeKeyStrength === 'exact' && timeOf(event.occurredAt) !== undefined;
}

const keyOf = (event: KycEvent): string => `${event.provider}:${event.dedupeKey}`;

async function resolveEvent(context: TrackerContext, event: KycEvent): Promise<IngestResult> {
  const subject: Subject = { provider: event.provider, ref: event.userRef };
  if (event.stateIncluded && isOrdered(event)) {
    const outcome = await applyState(context, {
      ref: event.userRef,
      provider: event.provider,
      state: event.state,
      source: 'webhook',
      providerTime: event.occurredAt,
      ordered: true,
      dedupeKey: keyOf(event),
      now: context.now(),
    })();
    return answer(subject, outcome);
  }
  const read = await recordedRead(context, event.userRef, 'read', {
    rereads: 1,
    ...(event.dedupeKeyStrength === 'exact' ? { dedupeKey: keyOf(event) } : {}),
  })();
  if (E.isLeft(read)) return retryLater(subject, read.left);
  const { tracking } = read.right;
  return tracking.recorded ? answer(subject, E.right(tracking.outcome)) : retryLater(subject, tracking.error);
}

async function ingest(context: TrackerContext, request: TrackedWebhookRequest): Promise<IngestResult> {
  const handler = context.webhooks;
  if (handler === undefined) {
    return retryLater({}, internal(context.kyc.id, 'no webhook handler is configured (pass `webhooks`)'));
  }
  const named = typeof request === 'object' && request !== null ? request.provider : undefined;
  if (named !== undefined && handler.detectProvider === undefined && named !== handler.provider) {
    const error = kycError('webhook_rejected', {
      provider: handler.provider,
      message: `tracker: the webhook names another provider than "${handler.provider}"`,
      retryable: false,
    });
    return { outcome: 'rejected', httpStatus: 401, error };
  }
  const parsed = await handler.parseWebhook(request)();
  if (E.isLeft(parsed)) {
    return parsed.left.kind === 'webhook_rejected'
      ? { provider: parsed.left.provider, outcome: 'rejected', httpStatus: 401, error: parsed.left }
      : retryLater({ provider: parsed.left.provider }, parsed.left);
  }
  return resolveEvent(context, parsed.right);
}

export function ingestWebhook(context: TrackerContext, request: TrackedWebhookRequest): T.Task<IngestResult> {
  return async () => {
    try {
      return await ingest(context, request);
    } catch {
      // A handler or store that throws instead of answering: nothing was committed by this step.
      return retryLater({}, internal(context.kyc.id, 'the webhook could not be processed'));
    }
  };
}
