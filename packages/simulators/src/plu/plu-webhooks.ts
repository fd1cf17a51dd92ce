/**
 * The Plu simulator's webhooks: `user.kyc-event` deliveries signed with `X-Webhook-Signature`
 * (lowercase hex HMAC-SHA256 of the raw body, keyed with the `whsec_...` secret as-is).
 */
import { createHmac } from 'node:crypto';
import { createWebhookDeliverer } from '../webhook-deliverer';
import type { WebhookDeliverer } from '../webhook-deliverer';
import {
  PLU_SIMULATOR_DENIAL_REASON,
  PLU_SIMULATOR_KYC_EVENT,
  PLU_SIMULATOR_SIGNATURE_HEADER,
  PLU_SIMULATOR_WEBHOOK_SECRET,
  PLU_WEBHOOK_RETRY_DELAYS_MS,
} from './plu-settings';
import type { PluSimulatorOptions } from './plu-settings';
import { listedStatus } from './plu-state';
import type { PluSimulatorContext, PluUserRecord } from './plu-state';

export function pluWebhookDeliverer(options: PluSimulatorOptions): WebhookDeliverer {
  return createWebhookDeliverer({
    url: options.webhookUrl,
    sign: (rawBody) => ({
      [PLU_SIMULATOR_SIGNATURE_HEADER]: createHmac('sha256', PLU_SIMULATOR_WEBHOOK_SECRET)
        .update(rawBody, 'utf8')
        .digest('hex'),
    }),
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
