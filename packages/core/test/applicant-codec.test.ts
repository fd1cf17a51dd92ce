import * as E from 'fp-ts/Either';
import {
  Applicant,
  CreateUserInputCodec,
  RetryStrategyCodec,
  decodeInput,
  IsoDate,
  E164Phone,
  CountryCode,
  HttpsUrl,
} from '@kycport/core';

const valid = {
  externalId: 'host-user-42',
  name: { given: 'Jane', family: 'Doe' },
  email: 'jane.doe@example.com',
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
};

describe('Applicant codec', () => {
  it('accepts a complete applicant and one with only externalId', () => {
    expect(E.isRight(Applicant.decode(valid))).toBe(true);
    expect(E.isRight(Applicant.decode({ externalId: 'x1' }))).toBe(true);
  });

  it('reports every bad field by path, without the submitted values', () => {
    const result = decodeInput('plu', CreateUserInputCodec, {
      applicant: {
        ...valid,
        phone: '4155555555',
        dateOfBirth: '1990-02-30',
        address: { ...valid.address, country: 'usa' },
        email: 'not-an-email',
      },
    });
    if (E.isRight(result)) throw new Error('expected a validation error');
    const error = result.left;
    expect(error.kind).toBe('validation');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'applicant.address.country',
      'applicant.dateOfBirth',
      'applicant.email',
      'applicant.phone',
    ]);
    expect(error.issues.find((issue) => issue.path === 'applicant.phone')?.message).toBe(
      'expected an E.164 phone number',
    );
    const rendered = JSON.stringify(error) + error.message;
    for (const value of ['4155555555', '1990-02-30', 'usa', 'not-an-email'])
      expect(rendered).not.toContain(value);
  });

  it('names a missing required field as required', () => {
    const result = decodeInput('p100', CreateUserInputCodec, { applicant: { name: { given: 'Jane' } } });
    if (E.isRight(result)) throw new Error('expected a validation error');
    expect(result.left.issues).toEqual(
      expect.arrayContaining([
        { path: 'applicant.externalId', message: 'is required' },
        { path: 'applicant.name.family', message: 'is required' },
      ]),
    );
  });

  it('refines dates, phones, countries and URLs strictly', () => {
    expect(IsoDate.is('2024-02-29')).toBe(true);
    expect(IsoDate.is('2023-02-29')).toBe(false);
    expect(IsoDate.is('1990-5-15')).toBe(false);
    expect(E164Phone.is('+486012334567')).toBe(true);
    expect(E164Phone.is('+0123456789')).toBe(false);
    expect(CountryCode.is('PL')).toBe(true);
    expect(CountryCode.is('pl')).toBe(false);
    expect(HttpsUrl.is('https://example.com/done')).toBe(true);
    expect(HttpsUrl.is('http://example.com/done')).toBe(false);
    expect(HttpsUrl.is('not a url')).toBe(false);
  });
});

describe('RetryStrategy codec', () => {
  it('reports a bad custom step by its full path', () => {
    const result = decodeInput(
      'plaid',
      RetryStrategyCodec,
      { kind: 'custom', steps: { verifySms: 'yes' } },
      'strategy',
    );
    if (E.isRight(result)) throw new Error('expected a validation error');
    expect(result.left.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['strategy.steps.verifySms', 'strategy.steps.kycCheck']),
    );
  });

  it('requires steps with custom and drops them from other strategies', () => {
    expect(E.isRight(RetryStrategyCodec.decode({ kind: 'auto' }))).toBe(true);
    expect(E.isLeft(RetryStrategyCodec.decode({ kind: 'custom' }))).toBe(true);
    expect(
      E.isRight(
        RetryStrategyCodec.decode({
          kind: 'custom',
          steps: { verifySms: true, kycCheck: true, documentaryVerification: false, selfieCheck: false },
        }),
      ),
    ).toBe(true);
    const withSteps = RetryStrategyCodec.decode({ kind: 'restart', steps: { verifySms: true } });
    // t.strict strips unknown keys rather than failing: the adapter sees a plain restart.
    expect(E.isRight(withSteps) && !('steps' in withSteps.right)).toBe(true);
  });
});
