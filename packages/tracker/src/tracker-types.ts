/** The public shapes of `createKycTracker`: its options, its results and the tracker itself. */
import type * as T from 'fp-ts/Task';
import type * as TE from 'fp-ts/TaskEither';
import type {
  ApplyOutcome,
  CallOptions,
  CreateUserInput,
  KycError,
  KycEvent,
  KycProvider,
  KycState,
  KycStore,
  ProviderId,
  StateChange,
  StatusResult,
  SubmitVerificationInput,
  UserRef,
  WebhookRequest,
} from '@kycport/core';

/** A webhook delivery as the host's route hands it over; `provider` from the path (`/webhooks/:provider`). */
export interface TrackedWebhookRequest extends WebhookRequest {
  readonly provider?: ProviderId;
}

/** A webhook handler: one provider's (`adapter.webhooks`) or the router's (`router.webhooks`). */
export interface TrackerWebhookHandler {
  readonly provider: ProviderId;
  parseWebhook(request: TrackedWebhookRequest): TE.TaskEither<KycError, KycEvent>;
  /** Present on the router's handler: it picks the provider by `provider` or by the headers. */
  detectProvider?: unknown;
}

export interface OutboxSettings {
  /** How long a claimed change is held before another drain (or instance) may take it. Default 30 000. */
  readonly leaseMs?: number;
  /** Delay before the first retry of a change whose handler threw; doubles per attempt. Defaults 1 000 and 300 000. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Changes claimed per batch. Default 100. */
  readonly batchSize?: number;
  /**
   * Drain in the background right after a change is applied (not awaited by the call that applied
   * it). Default true when `onStateChange` is set.
   */
  readonly drainAfterApply?: boolean;
}

export interface KycTrackerOptions<K extends KycProvider = KycProvider> {
  /** A provider (`createPluProvider(...)`, the container's) or the router. */
  readonly kyc: K;
  /** Defaults to `kyc.webhooks` (a built provider's or the router's). */
  readonly webhooks?: TrackerWebhookHandler;
  readonly store: KycStore;
  /** Called at least once per applied change; make it idempotent by `change.changeId`. */
  readonly onStateChange?: (change: StateChange) => void | Promise<void>;
  /** The clock (default `() => new Date()`). */
  readonly now?: () => Date;
  readonly outbox?: OutboxSettings;
  /** How long a reconcile sweep holds the users it claimed. Default 60 000. */
  readonly reconcileLeaseMs?: number;
}

/** What the store made of a recorded result. */
export type Tracking =
  | { readonly recorded: true; readonly outcome: ApplyOutcome }
  /** The provider call succeeded but the store failed: the result is still returned, not recorded. */
  | { readonly recorded: false; readonly error: KycError };

export type Tracked<R> = R & { readonly tracking: Tracking };

export interface TrackedStatusOptions extends CallOptions {
  /** Answer from the store when the state was confirmed less than this long ago (no provider request; 0: always read). */
  readonly maxAgeMs?: number;
}

export interface TrackedStatus {
  readonly provider: ProviderId;
  readonly userRef: UserRef;
  readonly state: KycState;
  /** `store`: no provider request was made. */
  readonly from: 'store' | 'provider';
  /** When the provider last confirmed the state (ISO 8601). */
  readonly checkedAt: string;
  /** The provider's answer (`from: 'provider'`). */
  readonly result?: StatusResult;
  /** What the store made of the read (`from: 'provider'`). */
  readonly tracking?: Tracking;
}

interface IngestBase {
  readonly provider?: ProviderId;
  readonly ref?: UserRef;
}

/** What to answer the provider: `httpStatus`, always. Never a throw. */
export type IngestResult =
  | (IngestBase & {
      readonly outcome: 'accepted';
      readonly httpStatus: 200;
      /** `applied`, `unchanged` (nothing new) or `stale` (older than the stored state, kept out). */
      readonly applied: 'applied' | 'unchanged' | 'stale';
      /** The change, when one was applied. */
      readonly change?: StateChange;
    })
  | (IngestBase & { readonly outcome: 'duplicate'; readonly httpStatus: 200 })
  | (IngestBase & { readonly outcome: 'rejected'; readonly httpStatus: 401; readonly error: KycError })
  | (IngestBase & { readonly outcome: 'retry_later'; readonly httpStatus: 503; readonly error: KycError });

export interface DrainReport {
  readonly claimed: number;
  readonly delivered: number;
  readonly failed: number;
}

export interface ReconcileOptions {
  /** Users not confirmed for this long (ms) and not in a final status. */
  readonly olderThanMs: number;
  /** Most users per sweep. */
  readonly limit: number;
  readonly provider?: ProviderId;
  readonly callOptions?: CallOptions;
}

export interface ReconcileReport {
  readonly claimed: number;
  readonly applied: number;
  readonly unchanged: number;
  /** Changed meanwhile (a webhook won): left as the newer state is. */
  readonly conflicts: number;
  /** Reads or writes that failed: the users are swept again once their lease ends. */
  readonly failed: number;
  /** Bulk reads made (`getStatuses`), and single reads (`getStatus`). */
  readonly bulkReads: number;
  readonly singleReads: number;
}

export interface StartOptions {
  /** Drain the outbox this often (ms). Default 1 000. */
  readonly drainEveryMs?: number;
  /** Also sweep with `reconcile` this often. */
  readonly reconcile?: ReconcileOptions & { readonly everyMs: number };
}

type ResultOf<F> = F extends (...args: never[]) => TE.TaskEither<KycError, infer A> ? A : never;
type SecondParameter<F> = F extends (first: never, second?: infer O, ...rest: never[]) => unknown ? O : never;

export interface KycTracker<K extends KycProvider = KycProvider> {
  readonly kyc: K;
  readonly store: KycStore;
  createUser(
    input: CreateUserInput,
    options?: SecondParameter<K['createUser']>,
  ): TE.TaskEither<KycError, Tracked<ResultOf<K['createUser']>>>;
  retry(
    ref: UserRef,
    options?: SecondParameter<K['retry']>,
  ): TE.TaskEither<KycError, Tracked<ResultOf<K['retry']>>>;
  submitVerification(
    ref: UserRef,
    input: SubmitVerificationInput,
    options?: CallOptions,
  ): TE.TaskEither<KycError, Tracked<ResultOf<K['submitVerification']>>>;
  getStatus(ref: UserRef, options?: TrackedStatusOptions): TE.TaskEither<KycError, TrackedStatus>;
  /** Verify, dedupe, order, commit; then answer `httpStatus`. Never rejects. */
  ingestWebhook(request: TrackedWebhookRequest): T.Task<IngestResult>;
  /** Claims due changes and hands each to `onStateChange`. */
  drainOutbox(): TE.TaskEither<KycError, DrainReport>;
  reconcile(options: ReconcileOptions): TE.TaskEither<KycError, ReconcileReport>;
  /** Periodic draining (and sweeping), on unref'd timers. */
  start(options?: StartOptions): void;
  /** Stops the timers and waits for work in flight. */
  stop(): Promise<void>;
  /** Resolves when no background drain is running. */
  idle(): Promise<void>;
}
