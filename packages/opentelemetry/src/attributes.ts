/**
 * The attributes of a provider call, as OpenTelemetry's HTTP client semantic conventions name them,
 * built from a `KycCallEvent` alone: method, server, status, path template, error kind and resend
 * count, plus `kyc.provider` and `kyc.operation`. Nothing else of the event is read, so no header,
 * body, query, ref value, request id or personal data can reach a span or a metric.
 */
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ERROR_TYPE_VALUE_OTHER,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';
import { callServerOf } from '@kycport/core';
import type { KycCallEvent } from '@kycport/core';

/**
 * `url.template`: still incubating in the semantic conventions, so it is copied here (their advice)
 * instead of importing the unstable entry point.
 */
export const ATTR_URL_TEMPLATE = 'url.template';

/** The id of the provider called (`plu`, `p100`, `plaid`, or a third-party adapter's id). */
export const ATTR_KYC_PROVIDER = 'kyc.provider';

/** The port operation the call served (`createUser`, `getStatus`...), when the event names it. */
export const ATTR_KYC_OPERATION = 'kyc.operation';

/** Whether the transport tries the request again after this attempt (spans only). */
export const ATTR_KYC_WILL_RETRY = 'kyc.will_retry';

/** Where a provider lives, for `server.address` and `server.port`. */
export interface KycServer {
  /** Host name or IP address, without brackets. */
  readonly address: string;
  /** The port, explicit or the scheme's default. */
  readonly port?: number;
}

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

const OPERATION_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * The server of a provider base URL (`https://api.example.com/v2` → `api.example.com`, 443), or
 * `undefined` when it is not an http(s) URL. Only the host and port are kept.
 */
export function serverOf(baseUrl: string): KycServer | undefined {
  const { serverAddress, serverPort } = callServerOf(baseUrl);
  return serverAddress === undefined ? undefined : { address: serverAddress, port: serverPort };
}

/** The path template without any query or fragment (a template never has one; a value could). */
function templateOf(pathTemplate: string): string {
  const cut = pathTemplate.search(/[?#]/);
  return cut === -1 ? pathTemplate : pathTemplate.slice(0, cut);
}

/** The operation the event names, if it carries one that looks like an operation name. */
export function operationOf(event: KycCallEvent): string | undefined {
  const { operation } = event;
  return typeof operation === 'string' && OPERATION_PATTERN.test(operation) ? operation : undefined;
}

/** The server the event names, else the one configured for its provider. */
function eventServer(event: KycCallEvent, configured: KycServer | undefined): KycServer | undefined {
  const { serverAddress, serverPort } = event;
  if (typeof serverAddress === 'string' && serverAddress !== '') {
    const port = typeof serverPort === 'number' && Number.isInteger(serverPort) ? serverPort : undefined;
    return { address: serverAddress, port };
  }
  return configured;
}

/** The span name the conventions ask for: `{method} {url.template}`. */
export function spanNameOf(event: KycCallEvent): string {
  const method = KNOWN_METHODS.has(event.method.toUpperCase()) ? event.method.toUpperCase() : 'HTTP';
  return `${method} ${templateOf(event.pathTemplate)}`;
}

/**
 * The attributes both the span and the duration measurement carry: method, server, status code,
 * `url.template`, `error.type` (the `KycError` kind) and the kyc ones.
 */
export function callAttributes(event: KycCallEvent, server?: KycServer): Attributes {
  const attributes: Attributes = {};
  const method = event.method.toUpperCase();
  if (KNOWN_METHODS.has(method)) {
    attributes[ATTR_HTTP_REQUEST_METHOD] = method;
  } else {
    attributes[ATTR_HTTP_REQUEST_METHOD] = HTTP_REQUEST_METHOD_VALUE_OTHER;
    attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = event.method;
  }
  const where = eventServer(event, server);
  if (where !== undefined) {
    attributes[ATTR_SERVER_ADDRESS] = where.address;
    if (where.port !== undefined) attributes[ATTR_SERVER_PORT] = where.port;
  }
  if (event.httpStatus !== undefined && Number.isInteger(event.httpStatus)) {
    attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = event.httpStatus;
  }
  attributes[ATTR_URL_TEMPLATE] = templateOf(event.pathTemplate);
  if (event.outcome === 'error') attributes[ATTR_ERROR_TYPE] = event.errorKind ?? ERROR_TYPE_VALUE_OTHER;
  attributes[ATTR_KYC_PROVIDER] = event.provider;
  const operation = operationOf(event);
  if (operation !== undefined) attributes[ATTR_KYC_OPERATION] = operation;
  return attributes;
}

/** The span's attributes: the call's, plus the resend count of a retry and whether one follows. */
export function spanAttributes(event: KycCallEvent, server?: KycServer): Attributes {
  const attributes = callAttributes(event, server);
  if (Number.isInteger(event.attempt) && event.attempt > 1) {
    attributes[ATTR_HTTP_REQUEST_RESEND_COUNT] = event.attempt - 1;
  }
  attributes[ATTR_KYC_WILL_RETRY] = event.willRetry;
  return attributes;
}
