/**
 * Webhook verification + parsing throughput per provider. Plaid's handler is measured twice:
 * the JWT verification alone (warm key cache), and the whole handler, which also reads the attempt
 * with `/identity_verification/get` (its payload names no user) from the example server.
 */
import { createHash, createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as TE from 'fp-ts/TaskEither';
import { createP100Provider } from '@kycport/p100';
import { createPlaidProvider, createPlaidWebhookVerifier } from '@kycport/plaid';
import { createPluProvider } from '@kycport/plu';
import type { WebhookRequest } from '@kycport/core';

export interface WebhookResult {
  readonly label: string;
  readonly eventsPerSecond: number;
}

async function measure(
  label: string,
  verify: () => Promise<{ _tag: string }>,
  events: number,
): Promise<WebhookResult> {
  for (let warm = 0; warm < Math.min(2000, events); warm += 1) await verify();
  const started = performance.now();
  for (let index = 0; index < events; index += 1) {
    const result = await verify();
    if (result._tag !== 'Right') throw new Error(`${label}: a webhook was rejected`);
  }
  return { label, eventsPerSecond: (events / (performance.now() - started)) * 1000 };
}

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

async function benchPluWebhook(baseUrl: string, events: number): Promise<WebhookResult> {
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
  const result = await measure('plu (HMAC-SHA256)', plu.webhooks.parseWebhook(pluRequest), events);
  plu.close();
  return result;
}

async function benchP100Webhook(baseUrl: string, events: number): Promise<WebhookResult> {
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
  const result = await measure('p100 (shared token)', p100.webhooks.parseWebhook(p100Request), events);
  p100.close();
  return result;
}

async function benchPlaidWebhooks(
  baseUrl: string,
  events: number,
  signing: PlaidSigningKey,
): Promise<WebhookResult[]> {
  const results: WebhookResult[] = [];
  const { privateKey, publicJwk: jwk } = signing;
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
    .sign(privateKey);
  const plaidRequest: WebhookRequest = { headers: { 'plaid-verification': token }, rawBody: plaidBody };
  const verifier = createPlaidWebhookVerifier({ fetchKey: () => TE.right(jwk as never) });
  results.push(
    await measure('plaid (ES256 JWT, warm key cache, verify only)', verifier.verify(plaidRequest), events),
  );

  // The whole handler as the adapter builds it: verification, then /identity_verification/get from
  // the example server to name the user.
  const plaid = createPlaidProvider({
    clientId: 'bench',
    secret: 'bench',
    baseUrl,
    templateId: 'idvtmp_4FrXJvfQU3zGUR',
  });
  results.push(
    await measure(
      'plaid (verify + parse + /get, warm key cache)',
      plaid.webhooks.parseWebhook(plaidRequest),
      Math.min(events, 5000),
    ),
  );
  plaid.close();
  return results;
}

export async function benchWebhooks(
  baseUrl: string,
  events: number,
  signing: PlaidSigningKey,
): Promise<WebhookResult[]> {
  return [
    await benchPluWebhook(baseUrl, events),
    await benchP100Webhook(baseUrl, events),
    ...(await benchPlaidWebhooks(baseUrl, events, signing)),
  ];
}
