/** What the tracker's parts share: the provider, the store, the clock, and store calls made safe. */
import * as TE from 'fp-ts/TaskEither';
import { kycError } from '@kycport/core';
import type {
  ApplyOutcome,
  ApplyStateInput,
  KycError,
  KycProvider,
  KycStore,
  ProviderId,
  StateChange,
} from '@kycport/core';
import type { Tracking, TrackerWebhookHandler } from './tracker-types';

export interface TrackerContext {
  readonly kyc: KycProvider;
  readonly store: KycStore;
  readonly webhooks?: TrackerWebhookHandler;
  readonly onStateChange?: (change: StateChange) => void | Promise<void>;
  /** The clock as ISO 8601. */
  readonly now: () => string;
  /** Called after a change was applied (starts a background drain when enabled). */
  readonly changed: () => void;
  readonly reconcileLeaseMs: number;
}

/** The error a failed store call becomes: `internal`, retryable, naming the store step, never data. */
export function storeError(provider: ProviderId, operation: keyof KycStore): KycError {
  return kycError('internal', {
    provider,
    message: `tracker: the KycStore failed (${operation}); nothing was recorded by that step, try again`,
    retryable: true,
  });
}

/** Runs a store call; a rejection (or a throw) becomes the store error. Never rejects. */
export function storeCall<A>(
  provider: ProviderId,
  operation: keyof KycStore,
  call: () => Promise<A>,
): TE.TaskEither<KycError, A> {
  return TE.tryCatch(
    () => Promise.resolve().then(call),
    () => storeError(provider, operation),
  );
}

/** `apply` through the store, announcing an applied change. */
export function applyState(
  context: TrackerContext,
  input: ApplyStateInput,
): TE.TaskEither<KycError, ApplyOutcome> {
  return async () => {
    const outcome = await storeCall(input.provider, 'apply', () => context.store.apply(input))();
    if (outcome._tag === 'Right' && outcome.right.kind === 'applied') context.changed();
    return outcome;
  };
}

/** Records a result (never fails: a store failure is reported in `tracking`). */
export async function track(context: TrackerContext, input: ApplyStateInput): Promise<Tracking> {
  const outcome = await applyState(context, input)();
  return outcome._tag === 'Right'
    ? { recorded: true, outcome: outcome.right }
    : { recorded: false, error: outcome.left };
}
