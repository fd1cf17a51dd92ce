/** The demo's applicant: one neutral input with every provider's options, so any provider can be selected. */
import type { CreateUserInput, RetryOptions } from '@kycport/core';
import type { P100SimulatorOptions } from '@kycport/simulators';

const P100_VERIFICATION = {
  documentType: 'ID_CARD',
  country: 'US',
  incomeSource: 'SALARY',
  occupation: 'IT',
  additionalInfo: 'Software engineer',
  openAccountReason: 'DAILY_USE',
} as const;

export function demoApplicant(provider: string, unique: string): CreateUserInput {
  return {
    applicant: {
      externalId: `demo-${provider}-${unique}`,
      name: { given: 'Jane', family: 'Doe' },
      email: `jane.${unique}@example.com`,
      phone: '+14155555555',
      dateOfBirth: '1990-05-15',
      address: {
        line1: '123 Main Street',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      nationality: 'US',
      ipAddress: '203.0.113.42',
      idNumber: { type: 'us_ssn', value: '123456789' },
      termsAccepted: true,
    },
    providerOptions: {
      plu: { program: 'custodial', accountPurpose: 'personal use' },
      p100: { ...P100_VERIFICATION, birthCountry: 'US' },
      plaid: {},
    },
  };
}

/** P100's adapter keeps no state, so a retry carries the verification fields again. */
export function demoRetryOptions(): RetryOptions {
  return { strategy: { kind: 'auto' }, providerOptions: { p100: P100_VERIFICATION } };
}

/**
 * The demo's simulator options. P100's simulator follows Method B with the document data step by
 * default (docs/simulators/p100.md); the demo's host walks every provider the same way (hosted flow,
 * webhook, getStatus), so it runs P100's variant that verifies on the accepted capture. The data
 * step is shown in the P100 adapter's integration tests.
 */
export function demoSimulatorOptions(provider: string): P100SimulatorOptions {
  return provider === 'p100' ? { requireDocumentData: false } : {};
}
