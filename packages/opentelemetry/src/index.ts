/**
 * OpenTelemetry for kycport: a `KycObserver` that turns every provider HTTP attempt into a CLIENT
 * span and an `http.client.request.duration` measurement following the HTTP client semantic
 * conventions, plus `combineObservers` to keep an existing observer next to it.
 *
 * @module @kycport/opentelemetry
 */
export {
  ATTR_KYC_OPERATION,
  ATTR_KYC_PROVIDER,
  ATTR_KYC_WILL_RETRY,
  ATTR_URL_TEMPLATE,
  callAttributes,
  serverOf,
  spanAttributes,
  spanNameOf,
} from './attributes';
export type { KycServer } from './attributes';
export { combineObservers } from './combine-observers';
export {
  HTTP_DURATION_BUCKETS,
  KYC_INSTRUMENTATION_NAME,
  KYC_INSTRUMENTATION_VERSION,
  METRIC_KYC_CLIENT_REQUEST_RETRIES,
  createOpenTelemetryObserver,
} from './otel-observer';
export type { KycOpenTelemetryOptions } from './otel-observer';
