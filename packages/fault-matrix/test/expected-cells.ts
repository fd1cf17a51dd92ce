/**
 * What every cell of the fault matrix must report, written from the rules of issue 11 (see
 * docs/reliability.md), not from what an adapter happens to do:
 * 1. An error from a call that may have acted at the provider has `outcome: 'unknown'`; an error
 *    status is `rejected`; nothing sent is `not_sent`.
 * 2. `retryable: true` only where repeating the call is safe; the matrix repeats exactly those calls,
 *    as a host would, and the repeat must leave exactly one user and no extra attempt.
 * 3. Where the provider offers a read that tells whether the call took effect, the adapter resolves
 *    the unknown itself before answering (a result, not an error); where it cannot tell, the error
 *    says so: `retryable: false`, `outcome: 'unknown'`.
 * 4. A URL that existed only in a lost answer is reported as `redirect_unavailable`, never as a
 *    silent `await_provider`.
 * 5. An idempotent read (`getStatus`) is repeated by the transport after a timeout, a reset, a 5xx or
 *    a 429; an answer it cannot read is an `unexpected_response`, not repeated.
 * Row: result, retryable, outcome, requests the simulator saw, the host's repeat, users, attempts.
 */
import { FAULT_NAMES, OPERATIONS, PROVIDERS } from './matrix-model';
import type { Cell, CellReport, FaultName, OperationName, ProviderName } from './matrix-model';

type Row = readonly [string, string, string, number, string, number, number];
type Block = Record<FaultName, Row>;

/** What a read that the transport repeats once returns, or the unreadable answer it does not repeat. */
function readCells(state: string): Block {
  const recovered: Row = [`ok: ${state}`, '-', '-', 2, '-', 1, 1];
  const unreadable: Row = ['unexpected_response', 'no', 'unknown', 1, '-', 1, 1];
  return {
    timeout_before_acting: recovered,
    timeout_after_acting: recovered,
    reset: recovered,
    http_500: recovered,
    http_502: recovered,
    http_503: recovered,
    http_429: recovered,
    malformed_200: unreadable,
    wrong_shape_200: unreadable,
    slow_body: recovered,
  };
}

/** The provider refused the call with an error status: nothing happened, a repeat is safe. */
function rejected(
  requests: number,
  repeat: string,
  attempts: number,
): Pick<Block, 'http_500' | 'http_502' | 'http_503' | 'http_429'> {
  const unavailable: Row = [
    'provider_unavailable',
    'yes',
    'rejected',
    requests,
    `ok: ${repeat}`,
    1,
    attempts,
  ];
  return {
    http_500: unavailable,
    http_502: unavailable,
    http_503: unavailable,
    http_429: ['rate_limited', 'yes', 'rejected', requests, `ok: ${repeat}`, 1, attempts],
  };
}

const UNSUPPORTED: Row = ['unsupported', 'no', 'not_sent', 0, '-', 0, 0];
const unsupportedCells = (): Block =>
  Object.fromEntries(FAULT_NAMES.map((fault) => [fault, UNSUPPORTED])) as Block;

const EXPECTED: Record<ProviderName, Record<OperationName, Block>> = {
  plu: {
    // Unknown outcome: look the email up; not listed: POST again with the same idempotency key (the
    // unique email forbids a second user). Listed: the user, whose Persona URL was in the lost answer.
    createUser: {
      timeout_before_acting: ['ok: action_required, redirect', '-', '-', 3, '-', 1, 1],
      timeout_after_acting: ['ok: action_required, redirect_unavailable', '-', '-', 2, '-', 1, 1],
      reset: ['ok: action_required, redirect', '-', '-', 3, '-', 1, 1],
      ...rejected(1, 'action_required, redirect', 1),
      malformed_200: ['ok: action_required, redirect_unavailable', '-', '-', 2, '-', 1, 1],
      wrong_shape_200: ['ok: action_required, redirect_unavailable', '-', '-', 2, '-', 1, 1],
      slow_body: ['ok: action_required, redirect_unavailable', '-', '-', 2, '-', 1, 1],
    },
    getStatus: readCells('pending, await_provider'),
    // Unknown outcome: read the user list once. No longer denied: the retry took effect. Still
    // denied: the list cannot tell a retry not started from one started and denied again.
    retry: {
      timeout_before_acting: ['timeout', 'no', 'unknown', 2, '-', 1, 1],
      timeout_after_acting: ['ok: action_required, redirect_unavailable', '-', '-', 2, '-', 1, 2],
      reset: ['network', 'no', 'unknown', 2, '-', 1, 1],
      ...rejected(1, 'pending, await_provider', 2),
      malformed_200: ['ok: action_required, redirect_unavailable', '-', '-', 2, '-', 1, 2],
      wrong_shape_200: ['ok: action_required, redirect_unavailable', '-', '-', 2, '-', 1, 2],
      slow_body: ['ok: action_required, redirect_unavailable', '-', '-', 2, '-', 1, 2],
    },
    submitVerification: unsupportedCells(),
  },
  p100: {
    // Unknown outcome: read Get KYC Status. P412 (no user): not created, and a repeat is safe
    // (externalUserId is unique). P445 (created, no verification): start it, then answer.
    createUser: {
      timeout_before_acting: ['timeout', 'yes', 'unknown', 2, 'ok: action_required, redirect', 1, 1],
      timeout_after_acting: ['ok: action_required, redirect', '-', '-', 3, '-', 1, 1],
      reset: ['network', 'yes', 'unknown', 2, 'ok: action_required, redirect', 1, 1],
      ...rejected(1, 'action_required, redirect', 1),
      malformed_200: ['ok: action_required, redirect', '-', '-', 3, '-', 1, 1],
      wrong_shape_200: ['ok: action_required, redirect', '-', '-', 3, '-', 1, 1],
      slow_body: ['ok: action_required, redirect', '-', '-', 3, '-', 1, 1],
    },
    getStatus: readCells('pending, await_provider'),
    // Read Get KYC Status, POST /v1/kyc; a lost answer: read again. A finished attempt before and one
    // in flight after: it took effect (its URL was only in the answer). Unchanged: P100's read has no
    // attempt id and cannot tell, so never retryable. A 2xx P100 answered but kycport cannot read:
    // P100 started it; unknown, not retryable (the URL cannot be built).
    retry: {
      timeout_before_acting: ['timeout', 'no', 'unknown', 3, '-', 1, 1],
      timeout_after_acting: ['ok: action_required, redirect_unavailable', '-', '-', 3, '-', 1, 2],
      reset: ['network', 'no', 'unknown', 3, '-', 1, 1],
      ...rejected(2, 'action_required, redirect', 2),
      malformed_200: ['unexpected_response', 'no', 'unknown', 2, '-', 1, 2],
      wrong_shape_200: ['unexpected_response', 'no', 'unknown', 2, '-', 1, 2],
      slow_body: ['ok: action_required, redirect_unavailable', '-', '-', 3, '-', 1, 2],
    },
    // Method A: Get KYC Status (the pre-read of document data, issue 12), Add KYC File (the faulted
    // request), then Add User Verification (one attempt). P100's read shows no uploads, so a lost
    // upload is never retryable. Upload bodies are not read.
    submitVerification: {
      timeout_before_acting: ['timeout', 'no', 'unknown', 2, '-', 1, 0],
      timeout_after_acting: ['timeout', 'no', 'unknown', 2, '-', 1, 0],
      reset: ['network', 'no', 'unknown', 2, '-', 1, 0],
      ...rejected(2, 'in_review, await_provider', 1),
      malformed_200: ['ok: in_review, await_provider', '-', '-', 3, '-', 1, 1],
      wrong_shape_200: ['ok: in_review, await_provider', '-', '-', 3, '-', 1, 1],
      slow_body: ['timeout', 'no', 'unknown', 2, '-', 1, 0],
    },
  },
  plaid: {
    // /identity_verification/create with is_idempotent: Plaid returns the existing attempt, so the
    // transport repeats it, and an unreadable 2xx is retryable.
    createUser: {
      timeout_before_acting: ['ok: action_required, redirect', '-', '-', 2, '-', 1, 1],
      timeout_after_acting: ['ok: action_required, redirect', '-', '-', 2, '-', 1, 1],
      reset: ['ok: action_required, redirect', '-', '-', 2, '-', 1, 1],
      http_500: ['ok: action_required, redirect', '-', '-', 2, '-', 1, 1],
      http_502: ['ok: action_required, redirect', '-', '-', 2, '-', 1, 1],
      http_503: ['ok: action_required, redirect', '-', '-', 2, '-', 1, 1],
      http_429: ['ok: action_required, redirect', '-', '-', 2, '-', 1, 1],
      malformed_200: ['unexpected_response', 'yes', 'unknown', 1, 'ok: action_required, redirect', 1, 1],
      wrong_shape_200: ['unexpected_response', 'yes', 'unknown', 1, 'ok: action_required, redirect', 1, 1],
      slow_body: ['ok: action_required, redirect', '-', '-', 2, '-', 1, 1],
    },
    getStatus: readCells('action_required, redirect'),
    // List, POST /retry; a lost answer: list again. A new attempt: the one this call started (its
    // shareable URL is in the list). None: the list cannot tell an attempt never started apart
    // from one not listed yet.
    retry: {
      timeout_before_acting: ['timeout', 'no', 'unknown', 3, '-', 1, 1],
      timeout_after_acting: ['ok: action_required, redirect', '-', '-', 3, '-', 1, 2],
      reset: ['network', 'no', 'unknown', 3, '-', 1, 1],
      ...rejected(2, 'action_required, redirect', 2),
      malformed_200: ['ok: action_required, redirect', '-', '-', 3, '-', 1, 2],
      wrong_shape_200: ['ok: action_required, redirect', '-', '-', 3, '-', 1, 2],
      slow_body: ['ok: action_required, redirect', '-', '-', 3, '-', 1, 2],
    },
    submitVerification: unsupportedCells(),
  },
};

function cellOf(provider: ProviderName, operation: OperationName, fault: FaultName): Cell {
  const [result, retryable, outcome, requests, repeat, users, attempts] =
    EXPECTED[provider][operation][fault];
  return { provider, operation, fault, result, retryable, outcome, requests, repeat, users, attempts };
}

/** Every cell, provider by provider, operation by operation, in the order of `FAULTS`. */
export const EXPECTED_CELLS: ReadonlyArray<Cell> = PROVIDERS.flatMap((provider) =>
  OPERATIONS.flatMap((operation) => FAULT_NAMES.map((fault) => cellOf(provider, operation, fault))),
);

/** The report part of a cell (what `runCell` observes). */
export function reportOf(cell: Cell): CellReport {
  const { result, retryable, outcome, requests, repeat, users, attempts } = cell;
  return { result, retryable, outcome, requests, repeat, users, attempts };
}
