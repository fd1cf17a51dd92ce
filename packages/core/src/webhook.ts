/** The webhook port: verify a delivery's authenticity, then parse it into a `KycEvent`. */
import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import { kycError } from './errors';
import type { ConfigError, KycError } from './errors';
import type { KycState } from './kyc-state';
import type { ProviderId } from './provider-id';
import type { UserRef } from './user-ref';

/** `null` is accepted because some frameworks hand it over; it counts as absent. */
export type HeaderValue = string | ReadonlyArray<string> | null | undefined;

/** What a host's HTTP framework hands over: the headers and the body exactly as received. */
export interface WebhookRequest {
  /** Any casing; Node's `IncomingMessage.headers` fits as is. */
  readonly headers: Readonly<Record<string, HeaderValue>>;
  /** The raw body bytes or text. Re-serialized JSON breaks signature checks: keep the raw body. */
  readonly rawBody: string | Uint8Array;
}

interface KycEventBase<Type extends string> {
  readonly provider: ProviderId;
  /**
   * The provider's event name, e.g. `user.kyc-event`, `IDENTITY_VERIFICATION.STATUS_UPDATED`: each
   * adapter's handler types it as its own union (`PluWebhookEventType`, `P100WebhookEventType`,
   * `PlaidWebhookEventType`).
   */
  readonly type: Type;
  /** Stable across re-deliveries of the same event: use it to drop duplicates. */
  readonly dedupeKey: string;
  /**
   * `exact`: two different events never share the key (the payload carries an event id or a time).
   * `weak`: the payload cannot tell two events apart (P100 carries no attempt or time, Plaid only ids),
   * so two genuine events may share the key: do not drop on it alone; read the state with `getStatus`.
   */
  readonly dedupeKeyStrength: 'exact' | 'weak';
  readonly userRef: UserRef;
  /** ISO 8601, when the payload says when the event happened. */
  readonly occurredAt?: string;
  /** The decoded payload, personal data redacted. */
  readonly raw: unknown;
}

/** The payload carried the KYC state (Plu, P100 KYC status). */
export interface KycEventWithState<Type extends string = string> extends KycEventBase<Type> {
  readonly stateIncluded: true;
  readonly state: KycState;
}

/**
 * The payload carried ids only (Plaid IDV webhooks, P100 file/POA/user events): call `getStatus`
 * with `userRef` (or the adapter's resolve helper) for the state.
 */
export interface KycEventWithoutState<Type extends string = string> extends KycEventBase<Type> {
  readonly stateIncluded: false;
  /** Provider ids from the payload useful to resolve the state (Plaid's `identity_verification_id`). */
  readonly resourceId?: string;
  /** A provider sub-status the event does carry (P100 file `ADDED`), if any. */
  readonly detail?: string;
}

/**
 * A verified, parsed webhook delivery. `Type` is the event names the handler that parsed it can
 * give (`string` when unknown, e.g. a third-party adapter's or a router's over unknown providers).
 */
export type KycEvent<Type extends string = string> = KycEventWithState<Type> | KycEventWithoutState<Type>;

/** The webhook port; `Type` is the union of event names its events carry (`string` by default). */
export interface KycWebhookHandler<Type extends string = string> {
  readonly provider: ProviderId;
  /**
   * Headers (lower case) whose presence marks a delivery as this provider's (its signature
   * headers). A router with one webhook URL for several providers uses them to pick the handler.
   */
  readonly signatureHeaders?: ReadonlyArray<string>;
  /** Verifies authenticity first; a forged, unsigned or malformed delivery is a `webhook_rejected` error. */
  parseWebhook(request: WebhookRequest): TaskEither<KycError, KycEvent<Type>>;
}

/** The event names a webhook handler (or a provider with `webhooks`) gives: `string` when untyped. */
export type KycWebhookEventType<Handler> =
  Handler extends KycWebhookHandler<infer Type>
    ? Type
    : Handler extends { readonly webhooks: KycWebhookHandler<infer Type> }
      ? Type
      : string;

/** Case-insensitive header lookup; the first value of a repeated header. */
export function getHeader(
  headers: WebhookRequest['headers'] | null | undefined,
  name: string,
): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return undefined;
}

/** The body as UTF-8 text. */
export function rawBodyText(rawBody: WebhookRequest['rawBody']): string {
  return typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
}

/**
 * The raw body as text, or a typed error for what a host may hand over by mistake: no body is
 * `webhook_rejected` (nothing to verify); a parsed object (a JSON body parser ran before the webhook
 * route, so the signed bytes are gone) is a `config` error naming the fix. Never throws.
 */
export function readWebhookBody(provider: ProviderId, rawBody: unknown): E.Either<KycError, string> {
  if (typeof rawBody === 'string') return E.right(rawBody);
  if (rawBody instanceof Uint8Array) return E.right(new TextDecoder().decode(rawBody));
  if (rawBody === undefined || rawBody === null) {
    return E.left(
      kycError('webhook_rejected', {
        provider,
        message: `${provider}: the webhook has no body`,
        retryable: false,
      }),
    );
  }
  return E.left(
    kycError('config', {
      provider,
      message: `${provider}: the webhook body was already parsed (a JSON body parser runs before the webhook route); pass the raw bytes as rawBody`,
      issues: [{ path: 'rawBody', message: 'must be the raw body as received (a string or bytes)' }],
      retryable: false,
    }),
  );
}

/**
 * The one rule for a delivery that arrives while the adapter has no webhook secret: a `config`
 * error (the host's settings are incomplete, so the host should answer 5xx and let the provider
 * re-deliver once it is fixed), never `webhook_rejected` (which says the sender is at fault).
 */
export function missingWebhookSecret(provider: ProviderId, setting: string): ConfigError {
  return kycError('config', {
    provider,
    message: `${provider}: a webhook arrived but no ${setting} is configured, so it cannot be verified`,
    issues: [{ path: setting, message: 'is required to verify webhooks' }],
    retryable: false,
  });
}
