/**
 * The onboarding every provider walks in the demo: create -> hosted flow -> webhook -> getStatus
 * (denied) -> retry -> hosted flow -> webhook -> getStatus (approved). The host code only sees
 * the port; a `HostedFlowDriver` plays the end user (and, offline, the provider's back office).
 */
import type { CreateUserInput, KycEvent, PromiseKycProvider, UserRef } from '@kycport/core';
import type { Timeline } from './timeline';

export type HostedOutcome = 'approved' | 'denied';

export interface HostedFlowDriver {
  /** Completes the user's current verification attempt with `outcome`, as the end user would. */
  completeHostedFlow(ref: UserRef, outcome: HostedOutcome): Promise<void>;
  /** Waits for the next verified webhook about `ref` (delivered to the host's endpoint). */
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
): Promise<OnboardingSummary> {
  const statuses: string[] = [];
  timeline.step(
    'createUser',
    `capabilities: hosted flow=${kyc.capabilities.hostedFlow}, retry strategies=${kyc.capabilities.retryStrategies.join('/') || 'none'}`,
  );
  const created = await kyc.createUser(input);
  timeline.result('createUser', created);
  statuses.push(created.state.status);
  const ref = created.userRef;

  const attempt = async (outcome: HostedOutcome): Promise<string> => {
    timeline.step(
      'user completes the hosted flow',
      outcome === 'denied' ? 'with data the provider denies' : 'with good data',
    );
    await driver.completeHostedFlow(ref, outcome);
    const event = await driver.nextWebhook(ref);
    timeline.event(event);
    const status = await kyc.getStatus(ref);
    timeline.result('getStatus', status);
    statuses.push(status.state.status);
    return status.state.status;
  };

  const first = await attempt('denied');
  if (first !== 'denied') throw new Error(`expected the first attempt to be denied, got ${first}`);

  const retried = await kyc.retry(ref, { strategy: { kind: 'auto' } });
  timeline.result('retry', retried);
  timeline.step(
    'attempts',
    `count=${retried.attempts.count ?? 'unknown'}, remaining=${retried.attempts.remaining ?? 'unknown'}`,
  );
  statuses.push(retried.state.status);

  const second = await attempt('approved');
  return { provider: kyc.id, userRef: ref, finalStatus: second, statuses };
}
