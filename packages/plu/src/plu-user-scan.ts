/**
 * The paged List Users scan. Plu has no single-user read, so `getStatus` (by `serviceId`), the
 * create's reconciliation (by email) and the retry's reconciliation (by `serviceId`) page
 * `GET /v1/partner/card/users` until the user is found, the list ends, or the page cap
 * (`maxScanPages`) is reached. Cost: one GET per 100 users scanned, at most `maxScanPages` GETs.
 * Source: https://docs.getplu.com/api-reference/users/list-users
 */
import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import { kycError, userRef, withLazyRaw } from '@kycport/core';
import type { CallOptions, KycError, StatusResult } from '@kycport/core';
import type { HttpClient } from '@kycport/http';
import { PLU_ENDPOINTS } from './plu-api';
import type { PluListedUser } from './plu-api';
import { PLU_PROVIDER_ID } from './plu-config';
import { pluKycState, pluRetryCountOf } from './plu-status-mapping';

/**
 * Users per List Users page. Plu documents `limit` (default 50) but no maximum; 100 halves the
 * requests of a scan against the default while staying a size APIs commonly allow. If Plu caps it
 * lower, the scan still works: it advances by the users actually returned.
 */
export const PLU_LIST_PAGE_SIZE = 100;

/** `providerCode` of the error a scan returns when it reached `maxScanPages` before the list ended. */
export const PLU_SCAN_PAGE_LIMIT_CODE = 'SCAN_PAGE_LIMIT';

/** What every scan needs: the client and the page cap (`maxScanPages`). */
export interface PluUserScan {
  readonly client: HttpClient;
  readonly maxPages: number;
}

type ScanOptions = Pick<CallOptions, 'signal' | 'timeoutMs' | 'deadlineMs'>;

function samePageError(operation: string, httpStatus: number): KycError {
  return kycError('unexpected_response', {
    provider: PLU_PROVIDER_ID,
    message: `${PLU_PROVIDER_ID}: ${operation}: List Users returned the same page for a later skip, so the scan cannot continue`,
    issues: [{ path: 'response.data.pagination', message: 'expected skip to advance the page' }],
    httpStatus,
    // A read: nothing changed at Plu.
    outcome: 'rejected',
  });
}

/** The scan read `maxPages` pages and the list goes on: stop, naming the setting. */
export function pluScanPageLimitError(operation: string, maxPages: number): KycError {
  return kycError('unsupported', {
    provider: PLU_PROVIDER_ID,
    operation,
    message:
      `${PLU_PROVIDER_ID}: ${operation}: the user was not among the first ${maxPages} pages of ` +
      `${PLU_LIST_PAGE_SIZE} users and the list goes on; the scan stops at the maxScanPages setting ` +
      '(PLU_MAX_SCAN_PAGES): raise it for a larger partner account',
    providerCode: PLU_SCAN_PAGE_LIMIT_CODE,
    retryable: false,
    // The pages past the cap were not requested; the pages read changed nothing at Plu.
    outcome: 'not_sent',
  });
}

/**
 * The list ends on an empty page, or at `skip >= total` when Plu sends a `total`. A page shorter
 * than asked for does not end it: Plu documents no maximum `limit`, so it may cap pages below the
 * 100 asked for, and without a `total` only an empty page says the list is over (one GET more).
 */
function listEnded(returned: number, nextSkip: number, total: number | undefined): boolean {
  if (returned === 0) return true;
  return total !== undefined && nextSkip >= total;
}

interface ScanPosition {
  readonly skip: number;
  /** 1 for the first page. */
  readonly page: number;
  readonly previousFirst: string | undefined;
}

/**
 * Pages List Users from `skip=0` until `matches` holds for a user (right: that user), the list
 * ends (right: undefined) or `maxPages` pages were read (left: `SCAN_PAGE_LIMIT`). `operation`
 * names the port operation the scan serves in messages and observer events (`getStatus`,
 * `createUser (reconcile by email)`).
 */
export function scanPluUsers(
  scan: PluUserScan,
  operation: string,
  matches: (user: PluListedUser) => boolean,
  options: ScanOptions,
): TE.TaskEither<KycError, PluListedUser | undefined> {
  const endpoint = { ...PLU_ENDPOINTS.listUsers, operation };
  // A loop with early returns rather than a recursive `TE.chain`: the same pages in the same order,
  // without fp-ts's closures and promise hops per page (several µs a call in the benchmark profile).
  return async () => {
    let at: ScanPosition = { skip: 0, page: 1, previousFirst: undefined };
    for (;;) {
      const read = await scan.client.call(
        endpoint,
        { query: { skip: at.skip, limit: PLU_LIST_PAGE_SIZE } },
        options,
      )();
      if (E.isLeft(read)) return read;
      const page = read.right;
      const { users, pagination } = page.data.data;
      const match = users.find(matches);
      if (match !== undefined) return E.right(match);
      const first = users[0]?.serviceId;
      // The same page twice: Plu ignored `skip`. Stop rather than loop.
      if (first !== undefined && first === at.previousFirst) {
        return E.left(samePageError(operation, page.status));
      }
      const nextSkip = at.skip + users.length;
      if (listEnded(users.length, nextSkip, pagination?.total)) return E.right(undefined);
      if (at.page >= scan.maxPages) return E.left(pluScanPageLimitError(operation, scan.maxPages));
      at = { skip: nextSkip, page: at.page + 1, previousFirst: first };
    }
  };
}

function sameEmail(a: string | undefined, b: string): boolean {
  return a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The listed user with this email (case-insensitive; Plu requires emails unique per partner). */
export function findPluUserByEmail(
  scan: PluUserScan,
  email: string,
  options: ScanOptions,
): TE.TaskEither<KycError, PluListedUser | undefined> {
  return scanPluUsers(
    scan,
    'createUser (reconcile by email)',
    (user) => sameEmail(user.email, email),
    options,
  );
}

/** The listed user with this `serviceId`. */
export function findPluUserByServiceId(
  scan: PluUserScan,
  operation: string,
  serviceId: string,
  options: ScanOptions,
): TE.TaskEither<KycError, PluListedUser | undefined> {
  return scanPluUsers(scan, operation, (user) => user.serviceId === serviceId, options);
}

/**
 * A listed user's `StatusResult`. The list documents no `retryCount`: a listed one, else the last
 * count Plu reported to this instance (`knownRetryCount`).
 */
export function pluListedStatus(
  user: PluListedUser,
  knownRetryCount?: (serviceId: string) => number | undefined,
): StatusResult {
  return withLazyRaw(
    {
      provider: PLU_PROVIDER_ID,
      userRef: userRef(user.serviceId),
      state: pluKycState(user.status, {
        retryCount: pluRetryCountOf(user.retryCount) ?? knownRetryCount?.(user.serviceId),
      }),
    },
    user,
  );
}

/** `getStatus`: the listed status of the user, or `not_found` once every page was scanned. */
export function pluUserStatus(
  scan: PluUserScan,
  serviceId: string,
  options: ScanOptions,
  knownRetryCount?: (serviceId: string) => number | undefined,
): TE.TaskEither<KycError, StatusResult> {
  const find = findPluUserByServiceId(scan, 'getStatus', serviceId, options);
  // A `then` rather than `TE.chain`: one promise hop less per call (see scanPluUsers).
  return () =>
    find().then((found): E.Either<KycError, StatusResult> => {
      if (E.isLeft(found)) return found;
      const user = found.right;
      if (user !== undefined) return E.right(pluListedStatus(user, knownRetryCount));
      return E.left(
        kycError('not_found', {
          provider: PLU_PROVIDER_ID,
          message: `${PLU_PROVIDER_ID}: getStatus: no user with this serviceId in the partner user list (all pages scanned)`,
          retryable: false,
          outcome: 'rejected',
        }),
      );
    });
}
