/**
 * `kycWebhooks`: a Fastify 5 plugin. The outer plugin (wrapped with `fastify-plugin`) decorates the
 * host instance with `kycWebhooks`; the route and its raw-body content-type parser live in an
 * encapsulated child context, so the host's JSON parsing on every other route is untouched.
 */
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import fp from 'fastify-plugin';
import type { HeaderValue } from '@kycport/core';
import type { TrackedWebhookRequest } from '@kycport/tracker';
import { intakeWebhook, logWebhookAnswer, webhookProviderOf, webhookRouteAnswer } from '@kycport/tracker';
import type { WebhookAnswer, WebhookLogEntry, WebhookTarget } from '@kycport/tracker';

/** Where the route is and how large a body it takes. */
export interface KycWebhookRouteOptions {
  /**
   * The route's path (Fastify syntax). Default `/webhooks/:provider`; a `:provider` parameter names
   * the provider (passed to the tracker, which rejects a delivery whose handler is another
   * provider's). The plugin's `prefix` option applies as usual.
   */
  readonly path?: string;
  /** The largest body taken, in bytes; larger: 413. Default 1 MiB. */
  readonly bodyLimit?: number;
  /**
   * Called once per delivery with only the provider, the outcome and the HTTP status: never a
   * header, body, ref or error message. A logger that throws is ignored.
   */
  readonly log?: (entry: WebhookLogEntry) => void;
}

/**
 * Options of the `kycWebhooks` plugin: the tracker (`{ tracker }`) or a plain webhook handler
 * (`{ webhooks, onEvent }`), and the route options.
 */
export type KycWebhooksPluginOptions = WebhookTarget & KycWebhookRouteOptions;

/** What the plugin decorates the host instance with (`fastify.kycWebhooks`). */
export interface KycWebhooksDecorator {
  /** The route's full path as registered (prefix included). */
  readonly path: string;
  /**
   * Hands a delivery to the tracker (or handler) and says what to answer, as the route does: for a
   * host that takes deliveries elsewhere (a queue). Never rejects.
   */
  handle(request: TrackedWebhookRequest): Promise<WebhookAnswer>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Added by `@kycport/fastify`'s `kycWebhooks` plugin. */
    kycWebhooks: KycWebhooksDecorator;
  }
}

/** Default route path. */
export const DEFAULT_WEBHOOK_PATH = '/webhooks/:provider';
/** Default body size limit (1 MiB). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

const RAW_BODY = Symbol('kycport.rawBody');
type Marked = FastifyRequest & { [RAW_BODY]?: true };

function providerOfRequest(request: FastifyRequest): ReturnType<typeof webhookProviderOf> {
  return webhookProviderOf((request.params as Record<string, unknown> | undefined)?.['provider']);
}

function send(reply: FastifyReply, answer: WebhookAnswer, log: KycWebhookRouteOptions['log']): FastifyReply {
  logWebhookAnswer(log, answer);
  return reply.code(answer.status).type('application/json').send(answer.body);
}

/**
 * Something in front (an Express-style middleware through `@fastify/express` or `@fastify/middie`,
 * a hook) already read the raw stream or put a parsed body on it: the signed bytes are gone.
 */
function consumedInFront(request: FastifyRequest): boolean {
  const raw = request.raw as typeof request.raw & { body?: unknown };
  return raw.body !== undefined || raw.readableEnded;
}

/** The route, its content-type parser and its error handler, in their own encapsulated context. */
function webhookRoutes(options: KycWebhooksPluginOptions): FastifyPluginAsync {
  return async (scope) => {
    const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
      (request as Marked)[RAW_BODY] = true;
      done(null, body);
    });
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const provider = providerOfRequest(request);
      const outcome = error.statusCode === 413 ? 'payload_too_large' : 'bad_request';
      return send(reply, webhookRouteAnswer(outcome, provider), options.log);
    });
    scope.addHook('preParsing', async (request, reply, payload) => {
      if (!consumedInFront(request)) return payload;
      await send(reply, webhookRouteAnswer('configuration_error', providerOfRequest(request)), options.log);
      return payload;
    });
    scope.post(options.path ?? DEFAULT_WEBHOOK_PATH, { bodyLimit }, async (request, reply) => {
      const provider = providerOfRequest(request);
      const body: unknown = request.body;
      if (body !== undefined && !((request as Marked)[RAW_BODY] === true && Buffer.isBuffer(body)))
        return send(reply, webhookRouteAnswer('configuration_error', provider), options.log);
      const delivery: TrackedWebhookRequest = {
        headers: request.headers as Readonly<Record<string, HeaderValue>>,
        rawBody: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
        ...(provider === undefined ? {} : { provider }),
      };
      return send(reply, await intakeWebhook(options, delivery), options.log);
    });
  };
}

async function kycWebhooksPlugin(fastify: FastifyInstance, options: KycWebhooksPluginOptions): Promise<void> {
  const route = options.path ?? DEFAULT_WEBHOOK_PATH;
  fastify.decorate('kycWebhooks', {
    path: `${fastify.prefix}${route}`,
    handle: (request: TrackedWebhookRequest) => intakeWebhook(options, request),
  } satisfies KycWebhooksDecorator);
  await fastify.register(webhookRoutes(options));
}

/**
 * The Fastify 5 plugin for provider webhooks: `POST /webhooks/:provider` (`path`) reads the raw
 * body through a content-type parser of its own (every content type, `bodyLimit`), scoped to the
 * route's encapsulated context so the host's JSON parser keeps every other route, hands it to the
 * tracker (verified, deduplicated, committed before the answer) or to a plain webhook handler, and
 * answers:
 *
 * - 200 `accepted` / `duplicate`; 401 `rejected` (not authentic, or another provider's path);
 * - 503 `retry_later` (the store or a follow-up read failed: the provider re-delivers);
 * - 500 `configuration_error` when something in front consumed the body (an `express.json()`
 *   through `@fastify/express`): the signature is never checked over re-serialized JSON;
 * - 413 above `bodyLimit`, 400 for an unreadable body.
 *
 * Wrapped with `fastify-plugin`, so `fastify.kycWebhooks` is visible to the host.
 * `await app.register(kycWebhooks, { tracker })`.
 */
export const kycWebhooks: FastifyPluginAsync<KycWebhooksPluginOptions> = fp(kycWebhooksPlugin, {
  fastify: '5.x',
  name: '@kycport/fastify',
});
