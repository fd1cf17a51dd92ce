/**
 * Issue 14: `getStatuses`, Plu's bulk status read (nock). One pass over List Users for a whole
 * batch: the GETs a batch costs (one per page up to the last requested user, the whole list when
 * one is missing, with or without `total`), the early stop, `not_found` entries, invalid refs
 * answered with no request, a failed page failing the call, the `maxScanPages` bound, and refs
 * qualified in and out through `createPluProvider`.
 */
import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import nock from 'nock';
import type { BulkStatusEntry, KycError, UserRef } from '@kycport/core';
import { PLU_LIST_PAGE_SIZE } from '../src';
import { buildProvider, cleanNockAfterEach, errorBody, listedUser, plu, pluRef } from './plu-test-support';

cleanNockAfterEach();
afterEach(() => nock.abortPendingRequests());

const LIST_PATH = '/api/v1/partner/card/users';

const idAt = (position: number): string => `acme-user-${position}`;

/** The status a listed user shows: every third one approved, the others pending_kyc. */
const statusAt = (position: number): string => (position % 3 === 0 ? 'approved' : 'pending_kyc');

interface ListServer {
  /** The `skip` of each GET, in order. */
  readonly skips: number[];
  /** The `limit` of each GET. */
  readonly limits: number[];
}

/**
 * A partner list of `size` users (`acme-user-0`...), paged by `skip`/`limit` as Plu does, with
 * `pagination.total` unless `withTotal` is false; `failAtSkip` answers that page with `status`.
 */
function listOf(
  size: number,
  settings: { withTotal?: boolean; failAtSkip?: number; failStatus?: number } = {},
): ListServer {
  const server: ListServer = { skips: [], limits: [] };
  plu()
    .get(LIST_PATH)
    .query(true)
    .reply((uri) => {
      const params = new URL(uri, 'http://x').searchParams;
      const skip = Number(params.get('skip'));
      const limit = Number(params.get('limit'));
      server.skips.push(skip);
      server.limits.push(limit);
      if (skip === settings.failAtSkip) return [settings.failStatus ?? 401, errorBody('UNAUTHORIZED')];
      const users = Array.from({ length: Math.max(0, Math.min(limit, size - skip)) }, (_, index) =>
        listedUser(idAt(skip + index), statusAt(skip + index)),
      );
      const pagination = settings.withTotal === false ? { skip, limit } : { skip, limit, total: size };
      return [200, { status: 'success', message: 'success', data: { users, pagination } }];
    })
    .persist();
  return server;
}

async function entries(
  task: () => Promise<E.Either<KycError, ReadonlyArray<BulkStatusEntry>>>,
): Promise<ReadonlyArray<BulkStatusEntry>> {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected entries, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

async function failure<A>(task: () => Promise<E.Either<KycError, A>>): Promise<KycError> {
  const result = await task();
  if (E.isRight(result)) throw new Error('expected the whole call to fail');
  return result.left;
}

/** Each entry as `[ref, status]` or `[ref, error kind]`. */
function summary(list: ReadonlyArray<BulkStatusEntry>): ReadonlyArray<readonly [string, string]> {
  return list.map((entry) =>
    'result' in entry ? [entry.ref, entry.result.state.status] : [entry.ref, `error:${entry.error.kind}`],
  );
}

const bulk = (provider: ReturnType<typeof buildProvider>['provider']) => {
  const read = provider.getStatuses;
  if (read === undefined) throw new Error('the Plu provider has no getStatuses');
  return read;
};

describe('plu getStatuses: capabilities', () => {
  it('declares bulkStatus with the page size the scan asks for', async () => {
    const { provider } = buildProvider();
    expect(provider.capabilities.bulkStatus).toEqual({ pageSize: PLU_LIST_PAGE_SIZE });
    const server = listOf(10);
    await entries(bulk(provider)([pluRef(idAt(3))]));
    expect(server.limits).toEqual([PLU_LIST_PAGE_SIZE]);
  });
});

describe('plu getStatuses: one pass over List Users', () => {
  it('reads each page once for users spread over the list, stopping at the page of the last one', async () => {
    const { provider, observer } = buildProvider();
    const server = listOf(450);
    const refs = [idAt(320), idAt(5), idAt(150), idAt(199)].map(pluRef);
    const result = await entries(bulk(provider)(refs));
    expect(summary(result)).toEqual([
      [pluRef(idAt(320)), 'pending'],
      [pluRef(idAt(5)), 'pending'],
      [pluRef(idAt(150)), 'approved'],
      [pluRef(idAt(199)), 'pending'],
    ]);
    // Pages 1-4 (skip 0, 100, 200, 300): page 4 holds user 320, the last one wanted; page 5 is never read.
    expect(server.skips).toEqual([0, 100, 200, 300]);
    expect(observer.count()).toBe(4);
  });

  it('stops on the first page when every user is on it', async () => {
    const { provider } = buildProvider();
    const server = listOf(5_000);
    const refs = Array.from({ length: 40 }, (_, index) => pluRef(idAt(index * 2)));
    const result = await entries(bulk(provider)(refs));
    expect(result.every((entry) => 'result' in entry)).toBe(true);
    expect(server.skips).toEqual([0]);
  });

  it('reads a batch of 1 000 users in 10 GETs where one getStatus each would cost 5 500', async () => {
    const { provider } = buildProvider();
    const server = listOf(1_000);
    const refs = Array.from({ length: 1_000 }, (_, index) => pluRef(idAt(999 - index)));
    const result = await entries(bulk(provider)(refs));
    expect(result.map((entry) => entry.ref)).toEqual(refs);
    expect(result.every((entry) => 'result' in entry && entry.result.userRef === entry.ref)).toBe(true);
    expect(server.skips).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it('answers every ref given twice, from one pass', async () => {
    const { provider } = buildProvider();
    const server = listOf(250);
    const ref = pluRef(idAt(121));
    expect(summary(await entries(bulk(provider)([ref, ref])))).toEqual([
      [ref, 'pending'],
      [ref, 'pending'],
    ]);
    expect(server.skips).toEqual([0, 100]);
  });
});

describe('plu getStatuses: users not in the list', () => {
  it('scans the whole list once and answers not_found for each missing user (total given)', async () => {
    const { provider } = buildProvider();
    const server = listOf(450);
    const refs = [pluRef('acme-user-gone'), pluRef(idAt(13)), pluRef('acme-user-also-gone')];
    const result = await entries(bulk(provider)(refs));
    expect(summary(result)).toEqual([
      [refs[0], 'error:not_found'],
      [refs[1], 'pending'],
      [refs[2], 'error:not_found'],
    ]);
    const missing = result[0] as { error: KycError };
    expect(missing.error).toMatchObject({
      provider: 'plu',
      userRef: refs[0],
      retryable: false,
      outcome: 'rejected',
    });
    expect(missing.error.message).toContain('getStatuses');
    // ceil(450 / 100) pages; `total` ends the list without an empty page.
    expect(server.skips).toEqual([0, 100, 200, 300, 400]);
  });

  it('without pagination.total, reads one empty page more and a short page does not end the list', async () => {
    const { provider } = buildProvider();
    const server = listOf(450, { withTotal: false });
    const result = await entries(bulk(provider)([pluRef('acme-user-gone')]));
    expect(summary(result)).toEqual([[pluRef('acme-user-gone'), 'error:not_found']]);
    expect(server.skips).toEqual([0, 100, 200, 300, 400, 450]);
  });

  it('keeps the maxScanPages bound: SCAN_PAGE_LIMIT for the whole call, no page past the cap', async () => {
    const { provider } = buildProvider({ maxScanPages: 2 });
    const server = listOf(450);
    const error = await failure(bulk(provider)([pluRef(idAt(1)), pluRef(idAt(300))]));
    expect(error).toMatchObject({
      kind: 'unsupported',
      operation: 'getStatuses',
      providerCode: 'SCAN_PAGE_LIMIT',
      outcome: 'not_sent',
    });
    expect(server.skips).toEqual([0, 100]);
  });
});

describe('plu getStatuses: refs and options checked first', () => {
  it('answers each invalid ref with its own validation entry and reads the list for the others', async () => {
    const { provider } = buildProvider();
    const server = listOf(50);
    const refs = ['', pluRef(idAt(7)), 'plaid:idv_123', '   '] as UserRef[];
    const result = await entries(bulk(provider)(refs));
    expect(summary(result)).toEqual([
      ['', 'error:validation'],
      [pluRef(idAt(7)), 'pending'],
      ['plaid:idv_123', 'error:validation'],
      ['   ', 'error:validation'],
    ]);
    expect(server.skips).toEqual([0]);
  });

  it('makes no request when no ref is valid, or none is given', async () => {
    const { provider, observer } = buildProvider();
    const scope = plu().get(LIST_PATH).query(true).reply(500).persist();
    const result = await entries(bulk(provider)(['', 'p100:someone'] as UserRef[]));
    expect(summary(result)).toEqual([
      ['', 'error:validation'],
      ['p100:someone', 'error:validation'],
    ]);
    expect(await entries(bulk(provider)([]))).toEqual([]);
    expect(observer.count()).toBe(0);
    expect(scope.isDone()).toBe(false);
  });

  it('fails the whole call on invalid options, with no request', async () => {
    const { provider, observer } = buildProvider();
    const error = await failure(bulk(provider)([pluRef(idAt(1))], { timeoutMs: -1 }));
    expect(error).toMatchObject({ kind: 'validation', outcome: 'not_sent' });
    expect(observer.count()).toBe(0);
  });
});

describe('plu getStatuses: a failed page', () => {
  it('fails the whole call with that page error (typed, nothing thrown) and reads no page after it', async () => {
    const { provider } = buildProvider();
    const server = listOf(450, { failAtSkip: 100, failStatus: 401 });
    const error = await failure(bulk(provider)([pluRef(idAt(1)), pluRef(idAt(420))]));
    expect(error).toMatchObject({ kind: 'unauthorized', provider: 'plu' });
    expect(server.skips).toEqual([0, 100]);
  });

  it('a page that keeps failing with 503 is retried by the transport, then fails the call', async () => {
    const { provider } = buildProvider();
    const server = listOf(450, { failAtSkip: 200, failStatus: 503 });
    const error = await failure(bulk(provider)([pluRef(idAt(399))]));
    expect(error).toMatchObject({ provider: 'plu', retryable: true });
    expect(server.skips.filter((skip) => skip === 200).length).toBeGreaterThan(1);
    expect(server.skips.some((skip) => skip > 200)).toBe(false);
  });
});

describe('plu getStatuses: qualified refs through createPluProvider', () => {
  it('sends bare serviceIds, answers with the refs given and qualifies results and errors', async () => {
    const { provider } = buildProvider();
    listOf(150);
    // A qualified ref, a bare serviceId stored before refs were qualified, and a missing user.
    const refs = [pluRef(idAt(101)), idAt(2), pluRef('acme-user-gone')] as UserRef[];
    const result = await entries(bulk(provider)(refs));
    expect(result.map((entry) => entry.ref)).toEqual(refs);
    const [first, second, third] = result as [BulkStatusEntry, BulkStatusEntry, BulkStatusEntry];
    expect('result' in first && first.result.userRef).toBe(pluRef(idAt(101)));
    expect('result' in second && second.result.userRef).toBe(pluRef(idAt(2)));
    expect('error' in third && third.error.userRef).toBe(pluRef('acme-user-gone'));
  });
});

describe('plu getStatuses: the cost rule (property)', () => {
  it('GETs = pages up to the last wanted user (the whole list when one is missing); every entry right', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 420 }),
        fc.array(fc.nat({ max: 499 }), { maxLength: 12 }),
        async (size, positions) => {
          nock.cleanAll();
          const { provider } = buildProvider();
          const server = listOf(size);
          const refs = positions.map((position) => pluRef(idAt(position)));
          const result = await entries(bulk(provider)(refs));
          const missing = positions.some((position) => position >= size);
          const lastPage = Math.max(0, ...positions.map((position) => Math.floor(position / 100) + 1));
          const pages = missing || positions.length === 0 ? Math.ceil(size / 100) || 1 : lastPage;
          expect(server.skips.length).toBe(positions.length === 0 ? 0 : pages);
          expect(summary(result)).toEqual(
            positions.map((position) => [
              pluRef(idAt(position)),
              position >= size ? 'error:not_found' : position % 3 === 0 ? 'approved' : 'pending',
            ]),
          );
        },
      ),
    );
  });
});
