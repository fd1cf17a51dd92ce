import { inspect } from 'node:util';
import { redact, REDACTED, withLazyRaw } from '@kycport/core';

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

describe('withLazyRaw', () => {
  it('redacts on first read, memoizes, serializes redacted and never prints unredacted values', () => {
    const response = { id: 'idv_1', email: 'jane@example.com' };
    const result = withLazyRaw({ provider: 'plaid', status: 'ok' }, response);
    const first = result.raw;
    expect(first).toEqual({ id: 'idv_1', email: REDACTED });
    expect(result.raw).toBe(first);
    expect(JSON.parse(JSON.stringify(result))).toEqual({
      provider: 'plaid',
      status: 'ok',
      raw: { id: 'idv_1', email: REDACTED },
    });
    const fresh = withLazyRaw({ provider: 'plaid' }, response);
    expect(inspect(fresh)).not.toContain('jane@example.com');
    expect({ ...fresh }.raw).toEqual({ id: 'idv_1', email: REDACTED });
  });
});
