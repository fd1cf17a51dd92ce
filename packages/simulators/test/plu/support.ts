/** Shared helpers of the Plu simulator tests (not a test file). */
import { randomUUID } from 'node:crypto';
import type { CreateUserInput } from '@kycport/core';
import { PLU_SIMULATOR_API_KEY } from '../../src/plu';
import { startWebhookRecorder } from '../../src/webhook-recorder';
import type { ReceivedWebhook, WebhookRecorder } from '../../src/webhook-recorder';

/** Plu's documented create-user example, with the given email and last name. */
export function createUserBody(email: string, lastName = 'Doe'): Record<string, unknown> {
  return {
    firstName: 'Jane',
    lastName,
    email,
    phoneNumber: '+14155555555',
    accountPurpose: 'personal use',
    ipAddress: '203.0.113.42',
    isTermsOfServiceAccepted: true,
    program: 'custodial',
    address: '123 Main Street',
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    countryCode: 'US',
  };
}

/** The same applicant in neutral form. */
export function inputFor(email: string, family = 'Doe'): CreateUserInput {
  return {
    applicant: {
      externalId: 'host-user-42',
      name: { given: 'Jane', family },
      email,
      phone: '+14155555555',
      ipAddress: '203.0.113.42',
      address: {
        line1: '123 Main Street',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      termsAccepted: true,
    },
    providerOptions: { plu: { program: 'custodial', accountPurpose: 'personal use' } },
  };
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
  readonly headers: Headers;
  readonly json: unknown;
}

export interface CallOptions {
  readonly body?: unknown;
  /** Default: the simulator's key; `null` sends no Authorization header. */
  readonly apiKey?: string | null;
  /** Default: a fresh UUID on POST; `null` sends none. */
  readonly idempotencyKey?: string | null;
  /** Sent as-is instead of JSON. */
  readonly rawBody?: string;
}

/** A request to the simulator, authenticated as the adapter would be. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const apiKey = options.apiKey === undefined ? PLU_SIMULATOR_API_KEY : options.apiKey;
  if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`;
  if (method === 'POST') {
    const key = options.idempotencyKey === undefined ? randomUUID() : options.idempotencyKey;
    if (key !== null) headers['idempotency-key'] = key;
  }
  let payload: string | undefined;
  if (method !== 'GET') {
    if (options.rawBody !== undefined) payload = options.rawBody;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
  }
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    text,
    contentType: response.headers.get('content-type') ?? '',
    headers: response.headers,
    json,
  };
}

/** Creates a user over HTTP and returns its serviceId. */
export async function createdUser(baseUrl: string, email: string, lastName = 'Doe'): Promise<string> {
  const answer = await call(baseUrl, 'POST', '/api/v2/partner/card/users', {
    body: createUserBody(email, lastName),
  });
  if (answer.status !== 201) throw new Error(`create failed: ${answer.status} ${answer.text}`);
  return (answer.json as { data: { serviceId: string } }).data.serviceId;
}

export type { ReceivedWebhook, WebhookRecorder as Receiver } from '../../src/webhook-recorder';

/** A tiny webhook endpoint on loopback. */
export function startReceiver(): Promise<WebhookRecorder> {
  return startWebhookRecorder('/webhooks/plu');
}

export function bodyOf(delivery: ReceivedWebhook): {
  event: string;
  timestamp: string;
  data: Record<string, unknown>;
} {
  return JSON.parse(delivery.rawBody) as { event: string; timestamp: string; data: Record<string, unknown> };
}
