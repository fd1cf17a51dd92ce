/**
 * Property: any answer to `/identity_verification/retry` (and to the `/list` read after one that
 * cannot be read), served by nock, gives a Right or a typed Left with an `outcome`; an unknown
 * outcome names the user.
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import nock from 'nock';
import { createPlaidProvider } from '../src/plaid-adapter';
import type { PlaidProvider } from '../src/plaid-provider';
import {
  PROPERTY_TIMEOUT_MS,
  answerStatus,
  answerText,
  attemptJson,
  expectTypedResult,
  listJson,
} from './plaid-property-kit';
import { BASE_URL, config, failedAttempt, listOf, plaidRef } from './plaid-test-kit';

const REF = plaidRef('host-user-1');
let provider: PlaidProvider;

beforeEach(() => {
  provider = createPlaidProvider(config, { transport: { retry: false } });
});
afterEach(() => {
  provider.close();
  nock.cleanAll();
});

describe('property: Plaid retry answers of any shape give a Right or a typed Left', () => {
  it(
    'retry (with the lookup before and the reconciliation after a 2xx it cannot read)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          answerStatus,
          answerText(attemptJson),
          answerText(listJson),
          async (status, text, relist) => {
            nock.cleanAll();
            nock(BASE_URL)
              .post('/identity_verification/list')
              .reply(200, listOf([failedAttempt()]));
            nock(BASE_URL).post('/identity_verification/retry').reply(status, text);
            nock(BASE_URL).post('/identity_verification/list').reply(200, relist);
            const result = expectTypedResult(await provider.retry(REF, { strategy: { kind: 'restart' } })());
            if (E.isLeft(result) && result.left.outcome === 'unknown') expect(result.left.userRef).toBe(REF);
            nock.cleanAll();
          },
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
