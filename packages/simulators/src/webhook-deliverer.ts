/**
 * Delivers a simulator's webhooks to the host's endpoint, signed the way the provider signs them,
 * and re-delivers on failure with the provider's schedule (scaled down by default so tests and
 * demos do not wait minutes; pass the real delays to reproduce them).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface WebhookDeliveryRecord {
  readonly id: number;
  readonly body: unknown;
  /** HTTP statuses of the attempts so far (0 = no answer). */
  readonly attempts: number[];
  delivered: boolean;
  /** True once every attempt failed. */
  abandoned: boolean;
}

export interface WebhookDelivererOptions {
  /** Where to POST; deliveries are recorded but not sent while unset. */
  readonly url?: string;
  /** Headers that authenticate the raw body (HMAC, token, JWT); called for every attempt. */
  readonly sign: (
    rawBody: string,
  ) => Promise<Readonly<Record<string, string>>> | Readonly<Record<string, string>>;
  /** Delays before each re-delivery; their count is the number of re-deliveries. */
  readonly retryDelaysMs: ReadonlyArray<number>;
  /** How long one delivery waits for an answer (default 10 s, Plaid's documented limit). */
  readonly timeoutMs?: number;
}

export interface WebhookDeliverer {
  setUrl(url: string | undefined): void;
  /** Queues a delivery of `body` (serialized once: re-deliveries send the same bytes). */
  deliver(body: unknown): WebhookDeliveryRecord;
  readonly deliveries: ReadonlyArray<WebhookDeliveryRecord>;
  /** Resolves when no delivery is pending. */
  idle(): Promise<void>;
  /** Cancels pending re-deliveries. */
  close(): void;
}

function post(
  url: string,
  rawBody: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(rawBody),
          ...headers,
        },
        agent: false,
        timeout: timeoutMs,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy());
    outgoing.on('error', () => resolve(0));
    outgoing.end(rawBody);
  });
}

export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  let url = options.url;
  let nextId = 1;
  let closed = false;
  const deliveries: WebhookDeliveryRecord[] = [];
  const pending = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });

  const run = async (record: WebhookDeliveryRecord, rawBody: string): Promise<void> => {
    for (let attempt = 0; attempt <= options.retryDelaysMs.length && !closed; attempt += 1) {
      if (attempt > 0) await wait(options.retryDelaysMs[attempt - 1] ?? 0);
      if (closed || !url) return;
      // Signed per attempt: a signature may carry an issue time (Plaid's JWT `iat`) that must be fresh.
      const headers = await options.sign(rawBody);
      const status = await post(url, rawBody, headers, options.timeoutMs ?? 10_000);
      record.attempts.push(status);
      if (status >= 200 && status < 300) {
        record.delivered = true;
        return;
      }
    }
    record.abandoned = !closed;
  };

  return {
    setUrl: (next) => {
      url = next;
    },
    deliver: (body) => {
      const record: WebhookDeliveryRecord = {
        id: nextId++,
        body,
        attempts: [],
        delivered: false,
        abandoned: false,
      };
      deliveries.push(record);
      const task = run(record, JSON.stringify(body)).finally(() => pending.delete(task));
      pending.add(task);
      return record;
    },
    deliveries,
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: () => {
      closed = true;
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
    },
  };
}
