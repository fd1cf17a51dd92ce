/**
 * The port calls, passed through and recorded: `createUser`, `retry` and `submitVerification`
 * record their result (source `call`); `getStatus` answers from the store when fresh enough, else
 * reads the provider and records the read (source `read`) guarded by the version read before it.
 */
import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import type {
  CallOptions,
  KycError,
  KycResult,
  StateSource,
  StatusResult,
  TrackedState,
  UserRef,
} from '@kycport/core';
import { timeOf } from '@kycport/core';
import { storeCall, track } from './tracker-context';
import type { TrackerContext } from './tracker-context';
import type { Tracked, TrackedStatus, TrackedStatusOptions, Tracking } from './tracker-types';

/** Runs a port call and records its result (source `call`). */
export function recordedCall<R extends KycResult>(
  context: TrackerContext,
  call: () => TE.TaskEither<KycError, R>,
): TE.TaskEither<KycError, Tracked<R>> {
  return async () => {
    const result = await call()();
    if (E.isLeft(result)) return result;
    const { provider, userRef, state } = result.right;
    const tracking = await track(context, {
      ref: userRef,
      provider,
      state,
      source: 'call',
      now: context.now(),
    });
    return E.right({ ...result.right, tracking });
  };
}

export interface RecordedRead {
  readonly result: StatusResult;
  readonly tracking: Tracking;
}

/**
 * One provider read recorded with `expectedVersion` (the version stored before the read began), so
 * a read that raced a newer webhook cannot overwrite it. On a conflict the read is made again, up
 * to `rereads` times; the last outcome (possibly `conflict`) is returned in `tracking`.
 */
export function recordedRead(
  context: TrackerContext,
  ref: UserRef,
  source: StateSource,
  options: {
    readonly callOptions?: CallOptions;
    readonly rereads: number;
    /** An exact webhook key, recorded in the same step as the state. */
    readonly dedupeKey?: string;
    readonly respelled?: boolean;
  },
): TE.TaskEither<KycError, RecordedRead> {
  return async () => {
    const before = await storeCall(context.kyc.id, 'get', () => context.store.get(ref))();
    const read = await context.kyc.getStatus(ref, options.callOptions)();
    if (E.isLeft(read)) return read;
    if (E.isLeft(before))
      return E.right({ result: read.right, tracking: { recorded: false, error: before.left } });
    if (read.right.userRef !== ref && options.respelled !== true) {
      // The host gave another spelling of the ref (a bare one): read again under the one the provider uses.
      return recordedRead(context, read.right.userRef, source, { ...options, respelled: true })();
    }
    const tracking = await track(context, {
      ref,
      provider: read.right.provider,
      state: read.right.state,
      source,
      expectedVersion: before.right?.version ?? 0,
      ...(options.dedupeKey === undefined ? {} : { dedupeKey: options.dedupeKey }),
      now: context.now(),
    });
    if (tracking.recorded && tracking.outcome.kind === 'conflict' && options.rereads > 0) {
      return recordedRead(context, ref, source, { ...options, rereads: options.rereads - 1 })();
    }
    return E.right({ result: read.right, tracking });
  };
}

function fresh(context: TrackerContext, tracked: TrackedState, maxAgeMs: number): boolean {
  const checked = timeOf(tracked.checkedAt);
  const now = timeOf(context.now());
  return checked !== undefined && now !== undefined && now - checked < maxAgeMs;
}

/** `getStatus` with `maxAgeMs`: the store's state when confirmed recently enough, else a recorded read. */
export function trackedStatus(
  context: TrackerContext,
  ref: UserRef,
  options: TrackedStatusOptions = {},
): TE.TaskEither<KycError, TrackedStatus> {
  const { maxAgeMs, ...callOptions } = options;
  return async () => {
    if (maxAgeMs !== undefined) {
      const stored = await storeCall(context.kyc.id, 'get', () => context.store.get(ref))();
      if (E.isRight(stored) && stored.right !== undefined && fresh(context, stored.right, maxAgeMs)) {
        const { provider, state, checkedAt } = stored.right;
        return E.right({ provider, userRef: ref, state, checkedAt, from: 'store' });
      }
    }
    const read = await recordedRead(context, ref, 'read', { callOptions, rereads: 1 })();
    if (E.isLeft(read)) return read;
    const { result, tracking } = read.right;
    const checkedAt =
      tracking.recorded && tracking.outcome.kind === 'unchanged'
        ? tracking.outcome.current.checkedAt
        : tracking.recorded && tracking.outcome.kind === 'applied'
          ? tracking.outcome.change.changedAt
          : context.now();
    return E.right({
      provider: result.provider,
      userRef: result.userRef,
      state: result.state,
      from: 'provider',
      checkedAt,
      result,
      tracking,
    });
  };
}
