/**
 * Helpers of the Plu property tests (not a test file): a nock stand-in for Plu whose answers each
 * property run sets and whose requests it counts, the arbitraries of hostile values and provider
 * answers, and a jest timeout that grows with the run count (`pnpm fuzz` runs 10 000 per property).
 */
import * as fc from 'fast-check';
import nock from 'nock';
import { plu } from './plu-test-support';

const runs = Number.parseInt(process.env.KYCPORT_FUZZ_RUNS ?? '', 10);

/**
 * 20 s for the test command's 100 runs; beyond that 40 ms a run (a run with HTTP through nock takes
 * about 15 ms here, so `pnpm fuzz`'s 10 000 runs of one property take minutes, not seconds).
 */
export const PROPERTY_TIMEOUT_MS = Math.max(20_000, (Number.isInteger(runs) && runs > 0 ? runs : 100) * 40);

export interface Answer {
  readonly status: number;
  /** JSON-serializable value (sent as JSON) or raw text. */
  readonly body: unknown;
}

export interface FakePlu {
  /** Sets what each endpoint answers from now on. */
  answer(answers: { create?: Answer; retry?: Answer; list?: Answer }): void;
  /** Requests seen since the last `reset`, by endpoint. */
  readonly seen: { create: number; retry: number; list: number };
  reset(): void;
  /** All requests since the last `reset`. */
  total(): number;
}

const FALLBACK: Answer = { status: 500, body: { status: 'error', message: 'INTERNAL_ERROR' } };

/** Persistent interceptors for the three KYC endpoints on the staging origin. */
export function fakePlu(): FakePlu {
  const seen = { create: 0, retry: 0, list: 0 };
  let answers: { create?: Answer; retry?: Answer; list?: Answer } = {};
  const serve = (name: keyof typeof seen) => (): [number, unknown] => {
    seen[name] += 1;
    const answer = answers[name] ?? FALLBACK;
    return [answer.status, answer.body];
  };
  plu().post('/api/v2/partner/card/users').reply(serve('create')).persist();
  plu()
    .post(/^\/api\/v2\/partner\/card\/users\/[^/]+\/retry-kyc$/)
    .reply(serve('retry'))
    .persist();
  plu().get('/api/v1/partner/card/users').query(true).reply(serve('list')).persist();
  return {
    answer: (next) => {
      answers = next;
    },
    seen,
    reset: () => {
      seen.create = 0;
      seen.retry = 0;
      seen.list = 0;
    },
    total: () => seen.create + seen.retry + seen.list,
  };
}

export function cleanNock(): void {
  nock.cleanAll();
}

/** Text where bugs hide: lone surrogates, control characters, any code unit. */
export const hostileText = fc.string({ unit: 'binary' });

/** Any value a caller may hand over by mistake. */
export const anything = fc.oneof(
  fc.anything(),
  hostileText,
  fc.object({ values: [hostileText, fc.anything()] }),
);

/** HTTP statuses Plu (or something in front of it) may answer with. */
export const anyStatus = fc.constantFrom(200, 201, 202, 204, 400, 401, 402, 404, 422, 429, 500, 503);

/** A URL of any kind: https, http elsewhere, javascript:, not a URL. */
export const anyUrl = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('javascript:alert(1)', 'http://elsewhere.example.com/verify', 'data:text/html,x', ''),
  hostileText,
);

const statusValue = fc.oneof(
  fc.constantFrom('approved', 'pending_kyc', 'pending', 'denied', 'needsVerification', 'manualReview'),
  hostileText,
);

/** Success envelopes around arbitrary data, so decoding goes past the envelope. */
function envelope(data: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.record(
    { status: fc.oneof(fc.constant('success'), hostileText), message: hostileText, data },
    { requiredKeys: ['data'] },
  );
}

const createData = fc.record(
  { serviceId: fc.oneof(hostileText, fc.jsonValue()), verificationUrl: fc.oneof(anyUrl, fc.jsonValue()) },
  { requiredKeys: [] },
);

const retryData = fc.record(
  {
    serviceId: fc.oneof(hostileText, fc.jsonValue()),
    applicationStatus: fc.oneof(statusValue, fc.jsonValue()),
    verificationUrl: fc.oneof(anyUrl, fc.jsonValue()),
    retryCount: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.jsonValue()),
  },
  { requiredKeys: [] },
);

const listedUser = fc.record(
  {
    serviceId: fc.oneof(fc.constantFrom('acme-user-abc123', 'acme-user-other'), hostileText),
    status: statusValue,
    email: fc.oneof(fc.constant('jane.doe@example.com'), hostileText),
  },
  { requiredKeys: [] },
);

const listData = fc.record(
  {
    users: fc.oneof(fc.array(listedUser, { maxLength: 4 }), fc.jsonValue()),
    pagination: fc.record(
      {
        skip: fc.integer(),
        limit: fc.integer(),
        total: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/** Raw text (often not JSON) or JSON of any shape. */
const anyBody = fc.oneof(hostileText, fc.jsonValue());

export const createAnswer = fc.record({ status: anyStatus, body: fc.oneof(anyBody, envelope(createData)) });
export const retryAnswer = fc.record({ status: anyStatus, body: fc.oneof(anyBody, envelope(retryData)) });
export const listAnswer = fc.record({ status: anyStatus, body: fc.oneof(anyBody, envelope(listData)) });
