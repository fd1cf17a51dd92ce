/**
 * Neutral inputs -> what Plu's requests take: the create-user body (from `CreateUserInput`,
 * `providerOptions.plu` and the configured defaults), the `serviceId` of a ref and the retry
 * strategy. Pure: validation happens here, before any request, and every issue names the field
 * (`applicant.address.region`, `providerOptions.plu.walletAddress`), never its value.
 * Sources: https://docs.getplu.com/api-reference/users/create-user, .../users/retry-kyc
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as t from 'io-ts';
import {
  CallTimingCodec,
  CreateUserInputCodec,
  RetryStrategyCodec,
  UserRefCodec,
  decodeInput,
  refined,
  unsupportedError,
  validationError,
} from '@kycport/core';
import type {
  Applicant,
  CallOptions,
  KycError,
  KycIssue,
  RetryStrategy,
  UserRef,
  ValidationError,
} from '@kycport/core';
import type { PluCreateUserRequest } from './plu-api';
import { PLU_PROVIDER_ID } from './plu-config';
import { PluProviderOptions } from './plu-options';
import type { PluProgram } from './plu-options';

export interface PluRequestDefaults {
  readonly program?: PluProgram;
  readonly accountPurpose?: string;
}

const OPTIONS_PATH = `providerOptions.${PLU_PROVIDER_ID}`;
const REQUIRED = `is required by ${PLU_PROVIDER_ID}`;

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
      message: `must be true: ${PLU_PROVIDER_ID} requires the user to accept its terms of service`,
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
  const decoded = decodeInput(PLU_PROVIDER_ID, CreateUserInputCodec, input);
  const rawOptions = E.isRight(decoded) ? decoded.right.providerOptions?.[PLU_PROVIDER_ID] : undefined;
  const options = decodeInput(PLU_PROVIDER_ID, PluProviderOptions, rawOptions ?? {}, OPTIONS_PATH);
  const issues: KycIssue[] = [...issuesOf(decoded), ...issuesOf(options)];
  if (E.isLeft(decoded) || E.isLeft(options)) return E.left(validationError(PLU_PROVIDER_ID, issues));

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
    return E.left(validationError(PLU_PROVIDER_ID, issues));
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

/** A `UserRef` is Plu's `serviceId`, opaque (Plu changed its format once): only blank refs are refused. */
export function toPluServiceId(ref: UserRef): E.Either<ValidationError, UserRef> {
  // `is` first (no decode context per call): the codec accepts what `is` accepts, unchanged.
  return UserRefCodec.is(ref) ? E.right(ref) : decodeInput(PLU_PROVIDER_ID, UserRefCodec, ref, 'ref');
}

/**
 * An `idempotency-key` header value: 1-255 visible ASCII characters. Plu asks for "a UUID" (which
 * fits); the bound only keeps a key that cannot be sent as a header (a line break, a non-ASCII or
 * lone-surrogate character) from reaching the transport, where it would fail after validation.
 */
export const PluIdempotencyKey = refined(
  t.string,
  (value) => /^[\x21-\x7e]{1,255}$/.test(value),
  'an idempotency key of 1-255 visible ASCII characters (Plu asks for a UUID)',
);

/** The per-call options every port method takes; `strategy` and `providerOptions` are checked where used. */
const PluCallOptionsCodec = t.intersection([
  CallTimingCodec,
  t.partial({ idempotencyKey: PluIdempotencyKey }),
]);

/**
 * Checks a port method's `options` before any request: an object (or absent) whose `signal` is an
 * `AbortSignal`, whose timings are in range and whose `idempotencyKey` can be sent as a header.
 */
export function toPluCallOptions(options: unknown): E.Either<ValidationError, CallOptions> {
  // `is` first (no decode context per key and call): the codec accepts exactly what `is` accepts
  // and returns it unchanged, so decoding is left to reporting the issues.
  if (PluCallOptionsCodec.is(options ?? {})) return E.right((options ?? {}) as CallOptions);
  return pipe(
    decodeInput(PLU_PROVIDER_ID, PluCallOptionsCodec, options ?? {}, 'options'),
    E.map((): CallOptions => (options ?? {}) as CallOptions),
  );
}

export const PLU_RETRY_STRATEGY_REASON =
  'Plu chooses the retry path itself (a new Persona inquiry, or a re-submission of the stored documents); use the auto strategy';

/** Retry KYC takes no strategy: only `auto` (the default) is accepted, anything else is `unsupported`. */
export function toPluRetryStrategy(strategy: unknown): E.Either<KycError, RetryStrategy> {
  return pipe(
    decodeInput(PLU_PROVIDER_ID, RetryStrategyCodec, strategy ?? { kind: 'auto' }, 'strategy'),
    E.chainW((decoded) =>
      decoded.kind === 'auto'
        ? E.right(decoded)
        : E.left(
            unsupportedError(
              PLU_PROVIDER_ID,
              `retry with strategy ${decoded.kind}`,
              PLU_RETRY_STRATEGY_REASON,
            ),
          ),
    ),
  );
}
