/**
 * The calls the matrix makes, per provider: a valid applicant (each provider's own documented
 * example or sandbox test user, copied from the adapters' tests), and the options of retry and
 * submitVerification. Every call carries the matrix's short `timeoutMs`.
 */
import type { CreateUserInput, RetryOptions, SubmitVerificationInput, VerificationFile } from '@kycport/core';
import { CALL_TIMEOUT_MS } from './matrix-model';
import type { ProviderName } from './matrix-model';

export const CALL_OPTIONS = { timeoutMs: CALL_TIMEOUT_MS } as const;

/** Plu's documented create-user example (https://docs.getplu.com/api-reference/users/create-user). */
function pluInput(id: string): CreateUserInput {
  return {
    applicant: {
      externalId: id,
      name: { given: 'Jane', family: 'Doe' },
      email: `${id}@example.com`,
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

/** The fields of P100's hosted verification (P100's documented Creating KYC Verification example). */
const P100_HOSTED_OPTIONS = {
  birthCountry: 'PL',
  documentType: 'ID_CARD',
  incomeSource: 'SALARY',
  openAccountReason: 'INVESTMENTS_OR_CRYPTOCURRENCIE',
  occupation: 'IT',
  additionalInfo: 'I am a programmer',
} as const;

/** P100's documented Create User Account example. */
function p100Input(id: string): CreateUserInput {
  return {
    applicant: {
      externalId: id,
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
    providerOptions: { p100: P100_HOSTED_OPTIONS },
  };
}

/** Plaid's sandbox test user Leslie Knope. */
function plaidInput(id: string): CreateUserInput {
  return {
    applicant: {
      externalId: id,
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

export const CREATE_INPUTS: Record<ProviderName, (id: string) => CreateUserInput> = {
  plu: pluInput,
  p100: p100Input,
  plaid: plaidInput,
};

/** Plu: `auto` (Plu picks the path). P100: `auto` (a new hosted verification). Plaid: `restart` (reset). */
export const RETRY_OPTIONS: Record<ProviderName, RetryOptions> = {
  plu: { ...CALL_OPTIONS },
  p100: {
    ...CALL_OPTIONS,
    strategy: { kind: 'auto' },
    providerOptions: { p100: { ...P100_HOSTED_OPTIONS, country: 'PL' } },
  },
  plaid: { ...CALL_OPTIONS, strategy: { kind: 'restart' } },
};

const image = (purpose: VerificationFile['purpose']): VerificationFile => ({
  purpose,
  fileName: `${purpose}.jpg`,
  contentType: 'image/jpeg',
  data: new Uint8Array(32).fill(1),
});

/**
 * P100 Method A in one call: the passport images (Add KYC File), then the document data (Add User
 * Verification, which sends them to review: one attempt). Plu and Plaid refuse it (`unsupported`).
 */
export function submitInput(id: string): SubmitVerificationInput {
  return {
    document: { type: 'passport', number: `DOC-${id}`, expirationDate: '2031-06-11' },
    files: [image('document_front'), image('selfie')],
    providerOptions: {
      p100: { openAccountReason: 'DAILY_USE', incomeSource: 'SALARY', occupation: 'IT', riskLvl: 'LOW' },
    },
  };
}
