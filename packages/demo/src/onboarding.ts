/**
 * The onboarding every provider walks in the demo: create -> hosted flow -> webhook -> getStatus
 * (denied) -> retry -> hosted flow -> webhook -> getStatus (approved). The host code only sees
 * the port; a `HostedFlowDriver` plays the end user (offline: through the simulator's control API).
 */
import type { CreateUserInput, KycEvent, PromiseKycProvider, RetryOptions, UserRef } from '@kycport/core';
import type { Timeline } from './timeline';

export type HostedOutcome = 'approved' | 'denied';

export interface HostedFlowDriver {
  /** Completes the user's current verification attempt with `outcome`, as the end user would. */
  completeHostedFlow(ref: UserRef, outcome: HostedOutcome, redirectUrl: string | undefined): Promise<void>;
  /** Waits for the next verified webhook that settles `ref`'s attempt (delivered to the host's endpoint). */
  nextWebhook(ref: UserRef): Promise<KycEvent>;
}

export interface OnboardingSummary {
  readonly provider: string;
  readonly userRef: UserRef;
  readonly finalStatus: string;
  readonly statuses: ReadonlyArray<string>;
}

export async function walkOnboarding(
  kyc: PromiseKycProvider,
  driver: HostedFlowDriver,
  input: CreateUserInput,
  timeline: Timeline,
  retryOptions: RetryOptions = { strategy: { kind: 'auto' } },
): Promise<OnboardingSummary> {
  const statuses: string[] = [];
  timeline.step(
    'createUser',
    `hosted flow=${kyc.capabilities.hostedFlow}, retry strategies=${kyc.capabilities.retryStrategies.join('/') || 'none'}, status lookup=${kyc.capabilities.statusLookup}`,
  );
  const created = await kyc.createUser(input);
  timeline.result('createUser', created);
  statuses.push(created.state.status);
  const ref = created.userRef;
  let redirect = created.state.nextAction.type === 'redirect' ? created.state.nextAction.url : undefined;

  const attempt = async (outcome: HostedOutcome): Promise<string> => {
    timeline.step(
      'user completes the hosted flow',
      outcome === 'denied' ? 'with data the provider denies' : 'with good data',
    );
    await driver.completeHostedFlow(ref, outcome, redirect);
    // The host's webhook endpoint prints every verified event as it arrives; here we wait for the one that settles the attempt.
    await driver.nextWebhook(ref);
    const status = await kyc.getStatus(ref);
    timeline.result('getStatus', status);
    statuses.push(status.state.status);
    return status.state.status;
  };

  const first = await attempt('denied');
  if (first !== 'denied') throw new Error(`expected the first attempt to be denied, got ${first}`);

  const retried = await kyc.retry(ref, retryOptions);
  timeline.result('retry', retried);
  timeline.step(
    'attempts',
    `count=${retried.attempts.count ?? 'unknown'}, remaining=${retried.attempts.remaining ?? 'unknown'}`,
  );
  statuses.push(retried.state.status);
  redirect = retried.state.nextAction.type === 'redirect' ? retried.state.nextAction.url : redirect;

  const second = await attempt('approved');
  return { provider: kyc.id, userRef: ref, finalStatus: second, statuses };
}
