/**
 * The outbox drain: claims due changes (leased, so several instances share the outbox), hands each
 * to `onStateChange`, completes it on success; a handler that throws leaves the change in the
 * outbox, due again after an exponential backoff. A change is delivered at least once: a crash
 * after the handler ran but before `completeOutbox` delivers it again once the lease ends.
 */
import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import type { KycError, StateChange } from '@kycport/core';
import { storeCall } from './tracker-context';
import type { TrackerContext } from './tracker-context';
import type { DrainReport, OutboxSettings } from './tracker-types';

export interface DrainSettings {
  readonly leaseMs: number;
  readonly initialMs: number;
  readonly maxMs: number;
  readonly batchSize: number;
}

/** Most batches one drain claims, so a drain ends even while changes keep arriving. */
const MAX_BATCHES = 100;

export function drainSettings(settings: OutboxSettings = {}): DrainSettings {
  return {
    leaseMs: settings.leaseMs ?? 30_000,
    initialMs: settings.backoff?.initialMs ?? 1_000,
    maxMs: settings.backoff?.maxMs ?? 300_000,
    batchSize: settings.batchSize ?? 100,
  };
}

/** The delay before the next delivery of a change that failed `attempts + 1` times. */
export function backoffMs(settings: DrainSettings, attempts: number): number {
  return Math.min(settings.maxMs, settings.initialMs * 2 ** Math.min(attempts, 30));
}

async function deliver(
  context: TrackerContext,
  settings: DrainSettings,
  change: StateChange,
  handler: (change: StateChange) => void | Promise<void>,
): Promise<boolean> {
  const { store } = context;
  try {
    await handler(change);
  } catch {
    const retryAt = new Date(Date.parse(context.now()) + backoffMs(settings, change.attempts)).toISOString();
    // A store failure here leaves the lease to expire: the change is delivered again.
    await storeCall(change.provider, 'failOutbox', () => store.failOutbox(change.changeId, retryAt))();
    return false;
  }
  await storeCall(change.provider, 'completeOutbox', () => store.completeOutbox(change.changeId))();
  return true;
}

export function drainOutbox(
  context: TrackerContext,
  settings: DrainSettings,
): TE.TaskEither<KycError, DrainReport> {
  return async () => {
    const handler = context.onStateChange;
    const report = { claimed: 0, delivered: 0, failed: 0 };
    if (handler === undefined) return E.right(report);
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const claim = { limit: settings.batchSize, leaseMs: settings.leaseMs, now: context.now() };
      const claimed = await storeCall(context.kyc.id, 'claimOutbox', () =>
        context.store.claimOutbox(claim),
      )();
      if (E.isLeft(claimed)) return report.claimed === 0 ? claimed : E.right(report);
      report.claimed += claimed.right.length;
      for (const change of claimed.right) {
        if (await deliver(context, settings, change, handler)) report.delivered++;
        else report.failed++;
      }
      if (claimed.right.length < settings.batchSize) break;
    }
    return E.right(report);
  };
}
