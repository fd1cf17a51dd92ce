/** Shared helpers of the Plaid simulator tests (not a test file). */
import type { CreateUserInput } from '@kycport/core';
import {
  PLAID_SIMULATOR_CLIENT_ID,
  PLAID_SIMULATOR_SECRET,
  PLAID_SIMULATOR_TEMPLATE_ID,
} from '../../src/plaid';
import { startWebhookRecorder } from '../../src/webhook-recorder';
import type { ReceivedWebhook, WebhookRecorder } from '../../src/webhook-recorder';

export const CREDENTIALS = {
  'PLAID-CLIENT-ID': PLAID_SIMULATOR_CLIENT_ID,
  'PLAID-SECRET': PLAID_SIMULATOR_SECRET,
  'Plaid-Version': '2020-09-14',
} as const;

/** Plaid's sandbox test user Leslie Knope, as a kycport applicant. */
export function leslie(externalId: string): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Leslie', family: 'Knope' },
      email: 'leslie.knope@example.com',
      phone: '+12345678909',
      dateOfBirth: '1975-01-18',
      address: { line1: '123 Main St.', city: 'Pawnee', region: 'IN', postalCode: '46001', country: 'US' },
      idNumber: { type: 'us_ssn_last_4', value: '6789' },
      termsAccepted: true,
    },
  };
}

/** Plaid's sandbox test user Ben Wyatt (passes data source, fails document verification). */
export function ben(externalId: string): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Ben', family: 'Wyatt' },
      phone: '+16667778888',
      dateOfBirth: '1974-03-14',
      address: {
        line1: '620 Worster Ave Apt 101',
        city: 'Sherman Oaks',
        region: 'CA',
        postalCode: '91423',
        country: 'US',
      },
      idNumber: { type: 'us_ssn', value: '111223333' },
      termsAccepted: true,
    },
  };
}

/** A `/identity_verification/create` body for the simulator's template. */
export function createBody(
  clientUserId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    client_user_id: clientUserId,
    template_id: PLAID_SIMULATOR_TEMPLATE_ID,
    is_shareable: true,
    gave_consent: true,
    is_idempotent: true,
    user: {
      email_address: 'leslie.knope@example.com',
      phone_number: '+12345678909',
      date_of_birth: '1975-01-18',
      name: { given_name: 'Leslie', family_name: 'Knope' },
      address: { street: '123 Main St.', city: 'Pawnee', region: 'IN', postal_code: '46001', country: 'US' },
      id_number: { value: '6789', type: 'us_ssn_last_4' },
    },
    ...extra,
  };
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
  readonly json: Record<string, unknown>;
}

/** A POST to the simulator with the test credentials in headers unless `headers` replaces them. */
export async function post(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = CREDENTIALS,
): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: response.status, text, contentType: response.headers.get('content-type') ?? '', json };
}

export type { ReceivedWebhook, WebhookRecorder as Receiver } from '../../src/webhook-recorder';

/** A tiny webhook endpoint on loopback. */
export function startReceiver(): Promise<WebhookRecorder> {
  return startWebhookRecorder('/webhooks/plaid');
}

/** The webhook bodies received, parsed. */
export function bodiesOf(received: ReadonlyArray<ReceivedWebhook>): Array<Record<string, unknown>> {
  return received.map((delivery) => JSON.parse(delivery.rawBody) as Record<string, unknown>);
}
