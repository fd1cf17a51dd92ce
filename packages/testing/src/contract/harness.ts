/** What an adapter supplies to run the shared contract suite. */
import type {
  CallOptions,
  CreateUserInput,
  KycCallEvent,
  KycErrorKind,
  KycObserver,
  KycProvider,
  KycStatus,
  KycWebhookHandler,
  RetryOptions,
  SubmitVerificationInput,
  UserRef,
  WebhookRequest,
} from '@kycport/core';

/** A `KycProvider` operation a contract scenario calls. */
export type PortOperation = 'createUser' | 'getStatus' | 'retry' | 'submitVerification';

/** A scenario prepares the provider (nock interceptors, simulator state) and says what must happen. */
export interface SuccessScenario {
  readonly name: string;
  readonly operation: PortOperation;
  /** Prepares interceptors or simulator state; returns the ref to call with (not used by createUser). */
  arrange(): Promise<{ ref?: UserRef }> | { ref?: UserRef };
  readonly input?: CreateUserInput | SubmitVerificationInput;
  readonly options?: CallOptions | RetryOptions;
  readonly expectedStatus: KycStatus;
  /** Optional extra assertions on the result. */
  check?(result: unknown): void;
}

/**
 * A documented failure: the scenario prepares the provider to fail, and says which error kind (and
 * provider code) the operation must return.
 */
export interface FailureScenario {
  readonly name: string;
  readonly operation: PortOperation;
  /**
   * Prepares interceptors or simulator state for the failure; returns the ref to call with (not
   * used by createUser).
   */
  arrange(): Promise<{ ref?: UserRef }> | { ref?: UserRef };
  readonly input?: CreateUserInput | SubmitVerificationInput;
  readonly options?: CallOptions | RetryOptions;
  /** The error kind the operation must return. */
  readonly expectedKind: KycErrorKind;
  /** The provider code the error must keep. */
  readonly expectedCode?: string;
  readonly expectedRetryable?: boolean;
}

/** An input the adapter must refuse as a `validation` error before any provider call. */
export interface InvalidInputScenario {
  readonly name: string;
  readonly operation: PortOperation;
  readonly ref?: UserRef;
  readonly input?: CreateUserInput | SubmitVerificationInput;
  readonly options?: RetryOptions;
  /** A path the validation error must name, e.g. `applicant.phone`. */
  readonly expectedPath: string;
}

/** Webhook deliveries the handler must accept, and ones it must refuse. */
export interface WebhookScenarios {
  /** A delivery the handler must accept; `expectedRef` is the user it is about. */
  authentic():
    | Promise<{ request: WebhookRequest; expectedRef: UserRef }>
    | { request: WebhookRequest; expectedRef: UserRef };
  /** Deliveries that must be rejected as `webhook_rejected`, by name (forged signature, missing header, ...). */
  readonly rejected: ReadonlyArray<{
    readonly name: string;
    /** Builds the delivery. */
    request(): Promise<WebhookRequest> | WebhookRequest;
  }>;
}

/**
 * What an adapter gives `describeKycProviderContract`: the built provider and webhook handler,
 * scenarios of its documented successes and failures, invalid inputs, webhook deliveries, and the
 * secrets that must never leak.
 */
export interface ContractHarness {
  /** The provider under test (its calls go to nock interceptors or a simulator). */
  readonly provider: KycProvider;
  /** The provider's webhook handler. */
  readonly webhooks: KycWebhookHandler;
  /** Provider calls made so far (use `countingObserver` when building the provider). */
  callCount(): number;
  /** A valid input for `createUser`; its personal data must never show up in errors. */
  readonly validInput: CreateUserInput;
  /** The documented successes, one per operation and outcome. */
  readonly successes: ReadonlyArray<SuccessScenario>;
  /** The documented failures and the error kind each maps to. */
  readonly failures: ReadonlyArray<FailureScenario>;
  /** Inputs that must be refused before any call. */
  readonly invalidInputs: ReadonlyArray<InvalidInputScenario>;
  /** Authentic and forged webhook deliveries. */
  readonly webhookScenarios: WebhookScenarios;
  /** Secrets (API keys, webhook secrets) that must never appear in an error. */
  readonly secrets: ReadonlyArray<string>;
  /** A ref that exists, for operations the adapter reports as unsupported. */
  readonly someRef: UserRef;
  /** Called after each test (e.g. `nock.cleanAll()`); may assert all interceptors were used. */
  afterEach?(): void | Promise<void>;
  /** Called once after the suite (close simulators). */
  close?(): void | Promise<void>;
}

/** An observer that counts provider calls; pass it to the adapter when building the harness. */
export function countingObserver(): KycObserver & {
  /** Provider calls recorded so far. */
  count(): number;
  /** The recorded call events, in order. */
  events: KycCallEvent[];
} {
  const events: KycCallEvent[] = [];
  return {
    events,
    onCall: (event) => {
      events.push(event);
    },
    count: () => events.length,
  };
}
