/**
 * What the P100 simulator remembers: its users with their verification and attempt statuses,
 * verifications, files and POA status, and the document numbers already taken (P466); with the
 * simulator's sandbox convention.
 */
import { randomUUID } from 'node:crypto';
import { SimulatorControlError } from '../provider-simulator';
import type { SimulatedOutcome } from '../provider-simulator';
import type { WebhookDeliverer } from '../webhook-deliverer';
import { P100_SIMULATOR_MAX_ATTEMPTS } from './p100-settings';
import type {
  P100DocumentDataProcessing,
  P100SimulatorOptions,
  P100StartVerificationCap,
} from './p100-settings';
import type { AttemptStatus, PoaStatus, VerificationStatus } from './p100-wire';

/** How the current verification collects the documents: P100's hosted capture or the upload (Method A). */
export type P100Flow = 'hosted' | 'document_upload';

export interface P100UserRecord {
  readonly externalUserId: string;
  readonly userId: string;
  readonly lastName: string;
  status: VerificationStatus;
  /** Undefined while no verification exists (GET status answers 404 P445). */
  attempt?: AttemptStatus;
  rejectionReason?: string;
  flow?: P100Flow;
  verificationId?: string;
  readonly verificationIds: string[];
  /** Verifications started (counted against the cap). */
  attempts: number;
  /** KYC files uploaded and not yet used by an Add User Verification. */
  kycFiles: number;
  documentDataSubmitted: boolean;
  /** Add User Verification completed an accepted capture and P100 has not given its verdict yet. */
  processingDocumentData?: boolean;
  active: boolean;
  poa?: PoaStatus;
}

/** The simulator's settings and memory, shared by its routes and its control methods. */
export interface P100SimulatorContext {
  readonly maxAttempts: number;
  readonly requireDocumentData: boolean;
  readonly documentDataProcessing: P100DocumentDataProcessing;
  readonly startVerificationCap: P100StartVerificationCap;
  readonly users: Map<string, P100UserRecord>;
  /** documentNumber -> externalUserId, for P466. */
  readonly documentNumbers: Map<string, string>;
  readonly deliverer: WebhookDeliverer;
}

export function createP100Context(
  options: P100SimulatorOptions,
  deliverer: WebhookDeliverer,
): P100SimulatorContext {
  return {
    maxAttempts: options.maxVerificationAttempts ?? P100_SIMULATOR_MAX_ATTEMPTS,
    requireDocumentData: options.requireDocumentData ?? true,
    documentDataProcessing: options.documentDataProcessing ?? 'pending',
    startVerificationCap: options.startVerificationCap ?? 'allow',
    users: new Map(),
    documentNumbers: new Map(),
    deliverer,
  };
}

/** The sandbox convention: the outcome a hosted flow completed without one ends with. */
export function p100ConventionalOutcome(lastName: string): SimulatedOutcome {
  return /denied$/i.test(lastName.trim()) ? 'denied' : 'approved';
}

/** `STATUS/ATTEMPT` (the `setUserState` vocabulary), or `KYC_NOT_FOUND` before any verification. */
export function providerStatusOf(user: P100UserRecord): string {
  return user.attempt === undefined ? 'KYC_NOT_FOUND' : `${user.status}/${user.attempt}`;
}

export function isOneOf<T extends string>(values: ReadonlyArray<T>, value: string): value is T {
  return (values as ReadonlyArray<string>).includes(value);
}

/** Starts a verification (`PENDING`); returns its id. */
export function newVerification(user: P100UserRecord, flow: P100Flow): string {
  const verificationId = randomUUID();
  user.verificationId = verificationId;
  user.verificationIds.push(verificationId);
  user.flow = flow;
  user.attempt = 'PENDING';
  delete user.rejectionReason;
  delete user.processingDocumentData;
  return verificationId;
}

/** The user, or a 404 for the control API. */
export function p100UserOf(context: P100SimulatorContext, ref: string): P100UserRecord {
  const user = context.users.get(ref);
  if (!user) throw new SimulatorControlError(`p100 simulator: no user with externalUserId ${ref}`, 404);
  return user;
}
