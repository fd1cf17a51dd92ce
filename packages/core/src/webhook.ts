/** The webhook port: verify a delivery's authenticity, then parse it into a `KycEvent`. */
import type { TaskEither } from 'fp-ts/TaskEither';
import { kycError } from './errors';
import type { ConfigError, KycError } from './errors';
import type { KycState } from './kyc-state';
import type { ProviderId } from './provider-id';
import type { UserRef } from './user-ref';

export type HeaderValue = string | ReadonlyArray<string> | undefined;

/** What a host's HTTP framework hands over: the headers and the body exactly as received. */
export interface WebhookRequest {
  /** Any casing; Node's `IncomingMessage.headers` fits as is. */
  readonly headers: Readonly<Record<string, HeaderValue>>;
  /** The raw body bytes or text. Re-serialized JSON breaks signature checks: keep the raw body. */
  readonly rawBody: string | Uint8Array;
}

interface KycEventBase {
  readonly provider: ProviderId;
  /** The provider's event name, e.g. `user.kyc-event`, `IDENTITY_VERIFICATION.STATUS_UPDATED`. */
  readonly type: string;
  /** Stable across re-deliveries of the same event: use it to drop duplicates. */
  readonly dedupeKey: string;
  readonly userRef: UserRef;
  /** ISO 8601, when the payload says when the event happened. */
  readonly occurredAt?: string;
  /** The decoded payload, personal data redacted. */
  readonly raw: unknown;
}

/** The payload carried the KYC state (Plu, P100 KYC status). */
export interface KycEventWithState extends KycEventBase {
  readonly stateIncluded: true;
  readonly state: KycState;
}

/**
 * The payload carried ids only (Plaid IDV webhooks, P100 file/POA/user events): call `getStatus`
 * with `userRef` (or the adapter's resolve helper) for the state.
 */
export interface KycEventWithoutState extends KycEventBase {
  readonly stateIncluded: false;
  /** Provider ids from the payload useful to resolve the state (Plaid's `identity_verification_id`). */
  readonly resourceId?: string;
  /** A provider sub-status the event does carry (P100 file `ADDED`), if any. */
  readonly detail?: string;
}

export type KycEvent = KycEventWithState | KycEventWithoutState;

export interface KycWebhookHandler {
  readonly provider: ProviderId;
  /** Verifies authenticity first; a forged, unsigned or malformed delivery is a `webhook_rejected` error. */
  parseWebhook(request: WebhookRequest): TaskEither<KycError, KycEvent>;
}

/** Case-insensitive header lookup; the first value of a repeated header. */
export function getHeader(headers: WebhookRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === 'string') return value;
    return value[0];
  }
  return undefined;
}

/** The body as UTF-8 text. */
export function rawBodyText(rawBody: WebhookRequest['rawBody']): string {
  return typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
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
