/**
 * A webhook endpoint for tests: records every delivery (headers and raw body) and answers with the
 * status `respond` returns, so a test can make deliveries fail and watch a simulator re-deliver.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

export interface WebhookRecorder {
  /** `http://127.0.0.1:<port><path>` */
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Status answered per delivery (default 200). */
  respond: (delivery: ReceivedWebhook) => number | Promise<number>;
  close(): Promise<void>;
}

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
