/**
 * Webhook verification + parsing throughput per provider, each step reported on its own row:
 * - Plu (HMAC-SHA256 `X-Webhook-Signature`) and P100 (shared token): the authenticity check alone,
 *   then the whole handler (check + parse into a `KycEvent`).
 * - Plaid (ES256 JWT): the verifier alone with a warm key cache; the handler with the follow-up read
 *   answered in memory (verify + parse, no network); and the handler as the adapter builds it, which
 *   also reads the attempt with `/identity_verification/get` (its payload names no user) from the
 *   example server.
 * Every row runs one delivery at a time on one event loop (`await` per event), after a warm-up.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as TE from 'fp-ts/TaskEither';
import { createP100Provider, isAuthenticP100Token } from '@kycport/p100';
import { createPlaidProvider, createPlaidWebhookHandler, createPlaidWebhookVerifier } from '@kycport/plaid';
import type { PlaidIdentityVerification } from '@kycport/plaid';
import { createPluProvider, verifyPluWebhookSignature } from '@kycport/plu';
import type { WebhookRequest } from '@kycport/core';

/** One row of the webhook table: what was measured and how many deliveries per second it took. */
export interface WebhookResult {
  readonly label: string;
  readonly eventsPerSecond: number;
}

type Outcome = { readonly _tag: string } | boolean;

/** Runs `verify` `events` times after a warm-up; a rejected delivery aborts the run (a broken bench). */
async function measure(
  label: string,
  verify: () => Outcome | Promise<Outcome>,
  events: number,
): Promise<WebhookResult> {
  const accepted = (outcome: Outcome): boolean =>
    typeof outcome === 'boolean' ? outcome : outcome._tag === 'Right';
  for (let warm = 0; warm < Math.min(2000, events); warm += 1) await verify();
  const started = performance.now();
  for (let index = 0; index < events; index += 1) {
    if (!accepted(await verify())) throw new Error(`${label}: a webhook was rejected`);
  }
  return { label, eventsPerSecond: (events / (performance.now() - started)) * 1000 };
}

/** The Plaid signing key pair of a bench run. */
export interface PlaidSigningKey {
  readonly privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  /** The public JWK the example server serves from /webhook_verification_key/get. */
  readonly publicJwk: Record<string, unknown>;
}

/** A P-256 key for the Plaid webhook JWTs; the example server is started with its public half. */
export async function plaidSigningKey(): Promise<PlaidSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const publicJwk = {
    ...(await exportJWK(publicKey)),
    alg: 'ES256',
    kid: 'bench-kid',
    use: 'sig',
    created_at: 1560466150,
    expired_at: null,
  };
  return { privateKey, publicJwk };
}

async function benchPluWebhook(baseUrl: string, events: number): Promise<WebhookResult[]> {
  const pluSecret = 'whsec_bench_secret';
  const plu = createPluProvider({
    apiKey: 'sk_staging_bench',
    baseUrl: `${baseUrl}/api`,
    webhookSecret: pluSecret,
  });
  const pluBody = JSON.stringify({
    event: 'user.kyc-event',
    timestamp: '2026-02-19T21:01:49.217Z',
    data: {
      serviceId: 'acme-user-yvDaVMdFaug51H4',
      status: 'denied',
      email: 'jane@example.com',
      firstName: 'Jane',
      lastName: 'DoeDenied',
      reason: 'WRONG_USER_REGION, REGULATIONS_VIOLATIONS',
    },
  });
  const pluRequest: WebhookRequest = {
    headers: { 'x-webhook-signature': createHmac('sha256', pluSecret).update(pluBody).digest('hex') },
    rawBody: pluBody,
  };
  const results = [
    await measure(
      'plu (HMAC-SHA256 X-Webhook-Signature, verify only)',
      () => verifyPluWebhookSignature(pluRequest, pluSecret),
      events,
    ),
    await measure('plu (HMAC-SHA256, verify + parse)', plu.webhooks.parseWebhook(pluRequest), events),
  ];
  plu.close();
  return results;
}

async function benchP100Webhook(baseUrl: string, events: number): Promise<WebhookResult[]> {
  const p100Token = 'p100-bench-webhook-token';
  const p100 = createP100Provider({ apiKey: 'p100-bench', baseUrl, webhookToken: p100Token });
  const p100Request: WebhookRequest = {
    headers: { authorization: p100Token },
    rawBody: JSON.stringify({
      externalUserId: 'bca65c48-df49-4831-a7b2-de7903321581',
      verificationStatus: 'NOT_VERIFIED',
      attemptStatus: 'REJECTED_BY_PROVIDER',
      rejectionReason: 'NO_FACE_FOUND',
    }),
  };
  const results = [
    await measure(
      'p100 (shared token, verify only)',
      () => isAuthenticP100Token(p100Token, p100Token),
      events,
    ),
    await measure('p100 (shared token, verify + parse)', p100.webhooks.parseWebhook(p100Request), events),
  ];
  p100.close();
  return results;
}

/** The example server's `/identity_verification/get` answer, for the in-memory follow-up read. */
function exampleAttempt(): PlaidIdentityVerification {
  const examples = JSON.parse(
    readFileSync(join(__dirname, '..', 'fixtures', 'plaid-examples.json'), 'utf8'),
  ) as { examples: Record<string, unknown> };
  return examples.examples['/identity_verification/get'] as PlaidIdentityVerification;
}

async function plaidRequest(signing: PlaidSigningKey): Promise<WebhookRequest> {
  const plaidBody = JSON.stringify({
    webhook_type: 'IDENTITY_VERIFICATION',
    webhook_code: 'STATUS_UPDATED',
    identity_verification_id: 'idv_52xR9LKo77r1Np',
    environment: 'sandbox',
  });
  const token = await new SignJWT({
    request_body_sha256: createHash('sha256').update(plaidBody).digest('hex'),
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench-kid', typ: 'JWT' })
    .setIssuedAt()
    .sign(signing.privateKey);
  return { headers: { 'plaid-verification': token }, rawBody: plaidBody };
}

async function benchPlaidWebhooks(
  baseUrl: string,
  events: number,
  signing: PlaidSigningKey,
): Promise<WebhookResult[]> {
  const request = await plaidRequest(signing);
  const verifier = createPlaidWebhookVerifier({ fetchKey: () => TE.right(signing.publicJwk as never) });
  const verifyOnly = await measure(
    'plaid (ES256 JWT, verify only, warm key cache)',
    verifier.verify(request),
    events,
  );
  // The handler with the follow-up read answered from memory: verification and parsing alone.
  const attempt = exampleAttempt();
  const inMemory = createPlaidWebhookHandler({ verifier, getAttempt: () => TE.right(attempt) });
  const parsed = await measure(
    'plaid (ES256 JWT, verify + parse, warm key cache, no follow-up read)',
    inMemory.parseWebhook(request),
    events,
  );
  // The whole handler as the adapter builds it: verification, then /identity_verification/get from
  // the example server to name the user.
  const plaid = createPlaidProvider({
    clientId: 'bench',
    secret: 'bench',
    baseUrl,
    templateId: 'idvtmp_4FrXJvfQU3zGUR',
  });
  const withRead = await measure(
    'plaid (verify + parse + /identity_verification/get over loopback, warm key cache)',
    plaid.webhooks.parseWebhook(request),
    Math.min(events, 5000),
  );
  plaid.close();
  return [verifyOnly, parsed, withRead];
}

/**
 * Every webhook row: Plu and P100 (verify alone, verify + parse), then Plaid (verify alone, verify +
 * parse, verify + parse + `/identity_verification/get` against the example server at `baseUrl`).
 */
export async function benchWebhooks(
  baseUrl: string,
  events: number,
  signing: PlaidSigningKey,
): Promise<WebhookResult[]> {
  return [
    ...(await benchPluWebhook(baseUrl, events)),
    ...(await benchP100Webhook(baseUrl, events)),
    ...(await benchPlaidWebhooks(baseUrl, events, signing)),
  ];
}
