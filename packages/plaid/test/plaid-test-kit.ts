/** Shared test set-up: config, nock scopes that check every request, Plaid-shaped fixtures, JWT signing. */
import { createHash } from 'node:crypto';
import nock from 'nock';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { formatUserRef, readUserRef } from '@kycport/core';
import type { CreateUserInput, UserRef } from '@kycport/core';
import type { PlaidConfig } from '../src/plaid-config';
import { exampleResponse, requestSchemaErrors } from '@kycport/fixtures';
import type { PlaidOperationPath } from '@kycport/fixtures';

export const BASE_URL = 'https://sandbox.plaid.com';
export const CLIENT_ID = 'client-id-5f1b2c3d4e5f6a7b8c9d0e1f';
export const SECRET = 'secret-sandbox-9a8b7c6d5e4f3a2b1c0d9e8f7a6b';
export const TEMPLATE_ID = 'idvtmp_4FrXJvfQU3zGUR';
/** A fixed clock for the webhook `iat` check: 2026-01-02T03:04:05Z. */
export const NOW_MS = Date.UTC(2026, 0, 2, 3, 4, 5);

export const config: PlaidConfig = {
  clientId: CLIENT_ID,
  secret: SECRET,
  environment: 'sandbox',
  templateId: TEMPLATE_ID,
};

export const validInput: CreateUserInput = {
  applicant: {
    externalId: 'host-user-1',
    name: { given: 'Leslie', family: 'Knope' },
    email: 'leslie.knope@example.com',
    phone: '+12345678909',
    dateOfBirth: '1975-01-18',
    address: { line1: '123 Main St.', city: 'Pawnee', region: 'IN', postalCode: '46001', country: 'US' },
    idNumber: { type: 'us_ssn_last_4', value: '6789' },
    termsAccepted: true,
  },
};

/** The ref hosts see and store for a Plaid `client_user_id`: `plaid:<client_user_id>`. */
export function plaidRef(clientUserId: string): UserRef {
  return formatUserRef('plaid', clientUserId);
}

/** The bare `client_user_id` a host ref (qualified, or bare from before) reaches Plaid as. */
export function clientUserIdOf(ref: string): string {
  return readUserRef(ref).id;
}

/** Schema violations and credential leaks seen by the interceptors; tests assert it stays empty. */
export const wireProblems: string[] = [];

export interface RecordedRequest {
  readonly path: PlaidOperationPath;
  readonly body: Record<string, unknown>;
}
export const recorded: RecordedRequest[] = [];

/** Checks one request body against the published schema and for credentials. Always matches. */
export function checkBody(path: PlaidOperationPath) {
  return (body: Record<string, unknown>): boolean => {
    recorded.push({ path, body });
    try {
      wireProblems.push(...requestSchemaErrors(path, body));
    } catch (error) {
      wireProblems.push(`${path}: the schema check failed: ${String(error)}`);
    }
    const text = JSON.stringify(body);
    if (text.includes(SECRET) || text.includes(CLIENT_ID))
      wireProblems.push(`${path}: a credential is in the body`);
    return true;
  };
}

/** A scope that only matches requests carrying the credentials and version headers. */
export function plaid(): nock.Scope {
  return nock(BASE_URL, {
    reqheaders: { 'PLAID-CLIENT-ID': CLIENT_ID, 'PLAID-SECRET': SECRET, 'Plaid-Version': '2020-09-14' },
  });
}

export function resetWire(): void {
  nock.cleanAll();
  wireProblems.length = 0;
  recorded.length = 0;
}

type Attempt = Record<string, unknown>;

const ALL_SUCCESS = {
  accept_tos: 'success',
  verify_sms: 'success',
  kyc_check: 'success',
  documentary_verification: 'success',
  selfie_check: 'success',
  watchlist_screening: 'success',
  risk_check: 'success',
};

/** Plaid's example attempt (`/identity_verification/get`), with overrides. */
export function attempt(
  overrides: Attempt & { steps?: Partial<typeof ALL_SUCCESS> & Record<string, string> } = {},
): Attempt {
  const base = exampleResponse('/identity_verification/get');
  const steps = { ...ALL_SUCCESS, ...(overrides.steps ?? {}) };
  return { ...base, client_user_id: validInput.applicant.externalId, ...overrides, steps };
}

export const ACTIVE_STEPS = {
  accept_tos: 'skipped',
  verify_sms: 'active',
  kyc_check: 'waiting_for_prerequisite',
  documentary_verification: 'waiting_for_prerequisite',
  selfie_check: 'waiting_for_prerequisite',
  watchlist_screening: 'waiting_for_prerequisite',
  risk_check: 'waiting_for_prerequisite',
};

export function activeAttempt(overrides: Attempt = {}): Attempt {
  return attempt({
    id: 'idv_new0000000001',
    status: 'active',
    completed_at: null,
    previous_attempt_id: null,
    shareable_url: 'https://flow.plaid.com/verify/idv_new0000000001?key=abc123',
    steps: ACTIVE_STEPS,
    ...overrides,
  });
}

export function failedAttempt(failedStep = 'kyc_check', overrides: Attempt = {}): Attempt {
  return attempt({
    id: 'idv_failed00000001',
    status: 'failed',
    steps: { [failedStep]: 'failed' },
    ...overrides,
  });
}

/** `IdentityVerificationListResponse` with the attempts (without their own request_id). */
export function listOf(
  attempts: ReadonlyArray<Attempt>,
  nextCursor: string | null = null,
): Record<string, unknown> {
  return {
    identity_verifications: attempts.map(({ request_id: _requestId, ...rest }) => rest),
    next_cursor: nextCursor,
    request_id: 'listReq0000001',
  };
}

export function plaidError(
  errorType: string,
  errorCode: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    error_type: errorType,
    error_code: errorCode,
    // Plaid's free text can echo submitted values: the adapter must never copy it.
    error_message: `submitted value ${SECRET} ${validInput.applicant.email ?? ''} was rejected`,
    display_message: `display ${validInput.applicant.phone ?? ''}`,
    request_id: 'errReq00000001',
    ...extra,
  };
}

// ------------------------------------------------------------------ webhooks

export interface WebhookKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

export async function webhookKey(kid: string): Promise<WebhookKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, jwk: await exportJWK(publicKey) };
}

/** The `/webhook_verification_key/get` answer for a key (`expired_at` null unless given). */
export function keyResponse(key: WebhookKey, expiredAt: number | null = null): Record<string, unknown> {
  return {
    key: {
      ...key.jwk,
      alg: 'ES256',
      kid: key.kid,
      use: 'sig',
      created_at: 1560466150,
      expired_at: expiredAt,
    },
    request_id: 'keyReq00000001',
  };
}

export function mockKey(key: WebhookKey, expiredAt: number | null = null): nock.Scope {
  return plaid()
    .post(
      '/webhook_verification_key/get',
      (body: Record<string, unknown>) =>
        checkBody('/webhook_verification_key/get')(body) && body.key_id === key.kid,
    )
    .reply(200, keyResponse(key, expiredAt));
}

export function webhookBody(code = 'STATUS_UPDATED', id = 'idv_52xR9LKo77r1Np'): string {
  return JSON.stringify({
    webhook_type: 'IDENTITY_VERIFICATION',
    webhook_code: code,
    identity_verification_id: id,
    environment: 'sandbox',
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function signWebhook(
  key: WebhookKey,
  rawBody: string,
  options: { iatSeconds?: number; bodyHash?: string } = {},
): Promise<{ headers: Record<string, string>; rawBody: string }> {
  const token = await new SignJWT({ request_body_sha256: options.bodyHash ?? sha256(rawBody) })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuedAt(options.iatSeconds ?? Math.floor(NOW_MS / 1000))
    .sign(key.privateKey);
  return { headers: { 'plaid-verification': token }, rawBody };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned token (`alg: none`) claiming the right body hash. */
export function unsignedToken(kid: string, rawBody: string): string {
  return `${base64url({ alg: 'none', kid, typ: 'JWT' })}.${base64url({ iat: Math.floor(NOW_MS / 1000), request_body_sha256: sha256(rawBody) })}.`;
}

/** An HS256 token (the "key" is public knowledge: the classic algorithm-confusion forgery). */
export async function hs256Token(kid: string, rawBody: string): Promise<string> {
  return new SignJWT({ request_body_sha256: sha256(rawBody) })
    .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
    .setIssuedAt(Math.floor(NOW_MS / 1000))
    .sign(new TextEncoder().encode('a-shared-secret-anyone-could-guess-32b'));
}

/** `/identity_verification/list` answering these attempts, the request body checked against the schema. */
export function mockList(
  attempts: ReadonlyArray<Record<string, unknown>>,
  cursor: string | null = null,
): nock.Scope {
  return plaid()
    .post('/identity_verification/list', checkBody('/identity_verification/list'))
    .reply(200, listOf(attempts, cursor));
}
