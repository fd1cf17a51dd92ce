/**
 * Plu webhooks: `X-Webhook-Signature` authenticity, then `user.kyc-event` parsing.
 * - Signature: lowercase hex HMAC-SHA256, key = the `whsec_...` secret as-is, message = the JSON
 *   body. Plu's sample signs `JSON.stringify(req.body)` (a re-serialization), so the raw body is
 *   tried first and its re-serialization second. Source: the earlier revision of
 *   https://docs.getplu.com/webhooks (the current page says only that the secret verifies signatures).
 * - Events: `user.kyc-event`, its pre-2026-04-21 name `rain.user-event`
 *   (https://docs.getplu.com/changelog) and the legacy dotted `user.kyc.<status>` names.
 * - No event id, timestamp header or tolerance is documented, and failed deliveries are retried
 *   minutes later, so events get a content-derived `dedupeKey` instead of a replay window.
 */
import { createHmac } from 'node:crypto';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import {
  NonEmptyString,
  getHeader,
  kycError,
  missingWebhookSecret,
  rawBodyText,
  redact,
  userRef,
} from '@kycport/core';
import type { KycError, KycEvent, KycWebhookHandler, WebhookRequest } from '@kycport/core';
import { PLU_PROVIDER_ID } from './plu-config';
import { pluKycState } from './plu-status-mapping';
import { constantTimeEqual, sha256Hex } from '@kycport/http';

export const PLU_SIGNATURE_HEADER = 'x-webhook-signature';
export const PLU_KYC_EVENT = 'user.kyc-event';
/** The name `user.kyc-event` had before the April 21, 2026 rename. */
export const PLU_KYC_EVENT_ALIAS = 'rain.user-event';
const LEGACY_KYC_EVENT_PREFIX = 'user.kyc.';

const PluWebhookEnvelope = t.intersection(
  [t.type({ event: t.string, data: t.UnknownRecord }), t.partial({ timestamp: t.string })],
  'PluWebhookEnvelope',
);

const PluKycEventData = t.intersection(
  [
    t.type({ serviceId: NonEmptyString }),
    t.partial({ status: NonEmptyString, reason: t.string, verificationLink: t.string }),
  ],
  'PluKycEventData',
);

/** True for `user.kyc-event`, `rain.user-event` and legacy `user.kyc.<status>` names. */
export function isPluKycEventType(event: string): boolean {
  return (
    event === PLU_KYC_EVENT ||
    event === PLU_KYC_EVENT_ALIAS ||
    (event.startsWith(LEGACY_KYC_EVENT_PREFIX) && event.length > LEGACY_KYC_EVENT_PREFIX.length)
  );
}

/** Lowercase hex HMAC-SHA256 of `payload` keyed with the secret as-is (no base64 decoding). */
export function signPluWebhook(payload: string, webhookSecret: string): string {
  return createHmac('sha256', webhookSecret).update(payload, 'utf8').digest('hex');
}

function reserialized(raw: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/**
 * Checks `X-Webhook-Signature` against the raw body, then against its re-serialization. For hosts
 * that route Plu's card and wallet events themselves.
 */
export function verifyPluWebhookSignature(request: WebhookRequest, webhookSecret: string): boolean {
  const header = getHeader(request.headers, PLU_SIGNATURE_HEADER)?.trim().toLowerCase();
  if (header === undefined || !/^[0-9a-f]{64}$/.test(header)) return false;
  const raw = rawBodyText(request.rawBody);
  const overRaw = constantTimeEqual(header, signPluWebhook(raw, webhookSecret));
  const alternative = reserialized(raw);
  // Both comparisons run whenever the body is JSON, so timing does not tell which form matched.
  const overReserialized =
    alternative !== undefined && constantTimeEqual(header, signPluWebhook(alternative, webhookSecret));
  return overRaw || overReserialized;
}

/** `plu:` + SHA-256 of event, serviceId, status and timestamp: the same for every re-delivery of one event. */
export function pluWebhookDedupeKey(parts: {
  event: string;
  serviceId: string;
  status: string;
  timestamp?: string;
  rawBody: string;
}): string {
  // Without a timestamp two real events for the same user and status could not be told apart, so
  // the body's hash stands in for it (a re-delivery repeats the body).
  const when = parts.timestamp ?? `body:${sha256Hex(parts.rawBody)}`;
  return `${PLU_PROVIDER_ID}:${sha256Hex(JSON.stringify([parts.event, parts.serviceId, parts.status, when]))}`;
}

function rejected(reason: string): KycError {
  return kycError('webhook_rejected', {
    provider: PLU_PROVIDER_ID,
    message: `${PLU_PROVIDER_ID}: webhook rejected: ${reason}`,
    retryable: false,
  });
}

/** Parses an already authenticated body. */
export function parsePluWebhookBody(raw: string): E.Either<KycError, KycEvent> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return E.left(rejected('the body is not JSON'));
  }
  const envelope = PluWebhookEnvelope.decode(parsed);
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
  const legacyStatus = event.startsWith(LEGACY_KYC_EVENT_PREFIX)
    ? event.slice(LEGACY_KYC_EVENT_PREFIX.length)
    : undefined;
  const status = decoded.right.status ?? legacyStatus;
  if (status === undefined) return E.left(rejected('the KYC event has no data.status'));
  const serviceId = decoded.right.serviceId;
  const occurredAt = timestamp !== undefined && !Number.isNaN(Date.parse(timestamp)) ? timestamp : undefined;
  return E.right({
    provider: PLU_PROVIDER_ID,
    type: event,
    dedupeKey: pluWebhookDedupeKey({ event, serviceId, status, timestamp, rawBody: raw }),
    userRef: userRef(serviceId),
    ...(occurredAt !== undefined ? { occurredAt } : {}),
    raw: redact(parsed),
    stateIncluded: true,
    state: pluKycState(status, {
      reason: decoded.right.reason,
      verificationLink: decoded.right.verificationLink,
    }),
  });
}

/**
 * The webhook handler. Without a webhook secret every delivery is refused with the `config` error
 * every adapter gives (`missingWebhookSecret`): nothing can be verified, so nothing is trusted.
 */
export function createPluWebhookHandler(webhookSecret: string | undefined): KycWebhookHandler {
  return {
    provider: PLU_PROVIDER_ID,
    parseWebhook: (request: WebhookRequest) => async () => {
      if (webhookSecret === undefined) return E.left(missingWebhookSecret(PLU_PROVIDER_ID, 'webhookSecret'));
      const header = getHeader(request.headers, PLU_SIGNATURE_HEADER);
      if (header === undefined || header.trim() === '')
        return E.left(rejected(`the ${PLU_SIGNATURE_HEADER} header is missing`));
      if (!/^[0-9a-fA-F]{64}$/.test(header.trim()))
        return E.left(rejected(`the ${PLU_SIGNATURE_HEADER} header is not a hex HMAC-SHA256`));
      if (!verifyPluWebhookSignature(request, webhookSecret))
        return E.left(rejected('the signature does not match the body'));
      return parsePluWebhookBody(rawBodyText(request.rawBody));
    },
  };
}
