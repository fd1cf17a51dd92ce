/**
 * The observer on real calls: the Plu adapter (built with `createPluProvider` and through
 * `createKycContainer`) against the Plu simulator on loopback, an applicant full of personal data,
 * a create, status reads, a retry of a denied user and a 503 the transport retries. Asserts the
 * spans and metrics the SDK's in-memory exporters received, and that no attribute value holds the
 * applicant's data, the ref, the API key or a request id.
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace } from '@opentelemetry/api';
import type { Either } from 'fp-ts/Either';
import { KYC_TOKENS, readUserRef } from '@kycport/core';
import type { CreateUserInput, KycCallEvent, KycError } from '@kycport/core';
import { createKycContainer, resolveKyc } from '@kycport/container';
import { createPluProvider, pluAdapter } from '@kycport/plu';
import type { PluProvider } from '@kycport/plu';
import { startPluSimulator } from '@kycport/simulators';
import type { PluSimulator } from '@kycport/simulators';
import { combineObservers, createOpenTelemetryObserver } from '../src';
import { attributeTexts, histogramPoints, numericKeys, otelHarness } from './otel-support';
import type { OtelHarness } from './otel-support';

const LIST = '/api/v1/partner/card/users';
const NUMERIC_KEYS = ['http.request.resend_count', 'http.response.status_code', 'server.port'];

const APPLICANT_PII = [
  'Marguerite',
  'Oyelaran-Quist',
  'marguerite.oq@example.org',
  '+14155550123',
  '198.51.100.77',
  '742 Evergreen Terrace',
  'Springfield',
  '62704',
  'host-user-7f3a9c',
  'marguerite.oq+container@example.org',
];

const input = (email: string): CreateUserInput => ({
  applicant: {
    externalId: 'host-user-7f3a9c',
    name: { given: 'Marguerite', family: 'Oyelaran-Quist' },
    email,
    phone: '+14155550123',
    ipAddress: '198.51.100.77',
    address: {
      line1: '742 Evergreen Terrace',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62704',
      country: 'US',
    },
    termsAccepted: true,
  },
  providerOptions: { plu: { program: 'custodial', accountPurpose: 'personal use' } },
});

function right<T>(result: Either<KycError, T>): T {
  if (result._tag === 'Left')
    throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

/** What must never appear in telemetry: the applicant's data, the ref and id, secrets, request ids. */
function forbidden(
  sim: PluSimulator,
  refs: ReadonlyArray<string>,
  events: ReadonlyArray<KycCallEvent>,
): string[] {
  const requestIds = events.flatMap((event) => (event.requestId === undefined ? [] : [event.requestId]));
  const settings = sim.adapterSettings as { apiKey: string; webhookSecret?: string };
  return [
    ...APPLICANT_PII,
    ...refs,
    ...refs.map((ref) => readUserRef(ref).id),
    ...requestIds,
    settings.apiKey,
    ...(settings.webhookSecret === undefined ? [] : [settings.webhookSecret]),
  ];
}

describe('OpenTelemetry observer on the Plu adapter against the Plu simulator', () => {
  let sim: PluSimulator;
  let otel: OtelHarness;
  const contextManager = new AsyncLocalStorageContextManager();

  beforeAll(async () => {
    sim = await startPluSimulator();
    contextManager.enable();
    context.setGlobalContextManager(contextManager);
  });
  afterAll(async () => {
    context.disable();
    await sim.close();
  });
  beforeEach(() => {
    otel = otelHarness();
  });
  afterEach(() => otel.shutdown());

  const observerFor = (events: KycCallEvent[]) =>
    combineObservers(
      createOpenTelemetryObserver({
        tracerProvider: otel.tracerProvider,
        meterProvider: otel.meterProvider,
      }),
      { onCall: (event) => events.push(event) },
    );

  it('createPluProvider(settings, { observer }): one CLIENT span per attempt, under the host span, no personal data', async () => {
    const events: KycCallEvent[] = [];
    const plu: PluProvider = createPluProvider(
      { ...(sim.adapterSettings as { apiKey: string }) },
      { observer: observerFor(events), transport: { sleep: async () => undefined } },
    );
    const host = otel.tracerProvider.getTracer('host');
    const ref = await host.startActiveSpan('onboard', async (parent) => {
      const created = right(await plu.createUser(input('marguerite.oq@example.org'))());
      await sim.completeHostedFlow(readUserRef(created.userRef).id, 'denied');
      sim.injectFault({ method: 'GET', path: LIST, fault: { type: 'status', status: 503 } });
      expect(right(await plu.getStatus(created.userRef)()).state.status).toBe('denied');
      right(await plu.retry(created.userRef)());
      parent.end();
      return created.userRef;
    });
    await plu.close?.();

    const spans = otel.spans().filter((span) => span.instrumentationScope.name === '@kycport/opentelemetry');
    expect(spans.map((span) => span.name)).toEqual(
      events.map((event) => `${event.method} ${event.pathTemplate}`),
    );
    expect(spans.map((span) => span.name)).toEqual(
      expect.arrayContaining([
        'POST /v2/partner/card/users',
        'GET /v1/partner/card/users',
        'POST /v2/partner/card/users/{serviceId}/retry-kyc',
      ]),
    );
    const onboard = otel.spans().find((span) => span.name === 'onboard');
    for (const span of spans) {
      expect(span.parentSpanContext?.spanId).toBe(onboard?.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(onboard?.spanContext().traceId);
    }
    const port = Number(new URL(sim.baseUrl).port);
    const failed = spans.find((span) => span.attributes['http.response.status_code'] === 503);
    expect(failed?.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': port,
      'http.response.status_code': 503,
      'url.template': '/v1/partner/card/users',
      'error.type': 'provider_unavailable',
      'kyc.provider': 'plu',
      'kyc.operation': 'getStatus',
      'kyc.will_retry': true,
    });
    const resent = spans[spans.indexOf(failed!) + 1];
    expect(resent?.attributes).toMatchObject({
      'http.response.status_code': 200,
      'http.request.resend_count': 1,
    });

    const points = histogramPoints(await otel.metric('http.client.request.duration'));
    expect(points.reduce((sum, point) => sum + point.value.count, 0)).toBe(events.length);
    const recorded = await otel.allAttributes();
    expect([...numericKeys(recorded)].sort()).toEqual(NUMERIC_KEYS);
    // The Plu simulator sends no request ids (Plaid's do); the property test covers them.
    const texts = attributeTexts(recorded);
    expect(texts.length).toBeGreaterThan(spans.length);
    for (const secret of forbidden(sim, [ref], events)) {
      expect(texts.filter((text) => text.includes(secret))).toEqual([]);
    }
  });

  it('createKycContainer(config, { observer }): the container-built provider reports the same way', async () => {
    const events: KycCallEvent[] = [];
    const container = createKycContainer(
      { provider: 'plu', plu: sim.adapterSettings },
      { observer: observerFor(events), adapters: [pluAdapter] },
    );
    const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
    const created = await kyc.createUser(input('marguerite.oq+container@example.org'));
    await kyc.getStatus(created.userRef);
    expect(trace.getActiveSpan()).toBeUndefined();
    const spans = otel.spans();
    expect(spans.map((span) => span.name)).toEqual([
      'POST /v2/partner/card/users',
      'GET /v1/partner/card/users',
    ]);
    expect(spans.every((span) => span.parentSpanContext === undefined)).toBe(true);
    expect(spans[0]?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 201,
      'kyc.provider': 'plu',
      'server.address': '127.0.0.1',
    });
    const texts = attributeTexts(await otel.allAttributes());
    for (const secret of forbidden(sim, [created.userRef], events)) {
      expect(texts.filter((text) => text.includes(secret))).toEqual([]);
    }
  });
});
