/**
 * Neutral input + `providerOptions.p100` -> P100 request bodies. Pure functions: every check P100's
 * docs let us make locally is made here, before any request, and reported as issues naming the
 * field (never its value).
 */
import * as E from 'fp-ts/Either';
import { decodeCallOptions, isWellFormedText } from '@kycport/core';
import type {
  Applicant,
  CallOptions,
  DocumentType,
  KycError,
  KycIssue,
  SubmitVerificationInput,
} from '@kycport/core';
import type {
  P100AddUserVerificationRequest,
  P100CreateUserRequest,
  P100StartVerificationRequest,
} from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import { P100_OPTIONS_PATH } from './p100-options';
import type { P100DocumentType, P100IncomeSource, P100ProviderOptions } from './p100-options';

const required = (path: string): KycIssue => ({ path, message: 'is required by p100' });

/** The options of a port call, checked before any request (core's one rule, `decodeCallOptions`). */
export function p100CallOptions<O extends CallOptions>(options: O | undefined): E.Either<KycError, O> {
  return decodeCallOptions(P100_PROVIDER_ID, options);
}

/** `+486012334567` -> `486012334567` (P100's digits-only form of E.164). */
export function p100Phone(e164: string): string {
  return e164.replace(/^\+/, '');
}

export function p100DocumentType(type: DocumentType): P100DocumentType {
  switch (type) {
    case 'id_card':
      return 'ID_CARD';
    case 'passport':
      return 'PASSPORT';
    case 'residence_permit':
      return 'RESIDENCE_PERMIT';
    case 'driver_license':
      return 'DRIVER_LICENSE';
  }
}

/**
 * Builds the Create User Account body. `street` is `address.line1` (plus `line2` after a comma);
 * `number` is `address.houseNumber` and is omitted when absent (the street line is then sent whole).
 */
export function toP100CreateUserRequest(
  applicant: Applicant,
  options: P100ProviderOptions,
  prefix = 'applicant',
): E.Either<ReadonlyArray<KycIssue>, P100CreateUserRequest> {
  const issues: KycIssue[] = [];
  // The externalUserId goes into every later URL (and is the user reference): well-formed Unicode only.
  if (!isWellFormedText(applicant.externalId)) {
    issues.push({ path: `${prefix}.externalId`, message: 'must be well-formed Unicode (no lone surrogate)' });
  }
  if (applicant.termsAccepted !== true) {
    issues.push({
      path: `${prefix}.termsAccepted`,
      message: 'must be true: P100 requires hasAcceptedP100Tc',
    });
  }
  if (!applicant.name) issues.push(required(`${prefix}.name`));
  if (!applicant.email) issues.push(required(`${prefix}.email`));
  if (!applicant.phone) issues.push(required(`${prefix}.phone`));
  if (!applicant.dateOfBirth) issues.push(required(`${prefix}.dateOfBirth`));
  if (!applicant.address) issues.push(required(`${prefix}.address`));
  else if (!applicant.address.postalCode) issues.push(required(`${prefix}.address.postalCode`));
  const citizenship = options.citizenship ?? applicant.nationality;
  const nationality = options.nationality ?? applicant.nationality;
  if (!citizenship || !nationality) issues.push(required(`${prefix}.nationality`));
  const { name, email, phone, dateOfBirth, address } = applicant;
  if (
    issues.length > 0 ||
    !name ||
    !email ||
    !phone ||
    !dateOfBirth ||
    !address?.postalCode ||
    !citizenship ||
    !nationality
  ) {
    return E.left(issues);
  }
  return E.right({
    externalUserId: applicant.externalId,
    hasAcceptedP100Tc: true,
    email,
    phone: p100Phone(phone),
    firstName: name.middle ? `${name.given} ${name.middle}` : name.given,
    lastName: name.family,
    street: address.line2 ? `${address.line1}, ${address.line2}` : address.line1,
    ...(address.houseNumber ? { number: address.houseNumber } : {}),
    city: address.city,
    postCode: address.postalCode,
    country: address.country,
    citizenship,
    nationality,
    ...(options.birthCountry ? { birthCountry: options.birthCountry } : {}),
    birthDate: dateOfBirth,
    ...(applicant.idNumber ? { userIdentificationNumber: applicant.idNumber.value } : {}),
  });
}

/** Which of `taxId` / `occupation` / `additionalInfo` an income source makes required on `POST /v1/kyc`. */
export function fieldsRequiredBy(
  incomeSource: P100IncomeSource,
): ReadonlyArray<'taxId' | 'occupation' | 'additionalInfo'> {
  switch (incomeSource) {
    case 'BUSINESS_ACTIVITY':
      return ['taxId'];
    case 'SALARY':
      return ['occupation', 'additionalInfo'];
    case 'OTHER':
    case 'MAINTAINED_BY_FAMILY':
    case 'INVESTMENTS':
    case 'SOCIAL_BENEFITS':
    case 'TENANCY':
      return ['additionalInfo'];
  }
}

/**
 * Builds the `POST /v1/kyc` body. `country` comes from `providerOptions.p100.country`, else
 * `defaultCountry` (createUser passes `applicant.address.country`).
 */
export function toP100StartVerificationRequest(
  externalUserId: string,
  options: P100ProviderOptions,
  defaultCountry?: string,
): E.Either<ReadonlyArray<KycIssue>, P100StartVerificationRequest> {
  const issues: KycIssue[] = [];
  const country = options.country ?? defaultCountry;
  if (!options.documentType) issues.push(required(`${P100_OPTIONS_PATH}.documentType`));
  if (!country) issues.push(required(`${P100_OPTIONS_PATH}.country`));
  if (!options.incomeSource) issues.push(required(`${P100_OPTIONS_PATH}.incomeSource`));
  if (!options.openAccountReason) issues.push(required(`${P100_OPTIONS_PATH}.openAccountReason`));
  if (options.incomeSource) {
    for (const field of fieldsRequiredBy(options.incomeSource)) {
      if (options[field] === undefined) {
        issues.push({
          path: `${P100_OPTIONS_PATH}.${field}`,
          message: `is required by p100 when incomeSource is ${options.incomeSource}`,
        });
      }
    }
  }
  const { documentType, incomeSource, openAccountReason } = options;
  if (issues.length > 0 || !documentType || !country || !incomeSource || !openAccountReason)
    return E.left(issues);
  const needed = fieldsRequiredBy(incomeSource);
  return E.right({
    externalUserId,
    documentType,
    country,
    incomeSource,
    openAccountReason,
    // Only the fields the income source asks for are sent.
    ...(needed.includes('taxId') && options.taxId ? { taxId: options.taxId } : {}),
    ...(needed.includes('occupation') && options.occupation ? { occupation: options.occupation } : {}),
    ...(needed.includes('additionalInfo') && options.additionalInfo
      ? { additionalInfo: options.additionalInfo }
      : {}),
  });
}

/**
 * Builds the Add User Verification body from `input.document` and `providerOptions.p100`. The
 * `/v1/kyc` enums are applied (assumption: P100 documents no field table for this endpoint), and
 * `occupation` is required for `SALARY` as in P100's example.
 */
export function toP100AddUserVerificationRequest(
  externalUserId: string,
  document: NonNullable<SubmitVerificationInput['document']>,
  options: P100ProviderOptions,
  defaultRiskLevel?: string,
): E.Either<ReadonlyArray<KycIssue>, P100AddUserVerificationRequest> {
  const issues: KycIssue[] = [];
  if (!document.number) issues.push(required('document.number'));
  if (!options.incomeSource) issues.push(required(`${P100_OPTIONS_PATH}.incomeSource`));
  if (!options.openAccountReason) issues.push(required(`${P100_OPTIONS_PATH}.openAccountReason`));
  if (options.incomeSource === 'SALARY' && !options.occupation) {
    issues.push({
      path: `${P100_OPTIONS_PATH}.occupation`,
      message: 'is required by p100 when incomeSource is SALARY',
    });
  }
  const { incomeSource, openAccountReason } = options;
  if (issues.length > 0 || !document.number || !incomeSource || !openAccountReason) return E.left(issues);
  const riskLvl = options.riskLvl ?? defaultRiskLevel;
  return E.right({
    externalUserId,
    documentType: p100DocumentType(document.type),
    documentNumber: document.number,
    ...(document.expirationDate ? { documentExpirationDate: document.expirationDate } : {}),
    openAccountReason,
    incomeSource,
    ...(options.occupation ? { occupation: options.occupation } : {}),
    ...(riskLvl ? { riskLvl } : {}),
  });
}
