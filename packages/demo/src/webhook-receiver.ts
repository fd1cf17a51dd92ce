/**
 * The host's own webhook endpoint: `POST /webhooks/{path}`. It hands each delivery (the raw body
 * and headers, and the provider the path names) to the tracker's `ingestWebhook`, which verifies,
 * dedupes, orders or re-reads, and commits before it answers; the endpoint answers the tracker's
 * `httpStatus`: 200 for accepted and duplicate, 401 for rejected (not authentic), 503 for
 * retry-later (the provider re-delivers).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderId } from '@kycport/core';
import type { IngestResult, TrackedWebhookRequest } from '@kycport/tracker';

/** What a path hands its deliveries to (`createDemoTracker(...).intake(provider)`). */
export interface WebhookIntake {
  /** The provider the path names, passed to the tracker with each delivery. */
  readonly provider: ProviderId;
  ingest(request: TrackedWebhookRequest): Promise<IngestResult>;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/webhooks/<path>` */
  urlFor(path: string): string;
  /** Routes `path`'s deliveries to `intake` (a later registration replaces an earlier one). */
  register(path: string, intake: WebhookIntake): void;
  /** What the endpoint answered on `path`, oldest first. */
  answers(path: string): ReadonlyArray<IngestResult>;
  /** Deliveries the tracker rejected as not authentic (forged, stale signature, malformed). */
  readonly rejected: ReadonlyArray<{ provider: string; kind: string }>;
  /** Deliveries answered retry-later (a store or follow-up read was unavailable; the provider re-delivers). */
  readonly retryLater: ReadonlyArray<{ provider: string; kind: string }>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(port = 0): Promise<WebhookReceiver> {
  const intakes = new Map<string, WebhookIntake>();
  const answers = new Map<string, IngestResult[]>();
  const rejected: Array<{ provider: string; kind: string }> = [];
  const retryLater: Array<{ provider: string; kind: string }> = [];

  const answered = (path: string, result: IngestResult): void => {
    answers.set(path, [...(answers.get(path) ?? []), result]);
    if (result.outcome === 'rejected') rejected.push({ provider: path, kind: result.error.kind });
    if (result.outcome === 'retry_later') retryLater.push({ provider: path, kind: result.error.kind });
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = /^\/webhooks\/([\w-]+)$/.exec(request.url ?? '')?.[1];
      const intake = path === undefined || request.method !== 'POST' ? undefined : intakes.get(path);
      if (!intake || path === undefined) {
        response.writeHead(404).end();
        return;
      }
      // The raw body, exactly as received: the signature covers these bytes.
      const delivery = {
        provider: intake.provider,
        headers: request.headers,
        rawBody: Buffer.concat(chunks),
      };
      intake.ingest(delivery).then(
        (result) => {
          answered(path, result);
          response.writeHead(result.httpStatus, { 'content-type': 'application/json' }).end('{}');
        },
        // `ingestWebhook` never rejects; an intake that does asks for a re-delivery all the same.
        () => response.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;

  return {
    urlFor: (path) => `http://127.0.0.1:${bound}/webhooks/${path}`,
    register: (path, intake) => {
      intakes.set(path, intake);
    },
    answers: (path) => answers.get(path) ?? [],
    rejected,
    retryLater,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
