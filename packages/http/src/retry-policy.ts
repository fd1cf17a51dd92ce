/** When and how long the transport waits before trying a call again. */

export interface RetryPolicy {
  /** Retries after the first try (0 disables retrying). */
  readonly maxRetries: number;
  /** First backoff delay; doubles on each retry. */
  readonly baseDelayMs: number;
  /** Upper bound of one backoff delay. */
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the `rate_limited` error is returned instead. */
  readonly maxRetryAfterMs: number;
}

/**
 * The transport's retry policy unless a client overrides it: 2 retries, backoff from 250 ms to 4 s,
 * a `Retry-After` of up to 10 s honoured.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
};

/**
 * Exponential backoff with "equal jitter": half the exponential delay plus a random share of the
 * other half, so retries from many clients spread out but never collapse to zero.
 */
export function backoffDelayMs(policy: RetryPolicy, retryNumber: number, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** `Retry-After` as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(
  value: string | undefined,
  now: () => number = Date.now,
): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}

/** Resolves after `ms`, or rejects early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
