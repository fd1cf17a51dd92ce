/**
 * An optional hook told about every provider call: for metrics and logs. It receives the method,
 * the path template and timings, never headers, bodies, query values or personal data.
 */
import type { KycErrorKind } from './errors';
import type { ProviderId } from './provider-id';

export interface KycCallEvent {
  readonly provider: ProviderId;
  readonly method: string;
  /** The path with placeholders, e.g. `/v2/partner/card/users/{serviceId}/retry-kyc`. */
  readonly pathTemplate: string;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly durationMs: number;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly outcome: 'success' | 'error';
  readonly errorKind?: KycErrorKind;
  /** Whether the transport will try again after this attempt. */
  readonly willRetry: boolean;
}

export interface KycObserver {
  onCall?(event: KycCallEvent): void;
}
