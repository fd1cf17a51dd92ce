/** Shared helpers of the P100 simulator tests (not a test file). */
import type { CreateUserInput } from '@kycport/core';
import { P100_SIMULATOR_API_KEY } from '../../src/p100';
import { startWebhookRecorder } from '../../src/webhook-recorder';
import type { WebhookRecorder } from '../../src/webhook-recorder';

export const hostedOptions = {
  birthCountry: 'PL',
  documentType: 'ID_CARD',
  incomeSource: 'SALARY',
  openAccountReason: 'INVESTMENTS_OR_CRYPTOCURRENCIE',
  occupation: 'IT',
  additionalInfo: 'I am a programmer',
} as const;

/** A valid applicant (P100's documented example) with the given externalId and family name. */
export function inputFor(externalId: string, family = 'Kowalski'): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Jan', family },
      email: 'jan.kowalski@example.pl',
      phone: '+486012334567',
      dateOfBirth: '1990-05-15',
      address: {
        line1: 'ul. Marszałkowska',
        houseNumber: '123/5',
        city: 'Warszawa',
        postalCode: '00-001',
        country: 'PL',
      },
      nationality: 'PL',
      idNumber: { type: 'national_id', value: '123456789' },
      termsAccepted: true,
    },
    providerOptions: { p100: hostedOptions },
  };
}

/** The Create User Account body the adapter sends for `inputFor`. */
export function createUserBody(externalUserId: string, lastName = 'Kowalski'): Record<string, unknown> {
  return {
    externalUserId,
    hasAcceptedP100Tc: true,
    email: 'jan.kowalski@example.pl',
    phone: '486012334567',
    firstName: 'Jan',
    lastName,
    street: 'ul. Marszałkowska',
    number: '123/5',
    city: 'Warszawa',
    postCode: '00-001',
    country: 'PL',
    citizenship: 'PL',
    nationality: 'PL',
    birthCountry: 'PL',
    birthDate: '1990-05-15',
    userIdentificationNumber: '123456789',
  };
}

export function startVerificationBody(externalUserId: string): Record<string, unknown> {
  return {
    externalUserId,
    documentType: 'ID_CARD',
    country: 'PL',
    incomeSource: 'SALARY',
    openAccountReason: 'INVESTMENTS_OR_CRYPTOCURRENCIE',
    occupation: 'IT',
    additionalInfo: 'I am a programmer',
  };
}

export function documentDataBody(
  externalUserId: string,
  documentNumber = '6I12UQ171A',
): Record<string, unknown> {
  return {
    externalUserId,
    documentType: 'ID_CARD',
    documentNumber,
    documentExpirationDate: '2030-06-11',
    openAccountReason: 'DAILY_USE',
    incomeSource: 'SALARY',
    occupation: 'IT',
    riskLvl: 'LOW',
  };
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
  readonly json: unknown;
}

/** A request to the simulator (with the test API key unless `apiKey` is given; `null` sends none). */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  apiKey: string | null = P100_SIMULATOR_API_KEY,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (apiKey !== null) headers['x-api-key'] = apiKey;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, contentType: response.headers.get('content-type') ?? '', json };
}

export function filesForm(
  files: ReadonlyArray<{ type: string; size: number; name?: string }>,
  field = 'files',
): FormData {
  const form = new FormData();
  files.forEach((file, index) =>
    form.append(
      field,
      new Blob([new Uint8Array(file.size).fill(7)], { type: file.type }),
      file.name ?? `f${index}`,
    ),
  );
  return form;
}

export type { ReceivedWebhook, WebhookRecorder as Receiver } from '../../src/webhook-recorder';

/** A tiny webhook endpoint on loopback. */
export function startReceiver(): Promise<WebhookRecorder> {
  return startWebhookRecorder('/webhooks/p100');
}
