/**
 * Property: any answer Plu (or something in front of it) gives to create, retry and list, in any
 * status, as JSON of any shape or as text, ends in a Right or a typed Left: never a throw or a
 * rejected promise; every error says what the call did (`outcome`); every redirect passes core's
 * check; the retry is never sent twice and the create at most twice; the scan stays within its cap.
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { isKycError, isSafeRedirectUrl } from '@kycport/core';
import type { KycError, KycResult } from '@kycport/core';
import {
  PROPERTY_TIMEOUT_MS,
  cleanNock,
  createAnswer,
  fakePlu,
  listAnswer,
  retryAnswer,
} from './plu-property-support';
import { buildProvider, validInput, pluRef } from './plu-test-support';

afterEach(cleanNock);

const OUTCOMES = ['not_sent', 'rejected', 'unknown'];
const MAX_SCAN_PAGES = 3;
/** Transport attempts per list page (transport retries are off here: they are the transport's tests). */
const ATTEMPTS_PER_PAGE = 1;

/** The result is typed either way, and a success never hands an unchecked URL to a browser. */
function typed(result: E.Either<KycError, KycResult>): void {
  if (E.isLeft(result)) {
    expect(isKycError(result.left)).toBe(true);
    expect(OUTCOMES).toContain(result.left.outcome);
    return;
  }
  expect(typeof result.right.userRef).toBe('string');
  const { nextAction } = result.right.state;
  if (nextAction.type === 'redirect') expect(isSafeRedirectUrl(nextAction.url)).toBe(true);
  if (nextAction.type === 'redirect_unavailable') expect(nextAction.reason.length).toBeGreaterThan(0);
}

function provider() {
  return buildProvider({ maxScanPages: MAX_SCAN_PAGES }, { transport: { retry: false } }).provider;
}

describe('property: any provider answer gives a typed result', () => {
  it(
    'createUser: any create and list answers',
    async () => {
      const fake = fakePlu();
      const plu = provider();
      await fc.assert(
        fc.asyncProperty(createAnswer, listAnswer, async (create, list) => {
          fake.reset();
          fake.answer({ create, list });
          typed(await plu.createUser(validInput)());
          // The first POST and at most one resend with the same key.
          expect(fake.seen.create).toBeGreaterThanOrEqual(1);
          expect(fake.seen.create).toBeLessThanOrEqual(2);
          // At most two reconciling scans, each within the page cap.
          expect(fake.seen.list).toBeLessThanOrEqual(2 * MAX_SCAN_PAGES * ATTEMPTS_PER_PAGE);
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'retry: any retry and list answers, and the retry is sent exactly once',
    async () => {
      const fake = fakePlu();
      const plu = provider();
      await fc.assert(
        fc.asyncProperty(retryAnswer, listAnswer, async (retry, list) => {
          fake.reset();
          fake.answer({ retry, list });
          const result = await plu.retry(pluRef('acme-user-abc123'))();
          typed(result);
          expect(fake.seen.retry).toBe(1);
          expect(fake.seen.list).toBeLessThanOrEqual(MAX_SCAN_PAGES * ATTEMPTS_PER_PAGE);
          // A failure that may have acted is never advertised as safe to repeat.
          if (E.isLeft(result) && result.left.outcome === 'unknown')
            expect(result.left.retryable).toBe(false);
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'getStatus: any list answer, within the page cap',
    async () => {
      const fake = fakePlu();
      const plu = provider();
      await fc.assert(
        fc.asyncProperty(listAnswer, async (list) => {
          fake.reset();
          fake.answer({ list });
          typed(await plu.getStatus(pluRef('acme-user-abc123'))());
          expect(fake.seen.list).toBeLessThanOrEqual(MAX_SCAN_PAGES * ATTEMPTS_PER_PAGE);
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
