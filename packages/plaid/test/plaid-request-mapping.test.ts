import * as E from 'fp-ts/Either';
import type { Applicant, RetryStrategy } from '@kycport/core';
import { decodeCreateUserOptions } from '../src/plaid-options';
import {
  toPlaidCreateRequest,
  toPlaidRequestUser,
  toPlaidRetryRequest,
  toPlaidRetryUser,
} from '../src/plaid-request-mapping';
import { requestSchemaErrors } from '@kycport/fixtures';
import { TEMPLATE_ID, validInput } from './plaid-test-kit';

const applicant = validInput.applicant;

function pathsOf(result: E.Either<{ issues: ReadonlyArray<{ path: string }> }, unknown>): string[] {
  if (E.isRight(result)) throw new Error('expected a validation error');
  return result.left.issues.map((issue) => issue.path);
}

describe('Plaid request mapping', () => {
  it('maps the applicant to Plaid user fields, valid against the published create schema', () => {
    const request = toPlaidCreateRequest(
      {
        ...applicant,
        name: { given: 'Leslie', middle: 'Barbara', family: 'Knope' },
        idNumber: { type: 'us_ssn', value: '123-45-6789' },
      },
      {},
      { templateId: TEMPLATE_ID },
    );
    expect(request).toEqual(
      E.right({
        client_user_id: 'host-user-1',
        template_id: TEMPLATE_ID,
        is_shareable: true,
        gave_consent: true,
        is_idempotent: true,
        user: {
          email_address: 'leslie.knope@example.com',
          phone_number: '+12345678909',
          date_of_birth: '1975-01-18',
          name: { given_name: 'Leslie', family_name: 'Knope' },
          address: {
            street: '123 Main St.',
            city: 'Pawnee',
            region: 'IN',
            postal_code: '46001',
            country: 'US',
          },
          id_number: { value: '123456789', type: 'us_ssn' },
        },
      }),
    );
    if (E.isRight(request))
      expect(requestSchemaErrors('/identity_verification/create', request.right)).toEqual([]);
  });

  it('sends no user object when only the externalId is known, and gave_consent false without terms', () => {
    const request = toPlaidCreateRequest(
      { externalId: 'u-2' },
      {},
      { templateId: TEMPLATE_ID, isShareable: false },
    );
    expect(request).toEqual(
      E.right({
        client_user_id: 'u-2',
        template_id: TEMPLATE_ID,
        is_shareable: false,
        gave_consent: false,
        is_idempotent: true,
      }),
    );
    if (E.isRight(request))
      expect(requestSchemaErrors('/identity_verification/create', request.right)).toEqual([]);
  });

  it('lets providerOptions.plaid override is_shareable and gave_consent, and send the country only', () => {
    const request = toPlaidCreateRequest(
      applicant,
      { isShareable: false, gaveConsent: false, address: 'country_only' },
      { templateId: TEMPLATE_ID },
    );
    expect(E.isRight(request) && request.right).toMatchObject({
      is_shareable: false,
      gave_consent: false,
      user: { address: { country: 'US' } },
    });
    if (E.isRight(request)) {
      expect(request.right.user?.address).toEqual({ country: 'US' });
      expect(requestSchemaErrors('/identity_verification/create', request.right)).toEqual([]);
    }
  });

  it('strips spaces and hyphens from non-US postal codes and keeps street2', () => {
    const user = toPlaidRequestUser({
      externalId: 'u',
      address: {
        line1: '10 Downing Street',
        line2: 'Flat 1',
        city: 'London',
        postalCode: 'SW1A 2AA',
        country: 'GB',
      },
    });
    expect(user).toEqual(
      E.right({
        address: {
          street: '10 Downing Street',
          street2: 'Flat 1',
          city: 'London',
          postal_code: 'SW1A2AA',
          country: 'GB',
        },
      }),
    );
  });

  it.each<[string, Partial<Applicant>, string]>([
    [
      'a US ZIP+4',
      { address: { line1: '1 Main St', city: 'Pawnee', postalCode: '46001-1234', country: 'US' } },
      'applicant.address.postalCode',
    ],
    [
      'a postal code of one character',
      { address: { line1: '1 Main St', city: 'Dublin', postalCode: 'D', country: 'IE' } },
      'applicant.address.postalCode',
    ],
    [
      'a street without letters',
      { address: { line1: '12345', city: 'Pawnee', country: 'US' } },
      'applicant.address.line1',
    ],
    [
      'a street over 80 characters',
      { address: { line1: `${'a'.repeat(81)}`, city: 'Pawnee', country: 'US' } },
      'applicant.address.line1',
    ],
    [
      'a street2 over 50 characters',
      { address: { line1: '1 Main St', line2: 'x'.repeat(51), city: 'Pawnee', country: 'US' } },
      'applicant.address.line2',
    ],
    [
      'a city without letters',
      { address: { line1: '1 Main St', city: '123', country: 'US' } },
      'applicant.address.city',
    ],
    [
      'a region with its country prefix',
      { address: { line1: '1 Main St', city: 'Pawnee', region: 'US-IN', country: 'US' } },
      'applicant.address.region',
    ],
    [
      'an id type Plaid does not list',
      { idNumber: { type: 'national_id', value: '1' } },
      'applicant.idNumber.type',
    ],
    [
      'an id value with no letters or digits',
      { idNumber: { type: 'us_ssn', value: '---' } },
      'applicant.idNumber.value',
    ],
    ['an email Plaid would refuse', { email: 'jane@exa_mple.com' }, 'applicant.email'],
  ])('refuses %s before sending, naming the field', (_name, patch, path) => {
    expect(pathsOf(toPlaidRequestUser({ externalId: 'u', ...patch }))).toEqual([path]);
  });

  it('does not check street and city when only the country is sent', () => {
    expect(
      E.isRight(
        toPlaidRequestUser(
          { externalId: 'u', address: { line1: '12345', city: '1', country: 'US' } },
          { address: 'country_only' },
        ),
      ),
    ).toBe(true);
  });

  it('reports unknown and mistyped providerOptions.plaid keys', () => {
    expect(pathsOf(decodeCreateUserOptions({ plaid: { isSharable: true } }))).toEqual([
      'providerOptions.plaid.isSharable',
    ]);
    expect(pathsOf(decodeCreateUserOptions({ plaid: { address: 'partial' } }))).toEqual([
      'providerOptions.plaid.address',
    ]);
    expect(decodeCreateUserOptions({ plu: { anything: 1 } })).toEqual(E.right({}));
  });

  it.each<[RetryStrategy, string]>([
    [{ kind: 'auto' }, 'infer'],
    [{ kind: 'restart' }, 'reset'],
    [{ kind: 'resume' }, 'incomplete'],
  ])('maps retry %j to %s without steps', (strategy, plaidStrategy) => {
    const body = toPlaidRetryRequest('u', TEMPLATE_ID, strategy, {});
    expect(body).toEqual({ client_user_id: 'u', template_id: TEMPLATE_ID, strategy: plaidStrategy });
    expect(requestSchemaErrors('/identity_verification/retry', body)).toEqual([]);
  });

  it('maps a custom retry with the four step booleans, and is_shareable when given', () => {
    const body = toPlaidRetryRequest(
      'u',
      TEMPLATE_ID,
      {
        kind: 'custom',
        steps: { verifySms: false, kycCheck: true, documentaryVerification: true, selfieCheck: false },
      },
      { isShareable: true },
    );
    expect(body).toEqual({
      client_user_id: 'u',
      template_id: TEMPLATE_ID,
      strategy: 'custom',
      steps: { verify_sms: false, kyc_check: true, documentary_verification: true, selfie_check: false },
      is_shareable: true,
    });
    expect(requestSchemaErrors('/identity_verification/retry', body)).toEqual([]);
  });

  // Issue 12: the retry body could not carry the `user` object the documents allow.
  it('maps corrected applicant data to the retry user object, valid against IdentityVerificationRetryRequest', () => {
    const options = {
      applicant: {
        name: { given: 'Leslie', family: 'Knope' },
        email: 'leslie.knope@example.com',
        phone: '+12345678909',
        dateOfBirth: '1975-01-18',
        address: {
          line1: '123 Main St.',
          line2: 'Unit 42',
          city: 'Pawnee',
          region: 'IN',
          postalCode: '46001',
          country: 'US',
        },
        idNumber: { type: 'us_ssn_last_4', value: '6789' },
      },
    };
    const user = toPlaidRetryUser(options);
    if (E.isLeft(user)) throw new Error(user.left.message);
    const body = toPlaidRetryRequest('u', TEMPLATE_ID, { kind: 'restart' }, options, user.right);
    expect(body.user).toEqual({
      name: { given_name: 'Leslie', family_name: 'Knope' },
      email_address: 'leslie.knope@example.com',
      phone_number: '+12345678909',
      date_of_birth: '1975-01-18',
      address: {
        street: '123 Main St.',
        street2: 'Unit 42',
        city: 'Pawnee',
        region: 'IN',
        postal_code: '46001',
        country: 'US',
      },
      id_number: { type: 'us_ssn_last_4', value: '6789' },
    });
    expect(requestSchemaErrors('/identity_verification/retry', body)).toEqual([]);
    expect(toPlaidRetryUser({})).toEqual(E.right(undefined));
    expect(toPlaidRetryUser({ applicant: {} })).toEqual(E.right(undefined));
    const bad = toPlaidRetryUser({ applicant: { address: { line1: '1', city: 'Pawnee', country: 'US' } } });
    expect(E.isLeft(bad) && bad.left.issues.map((issue) => issue.path)).toEqual([
      'providerOptions.plaid.applicant.address.line1',
    ]);
  });
});
