/**
 * `createOpenTelemetryObserver` on hand-made call events, read back through the SDK's in-memory
 * exporters: span name, kind, timing and attributes as the HTTP client conventions name them, the
 * duration histogram in seconds, the retry counter, the options, and that it never throws.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/api';
import type { KycCallEvent, KycObserver } from '@kycport/core';
import {
  HTTP_DURATION_BUCKETS,
  KYC_INSTRUMENTATION_NAME,
  KYC_INSTRUMENTATION_VERSION,
  METRIC_KYC_CLIENT_REQUEST_RETRIES,
  createOpenTelemetryObserver,
  serverOf,
} from '../src';
import { histogramPoints, otelHarness } from './otel-support';
import type { OtelHarness } from './otel-support';

const DURATION = 'http.client.request.duration';

/** An SDK `[seconds, nanoseconds]` time in epoch milliseconds. */
const hrTimeToMilliseconds = ([seconds, nanos]: readonly [number, number]): number =>
  seconds * 1000 + nanos / 1e6;

const base: KycCallEvent = {
  provider: 'plu',
  method: 'POST',
  pathTemplate: '/v2/partner/card/users/{serviceId}/retry-kyc',
  attempt: 1,
  durationMs: 250,
  httpStatus: 200,
  requestId: 'req_secretish_123',
  outcome: 'success',
  willRetry: false,
};

describe('createOpenTelemetryObserver', () => {
  const NOW = 1_700_000_000_000;
  let otel: OtelHarness;
  let observer: KycObserver;
  beforeEach(() => {
    otel = otelHarness();
    observer = createOpenTelemetryObserver({
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
      servers: { plu: 'https://api.example.com:8443/api' },
      now: () => NOW,
    });
  });
  afterEach(() => otel.shutdown());

  it('records a CLIENT span per attempt, ending now and starting durationMs earlier', () => {
    observer.onCall?.(base);
    const [span, ...rest] = otel.spans();
    expect(rest).toHaveLength(0);
    expect(span?.name).toBe('POST /v2/partner/card/users/{serviceId}/retry-kyc');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.instrumentationScope).toMatchObject({
      name: KYC_INSTRUMENTATION_NAME,
      version: KYC_INSTRUMENTATION_VERSION,
    });
    expect(hrTimeToMilliseconds(span!.endTime)).toBe(NOW);
    expect(hrTimeToMilliseconds(span!.startTime)).toBe(NOW - 250);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': 'api.example.com',
      'server.port': 8443,
      'http.response.status_code': 200,
      'url.template': '/v2/partner/card/users/{serviceId}/retry-kyc',
      'kyc.provider': 'plu',
      'kyc.will_retry': false,
    });
  });

  it('marks a failed attempt: error.type is the KycError kind, status ERROR, resend count on a retry', () => {
    observer.onCall?.({
      ...base,
      method: 'get',
      httpStatus: 503,
      outcome: 'error',
      errorKind: 'provider_unavailable',
      willRetry: true,
    });
    observer.onCall?.({
      ...base,
      method: 'get',
      attempt: 2,
      httpStatus: undefined,
      outcome: 'error',
      errorKind: 'timeout',
      willRetry: true,
    });
    observer.onCall?.({ ...base, method: 'get', attempt: 3 });
    const [first, second, third] = otel.spans();
    expect(first?.status.code).toBe(SpanStatusCode.ERROR);
    expect(first?.status.message).toBeUndefined();
    expect(first?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 503,
      'error.type': 'provider_unavailable',
      'kyc.will_retry': true,
    });
    expect(first?.attributes).not.toHaveProperty('http.request.resend_count');
    expect(second?.attributes).toMatchObject({ 'error.type': 'timeout', 'http.request.resend_count': 1 });
    expect(second?.attributes).not.toHaveProperty('http.response.status_code');
    expect(third?.attributes).toMatchObject({ 'http.request.resend_count': 2, 'kyc.will_retry': false });
    expect(third?.attributes).not.toHaveProperty('error.type');
  });

  it('records http.client.request.duration in seconds with the advised buckets, and counts retries', async () => {
    observer.onCall?.({ ...base, durationMs: 250 });
    observer.onCall?.({ ...base, durationMs: 1500 });
    observer.onCall?.({
      ...base,
      httpStatus: 503,
      outcome: 'error',
      errorKind: 'provider_unavailable',
      willRetry: true,
    });
    const duration = await otel.metric(DURATION);
    expect(duration?.descriptor).toMatchObject({ unit: 's' });
    const points = histogramPoints(duration);
    const ok = points.find((point) => point.attributes['http.response.status_code'] === 200);
    expect(ok?.value.count).toBe(2);
    expect(ok?.value.sum).toBeCloseTo(1.75, 6);
    expect(ok?.value.buckets.boundaries).toEqual(HTTP_DURATION_BUCKETS);
    expect(ok?.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': 'api.example.com',
      'server.port': 8443,
      'http.response.status_code': 200,
      'url.template': '/v2/partner/card/users/{serviceId}/retry-kyc',
      'kyc.provider': 'plu',
    });
    const failed = points.find((point) => point.attributes['error.type'] === 'provider_unavailable');
    expect(failed?.value.count).toBe(1);
    const retries = await otel.metric(METRIC_KYC_CLIENT_REQUEST_RETRIES);
    expect(retries?.dataPoints.map((point) => [point.value, point.attributes['error.type']])).toEqual([
      [1, 'provider_unavailable'],
    ]);
  });

  it('never records the request id, a query or a fragment; reads kyc.operation and the server when an event carries them', () => {
    const extended = {
      ...base,
      pathTemplate: '/v1/users?email=jane@example.com#x',
      operation: 'getStatus',
      serverAddress: 'plu.test',
      serverPort: 9,
    };
    observer.onCall?.(extended);
    const [span] = otel.spans();
    expect(span?.name).toBe('POST /v1/users');
    expect(span?.attributes).toMatchObject({
      'url.template': '/v1/users',
      'kyc.operation': 'getStatus',
      'server.address': 'plu.test',
      'server.port': 9,
    });
    expect(JSON.stringify(span?.attributes)).not.toMatch(/req_secretish|jane|email/);
  });

  it('maps unknown methods to _OTHER, and leaves the server out for a provider with no base URL', () => {
    observer.onCall?.({ ...base, provider: 'plaid', method: 'PURGE' });
    const [span] = otel.spans();
    expect(span?.name).toBe('HTTP /v2/partner/card/users/{serviceId}/retry-kyc');
    expect(span?.attributes).toMatchObject({
      'http.request.method': '_OTHER',
      'http.request.method_original': 'PURGE',
    });
    expect(span?.attributes).not.toHaveProperty('server.address');
  });

  it('records only what is switched on, and never throws, even when the SDK does', async () => {
    const tracesOnly = createOpenTelemetryObserver({
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
      metrics: false,
    });
    tracesOnly.onCall?.(base);
    expect(otel.spans()).toHaveLength(1);
    expect(histogramPoints(await otel.metric(DURATION))).toHaveLength(0);
    const broken: TracerProvider = {
      getTracer: () => {
        throw new Error('SDK down');
      },
    };
    expect(() => createOpenTelemetryObserver({ tracerProvider: broken })).toThrow('SDK down');
    const throwing: TracerProvider = {
      getTracer: () => ({
        startSpan: () => {
          throw new Error('exporter down');
        },
        startActiveSpan: () => {
          throw new Error('exporter down');
        },
      }),
    };
    const guarded = createOpenTelemetryObserver({ tracerProvider: throwing, metrics: false });
    expect(() => guarded.onCall?.(base)).not.toThrow();
  });

  it('reads host and port from base URLs; nothing else', () => {
    expect(serverOf('https://user:pw@api.example.com/v2?key=1')).toEqual({
      address: 'api.example.com',
      port: 443,
    });
    expect(serverOf('http://127.0.0.1:4010/api')).toEqual({ address: '127.0.0.1', port: 4010 });
    expect(serverOf('http://[::1]/')).toEqual({ address: '::1', port: 80 });
    expect(serverOf('ftp://example.com')).toBeUndefined();
    expect(serverOf('not a url')).toBeUndefined();
  });

  it('names its version as package.json does', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(KYC_INSTRUMENTATION_VERSION).toBe(manifest.version);
  });
});
