/**
 * Delivers a simulator's webhooks to the host's endpoint, signed the way the provider signs them,
 * and re-delivers on failure with the provider's schedule (scaled down by default so tests and
 * demos do not wait minutes; pass the real delays to reproduce them). The same event can be sent
 * in more than one byte layout (compact or indented JSON), so a receiver that re-serializes the
 * body before checking its signature, or keys on its bytes, fails in tests.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * The byte layout of a delivered body: `compact` (`JSON.stringify(body)`), `indented` (two-space
 * indentation and line breaks) or `alternate` (compact first, then each further attempt of the
 * same event switches layout: compact, indented, compact, ...). Signed over the bytes sent.
 */
export type WebhookLayout = 'compact' | 'indented' | 'alternate';

/** Every webhook body layout. */
export const WEBHOOK_LAYOUTS: ReadonlyArray<WebhookLayout> = ['compact', 'indented', 'alternate'];

/** Whether `value` names a webhook body layout. */
export function isWebhookLayout(value: unknown): value is WebhookLayout {
  return typeof value === 'string' && (WEBHOOK_LAYOUTS as ReadonlyArray<string>).includes(value);
}

/** The bytes of attempt `attemptIndex` (0 = first) of an event in `layout`. */
export function webhookRawBody(body: unknown, layout: WebhookLayout, attemptIndex: number): string {
  const indented = layout === 'indented' || (layout === 'alternate' && attemptIndex % 2 === 1);
  return indented ? JSON.stringify(body, null, 2) : JSON.stringify(body);
}

/** One webhook event a simulator sent (or is sending), with every attempt's status and bytes. */
export interface WebhookDeliveryRecord {
  /** The delivery's id, for `redeliverWebhook`. */
  readonly id: number;
  /** The event as JSON before serialization. */
  readonly body: unknown;
  /** HTTP statuses of the attempts so far (0 = no answer). */
  readonly attempts: number[];
  /** The raw body of each attempt, as sent and signed (same order as `attempts`). */
  readonly rawBodies: string[];
  /** True once an attempt got a 2xx answer. */
  delivered: boolean;
  /** True once every attempt failed. */
  abandoned: boolean;
}

/**
 * Options of `createWebhookDeliverer`: the URL, how to sign a body, the re-delivery schedule, the
 * timeout and the layout.
 */
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
  /** The byte layout of the bodies (default `compact`). */
  readonly layout?: WebhookLayout;
}

/**
 * Sends a simulator's signed webhooks to the host, re-delivering failed ones on a schedule, and
 * records every attempt.
 */
export interface WebhookDeliverer {
  /** Sets where deliveries go; `undefined` stops sending (deliveries are still recorded). */
  setUrl(url: string | undefined): void;
  /** Changes the byte layout of the attempts sent from now on. */
  setLayout(layout: WebhookLayout): void;
  /**
   * Queues a delivery of `body`. With the `compact` or `indented` layout every attempt sends the
   * same bytes; with `alternate`, re-deliveries switch layout (same content, other bytes).
   */
  deliver(body: unknown): WebhookDeliveryRecord;
  /**
   * Sends a recorded event again (a duplicate delivery, as providers that deliver at least once
   * do), with the retry schedule; attempts are appended to the same record. Undefined for an
   * unknown id.
   */
  redeliver(id: number): WebhookDeliveryRecord | undefined;
  /** Every recorded delivery, oldest first. */
  readonly deliveries: ReadonlyArray<WebhookDeliveryRecord>;
  /** Empties `deliveries` (the same array); attempts still pending go on, unrecorded there. */
  forget(): void;
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

/** Waits that `cancelAll` ends at once (so `close` does not leave re-deliveries pending). */
function cancellableWaits() {
  const timers = new Map<NodeJS.Timeout, () => void>();
  return {
    wait: (ms: number): Promise<void> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.set(timer, resolve);
      }),
    cancelAll: (): void => {
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
    },
  };
}

/**
 * Builds a `WebhookDeliverer`: each delivery is POSTed, signed per attempt, and re-sent after each
 * delay of `retryDelaysMs` until a 2xx answer.
 */
export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  let url = options.url;
  let layout: WebhookLayout = options.layout ?? 'compact';
  let nextId = 1;
  let closed = false;
  const deliveries: WebhookDeliveryRecord[] = [];
  const pending = new Set<Promise<void>>();
  const { wait, cancelAll } = cancellableWaits();

  const run = async (record: WebhookDeliveryRecord): Promise<void> => {
    for (let attempt = 0; attempt <= options.retryDelaysMs.length && !closed; attempt += 1) {
      if (attempt > 0) await wait(options.retryDelaysMs[attempt - 1] ?? 0);
      if (closed || !url) return;
      const rawBody = webhookRawBody(record.body, layout, record.attempts.length);
      // Signed per attempt: a signature may carry an issue time (Plaid's JWT `iat`) that must be fresh.
      const headers = await options.sign(rawBody);
      const status = await post(url, rawBody, headers, options.timeoutMs ?? 10_000);
      record.attempts.push(status);
      record.rawBodies.push(rawBody);
      if (status >= 200 && status < 300) {
        record.delivered = true;
        return;
      }
    }
    record.abandoned = !closed;
  };

  const start = (record: WebhookDeliveryRecord): void => {
    const task = run(record).finally(() => pending.delete(task));
    pending.add(task);
  };

  return {
    setUrl: (next) => {
      url = next;
    },
    setLayout: (next) => {
      layout = next;
    },
    deliver: (body) => {
      const record: WebhookDeliveryRecord = {
        id: nextId++,
        body,
        attempts: [],
        rawBodies: [],
        delivered: false,
        abandoned: false,
      };
      deliveries.push(record);
      start(record);
      return record;
    },
    redeliver: (id) => {
      const record = deliveries.find((delivery) => delivery.id === id);
      if (record === undefined) return undefined;
      record.abandoned = false;
      start(record);
      return record;
    },
    deliveries,
    forget: () => {
      deliveries.length = 0;
    },
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: () => {
      closed = true;
      cancelAll();
    },
  };
}
