/**
 * `createKycTracker`: webhook intake and status tracking over a provider or the router, on a
 * `KycStore`. Wiring only: the calls are in tracked-calls.ts, the intake in ingest-webhook.ts, the
 * outbox in outbox-drain.ts, the sweep in reconcile.ts; the guarantees are in docs/tracking.md.
 */
import type { KycProvider, SubmitVerificationInput, UserRef } from '@kycport/core';
import { ingestWebhook } from './ingest-webhook';
import { drainOutbox, drainSettings } from './outbox-drain';
import { reconcile } from './reconcile';
import type { TrackerContext } from './tracker-context';
import { recordedCall, trackedStatus } from './tracked-calls';
import type { KycTracker, KycTrackerOptions, StartOptions, TrackerWebhookHandler } from './tracker-types';

function defaultWebhooks(kyc: KycProvider): TrackerWebhookHandler | undefined {
  const candidate = (kyc as { webhooks?: unknown }).webhooks;
  return typeof candidate === 'object' && candidate !== null && 'parseWebhook' in candidate
    ? (candidate as TrackerWebhookHandler)
    : undefined;
}

/** One background drain at a time; a request during a drain runs one more after it. */
function backgroundDrain(run: () => Promise<unknown>) {
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async (): Promise<void> => {
    do {
      again = false;
      await run().catch(() => undefined);
    } while (again);
    running = undefined;
  };
  return {
    request: () => {
      if (running !== undefined) again = true;
      else running = loop();
    },
    idle: async () => {
      while (running !== undefined) await running;
    },
  };
}

function timers(tracker: Pick<KycTracker, 'drainOutbox' | 'reconcile'>) {
  const handles: NodeJS.Timeout[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const every = (ms: number, work: () => Promise<unknown>) => {
    const handle = setInterval(() => {
      const job = work().catch(() => undefined);
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
    }, ms);
    handle.unref();
    handles.push(handle);
  };
  return {
    start: (options: StartOptions = {}) => {
      every(options.drainEveryMs ?? 1_000, () => tracker.drainOutbox()());
      const sweep = options.reconcile;
      if (sweep !== undefined) every(sweep.everyMs, () => tracker.reconcile(sweep)());
    },
    stop: async () => {
      handles.splice(0).forEach((handle) => clearInterval(handle));
      await Promise.all([...inFlight]);
    },
  };
}

/**
 * Builds a `KycTracker` over a provider or the router and a store. Nothing runs in the background
 * until `start()` (or a change, with `drainAfterApply`).
 */
export function createKycTracker<K extends KycProvider>(options: KycTrackerOptions<K>): KycTracker<K> {
  const { kyc, store, onStateChange } = options;
  const clock = options.now ?? (() => new Date());
  const settings = drainSettings(options.outbox);
  const drainAfterApply = onStateChange !== undefined && options.outbox?.drainAfterApply !== false;
  const webhooks = options.webhooks ?? defaultWebhooks(kyc);
  const drainer = backgroundDrain(() => drainOutbox(context, settings)());
  const context: TrackerContext = {
    kyc,
    store,
    ...(webhooks === undefined ? {} : { webhooks }),
    ...(onStateChange === undefined ? {} : { onStateChange }),
    now: () => clock().toISOString(),
    changed: () => {
      if (drainAfterApply) drainer.request();
    },
    reconcileLeaseMs: options.reconcileLeaseMs ?? 60_000,
  };
  const calls = {
    drainOutbox: () => drainOutbox(context, settings),
    reconcile: (sweep: Parameters<KycTracker['reconcile']>[0]) => reconcile(context, sweep),
  };
  const periodic = timers(calls);
  type Tracker = KycTracker<K>;
  return {
    kyc,
    store,
    createUser: ((input, callOptions) =>
      recordedCall(context, () => kyc.createUser(input, callOptions))) as Tracker['createUser'],
    retry: ((ref: UserRef, callOptions) =>
      recordedCall(context, () => kyc.retry(ref, callOptions))) as Tracker['retry'],
    submitVerification: ((ref: UserRef, input: SubmitVerificationInput, callOptions) =>
      recordedCall(context, () =>
        kyc.submitVerification(ref, input, callOptions),
      )) as Tracker['submitVerification'],
    getStatus: (ref, statusOptions) => trackedStatus(context, ref, statusOptions),
    ingestWebhook: (request) => ingestWebhook(context, request),
    ...calls,
    start: (startOptions) => periodic.start(startOptions),
    stop: async () => {
      await periodic.stop();
      await drainer.idle();
    },
    idle: () => drainer.idle(),
  };
}
