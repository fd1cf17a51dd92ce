/**
 * Plaid webhook authenticity (https://plaid.com/docs/api/webhooks/webhook-verification/ and Plaid's
 * reference code, https://support.plaid.com/hc/en-us/articles/360041410794-Webhook-verification-example)
 * and parsing of the Identity Verification webhooks into `KycEvent`s.
 *
 * Order: the body is raw text or bytes (core's `readWebhookBody`) -> header present -> JWT protected
 * header read WITHOUT verifying and `alg` must be `ES256` (before any key fetch, so
 * `none`/HS256/RS256 tokens never cost a request) -> key by `kid` (`plaid-webhook-keys.ts`: cache,
 * negative cache, fetch budget) -> key not expired -> ES256 signature (jose) -> `iat` within 5
 * minutes -> SHA-256 of the raw body equal (constant time) to `request_body_sha256` -> JSON body
 * decoded. Only then is the body trusted. Nothing here throws: any header map, token or body is a
 * `Right` or a typed `Left`.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import type * as Jose from 'jose';
import { UserRefCodec, getHeader, isWellFormedText, kycError, readWebhookBody, redact } from '@kycport/core';
import type { KycError, KycEvent, KycWebhookHandler, UserRef, WebhookRequest } from '@kycport/core';
import { constantTimeEqual, sha256Hex } from '@kycport/http';
import { PlaidIdentityVerificationWebhook, PlaidWebhookClaims, PLAID_REDACTED_KEYS } from './plaid-api';
import type {
  PlaidIdentityVerification,
  PlaidIdentityVerificationWebhook as WebhookBody,
  PlaidJwkPublicKey,
} from './plaid-api';
import { PLAID_PROVIDER_ID } from './plaid-config';
import { plaidWebhookRejected as rejected } from './plaid-error';
import { PLAID_MAX_CACHED_KEYS, createPlaidKeyLookup } from './plaid-webhook-keys';
import type { PlaidKeyLookupOptions } from './plaid-webhook-keys';

interface JoseParts {
  readonly decodeProtectedHeader: typeof Jose.decodeProtectedHeader;
  readonly importJWK: typeof Jose.importJWK;
  readonly compactVerify: typeof Jose.compactVerify;
}

/**
 * jose is loaded on the first webhook, not at import: it is a third of this adapter's import time,
 * and many hosts verify webhooks in another process than the one calling the API. Three subpaths,
 * not the root: a bundle then carries ~17 KB of jose instead of 61 (docs/performance.md).
 */
let joseParts: JoseParts | undefined;
function jose(): JoseParts {
  /* eslint-disable @typescript-eslint/no-require-imports */
  joseParts ??= {
    decodeProtectedHeader: (require('jose/decode/protected_header') as typeof Jose).decodeProtectedHeader,
    importJWK: (require('jose/key/import') as typeof Jose).importJWK,
    compactVerify: (require('jose/jws/compact/verify') as typeof Jose).compactVerify,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return joseParts;
}

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

/** The raw body as text, and the bytes the signature covers (the bytes as received when given). */
interface RawBody {
  readonly text: string;
  readonly bytes: Uint8Array;
}

function rawBodyOf(rawBody: unknown): E.Either<KycError, RawBody> {
  return pipe(
    readWebhookBody(PLAID_PROVIDER_ID, rawBody),
    E.map((text) => ({ text, bytes: rawBody instanceof Uint8Array ? rawBody : Buffer.from(text, 'utf8') })),
  );
}

/**
 * The token and its key id, from the JWT protected header read WITHOUT verifying. `alg` is checked
 * here, before any key lookup: `none` and every algorithm but ES256 are refused outright, and so is
 * a `kid` that is not well-formed text of at most 200 characters.
 */
function tokenOf(headers: unknown): E.Either<KycError, { token: string; kid: string }> {
  const token = getHeader(headers as WebhookRequest['headers'], PLAID_VERIFICATION_HEADER);
  if (token === undefined || token.trim() === '')
    return E.left(rejected('the Plaid-Verification header is missing'));
  let alg: unknown;
  let kid: unknown;
  try {
    ({ alg, kid } = jose().decodeProtectedHeader(token));
  } catch {
    return E.left(rejected('the Plaid-Verification header is not a JWT'));
  }
  if (alg !== 'ES256') return E.left(rejected('the Plaid-Verification JWT is not signed with ES256'));
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 200 || !isWellFormedText(kid)) {
    return E.left(rejected('the Plaid-Verification JWT has no usable key id'));
  }
  return E.right({ token, kid });
}

/** Plaid's reference code refuses any key with `expired_at` set; the key must be ES256 on P-256. */
function usableKey(key: PlaidJwkPublicKey): E.Either<KycError, PlaidJwkPublicKey> {
  if (key.expired_at !== null) return E.left(rejected('the webhook verification key has expired'));
  if (key.kty !== 'EC' || key.crv !== 'P-256' || key.alg !== 'ES256') {
    return E.left(rejected('the webhook verification key is not an ES256 P-256 key'));
  }
  return E.right(key);
}

type ImportedKeys = (key: PlaidJwkPublicKey) => Promise<Jose.CryptoKey | Uint8Array>;

/** Imported keys by kid and x/y: importing the JWK on every delivery halved verification throughput. */
function importedKeyCache(): { imported: ImportedKeys; clear: () => void } {
  const importedKeys = new Map<string, Promise<Jose.CryptoKey | Uint8Array>>();
  return {
    imported: (key) => {
      const cacheKey = `${key.kid}:${key.x}:${key.y}`;
      let pending = importedKeys.get(cacheKey);
      if (pending === undefined) {
        pending = jose().importJWK({ kty: key.kty, crv: key.crv, x: key.x, y: key.y }, 'ES256');
        importedKeys.set(cacheKey, pending);
        pending.catch(() => importedKeys.delete(cacheKey));
        if (importedKeys.size > PLAID_MAX_CACHED_KEYS) {
          importedKeys.delete(importedKeys.keys().next().value ?? cacheKey);
        }
      }
      return pending;
    },
    clear: () => importedKeys.clear(),
  };
}

/** The ES256 signature (jose `compactVerify`); the payload parsed as JSON. */
function verifiedPayload(
  imported: ImportedKeys,
  token: string,
  key: PlaidJwkPublicKey,
): TE.TaskEither<KycError, unknown> {
  return TE.tryCatch(
    async () => {
      const publicKey = await imported(key);
      const { payload } = await jose().compactVerify(token, publicKey, { algorithms: ['ES256'] });
      return JSON.parse(new TextDecoder().decode(payload)) as unknown;
    },
    () => rejected('the Plaid-Verification signature does not verify'),
  );
}

/**
 * The claims, with `iat` within 5 minutes of `nowMs` either way (not jose's `maxTokenAge`, whose
 * tolerance would widen the past window too).
 */
function freshClaims(payload: unknown, nowMs: number): E.Either<KycError, PlaidWebhookClaims> {
  return pipe(
    PlaidWebhookClaims.decode(payload),
    E.mapLeft(() => rejected('the Plaid-Verification claims are malformed')),
    E.filterOrElse(
      (claims) => Math.abs(nowMs / 1000 - claims.iat) <= PLAID_WEBHOOK_MAX_AGE_SECONDS,
      () => rejected('the Plaid-Verification token is older than 5 minutes (or issued in the future)'),
    ),
  );
}

/** SHA-256 of the raw body bytes equal (constant time) to the signed hash; only then is it decoded. */
function signedBody(body: RawBody, claims: PlaidWebhookClaims): E.Either<KycError, VerifiedPlaidWebhook> {
  const bodySha256 = sha256Hex(body.bytes);
  if (!constantTimeEqual(bodySha256, claims.request_body_sha256.toLowerCase())) {
    return E.left(rejected('the body does not match the signed request_body_sha256'));
  }
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return E.left(rejected('the body is not JSON'));
  }
  return pipe(
    PlaidIdentityVerificationWebhook.decode(json),
    E.mapLeft(() => rejected('the body is not a Plaid Identity Verification webhook')),
    E.map((decoded) => ({ body: decoded, bodySha256 })),
  );
}

/**
 * Builds a `PlaidWebhookVerifier` that fetches Plaid's public keys through `options.fetchKey`,
 * caches them, and limits fetches for unknown key ids.
 */
export function createPlaidWebhookVerifier(options: PlaidWebhookVerifierOptions): PlaidWebhookVerifier {
  const now = options.now ?? Date.now;
  const keys = createPlaidKeyLookup({ ...options, now });
  const signing = importedKeyCache();
  const verify = (request: WebhookRequest): TE.TaskEither<KycError, VerifiedPlaidWebhook> => {
    const given: Partial<WebhookRequest> = typeof request === 'object' && request !== null ? request : {};
    return pipe(
      TE.fromEither(rawBodyOf(given.rawBody)),
      TE.bindTo('body'),
      TE.bind('token', () => TE.fromEither(tokenOf(given.headers))),
      TE.bind('key', ({ token }) => pipe(keys.keyFor(token.kid), TE.chainEitherK(usableKey))),
      TE.bind('payload', ({ token, key }) => verifiedPayload(signing.imported, token.token, key)),
      TE.bind('claims', ({ payload }) => TE.fromEither(freshClaims(payload, now()))),
      TE.chainEitherK(({ body, claims }) => signedBody(body, claims)),
    );
  };
  const clearKeys = (): void => {
    keys.clear();
    signing.clear();
  };
  return { verify, clearKeys };
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
    parseWebhook: (request) =>
      pipe(
        options.verifier.verify(request),
        TE.filterOrElse(
          ({ body }) => body.webhook_type === IDENTITY_VERIFICATION_WEBHOOK_TYPE,
          () => rejected('not an IDENTITY_VERIFICATION webhook (route other Plaid webhooks elsewhere)'),
        ),
        TE.filterOrElse(
          ({ body }) =>
            options.expectedEnvironment === undefined ||
            body.environment === undefined ||
            body.environment === options.expectedEnvironment,
          () => rejected('the webhook is for another Plaid environment'),
        ),
        TE.bind('read', ({ body }) => readAttempt(options, body.identity_verification_id)),
        TE.map(({ body, bodySha256, read }): KycEvent<PlaidWebhookEventType> => ({
          provider: PLAID_PROVIDER_ID,
          // webhook_type is IDENTITY_VERIFICATION_WEBHOOK_TYPE here (checked above).
          type: `${IDENTITY_VERIFICATION_WEBHOOK_TYPE}.${body.webhook_code}`,
          dedupeKey: plaidDedupeKey(bodySha256, read.attempt),
          dedupeKeyStrength: 'weak',
          userRef: read.ref,
          raw: redact(body, PLAID_REDACTED_KEYS),
          stateIncluded: false,
          resourceId: body.identity_verification_id,
        })),
      ),
  };
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
