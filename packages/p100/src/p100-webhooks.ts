/**
 * P100 webhooks (https://partner-api-docs.p100.io/webhooks-4456131f0). Authenticity is a shared
 * token: P100 sends the Webhook Security Token in `Authorization` (raw or `Bearer <token>`: the
 * format is undocumented, both are accepted). There is no signature, no event id and no timestamp,
 * and the delivery path is undocumented, so events are routed on the payload's shape and the dedupe
 * key is a hash of the payload's fields.
 *
 * The key is stable across P100's re-deliveries, but it is `weak` on every event: no P100 payload
 * carries an attempt, a time or an event id, so two genuine events with the same fields (the
 * denials of attempts 1 and 2, two KYC file uploads) get the same key. A consumer reads the state
 * with `getStatus` instead of dropping such an event on the key alone.
 */
import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import * as t from 'io-ts';
import {
  UserRefCodec,
  getHeader,
  kycError,
  missingWebhookSecret,
  readWebhookBody,
  redact,
  userRef,
} from '@kycport/core';
import type { KycError, KycEvent, KycWebhookHandler, WebhookRequest } from '@kycport/core';
import { constantTimeMatcher, sha256Hex } from '@kycport/http';
import { P100_PROVIDER_ID } from './p100-config';
import { p100KycState } from './p100-status-mapping';

/**
 * No P100 payload distinguishes two events with the same fields (no attempt, time or event id):
 * every P100 event's dedupe key is `weak`.
 */
export const P100_DEDUPE_KEY_STRENGTH = 'weak';

/**
 * The `type` of each P100 webhook event kycport reads, by what it reports: KYC status, file added,
 * proof of address status, user status.
 */
export const P100_WEBHOOK_EVENT_TYPES = {
  kycVerificationStatus: 'kyc.verification_status',
  kycFileAdded: 'kyc.file_added',
  poaVerificationStatus: 'poa.verification_status',
  userStatus: 'user.status',
} as const;

/**
 * The `type` of every event the P100 handler gives: one of `P100_WEBHOOK_EVENT_TYPES` (the handler
 * names each payload by its shape and status; a user status it does not know stays `user.status`).
 */
export type P100WebhookEventType = (typeof P100_WEBHOOK_EVENT_TYPES)[keyof typeof P100_WEBHOOK_EVENT_TYPES];

const Text = t.union([t.string, t.null]);

/** KYC Verification Status webhook: `{ externalUserId, verificationStatus, attemptStatus, rejectionReason? }`. */
export const P100KycStatusWebhook = t.intersection([
  t.type({ externalUserId: t.string, verificationStatus: t.string }),
  t.partial({ attemptStatus: Text, rejectionReason: Text }),
]);

/** KYC File Added, POA Verification Status and user status webhooks: `{ externalUserId, status }`. */
export const P100StatusWebhook = t.type({ externalUserId: t.string, status: t.string });

const KYC_FILE_STATUSES: ReadonlyArray<string> = ['ADDED', 'ERROR'];
const POA_STATUSES: ReadonlyArray<string> = ['WAITING', 'APPROVED', 'REJECTED', 'QUESTIONED'];

/**
 * The header P100's deliveries carry their token in (lower case): its presence marks a delivery as
 * P100's for a router with one webhook URL (`KycWebhookHandler.signatureHeaders`).
 */
export const P100_WEBHOOK_SIGNATURE_HEADERS: ReadonlyArray<string> = ['authorization'];

const BEARER = /^Bearer\s+(.+)$/i;

/**
 * Accepts the token raw or as `Bearer <token>`; when the header has a `Bearer` form, both forms
 * are compared (so the time does not tell which one matched).
 */
export function isAuthenticP100Token(header: string | undefined, token: string): boolean {
  return matchesP100Token(header, constantTimeMatcher(token));
}

/**
 * `isAuthenticP100Token` with the token's matcher built once (by the handler, so the token's
 * SHA-256 is not recomputed on every delivery).
 */
function matchesP100Token(header: string | undefined, matches: (given: string) => boolean): boolean {
  if (header === undefined) return false;
  const raw = header.trim();
  const bearer = BEARER.exec(raw)?.[1]?.trim() ?? '';
  const rawMatches = matches(raw);
  // No `Bearer` form (which the sender knows): nothing to compare it with.
  const bearerMatches = bearer.length > 0 && matches(bearer);
  return raw.length > 0 && (rawMatches || bearerMatches);
}

/** Stable across P100's re-deliveries: the SHA-256 of the event type and the payload's fields in a fixed order. */
export function p100DedupeKey(type: string, fields: ReadonlyArray<string | null | undefined>): string {
  return sha256Hex(JSON.stringify([type, ...fields.map((field) => field ?? null)]));
}

function rejected(message: string): KycError {
  return kycError('webhook_rejected', {
    provider: P100_PROVIDER_ID,
    message: `${P100_PROVIDER_ID}: webhook rejected: ${message}`,
    retryable: false,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses an already authenticated body into a `KycEvent`. */
export function parseP100WebhookBody(text: string): E.Either<KycError, KycEvent<P100WebhookEventType>> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return E.left(rejected('the body is not JSON'));
  }
  if (!isRecord(body)) return E.left(rejected('the body is not a JSON object'));
  if ('event_type' in body)
    return E.left(rejected('not a user or KYC event (event_type envelope); route it elsewhere'));
  if ('verificationStatus' in body) {
    const decoded = P100KycStatusWebhook.decode(body);
    if (E.isLeft(decoded) || !UserRefCodec.is(decoded.right.externalUserId)) {
      return E.left(rejected('unexpected KYC verification status payload'));
    }
    const event = decoded.right;
    const type = P100_WEBHOOK_EVENT_TYPES.kycVerificationStatus;
    return E.right({
      provider: P100_PROVIDER_ID,
      type,
      dedupeKey: p100DedupeKey(type, [
        event.externalUserId,
        event.verificationStatus,
        event.attemptStatus,
        event.rejectionReason,
      ]),
      dedupeKeyStrength: P100_DEDUPE_KEY_STRENGTH,
      userRef: userRef(event.externalUserId),
      raw: redact(event),
      stateIncluded: true,
      state: p100KycState(event.verificationStatus, event.attemptStatus, event.rejectionReason),
    });
  }
  const decoded = P100StatusWebhook.decode(body);
  if (E.isLeft(decoded) || !UserRefCodec.is(decoded.right.externalUserId))
    return E.left(rejected('unexpected payload shape'));
  const event = decoded.right;
  // Routed on the status value: the three events share one shape. Unknown values are kept as user status
  // events (the only one whose values P100 leaves open), with the value in `detail`.
  const type = KYC_FILE_STATUSES.includes(event.status)
    ? P100_WEBHOOK_EVENT_TYPES.kycFileAdded
    : POA_STATUSES.includes(event.status)
      ? P100_WEBHOOK_EVENT_TYPES.poaVerificationStatus
      : P100_WEBHOOK_EVENT_TYPES.userStatus;
  return E.right({
    provider: P100_PROVIDER_ID,
    type,
    dedupeKey: p100DedupeKey(type, [event.externalUserId, event.status]),
    dedupeKeyStrength: P100_DEDUPE_KEY_STRENGTH,
    userRef: userRef(event.externalUserId),
    raw: redact(event),
    stateIncluded: false,
    detail: event.status,
  });
}

/** The headers and raw body of a delivery, whatever the host handed over (never throws). */
function partsOf(request: unknown): { readonly headers: unknown; readonly rawBody: unknown } {
  if (typeof request !== 'object' || request === null) return { headers: undefined, rawBody: undefined };
  const { headers, rawBody } = request as { headers?: unknown; rawBody?: unknown };
  return { headers, rawBody };
}

/** Token check first, then the body, then parsing. */
function parseP100Webhook(
  request: unknown,
  matchesToken: (given: string) => boolean,
): E.Either<KycError, KycEvent<P100WebhookEventType>> {
  const { headers, rawBody } = partsOf(request);
  const header = getHeader(headers as WebhookRequest['headers'], 'authorization');
  if (header === undefined || header.trim() === '') return E.left(rejected('missing Authorization header'));
  if (!matchesP100Token(header, matchesToken))
    return E.left(rejected('the Authorization token does not match'));
  return pipe(readWebhookBody(P100_PROVIDER_ID, rawBody), E.chain(parseP100WebhookBody));
}

/**
 * The webhook handler: token check first, then parsing. With no token configured nothing can be
 * verified: core's `missingWebhookSecret` (a `config` error for the operator, not a forged delivery).
 */
export function createP100WebhookHandler(
  webhookToken: string | undefined,
): KycWebhookHandler<P100WebhookEventType> {
  const matchesToken = webhookToken === undefined ? undefined : constantTimeMatcher(webhookToken);
  return {
    provider: P100_PROVIDER_ID,
    signatureHeaders: P100_WEBHOOK_SIGNATURE_HEADERS,
    parseWebhook:
      (request: WebhookRequest): TE.TaskEither<KycError, KycEvent<P100WebhookEventType>> =>
      async () =>
        matchesToken === undefined
          ? E.left(missingWebhookSecret(P100_PROVIDER_ID, 'webhookToken'))
          : parseP100Webhook(request, matchesToken),
  };
}
