/**
 * The Plaid Identity Verification attempt model of the simulator: the template's steps, how each
 * attempt status renders its `steps` summary, the retry strategies, the sandbox test-user
 * convention, and the `IdentityVerification` object as Plaid returns it.
 */
import { randomBytes } from 'node:crypto';
import type { SimulatedOutcome } from '../provider-simulator';
import { base62 } from './plaid-wire';
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
export type PlaidStatus = (typeof PLAID_STATUSES)[number];

/** `Strategy` of `/identity_verification/retry`. */
export const PLAID_RETRY_STRATEGIES = ['reset', 'incomplete', 'infer', 'custom'] as const;
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

export interface ConventionalOutcome {
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

// ------------------------------------------------------------------------------------------------
// The IdentityVerification object
// ------------------------------------------------------------------------------------------------

const done = (value: string): boolean =>
  !['waiting_for_prerequisite', 'active', 'skipped', 'not_applicable', 'expired', 'canceled'].includes(value);
const outcomeOf = (value: string): 'success' | 'failed' =>
  value === 'success' || value === 'manually_approved' ? 'success' : 'failed';

function userData(user: RequestUser): Record<string, unknown> {
  return {
    ...(user.phone_number !== undefined ? { phone_number: user.phone_number } : {}),
    date_of_birth: user.date_of_birth ?? null,
    ip_address: user.ip_address ?? null,
    email_address: user.email_address ?? null,
    name: user.name ? { given_name: user.name.given_name, family_name: user.name.family_name } : null,
    address: user.address
      ? {
          street: user.address.street ?? null,
          street2: user.address.street2 ?? null,
          city: user.address.city ?? null,
          region: user.address.region ?? null,
          postal_code: user.address.postal_code ?? null,
          country: user.address.country,
        }
      : null,
    id_number: user.id_number ? { value: user.id_number.value, type: user.id_number.type } : null,
  };
}

function kycCheck(attempt: Attempt): Record<string, unknown> | null {
  const value = attempt.steps.kyc_check;
  if (!done(value)) return null;
  const status = outcomeOf(value);
  const dataSource = plaidConventionalOutcome(attempt.user);
  const matches = (field: 'date_of_birth' | 'phone_number' | 'id_number'): string => {
    if (attempt.user[field] === undefined) return 'no_input';
    if (status === 'success') return 'match';
    return dataSource.failingStep === 'kyc_check' ? 'no_match' : 'match';
  };
  return {
    status,
    address: {
      summary:
        attempt.user.address?.street !== undefined
          ? status === 'success'
            ? 'match'
            : 'no_match'
          : 'no_input',
      po_box: 'no',
      type: 'residential',
    },
    name: { summary: attempt.user.name ? (status === 'success' ? 'match' : 'no_match') : 'no_input' },
    date_of_birth: { summary: matches('date_of_birth') },
    id_number: { summary: matches('id_number') },
    phone_number: {
      summary: matches('phone_number'),
      area_code: attempt.user.phone_number ? 'match' : 'no_input',
    },
  };
}

/** Sandbox reads every document as genuine and allows 3 document attempts before failing the step. */
function documentaryVerification(attempt: Attempt, baseUrl: string): Record<string, unknown> | null {
  const value = attempt.steps.documentary_verification;
  if (!done(value)) return null;
  const status = outcomeOf(value);
  const count = status === 'success' ? 1 : 3;
  const documents = Array.from({ length: count }, (_, index) => {
    const images = `${baseUrl}/verifications/${attempt.id}/documents/${index + 1}`;
    return {
      status: status === 'success' ? 'success' : 'failed',
      attempt: index + 1,
      images: {
        original_front: `${images}/original_front.jpeg`,
        original_back: `${images}/original_back.jpeg`,
        cropped_front: `${images}/cropped_front.jpeg`,
        cropped_back: `${images}/cropped_back.jpeg`,
        face: `${images}/face.jpeg`,
      },
      extracted_data: {
        id_number: 'AB123456',
        category: 'drivers_license',
        expiration_date: '2030-05-29',
        issue_date: '2020-05-29',
        issuing_country: 'US',
        issuing_region: 'IN',
        date_of_birth: attempt.user.date_of_birth ?? null,
        address: null,
        name: attempt.user.name
          ? { given_name: attempt.user.name.given_name, family_name: attempt.user.name.family_name }
          : null,
      },
      analysis: {
        authenticity: 'match',
        image_quality: 'high',
        extracted_data: {
          name: status === 'success' ? 'match' : 'no_match',
          date_of_birth: status === 'success' ? 'match' : 'no_match',
          expiration_date: 'not_expired',
          issuing_country: 'match',
        },
        fraud_analysis_details: null,
        image_quality_details: null,
        aamva_verification: null,
      },
      redacted_at: null,
    };
  });
  return { status, documents };
}

function verifySms(attempt: Attempt): Record<string, unknown> | null {
  const value = attempt.steps.verify_sms;
  if (!done(value)) return null;
  return {
    status: outcomeOf(value),
    verifications: [
      {
        status: outcomeOf(value),
        attempt: 1,
        phone_number: attempt.user.phone_number ?? LESLIE_KNOPE.phone_number,
        delivery_attempt_count: 1,
        solve_attempt_count: 1,
        initially_sent_at: attempt.updatedAt,
        last_sent_at: attempt.updatedAt,
        redacted_at: null,
      },
    ],
  };
}

function riskCheck(attempt: Attempt): Record<string, unknown> | null {
  const value = attempt.steps.risk_check;
  if (!done(value)) return null;
  return {
    status: outcomeOf(value),
    behavior: null,
    email: null,
    phone: null,
    devices: [],
    identity_abuse_signals: null,
    facial_duplicates: [],
    trust_index_score: null,
  };
}

/** The `IdentityVerification` object (list item); `get`/`create`/`retry` add `request_id`. */
export function attemptView(attempt: Attempt, templateId: string, baseUrl: string): Record<string, unknown> {
  const screened = !['waiting_for_prerequisite', 'skipped', 'not_applicable', 'active'].includes(
    attempt.steps.watchlist_screening,
  );
  return {
    id: attempt.id,
    client_user_id: attempt.clientUserId,
    created_at: attempt.createdAt,
    completed_at: attempt.completedAt,
    previous_attempt_id: attempt.previousAttemptId,
    shareable_url:
      attempt.shareKey === null ? null : `${baseUrl}/verify/${attempt.id}?key=${attempt.shareKey}`,
    template: { id: templateId, version: 1 },
    user: userData(attempt.user),
    status: attempt.status,
    steps: { ...attempt.steps },
    documentary_verification: documentaryVerification(attempt, baseUrl),
    selfie_check: null,
    kyc_check: kycCheck(attempt),
    risk_check: riskCheck(attempt),
    verify_sms: verifySms(attempt),
    watchlist_screening_id: screened ? `scr_${attempt.id.slice(4)}` : null,
    beacon_user_id: null,
    user_id: attempt.userId,
    redacted_at: null,
  };
}
