/**
 * The kycport domain: the applicant, the normalized KYC state, the `KycProvider` and webhook ports,
 * typed errors as values, codecs, DI tokens and the Promise facade. Depends on fp-ts and io-ts only.
 *
 * Named re-exports rather than `export *`: an ES module host importing this CommonJS package gets
 * its export names from this file alone; with `export *` Node parses every re-exported file for
 * them first (about 25 ms of a cold start here, docs/performance.md). A new export is added here.
 *
 * @module @kycport/core
 */
export { configFromEnvironment, defineKycAdapter } from './adapter-definition';
export type {
  Environment,
  EnvironmentVariable,
  KycAdapter,
  KycAdapterDefinition,
  KycAdapterDependencies,
  KycAdapterSpec,
  KycProviderWithWebhooks,
  KycTransportSettings,
} from './adapter-definition';
export { Address, Applicant, IdNumber, PersonName } from './applicant';
export {
  CountryCode,
  E164Phone,
  EmailAddress,
  HttpUrl,
  HttpsUrl,
  IpAddress,
  IsoDate,
  NonEmptyString,
  boundedString,
  integerInRange,
  refined,
} from './codecs';
export {
  KYC_ERROR_MARKER,
  KycException,
  describeKind,
  isKycError,
  isKycErrorOfKind,
  isRetryableKind,
  kindForHttpStatus,
  kycError,
  kycErrorFromHttpStatus,
  kycErrorOfKind,
  withErrorContext,
  withRetryable,
  withUserRef,
} from './errors';
export type {
  CallOutcome,
  ConfigError,
  KycError,
  KycErrorFields,
  KycErrorInit,
  KycErrorKind,
  KycErrorOf,
  KycIssue,
  RateLimitedError,
  RetryLimitReachedError,
  UnexpectedResponseError,
  UnsupportedError,
  ValidationError,
} from './errors';
export {
  CallTimingCodec,
  CreateUserInputCodec,
  RetryStrategyCodec,
  SubmitVerificationInputCodec,
  decodeCallOptions,
} from './kyc-provider';
export type {
  BulkStatusEntry,
  CallOptions,
  CreateUserInput,
  CreateUserResult,
  DocumentType,
  FilePurpose,
  KycCapabilities,
  KycCreateUserProviderOptions,
  KycProvider,
  KycResult,
  KycRetryProviderOptions,
  KycSubmitVerificationProviderOptions,
  OperationSupport,
  ProviderOptions,
  RetryOptions,
  RetryResult,
  RetrySteps,
  RetryStrategy,
  RetryStrategyKind,
  StatusResult,
  SubmitVerificationInput,
  SubmitVerificationResult,
  TypedProviderOptions,
  VerificationFile,
} from './kyc-provider';
export { KYC_STATUSES, assertNever, unknownProviderState } from './kyc-state';
export type { KycState, KycStatus, NextAction } from './kyc-state';
export { FINAL_STATUSES, isFinalStatus } from './kyc-store';
export type {
  ApplyOutcome,
  ApplyStateInput,
  KycStore,
  OutboxClaim,
  StaleUsersClaim,
  StateChange,
  StateSource,
  TrackedState,
} from './kyc-store';
export {
  STATUS_PRECEDENCE,
  appliedState,
  compareStates,
  decideApply,
  laterTime,
  orderTimeOf,
  sameState,
  timeOf,
} from './kyc-store-rules';
export type { ApplyDecision } from './kyc-store-rules';
export { callServerOf } from './observer';
export type { KycCallEvent, KycObserver } from './observer';
export { runOrThrow, toPromiseProvider, toPromiseWebhookHandler } from './promise-facade';
export type { PromiseKycProvider, PromiseKycWebhookHandler } from './promise-facade';
export { isSafeRedirectUrl, redirectTo } from './redirect';
export type { RedirectPolicy } from './redirect';
export type { BuiltInProviderId, ProviderId } from './provider-id';
export {
  foreignRefIssue,
  hasQualifiedRefs,
  userRefTranslator,
  withQualifiedRefs,
} from './qualified-provider';
export type { UserRefTranslator } from './qualified-provider';
export {
  BUILT_IN_PROVIDER_IDS,
  QualifiedUserRefCodec,
  USER_REF_SEPARATOR,
  formatUserRef,
  isQualifyingProviderId,
  parseUserRef,
  readUserRef,
  registerProviderId,
} from './qualified-ref';
export type { QualifiedUserRef, ReadUserRef } from './qualified-ref';
export { REDACTED, redact, withFields, withLazyRaw } from './redact';
export { KYC_TOKENS } from './tokens';
export type { KycToken } from './tokens';
export { unsupported, unsupportedError } from './unsupported';
export { UserRefCodec, isWellFormedText, userRef } from './user-ref';
export type { UserRef } from './user-ref';
export {
  configError,
  decodeConfig,
  decodeInput,
  decodeResponse,
  formatIssues,
  issuesFromErrors,
  pathOf,
  validationError,
} from './validation';
export { getHeader, missingWebhookSecret, rawBodyText, readWebhookBody } from './webhook';
export type {
  HeaderValue,
  KycEvent,
  KycEventWithState,
  KycEventWithoutState,
  KycWebhookEventType,
  KycWebhookHandler,
  WebhookRequest,
} from './webhook';
