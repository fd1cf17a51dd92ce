/**
 * Fastify 5 integration: the `kycWebhooks` plugin mounts `POST /webhooks/:provider` with a raw-body
 * content-type parser scoped to its own context and hands each delivery to the tracker (or a plain
 * webhook handler), answering 200, 401 or 503 as it says; a body consumed in front is a 500
 * configuration error.
 *
 * @module @kycport/fastify
 */
export { DEFAULT_BODY_LIMIT, DEFAULT_WEBHOOK_PATH, kycWebhooks } from './webhook-plugin';
export type {
  KycWebhookRouteOptions,
  KycWebhooksDecorator,
  KycWebhooksPluginOptions,
} from './webhook-plugin';
export { ALREADY_PARSED_MESSAGE } from '@kycport/tracker';
export type {
  PlainWebhookHandler,
  WebhookAnswer,
  WebhookLogEntry,
  WebhookOutcome,
  WebhookTarget,
  WebhookTracker,
} from '@kycport/tracker';
