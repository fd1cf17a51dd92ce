/** A thin Promise facade for hosts that do not use fp-ts: resolves with the value or rejects with `KycException`. */
import type { TaskEither } from 'fp-ts/TaskEither';
import { KycException } from './errors';
import type { KycError } from './errors';
import type {
  CallOptions,
  CreateUserInput,
  CreateUserResult,
  KycCapabilities,
  KycProvider,
  RetryOptions,
  RetryResult,
  StatusResult,
  SubmitVerificationInput,
  SubmitVerificationResult,
} from './kyc-provider';
import type { ProviderId } from './provider-id';
import type { UserRef } from './user-ref';
import type { KycEvent, KycWebhookHandler, WebhookRequest } from './webhook';

/** Runs a task; rejects with a `KycException` holding the `KycError`. */
export async function runOrThrow<A>(task: TaskEither<KycError, A>): Promise<A> {
  const result = await task();
  if (result._tag === 'Left') throw new KycException(result.left);
  return result.right;
}

/**
 * The `KycProvider` port for hosts that do not use fp-ts: the same operations returning Promises
 * that reject with a `KycException` (holding the `KycError`) instead of returning it.
 */
export interface PromiseKycProvider {
  /** The provider's id (`plu`, `p100`, `plaid`, or `router`). */
  readonly id: ProviderId;
  /** What the provider really does, declared (see `KycCapabilities`). */
  readonly capabilities: KycCapabilities;
  /** Creates the user at the provider and starts KYC where the provider does so on creation. */
  createUser(input: CreateUserInput, options?: CallOptions): Promise<CreateUserResult>;
  /** Starts another attempt after a denial or expiry. */
  retry(ref: UserRef, options?: RetryOptions): Promise<RetryResult>;
  /** Reads the current normalized state. */
  getStatus(ref: UserRef, options?: CallOptions): Promise<StatusResult>;
  /** Submits data or documents where the host (not a hosted flow) supplies them. */
  submitVerification(
    ref: UserRef,
    input: SubmitVerificationInput,
    options?: CallOptions,
  ): Promise<SubmitVerificationResult>;
}

/**
 * Wraps a `KycProvider` as a `PromiseKycProvider`: each method runs the task and rejects with a
 * `KycException` on its left side.
 */
export function toPromiseProvider(provider: KycProvider): PromiseKycProvider {
  return {
    id: provider.id,
    capabilities: provider.capabilities,
    createUser: (input, options) => runOrThrow(provider.createUser(input, options)),
    retry: (ref, options) => runOrThrow(provider.retry(ref, options)),
    getStatus: (ref, options) => runOrThrow(provider.getStatus(ref, options)),
    submitVerification: (ref, input, options) => runOrThrow(provider.submitVerification(ref, input, options)),
  };
}

/**
 * A webhook handler for hosts that do not use fp-ts: `parseWebhook` verifies and parses, and
 * rejects with a `KycException` (`webhook_rejected` for an inauthentic or malformed request).
 */
export interface PromiseKycWebhookHandler<Type extends string = string> {
  /** The provider whose webhooks it handles. */
  readonly provider: ProviderId;
  /** Verifies the request's authenticity, then parses it into a normalized event. */
  parseWebhook(request: WebhookRequest): Promise<KycEvent<Type>>;
}

/** Wraps a `KycWebhookHandler` as a `PromiseKycWebhookHandler`. */
export function toPromiseWebhookHandler<Type extends string = string>(
  handler: KycWebhookHandler<Type>,
): PromiseKycWebhookHandler<Type> {
  return {
    provider: handler.provider,
    parseWebhook: (request) => runOrThrow(handler.parseWebhook(request)),
  };
}
