/**
 * The P100 simulator's control methods: the end user's hosted capture, direct state changes
 * (`STATUS/ATTEMPT[:reason]`, `KYC_NOT_FOUND`, `POA/<status>`), P100's outage errors, and the
 * P100-only control route `POST /__control/p100/provider-error`.
 */
import { SimulatorControlError } from '../provider-simulator';
import type { SimulatedOutcome } from '../provider-simulator';
import type { Route, SimulatorServer } from '../simulator-server';
import { asRecord } from '../simulator-wire';
import { P100_SIMULATOR_REJECTION_REASON } from './p100-settings';
import type { P100ProviderErrorRule } from './p100-settings';
import {
  isOneOf,
  newVerification,
  p100ConventionalOutcome,
  p100UserOf,
  providerStatusOf,
} from './p100-state';
import type { P100SimulatorContext, P100UserRecord } from './p100-state';
import { announceP100User } from './p100-webhooks';
import { ATTEMPT_STATUSES, POA_STATUSES, VERIFICATION_STATUSES, p100Error } from './p100-wire';

export async function completeP100HostedFlow(
  context: P100SimulatorContext,
  ref: string,
  outcome?: SimulatedOutcome,
): Promise<void> {
  const user = p100UserOf(context, ref);
  if (user.attempt !== 'PENDING' && user.attempt !== 'VERIFICATION' && user.processingDocumentData !== true) {
    throw new SimulatorControlError(
      `p100 simulator: no verification in progress for ${ref} (${providerStatusOf(user)}); start one with POST /v1/kyc`,
      400,
    );
  }
  const verdict = outcome ?? p100ConventionalOutcome(user.lastName);
  delete user.processingDocumentData;
  // The capture (PENDING -> VERIFICATION) and the review happen in one step; the webhook carries the verdict.
  user.attempt = 'VERIFICATION';
  if (verdict === 'denied') {
    user.status = user.status === 'EXPIRED' ? 'EXPIRED' : 'NOT_VERIFIED';
    user.attempt = 'REJECTED_BY_PROVIDER';
    user.rejectionReason = P100_SIMULATOR_REJECTION_REASON;
  } else {
    delete user.rejectionReason;
    user.attempt = 'SUCCESSFUL';
    const awaitingData = user.flow === 'hosted' && context.requireDocumentData && !user.documentDataSubmitted;
    user.status = awaitingData ? 'NOT_VERIFIED' : 'VERIFIED';
  }
  announceP100User(context, user);
}

/** `POA/<status>`: the POA webhook when the status changes. */
function setPoaStatus(context: P100SimulatorContext, user: P100UserRecord, poa: string): void {
  if (!isOneOf(POA_STATUSES, poa))
    throw new SimulatorControlError(`p100 simulator: unknown POA status ${poa}`, 400);
  if (user.poa !== poa) context.deliverer.deliver({ externalUserId: user.externalUserId, status: poa });
  user.poa = poa;
}

/** `KYC_NOT_FOUND`: no verification at all (no webhook). */
function forgetVerification(user: P100UserRecord): void {
  user.status = 'NOT_VERIFIED';
  delete user.attempt;
  delete user.rejectionReason;
  delete user.flow;
  delete user.verificationId;
}

/** `STATUS/ATTEMPT[:reason]`: the KYC webhook when the state (or the reason) changes. */
function setVerificationState(context: P100SimulatorContext, user: P100UserRecord, state: string): void {
  const match = /^(\w+)\/(\w+)(?::(\w+))?$/.exec(state);
  const status = match?.[1] ?? '';
  const attempt = match?.[2] ?? '';
  if (!isOneOf(VERIFICATION_STATUSES, status) || !isOneOf(ATTEMPT_STATUSES, attempt)) {
    throw new SimulatorControlError(
      `p100 simulator: unknown state ${state}; expected STATUS/ATTEMPT (e.g. NOT_VERIFIED/PENDING, ` +
        'NOT_VERIFIED/REJECTED_BY_PROVIDER:NO_FACE_FOUND, VERIFIED/SUCCESSFUL), KYC_NOT_FOUND or POA/<status>',
      400,
    );
  }
  const before = `${providerStatusOf(user)}:${user.rejectionReason ?? ''}`;
  // A state with an attempt needs a verification: create one (not counted against the cap).
  if (user.verificationId === undefined) newVerification(user, 'hosted');
  user.status = status;
  user.attempt = attempt;
  if (attempt === 'REJECTED_BY_PROVIDER')
    user.rejectionReason = match?.[3] ?? P100_SIMULATOR_REJECTION_REASON;
  else delete user.rejectionReason;
  if (`${providerStatusOf(user)}:${user.rejectionReason ?? ''}` !== before) announceP100User(context, user);
}

export async function setP100UserState(
  context: P100SimulatorContext,
  ref: string,
  state: string,
): Promise<void> {
  const user = p100UserOf(context, ref);
  const poa = /^POA\/(\w+)$/.exec(state)?.[1];
  if (poa !== undefined) setPoaStatus(context, user, poa);
  else if (state === 'KYC_NOT_FOUND') forgetVerification(user);
  else setVerificationState(context, user, state);
}

/** Makes the next matching request(s) fail as P100 does when it is down: HTTP 400 with P501 (or P500). */
export function injectP100ProviderError(server: SimulatorServer, rule: P100ProviderErrorRule = {}): void {
  const error = p100Error(rule.code ?? 'P501');
  server.injectFault({
    fault: { type: 'status', status: error.status, body: error.body },
    ...(rule.method !== undefined ? { method: rule.method.toUpperCase() } : {}),
    ...(rule.path !== undefined ? { path: rule.path } : {}),
    ...(rule.times !== undefined ? { times: rule.times } : {}),
  });
}

/** `POST /__control/p100/provider-error` `{ code?, method?, path?, times? }`. */
export function p100ControlRoutes(
  injectProviderError: (rule: P100ProviderErrorRule) => void,
): ReadonlyArray<Route> {
  return [
    {
      method: 'POST',
      pattern: '/p100/provider-error',
      handler: (request) => {
        const { code, method, path, times } = asRecord(request.body) ?? {};
        if (
          (code !== undefined && code !== 'P500' && code !== 'P501') ||
          (method !== undefined && typeof method !== 'string') ||
          (path !== undefined && typeof path !== 'string') ||
          (times !== undefined && (typeof times !== 'number' || times < 1))
        ) {
          return {
            status: 400,
            body: { error: 'expected { code?: "P500" | "P501", method?, path?, times? }' },
          };
        }
        injectProviderError({ code, method, path, times });
        return { status: 200, body: { ok: true } };
      },
    },
  ];
}
