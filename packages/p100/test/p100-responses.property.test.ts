/**
 * Property tests (issue 11): whatever P100 answers (any status, any JSON, text that is not JSON,
 * ids with lone surrogates), every port method gives a `Right` or a typed `Left` with an
 * `outcome`, never a throw or a rejection, and any redirect it returns is checked (https, same
 * origin). Answers are served by nock for create, status, start, add-verification and uploads.
 */
import * as fc from 'fast-check';
import nock from 'nock';
import { isKycError } from '@kycport/core';
import type { KycError, KycProvider, KycResult, SubmitVerificationInput } from '@kycport/core';
import {
  BASE_URL,
  EXTERNAL_USER_ID,
  USER_REF,
  buildProvider,
  bytes,
  hostedOptions,
  p100Api,
  propertyTimeoutMs,
  validInput,
} from './support';

const hostileText = fc.string({ unit: 'binary' });
const ERROR_CODES = ['P211', 'P403', 'P411', 'P412', 'P427', 'P430', 'P442', 'P445', 'P500', 'P501', 'P999'];

/** A P100 answer: a status and the body as text (JSON or not). */
interface Answer {
  readonly status: number;
  readonly text: string;
}

const jsonText = (arbitrary: fc.Arbitrary<unknown>) =>
  arbitrary.map((value) => JSON.stringify(value) ?? 'null');
const body = fc.oneof(
  jsonText(fc.jsonValue()),
  jsonText(
    fc.record(
      {
        userId: fc.oneof(hostileText, fc.jsonValue()),
        verificationId: fc.oneof(hostileText, fc.jsonValue(), fc.constantFrom('..', '.', 'v-1')),
        id: fc.oneof(fc.integer(), fc.double(), hostileText),
        status: fc.oneof(fc.constantFrom('NOT_VERIFIED', 'VERIFIED', 'EXPIRED'), hostileText, fc.jsonValue()),
        attemptStatus: fc.oneof(
          fc.constantFrom('PENDING', 'VERIFICATION', 'REJECTED_BY_PROVIDER', 'SUCCESSFUL'),
          hostileText,
          fc.jsonValue(),
        ),
        rejectionReason: fc.oneof(hostileText, fc.jsonValue()),
        errorCode: fc.oneof(fc.constantFrom(...ERROR_CODES), fc.jsonValue()),
        errorMessage: hostileText,
      },
      { requiredKeys: [] },
    ),
  ),
  hostileText,
  fc.constantFrom('Access Denied. xo1', 'Access Denied. xo3', '', '{"userId":'),
);
const answer: fc.Arbitrary<Answer> = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 201, 202, 400, 401, 404, 429, 500, 503),
    fc.integer({ min: 200, max: 599 }),
  ),
  text: body,
});

const STATUS_PATH = `/v1/kyc/status/${EXTERNAL_USER_ID}`;
const PATHS = {
  create: ['POST', '/v1/user/balances/crypto-and-fiat'],
  status: ['GET', STATUS_PATH],
  start: ['POST', '/v1/kyc'],
  verification: ['POST', '/v1/user/verification'],
  kycFiles: ['POST', `/v1/user/kyc-files/${EXTERNAL_USER_ID}`],
  poaFiles: ['POST', `/v1/user/poa-files/${EXTERNAL_USER_ID}`],
} as const;
type Endpoint = keyof typeof PATHS;

/** What each endpoint answers in the current run (one persistent interceptor per endpoint reads it). */
const current: Partial<Record<Endpoint, Answer>> = {};

function serveCurrentAnswers(): void {
  for (const [name, [method, path]] of Object.entries(PATHS) as Array<[Endpoint, (typeof PATHS)[Endpoint]]>) {
    const scope = p100Api().persist();
    (method === 'GET' ? scope.get(path) : scope.post(path)).reply(() => {
      const served = current[name] ?? { status: 500, text: '' };
      return [served.status, served.text, { 'content-type': 'application/json' }];
    });
  }
}

// The ref a host stores (`p100:<externalUserId>`); bare refs: p100-qualified-refs.test.ts.
const ref = USER_REF;
const hosted = { providerOptions: { p100: { ...hostedOptions, country: 'PL' } } };
const file = (purpose: 'document_front' | 'selfie' | 'proof_of_address', contentType = 'image/jpeg') => ({
  purpose,
  fileName: `${purpose}.bin`,
  contentType,
  data: bytes(8),
});

/** Typed either way; a redirect is https on P100's origin; raw can be read. */
function expectTyped(result: { _tag: 'Left'; left: KycError } | { _tag: 'Right'; right: KycResult }): void {
  if (result._tag === 'Left') {
    expect(isKycError(result.left)).toBe(true);
    expect(['not_sent', 'rejected', 'unknown']).toContain(result.left.outcome);
    return;
  }
  const { nextAction } = result.right.state;
  if (nextAction.type === 'redirect') expect(new URL(nextAction.url).origin).toBe(BASE_URL);
  expect(() => JSON.stringify(result.right.raw)).not.toThrow();
}

const TIMEOUT_MS = propertyTimeoutMs(100);

describe('property: every P100 response decoder answers any answer with a Right or a typed Left', () => {
  let provider: KycProvider & { close(): void };
  beforeAll(() => {
    provider = buildProvider({}, { retry: false }).provider;
    serveCurrentAnswers();
  });
  afterAll(() => {
    provider.close();
    nock.cleanAll();
  });

  const run = (endpoints: ReadonlyArray<Endpoint>, call: () => Promise<unknown>) =>
    fc.asyncProperty(fc.tuple(...endpoints.map(() => answer)), async (answers) => {
      for (const name of Object.keys(PATHS) as Endpoint[]) delete current[name];
      endpoints.forEach((name, index) => (current[name] = answers[index]));
      expectTyped((await call()) as never);
    });

  it(
    'createUser (create, status, start)',
    async () => {
      await fc.assert(run(['create', 'status', 'start'], () => provider.createUser(validInput)()));
    },
    TIMEOUT_MS,
  );

  it(
    'getStatus (status)',
    async () => {
      await fc.assert(run(['status'], () => provider.getStatus(ref)()));
    },
    TIMEOUT_MS,
  );

  it(
    'retry (status, start)',
    async () => {
      await fc.assert(run(['status', 'start'], () => provider.retry(ref, hosted)()));
    },
    TIMEOUT_MS,
  );

  it(
    'submitVerification: the hosted start (status, start)',
    async () => {
      await fc.assert(run(['status', 'start'], () => provider.submitVerification(ref, hosted)()));
    },
    TIMEOUT_MS,
  );

  it(
    'submitVerification: uploads and add-verification',
    async () => {
      const input: SubmitVerificationInput = {
        document: { type: 'passport' as const, number: 'X1' },
        files: [file('document_front'), file('selfie'), file('proof_of_address', 'application/pdf')],
        providerOptions: { p100: { openAccountReason: 'DAILY_USE', incomeSource: 'INVESTMENTS' } },
      };
      await fc.assert(
        run(['kycFiles', 'poaFiles', 'verification'], () => provider.submitVerification(ref, input)()),
      );
    },
    TIMEOUT_MS,
  );
});
