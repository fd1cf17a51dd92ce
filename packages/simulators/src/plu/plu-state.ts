/**
 * What the Plu simulator remembers: its users and their KYC states, the Persona inquiries handed
 * out, and the idempotency keys of the last 5 minutes; with the sandbox convention that decides an
 * outcome from `lastName`.
 */
import { SimulatorControlError } from '../provider-simulator';
import { base62 } from '../simulator-wire';
import type { WebhookDeliverer } from '../webhook-deliverer';
import {
  PLU_IDEMPOTENCY_WINDOW_MS,
  PLU_KEY_REUSE_REFUSALS,
  PLU_RETRY_REFUSALS,
  PLU_SIGNATURE_SCHEMES,
  PLU_SIMULATOR_MAX_RETRIES,
  PLU_SIMULATOR_VERIFICATION_BASE_URL,
} from './plu-settings';
import type { PluKeyReuseRefusal, PluRetryRefusal, PluSimulatorOptions } from './plu-settings';
import { PLU_SIM_PATHS } from './plu-wire';
import type { PluProgram } from './plu-wire';

/**
 * The simulator's user states (what `setUserState` takes):
 * - `pending_kyc`: created or retried, the Persona flow (or the automated re-submission) is running;
 * - `approved`, `needsVerification`: as the webhook says;
 * - `denied`: Persona passed, KYC denied (a retry re-submits the documents: `applicationStatus: pending`);
 * - `persona_failed`: listed and announced as `denied`; a retry opens a new Persona inquiry (`verificationUrl`).
 */
export const PLU_SIMULATOR_STATES = [
  'pending_kyc',
  'approved',
  'denied',
  'persona_failed',
  'needsVerification',
] as const;
/** A state the Plu simulator keeps a user in (`setUserState` accepts these). */
export type PluSimulatorState = (typeof PLU_SIMULATOR_STATES)[number];

/** An outcome Plu's staging derives from a `lastName` keyword. */
export type PluSimulatorOutcome = 'approved' | 'denied' | 'needsVerification';

/** The outcome Plu's staging derives from `lastName` (case-sensitive suffix), if any. */
export function pluSimulatorOutcome(lastName: string): PluSimulatorOutcome | undefined {
  if (lastName.endsWith('Approved')) return 'approved';
  if (lastName.endsWith('Denied')) return 'denied';
  if (lastName.endsWith('needsVerification')) return 'needsVerification';
  return undefined;
}

export function isPluSimulatorState(value: string): value is PluSimulatorState {
  return (PLU_SIMULATOR_STATES as ReadonlyArray<string>).includes(value);
}

/** What List Users and the webhooks show for a state. */
export function listedStatus(state: PluSimulatorState): string {
  return state === 'persona_failed' ? 'denied' : state;
}

export interface PluUserRecord {
  readonly serviceId: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly program: PluProgram;
  readonly createdAt: string;
  state: PluSimulatorState;
  retryCount: number;
  inquiryId: string;
  verificationUrl: string;
  reason?: string;
  /** Set once the attempt asked for additional verification (a keyword completion then approves). */
  extraVerificationAsked: boolean;
}

/** The simulator's settings and memory, shared by its routes and its control methods. */
export interface PluSimulatorContext {
  readonly now: () => number;
  readonly slug: string;
  readonly maxRetries: number;
  readonly verificationBaseUrl: string;
  /** The variants of what Plu leaves open (see `PluSimulatorOptions`). */
  readonly retryRefusal: PluRetryRefusal;
  readonly keyReuseRefusal: PluKeyReuseRefusal;
  readonly pageLimitCap: number | undefined;
  readonly omitTotal: boolean;
  readonly users: Map<string, PluUserRecord>;
  /** inquiry id -> serviceId */
  readonly inquiries: Map<string, string>;
  /** idempotency key -> expiry (ms since epoch) */
  readonly idempotencyKeys: Map<string, number>;
  readonly deliverer: WebhookDeliverer;
}

/** One of `allowed`, or an Error naming the option (a JavaScript caller may pass anything). */
function oneOf<T extends string>(name: string, value: T | undefined, allowed: ReadonlyArray<T>): T {
  const chosen = value ?? allowed[0];
  if (chosen === undefined || !allowed.includes(chosen))
    throw new Error(`plu simulator: ${name} must be one of ${allowed.join(', ')}`);
  return chosen;
}

/** Checks the variant options; throws (so `startPluSimulator` rejects) on an unknown value. */
export function checkPluVariants(options: PluSimulatorOptions): void {
  oneOf('retryRefusal', options.retryRefusal, PLU_RETRY_REFUSALS);
  oneOf('keyReuseRefusal', options.keyReuseRefusal, PLU_KEY_REUSE_REFUSALS);
  oneOf('signatureScheme', options.signatureScheme, PLU_SIGNATURE_SCHEMES);
  const cap = options.pageLimitCap;
  if (cap !== undefined && (!Number.isInteger(cap) || cap < 1))
    throw new Error('plu simulator: pageLimitCap must be a positive integer');
}

export function createPluContext(
  options: PluSimulatorOptions,
  deliverer: WebhookDeliverer,
): PluSimulatorContext {
  return {
    retryRefusal: oneOf('retryRefusal', options.retryRefusal, PLU_RETRY_REFUSALS),
    keyReuseRefusal: oneOf('keyReuseRefusal', options.keyReuseRefusal, PLU_KEY_REUSE_REFUSALS),
    pageLimitCap: options.pageLimitCap,
    omitTotal: options.omitTotal === true,
    now: options.now ?? Date.now,
    slug: options.partnerSlug ?? 'kycsim',
    maxRetries: options.maxRetries ?? PLU_SIMULATOR_MAX_RETRIES,
    verificationBaseUrl: (options.verificationBaseUrl ?? PLU_SIMULATOR_VERIFICATION_BASE_URL).replace(
      /\/+$/,
      '',
    ),
    users: new Map(),
    inquiries: new Map(),
    idempotencyKeys: new Map(),
    deliverer,
  };
}

/** `random(length)`: that many random base62 characters (default `base62`). */
export function newServiceId(context: PluSimulatorContext, random = base62): string {
  return `${context.slug}-user-${random(15)}`;
}

/** Opens a new Persona inquiry for the user (a new `verificationUrl`). */
export function newInquiry(context: PluSimulatorContext, user: PluUserRecord, random = base62): void {
  const inquiryId = `inq_${random(24)}`;
  context.inquiries.set(inquiryId, user.serviceId);
  user.inquiryId = inquiryId;
  user.verificationUrl = `${context.verificationBaseUrl}${PLU_SIM_PATHS.verificationPage}?inquiry-id=${inquiryId}`;
}

/** Whether the key got a successful answer in the last 5 minutes (an expired key is forgotten). */
export function keyReused(context: PluSimulatorContext, key: string): boolean {
  const expiresAt = context.idempotencyKeys.get(key);
  if (expiresAt === undefined) return false;
  if (expiresAt > context.now()) return true;
  context.idempotencyKeys.delete(key);
  return false;
}

export function rememberKey(context: PluSimulatorContext, key: string | undefined): void {
  if (key !== undefined) context.idempotencyKeys.set(key, context.now() + PLU_IDEMPOTENCY_WINDOW_MS);
}

/** The user, or a 404 for the control API. */
export function pluUserOf(context: PluSimulatorContext, ref: string): PluUserRecord {
  const user = context.users.get(ref);
  if (!user) throw new SimulatorControlError(`plu simulator: no user with serviceId ${ref}`, 404);
  return user;
}
