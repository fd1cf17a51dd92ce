/**
 * Property: any answer Plaid could send (any status, JSON of any shape with hostile keys and lone
 * surrogates, text that is not JSON), served by nock for create, get and list, gives a Right or a
 * typed Left: no decoder or mapping throws, and every error says what the call did (`outcome`).
 * Retry: plaid-retry-answers.property.test.ts; webhook key: plaid-webhook-answers.property.test.ts
 * (one file each: nock 14 retains memory per request, so `pnpm fuzz` spreads them over files).
 */
import * as fc from 'fast-check';
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
import { BASE_URL, config, plaidRef, validInput } from './plaid-test-kit';

const REF = plaidRef('host-user-1');

let provider: PlaidProvider;

beforeEach(() => {
  provider = createPlaidProvider(config, { transport: { retry: false } });
});
afterEach(() => {
  provider.close();
  nock.cleanAll();
});

/** One answer for `path`, then the call; the answer is always consumed or cleaned up. */
async function answered(path: string, status: number, text: string, call: () => Promise<unknown>) {
  nock.cleanAll();
  nock(BASE_URL).post(path).reply(status, text);
  const result = expectTypedResult(await call());
  nock.cleanAll();
  return result;
}

describe('property: Plaid answers of any shape give a Right or a typed Left', () => {
  it(
    'create',
    async () => {
      await fc.assert(
        fc.asyncProperty(answerStatus, answerText(attemptJson), (status, text) =>
          answered('/identity_verification/create', status, text, () =>
            provider.createUser(validInput)(),
          ).then(() => undefined),
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'get',
    async () => {
      await fc.assert(
        fc.asyncProperty(answerStatus, answerText(attemptJson), (status, text) =>
          answered('/identity_verification/get', status, text, () =>
            provider.getVerification('idv_1')(),
          ).then(() => undefined),
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'list',
    async () => {
      await fc.assert(
        fc.asyncProperty(answerStatus, answerText(listJson), (status, text) =>
          answered('/identity_verification/list', status, text, () => provider.getStatus(REF)()).then(
            () => undefined,
          ),
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
