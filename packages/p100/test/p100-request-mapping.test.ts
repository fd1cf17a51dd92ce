import * as E from 'fp-ts/Either';
import type { VerificationFile } from '@kycport/core';
import type { P100IncomeSource, P100ProviderOptions } from '../src';
import {
  fieldsRequiredBy,
  p100Phone,
  toP100AddUserVerificationRequest,
  toP100CreateUserRequest,
  toP100StartVerificationRequest,
} from '../src/p100-request-mapping';
import { checkPoaFiles, orderKycFiles } from '../src/p100-submit-verification';
import createUserFixture from './fixtures/create-user-request.json';
import startVerificationFixture from './fixtures/start-verification-request.json';
import addUserVerificationFixture from './fixtures/add-user-verification-request.json';
import { bytes, hostedOptions, validInput } from './support';

const applicant = validInput.applicant;

function file(purpose: VerificationFile['purpose'], contentType = 'image/jpeg', size = 10): VerificationFile {
  return { purpose, fileName: `${purpose}.jpg`, contentType, data: bytes(size) };
}
const at = (files: VerificationFile[]) => files.map((entry, index) => ({ file: entry, index }));

describe('toP100CreateUserRequest', () => {
  it('builds the documented Create User Account body from the neutral applicant', () => {
    expect(toP100CreateUserRequest(applicant, { birthCountry: 'PL' })).toEqual(E.right(createUserFixture));
  });

  it("sends the phone in P100's digits-only form", () => {
    expect(p100Phone('+486012334567')).toBe('486012334567');
  });

  it('omits number when the house number is absent and sends the street line whole, with line2 appended', () => {
    const result = toP100CreateUserRequest(
      {
        ...applicant,
        address: {
          line1: 'ul. Marszałkowska 123',
          line2: 'lok. 5',
          city: 'Warszawa',
          postalCode: '00-001',
          country: 'PL',
        },
      },
      {},
    );
    if (E.isLeft(result)) throw new Error('expected a body');
    expect(result.right.street).toBe('ul. Marszałkowska 123, lok. 5');
    expect(result.right).not.toHaveProperty('number');
    expect(result.right).not.toHaveProperty('birthCountry');
  });

  it('lets providerOptions.p100 override citizenship and nationality', () => {
    const result = toP100CreateUserRequest(applicant, { citizenship: 'DE', nationality: 'UA' });
    expect(E.isRight(result) && [result.right.citizenship, result.right.nationality]).toEqual(['DE', 'UA']);
  });

  it('requires accepted terms and every field P100 needs, naming each path', () => {
    const result = toP100CreateUserRequest({ externalId: 'x', termsAccepted: false }, {});
    expect(E.isLeft(result) && result.left.map((issue) => issue.path)).toEqual([
      'applicant.termsAccepted',
      'applicant.name',
      'applicant.email',
      'applicant.phone',
      'applicant.dateOfBirth',
      'applicant.address',
      'applicant.nationality',
    ]);
  });

  it('requires the postal code', () => {
    const result = toP100CreateUserRequest(
      { ...applicant, address: { line1: 'a', city: 'b', country: 'PL' } },
      {},
    );
    expect(E.isLeft(result) && result.left.map((issue) => issue.path)).toEqual([
      'applicant.address.postalCode',
    ]);
  });
});

describe('toP100StartVerificationRequest', () => {
  it('builds the documented POST /v1/kyc body', () => {
    expect(
      toP100StartVerificationRequest(startVerificationFixture.externalUserId, hostedOptions, 'PL'),
    ).toEqual(E.right(startVerificationFixture));
  });

  it.each<[P100IncomeSource, ReadonlyArray<string>]>([
    ['BUSINESS_ACTIVITY', ['taxId']],
    ['SALARY', ['occupation', 'additionalInfo']],
    ['OTHER', ['additionalInfo']],
    ['MAINTAINED_BY_FAMILY', ['additionalInfo']],
    ['INVESTMENTS', ['additionalInfo']],
    ['SOCIAL_BENEFITS', ['additionalInfo']],
    ['TENANCY', ['additionalInfo']],
  ])('requires what incomeSource %s makes required: %j', (incomeSource, fields) => {
    expect(fieldsRequiredBy(incomeSource)).toEqual(fields);
    const options: P100ProviderOptions = {
      documentType: 'PASSPORT',
      incomeSource,
      openAccountReason: 'DAILY_USE',
    };
    const result = toP100StartVerificationRequest('user-1', options, 'PL');
    expect(E.isLeft(result) && result.left.map((issue) => issue.path)).toEqual(
      fields.map((field) => `providerOptions.p100.${field}`),
    );
  });

  it('sends only the fields the income source asks for', () => {
    const result = toP100StartVerificationRequest(
      'user-1',
      {
        documentType: 'PASSPORT',
        incomeSource: 'BUSINESS_ACTIVITY',
        openAccountReason: 'DAILY_USE',
        taxId: 'PL',
        occupation: 'IT',
        additionalInfo: 'x',
      },
      'PL',
    );
    expect(result).toEqual(
      E.right({
        externalUserId: 'user-1',
        documentType: 'PASSPORT',
        country: 'PL',
        incomeSource: 'BUSINESS_ACTIVITY',
        openAccountReason: 'DAILY_USE',
        taxId: 'PL',
      }),
    );
  });

  it('requires documentType, country, incomeSource and openAccountReason', () => {
    const result = toP100StartVerificationRequest('user-1', {});
    expect(E.isLeft(result) && result.left.map((issue) => issue.path)).toEqual([
      'providerOptions.p100.documentType',
      'providerOptions.p100.country',
      'providerOptions.p100.incomeSource',
      'providerOptions.p100.openAccountReason',
    ]);
  });
});

describe('toP100AddUserVerificationRequest', () => {
  it('builds the documented Add User Verification body', () => {
    const result = toP100AddUserVerificationRequest(
      addUserVerificationFixture.externalUserId,
      { type: 'id_card', number: '6I12UQ171A', expirationDate: '2030-06-11' },
      { openAccountReason: 'DAILY_USE', incomeSource: 'SALARY', occupation: 'IT', riskLvl: 'LOW' },
    );
    expect(result).toEqual(E.right(addUserVerificationFixture));
  });

  it('uses the configured default risk level when the call gives none', () => {
    const result = toP100AddUserVerificationRequest(
      'u',
      { type: 'passport', number: 'X1' },
      { openAccountReason: 'DAILY_USE', incomeSource: 'OTHER' },
      'LOW',
    );
    expect(E.isRight(result) && result.right.riskLvl).toBe('LOW');
  });

  it('requires the document number, incomeSource, openAccountReason and occupation for SALARY', () => {
    const result = toP100AddUserVerificationRequest('u', { type: 'passport' }, { incomeSource: 'SALARY' });
    expect(E.isLeft(result) && result.left.map((issue) => issue.path)).toEqual([
      'document.number',
      'providerOptions.p100.openAccountReason',
      'providerOptions.p100.occupation',
    ]);
  });
});

describe('file checks', () => {
  it('accepts up to three POA files of the allowed types', () => {
    expect(
      checkPoaFiles(
        at([
          file('proof_of_address', 'application/pdf'),
          file('proof_of_address', 'image/png'),
          file('proof_of_address', 'image/jpg'),
        ]),
      ),
    ).toEqual([]);
  });

  it('rejects a fourth POA file, a wrong type (P426) and a file over 5 MB (P440)', () => {
    const issues = checkPoaFiles(
      at([
        file('proof_of_address', 'image/gif'),
        file('proof_of_address', 'application/pdf', 5 * 1024 * 1024 + 1),
        file('proof_of_address'),
        file('proof_of_address'),
      ]),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['files', 'files.0.contentType', 'files.1.data']);
  });

  it('orders ID card files front, back, selfie', () => {
    const result = orderKycFiles(
      at([file('selfie'), file('document_back'), file('document_front')]),
      'ID_CARD',
    );
    expect(E.isRight(result) && result.right.map((entry) => entry.purpose)).toEqual([
      'document_front',
      'document_back',
      'selfie',
    ]);
  });

  it('requires front, back and selfie for ID_CARD and RESIDENCE_PERMIT, document and selfie for PASSPORT', () => {
    const missingBack = orderKycFiles(at([file('document_front'), file('selfie')]), 'RESIDENCE_PERMIT');
    expect(E.isLeft(missingBack) && missingBack.left.map((issue) => issue.message)).toEqual([
      'RESIDENCE_PERMIT needs a document_back file (all KYC files are uploaded at once)',
    ]);
    const passportWithBack = orderKycFiles(
      at([file('document_front'), file('document_back'), file('selfie')]),
      'PASSPORT',
    );
    expect(E.isLeft(passportWithBack) && passportWithBack.left.map((issue) => issue.path)).toEqual([
      'files.1.purpose',
    ]);
    expect(E.isRight(orderKycFiles(at([file('document_front'), file('selfie')]), 'PASSPORT'))).toBe(true);
  });

  it('needs a document type to check KYC files', () => {
    const result = orderKycFiles(at([file('selfie')]), undefined);
    expect(E.isLeft(result) && result.left.map((issue) => issue.path)).toEqual(['document.type']);
  });
});
