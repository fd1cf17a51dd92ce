/**
 * A webhook endpoint for tests: records every delivery (headers and raw body) and answers with the
 * status `respond` returns, so a test can make deliveries fail and watch a simulator re-deliver.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook delivery the recorder received. */
export interface ReceivedWebhook {
  /** The request headers (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** The body as received, as UTF-8 text. */
  readonly rawBody: string;
}

/**
 * A loopback HTTP endpoint that records webhook deliveries and answers them with a status the test
 * chooses.
 */
export interface WebhookRecorder {
  /** `http://127.0.0.1:<port><path>` */
  readonly url: string;
  /** Every delivery received, in order. */
  readonly received: ReceivedWebhook[];
  /** Status answered per delivery (default 200). */
  respond: (delivery: ReceivedWebhook) => number | Promise<number>;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a `WebhookRecorder` on a free loopback port; point a simulator's webhook URL at its `url`.
 */
export async function startWebhookRecorder(path = '/webhooks'): Promise<WebhookRecorder> {
  const received: ReceivedWebhook[] = [];
  const state: { respond: WebhookRecorder['respond'] } = { respond: () => 200 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const delivery = { headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8') };
      received.push(delivery);
      void Promise.resolve(state.respond(delivery)).then((status) => {
        response.statusCode = status;
        response.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    get respond() {
      return state.respond;
    },
    set respond(next) {
      state.respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
