/** Arbitraries and checks shared by the Plaid property tests (not a test file). */
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { isKycError } from '@kycport/core';
import type { KycError } from '@kycport/core';
import { activeAttempt, attempt, failedAttempt, listOf } from './plaid-test-kit';

/** Strings with lone surrogates and control characters, where most bugs hide. */
export const hostileText = fc.string({ unit: 'binary' });

/** Any value a JavaScript caller could pass. */
export const anything = fc.oneof(
  fc.anything(),
  hostileText,
  fc.object({ values: [hostileText, fc.anything()] }),
);

/** Keys that trip naive code: `String(value)` throws on `{ toString: 1, valueOf: 1 }`. */
const hostileKey = fc.oneof(
  fc.string(),
  fc.constantFrom('toString', 'valueOf', 'toJSON', '__proto__', 'constructor', 'then'),
);

/** JSON values, objects among them with hostile keys and lone surrogates in strings. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.object({ key: hostileKey, values: [fc.jsonValue(), hostileText], maxDepth: 2 }),
);

/**
 * A `steps` object whose values are any JSON, objects that `String()` cannot convert
 * (`{ toString: 1, valueOf: 1 }`) among them.
 */
export const hostileSteps = fc.dictionary(
  fc.oneof(fc.constantFrom('kyc_check', 'selfie_check', 'risk_check'), fc.string()),
  fc.oneof(
    fc.string(),
    hostileJson,
    fc.constant({ toString: 1, valueOf: 1 }),
    fc.constant({ toString: 'x', valueOf: null }),
  ),
  { maxKeys: 4 },
);

/** `base` with some of `keys` replaced by hostile JSON values. */
export function mutated(base: Record<string, unknown>, keys: ReadonlyArray<string>): fc.Arbitrary<unknown> {
  return fc
    .dictionary(fc.oneof(fc.constantFrom(...keys), hostileKey), hostileJson, { maxKeys: 4 })
    .map((overrides) => ({ ...base, ...overrides }));
}

/** An answer's body as sent on the wire: JSON text, or text that is not JSON at all. */
export function answerText(json: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: json.map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: hostileText },
  );
}

/** Mostly 200, sometimes an error status. */
export const answerStatus = fc.oneof(
  { weight: 4, arbitrary: fc.constant(200) },
  { weight: 1, arbitrary: fc.constantFrom(201, 204, 400, 404, 409, 429, 500, 502, 503) },
);

/** A port method's answer: an Either whose Left is a `KycError` saying what the call did. */
export function expectTypedResult(result: unknown): E.Either<KycError, unknown> {
  const either = result as E.Either<unknown, unknown>;
  expect(E.isLeft(either) || E.isRight(either)).toBe(true);
  if (E.isLeft(either)) {
    expect(isKycError(either.left)).toBe(true);
    expect(['not_sent', 'rejected', 'unknown']).toContain((either.left as KycError).outcome);
  }
  return either as E.Either<KycError, unknown>;
}

export const base64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value) ?? '').toString('base64url');

/**
 * A jest timeout for one property: these properties send one to three requests a case through nock
 * (15-60 ms a case on a loaded machine), so `pnpm fuzz` (10 000 cases) needs far more than jest's
 * default. It is an upper bound, not a cost.
 */
export const PROPERTY_TIMEOUT_MS = Math.max(30_000, (fc.readConfigureGlobal().numRuns ?? 100) * 250);

const ATTEMPT_KEYS = [
  'id',
  'client_user_id',
  'created_at',
  'status',
  'steps',
  'shareable_url',
  'previous_attempt_id',
  'request_id',
];

/** Attempt-shaped answers with some fields replaced (hostile step values among them), or any JSON. */
export const attemptJson: fc.Arbitrary<unknown> = fc.oneof(
  mutated(activeAttempt(), ATTEMPT_KEYS),
  mutated(attempt(), ATTEMPT_KEYS),
  hostileSteps.map((steps) => ({ ...attempt(), steps })),
  hostileJson,
);

/** List answers: attempt-shaped items in a list of any shape, or any JSON. */
export const listJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(attemptJson, { maxLength: 3 }).chain((items) =>
    mutated(listOf([]), ['next_cursor', 'request_id']).map((list) => ({
      ...(list as object),
      identity_verifications: items,
    })),
  ),
  mutated(listOf([failedAttempt()]), ['identity_verifications', 'next_cursor']),
  hostileJson,
);
