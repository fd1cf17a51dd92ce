/** Shared test values and builders (not a test file). Values follow P100's documented examples. */
import * as fc from 'fast-check';
import nock from 'nock';
import { countingObserver } from '@kycport/testing';
import { formatUserRef } from '@kycport/core';
import type { CreateUserInput, UserRef } from '@kycport/core';
import { createP100Provider } from '../src';
import type { P100Config, P100ProviderDependencies } from '../src';

export const BASE_URL = 'https://partner-api-stage.p100.io';
export const API_KEY = 'p100-test-api-key-3f9c1d7e';
export const WEBHOOK_TOKEN = 'p100-test-webhook-token-8a2b4c6d';
export const EXTERNAL_USER_ID = 'f47ac10b-58cc-4372-a567-0e02b23d479';
export const VERIFICATION_ID = '5c0f8a52-7f3e-4d61-9a43-2f4b8e1d6c90';

/** The ref a host sees for a P100 user: `p100:<externalUserId>` (what results, errors and events carry). */
export function p100Ref(externalUserId: string): UserRef {
  return formatUserRef('p100', externalUserId);
}

/** The qualified ref of `EXTERNAL_USER_ID`. */
export const USER_REF = p100Ref(EXTERNAL_USER_ID);

export const hostedOptions = {
  birthCountry: 'PL',
  documentType: 'ID_CARD',
  incomeSource: 'SALARY',
  openAccountReason: 'INVESTMENTS_OR_CRYPTOCURRENCIE',
  occupation: 'IT',
  additionalInfo: 'I am a programmer',
} as const;

export const validInput: CreateUserInput = {
  applicant: {
    externalId: EXTERNAL_USER_ID,
    name: { given: 'Jan', family: 'Kowalski' },
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

/** The same input with another externalId. */
export function inputFor(
  externalId: string,
  providerOptions: Record<string, unknown> = { p100: hostedOptions },
): CreateUserInput {
  return { applicant: { ...validInput.applicant, externalId }, providerOptions };
}

/** A P100 error body with the documented envelope. */
export function errorBody(
  errorCode: string,
  errorName: string | undefined,
  errorMessage: string,
): Record<string, string> {
  return errorName === undefined ? { errorCode, errorMessage } : { errorCode, errorName, errorMessage };
}

export function p100Api(): nock.Scope {
  return nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY } });
}

export function buildProvider(
  config: Partial<P100Config> = {},
  transport: P100ProviderDependencies['transport'] = {},
) {
  const observer = countingObserver();
  const provider = createP100Provider(
    { apiKey: API_KEY, environment: 'staging', webhookToken: WEBHOOK_TOKEN, ...config },
    { observer, transport: { sleep: async () => undefined, ...transport } },
  );
  return { provider, observer };
}

/** 1x1 PNG-sized stand-in bytes. */
export function bytes(size: number, fill = 7): Uint8Array {
  return new Uint8Array(size).fill(fill);
}

/**
 * A jest timeout for a property test that makes requests: the default 20 s at the test command's
 * run count, and `msPerRun` for each run beyond it (`pnpm fuzz` runs 10 000 per property).
 */
export function propertyTimeoutMs(msPerRun: number): number {
  return Math.max(20_000, (fc.readConfigureGlobal().numRuns ?? 100) * msPerRun);
}
