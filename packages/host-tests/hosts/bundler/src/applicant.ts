// The applicant the bundler-resolution hosts send.
import type { CreateUserInput } from '@kycport/core';

export function applicant(externalId: string): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Jane', family: 'Doe' },
      email: `jane.doe+${externalId}@example.com`,
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
      termsAccepted: true,
    },
    providerOptions: {
      plu: { program: 'custodial', accountPurpose: 'personal use' },
      p100: {
        documentType: 'ID_CARD',
        incomeSource: 'SALARY',
        occupation: 'IT',
        additionalInfo: 'Engineer',
        openAccountReason: 'DAILY_USE',
      },
    },
  };
}
