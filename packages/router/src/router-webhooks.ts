/**
 * Webhooks for several providers. The host mounts one path per provider (`/webhooks/:provider`)
 * and passes the provider with the request; a host with one webhook URL lets the router recognise
 * the provider by its signature headers (`detectProvider`). A delivery for a provider that is not
 * configured, or that no configured provider's headers match, is `webhook_rejected`; the chosen
 * provider's handler then verifies it as usual.
 */
import * as TE from 'fp-ts/TaskEither';
import { getHeader, kycError } from '@kycport/core';
import type { KycError, KycEvent, KycWebhookHandler, ProviderId, WebhookRequest } from '@kycport/core';

export interface RoutedWebhookRequest extends WebhookRequest {
  /** The provider the delivery's path names; absent: recognised by its signature headers. */
  readonly provider?: ProviderId;
}

/**
 * The router's webhook handler. `EventType` is the union of its providers' event names when the
 * router was built from typed providers (`createKycRouter({ providers: [plu, plaid] })`), else `string`.
 */
export interface KycRouterWebhooks<EventType extends string = string> extends KycWebhookHandler<EventType> {
  parseWebhook(request: RoutedWebhookRequest): TE.TaskEither<KycError, KycEvent<EventType>>;
  /** The one configured provider whose signature headers the request carries, if exactly one. */
  detectProvider(headers: WebhookRequest['headers'] | null | undefined): ProviderId | undefined;
}

function rejected(message: string): KycError {
  return kycError('webhook_rejected', {
    provider: 'router',
    message: `router: ${message}`,
    retryable: false,
  });
}

/**
 * The webhook handler over several providers' handlers: a delivery goes to the provider it names
 * or, when it names none, to the one provider whose signature headers it carries; otherwise it is
 * `webhook_rejected`.
 */
export function routerWebhooks<EventType extends string = string>(
  handlers: ReadonlyMap<ProviderId, KycWebhookHandler<EventType>>,
): KycRouterWebhooks<EventType> {
  const detectProvider = (headers: WebhookRequest['headers'] | null | undefined): ProviderId | undefined => {
    const matches = [...handlers.entries()].filter(([, handler]) =>
      (handler.signatureHeaders ?? []).some((name) => getHeader(headers, name) !== undefined),
    );
    return matches.length === 1 ? matches[0]?.[0] : undefined;
  };
  const parseWebhook = (request: RoutedWebhookRequest): TE.TaskEither<KycError, KycEvent<EventType>> => {
    const named = typeof request === 'object' && request !== null ? request.provider : undefined;
    if (named !== undefined) {
      const handler = typeof named === 'string' ? handlers.get(named) : undefined;
      return handler === undefined
        ? TE.left(rejected('the webhook names a provider that is not configured'))
        : handler.parseWebhook(request);
    }
    const detected = detectProvider(request?.headers);
    const handler = detected === undefined ? undefined : handlers.get(detected);
    return handler === undefined
      ? TE.left(
          rejected(
            'no configured provider recognises the webhook headers (mount one path per provider and pass `provider`)',
          ),
        )
      : handler.parseWebhook(request);
  };
  return { provider: 'router', parseWebhook, detectProvider };
}
