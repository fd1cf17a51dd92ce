/**
 * An optional hook told about every provider call: for metrics and logs. It receives the method,
 * the path template and timings, never headers, bodies, query values or personal data.
 */
import type { KycErrorKind } from './errors';
import type { ProviderId } from './provider-id';

/**
 * One attempt of a provider request, as a `KycObserver` hears of it: method, path template, timing
 * and outcome, never headers, bodies, query values or personal data.
 */
export interface KycCallEvent {
  /** The provider called. */
  readonly provider: ProviderId;
  /** The adapter operation the attempt belongs to, e.g. `createUser` (set by `@kycport/http`). */
  readonly operation?: string;
  /** The host name of the provider's base URL (set by `@kycport/http`; never a path or query). */
  readonly serverAddress?: string;
  /** The port of the provider's base URL, explicit or the scheme's default (set by `@kycport/http`). */
  readonly serverPort?: number;
  /** The HTTP method, e.g. `POST`. */
  readonly method: string;
  /** The path with placeholders, e.g. `/v2/partner/card/users/{serviceId}/retry-kyc`. */
  readonly pathTemplate: string;
  /** 1 for the first try. */
  readonly attempt: number;
  /** How long the attempt took, in milliseconds. */
  readonly durationMs: number;
  /** The HTTP status, when the provider answered. */
  readonly httpStatus?: number;
  /** The provider's request id, when it sent one. */
  readonly requestId?: string;
  /** Whether the attempt succeeded. */
  readonly outcome: 'success' | 'error';
  /** The error's kind, when the attempt failed. */
  readonly errorKind?: KycErrorKind;
  /** Whether the transport will try again after this attempt. */
  readonly willRetry: boolean;
}

/**
 * An optional hook for metrics and logs, passed to adapters (`KycAdapterDependencies.observer`). It
 * must not throw; it sees no personal data.
 */
export interface KycObserver {
  /** Called after every attempt of every provider request, retries included. */
  onCall?(event: KycCallEvent): void;
}

/**
 * `serverAddress` and `serverPort` of a provider base URL for call events
 * (`https://api.example.com/v2` → `api.example.com`, 443): only the host and port, never the
 * path, query or credentials; nothing when it is not an http(s) URL.
 */
export function callServerOf(baseUrl: string): Pick<KycCallEvent, 'serverAddress' | 'serverPort'> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return {};
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return {};
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { serverAddress: url.hostname.replace(/^\[(.*)\]$/, '$1'), serverPort: port };
}
