/**
 * `createOpenTelemetryObserver`: a `KycObserver` that records every provider HTTP attempt as a
 * CLIENT span (started `durationMs` before the event arrives, under the active context) and as an
 * `http.client.request.duration` measurement in seconds.
 */
import { SpanKind, SpanStatusCode, context, metrics, trace } from '@opentelemetry/api';
import type { Counter, Histogram, MeterProvider, TracerProvider } from '@opentelemetry/api';
import { METRIC_HTTP_CLIENT_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import type { KycCallEvent, KycObserver, ProviderId } from '@kycport/core';
import { callAttributes, serverOf, spanAttributes, spanNameOf } from './attributes';
import type { KycServer } from './attributes';

/** The instrumentation scope name of the tracer and meter. */
export const KYC_INSTRUMENTATION_NAME = '@kycport/opentelemetry';

/** The instrumentation scope version (this package's version). */
export const KYC_INSTRUMENTATION_VERSION = '0.1.0';

/** The counter of attempts the transport will send again: one per attempt followed by a retry. */
export const METRIC_KYC_CLIENT_REQUEST_RETRIES = 'kyc.client.request.retries';

/** The bucket boundaries the HTTP conventions advise for `http.client.request.duration`, in seconds. */
export const HTTP_DURATION_BUCKETS: ReadonlyArray<number> = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** Options of `createOpenTelemetryObserver`; every one has a default. */
export interface KycOpenTelemetryOptions {
  /** Where spans go; default the global tracer provider (`trace.setGlobalTracerProvider`). */
  readonly tracerProvider?: TracerProvider;
  /** Where measurements go; default the global meter provider. */
  readonly meterProvider?: MeterProvider;
  /** `false` records no spans. Default true. */
  readonly traces?: boolean;
  /** `false` records no metrics. Default true. */
  readonly metrics?: boolean;
  /**
   * Each provider's base URL (e.g. `{ plu: settings.baseUrl }`), for `server.address` and
   * `server.port` of events that do not carry them (adapters on `@kycport/http` do; a third-party
   * adapter's events may not). Only the host and port are read.
   */
  readonly servers?: Readonly<Partial<Record<ProviderId, string>>>;
  /** The clock, in epoch milliseconds; default `performance.timeOrigin + performance.now()`. */
  readonly now?: () => number;
}

/** The instruments and settings the observer works with. */
interface Recorder {
  readonly tracer?: ReturnType<TracerProvider['getTracer']>;
  readonly duration?: Histogram;
  readonly retries?: Counter;
  readonly servers: ReadonlyMap<string, KycServer>;
  readonly now: () => number;
}

function recorderOf(options: KycOpenTelemetryOptions): Recorder {
  const servers = new Map<string, KycServer>();
  for (const [provider, baseUrl] of Object.entries(options.servers ?? {})) {
    const server = baseUrl === undefined ? undefined : serverOf(baseUrl);
    if (server !== undefined) servers.set(provider, server);
  }
  const scope = { version: KYC_INSTRUMENTATION_VERSION };
  const tracer =
    options.traces === false
      ? undefined
      : (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
          KYC_INSTRUMENTATION_NAME,
          scope.version,
        );
  const meter =
    options.metrics === false
      ? undefined
      : (options.meterProvider ?? metrics.getMeterProvider()).getMeter(
          KYC_INSTRUMENTATION_NAME,
          scope.version,
        );
  return {
    tracer,
    duration: meter?.createHistogram(METRIC_HTTP_CLIENT_REQUEST_DURATION, {
      description: 'Duration of HTTP client requests to KYC providers (one per attempt).',
      unit: 's',
      advice: { explicitBucketBoundaries: [...HTTP_DURATION_BUCKETS] },
    }),
    retries: meter?.createCounter(METRIC_KYC_CLIENT_REQUEST_RETRIES, {
      description: 'Attempts of KYC provider requests that the transport sends again.',
      unit: '{retry}',
    }),
    servers,
    now: options.now ?? (() => performance.timeOrigin + performance.now()),
  };
}

function record(recorder: Recorder, event: KycCallEvent): void {
  const server = recorder.servers.get(event.provider);
  const durationMs = Number.isFinite(event.durationMs) && event.durationMs > 0 ? event.durationMs : 0;
  if (recorder.tracer !== undefined) {
    const end = recorder.now();
    const span = recorder.tracer.startSpan(
      spanNameOf(event),
      { kind: SpanKind.CLIENT, startTime: end - durationMs, attributes: spanAttributes(event, server) },
      context.active(),
    );
    if (event.outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(end);
  }
  if (recorder.duration !== undefined || recorder.retries !== undefined) {
    const attributes = callAttributes(event, server);
    recorder.duration?.record(durationMs / 1000, attributes);
    if (event.willRetry) recorder.retries?.add(1, attributes);
  }
}

/**
 * A `KycObserver` that turns provider calls into OpenTelemetry data, following the HTTP client
 * semantic conventions: one CLIENT span per attempt named `{method} {url.template}` (with
 * `http.request.method`, `server.address`/`server.port` when known, `http.response.status_code`,
 * `url.template`, `error.type` = the `KycError` kind, `http.request.resend_count` on retries,
 * `kyc.provider`, `kyc.operation` when the event names it), an `http.client.request.duration`
 * histogram in seconds and a `kyc.client.request.retries` counter. It never records a header,
 * body, query, ref, request id or personal data, and never throws.
 */
export function createOpenTelemetryObserver(options: KycOpenTelemetryOptions = {}): KycObserver {
  const recorder = recorderOf(options);
  return {
    onCall(event: KycCallEvent): void {
      try {
        record(recorder, event);
      } catch {
        // An observer must not throw into the transport; telemetry is best effort.
      }
    },
  };
}
