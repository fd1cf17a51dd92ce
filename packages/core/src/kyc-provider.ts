/** The `KycProvider` port: the one interface host code calls, whichever provider is configured. */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { Applicant } from './applicant';
import { Applicant as ApplicantCodec } from './applicant';
import { CountryCode, IsoDate, boundedString, integerInRange } from './codecs';
import type { KycError, ValidationError } from './errors';
import type { KycState } from './kyc-state';
import type { ProviderId } from './provider-id';
import { decodeInput, validationError } from './validation';
import type { UserRef } from './user-ref';

/** Per-call options every port method accepts. */
export interface CallOptions {
  /** Aborts the call (and any pending retry); the result is a `network` error with code `ABORTED`. */
  readonly signal?: AbortSignal;
  /**
   * Overrides the adapter's per-attempt timeout for this call: the most one attempt may take, from
   * sending to the last byte of the answer (a whole number of milliseconds, 1 to 600 000).
   */
  readonly timeoutMs?: number;
  /**
   * The most one provider request may take over all its attempts, backoff and answers included
   * (a whole number of milliseconds, 1 to 3 600 000; default 60 000, or the adapter's setting).
   */
  readonly deadlineMs?: number;
  /**
   * Sent as the provider's idempotency key where it has one (Plu's `idempotency-key` header); a
   * fresh UUID is used when absent. Providers without idempotency keys ignore it.
   */
  readonly idempotencyKey?: string;
}

const AbortSignalCodec = new t.Type<AbortSignal, AbortSignal, unknown>(
  'AbortSignal',
  (input): input is AbortSignal => input instanceof AbortSignal,
  (input, context) =>
    input instanceof AbortSignal ? t.success(input) : t.failure(input, context, 'expected an AbortSignal'),
  t.identity,
);

/**
 * What the transport reads of a call's options: `timeoutMs` and `deadlineMs` as whole milliseconds
 * within a sane range, and `signal` as a real `AbortSignal` (each may be absent).
 */
export const CallTimingCodec = t.partial(
  {
    timeoutMs: integerInRange(1, 600_000),
    deadlineMs: integerInRange(1, 3_600_000),
    signal: AbortSignalCodec,
  },
  'CallOptions',
);

/**
 * Provider-only options, keyed by provider id (`{ plu: {...}, plaid: {...} }`). Each adapter
 * validates only its own slice with its own codec and ignores the others, so one call site can
 * carry options for every provider it may be configured with. This is the shape at run time; at
 * compile time each operation's input types the slices of the adapters the program imports
 * (`TypedProviderOptions`).
 */
export type ProviderOptions = { readonly [providerId: string]: unknown };

/**
 * The `providerOptions` slices `createUser` reads, by provider id. Empty here: each adapter package
 * adds its own slice by module augmentation (`declare module '@kycport/core' { interface
 * KycCreateUserProviderOptions { readonly plu: PluProviderOptions } }`), typed from the codec it
 * validates the slice with. Importing the adapter package turns its slice on.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface KycCreateUserProviderOptions {}

/** The `providerOptions` slices `retry` reads, by provider id (filled like `KycCreateUserProviderOptions`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface KycRetryProviderOptions {}

/**
 * The `providerOptions` slices `submitVerification` reads, by provider id (filled like
 * `KycCreateUserProviderOptions`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface KycSubmitVerificationProviderOptions {}

/**
 * `providerOptions` as an operation takes it: the slice of each provider named in `Known` is typed
 * (optional), every other provider id still passes through as `unknown` (a third-party adapter, or
 * an adapter the program does not import). Adapters still validate their slice at run time.
 */
export type TypedProviderOptions<Known> = { readonly [Id in keyof Known]?: Known[Id] } & ProviderOptions;

/** What `createUser` takes: the applicant, and provider-only options by provider id. */
export interface CreateUserInput {
  /** The person to create at the provider. */
  readonly applicant: Applicant;
  /** Typed for every adapter package the program imports (`KycCreateUserProviderOptions`). */
  readonly providerOptions?: TypedProviderOptions<KycCreateUserProviderOptions>;
}

/**
 * Checks a `createUser` input at run time: the applicant's fields, and `providerOptions` as an
 * object (each adapter checks its own slice).
 */
export const CreateUserInputCodec = t.intersection(
  [t.type({ applicant: ApplicantCodec }), t.partial({ providerOptions: t.UnknownRecord })],
  'CreateUserInput',
);

/** Every result: the normalized state plus the decoded provider response (personal data redacted). */
export interface KycResult {
  /** The provider that answered. */
  readonly provider: ProviderId;
  /** The user's provider-qualified ref (`plu:…`): store it and pass it to later calls. */
  readonly userRef: UserRef;
  /** The normalized KYC state, the same shape for every provider. */
  readonly state: KycState;
  /** The provider's decoded response with personal data and secrets replaced by `[redacted]`. */
  readonly raw: unknown;
}

/** What `createUser` resolves to: the new user's ref and its first state. */
export type CreateUserResult = KycResult;
/** What `getStatus` resolves to: the user's current state. */
export type StatusResult = KycResult;
/** What `submitVerification` resolves to: the state after the submission. */
export type SubmitVerificationResult = KycResult;

/**
 * What `retry` resolves to: the state of the new attempt, and the attempt counts where the provider
 * reports them.
 */
export interface RetryResult extends KycResult {
  /** Attempt counts; each field is present only where the provider tells. */
  readonly attempts: {
    /** Attempts made so far, including the one just started, where the provider tells. */
    readonly count?: number;
    /** Attempts left after this one, where the provider documents a limit. */
    readonly remaining?: number;
  };
}

/** Which steps a `custom` retry requires (Plaid's four retryable steps). */
export interface RetrySteps {
  /** Verify the phone number again by SMS code. */
  readonly verifySms: boolean;
  /** Run the data check (name, address, date of birth, id number) again. */
  readonly kycCheck: boolean;
  /** Ask for an identity document again. */
  readonly documentaryVerification: boolean;
  /** Ask for a selfie again. */
  readonly selfieCheck: boolean;
}

/**
 * - `auto`: the provider picks the path (Plu always; Plaid `infer`; P100 starts a new verification).
 * - `restart`: from the beginning (Plaid `reset`).
 * - `resume`: from the failed step, keeping passed ones (Plaid `incomplete`).
 * - `custom`: exactly the listed steps (Plaid `custom`).
 */
export type RetryStrategy =
  | { readonly kind: 'auto' }
  | { readonly kind: 'restart' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'custom'; readonly steps: RetrySteps };
/**
 * The name of a retry strategy (`auto`, `restart`, `resume`, `custom`), as capabilities list them.
 */
export type RetryStrategyKind = RetryStrategy['kind'];

/** Checks a `RetryStrategy` at run time (`t.strict`: unknown keys are dropped, not kept). */
export const RetryStrategyCodec: t.Type<RetryStrategy, RetryStrategy, unknown> = t.union(
  [
    t.strict({ kind: t.literal('auto') }),
    t.strict({ kind: t.literal('restart') }),
    t.strict({ kind: t.literal('resume') }),
    t.strict({
      kind: t.literal('custom'),
      steps: t.strict({
        verifySms: t.boolean,
        kycCheck: t.boolean,
        documentaryVerification: t.boolean,
        selfieCheck: t.boolean,
      }),
    }),
  ],
  'RetryStrategy',
);

/** Options of `retry`: the call options, a retry strategy and provider-only options. */
export interface RetryOptions extends CallOptions {
  /** Defaults to `{ kind: 'auto' }`. */
  readonly strategy?: RetryStrategy;
  /** Typed for every adapter package the program imports (`KycRetryProviderOptions`). */
  readonly providerOptions?: TypedProviderOptions<KycRetryProviderOptions>;
}

/** An identity document's kind, as `submitVerification` takes it. */
export type DocumentType = 'passport' | 'id_card' | 'residence_permit' | 'driver_license';
/** What an uploaded file shows. */
export type FilePurpose = 'document_front' | 'document_back' | 'selfie' | 'proof_of_address';

/**
 * One file uploaded by `submitVerification`: an image or PDF of a document, a selfie or a proof of
 * address.
 */
export interface VerificationFile {
  /** What the file shows. */
  readonly purpose: FilePurpose;
  /** The file name sent to the provider (1-255 characters). */
  readonly fileName: string;
  /** MIME type, e.g. `image/jpeg`, `application/pdf`. */
  readonly contentType: string;
  /** The file's bytes. */
  readonly data: Uint8Array;
}

/** Data or documents for providers where the host, not a hosted flow, submits them. */
export interface SubmitVerificationInput {
  readonly document?: {
    /** The document's kind. */
    readonly type: DocumentType;
    /** The document's number as printed. */
    readonly number?: string;
    /** `YYYY-MM-DD`. */
    readonly expirationDate?: string;
    /** ISO 3166-1 alpha-2. */
    readonly issuingCountry?: string;
  };
  /** Document images, selfies or proofs of address to upload. */
  readonly files?: ReadonlyArray<VerificationFile>;
  /** Typed for every adapter package the program imports (`KycSubmitVerificationProviderOptions`). */
  readonly providerOptions?: TypedProviderOptions<KycSubmitVerificationProviderOptions>;
}

const Uint8ArrayCodec = new t.Type<Uint8Array, Uint8Array, unknown>(
  'Uint8Array',
  (input): input is Uint8Array => input instanceof Uint8Array,
  (input, context) =>
    input instanceof Uint8Array ? t.success(input) : t.failure(input, context, 'expected bytes'),
  t.identity,
);

/**
 * Checks a `submitVerification` input at run time: the document fields, each file's purpose, name,
 * type and bytes, and `providerOptions` as an object.
 */
export const SubmitVerificationInputCodec = t.partial(
  {
    document: t.intersection([
      t.type({
        type: t.keyof({ passport: null, id_card: null, residence_permit: null, driver_license: null }),
      }),
      t.partial({ number: boundedString(64), expirationDate: IsoDate, issuingCountry: CountryCode }),
    ]),
    files: t.readonlyArray(
      t.type({
        purpose: t.keyof({ document_front: null, document_back: null, selfie: null, proof_of_address: null }),
        fileName: boundedString(255),
        contentType: boundedString(100),
        data: Uint8ArrayCodec,
      }),
    ),
    providerOptions: t.UnknownRecord,
  },
  'SubmitVerificationInput',
);

/** One user's answer in a bulk read: its result, or its own error. */
export type BulkStatusEntry =
  | { readonly ref: UserRef; readonly result: StatusResult }
  | { readonly ref: UserRef; readonly error: KycError };

/** `supported: false` always says why, and the operation returns an `unsupported` error. */
export type OperationSupport =
  { readonly supported: true } | { readonly supported: false; readonly reason: string };

/** Declared, not discovered: what the provider really does. */
export interface KycCapabilities {
  /** Which port operations the provider supports; an unsupported one says why. */
  readonly operations: {
    readonly createUser: OperationSupport;
    readonly getStatus: OperationSupport;
    readonly retry: OperationSupport;
    readonly submitVerification: OperationSupport;
  };
  /** The `retry` strategies the provider honours; another is refused as `unsupported`. */
  readonly retryStrategies: ReadonlyArray<RetryStrategyKind>;
  /** Total attempts a user gets, where documented (Plu: 1 + 3 retries). */
  readonly maxAttempts?: number;
  /** The user verifies on a provider-hosted page (`nextAction: redirect`). */
  readonly hostedFlow: boolean;
  /** The host can upload document images through `submitVerification`. */
  readonly documentUpload: boolean;
  /** How `getStatus` reads the state: one request, or a scan of a paged list (cost grows with users). */
  readonly statusLookup: 'single_request' | 'paged_scan' | 'list_latest';
  /**
   * Present when the provider reads many users in one pass (`getStatuses`): Plu's user list, read
   * once for a whole batch instead of a scan per user. `pageSize` is the users per list request.
   */
  readonly bulkStatus?: { readonly pageSize: number };
  /** How the provider's webhooks are authenticated and what they carry. */
  readonly webhooks: {
    /**
     * How webhook authenticity is checked: an HMAC signature, a shared token, a signed JWT, or
     * nothing.
     */
    readonly authentication: 'hmac_sha256' | 'shared_token' | 'jwt_es256' | 'none';
    /** Whether webhook payloads carry the KYC state (Plaid's carry only ids). */
    readonly carriesState: boolean;
  };
}

/**
 * The port: the four KYC operations every adapter implements, with errors as values. Every method
 * returns a `TaskEither<KycError, A>` and never throws; the Promise facade (`toPromiseProvider`)
 * wraps it for hosts that do not use fp-ts.
 */
export interface KycProvider {
  /** The provider's id (`plu`, `p100`, `plaid`, or `router` for several behind one port). */
  readonly id: ProviderId;
  /** What the provider really does, declared: supported operations, retry strategies, webhooks. */
  readonly capabilities: KycCapabilities;
  /** Creates the user at the provider and starts KYC where the provider does so on creation. */
  createUser(input: CreateUserInput, options?: CallOptions): TaskEither<KycError, CreateUserResult>;
  /** Starts another attempt after a denial or expiry. */
  retry(ref: UserRef, options?: RetryOptions): TaskEither<KycError, RetryResult>;
  /** Reads the current normalized state. */
  getStatus(ref: UserRef, options?: CallOptions): TaskEither<KycError, StatusResult>;
  /**
   * Reads many users in one pass, where the provider can (`capabilities.bulkStatus`): one entry per
   * ref, in the order given, each a result or that user's error (`not_found` when the pass did not
   * find it). Absent on providers without a bulk read: call `getStatus` per user.
   */
  getStatuses?(
    refs: ReadonlyArray<UserRef>,
    options?: CallOptions,
  ): TaskEither<KycError, ReadonlyArray<BulkStatusEntry>>;
  /** Submits data or documents where the host (not a hosted flow) supplies them. */
  submitVerification(
    ref: UserRef,
    input: SubmitVerificationInput,
    options?: CallOptions,
  ): TaskEither<KycError, SubmitVerificationResult>;
}

/**
 * A port method's `options` checked before any request: absent is `{}`; anything but an object (a
 * JavaScript caller's `null`) is a `validation` error on `options`; the timings and the `signal`
 * are checked with `CallTimingCodec`. Never throws.
 */
export function decodeCallOptions<O extends CallOptions>(
  provider: ProviderId,
  options: O | null | undefined,
): E.Either<ValidationError, O> {
  if (options === undefined) return E.right({} as O);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return E.left(
      validationError(provider, [{ path: 'options', message: 'must be an object of call options' }]),
    );
  }
  // `is` first: for this codec it accepts exactly what `decode` accepts and `decode` returns its
  // input unchanged, so decoding (which allocates a context per key) is left to reporting issues.
  if (CallTimingCodec.is(options)) return E.right(options);
  return E.map(() => options)(decodeInput(provider, CallTimingCodec, options, 'options'));
}
