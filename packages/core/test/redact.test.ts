import { inspect } from 'node:util';
import { redact, REDACTED, withFields, withLazyRaw } from '@kycport/core';

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

describe('withFields', () => {
  it('copies a lazy result without redacting it, and the copy shares one redaction with the original', () => {
    let reads = 0;
    const response = {
      id: 'idv_1',
      get email() {
        reads += 1;
        return 'jane@example.com';
      },
    };
    const result = withLazyRaw({ provider: 'plaid', userRef: 'u1' }, response);
    const copy = withFields(result, { userRef: 'plaid:u1' });
    expect(reads).toBe(0);
    expect(copy).toMatchObject({ provider: 'plaid', userRef: 'plaid:u1' });
    expect(result.userRef).toBe('u1');
    expect(inspect(copy)).not.toContain('jane@example.com');
    expect(inspect(copy, { showHidden: true, depth: 10 })).not.toContain('jane@example.com');
    expect(Object.keys({ ...copy })).toEqual(['provider', 'userRef', 'raw']);
    expect(JSON.parse(JSON.stringify(copy))).toEqual({
      provider: 'plaid',
      userRef: 'plaid:u1',
      raw: { id: 'idv_1', email: REDACTED },
    });
    expect(result.raw).toBe(copy.raw);
    expect(withFields(copy, { provider: 'other' }).raw).toBe(copy.raw);
    expect(reads).toBe(1);
  });

  it('copies any other object with its property descriptors (non-enumerable ones too)', () => {
    const value = Object.defineProperty({ a: 1 }, 'hidden', { value: true, enumerable: false });
    const copy = withFields(value, { b: 2 });
    expect(copy).toEqual({ a: 1, b: 2 });
    expect(Object.getOwnPropertyDescriptor(copy, 'hidden')).toMatchObject({ value: true, enumerable: false });
  });
});
