/** Shared helpers of the Plaid simulator tests (not a test file). */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreateUserInput } from '@kycport/core';
import {
  PLAID_SIMULATOR_CLIENT_ID,
  PLAID_SIMULATOR_SECRET,
  PLAID_SIMULATOR_TEMPLATE_ID,
} from '../../../src/simulators/plaid';

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

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

export interface Receiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Status answered per delivery (default 200). */
  respond: (delivery: ReceivedWebhook) => number | Promise<number>;
  close(): Promise<void>;
}

/** A tiny webhook endpoint on loopback. */
export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const state: { respond: Receiver['respond'] } = { respond: () => 200 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const delivery = { headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8') };
      received.push(delivery);
      void Promise.resolve(state.respond(delivery)).then((status) => {
        response.statusCode = status;
        response.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/plaid`,
    received,
    get respond() {
      return state.respond;
    },
    set respond(next) {
      state.respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The webhook bodies received, parsed. */
export function bodiesOf(received: ReadonlyArray<ReceivedWebhook>): Array<Record<string, unknown>> {
  return received.map((delivery) => JSON.parse(delivery.rawBody) as Record<string, unknown>);
}
