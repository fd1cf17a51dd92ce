/**
 * The rules every `KycStore` applies inside its one atomic `apply` step, written once (beside the
 * port) so the memory store of `@kycport/tracker` and `@kycport/store-postgres` decide alike (the
 * store contract in `@kycport/testing` checks them). Pure functions: the store reads the current
 * row, asks `decideApply`, and writes.
 *
 * Order of an `ordered` input against the stored state (docs/tracking.md, "Ordering"):
 * 1. time: the input's `providerTime` against the stored state's time, which is its `providerTime`,
 *    or, for a state recorded from a call or a read (no provider time), the store's `changedAt`;
 *    a side without a usable time makes this step a tie;
 * 2. attempt: a higher attempt is newer (when both tell);
 * 3. status precedence (`STATUS_PRECEDENCE`): at equal time and attempt, the status further along
 *    the flow wins;
 * 4. `status`, then `providerStatus`, by code-unit order: an arbitrary but total tie-break, so the
 *    same set of events applied in any order ends in the same state.
 * An ordered input that is not strictly newer is `stale`.
 *
 * A missing time or attempt ties, so the order is total only among states that carry them alike:
 * the ordered states of one user come from one provider's webhooks, which either always carry an
 * attempt (and a time) or never do. Mixed, three states at one time could form a cycle (a missing
 * attempt tying with attempts 1 and 2) and arrival order would decide; ranking a missing value
 * first instead would make a webhook without an attempt lose to any stored call result that has
 * one, which is worse.
 */
import type { ApplyStateInput, TrackedState } from './kyc-store';
import type { KycState, KycStatus } from './kyc-state';

/**
 * Precedence at equal provider time and attempt: pending < action_required < in_review <
 * expired = canceled < denied < approved: an attempt is reviewed after it started and decided
 * after it was reviewed. Between the two verdicts the rank is a fixed convention (two verdicts of
 * one attempt with one time do not happen in a provider's flow), so any order of arrival converges.
 */
export const STATUS_PRECEDENCE: Readonly<Record<KycStatus, number>> = {
  pending: 1,
  action_required: 2,
  in_review: 3,
  expired: 4,
  canceled: 4,
  denied: 5,
  approved: 6,
};

/**
 * What `decideApply` tells a store to do with an input: write it, only refresh `checkedAt`
 * (`unchanged`), keep it out as older than the stored state (`stale`), or refuse it because
 * `expectedVersion` no longer matches (`conflict`).
 */
export type ApplyDecision = 'apply' | 'unchanged' | 'stale' | 'conflict';

/** Milliseconds of an ISO 8601 time, or `undefined` when absent or unreadable. */
export function timeOf(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Same status, provider status and attempt: nothing to apply (only `checkedAt` moves). */
export function sameState(a: KycState, b: KycState): boolean {
  return a.status === b.status && a.providerStatus === b.providerStatus && a.attempt === b.attempt;
}

/** A missing value ties (see the note above). */
function compareNumbers(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || a === b) return 0;
  return a < b ? -1 : 1;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The time a stored state is ordered by: its provider time, else when the store changed it. */
export function orderTimeOf(current: TrackedState): number | undefined {
  return timeOf(current.providerTime) ?? timeOf(current.changedAt);
}

/**
 * Compares two states in the documented order: negative when `a` is older, 0 when neither is
 * newer, positive when `a` is newer. `aTime`/`bTime` are milliseconds (undefined: no usable time).
 */
export function compareStates(
  a: { readonly state: KycState; readonly time?: number },
  b: { readonly state: KycState; readonly time?: number },
): number {
  return (
    compareNumbers(a.time, b.time) ||
    compareNumbers(a.state.attempt, b.state.attempt) ||
    compareNumbers(STATUS_PRECEDENCE[a.state.status], STATUS_PRECEDENCE[b.state.status]) ||
    compareText(a.state.status, b.state.status) ||
    compareText(a.state.providerStatus, b.state.providerStatus)
  );
}

/**
 * What `apply` does with `input` given the stored state (dedupe keys are checked before, by the
 * store): `conflict` when `expectedVersion` is set and no longer matches (0: nothing stored);
 * `unchanged` for the same status, provider status and attempt; `stale` for an `ordered` input that
 * is not strictly newer; else `apply`. An input without `ordered` (a call's or a read's result) is
 * never stale: it is what the provider answered now.
 */
export function decideApply(current: TrackedState | undefined, input: ApplyStateInput): ApplyDecision {
  if (input.expectedVersion !== undefined && (current?.version ?? 0) !== input.expectedVersion) {
    return 'conflict';
  }
  if (current === undefined) return 'apply';
  if (sameState(current.state, input.state)) return 'unchanged';
  if (input.ordered === true) {
    const order = compareStates(
      { state: input.state, time: timeOf(input.providerTime) },
      { state: current.state, time: orderTimeOf(current) },
    );
    if (order <= 0) return 'stale';
  }
  return 'apply';
}

/** The stored state after an applied input: the next version, the store's clock for both times. */
export function appliedState(current: TrackedState | undefined, input: ApplyStateInput): TrackedState {
  return {
    ref: input.ref,
    provider: input.provider,
    state: input.state,
    ...(timeOf(input.providerTime) === undefined ? {} : { providerTime: input.providerTime }),
    version: (current?.version ?? 0) + 1,
    changedAt: input.now,
    checkedAt: input.now,
  };
}

/** The later of two ISO times (for `checkedAt`, which never moves back). */
export function laterTime(a: string, b: string): string {
  return (timeOf(b) ?? 0) > (timeOf(a) ?? 0) ? b : a;
}
