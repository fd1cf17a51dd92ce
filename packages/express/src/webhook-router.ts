/**
 * `kycWebhookRouter`: an Express 5 router with one route, `POST /webhooks/:provider`, that reads the
 * raw body itself (`express.raw`, size-limited), hands it to the tracker (or a webhook handler) and
 * answers what it says. Mount it before any global body parser.
 */
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { HeaderValue } from '@kycport/core';
import type { TrackedWebhookRequest } from '@kycport/tracker';
import { intakeWebhook, logWebhookAnswer, webhookProviderOf, webhookRouteAnswer } from '@kycport/tracker';
import type { WebhookAnswer, WebhookLogEntry, WebhookTarget } from '@kycport/tracker';

/** Where the route is and how large a body it takes. */
export interface KycWebhookRouteOptions {
  /**
   * The route's path (Express syntax). Default `/webhooks/:provider`; a `:provider` parameter names
   * the provider (passed to the tracker, which rejects a delivery whose handler is another
   * provider's); a path without it leaves the handler to recognise the provider.
   */
  readonly path?: string;
  /** The largest body taken (bytes or an `express.raw` size such as `'256kb'`); larger: 413. Default `'1mb'`. */
  readonly limit?: number | string;
  /**
   * Called once per delivery with only the provider, the outcome and the HTTP status: never a
   * header, body, ref or error message. A logger that throws is ignored.
   */
  readonly log?: (entry: WebhookLogEntry) => void;
}

/**
 * Options of `kycWebhookRouter`: the tracker (`{ tracker }`) or a plain webhook handler
 * (`{ webhooks, onEvent }`), and the route options.
 */
export type KycWebhookRouterOptions = WebhookTarget & KycWebhookRouteOptions;

/** Default route path. */
export const DEFAULT_WEBHOOK_PATH = '/webhooks/:provider';
/** Default body size limit. */
export const DEFAULT_BODY_LIMIT = '1mb';

/** Whether the request announces a body (as `type-is`'s `hasBody`). */
function announcesBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The raw bytes, or `undefined` when another parser got there first: `req.body` already something
 * else than bytes (a global `express.json()`, `text()` or `urlencoded()`), or the stream consumed
 * without setting it. Bytes from a global `express.raw()` are the bytes as received: used as they are.
 */
function rawBodyOf(request: Request): Buffer | undefined {
  const body: unknown = request.body;
  if (Buffer.isBuffer(body)) return body;
  if (body !== undefined) return undefined;
  // Nothing parsed: no body at all (verified as empty), or a stream someone else read.
  return announcesBody(request) ? undefined : Buffer.alloc(0);
}

function send(response: Response, answer: WebhookAnswer, log: KycWebhookRouteOptions['log']): void {
  logWebhookAnswer(log, answer);
  if (response.headersSent) return;
  response.status(answer.status).json(answer.body);
}

/** The route's handler: the answer is always sent; nothing reaches `next` or Express's error handler. */
function webhookHandler(options: KycWebhookRouterOptions): RequestHandler {
  return (request: Request, response: Response): void => {
    const provider = webhookProviderOf(request.params['provider']);
    const raw = rawBodyOf(request);
    if (raw === undefined) {
      send(response, webhookRouteAnswer('configuration_error', provider), options.log);
      return;
    }
    const delivery: TrackedWebhookRequest = {
      headers: request.headers as Readonly<Record<string, HeaderValue>>,
      rawBody: raw,
      ...(provider === undefined ? {} : { provider }),
    };
    intakeWebhook(options, delivery)
      .then((answer) => send(response, answer, options.log))
      .catch(() => {
        if (!response.headersSent) response.status(500).end();
      });
  };
}

/** `express.raw` for every content type, its errors (too large, aborted) answered here, not passed on. */
function rawBodyParser(options: KycWebhookRouterOptions): RequestHandler {
  const parser = express.raw({ type: () => true, limit: options.limit ?? DEFAULT_BODY_LIMIT });
  return (request: Request, response: Response, next: NextFunction): void => {
    // Already read by a parser in front: leave it to `rawBodyOf` (the parser would skip it anyway).
    if (request.readableEnded || request.body !== undefined) {
      next();
      return;
    }
    void parser(request, response, (error?: unknown) => {
      if (error === undefined || error === null) {
        next();
        return;
      }
      const status = (error as { status?: unknown }).status;
      const provider = webhookProviderOf(request.params['provider']);
      send(
        response,
        webhookRouteAnswer(status === 413 ? 'payload_too_large' : 'bad_request', provider),
        options.log,
      );
    });
  };
}

/**
 * An Express 5 router with one route, `POST /webhooks/:provider` (`path`), for provider webhooks:
 * it reads the raw body itself (size-limited), hands it to the tracker (verified, deduplicated,
 * committed before the answer) or to a plain webhook handler, and answers:
 *
 * - 200 `accepted` / `duplicate`; 401 `rejected` (not authentic, or another provider's path);
 * - 503 `retry_later` (the store or a follow-up read failed: the provider re-delivers);
 * - 500 `configuration_error` when another body parser consumed the body first (a global
 *   `express.json()` mounted before this router): the signature is never checked over re-serialized JSON;
 * - 413 above `limit`, 400 for an aborted or undecodable body.
 *
 * It never passes an error to Express. Mount it before any global body parser:
 * `app.use(kycWebhookRouter({ tracker })); app.use(express.json());`.
 */
export function kycWebhookRouter(options: KycWebhookRouterOptions): Router {
  const router = express.Router();
  router.post(options.path ?? DEFAULT_WEBHOOK_PATH, rawBodyParser(options), webhookHandler(options));
  return router;
}
