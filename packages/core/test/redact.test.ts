import { redact, REDACTED } from '@kycport/core';

describe('redact', () => {
  it('replaces personal data and secrets at any depth, keeps ids, statuses and nulls', () => {
    const raw = {
      serviceId: 'acme-user-1',
      status: 'approved',
      email: 'jane@example.com',
      user: {
        date_of_birth: '1990-01-01',
        name: { given_name: 'Jane' },
        phone_number: null,
        id_number: { value: '123' },
      },
      errorName: 'invalid-user',
      list: [{ firstName: 'Jane', lastName: 'DoeApproved' }],
      PLAID_SECRET: 'abc',
    };
    expect(redact(raw, ['plaid_secret'])).toEqual({
      serviceId: 'acme-user-1',
      status: 'approved',
      email: REDACTED,
      user: { date_of_birth: REDACTED, name: REDACTED, phone_number: null, id_number: REDACTED },
      errorName: 'invalid-user',
      list: [{ firstName: REDACTED, lastName: REDACTED }],
      PLAID_SECRET: REDACTED,
    });
  });
});
