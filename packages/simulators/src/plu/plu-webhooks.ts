/**
 * The Plu simulator's webhooks: `user.kyc-event` deliveries signed in the configured scheme
 * (`signatureScheme`, default the documented `X-Webhook-Signature`: lowercase hex HMAC-SHA256 of the
 * raw body, keyed with the `whsec_...` secret as-is). Written from the schemes' own documents, not
 * from the adapter: https://www.standardwebhooks.com (Standard Webhooks, Svix's `svix-` headers) and
 * https://docs.withpersona.com/docs/webhooks (`t=<unix>,v1=<hex>`).
 */
import { createHash, createHmac } from 'node:crypto';
import { createWebhookDeliverer } from '../webhook-deliverer';
import type { WebhookDeliverer } from '../webhook-deliverer';
import {
  PLU_SIMULATOR_BASE64_WEBHOOK_SECRET,
  PLU_SIMULATOR_DENIAL_REASON,
  PLU_SIMULATOR_KYC_EVENT,
  PLU_SIMULATOR_SIGNATURE_HEADER,
  PLU_SIMULATOR_TIMESTAMPED_HEADER,
  PLU_SIMULATOR_WEBHOOK_SECRET,
  PLU_WEBHOOK_RETRY_DELAYS_MS,
} from './plu-settings';
import type { PluSignatureScheme, PluSimulatorOptions } from './plu-settings';
import { listedStatus } from './plu-state';
import type { PluSimulatorContext, PluUserRecord } from './plu-state';

/** The secret a scheme is signed with (the Standard Webhooks schemes need a base64 one). */
export function pluSimulatorWebhookSecret(scheme: PluSignatureScheme): string {
  return scheme === 'standard-webhooks' || scheme === 'svix'
    ? PLU_SIMULATOR_BASE64_WEBHOOK_SECRET
    : PLU_SIMULATOR_WEBHOOK_SECRET;
}

/**
 * The message id of a Standard Webhooks delivery: the same for every attempt of one event ("the
 * same id on retries"), whatever its byte layout, so derived from the parsed content.
 */
function messageId(rawBody: string): string {
  let content = rawBody;
  try {
    content = JSON.stringify(JSON.parse(rawBody) as unknown);
  } catch {
    // The simulator only sends JSON; keep the bytes otherwise.
  }
  return `msg_${createHash('sha256').update(content).digest('hex').slice(0, 24)}`;
}

/** The signature headers of one attempt; each attempt is signed at the time it is sent. */
export function pluSignatureHeaders(
  scheme: PluSignatureScheme,
  rawBody: string,
  nowMs: number,
): Readonly<Record<string, string>> {
  const secret = pluSimulatorWebhookSecret(scheme);
  const seconds = Math.floor(nowMs / 1000);
  switch (scheme) {
    case 'x-webhook-signature':
      return {
        [PLU_SIMULATOR_SIGNATURE_HEADER]: createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex'),
      };
    case 'standard-webhooks':
    case 'svix': {
      const prefix = scheme === 'svix' ? 'svix' : 'webhook';
      const id = messageId(rawBody);
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      const signature = createHmac('sha256', key)
        .update(`${id}.${seconds}.${rawBody}`, 'utf8')
        .digest('base64');
      return {
        [`${prefix}-id`]: id,
        [`${prefix}-timestamp`]: String(seconds),
        [`${prefix}-signature`]: `v1,${signature}`,
      };
    }
    case 'timestamped': {
      const signature = createHmac('sha256', secret).update(`${seconds}.${rawBody}`, 'utf8').digest('hex');
      return { [PLU_SIMULATOR_TIMESTAMPED_HEADER]: `t=${seconds},v1=${signature}` };
    }
  }
}

export function pluWebhookDeliverer(options: PluSimulatorOptions): WebhookDeliverer {
  const scheme = options.signatureScheme ?? 'x-webhook-signature';
  const now = options.now ?? Date.now;
  return createWebhookDeliverer({
    url: options.webhookUrl,
    sign: (rawBody) => pluSignatureHeaders(scheme, rawBody, now()),
    retryDelaysMs: options.webhookRetryDelaysMs ?? PLU_WEBHOOK_RETRY_DELAYS_MS,
    layout: options.webhookLayout,
  });
}

/** `user.kyc-event` for a decided state (`reason` only on denied, `verificationLink` only on needsVerification). */
export function announcePluUser(context: PluSimulatorContext, user: PluUserRecord): void {
  const status = listedStatus(user.state);
  if (status === 'pending_kyc') return;
  context.deliverer.deliver({
    event: PLU_SIMULATOR_KYC_EVENT,
    timestamp: new Date(context.now()).toISOString(),
    data: {
      serviceId: user.serviceId,
      status,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      ...(status === 'denied' ? { reason: user.reason ?? PLU_SIMULATOR_DENIAL_REASON } : {}),
      ...(status === 'needsVerification' ? { verificationLink: user.verificationUrl } : {}),
    },
  });
}
