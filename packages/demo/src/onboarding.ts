/**
 * The onboarding every provider walks in the demo, through the tracker: create -> hosted flow ->
 * webhook (ingested: verified, deduped, committed) -> the state change -> getStatus from the store
 * (denied) -> retry -> hosted flow -> webhook -> getStatus (approved) -> a re-delivered webhook.
 * The host code only sees the tracker over the port; a `HostedFlowDriver` plays the end user
 * (offline: through the simulator's control API).
 */
import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import { KycException, isFinalStatus } from '@kycport/core';
import type { CreateUserInput, KycError, RetryOptions, UserRef } from '@kycport/core';
import type { IngestResult, Tracking } from '@kycport/tracker';
import type { DemoTracker } from './demo-tracker';
import type { Timeline } from './timeline';

export type HostedOutcome = 'approved' | 'denied';

/** How fresh a stored state must be for `getStatus` to answer from the store (no provider request). */
const FRESH_MS = 60_000;

export interface HostedFlowDriver {
  /** Completes the user's current verification attempt with `outcome`, as the end user would. */
  completeHostedFlow(ref: UserRef, outcome: HostedOutcome, redirectUrl: string | undefined): Promise<void>;
  /** How long to wait for the webhook, and the state change it brings, after the flow. */
  readonly settleTimeoutMs: number;
  /** Resolves when the provider has no webhook delivery pending. */
  webhooksIdle?(): Promise<void>;
  /** Sends the last webhook again, as a provider that delivers at least once may: the endpoint's answer. */
  redeliverLast?(): Promise<IngestResult | undefined>;
}

export interface OnboardingSummary {
  readonly provider: string;
  readonly userRef: UserRef;
  readonly finalStatus: string;
  readonly statuses: ReadonlyArray<string>;
  /** The ids of the user's changes handed to `onStateChange`, in order. */
  readonly changeIds: ReadonlyArray<string>;
  /** What the endpoint answered the re-delivered last webhook (simulators and the fake). */
  readonly redelivery?: IngestResult;
}

/** A tracker call's value, or its error thrown as a `KycException` (the demo's top level prints it). */
export async function run<A>(task: TE.TaskEither<KycError, A>): Promise<A> {
  const result = await task();
  if (E.isLeft(result)) throw new KycException(result.left);
  return result.right;
}

function recorded(tracking: Tracking): string {
  if (!tracking.recorded) return `not recorded: ${tracking.error.kind}`;
  const outcome = tracking.outcome;
  return `recorded: ${outcome.kind}${outcome.kind === 'applied' ? ` v${outcome.change.version}` : ''}`;
}

/** The end user completes the flow; the tracker ingests the webhook; the host reads the state. */
async function settleAttempt(
  demo: DemoTracker,
  driver: HostedFlowDriver,
  timeline: Timeline,
  attempt: { ref: UserRef; outcome: HostedOutcome; redirect: string | undefined },
): Promise<string> {
  const { tracker, changes } = demo;
  const { ref, outcome } = attempt;
  const from = (await tracker.store.get(ref))?.version ?? 0;
  timeline.step(
    'user completes the hosted flow',
    outcome === 'denied' ? 'with data the provider denies' : 'with good data',
  );
  await driver.completeHostedFlow(ref, outcome, attempt.redirect);
  // The endpoint prints each delivery's answer and onStateChange each change; wait for the one that settles the attempt.
  await changes.waitFor(
    (change) => change.ref === ref && change.version > from && isFinalStatus(change.state.status),
    driver.settleTimeoutMs,
  );
  const status = await run(tracker.getStatus(ref, { maxAgeMs: FRESH_MS }));
  timeline.result(
    'getStatus',
    status,
    status.from === 'store' ? 'from the store: no provider request' : 'read from the provider',
  );
  return status.state.status;
}

export async function walkOnboarding(
  demo: DemoTracker,
  driver: HostedFlowDriver,
  input: CreateUserInput,
  timeline: Timeline,
  retryOptions: RetryOptions = { strategy: { kind: 'auto' } },
): Promise<OnboardingSummary> {
  const { tracker } = demo;
  const { capabilities } = tracker.kyc;
  timeline.step(
    'createUser',
    `hosted flow=${capabilities.hostedFlow}, retry strategies=${capabilities.retryStrategies.join('/') || 'none'}, status lookup=${capabilities.statusLookup}`,
  );
  const created = await run(tracker.createUser(input));
  timeline.result('createUser', created, recorded(created.tracking));
  const statuses: string[] = [created.state.status];
  const ref = created.userRef;
  const redirectOf = (state: typeof created.state, fallback?: string) =>
    state.nextAction.type === 'redirect' ? state.nextAction.url : fallback;

  const first = await settleAttempt(demo, driver, timeline, {
    ref,
    outcome: 'denied',
    redirect: redirectOf(created.state),
  });
  statuses.push(first);
  if (first !== 'denied') throw new Error(`expected the first attempt to be denied, got ${first}`);

  const retried = await run(tracker.retry(ref, retryOptions));
  timeline.result('retry', retried, recorded(retried.tracking));
  timeline.step(
    'attempts',
    `count=${retried.attempts.count ?? 'unknown'}, remaining=${retried.attempts.remaining ?? 'unknown'}`,
  );
  statuses.push(retried.state.status);

  const second = await settleAttempt(demo, driver, timeline, {
    ref,
    outcome: 'approved',
    redirect: redirectOf(retried.state, redirectOf(created.state)),
  });
  statuses.push(second);

  await driver.webhooksIdle?.();
  if (driver.redeliverLast) timeline.step('the provider delivers its last webhook again');
  const redelivery = await driver.redeliverLast?.();
  await tracker.idle();
  const changeIds = demo.changes.changes.filter((change) => change.ref === ref).map((c) => c.changeId);
  return {
    provider: tracker.kyc.id,
    userRef: ref,
    finalStatus: second,
    statuses,
    changeIds,
    ...(redelivery === undefined ? {} : { redelivery }),
  };
}
