/**
 * An in-memory `KycProvider` with scriptable outcomes, for host apps' unit tests and the demo.
 * It behaves like a hosted-flow provider: `createUser` returns a redirect, the test "completes" the
 * flow through `control`, a denied user can be retried up to `maxAttempts`, and webhooks are
 * HMAC-SHA256 signed like Plu's. It passes the same contract suite as the real adapters.
 *
 * This file only wires: the operations are in fake-operations.ts, the webhooks in
 * fake-webhooks.ts, the control in fake-control.ts, the memory in fake-state.ts.
 */
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { decodeCallOptions } from '@kycport/core';
import type {
  ProviderId,
  CallOptions,
  KycError,
  KycObserver,
  KycProvider,
  KycStatus,
  KycWebhookHandler,
  UserRef,
  WebhookRequest,
} from '@kycport/core';
import { createFakeControl } from './fake-control';
import {
  createFakeUser,
  fakeCapabilities,
  getFakeStatus,
  retryFakeUser,
  submitFakeVerification,
} from './fake-operations';
import type { FakeOutcome } from './fake-options';
import { FAKE } from './fake-state';
import type { FakeContext } from './fake-state';
import { createFakeWebhookHandler } from './fake-webhooks';

export { FakeProviderOptions } from './fake-options';
export type { FakeOutcome } from './fake-options';

/**
 * Options of `createFakeKycProvider`: attempts per user, the webhook secret, an observer and the id
 * it answers as.
 */
export interface FakeKycProviderSettings {
  /** Attempts a user gets in total (default 3). */
  readonly maxAttempts?: number;
  /** Secret for webhook signatures (default `whsec_fake`). */
  readonly webhookSecret?: string;
  /** Told about every call, like a real adapter's observer. */
  readonly observer?: KycObserver;
  /** The provider id the fake answers as (default `fake`); lower-case letters, digits, `_`, `-`. */
  readonly id?: ProviderId;
}

/**
 * Test controls of the fake: play the end user, script failures, sign webhooks, list and forget
 * users.
 */
export interface FakeKycControl {
  /** Ends the current attempt as the end user (and provider) would; returns the signed webhook it emits. */
  completeHostedFlow(
    ref: UserRef,
    outcome?: FakeOutcome,
    reasonCodes?: ReadonlyArray<string>,
  ): WebhookRequest;
  /** Makes the next call of `operation` fail with `error` (once). */
  failNext(
    operation: keyof Pick<KycProvider, 'createUser' | 'getStatus' | 'retry' | 'submitVerification'>,
    error: KycError,
  ): void;
  /** Signs an arbitrary event body as the fake would. */
  signWebhook(body: unknown): WebhookRequest;
  /** The users the fake knows, by ref. */
  users(): ReadonlyArray<{ ref: UserRef; status: KycStatus; attempt: number }>;
  /** Forgets every user and scripted failure. */
  reset(): void;
}

/** The in-memory fake provider: the `KycProvider` port, signed webhooks and test controls. */
export interface FakeKycProvider extends KycProvider {
  /** Verifies and parses the fake's HMAC-signed webhooks (as `control` makes them). */
  readonly webhooks: KycWebhookHandler;
  /** Test controls: complete hosted flows, script failures, sign webhooks. */
  readonly control: FakeKycControl;
  /** Holds nothing open; here so the fake has the shape of every built provider. */
  close(): void;
}

/** Call options are validated like the HTTP transport validates them, before the "call". */
function withValidTimings<A>(
  context: FakeContext,
  options: CallOptions | undefined,
  operation: () => TE.TaskEither<KycError, A>,
): TE.TaskEither<KycError, A> {
  return pipe(TE.fromEither(decodeCallOptions(context.id, options)), TE.chainW(operation));
}

/**
 * Builds an in-memory fake provider for host tests: a hosted-flow provider whose outcomes the test
 * decides through `control`, passing the same contract suite as the real adapters.
 */
export function createFakeKycProvider(settings: FakeKycProviderSettings = {}): FakeKycProvider {
  const context: FakeContext = {
    id: settings.id ?? FAKE,
    maxAttempts: settings.maxAttempts ?? 3,
    secret: settings.webhookSecret ?? 'whsec_fake',
    observer: settings.observer,
    users: new Map(),
    failures: new Map(),
  };
  return {
    id: context.id,
    capabilities: fakeCapabilities(context.maxAttempts),
    createUser: (input, options) => withValidTimings(context, options, () => createFakeUser(context, input)),
    getStatus: (ref, options) => withValidTimings(context, options, () => getFakeStatus(context, ref)),
    retry: (ref, options) => withValidTimings(context, options, () => retryFakeUser(context, ref, options)),
    submitVerification: (_ref, _input, options) =>
      withValidTimings(context, options, () => submitFakeVerification(context)),
    webhooks: createFakeWebhookHandler(context),
    control: createFakeControl(context),
    close: () => undefined,
  };
}
