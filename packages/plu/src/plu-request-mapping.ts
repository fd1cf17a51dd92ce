/**
 * Neutral `CreateUserInput` + `providerOptions.plu` + configured defaults -> Plu's create-user
 * body. Pure: validation happens here, before any request, and every issue names the field
 * (`applicant.address.region`, `providerOptions.plu.walletAddress`), never its value.
 * Source: https://docs.getplu.com/api-reference/users/create-user
 */
import * as E from 'fp-ts/Either';
import { CreateUserInputCodec, decodeInput, validationError } from '@kycport/core';
import type { Applicant, KycIssue, ValidationError } from '@kycport/core';
import type { PluCreateUserRequest } from './plu-api';
import { PLU } from './plu-config';
import { PluProviderOptions } from './plu-options';
import type { PluProgram } from './plu-options';

export interface PluRequestDefaults {
  readonly program?: PluProgram;
  readonly accountPurpose?: string;
}

const OPTIONS_PATH = `providerOptions.${PLU}`;
const REQUIRED = `is required by ${PLU}`;

function issuesOf<A>(result: E.Either<ValidationError, A>): ReadonlyArray<KycIssue> {
  return E.isLeft(result) ? result.left.issues : [];
}

/** The applicant fields Plu requires; the neutral codec leaves them optional. */
function missingApplicantFields(applicant: Applicant): KycIssue[] {
  const issues: KycIssue[] = [];
  const require = (present: boolean, path: string) => {
    if (!present) issues.push({ path: `applicant.${path}`, message: REQUIRED });
  };
  require(applicant.name !== undefined, 'name');
  require(applicant.email !== undefined, 'email');
  require(applicant.phone !== undefined, 'phone');
  require(applicant.ipAddress !== undefined, 'ipAddress');
  require(applicant.address !== undefined, 'address');
  if (applicant.address) {
    require(applicant.address.region !== undefined, 'address.region');
    require(applicant.address.postalCode !== undefined, 'address.postalCode');
  }
  if (applicant.termsAccepted !== true) {
    issues.push({
      path: 'applicant.termsAccepted',
      message: `must be true: ${PLU} requires the user to accept its terms of service`,
    });
  }
  return issues;
}

/** Plu takes the street as one 1-500 character string; line 2 is appended after a comma. */
export function pluStreetAddress(line1: string, line2?: string): string {
  return line2 === undefined ? line1 : `${line1}, ${line2}`;
}

/**
 * Validates the input and builds the request body. `name.middle` and `externalId` have no Plu
 * field and are not sent; `dateOfBirth`, `nationality` and `idNumber` are collected by Persona.
 */
export function toPluCreateUserRequest(
  input: unknown,
  defaults: PluRequestDefaults = {},
): E.Either<ValidationError, PluCreateUserRequest> {
  const decoded = decodeInput(PLU, CreateUserInputCodec, input);
  const rawOptions = E.isRight(decoded) ? decoded.right.providerOptions?.[PLU] : undefined;
  const options = decodeInput(PLU, PluProviderOptions, rawOptions ?? {}, OPTIONS_PATH);
  const issues: KycIssue[] = [...issuesOf(decoded), ...issuesOf(options)];
  if (E.isLeft(decoded) || E.isLeft(options)) return E.left(validationError(PLU, issues));

  const applicant = decoded.right.applicant;
  const pluOptions = options.right;
  issues.push(...missingApplicantFields(applicant));
  const program = pluOptions.program ?? defaults.program;
  const accountPurpose = pluOptions.accountPurpose ?? defaults.accountPurpose;
  if (program === undefined) {
    issues.push({
      path: `${OPTIONS_PATH}.program`,
      message: `${REQUIRED} (custodial or non_custodial; or configure defaultProgram)`,
    });
  }
  if (accountPurpose === undefined) {
    issues.push({
      path: `${OPTIONS_PATH}.accountPurpose`,
      message: `${REQUIRED} (or configure defaultAccountPurpose)`,
    });
  }
  if (program === 'non_custodial' && pluOptions.walletAddress === undefined) {
    issues.push({
      path: `${OPTIONS_PATH}.walletAddress`,
      message: `${REQUIRED} when program is non_custodial`,
    });
  }
  const { name, email, phone, ipAddress, address } = applicant;
  if (
    issues.length > 0 ||
    !name ||
    !email ||
    !phone ||
    !ipAddress ||
    !address ||
    !address.region ||
    !address.postalCode ||
    program === undefined ||
    accountPurpose === undefined
  ) {
    return E.left(validationError(PLU, issues));
  }
  return E.right({
    firstName: name.given,
    lastName: name.family,
    email,
    phoneNumber: phone,
    accountPurpose,
    ipAddress,
    isTermsOfServiceAccepted: true,
    program,
    ...(pluOptions.walletAddress !== undefined ? { walletAddress: pluOptions.walletAddress } : {}),
    ...(pluOptions.redirectUrl !== undefined ? { redirectUrl: pluOptions.redirectUrl } : {}),
    address: pluStreetAddress(address.line1, address.line2),
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    countryCode: address.country,
  });
}
