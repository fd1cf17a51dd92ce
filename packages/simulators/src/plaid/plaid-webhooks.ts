/**
 * The Plaid simulator's webhooks: IDENTITY_VERIFICATION deliveries signed with a `Plaid-Verification`
 * ES256 JWT (`request_body_sha256` of the raw body) by the simulator's own P-256 key, which its
 * `/webhook_verification_key/get` serves. https://plaid.com/docs/api/webhooks/webhook-verification/
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createWebhookDeliverer } from '../webhook-deliverer';
import type { WebhookDeliverer } from '../webhook-deliverer';
import type { Attempt } from './plaid-attempts';
import { PLAID_WEBHOOK_RETRY_DELAYS_MS } from './plaid-settings';
import type { PlaidSimulatorOptions, PlaidWebhookCode } from './plaid-settings';

export interface PlaidWebhookSigning {
  /** `kid` of the signing key. */
  readonly kid: string;
  /** The public key as `/webhook_verification_key/get` serves it. */
  readonly webhookKey: Readonly<Record<string, unknown>>;
  sign(rawBody: string): Promise<Readonly<Record<string, string>>>;
}

/** The webhook signing key: generated per simulator. */
export async function createPlaidWebhookSigning(): Promise<PlaidWebhookSigning> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = await exportJWK(publicKey);
  const webhookKey: Readonly<Record<string, unknown>> = {
    alg: 'ES256',
    created_at: Math.floor(Date.now() / 1000),
    crv: 'P-256',
    expired_at: null,
    kid,
    kty: 'EC',
    use: 'sig',
    x: publicJwk.x,
    y: publicJwk.y,
  };
  const sign = async (rawBody: string): Promise<Readonly<Record<string, string>>> => {
    const token = await new SignJWT({
      request_body_sha256: createHash('sha256').update(rawBody, 'utf8').digest('hex'),
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuedAt()
      .sign(privateKey);
    return { 'Plaid-Verification': token };
  };
  return { kid, webhookKey, sign };
}

export function plaidWebhookDeliverer(
  options: PlaidSimulatorOptions,
  signing: PlaidWebhookSigning,
): WebhookDeliverer {
  return createWebhookDeliverer({
    url: options.webhookUrl,
    retryDelaysMs: options.webhookRetryDelaysMs ?? PLAID_WEBHOOK_RETRY_DELAYS_MS,
    layout: options.webhookLayout,
    sign: signing.sign,
  });
}

export function sendPlaidWebhook(
  deliverer: WebhookDeliverer,
  code: PlaidWebhookCode,
  attempt: Attempt,
): void {
  deliverer.deliver({
    webhook_type: 'IDENTITY_VERIFICATION',
    webhook_code: code,
    identity_verification_id: attempt.id,
    environment: 'sandbox',
  });
}
