/**
 * The List Users scan is bounded (issue 11): at most `maxScanPages` GETs (`PLU_MAX_SCAN_PAGES`,
 * default `PLU_DEFAULT_MAX_SCAN_PAGES`), then a typed `unsupported` error with providerCode
 * `SCAN_PAGE_LIMIT` naming the setting. Tested against a list that never ends.
 */
import * as E from 'fp-ts/Either';
import nock from 'nock';
import type { KycError } from '@kycport/core';
import { pluAdapter } from '../src';
import { PLU_DEFAULT_MAX_SCAN_PAGES } from '../src/plu-config';
import { PLU_LIST_PAGE_SIZE } from '../src/plu-user-scan';
import { buildProvider, cleanNockAfterEach, listedUser, plu, validInput, pluRef } from './plu-test-support';

cleanNockAfterEach();
afterEach(() => nock.abortPendingRequests());

const LIST_PATH = '/api/v1/partner/card/users';
const CREATE_PATH = '/api/v2/partner/card/users';
const STAGING_KEY = 'sk_staging_abc123';

/** A list that never ends: every page is full of new users, with or without a growing total. */
function endlessList(withTotal: boolean): { requests: () => number } {
  let requests = 0;
  plu()
    .get(LIST_PATH)
    .query(true)
    .reply(200, (uri) => {
      requests += 1;
      const skip = Number(new URL(uri, 'http://x').searchParams.get('skip'));
      const users = Array.from({ length: PLU_LIST_PAGE_SIZE }, (_, index) =>
        listedUser(`acme-user-${skip + index}`, 'approved'),
      );
      const pagination = withTotal ? { pagination: { skip, limit: 100, total: skip + 1_000 } } : {};
      return { status: 'success', data: { users, ...pagination } };
    })
    .persist();
  return { requests: () => requests };
}

async function left<A>(task: () => Promise<E.Either<KycError, A>>): Promise<KycError> {
  const result = await task();
  if (E.isRight(result)) throw new Error('expected an error');
  return result.left;
}

describe('plu user scan: the page cap', () => {
  it.each([true, false])(
    'stops a list that never ends (total given: %p) after maxScanPages GETs with SCAN_PAGE_LIMIT',
    async (withTotal) => {
      const { provider, observer } = buildProvider({ maxScanPages: 7 });
      const list = endlessList(withTotal);
      const error = await left(provider.getStatus(pluRef('acme-user-nowhere')));
      expect(error).toMatchObject({
        kind: 'unsupported',
        operation: 'getStatus',
        providerCode: 'SCAN_PAGE_LIMIT',
        retryable: false,
        outcome: 'not_sent',
      });
      expect(error.message).toContain('maxScanPages');
      expect(error.message).toContain('PLU_MAX_SCAN_PAGES');
      expect(list.requests()).toBe(7);
      expect(observer.count()).toBe(7);
    },
  );

  it(`defaults to ${PLU_DEFAULT_MAX_SCAN_PAGES} pages`, async () => {
    const { provider } = buildProvider();
    const list = endlessList(true);
    expect(await left(provider.getStatus(pluRef('acme-user-nowhere')))).toMatchObject({
      providerCode: 'SCAN_PAGE_LIMIT',
    });
    expect(list.requests()).toBe(PLU_DEFAULT_MAX_SCAN_PAGES);
  });

  it('finds a user on the last allowed page, and a list that ends on it is not_found', async () => {
    const { provider } = buildProvider({ maxScanPages: 3 });
    endlessList(true);
    expect(await provider.getStatus(pluRef('acme-user-250'))()).toMatchObject({
      _tag: 'Right',
      right: { userRef: pluRef('acme-user-250') },
    });
    nock.cleanAll();
    plu()
      .get(LIST_PATH)
      .query(true)
      .times(3)
      .reply(200, (uri) => {
        const skip = Number(new URL(uri, 'http://x').searchParams.get('skip'));
        const users = Array.from({ length: 100 }, (_, index) =>
          listedUser(`acme-user-${skip + index}`, 'approved'),
        );
        return { status: 'success', data: { users, pagination: { skip, limit: 100, total: 300 } } };
      });
    expect(await left(provider.getStatus(pluRef('acme-user-nowhere')))).toMatchObject({
      kind: 'not_found',
      outcome: 'rejected',
    });
  });

  it("bounds the create's reconciliation too, and says which setting stopped it", async () => {
    const { provider } = buildProvider({ maxScanPages: 2 });
    plu()
      .post(CREATE_PATH)
      .replyWithError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
    const list = endlessList(false);
    const error = await left(provider.createUser(validInput));
    expect(error).toMatchObject({ kind: 'timeout', outcome: 'unknown' });
    expect(error.message).toContain('PLU_MAX_SCAN_PAGES');
    expect(list.requests()).toBe(2);
  });

  it('reads maxScanPages from PLU_MAX_SCAN_PAGES and refuses values out of range', () => {
    expect(pluAdapter.configFromEnv({ PLU_API_KEY: STAGING_KEY, PLU_MAX_SCAN_PAGES: '250' })).toMatchObject({
      _tag: 'Right',
      right: { maxScanPages: 250 },
    });
    for (const value of ['0', '-1', '1.5', 'many', '10001']) {
      const result = pluAdapter.configFromEnv({ PLU_API_KEY: STAGING_KEY, PLU_MAX_SCAN_PAGES: value });
      expect(E.isLeft(result) && result.left.issues.map((issue) => issue.path)).toEqual([
        'PLU_MAX_SCAN_PAGES',
      ]);
    }
    expect(E.isLeft(pluAdapter.parseConfig({ apiKey: STAGING_KEY, maxScanPages: 0 }))).toBe(true);
  });
});

/**
 * Issue 12: Plu documents `limit` (default 50) and no maximum; the adapter asks for 100. A server
 * that caps pages lower and sends no `pagination.total` must not end the scan at its first short
 * page: the scan goes on until an empty page (or `total`, when given).
 */
describe('plu user scan: pages shorter than asked for', () => {
  /** A list of `size` users served in pages of at most `cap`, with or without a total. */
  function cappedList(size: number, cap: number, withTotal: boolean): { skips: number[] } {
    const skips: number[] = [];
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, (uri) => {
        const query = new URL(uri, 'http://x').searchParams;
        const skip = Number(query.get('skip'));
        const limit = Math.min(Number(query.get('limit')), cap);
        skips.push(skip);
        const users = Array.from({ length: Math.max(0, Math.min(limit, size - skip)) }, (_, index) =>
          listedUser(`acme-user-${skip + index}`, 'approved'),
        );
        const pagination = withTotal
          ? { pagination: { skip, limit, total: size } }
          : { pagination: { skip, limit } };
        return { status: 'success', data: { users, ...pagination } };
      })
      .persist();
    return { skips };
  }

  it('without total, finds a user past the first short page (Plu capping limit at 50)', async () => {
    const { provider } = buildProvider();
    const list = cappedList(180, 50, false);
    expect(await provider.getStatus(pluRef('acme-user-170'))()).toMatchObject({
      _tag: 'Right',
      right: { userRef: pluRef('acme-user-170'), state: { status: 'approved' } },
    });
    expect(list.skips).toEqual([0, 50, 100, 150]);
  });

  it('without total, a user not listed is not_found only after an empty page', async () => {
    const { provider } = buildProvider();
    const list = cappedList(120, 50, false);
    expect(await left(provider.getStatus(pluRef('acme-user-nowhere')))).toMatchObject({ kind: 'not_found' });
    expect(list.skips).toEqual([0, 50, 100, 120]);
  });

  it('with total, stops once skip reaches it (no extra request)', async () => {
    const { provider } = buildProvider();
    const list = cappedList(120, 50, true);
    expect(await left(provider.getStatus(pluRef('acme-user-nowhere')))).toMatchObject({ kind: 'not_found' });
    expect(list.skips).toEqual([0, 50, 100]);
  });

  it('without total, still stops at maxScanPages', async () => {
    const { provider } = buildProvider({ maxScanPages: 2 });
    const list = cappedList(500, 50, false);
    expect(await left(provider.getStatus(pluRef('acme-user-nowhere')))).toMatchObject({
      providerCode: 'SCAN_PAGE_LIMIT',
    });
    expect(list.skips).toEqual([0, 50]);
  });
});
