/**
 * Plu webhooks: authenticity, then `user.kyc-event` parsing.
 * - Signature: every scheme whose headers are present must verify (plu-webhook-signature.ts): the
 *   documented `X-Webhook-Signature` hex HMAC-SHA256 (earlier revision of
 *   https://docs.getplu.com/webhooks), and as plausible Standard Webhooks / Svix and `t=,v1=`.
 * - Events: `user.kyc-event`, its pre-2026-04-21 name `rain.user-event`
 *   (https://docs.getplu.com/changelog) and the legacy dotted `user.kyc.<status>` names.
 * - No event id, timestamp header or tolerance is documented, and failed deliveries are retried
 *   minutes later, so events get a `dedupeKey` derived from the verified, parsed content (never
 *   from the byte layout, which the re-serialization fallback lets vary), and an age limit on the
 *   payload's `timestamp` is the host's choice (`webhookMaxEventAgeMs`, off by default).
 */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import {
  NonEmptyString,
  kycError,
  missingWebhookSecret,
  readWebhookBody,
  redact,
  userRef,
} from '@kycport/core';
import type { KycError, KycEvent, KycWebhookHandler, RedirectPolicy, WebhookRequest } from '@kycport/core';
import { PLU_PROVIDER_ID } from './plu-config';
import { pluKycState, pluRetryCountOf } from './plu-status-mapping';
import { sha256Hex } from '@kycport/http';
import {
  PLU_SIGNATURE_HEADERS,
  checkPluBodySignature,
  checkPluWebhookSignature,
  pluRawBody,
} from './plu-webhook-signature';
import type { PluRawBody, PluSignatureOptions } from './plu-webhook-signature';

/** The name of Plu's KYC webhook event (the `event` field of the payload). */
export const PLU_KYC_EVENT = 'user.kyc-event';
/** The name `user.kyc-event` had before the April 21, 2026 rename. */
export const PLU_KYC_EVENT_ALIAS = 'rain.user-event';
/** The prefix of the legacy dotted names, `user.kyc.<status>` (the status follows it). */
export const PLU_LEGACY_KYC_EVENT_PREFIX = 'user.kyc.';

/**
 * The `type` of every event the Plu handler gives: the names `isPluKycEventType` accepts, as the
 * payload spells them (any other `event` is refused). The legacy names carry the status after
 * the prefix, so that part is any (non-empty) string.
 */
export type PluWebhookEventType =
  typeof PLU_KYC_EVENT | typeof PLU_KYC_EVENT_ALIAS | `${typeof PLU_LEGACY_KYC_EVENT_PREFIX}${string}`;

/**
 * Options of `createPluWebhookHandler`: an event age limit, the redirect policy, clocks and the
 * retry counts already seen.
 */
export interface PluWebhookOptions {
  /** Refuse events whose payload `timestamp` is older than this (ms). Default: no limit. */
  readonly maxEventAgeMs?: number;
  /** Where a `verificationLink` may send the browser besides https (`pluRedirectPolicy`). */
  readonly redirectPolicy?: RedirectPolicy;
  /** The clock of the age check and the signature timestamps, in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** How far a signed timestamp may be from the clock (default 5 minutes, `PLU_SIGNATURE_TOLERANCE_MS`). */
  readonly signatureToleranceMs?: number;
  /** The last retry count Plu reported for a user (a denied user with 3 gets `contact_support`). */
  readonly knownRetryCount?: (serviceId: string) => number | undefined;
}

const PluWebhookEnvelope = t.intersection(
  [t.type({ event: t.string, data: t.UnknownRecord }), t.partial({ timestamp: t.string })],
  'PluWebhookEnvelope',
);

const PluKycEventData = t.intersection(
  [
    t.type({ serviceId: NonEmptyString }),
    // `retryCount` is not documented on events; read only when it is a count.
    t.partial({
      status: NonEmptyString,
      reason: t.string,
      verificationLink: t.string,
      retryCount: t.unknown,
    }),
  ],
  'PluKycEventData',
);

/** True for `user.kyc-event`, `rain.user-event` and legacy `user.kyc.<status>` names. */
export function isPluKycEventType(event: string): event is PluWebhookEventType {
  return (
    event === PLU_KYC_EVENT ||
    event === PLU_KYC_EVENT_ALIAS ||
    (event.startsWith(PLU_LEGACY_KYC_EVENT_PREFIX) && event.length > PLU_LEGACY_KYC_EVENT_PREFIX.length)
  );
}

/** The request's fields, read without trusting that a host handed over an object. */
function partsOf(request: unknown): { headers: WebhookRequest['headers'] | undefined; rawBody: unknown } {
  if (typeof request !== 'object' || request === null) return { headers: undefined, rawBody: undefined };
  const { headers, rawBody } = request as { headers?: WebhookRequest['headers']; rawBody?: unknown };
  return { headers, rawBody };
}

/**
 * Checks every signature scheme whose headers are present (plu-webhook-signature.ts). For hosts that
 * route Plu's card and wallet events themselves. Never throws: any odd request is `false`.
 */
export function verifyPluWebhookSignature(
  request: WebhookRequest,
  webhookSecret: string,
  options: PluSignatureOptions = {},
): boolean {
  const { headers, rawBody } = partsOf(request);
  const raw = readWebhookBody(PLU_PROVIDER_ID, rawBody);
  return E.isRight(raw) && E.isRight(checkPluWebhookSignature(headers, raw.right, webhookSecret, options));
}

/** The parsed fields of a KYC event that identify it. */
export interface PluWebhookIdentity {
  readonly event: string;
  readonly serviceId: string;
  readonly status: string;
  readonly timestamp?: string;
  readonly reason?: string;
  readonly verificationLink?: string;
  readonly retryCount?: number;
}

/** True when the payload's `timestamp` is a time (Date.parse reads it). */
function isTime(timestamp: string | undefined): timestamp is string {
  return timestamp !== undefined && !Number.isNaN(Date.parse(timestamp));
}

/**
 * `plu:` + SHA-256 of the parsed event, serviceId, status and timestamp: the same for every
 * re-delivery of one event, whatever its byte layout (compact or indented, both validly signed).
 * Without a timestamp, the denial reason and verification link stand in for it.
 */
export function pluWebhookDedupeKey(identity: PluWebhookIdentity): string {
  const { event, serviceId, status, timestamp } = identity;
  const when = timestamp ?? {
    reason: identity.reason ?? null,
    verificationLink: identity.verificationLink ?? null,
  };
  return `${PLU_PROVIDER_ID}:${sha256Hex(JSON.stringify([event, serviceId, status, when]))}`;
}

/**
 * `exact` when the payload carries a time. https://docs.getplu.com/webhooks: "All webhooks are
 * delivered as POST requests with a JSON body" of `event`, `timestamp` and `data`, with no event id;
 * two genuine events for one user and status at the same millisecond are not expected, so the time
 * tells events apart. (That a re-delivery keeps its `timestamp` is not stated; kycport assumes it,
 * see docs/providers/plu.md.) `weak` without one: two genuine events with the same content (two
 * denials with the same reason) share the key, so a consumer must read the state (`getStatus`)
 * rather than drop on the key alone.
 */
export function pluDedupeKeyStrength(timestamp: string | undefined): 'exact' | 'weak' {
  return isTime(timestamp) ? 'exact' : 'weak';
}

/** `providerCode` (kycport's) of an authentic event refused as older than `webhookMaxEventAgeMs`. */
export const PLU_EVENT_TOO_OLD_CODE = 'EVENT_TOO_OLD';

function rejected(reason: string, providerCode?: string): KycError {
  return kycError('webhook_rejected', {
    provider: PLU_PROVIDER_ID,
    message: `${PLU_PROVIDER_ID}: webhook rejected: ${reason}`,
    retryable: false,
    providerCode,
  });
}

/** A verified body read as a KYC event: its identifying fields, its name and the parsed JSON. */
interface PluKycBody {
  readonly identity: PluWebhookIdentity;
  readonly type: PluWebhookEventType;
  readonly parsed: unknown;
}

/** The verified body's KYC fields, or why it is not a Plu KYC event. */
function kycIdentity(body: PluRawBody): E.Either<KycError, PluKycBody> {
  const parsed = body.json();
  if (!parsed.ok) return E.left(rejected('the body is not JSON'));
  const envelope = PluWebhookEnvelope.decode(parsed.value);
  if (E.isLeft(envelope))
    return E.left(rejected('the body is not a Plu webhook ({ event, timestamp, data })'));
  const { event, timestamp, data } = envelope.right;
  if (!isPluKycEventType(event)) {
    return E.left(
      rejected(
        'not a KYC event (card and wallet events are outside kycport; verify them with verifyPluWebhookSignature)',
      ),
    );
  }
  const decoded = PluKycEventData.decode(data);
  if (E.isLeft(decoded)) return E.left(rejected('the KYC event has no data.serviceId'));
  const legacyStatus = event.startsWith(PLU_LEGACY_KYC_EVENT_PREFIX)
    ? event.slice(PLU_LEGACY_KYC_EVENT_PREFIX.length)
    : undefined;
  const status = decoded.right.status ?? legacyStatus;
  if (status === undefined) return E.left(rejected('the KYC event has no data.status'));
  const { serviceId, reason, verificationLink } = decoded.right;
  const retryCount = pluRetryCountOf(decoded.right.retryCount);
  return E.right({
    identity: { event, serviceId, status, timestamp, reason, verificationLink, retryCount },
    type: event,
    parsed: parsed.value,
  });
}

/** Parses an already authenticated body. */
export function parsePluWebhookBody(
  raw: string,
  options: PluWebhookOptions = {},
): E.Either<KycError, KycEvent<PluWebhookEventType>> {
  return parseKycBody(pluRawBody(raw), options);
}

/** `parsePluWebhookBody` over a body whose JSON the signature check may already have parsed. */
function parseKycBody(
  body: PluRawBody,
  options: PluWebhookOptions,
): E.Either<KycError, KycEvent<PluWebhookEventType>> {
  return E.map(({ identity, type, parsed }: PluKycBody): KycEvent<PluWebhookEventType> => {
    const { serviceId, status, timestamp } = identity;
    return {
      provider: PLU_PROVIDER_ID,
      type,
      dedupeKey: pluWebhookDedupeKey(identity),
      dedupeKeyStrength: pluDedupeKeyStrength(timestamp),
      userRef: userRef(serviceId),
      ...(isTime(timestamp) ? { occurredAt: timestamp } : {}),
      raw: redact(parsed),
      stateIncluded: true,
      state: pluKycState(status, {
        reason: identity.reason,
        verificationLink: identity.verificationLink,
        redirectPolicy: options.redirectPolicy,
        retryCount: identity.retryCount ?? options.knownRetryCount?.(serviceId),
      }),
    };
  })(kycIdentity(body));
}

/**
 * The age limit: an event whose `timestamp` is more than `maxEventAgeMs` old is refused. Events
 * without a readable timestamp are not aged (nothing to measure; the signature still holds).
 */
function tooOld(event: KycEvent, options: PluWebhookOptions): boolean {
  if (options.maxEventAgeMs === undefined || event.occurredAt === undefined) return false;
  const now = (options.now ?? Date.now)();
  return now - Date.parse(event.occurredAt) > options.maxEventAgeMs;
}

/** Authenticity, then parsing, then the age limit; every answer typed, nothing thrown. */
function parseDelivery(
  request: unknown,
  webhookSecret: string,
  options: PluWebhookOptions,
): E.Either<KycError, KycEvent<PluWebhookEventType>> {
  const { headers, rawBody } = partsOf(request);
  const raw = readWebhookBody(PLU_PROVIDER_ID, rawBody);
  if (E.isLeft(raw)) return raw;
  // Parsed at most once: the documented scheme re-serializes the JSON, the parser reads it.
  const body = pluRawBody(raw.right);
  const signed = checkPluBodySignature(headers, body, webhookSecret, {
    now: options.now,
    toleranceMs: options.signatureToleranceMs,
  });
  if (E.isLeft(signed)) return E.left(rejected(signed.left));
  const event = parseKycBody(body, options);
  if (E.isRight(event) && tooOld(event.right, options))
    return E.left(
      rejected(
        'the event is authentic but older than webhookMaxEventAgeMs (PLU_WEBHOOK_MAX_EVENT_AGE_MS)',
        PLU_EVENT_TOO_OLD_CODE,
      ),
    );
  return event;
}

/**
 * The webhook handler. Without a webhook secret every delivery is refused with the `config` error
 * every adapter gives (`missingWebhookSecret`): nothing can be verified, so nothing is trusted.
 */
export function createPluWebhookHandler(
  webhookSecret: string | undefined,
  options: PluWebhookOptions = {},
): KycWebhookHandler<PluWebhookEventType> {
  return {
    provider: PLU_PROVIDER_ID,
    signatureHeaders: PLU_SIGNATURE_HEADERS,
    parseWebhook: (request: WebhookRequest) => async () => {
      if (webhookSecret === undefined) return E.left(missingWebhookSecret(PLU_PROVIDER_ID, 'webhookSecret'));
      return parseDelivery(request, webhookSecret, options);
    },
  };
}
