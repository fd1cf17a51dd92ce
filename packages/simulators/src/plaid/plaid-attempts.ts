/**
 * The Plaid Identity Verification attempt model of the simulator: the template's steps, how each
 * attempt status renders its `steps` summary, the retry strategies and the sandbox test-user
 * convention (the `IdentityVerification` object built from an attempt is in plaid-attempt-view.ts).
 */
import { randomBytes } from 'node:crypto';
import type { SimulatedOutcome } from '../provider-simulator';
import { base62 } from '../simulator-wire';
import type { RequestUser } from './plaid-wire';

/** `IdentityVerificationStepSummary` keys, in flow order. */
export const PLAID_STEPS = [
  'accept_tos',
  'verify_sms',
  'kyc_check',
  'documentary_verification',
  'selfie_check',
  'watchlist_screening',
  'risk_check',
] as const;
/** A step of a Plaid Identity Verification attempt. */
export type PlaidStep = (typeof PLAID_STEPS)[number];

/** `IdentityVerificationStatus`. */
export const PLAID_STATUSES = [
  'active',
  'success',
  'failed',
  'expired',
  'canceled',
  'pending_review',
] as const;
/** A Plaid attempt status. */
export type PlaidStatus = (typeof PLAID_STATUSES)[number];

/** `Strategy` of `/identity_verification/retry`. */
export const PLAID_RETRY_STRATEGIES = ['reset', 'incomplete', 'infer', 'custom'] as const;
/** A strategy of `/identity_verification/retry`. */
export type PlaidRetryStrategy = (typeof PLAID_RETRY_STRATEGIES)[number];

/** Whether the attempt runs a step: `required`, `skipped` (by consent or retry) or `not_applicable`. */
export type StepPlan = 'required' | 'skipped' | 'not_applicable';
export type Plan = Readonly<Record<PlaidStep, StepPlan>>;
export type Steps = Record<PlaidStep, string>;

/** Plaid's documented sandbox test user (https://plaid.com/docs/identity-verification/testing/). */
export const LESLIE_KNOPE = {
  given_name: 'Leslie',
  family_name: 'Knope',
  date_of_birth: '1975-01-18',
  phone_number: '+12345678909',
  /** SSN `123-45-6788` or `123-45-6789`, or their last 4 digits. */
  id_numbers: ['123456788', '123456789', '6788', '6789'],
} as const;

/**
 * How the sandbox convention ends a hosted flow: the outcome, and the step that fails when denied.
 */
export interface ConventionalOutcome {
  /** Approved or denied. */
  readonly outcome: SimulatedOutcome;
  /** The step that fails when the outcome is `denied`. */
  readonly failingStep?: 'kyc_check' | 'documentary_verification';
}

const normalized = (value: string | undefined): string => (value ?? '').trim().toLowerCase();

/**
 * The sandbox convention deciding a hosted flow completed without an explicit outcome:
 * - Leslie Knope (given `Leslie`, family `Knope`, case-insensitive) passes the data source check
 *   and documentary verification -> `success`, unless a date of birth, phone number or ID number
 *   was provided that differs from her test data (DOB `1975-01-18`, `+12345678909`, SSN
 *   `123456788`/`123456789` or last 4 `6788`/`6789`): the data source check (`kyc_check`) fails.
 * - Anyone else (Ben Wyatt, the reserved `… Gergich` names, users without a name) passes the data
 *   source check and fails documentary verification, as Ben Wyatt does in Plaid's sandbox.
 */
export function plaidConventionalOutcome(user: RequestUser | undefined): ConventionalOutcome {
  if (normalized(user?.name?.given_name) === 'leslie' && normalized(user?.name?.family_name) === 'knope') {
    const mismatch =
      (user?.date_of_birth !== undefined && user.date_of_birth !== LESLIE_KNOPE.date_of_birth) ||
      (user?.phone_number !== undefined && user.phone_number !== LESLIE_KNOPE.phone_number) ||
      (user?.id_number !== undefined &&
        !(LESLIE_KNOPE.id_numbers as ReadonlyArray<string>).includes(user.id_number.value));
    return mismatch ? { outcome: 'denied', failingStep: 'kyc_check' } : { outcome: 'approved' };
  }
  return { outcome: 'denied', failingStep: 'documentary_verification' };
}

/**
 * The simulator's template: every step of the summary; `selfie_check` is `not_applicable` because
 * selfie checks "will not be run in Sandbox mode"; `accept_tos` is `skipped` when `gave_consent`.
 */
export function templatePlan(gaveConsent: boolean): Plan {
  return {
    accept_tos: gaveConsent ? 'skipped' : 'required',
    verify_sms: 'required',
    kyc_check: 'required',
    documentary_verification: 'required',
    selfie_check: 'not_applicable',
    watchlist_screening: 'required',
    risk_check: 'required',
  };
}

/** What a status looks like in the steps summary. */
export type Phase =
  | { readonly kind: 'active' }
  | { readonly kind: 'success' }
  | { readonly kind: 'failed'; readonly step: PlaidStep }
  | { readonly kind: 'pending_review' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'canceled' };

function fixed(plan: StepPlan): string | undefined {
  if (plan === 'skipped') return 'skipped';
  if (plan === 'not_applicable') return 'not_applicable';
  return undefined;
}

/** The steps summary of an attempt in `phase`; `current` is needed for expired / canceled. */
export function renderSteps(plan: Plan, phase: Phase, current?: Steps): Steps {
  const steps = {} as Steps;
  let seenActive = false;
  const boundary =
    phase.kind === 'failed'
      ? phase.step
      : phase.kind === 'pending_review'
        ? 'watchlist_screening'
        : undefined;
  let passedBoundary = false;
  for (const step of PLAID_STEPS) {
    const preset = fixed(plan[step]);
    if (preset !== undefined) {
      steps[step] = preset;
      continue;
    }
    switch (phase.kind) {
      case 'active':
        steps[step] = seenActive ? 'waiting_for_prerequisite' : 'active';
        seenActive = true;
        break;
      case 'success':
        steps[step] = 'success';
        break;
      case 'failed':
      case 'pending_review':
        if (passedBoundary) steps[step] = 'waiting_for_prerequisite';
        else if (step === boundary) {
          steps[step] = phase.kind === 'failed' ? 'failed' : 'pending_review';
          passedBoundary = true;
        } else steps[step] = 'success';
        break;
      case 'expired':
      case 'canceled': {
        const before = current?.[step];
        steps[step] =
          before === 'active' || before === 'waiting_for_prerequisite' || before === undefined
            ? phase.kind
            : before;
        break;
      }
    }
  }
  return steps;
}

/** The step the denial fails: `preferred` when the attempt runs it, else the first step it runs. */
export function failingStepFor(plan: Plan, preferred: PlaidStep): PlaidStep {
  if (plan[preferred] === 'required') return preferred;
  const order: ReadonlyArray<PlaidStep> = [
    'documentary_verification',
    'kyc_check',
    'verify_sms',
    'risk_check',
    'watchlist_screening',
    'accept_tos',
  ];
  return order.find((step) => plan[step] === 'required') ?? 'risk_check';
}

export interface Attempt {
  readonly id: string;
  readonly clientUserId: string;
  readonly userId: string | null;
  readonly createdAt: string;
  completedAt: string | null;
  readonly previousAttemptId: string | null;
  /** The `key` of the shareable URL, when the attempt is shareable. */
  readonly shareKey: string | null;
  readonly gaveConsent: boolean;
  readonly user: RequestUser;
  readonly plan: Plan;
  status: PlaidStatus;
  steps: Steps;
  /** Updated with each change, for the simulated document and SMS timestamps. */
  updatedAt: string;
}

/** Plaid formats timestamps to the second: `2020-07-24T03:26:02Z`. */
export function timestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function newAttempt(fields: {
  clientUserId: string;
  userId: string | null;
  previousAttemptId: string | null;
  isShareable: boolean;
  gaveConsent: boolean;
  user: RequestUser;
  plan: Plan;
}): Attempt {
  const now = timestamp();
  return {
    id: `idv_${base62(14)}`,
    clientUserId: fields.clientUserId,
    userId: fields.userId,
    createdAt: now,
    completedAt: null,
    previousAttemptId: fields.previousAttemptId,
    shareKey: fields.isShareable ? randomBytes(32).toString('hex') : null,
    gaveConsent: fields.gaveConsent,
    user: fields.user,
    plan: fields.plan,
    status: 'active',
    steps: renderSteps(fields.plan, { kind: 'active' }),
    updatedAt: now,
  };
}

/** Moves an attempt to `phase` (the matching status, steps and `completed_at`). */
export function moveAttempt(attempt: Attempt, phase: Phase): void {
  attempt.steps = renderSteps(attempt.plan, phase, attempt.steps);
  attempt.status = phase.kind;
  const now = timestamp();
  attempt.updatedAt = now;
  attempt.completedAt = phase.kind === 'active' ? null : now;
}

const FAILED_VALUES: ReadonlySet<string> = new Set(['failed', 'manually_rejected']);
const PASSED_VALUES: ReadonlySet<string> = new Set(['success', 'manually_approved', 'skipped']);

/** Steps of the attempt that failed. */
export function failedStepsOf(steps: Steps): PlaidStep[] {
  return PLAID_STEPS.filter((step) => FAILED_VALUES.has(steps[step]));
}

/** `incomplete`: steps already passed are skipped; the rest run again. */
export function incompletePlan(previous: Attempt): Plan {
  const plan = {} as Record<PlaidStep, StepPlan>;
  for (const step of PLAID_STEPS) {
    if (previous.plan[step] === 'not_applicable') plan[step] = 'not_applicable';
    else plan[step] = PASSED_VALUES.has(previous.steps[step]) ? 'skipped' : 'required';
  }
  return plan;
}

/** `custom`: the four switchable steps as requested; selfie_check is silently disabled in Sandbox. */
export function customPlan(
  gaveConsent: boolean,
  steps: { verify_sms: boolean; kyc_check: boolean; documentary_verification: boolean },
): Plan {
  return {
    ...templatePlan(gaveConsent),
    verify_sms: steps.verify_sms ? 'required' : 'skipped',
    kyc_check: steps.kyc_check ? 'required' : 'skipped',
    documentary_verification: steps.documentary_verification ? 'required' : 'skipped',
  };
}
