// The applicant both nodenext hosts send (an ES module imported by main.mts).
import type { CreateUserInput } from '@kycport/core';

export const input: CreateUserInput = {
  applicant: {
    externalId: 'host-nodenext-esm',
    name: { given: 'Jane', family: 'Doe' },
    email: 'jane.doe+nodenext-esm@example.com',
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
