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

export interface PromiseKycProvider {
  readonly id: ProviderId;
  readonly capabilities: KycCapabilities;
  createUser(input: CreateUserInput, options?: CallOptions): Promise<CreateUserResult>;
  retry(ref: UserRef, options?: RetryOptions): Promise<RetryResult>;
  getStatus(ref: UserRef, options?: CallOptions): Promise<StatusResult>;
  submitVerification(
    ref: UserRef,
    input: SubmitVerificationInput,
    options?: CallOptions,
  ): Promise<SubmitVerificationResult>;
}

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

export interface PromiseKycWebhookHandler {
  readonly provider: ProviderId;
  parseWebhook(request: WebhookRequest): Promise<KycEvent>;
}

export function toPromiseWebhookHandler(handler: KycWebhookHandler): PromiseKycWebhookHandler {
  return {
    provider: handler.provider,
    parseWebhook: (request) => runOrThrow(handler.parseWebhook(request)),
  };
}
