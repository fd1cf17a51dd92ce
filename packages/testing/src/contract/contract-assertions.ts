/**
 * The contract suite's plumbing: calling a port operation by name, expecting a success or a
 * `KycError`, and proving that no secret or personal value leaks into an error or a `raw`.
 */
import { inspect } from 'node:util';
import type { Either } from 'fp-ts/Either';
import { isKycError } from '@kycport/core';
import type {
  CreateUserInput,
  KycError,
  KycProvider,
  RetryOptions,
  SubmitVerificationInput,
  UserRef,
} from '@kycport/core';
import type { ContractHarness, PortOperation } from './harness';

/** What the groups of the suite read once its setup ran. */
export interface ContractSuite {
  readonly harness: ContractHarness;
  /** Secrets and personal values that must never appear in an error or a `raw`. */
  readonly needles: ReadonlyArray<string>;
}

export type Run = () => Promise<Either<KycError, unknown>>;

/** The call of `operation` with the scenario's ref, input and options. */
export function invoke(
  provider: KycProvider,
  operation: PortOperation,
  ref: UserRef | undefined,
  input: unknown,
  options: unknown,
): Run {
  switch (operation) {
    case 'createUser':
      return provider.createUser(input as CreateUserInput, options as RetryOptions);
    case 'getStatus':
      return provider.getStatus(ref as UserRef, options as RetryOptions);
    case 'retry':
      return provider.retry(ref as UserRef, options as RetryOptions);
    case 'submitVerification':
      return provider.submitVerification(
        ref as UserRef,
        (input ?? {}) as SubmitVerificationInput,
        options as RetryOptions,
      );
  }
}

/** Strings of personal data found in an applicant (to prove none leaks into errors). */
export function personalDataOf(input: CreateUserInput): string[] {
  const applicant = input.applicant;
  const values = [
    applicant.email,
    applicant.phone,
    applicant.dateOfBirth,
    applicant.address?.line1,
    applicant.address?.postalCode,
    applicant.idNumber?.value,
    applicant.name?.family,
    applicant.ipAddress,
  ];
  return values.filter((value): value is string => typeof value === 'string' && value.length >= 4);
}

/** Fails when any of `needles` appears in the error's JSON or `util.inspect` output. */
export function expectNoLeak(error: unknown, needles: ReadonlyArray<string>): void {
  const renderings = [JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })];
  for (const needle of needles) {
    for (const rendering of renderings) {
      if (rendering.includes(needle)) {
        throw new Error(
          `a secret or personal value leaked into an error rendering (${needle.length} characters)`,
        );
      }
    }
  }
}

export function expectLeft(result: Either<KycError, unknown>): KycError {
  if (result._tag === 'Right') throw new Error('expected the call to fail with a KycError, but it succeeded');
  expect(isKycError(result.left)).toBe(true);
  return result.left;
}

export function expectRight(result: Either<KycError, unknown>): unknown {
  if (result._tag === 'Left') {
    throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  }
  return result.right;
}
