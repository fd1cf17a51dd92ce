/**
 * Plaid webhook authenticity (https://plaid.com/docs/api/webhooks/webhook-verification/ and Plaid's
 * reference code, https://support.plaid.com/hc/en-us/articles/360041410794-Webhook-verification-example)
 * and parsing of the Identity Verification webhooks into `KycEvent`s.
 *
 * Order: the body is raw text or bytes (core's `readWebhookBody`) -> header present -> the compact
 * JWS decoded once (`plaid-jwt.ts`) and its protected header checked WITHOUT verifying: `alg` must
 * be `ES256`, no `crit`, a usable `kid`, a 64-byte signature (before any key fetch, so
 * `none`/HS256/RS256 and malformed tokens never cost a request) -> key by `kid`
 * (`plaid-webhook-keys.ts`: cache, negative cache, fetch budget) -> key not expired -> ES256
 * signature (node:crypto over the key imported once as a `KeyObject`) -> `iat` within 5 minutes ->
 * SHA-256 of the raw body, computed once, equal (constant time) to `request_body_sha256` -> JSON
 * body decoded. Only then is the body trusted. Nothing here throws: any header map, token or body
 * is a `Right` or a typed `Left`.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { UserRefCodec, getHeader, isWellFormedText, kycError, readWebhookBody, redact } from '@kycport/core';
import type { KycError, KycEvent, KycWebhookHandler, UserRef, WebhookRequest } from '@kycport/core';
import { hexDigestEquals, sha256Digest, sha256Hex } from '@kycport/http';
import { PlaidIdentityVerificationWebhook, PlaidWebhookClaims, PLAID_REDACTED_KEYS } from './plaid-api';
import type {
  PlaidIdentityVerification,
  PlaidIdentityVerificationWebhook as WebhookBody,
  PlaidJwkPublicKey,
} from './plaid-api';
import { PLAID_PROVIDER_ID } from './plaid-config';
import { plaidWebhookRejected as rejected } from './plaid-error';
import {
  ES256_SIGNATURE_BYTES,
  createPlaidKeyImporter,
  decodePlaidJws,
  plaidJwsPayload,
  verifyPlaidEs256,
} from './plaid-jwt';
import type { PlaidJws, PlaidKeyImporter } from './plaid-jwt';
import { createPlaidKeyLookup } from './plaid-webhook-keys';
import type { PlaidKeyLookupOptions } from './plaid-webhook-keys';

/** The header carrying the ES256-signed JWT that authenticates a Plaid webhook. */
export const PLAID_VERIFICATION_HEADER = 'Plaid-Verification';
/** How far a webhook JWT's `iat` may be from the clock, either way: 5 minutes. */
export const PLAID_WEBHOOK_MAX_AGE_SECONDS = 5 * 60;
/**
 * The `webhook_type` of the Identity Verification webhooks, the only ones the Plaid handler
 * accepts.
 */
export const IDENTITY_VERIFICATION_WEBHOOK_TYPE = 'IDENTITY_VERIFICATION';

/** The Identity Verification `webhook_code`s Plaid's spec documents (2020-09-14). */
export const PLAID_IDV_WEBHOOK_CODES = ['STATUS_UPDATED', 'STEP_UPDATED', 'RETRIED'] as const;

/**
 * The `type` of every event the Plaid handler gives: `IDENTITY_VERIFICATION.<webhook_code>` (any
 * other `webhook_type` is refused). The code is as Plaid sent it: the documented ones are
 * `PLAID_IDV_WEBHOOK_CODES`, and an undocumented code is accepted too (every IDV webhook names only
 * an attempt to read; refusing a new code would make Plaid re-deliver it for a day), so the code
 * part is any string.
 */
export type PlaidWebhookEventType = `${typeof IDENTITY_VERIFICATION_WEBHOOK_TYPE}.${string}`;

/**
 * Options of `createPlaidWebhookVerifier`: how to fetch a key by its id, the fetch budget, how long
 * an unknown key id is remembered, and the clock.
 */
export interface PlaidWebhookVerifierOptions extends Pick<
  PlaidKeyLookupOptions,
  'fetchKey' | 'fetchesPerMinute' | 'unknownKidTtlMs'
> {
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number;
}

export interface VerifiedPlaidWebhook {
  readonly body: WebhookBody;
  /** Hex SHA-256 of the raw body (already checked against the signed claim). */
  readonly bodySha256: string;
}

/**
 * Checks a Plaid webhook's authenticity: the `Plaid-Verification` JWT's ES256 signature against
 * Plaid's key, its age, and the body's SHA-256 against the signed hash.
 */
export interface PlaidWebhookVerifier {
  /**
   * The decoded body of an authentic Identity Verification webhook, or a `webhook_rejected` error
   * saying why not.
   */
  verify(request: WebhookRequest): TE.TaskEither<KycError, VerifiedPlaidWebhook>;
  /** Drops cached keys, unknown kids and the spent fetch budget (tests, key rotation drills). */
  clearKeys(): void;
}

/** The raw body as text, and its SHA-256 over the bytes as received (computed once, here). */
interface RawBody {
  readonly text: string;
  readonly sha256: Buffer;
}

function rawBodyOf(rawBody: unknown): E.Either<KycError, RawBody> {
  const text = readWebhookBody(PLAID_PROVIDER_ID, rawBody);
  if (E.isLeft(text)) return text;
  // A string is hashed as its UTF-8 bytes, as Buffer.from(text) would give them.
  return E.right({
    text: text.right,
    sha256: sha256Digest(rawBody instanceof Uint8Array ? rawBody : text.right),
  });
}

/** The decoded token and its key id. */
interface PlaidToken {
  readonly jws: PlaidJws;
  readonly kid: string;
}

/**
 * The token (the header value, trimmed) decoded once, its protected header checked WITHOUT
 * verifying, before any key lookup:
 * `none` and every algorithm but ES256 are refused outright, and so are a `crit` header, a `kid`
 * that is not well-formed text of at most 200 characters, and a signature that is not 64 bytes.
 */
function tokenOf(headers: unknown): E.Either<KycError, PlaidToken> {
  const token = getHeader(headers as WebhookRequest['headers'], PLAID_VERIFICATION_HEADER)?.trim();
  if (token === undefined || token === '')
    return E.left(rejected('the Plaid-Verification header is missing'));
  const jws = decodePlaidJws(token);
  if (jws === undefined) return E.left(rejected('the Plaid-Verification header is not a JWT'));
  const { alg, kid, crit } = jws.header;
  if (alg !== 'ES256') return E.left(rejected('the Plaid-Verification JWT is not signed with ES256'));
  if (crit !== undefined) return E.left(rejected('the Plaid-Verification JWT has a crit header'));
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 200 || !isWellFormedText(kid)) {
    return E.left(rejected('the Plaid-Verification JWT has no usable key id'));
  }
  if (jws.signature.length !== ES256_SIGNATURE_BYTES) return E.left(badSignature());
  return E.right({ jws, kid });
}

function badSignature(): KycError {
  return rejected('the Plaid-Verification signature does not verify');
}

/** Plaid's reference code refuses any key with `expired_at` set; the key must be ES256 on P-256. */
function usableKey(key: PlaidJwkPublicKey): E.Either<KycError, PlaidJwkPublicKey> {
  if (key.expired_at !== null) return E.left(rejected('the webhook verification key has expired'));
  if (key.kty !== 'EC' || key.crv !== 'P-256' || key.alg !== 'ES256') {
    return E.left(rejected('the webhook verification key is not an ES256 P-256 key'));
  }
  return E.right(key);
}

/** The ES256 signature over the imported key; only then the payload, parsed as JSON. */
function verifiedPayload(
  importer: PlaidKeyImporter,
  token: PlaidToken,
  key: PlaidJwkPublicKey,
): E.Either<KycError, unknown> {
  const publicKey = importer.publicKey(key);
  if (publicKey === undefined || !verifyPlaidEs256(publicKey, token.jws)) return E.left(badSignature());
  const payload = plaidJwsPayload(token.jws);
  return payload === undefined
    ? E.left(rejected('the Plaid-Verification claims are malformed'))
    : E.right(payload.value);
}

/** The claims, with `iat` within 5 minutes of `nowMs` either way. */
function freshClaims(payload: unknown, nowMs: number): E.Either<KycError, PlaidWebhookClaims> {
  if (!PlaidWebhookClaims.is(payload)) return E.left(rejected('the Plaid-Verification claims are malformed'));
  if (Math.abs(nowMs / 1000 - payload.iat) > PLAID_WEBHOOK_MAX_AGE_SECONDS) {
    return E.left(rejected('the Plaid-Verification token is older than 5 minutes (or issued in the future)'));
  }
  return E.right(payload);
}

/** The body's SHA-256 equal (constant time, either hex case) to the signed hash; only then is it decoded. */
function signedBody(body: RawBody, claims: PlaidWebhookClaims): E.Either<KycError, VerifiedPlaidWebhook> {
  if (!hexDigestEquals(body.sha256, claims.request_body_sha256)) {
    return E.left(rejected('the body does not match the signed request_body_sha256'));
  }
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return E.left(rejected('the body is not JSON'));
  }
  if (!PlaidIdentityVerificationWebhook.is(json)) {
    return E.left(rejected('the body is not a Plaid Identity Verification webhook'));
  }
  return E.right({ body: json, bodySha256: body.sha256.toString('hex') });
}

/**
 * Builds a `PlaidWebhookVerifier` that fetches Plaid's public keys through `options.fetchKey`,
 * caches them (and their imported `KeyObject`s), and limits fetches for unknown key ids.
 */
export function createPlaidWebhookVerifier(options: PlaidWebhookVerifierOptions): PlaidWebhookVerifier {
  const now = options.now ?? Date.now;
  const keys = createPlaidKeyLookup({ ...options, now });
  const importer = createPlaidKeyImporter();
  const verify = async (request: unknown): Promise<E.Either<KycError, VerifiedPlaidWebhook>> => {
    const given: Partial<WebhookRequest> = typeof request === 'object' && request !== null ? request : {};
    const body = rawBodyOf(given.rawBody);
    if (E.isLeft(body)) return body;
    const token = tokenOf(given.headers);
    if (E.isLeft(token)) return token;
    const key = E.chain(usableKey)(await keys.keyFor(token.right.kid)());
    if (E.isLeft(key)) return key;
    const payload = verifiedPayload(importer, token.right, key.right);
    if (E.isLeft(payload)) return payload;
    const claims = freshClaims(payload.right, now());
    return E.isLeft(claims) ? claims : signedBody(body.right, claims.right);
  };
  const clearKeys = (): void => {
    keys.clear();
    importer.clear();
  };
  return { verify: (request) => () => verify(request), clearKeys };
}

export interface PlaidWebhookHandlerOptions {
  readonly verifier: PlaidWebhookVerifier;
  /** `/identity_verification/get`: the payload names no user, so the attempt is read to fill `userRef`. */
  readonly getAttempt: (identityVerificationId: string) => TE.TaskEither<KycError, PlaidIdentityVerification>;
  /** `sandbox` / `production` when configured by environment; a webhook for the other one is rejected. */
  readonly expectedEnvironment?: string;
}

/** A step value as text for the dedupe key, whatever its type (`String()` throws on some objects). */
function stepText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return `${typeof value}:${JSON.stringify(value) ?? ''}`;
  } catch {
    return typeof value;
  }
}

/**
 * Plaid sends no event id, and two different status changes of one attempt have byte-identical
 * bodies (`{webhook_type, webhook_code, identity_verification_id, environment}`). A key from the
 * body alone would drop the second change as a duplicate, so the key is the body hash plus the
 * status and step values read with `/get`: a re-delivery of the same event gets the same key; a
 * new change gets a new one once the read shows it. The key is still `weak`: two changes that both
 * happened before the read share it (the payload cannot tell them apart).
 */
export function plaidDedupeKey(
  bodySha256: string,
  attempt: Pick<PlaidIdentityVerification, 'status' | 'steps'>,
): string {
  const steps = Object.keys(attempt.steps)
    .sort()
    .map((key) => `${key}=${stepText(attempt.steps[key])}`)
    .join(',');
  return `plaid:${sha256Hex(`${bodySha256}|${attempt.status}|${steps}`)}`;
}

/**
 * The webhook was authentic, but the follow-up read of its attempt failed (or named no usable
 * user): `provider_unavailable`, retryable, so the host answers non-2xx and Plaid re-delivers. The
 * read's own outcome, status, code and request id are kept.
 */
function followUpReadFailed(cause: KycError): KycError {
  return kycError('provider_unavailable', {
    provider: PLAID_PROVIDER_ID,
    message: `${PLAID_PROVIDER_ID}: the webhook is authentic, but reading the attempt it names failed (${cause.kind}${cause.providerCode ? `, code ${cause.providerCode}` : ''}); answer non-2xx so Plaid re-delivers it`,
    retryable: true,
    outcome: cause.outcome,
    httpStatus: cause.httpStatus,
    providerCode: cause.providerCode,
    requestId: cause.requestId,
  });
}

/** The attempt the webhook names and its user, read with `/get`. */
function readAttempt(
  options: PlaidWebhookHandlerOptions,
  identityVerificationId: string,
): TE.TaskEither<KycError, { attempt: PlaidIdentityVerification; ref: UserRef }> {
  return pipe(
    options.getAttempt(identityVerificationId),
    TE.chainEitherKW((attempt) =>
      pipe(
        UserRefCodec.decode(attempt.client_user_id),
        E.map((ref) => ({ attempt, ref })),
        E.mapLeft(() =>
          kycError('unexpected_response', {
            provider: PLAID_PROVIDER_ID,
            message: `${PLAID_PROVIDER_ID}: the attempt's client_user_id is not a usable user reference`,
            issues: [{ path: 'response.client_user_id', message: 'expected a user reference' }],
            outcome: 'unknown',
          }),
        ),
      ),
    ),
    TE.mapLeft(followUpReadFailed),
  );
}

/**
 * Builds Plaid's webhook handler: verifies the delivery, refuses other webhook types (and, given
 * `expectedEnvironment`, another environment's webhooks), then reads the attempt it names (with
 * `/get`) to find its user. Events carry ids, not the state.
 */
export function createPlaidWebhookHandler(
  options: PlaidWebhookHandlerOptions,
): KycWebhookHandler<PlaidWebhookEventType> {
  return {
    provider: PLAID_PROVIDER_ID,
    // Plaid signs every delivery with a `Plaid-Verification` JWT: its presence marks one as Plaid's.
    signatureHeaders: [PLAID_VERIFICATION_HEADER.toLowerCase()],
    parseWebhook: (request) => () => parsePlaidWebhook(options, request),
  };
}

/** Verification, the type and environment checks, then the follow-up read; every answer typed. */
async function parsePlaidWebhook(
  options: PlaidWebhookHandlerOptions,
  request: WebhookRequest,
): Promise<E.Either<KycError, KycEvent<PlaidWebhookEventType>>> {
  const verified = await options.verifier.verify(request)();
  if (E.isLeft(verified)) return verified;
  const { body, bodySha256 } = verified.right;
  if (body.webhook_type !== IDENTITY_VERIFICATION_WEBHOOK_TYPE) {
    return E.left(rejected('not an IDENTITY_VERIFICATION webhook (route other Plaid webhooks elsewhere)'));
  }
  const expected = options.expectedEnvironment;
  if (expected !== undefined && body.environment !== undefined && body.environment !== expected) {
    return E.left(rejected('the webhook is for another Plaid environment'));
  }
  const read = await readAttempt(options, body.identity_verification_id)();
  if (E.isLeft(read)) return read;
  return E.right({
    provider: PLAID_PROVIDER_ID,
    // webhook_type is IDENTITY_VERIFICATION_WEBHOOK_TYPE here (checked above).
    type: `${IDENTITY_VERIFICATION_WEBHOOK_TYPE}.${body.webhook_code}`,
    dedupeKey: plaidDedupeKey(bodySha256, read.right.attempt),
    dedupeKeyStrength: 'weak',
    userRef: read.right.ref,
    raw: redact(body, PLAID_REDACTED_KEYS),
    stateIncluded: false,
    resourceId: body.identity_verification_id,
  });
}

/**
 * The attempt id a Plaid webhook event names (for `resolvePlaidEvent`); anything else is a
 * `validation` error (never a throw, whatever the host passes).
 */
export function plaidEventAttemptId(event: unknown): E.Either<KycError, string> {
  const candidate = (typeof event === 'object' && event !== null ? event : {}) as Partial<
    Record<'provider' | 'stateIncluded' | 'resourceId', unknown>
  >;
  if (
    candidate.provider === PLAID_PROVIDER_ID &&
    candidate.stateIncluded === false &&
    typeof candidate.resourceId === 'string' &&
    candidate.resourceId.length > 0
  ) {
    return E.right(candidate.resourceId);
  }
  return E.left(
    kycError('validation', {
      provider: PLAID_PROVIDER_ID,
      message: `${PLAID_PROVIDER_ID}: the event is not a Plaid identity verification event with a resourceId`,
      issues: [{ path: 'event.resourceId', message: 'is required' }],
      retryable: false,
      outcome: 'not_sent',
    }),
  );
}
