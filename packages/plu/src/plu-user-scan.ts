/**
 * The paged List Users scan. Plu has no single-user read, so `getStatus` (by `serviceId`) and the
 * create's reconciliation (by email) page `GET /v1/partner/card/users` until the user is found or
 * the list ends. Cost: one GET per 100 users scanned.
 * Source: https://docs.getplu.com/api-reference/users/list-users
 */
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { kycError, userRef, withLazyRaw } from '@kycport/core';
import type { CallOptions, KycError, StatusResult } from '@kycport/core';
import type { HttpClient } from '@kycport/http';
import { PLU_ENDPOINTS } from './plu-api';
import type { PluListedUser } from './plu-api';
import { PLU_PROVIDER_ID } from './plu-config';
import { pluKycState } from './plu-status-mapping';

/**
 * Users per List Users page. Plu documents `limit` (default 50) but no maximum; 100 halves the
 * requests of a scan against the default while staying a size APIs commonly allow. If Plu caps it
 * lower, the scan still works: it advances by the users actually returned.
 */
export const PLU_LIST_PAGE_SIZE = 100;

type ScanOptions = Pick<CallOptions, 'signal' | 'timeoutMs'>;

function samePageError(operation: string, httpStatus: number): KycError {
  return kycError('unexpected_response', {
    provider: PLU_PROVIDER_ID,
    message: `${PLU_PROVIDER_ID}: ${operation}: List Users returned the same page for a later skip, so the scan cannot continue`,
    issues: [{ path: 'response.data.pagination', message: 'expected skip to advance the page' }],
    httpStatus,
  });
}

/** The list ends at `skip >= total`, on an empty page, or (without a `total`) on a short page. */
function listEnded(returned: number, nextSkip: number, total: number | undefined): boolean {
  if (returned === 0) return true;
  return total !== undefined ? nextSkip >= total : returned < PLU_LIST_PAGE_SIZE;
}

/**
 * Pages List Users from `skip=0` until `matches` holds for a user (right: that user) or the list
 * ends (right: undefined). `operation` names the port operation the scan serves in messages and
 * observer events (`getStatus`, `createUser (reconcile by email)`).
 */
export function scanPluUsers(
  client: HttpClient,
  operation: string,
  matches: (user: PluListedUser) => boolean,
  options: ScanOptions,
): TE.TaskEither<KycError, PluListedUser | undefined> {
  const endpoint = { ...PLU_ENDPOINTS.listUsers, operation };
  const scanFrom = (
    skip: number,
    previousFirst: string | undefined,
  ): TE.TaskEither<KycError, PluListedUser | undefined> =>
    pipe(
      client.call(endpoint, { query: { skip, limit: PLU_LIST_PAGE_SIZE } }, options),
      TE.chain((page) => {
        const { users, pagination } = page.data.data;
        const match = users.find(matches);
        if (match !== undefined) return TE.right(match);
        const first = users[0]?.serviceId;
        // The same page twice: Plu ignored `skip`. Stop rather than loop.
        if (first !== undefined && first === previousFirst)
          return TE.left(samePageError(operation, page.status));
        const nextSkip = skip + users.length;
        return listEnded(users.length, nextSkip, pagination?.total)
          ? TE.right(undefined)
          : scanFrom(nextSkip, first);
      }),
    );
  return scanFrom(0, undefined);
}

function sameEmail(a: string | undefined, b: string): boolean {
  return a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The listed user with this email (case-insensitive; Plu requires emails unique per partner). */
export function findPluUserByEmail(
  client: HttpClient,
  email: string,
  options: ScanOptions,
): TE.TaskEither<KycError, PluListedUser | undefined> {
  return scanPluUsers(
    client,
    'createUser (reconcile by email)',
    (user) => sameEmail(user.email, email),
    options,
  );
}

/** `getStatus`: the listed status of the user, or `not_found` once every page was scanned. */
export function pluUserStatus(
  client: HttpClient,
  serviceId: string,
  options: ScanOptions,
): TE.TaskEither<KycError, StatusResult> {
  return pipe(
    scanPluUsers(client, 'getStatus', (user) => user.serviceId === serviceId, options),
    TE.chain((user) =>
      user === undefined
        ? TE.left(
            kycError('not_found', {
              provider: PLU_PROVIDER_ID,
              message: `${PLU_PROVIDER_ID}: getStatus: no user with this serviceId in the partner user list (all pages scanned)`,
              retryable: false,
            }),
          )
        : TE.right(
            withLazyRaw(
              {
                provider: PLU_PROVIDER_ID,
                userRef: userRef(user.serviceId),
                state: pluKycState(user.status),
              },
              user,
            ),
          ),
    ),
  );
}
