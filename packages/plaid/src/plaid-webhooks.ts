/**
 * Plaid webhook authenticity (https://plaid.com/docs/api/webhooks/webhook-verification/ and Plaid's
 * reference code, https://support.plaid.com/hc/en-us/articles/360041410794-Webhook-verification-example)
 * and parsing of the Identity Verification webhooks into `KycEvent`s.
 *
 * Order: header present -> JWT protected header read WITHOUT verifying and `alg` must be `ES256`
 * (before any key fetch, so `none`/HS256/RS256 tokens never cost a request) -> key by `kid` from the
 * cache or `/webhook_verification_key/get` -> key not expired -> ES256 signature (jose) -> `iat`
 * within 5 minutes -> SHA-256 of the raw body equal (constant time) to `request_body_sha256` ->
 * JSON body decoded. Only then is the body trusted.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import type * as Jose from 'jose';
import { getHeader, kycError, redact, userRef } from '@kycport/core';
import type { KycError, KycEvent, KycWebhookHandler, WebhookRequest } from '@kycport/core';
import { constantTimeEqual, sha256Hex } from '@kycport/http';
import { PlaidIdentityVerificationWebhook, PlaidWebhookClaims, PLAID_REDACTED_KEYS } from './plaid-api';
import type {
  PlaidIdentityVerification,
  PlaidIdentityVerificationWebhook as WebhookBody,
  PlaidJwkPublicKey,
} from './plaid-api';
import { PLAID_PROVIDER_ID } from './plaid-config';

/**
 * jose is loaded on the first webhook, not at import: it is a third of this adapter's import time,
 * and many hosts verify webhooks in another process than the one calling the API.
 */
let joseModule: typeof Jose | undefined;
function jose(): typeof Jose {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  joseModule ??= require('jose') as typeof Jose;
  return joseModule;
}

export const PLAID_VERIFICATION_HEADER = 'Plaid-Verification';
export const PLAID_WEBHOOK_MAX_AGE_SECONDS = 5 * 60;
export const IDENTITY_VERIFICATION_WEBHOOK_TYPE = 'IDENTITY_VERIFICATION';

export function rejected(
  message: string,
  extra: { retryable?: boolean; providerCode?: string; httpStatus?: number; requestId?: string } = {},
): KycError {
  return kycError('webhook_rejected', {
    provider: PLAID_PROVIDER_ID,
    message: `${PLAID_PROVIDER_ID}: webhook rejected: ${message}`,
    retryable: false,
    ...extra,
  });
}

function rawBytes(rawBody: WebhookRequest['rawBody']): Uint8Array {
  return typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
}

export interface PlaidWebhookVerifierOptions {
  /** `POST /webhook_verification_key/get` for one key id. */
  readonly fetchKey: (keyId: string) => TE.TaskEither<KycError, PlaidJwkPublicKey>;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number;
}

export interface VerifiedPlaidWebhook {
  readonly body: WebhookBody;
  /** Hex SHA-256 of the raw body (already checked against the signed claim). */
  readonly bodySha256: string;
}

export interface PlaidWebhookVerifier {
  verify(request: WebhookRequest): TE.TaskEither<KycError, VerifiedPlaidWebhook>;
  /** Drops cached keys (tests, key rotation drills). */
  clearKeys(): void;
}

/** Why a key fetch failed decides whether Plaid's re-delivery can succeed (`retryable`). */
function keyFetchRejection(error: KycError): KycError {
  const context = {
    providerCode: error.providerCode,
    httpStatus: error.httpStatus,
    requestId: error.requestId,
  };
  if (error.retryable)
    return rejected('the webhook verification key could not be fetched', { ...context, retryable: true });
  return rejected('Plaid did not return a verification key for the token kid', context);
}

interface PlaidKeyCache {
  /** The key for `kid`, from the cache or Plaid; a failed fetch is already a rejection. */
  keyFor(kid: string): TE.TaskEither<KycError, PlaidJwkPublicKey>;
  /** The key imported for jose, once per kid and coordinates. */
  imported(key: PlaidJwkPublicKey): Promise<Jose.CryptoKey | Uint8Array>;
  clear(): void;
}

function createPlaidKeyCache(fetchKey: PlaidWebhookVerifierOptions['fetchKey']): PlaidKeyCache {
  const keys = new Map<string, PlaidJwkPublicKey>();
  // Imported keys by kid and x/y: importing the JWK on every delivery halved verification throughput.
  const importedKeys = new Map<string, Promise<Jose.CryptoKey | Uint8Array>>();
  return {
    /**
     * Plaid's reference code: on an unknown kid, re-fetch every cached key that is not yet expired
     * (to learn about expiries) plus the new one. Keys are few, so this costs one call per key on a
     * rotation, and nothing while the cache is warm.
     */
    keyFor: (kid) => {
      const cached = keys.get(kid);
      if (cached !== undefined) return TE.right(cached);
      const refresh = [...keys.values()].filter((key) => key.expired_at === null).map((key) => key.kid);
      return async () => {
        for (const other of refresh) {
          const result = await fetchKey(other)();
          if (E.isRight(result)) keys.set(other, result.right);
        }
        const fetched = await fetchKey(kid)();
        if (E.isLeft(fetched)) return E.left(keyFetchRejection(fetched.left));
        if (fetched.right.kid !== kid) return E.left(rejected('Plaid returned a key for another kid'));
        keys.set(kid, fetched.right);
        return E.right(fetched.right);
      };
    },
    imported: (key) => {
      const cacheKey = `${key.kid}:${key.x}:${key.y}`;
      let pending = importedKeys.get(cacheKey);
      if (pending === undefined) {
        pending = jose().importJWK({ kty: key.kty, crv: key.crv, x: key.x, y: key.y }, 'ES256');
        importedKeys.set(cacheKey, pending);
        pending.catch(() => importedKeys.delete(cacheKey));
      }
      return pending;
    },
    clear: () => {
      keys.clear();
      importedKeys.clear();
    },
  };
}

/**
 * The token and its key id, from the JWT protected header read WITHOUT verifying. `alg` is checked
 * here, before any key lookup: `none` and every algorithm but ES256 are refused outright.
 */
function tokenOf(request: WebhookRequest): E.Either<KycError, { token: string; kid: string }> {
  const token = getHeader(request.headers, PLAID_VERIFICATION_HEADER);
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
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 200) {
    return E.left(rejected('the Plaid-Verification JWT has no key id'));
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

/** The ES256 signature (jose `compactVerify`); the payload parsed as JSON. */
function verifiedPayload(
  keys: PlaidKeyCache,
  token: string,
  key: PlaidJwkPublicKey,
): TE.TaskEither<KycError, unknown> {
  return TE.tryCatch(
    async () => {
      const publicKey = await keys.imported(key);
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
function signedBody(
  rawBody: WebhookRequest['rawBody'],
  claims: PlaidWebhookClaims,
): E.Either<KycError, VerifiedPlaidWebhook> {
  const bytes = rawBytes(rawBody);
  const bodySha256 = sha256Hex(bytes);
  if (!constantTimeEqual(bodySha256, claims.request_body_sha256.toLowerCase())) {
    return E.left(rejected('the body does not match the signed request_body_sha256'));
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return E.left(rejected('the body is not JSON'));
  }
  return pipe(
    PlaidIdentityVerificationWebhook.decode(json),
    E.mapLeft(() => rejected('the body is not a Plaid Identity Verification webhook')),
    E.map((body) => ({ body, bodySha256 })),
  );
}

export function createPlaidWebhookVerifier(options: PlaidWebhookVerifierOptions): PlaidWebhookVerifier {
  const now = options.now ?? Date.now;
  const keys = createPlaidKeyCache(options.fetchKey);
  const verify = (request: WebhookRequest): TE.TaskEither<KycError, VerifiedPlaidWebhook> =>
    pipe(
      TE.fromEither(tokenOf(request)),
      TE.bind('key', ({ kid }) => pipe(keys.keyFor(kid), TE.chainEitherK(usableKey))),
      TE.bind('payload', ({ token, key }) => verifiedPayload(keys, token, key)),
      TE.chainEitherK(({ payload }) => freshClaims(payload, now())),
      TE.chainEitherK((claims) => signedBody(request.rawBody, claims)),
    );
  return { verify, clearKeys: () => keys.clear() };
}

export interface PlaidWebhookHandlerOptions {
  readonly verifier: PlaidWebhookVerifier;
  /** `/identity_verification/get`: the payload names no user, so the attempt is read to fill `userRef`. */
  readonly getAttempt: (identityVerificationId: string) => TE.TaskEither<KycError, PlaidIdentityVerification>;
  /** `sandbox` / `production` when configured by environment; a webhook for the other one is rejected. */
  readonly expectedEnvironment?: string;
}

/**
 * Plaid sends no event id, and two different status changes of one attempt have byte-identical
 * bodies (`{webhook_type, webhook_code, identity_verification_id, environment}`). A key from the
 * body alone would drop the second change as a duplicate, so the key is the body hash plus the
 * status and step values read with `/get`: a re-delivery of the same event gets the same key; a
 * new change gets a new one (a re-delivery after a change is processed once more, which is
 * harmless because the event carries no state).
 */
export function plaidDedupeKey(
  bodySha256: string,
  attempt: Pick<PlaidIdentityVerification, 'status' | 'steps'>,
): string {
  const steps = Object.keys(attempt.steps)
    .sort()
    .map((key) => `${key}=${String(attempt.steps[key])}`)
    .join(',');
  return `plaid:${sha256Hex(`${bodySha256}|${attempt.status}|${steps}`)}`;
}

export function createPlaidWebhookHandler(options: PlaidWebhookHandlerOptions): KycWebhookHandler {
  return {
    provider: PLAID_PROVIDER_ID,
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
        TE.bind('attempt', ({ body }) => options.getAttempt(body.identity_verification_id)),
        TE.map(({ body, bodySha256, attempt }): KycEvent => ({
          provider: PLAID_PROVIDER_ID,
          type: `${body.webhook_type}.${body.webhook_code}`,
          dedupeKey: plaidDedupeKey(bodySha256, attempt),
          userRef: userRef(attempt.client_user_id),
          raw: redact(body, PLAID_REDACTED_KEYS),
          stateIncluded: false,
          resourceId: body.identity_verification_id,
        })),
      ),
  };
}

/**
 * The attempt id a Plaid webhook event names (for `resolvePlaidEvent`); any other event is a
 * `validation` error.
 */
export function plaidEventAttemptId(event: KycEvent): E.Either<KycError, string> {
  if (event.provider === PLAID_PROVIDER_ID && !event.stateIncluded && event.resourceId !== undefined) {
    return E.right(event.resourceId);
  }
  return E.left(
    kycError('validation', {
      provider: PLAID_PROVIDER_ID,
      message: `${PLAID_PROVIDER_ID}: the event is not a Plaid identity verification event with a resourceId`,
      issues: [{ path: 'event.resourceId', message: 'is required' }],
      retryable: false,
    }),
  );
}
