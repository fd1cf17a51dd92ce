/**
 * The P100 simulator's webhooks: delivered with the Webhook Security Token in `Authorization`, and
 * the KYC status announcement (then, the first time a user is verified, the user status `ACTIVE`).
 */
import { createWebhookDeliverer } from '../webhook-deliverer';
import type { WebhookDeliverer } from '../webhook-deliverer';
import { P100_SIMULATOR_WEBHOOK_TOKEN, P100_WEBHOOK_RETRY_DELAYS_MS } from './p100-settings';
import type { P100SimulatorOptions } from './p100-settings';
import type { P100SimulatorContext, P100UserRecord } from './p100-state';

export function p100WebhookDeliverer(options: P100SimulatorOptions): WebhookDeliverer {
  return createWebhookDeliverer({
    url: options.webhookUrl,
    // P100 sends the Webhook Security Token itself in Authorization (the raw form; no `Bearer`).
    sign: () => ({ authorization: P100_SIMULATOR_WEBHOOK_TOKEN }),
    retryDelaysMs: options.webhookRetryDelaysMs ?? P100_WEBHOOK_RETRY_DELAYS_MS,
    layout: options.webhookLayout,
  });
}

function sendKycStatus(context: P100SimulatorContext, user: P100UserRecord): void {
  if (user.attempt === undefined) return;
  context.deliverer.deliver({
    externalUserId: user.externalUserId,
    verificationStatus: user.status,
    attemptStatus: user.attempt,
    ...(user.rejectionReason !== undefined ? { rejectionReason: user.rejectionReason } : {}),
  });
}

/** The KYC status webhook, then (the first time a user is verified) the user status `ACTIVE`. */
export function announceP100User(context: P100SimulatorContext, user: P100UserRecord): void {
  sendKycStatus(context, user);
  if (user.status === 'VERIFIED' && !user.active) {
    user.active = true;
    context.deliverer.deliver({ externalUserId: user.externalUserId, status: 'ACTIVE' });
  }
}
