import * as E from 'fp-ts/Either';
import type { CreateUserInput } from '@kycport/core';
import { pluSandboxLastName, toPluCreateUserRequest } from '../src';
import { fixture, cleanNockAfterEach, validInput } from './plu-test-support';

cleanNockAfterEach();

function paths(input: unknown, defaults = {}): string[] {
  const result = toPluCreateUserRequest(input, defaults);
  return E.isLeft(result) ? result.left.issues.map((issue) => issue.path).sort() : [];
}

describe('plu request mapping', () => {
  it('maps the neutral applicant to the documented create-user example body', () => {
    expect(toPluCreateUserRequest(validInput)).toEqual(E.right(fixture('create-user-request')));
  });

  it('takes program and account purpose from the configured defaults when the call gives none', () => {
    const input: CreateUserInput = { applicant: validInput.applicant };
    const result = toPluCreateUserRequest(input, {
      program: 'custodial',
      accountPurpose: 'business expenses',
    });
    expect(result).toEqual(
      E.right(expect.objectContaining({ program: 'custodial', accountPurpose: 'business expenses' })),
    );
  });

  it('lets providerOptions.plu override the defaults and adds wallet and redirect', () => {
    const input: CreateUserInput = {
      applicant: validInput.applicant,
      providerOptions: {
        plu: {
          program: 'non_custodial',
          walletAddress: '0x52908400098527886E0F7030069857D2E4169EE7',
          redirectUrl: 'https://app.example.com/kyc/done',
          accountPurpose: 'savings',
        },
        plaid: { ignored: true },
      },
    };
    const result = toPluCreateUserRequest(input, { program: 'custodial', accountPurpose: 'personal use' });
    expect(result).toEqual(
      E.right(
        expect.objectContaining({
          program: 'non_custodial',
          walletAddress: '0x52908400098527886E0F7030069857D2E4169EE7',
          redirectUrl: 'https://app.example.com/kyc/done',
          accountPurpose: 'savings',
        }),
      ),
    );
  });

  it('joins address line 2 to line 1 with a comma', () => {
    const input: CreateUserInput = {
      ...validInput,
      applicant: {
        ...validInput.applicant,
        address: {
          line1: '123 Main Street',
          line2: 'Apt 4',
          city: 'San Francisco',
          region: 'CA',
          postalCode: '94105',
          country: 'US',
        },
      },
    };
    expect(toPluCreateUserRequest(input)).toEqual(
      E.right(expect.objectContaining({ address: '123 Main Street, Apt 4' })),
    );
  });

  it('does not send fields Plu has no place for (externalId, middle name, date of birth)', () => {
    const input: CreateUserInput = {
      ...validInput,
      applicant: {
        ...validInput.applicant,
        name: { given: 'Jane', middle: 'Q', family: 'Doe' },
        dateOfBirth: '1990-05-15',
      },
    };
    const result = toPluCreateUserRequest(input);
    expect(E.isRight(result) && Object.keys(result.right).sort()).toEqual(
      Object.keys(fixture('create-user-request')).sort(),
    );
  });

  it('reports every missing Plu-required field at once', () => {
    expect(paths({ applicant: { externalId: 'x' } })).toEqual([
      'applicant.address',
      'applicant.email',
      'applicant.ipAddress',
      'applicant.name',
      'applicant.phone',
      'applicant.termsAccepted',
      'providerOptions.plu.accountPurpose',
      'providerOptions.plu.program',
    ]);
  });

  it('requires an Ethereum wallet address for non_custodial', () => {
    expect(
      paths({ ...validInput, providerOptions: { plu: { program: 'non_custodial', accountPurpose: 'x' } } }),
    ).toEqual(['providerOptions.plu.walletAddress']);
    expect(
      paths({
        ...validInput,
        providerOptions: {
          plu: {
            program: 'non_custodial',
            accountPurpose: 'x',
            walletAddress: '0xZZ08400098527886E0F7030069857D2E4169EE7',
          },
        },
      }),
    ).toEqual(['providerOptions.plu.walletAddress']);
  });

  it('rejects a redirect URL that is not https', () => {
    expect(
      paths({
        ...validInput,
        providerOptions: {
          plu: { program: 'custodial', accountPurpose: 'x', redirectUrl: 'http://app.example.com' },
        },
      }),
    ).toEqual(['providerOptions.plu.redirectUrl']);
  });

  it('never puts the submitted values into the validation error', () => {
    const result = toPluCreateUserRequest({
      applicant: { ...validInput.applicant, phone: '555-1234', email: 'not-an-email' },
    });
    expect(E.isLeft(result)).toBe(true);
    expect(JSON.stringify(result)).not.toContain('555-1234');
    expect(JSON.stringify(result)).not.toContain('not-an-email');
  });

  it('builds sandbox last names with the documented case-sensitive keywords', () => {
    expect(pluSandboxLastName('Doe', 'approved')).toBe('DoeApproved');
    expect(pluSandboxLastName('Doe', 'denied')).toBe('DoeDenied');
    expect(pluSandboxLastName('Doe ', 'needsVerification')).toBe('DoeneedsVerification');
  });
});
