/**
 * `getStatuses`: many users' statuses in one pass over Plu's user list. Plu has no single-user
 * read, so a `getStatus` per user would page the list once each; a batch reads it once:
 * - each ref is checked first; an invalid one gets its own `validation` entry, and no request is
 *   made when none is valid (invalid `options` fail the whole call, before any request);
 * - List Users is paged from `skip=0` by the same scan as `getStatus` (plu-user-scan.ts: its end
 *   rule, its repeated-page guard, its `maxScanPages` bound and `SCAN_PAGE_LIMIT` error), stopping
 *   as soon as every requested user was found;
 * - a user the pass did not find gets a `not_found` entry; a page that fails fails the whole call
 *   with that page's error (nothing is known of the users past it).
 * Cost: one GET per `PLU_LIST_PAGE_SIZE` users up to the last requested user in Plu's list order
 * (the whole list when one is missing): about N / 100 GETs for a batch of N users.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { kycError, validationError } from '@kycport/core';
import type { BulkStatusEntry, CallOptions, KycError, UserRef } from '@kycport/core';
import type { PluListedUser } from './plu-api';
import { PLU_PROVIDER_ID } from './plu-config';
import { toPluCallOptions, toPluServiceId } from './plu-request-mapping';
import { pluListedStatus, scanPluUsers } from './plu-user-scan';
import type { PluUserScan } from './plu-user-scan';

const OPERATION = 'getStatuses';

interface CheckedRef {
  readonly ref: UserRef;
  readonly serviceId: E.Either<KycError, UserRef>;
}

function notFound(serviceId: UserRef): KycError {
  return kycError('not_found', {
    provider: PLU_PROVIDER_ID,
    message: `${PLU_PROVIDER_ID}: ${OPERATION}: no user with this serviceId in the partner user list (all pages scanned)`,
    userRef: serviceId,
    retryable: false,
    outcome: 'rejected',
  });
}

/** One entry per ref, in order: its listed status, its validation error, or `not_found`. */
function entriesOf(
  checked: ReadonlyArray<CheckedRef>,
  found: ReadonlyMap<string, PluListedUser>,
  knownRetryCount?: (serviceId: string) => number | undefined,
): ReadonlyArray<BulkStatusEntry> {
  return checked.map(({ ref, serviceId }): BulkStatusEntry => {
    if (E.isLeft(serviceId)) return { ref, error: serviceId.left };
    const user = found.get(serviceId.right);
    return user === undefined
      ? { ref, error: notFound(serviceId.right) }
      : { ref, result: pluListedStatus(user, knownRetryCount) };
  });
}

/**
 * One pass over List Users for every valid ref. The scan's predicate records each wanted user it
 * meets and answers true once all are recorded, which ends the scan on that page.
 */
function scanFor(
  scan: PluUserScan,
  wanted: ReadonlySet<string>,
  options: CallOptions,
): TE.TaskEither<KycError, ReadonlyMap<string, PluListedUser>> {
  const found = new Map<string, PluListedUser>();
  if (wanted.size === 0) return TE.right(found);
  const record = (user: PluListedUser): boolean => {
    if (wanted.has(user.serviceId) && !found.has(user.serviceId)) found.set(user.serviceId, user);
    return found.size === wanted.size;
  };
  return pipe(
    scanPluUsers(scan, OPERATION, record, options),
    TE.map(() => found),
  );
}

/** `getStatuses(refs, options)` of the Plu provider (see the file comment). Never throws. */
export function pluBulkStatuses(
  scan: PluUserScan,
  refs: ReadonlyArray<UserRef>,
  options: CallOptions | undefined,
  knownRetryCount?: (serviceId: string) => number | undefined,
): TE.TaskEither<KycError, ReadonlyArray<BulkStatusEntry>> {
  const checkedOptions = toPluCallOptions(options);
  if (E.isLeft(checkedOptions)) return TE.left(checkedOptions.left);
  // A JavaScript caller may pass anything: only an array of refs is read.
  if (!Array.isArray(refs))
    return TE.left(
      validationError(PLU_PROVIDER_ID, [{ path: 'refs', message: 'must be an array of user refs' }]),
    );
  const checked: ReadonlyArray<CheckedRef> = refs.map((ref: UserRef) => ({
    ref,
    serviceId: toPluServiceId(ref),
  }));
  const wanted = new Set(checked.flatMap(({ serviceId }) => (E.isRight(serviceId) ? [serviceId.right] : [])));
  return pipe(
    scanFor(scan, wanted, checkedOptions.right),
    TE.map((found) => entriesOf(checked, found, knownRetryCount)),
  );
}
