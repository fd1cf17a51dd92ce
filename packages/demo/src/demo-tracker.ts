/**
 * The demo host's tracker: one per scene, over the container's provider (or router), on the shared
 * store. Its `onStateChange` prints each applied change by change id and lets the onboarding wait
 * for the change that settles an attempt; its webhook handler is the container's, observed so the
 * timeline can name the event a delivery carried.
 */
import * as E from 'fp-ts/Either';
import type { KycEvent, KycProvider, KycStore, KycWebhookHandler, StateChange } from '@kycport/core';
import { createKycTracker } from '@kycport/tracker';
import type {
  IngestResult,
  KycTracker,
  TrackedWebhookRequest,
  TrackerWebhookHandler,
} from '@kycport/tracker';
import type { WebhookIntake } from './webhook-receiver';

/** Where the tracker's answers and changes are printed (a `Timeline`, or a scene's own lines). */
export interface TrackerReport {
  answer(result: IngestResult, event: KycEvent | undefined): void;
  /** `again`: the outbox handed out a change already seen (at-least-once delivery, same change id). */
  change(change: StateChange, again: boolean): void;
}

export interface ChangeLog {
  readonly changes: ReadonlyArray<StateChange>;
  /** Resolves with the first change (past or future) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (change: StateChange) => boolean, timeoutMs: number): Promise<StateChange>;
}

export interface DemoTracker {
  readonly tracker: KycTracker;
  readonly changes: ChangeLog;
  /** The webhook endpoint's intake for `provider`'s path: `tracker.ingestWebhook`. */
  intake(provider: string): WebhookIntake;
  /** Stops the tracker once every applied change has reached `onStateChange`. */
  stop(): Promise<void>;
}

function createChangeLog() {
  const seen = new Set<string>();
  const changes: StateChange[] = [];
  const waiters = new Set<{
    predicate: (change: StateChange) => boolean;
    resolve: (c: StateChange) => void;
  }>();
  const record = (change: StateChange): boolean => {
    if (seen.has(change.changeId)) return false;
    seen.add(change.changeId);
    changes.push(change);
    for (const waiter of [...waiters]) if (waiter.predicate(change)) waiter.resolve(change);
    return true;
  };
  const waitFor: ChangeLog['waitFor'] = (predicate, timeoutMs) => {
    const past = changes.find(predicate);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (change: StateChange) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(change);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching state change within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };
  return { record, log: { changes, waitFor } satisfies ChangeLog };
}

/** The handler as given, remembering the event each verified request carried (for the timeline). */
function observed(handler: KycWebhookHandler, events: WeakMap<object, KycEvent>): TrackerWebhookHandler {
  return {
    ...handler,
    parseWebhook: (request: TrackedWebhookRequest) => async () => {
      const parsed = await handler.parseWebhook(request)();
      if (E.isRight(parsed) && typeof request === 'object' && request !== null)
        events.set(request, parsed.right);
      return parsed;
    },
  };
}

export function createDemoTracker(options: {
  readonly kyc: KycProvider;
  readonly webhooks: KycWebhookHandler;
  readonly store: KycStore;
  readonly report: TrackerReport;
}): DemoTracker {
  const { record, log } = createChangeLog();
  const events = new WeakMap<object, KycEvent>();
  const tracker = createKycTracker({
    kyc: options.kyc,
    webhooks: observed(options.webhooks, events),
    store: options.store,
    onStateChange: (change) => {
      const fresh = record(change);
      options.report.change(change, !fresh);
    },
  });
  return {
    tracker,
    changes: log,
    intake: (provider) => ({
      provider,
      ingest: async (request) => {
        const result = await tracker.ingestWebhook(request)();
        options.report.answer(result, events.get(request));
        return result;
      },
    }),
    stop: () => tracker.stop(),
  };
}
