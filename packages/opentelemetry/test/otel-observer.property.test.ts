/**
 * Over arbitrary call events: the observer's attributes use only the convention's keys and the kyc
 * ones, each value is derived from the event's method, template, status, error kind, provider and
 * attempt alone; the request id, a query or fragment never reaches a span or a metric; nothing
 * throws. `combineObservers` tells every observer even when one throws.
 */
import fc from 'fast-check';
import type { KycCallEvent, KycErrorKind } from '@kycport/core';
import { callAttributes, combineObservers, createOpenTelemetryObserver, spanAttributes } from '../src';
import { attributeTexts, otelHarness } from './otel-support';

const KINDS: ReadonlyArray<KycErrorKind> = [
  'validation',
  'unauthorized',
  'not_found',
  'rate_limited',
  'provider_unavailable',
  'timeout',
  'unexpected_response',
];

const ALLOWED_KEYS = new Set([
  'http.request.method',
  'http.request.method_original',
  'server.address',
  'server.port',
  'http.response.status_code',
  'url.template',
  'error.type',
  'http.request.resend_count',
  'kyc.provider',
  'kyc.operation',
  'kyc.will_retry',
]);

/** A marker no other field can contain: request ids, queries and fragments carry it. */
const SECRET = 'PII\u2603';

const segment = fc.oneof(
  fc.constantFrom('{serviceId}', '{externalUserId}', 'users', 'v2'),
  fc.stringMatching(/^[a-z_]{1,8}$/),
);

const events: fc.Arbitrary<KycCallEvent> = fc.record(
  {
    provider: fc.constantFrom('plu', 'p100', 'plaid', 'acme-kyc'),
    method: fc.constantFrom('GET', 'POST', 'put', 'DELETE', 'PURGE'),
    pathTemplate: fc
      .tuple(fc.array(segment, { maxLength: 5 }), fc.constantFrom('', `?email=${SECRET}`, `#${SECRET}`))
      .map(([parts, tail]) => `/${parts.join('/')}${tail}`),
    attempt: fc.integer({ min: 1, max: 6 }),
    durationMs: fc.oneof(
      fc.double({ min: 0, max: 120_000, noNaN: true }),
      fc.constant(-1),
      fc.constant(Number.NaN),
    ),
    httpStatus: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
    requestId: fc.option(
      fc.string().map((text) => `${SECRET}${text}`),
      { nil: undefined },
    ),
    outcome: fc.constantFrom('success' as const, 'error' as const),
    errorKind: fc.option(fc.constantFrom(...KINDS), { nil: undefined }),
    willRetry: fc.boolean(),
  },
  { requiredKeys: ['provider', 'method', 'pathTemplate', 'attempt', 'durationMs', 'outcome', 'willRetry'] },
);

describe('OpenTelemetry attributes over arbitrary events', () => {
  it('use only the allowed keys, derive each value from the event, and never carry the request id, a query or a fragment', () => {
    fc.assert(
      fc.property(events, (event) => {
        const span = spanAttributes(event, { address: 'api.example.com', port: 443 });
        const metric = callAttributes(event, { address: 'api.example.com', port: 443 });
        for (const key of Object.keys(span)) expect(ALLOWED_KEYS.has(key)).toBe(true);
        expect(Object.keys(metric).every((key) => key in span)).toBe(true);
        expect(metric).not.toHaveProperty('http.request.resend_count');
        expect(attributeTexts([span, metric]).some((text) => text.includes(SECRET))).toBe(false);
        expect(span['url.template']).toBe(event.pathTemplate.split(/[?#]/)[0]);
        expect(span['kyc.provider']).toBe(event.provider);
        expect(span['http.response.status_code']).toBe(event.httpStatus);
        expect(span['error.type']).toBe(
          event.outcome === 'error' ? (event.errorKind ?? '_OTHER') : undefined,
        );
        expect(span['http.request.resend_count']).toBe(event.attempt > 1 ? event.attempt - 1 : undefined);
      }),
    );
  });

  it('the observer records one span and one duration point per event and never throws', async () => {
    const otel = otelHarness();
    const heard: KycCallEvent[] = [];
    const observer = combineObservers(
      {
        onCall: () => {
          throw new Error('a broken host observer');
        },
      },
      undefined,
      createOpenTelemetryObserver({ tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider }),
      { onCall: (event) => heard.push(event) },
    );
    const sample = fc.sample(events, { numRuns: 200, seed: 16 });
    for (const event of sample) expect(() => observer.onCall?.(event)).not.toThrow();
    expect(heard).toEqual(sample);
    expect(otel.spans()).toHaveLength(sample.length);
    const recorded = await otel.allAttributes();
    expect(attributeTexts(recorded).some((text) => text.includes(SECRET))).toBe(false);
    for (const span of otel.spans()) {
      const [seconds, nanos] = span.duration;
      expect(seconds * 1000 + nanos / 1e6).toBeGreaterThanOrEqual(0);
    }
    await otel.shutdown();
  });
});
