/**
 * `/identity_verification/retry`: a new attempt linked to the latest one, planned by the strategy
 * (`reset`, `incomplete`, `infer`, `custom`) under Plaid's rules: `infer` not while the latest
 * attempt is active, `incomplete` not after a watchlist or risk failure, `steps` only with `custom`.
 * https://plaid.com/docs/api/products/identity-verification/#identity_verificationretry
 */
import type { Route, SimulatorResponse } from '../simulator-server';
import { asRecord } from '../simulator-wire';
import {
  PLAID_RETRY_STRATEGIES,
  customPlan,
  failedStepsOf,
  incompletePlan,
  newAttempt,
  templatePlan,
} from './plaid-attempts';
import type { Attempt, PlaidRetryStrategy, Plan } from './plaid-attempts';
import { missingOf, plaidEndpoint, templateProblem, unknownOf } from './plaid-endpoint';
import type { PlaidBody } from './plaid-endpoint';
import { attemptResponse, latestOf, recordAttempt } from './plaid-state';
import type { PlaidSimulatorContext } from './plaid-state';
import { sendPlaidWebhook } from './plaid-webhooks';
import {
  RETRY_USER_FIELDS,
  checkUser,
  invalidField,
  missingFields,
  refusal,
  unknownFields,
} from './plaid-wire';
import type { PlaidRefusalStyle } from './plaid-settings';
import type { RequestUser } from './plaid-wire';

const RETRY_FIELDS = [
  'client_id',
  'secret',
  'client_user_id',
  'template_id',
  'strategy',
  'steps',
  'is_shareable',
  'user',
];
const RETRY_STEP_FIELDS = ['verify_sms', 'kyc_check', 'documentary_verification', 'selfie_check'] as const;

type CustomSteps = { verify_sms: boolean; kyc_check: boolean; documentary_verification: boolean };

/** The `steps` of a `custom` retry: the four switches, each a boolean. */
function checkCustomSteps(value: unknown): SimulatorResponse | CustomSteps {
  const steps = asRecord(value);
  if (!steps) return invalidField('steps must be an object');
  const unknown = unknownOf(steps, RETRY_STEP_FIELDS);
  if (unknown.length > 0) return unknownFields(unknown.map((key) => `steps.${key}`));
  const absent = missingOf(steps, RETRY_STEP_FIELDS);
  if (absent.length > 0) return missingFields(absent.map((key) => `steps.${key}`));
  const notBoolean = RETRY_STEP_FIELDS.find((key) => typeof steps[key] !== 'boolean');
  if (notBoolean) return invalidField(`steps.${notBoolean} must be a boolean`);
  return {
    verify_sms: steps.verify_sms as boolean,
    kyc_check: steps.kyc_check as boolean,
    documentary_verification: steps.documentary_verification as boolean,
  };
}

interface RetryRequest {
  readonly clientUserId: string;
  readonly strategy: PlaidRetryStrategy;
  readonly customSteps?: CustomSteps;
  readonly user: RequestUser | undefined;
}

/** The body's checks, in Plaid's order; the retry it asks for. */
function checkRetry(context: PlaidSimulatorContext, body: PlaidBody): SimulatorResponse | RetryRequest {
  const missing = missingOf(body, ['client_user_id', 'template_id', 'strategy']);
  if (missing.length > 0) return missingFields(missing);
  if (typeof body.client_user_id !== 'string') return invalidField('client_user_id must be a string');
  if (
    typeof body.strategy !== 'string' ||
    !(PLAID_RETRY_STRATEGIES as ReadonlyArray<string>).includes(body.strategy)
  )
    return invalidField('strategy must be one of reset, incomplete, infer, custom');
  const strategy = body.strategy as PlaidRetryStrategy;
  const hasSteps = body.steps !== undefined && body.steps !== null;
  if (strategy === 'custom' && !hasSteps) return missingFields(['steps (required when strategy is custom)']);
  if (strategy !== 'custom' && hasSteps)
    return invalidField('steps must be omitted unless strategy is custom');
  const customSteps = strategy === 'custom' ? checkCustomSteps(body.steps) : undefined;
  if (customSteps !== undefined && !('kyc_check' in customSteps)) return customSteps;
  if (body.is_shareable !== undefined && body.is_shareable !== null && typeof body.is_shareable !== 'boolean')
    return invalidField('is_shareable must be a boolean');
  const problem = templateProblem(context, body.template_id);
  if (problem) return problem;
  const checkedUser = checkUser(body.user, RETRY_USER_FIELDS);
  if (!checkedUser.ok) return checkedUser.error;
  return { clientUserId: body.client_user_id, strategy, customSteps, user: checkedUser.value };
}

/** The plan of the new attempt, or why the strategy cannot apply to the latest attempt. */
function planFor(
  style: PlaidRefusalStyle,
  latest: Attempt,
  strategy: PlaidRetryStrategy,
  customSteps?: CustomSteps,
): SimulatorResponse | Plan {
  let effective: PlaidRetryStrategy = strategy;
  if (strategy === 'infer') {
    // "The infer strategy cannot be applied if the session's status is still active".
    if (latest.status === 'active')
      return refusal(
        style,
        "strategy: the infer strategy cannot be applied while the session's status is still active",
      );
    // "If the most recent ... attempt ... has a status of failed or expired, retry using the
    // incomplete strategy. Otherwise, use the reset strategy."
    effective = latest.status === 'failed' || latest.status === 'expired' ? 'incomplete' : 'reset';
  }
  if (effective === 'incomplete') {
    // "The incomplete strategy cannot be applied if the session's failing step is screening or
    // risk_check" (screening: the watchlist_screening step; failing: failed or manually_rejected).
    const failing = failedStepsOf(latest.steps);
    if (failing.some((step) => step === 'watchlist_screening' || step === 'risk_check'))
      return refusal(
        style,
        "strategy: the incomplete strategy cannot be applied when the session's failing step is watchlist_screening or risk_check",
      );
  }
  switch (effective) {
    case 'incomplete':
      return incompletePlan(latest);
    case 'custom':
      return customPlan(latest.gaveConsent, customSteps as CustomSteps);
    default:
      return templatePlan(latest.gaveConsent);
  }
}

function retry(context: PlaidSimulatorContext, body: PlaidBody): SimulatorResponse {
  const checked = checkRetry(context, body);
  if (!('strategy' in checked)) return checked;
  const latest = latestOf(context, checked.clientUserId);
  if (!latest)
    return refusal(context.refusalStyle, 'client_user_id does not match any Identity Verification');
  const plan = planFor(context.refusalStyle, latest, checked.strategy, checked.customSteps);
  if ('status' in plan) return plan;
  const attempt = newAttempt({
    clientUserId: latest.clientUserId,
    userId: latest.userId,
    previousAttemptId: latest.id,
    isShareable: typeof body.is_shareable === 'boolean' ? body.is_shareable : latest.shareKey !== null,
    gaveConsent: latest.gaveConsent,
    user: { ...latest.user, ...(checked.user ?? {}) },
    plan,
  });
  recordAttempt(context, attempt);
  sendPlaidWebhook(context.deliverer, 'RETRIED', attempt);
  return attemptResponse(context, attempt);
}

export function plaidRetry(context: PlaidSimulatorContext): Route {
  return plaidEndpoint('/identity_verification/retry', RETRY_FIELDS, (body) => retry(context, body));
}
