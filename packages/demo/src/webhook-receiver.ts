/**
 * The host's own webhook endpoint: `POST /webhooks/{provider}`. It hands the raw body and headers
 * to the adapter's handler (which verifies authenticity first), answers 200 for an accepted event
 * and 401 for a rejected one (so a provider re-delivers what failed for a passing reason), drops
 * re-deliveries by `dedupeKey`, and lets the demo wait for the event it expects.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KycException } from '@kycport/core';
import type { KycEvent, PromiseKycWebhookHandler } from '@kycport/core';

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/webhooks/<provider>` */
  urlFor(provider: string): string;
  /** Registers the handler that verifies `provider`'s deliveries. */
  register(provider: string, handler: PromiseKycWebhookHandler, onEvent?: (event: KycEvent) => void): void;
  /** Resolves with the first verified event (past or future) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (event: KycEvent) => boolean, timeoutMs: number): Promise<KycEvent>;
  /** Deliveries the handlers rejected (forged, stale, malformed). */
  readonly rejected: ReadonlyArray<{ provider: string; kind: string }>;
  close(): Promise<void>;
}

type EventListener = (event: KycEvent) => void;

/** Verified events, deduplicated by `dedupeKey`, with waiters for the ones the demo expects. */
function createEventLog() {
  const seen = new Set<string>();
  const events: KycEvent[] = [];
  const waiters: Array<{ predicate: (event: KycEvent) => boolean; resolve: EventListener }> = [];
  const accept = (event: KycEvent, onEvent?: EventListener): void => {
    if (seen.has(event.dedupeKey)) return;
    seen.add(event.dedupeKey);
    events.push(event);
    onEvent?.(event);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(event)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  };
  const waitFor: WebhookReceiver['waitFor'] = (predicate, timeoutMs) => {
    const past = events.find(predicate);
    if (past) {
      events.splice(events.indexOf(past), 1);
      return Promise.resolve(past);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (event: KycEvent) => {
          clearTimeout(timer);
          events.splice(events.indexOf(event), 1);
          resolve(event);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no matching webhook within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };
  return { accept, waitFor };
}

export async function startWebhookReceiver(port = 0): Promise<WebhookReceiver> {
  const handlers = new Map<string, { handler: PromiseKycWebhookHandler; onEvent?: EventListener }>();
  const log = createEventLog();
  const rejected: Array<{ provider: string; kind: string }> = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const provider = /^\/webhooks\/([\w-]+)$/.exec(request.url ?? '')?.[1];
      const entry = provider === undefined || request.method !== 'POST' ? undefined : handlers.get(provider);
      if (!entry || provider === undefined) {
        response.writeHead(404).end();
        return;
      }
      entry.handler.parseWebhook({ headers: request.headers, rawBody: Buffer.concat(chunks) }).then(
        (event) => {
          log.accept(event, entry.onEvent);
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        },
        (error: unknown) => {
          const kind = KycException.isInstance(error) ? error.kind : 'unknown';
          rejected.push({ provider, kind });
          // A retryable rejection (e.g. Plaid's key endpoint was down) asks the provider to re-deliver.
          response.writeHead(KycException.isInstance(error) && error.error.retryable ? 503 : 401).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;

  return {
    urlFor: (provider) => `http://127.0.0.1:${bound}/webhooks/${provider}`,
    register: (provider, handler, onEvent) => {
      handlers.set(provider, { handler, onEvent });
    },
    waitFor: log.waitFor,
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The event that settles an attempt: a verdict carried in the payload, or Plaid's STATUS_UPDATED. */
export function settlesAttempt(event: KycEvent): boolean {
  if (event.stateIncluded)
    return ['approved', 'denied', 'expired', 'canceled', 'in_review'].includes(event.state.status);
  return event.type.endsWith('STATUS_UPDATED');
}
