/**
 * Express 5 integration: `kycWebhookRouter` mounts `POST /webhooks/:provider` with its own raw-body
 * parser and hands each delivery to the tracker (or a plain webhook handler), answering 200, 401 or
 * 503 as it says; a body another parser consumed first is a 500 configuration error.
 *
 * @module @kycport/express
 */
export { DEFAULT_BODY_LIMIT, DEFAULT_WEBHOOK_PATH, kycWebhookRouter } from './webhook-router';
export type { KycWebhookRouteOptions, KycWebhookRouterOptions } from './webhook-router';
export { ALREADY_PARSED_MESSAGE } from '@kycport/tracker';
export type {
  PlainWebhookHandler,
  WebhookAnswer,
  WebhookLogEntry,
  WebhookOutcome,
  WebhookTarget,
  WebhookTracker,
} from '@kycport/tracker';
