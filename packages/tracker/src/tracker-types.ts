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
  /**
   * The provider the delivery's path names; absent: the handler recognises it by its headers (the
   * router's) or is one provider's.
   */
  readonly provider?: ProviderId;
}

/** A webhook handler: one provider's (`adapter.webhooks`) or the router's (`router.webhooks`). */
export interface TrackerWebhookHandler {
  /** The provider whose webhooks it handles (`router` for the router's). */
  readonly provider: ProviderId;
  /** Verifies the delivery and parses it into a normalized event; never throws. */
  parseWebhook(request: TrackedWebhookRequest): TE.TaskEither<KycError, KycEvent>;
  /** Present on the router's handler: it picks the provider by `provider` or by the headers. */
  detectProvider?: unknown;
}

/**
 * How the tracker drains its outbox of state changes to `onStateChange`: leases, backoff, batch
 * size and whether to drain right after each change.
 */
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

/**
 * Options of `createKycTracker`: the provider (or router) to track, its webhook handler, the store,
 * the change handler, the clock and the outbox and reconcile settings.
 */
export interface KycTrackerOptions<K extends KycProvider = KycProvider> {
  /** A provider (`createPluProvider(...)`, the container's) or the router. */
  readonly kyc: K;
  /** Defaults to `kyc.webhooks` (a built provider's or the router's). */
  readonly webhooks?: TrackerWebhookHandler;
  /**
   * Where states, processed webhook keys and the outbox live (`createMemoryKycStore()`,
   * `createPostgresKycStore(...)`).
   */
  readonly store: KycStore;
  /** Called at least once per applied change; make it idempotent by `change.changeId`. */
  readonly onStateChange?: (change: StateChange) => void | Promise<void>;
  /** The clock (default `() => new Date()`). */
  readonly now?: () => Date;
  /** How the outbox is drained (defaults in `OutboxSettings`). */
  readonly outbox?: OutboxSettings;
  /** How long a reconcile sweep holds the users it claimed. Default 60 000. */
  readonly reconcileLeaseMs?: number;
}

/** What the store made of a recorded result. */
export type Tracking =
  | { readonly recorded: true; readonly outcome: ApplyOutcome }
  /** The provider call succeeded but the store failed: the result is still returned, not recorded. */
  | { readonly recorded: false; readonly error: KycError };

/** A port call's result with what the store made of it (`tracking`). */
export type Tracked<R> = R & { readonly tracking: Tracking };

export interface TrackedStatusOptions extends CallOptions {
  /** Answer from the store when the state was confirmed less than this long ago (no provider request; 0: always read). */
  readonly maxAgeMs?: number;
}

/**
 * What the tracker's `getStatus` resolves to: the state, from the store when it was confirmed
 * recently enough, else read from the provider and recorded.
 */
export interface TrackedStatus {
  /** The user's provider. */
  readonly provider: ProviderId;
  /** The user's provider-qualified ref. */
  readonly userRef: UserRef;
  /** The user's normalized state. */
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

/** What one outbox drain did. */
export interface DrainReport {
  /** Changes claimed from the outbox. */
  readonly claimed: number;
  /** Changes `onStateChange` accepted (they left the outbox). */
  readonly delivered: number;
  /** Changes whose handler threw: due again after a backoff. */
  readonly failed: number;
}

/**
 * Which users a reconcile sweep re-reads: not final, not confirmed for `olderThanMs`, at most
 * `limit`, optionally of one provider.
 */
export interface ReconcileOptions {
  /** Users not confirmed for this long (ms) and not in a final status. */
  readonly olderThanMs: number;
  /** Most users per sweep. */
  readonly limit: number;
  /** Only this provider's users, when set. */
  readonly provider?: ProviderId;
  /** Call options for each provider read (timeouts, an abort signal). */
  readonly callOptions?: CallOptions;
}

/** What one reconcile sweep did. */
export interface ReconcileReport {
  /** Users claimed for the sweep. */
  readonly claimed: number;
  /** Users whose state had changed, now recorded. */
  readonly applied: number;
  /** Users whose state had not changed (their `checkedAt` moved). */
  readonly unchanged: number;
  /** Changed meanwhile (a webhook won): left as the newer state is. */
  readonly conflicts: number;
  /** Reads or writes that failed: the users are swept again once their lease ends. */
  readonly failed: number;
  /** Bulk reads made (`getStatuses`), and single reads (`getStatus`). */
  readonly bulkReads: number;
  /** Single reads made (`getStatus`). */
  readonly singleReads: number;
}

/**
 * Options of `KycTracker.start`: how often to drain the outbox, and whether and how often to
 * reconcile.
 */
export interface StartOptions {
  /** Drain the outbox this often (ms). Default 1 000. */
  readonly drainEveryMs?: number;
  /** Also sweep with `reconcile` this often. */
  readonly reconcile?: ReconcileOptions & { readonly everyMs: number };
}

type ResultOf<F> = F extends (...args: never[]) => TE.TaskEither<KycError, infer A> ? A : never;
type SecondParameter<F> = F extends (first: never, second?: infer O, ...rest: never[]) => unknown ? O : never;

/**
 * Webhook intake and status tracking over one provider or the router: the port's calls, recorded in
 * the store; webhooks verified, deduplicated, ordered and committed before the answer; an outbox of
 * changes; reconcile sweeps.
 */
export interface KycTracker<K extends KycProvider = KycProvider> {
  /** The tracked provider or router. */
  readonly kyc: K;
  /** The tracker's store. */
  readonly store: KycStore;
  /**
   * Calls the provider's `createUser` and records the new state; the result says whether it was
   * recorded.
   */
  createUser(
    input: CreateUserInput,
    options?: SecondParameter<K['createUser']>,
  ): TE.TaskEither<KycError, Tracked<ResultOf<K['createUser']>>>;
  /** Calls the provider's `retry` and records the new attempt's state. */
  retry(
    ref: UserRef,
    options?: SecondParameter<K['retry']>,
  ): TE.TaskEither<KycError, Tracked<ResultOf<K['retry']>>>;
  /** Calls the provider's `submitVerification` and records the resulting state. */
  submitVerification(
    ref: UserRef,
    input: SubmitVerificationInput,
    options?: CallOptions,
  ): TE.TaskEither<KycError, Tracked<ResultOf<K['submitVerification']>>>;
  /**
   * The user's state: from the store when confirmed less than `maxAgeMs` ago, else read from the
   * provider and recorded.
   */
  getStatus(ref: UserRef, options?: TrackedStatusOptions): TE.TaskEither<KycError, TrackedStatus>;
  /** Verify, dedupe, order, commit; then answer `httpStatus`. Never rejects. */
  ingestWebhook(request: TrackedWebhookRequest): T.Task<IngestResult>;
  /** Claims due changes and hands each to `onStateChange`. */
  drainOutbox(): TE.TaskEither<KycError, DrainReport>;
  /**
   * Re-reads users whose state has not changed for a while (webhooks that never came) and records
   * what changed.
   */
  reconcile(options: ReconcileOptions): TE.TaskEither<KycError, ReconcileReport>;
  /** Periodic draining (and sweeping), on unref'd timers. */
  start(options?: StartOptions): void;
  /** Stops the timers and waits for work in flight. */
  stop(): Promise<void>;
  /** Resolves when no background drain is running. */
  idle(): Promise<void>;
}
