/** Helpers of the tracker's tests (not a test file). */
import * as E from 'fp-ts/Either';
import type { KycError, KycStore, StateChange } from '@kycport/core';

export function right<T>(result: E.Either<KycError, T>): T {
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

/** A store whose every call can be made to fail (the database went away), or `apply` to throw once. */
export function faultyStore(inner: KycStore) {
  const control = { down: false, crashNextApply: false, applies: 0 };
  const guard = <A>(call: () => Promise<A>): Promise<A> =>
    control.down ? Promise.reject(new Error('connection refused (db.internal:5432)')) : call();
  const store: KycStore = {
    get: (ref) => guard(() => inner.get(ref)),
    apply: (input) =>
      guard(async () => {
        control.applies++;
        if (control.crashNextApply) {
          control.crashNextApply = false;
          throw new Error('process killed inside the transaction');
        }
        return inner.apply(input);
      }),
    markProcessed: (key, now) => guard(() => inner.markProcessed(key, now)),
    claimOutbox: (claim) => guard(() => inner.claimOutbox(claim)),
    completeOutbox: (id) => guard(() => inner.completeOutbox(id)),
    failOutbox: (id, at) => guard(() => inner.failOutbox(id, at)),
    claimStaleUsers: (claim) => guard(() => inner.claimStaleUsers(claim)),
  };
  return { store, control };
}

/** An `onStateChange` that records every call (and can be made to throw). */
export function recordingHandler() {
  const calls: StateChange[] = [];
  const control = { failuresLeft: 0 };
  const handler = async (change: StateChange): Promise<void> => {
    calls.push(change);
    if (control.failuresLeft > 0) {
      control.failuresLeft--;
      throw new Error('host handler failed');
    }
  };
  return { calls, control, handler };
}

/** A clock the test moves. */
export function testClock(start = Date.now()) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

/** Fisher-Yates with a seeded generator (deterministic shuffles). */
export function shuffled<T>(items: ReadonlyArray<T>, seed = 42): T[] {
  const out = [...items];
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let index = out.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [out[index], out[other]] = [out[other]!, out[index]!];
  }
  return out;
}
