/**
 * The OpenTelemetry SDK 2.x wired to in-memory exporters, as a host would wire its own SDK: a tracer
 * provider with `InMemorySpanExporter` and a meter provider whose periodic reader exports into an
 * `InMemoryMetricExporter` when flushed (not a test file).
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** The SDK pieces a test reads back. */
export interface OtelHarness {
  readonly tracerProvider: BasicTracerProvider;
  readonly meterProvider: MeterProvider;
  /** The spans ended so far. */
  spans(): ReadonlyArray<ReadableSpan>;
  /** Flushes the reader and answers the named metric's data (cumulative), if recorded. */
  metric(name: string): Promise<MetricData | undefined>;
  /** Every attribute set of every span and metric data point recorded so far. */
  allAttributes(): Promise<ReadonlyArray<Attributes>>;
  reset(): void;
  shutdown(): Promise<void>;
}

/** A tracer provider and a meter provider over in-memory exporters. */
export function otelHarness(): OtelHarness {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const collected = async (): Promise<ReadonlyArray<MetricData>> => {
    await reader.forceFlush();
    const exports = metricExporter.getMetrics();
    const last = exports[exports.length - 1];
    return last === undefined ? [] : last.scopeMetrics.flatMap((scope) => scope.metrics);
  };
  return {
    tracerProvider,
    meterProvider,
    spans: () => spanExporter.getFinishedSpans(),
    metric: async (name) => (await collected()).find((data) => data.descriptor.name === name),
    allAttributes: async () => [
      ...spanExporter.getFinishedSpans().map((span) => span.attributes),
      ...(await collected()).flatMap((data) =>
        (data.dataPoints as ReadonlyArray<DataPoint<unknown>>).map((point) => point.attributes),
      ),
    ],
    reset: () => {
      spanExporter.reset();
      metricExporter.reset();
    },
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The histogram points of a metric. */
export function histogramPoints(data: MetricData | undefined): ReadonlyArray<DataPoint<Histogram>> {
  return (data?.dataPoints ?? []) as ReadonlyArray<DataPoint<Histogram>>;
}

/**
 * Every text attribute value (arrays joined), for "contains no personal data" checks. Numbers are
 * left out (a random loopback port may equal a postal code); `numericKeys` lists the keys allowed
 * to hold one.
 */
export function attributeTexts(sets: ReadonlyArray<Attributes>): ReadonlyArray<string> {
  const text = (value: AttributeValue | undefined): string =>
    Array.isArray(value) ? value.map(String).join(' ') : String(value);
  return sets.flatMap((attributes) =>
    Object.entries(attributes)
      .filter(([, value]) => typeof value !== 'number')
      .map(([key, value]) => `${key}=${text(value)}`),
  );
}

/** The attribute keys that hold numbers: status code, port, resend count. */
export function numericKeys(sets: ReadonlyArray<Attributes>): ReadonlySet<string> {
  return new Set(
    sets.flatMap((attributes) =>
      Object.entries(attributes)
        .filter(([, value]) => typeof value === 'number')
        .map(([key]) => key),
    ),
  );
}
