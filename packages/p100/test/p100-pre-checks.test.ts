/**
 * Issue 12: the cheap status read before a fee-bearing or counted call, and what it refuses.
 *
 * - retry (and an empty hosted submitVerification) reads Get KYC Status, then starts a hosted
 *   verification (`POST /v1/kyc`, "each successful KYC verification is subject to a fee") only
 *   when the read shows one is needed; the configured KYC method decides the path: with
 *   `document_upload` no hosted flow starts unless `providerOptions.p100.startHostedVerification`.
 * - submitVerification with document data reads first and does not send Add User Verification
 *   (counted against P430) while P100 shows the user verified or an attempt in progress.
 * A refused pre-check is `invalid_state`, `outcome: 'not_sent'`, and P100 sees no mutating request.
 */
import nock from 'nock';
import type { Either } from 'fp-ts/Either';
import type { KycError, SubmitVerificationInput, VerificationFile } from '@kycport/core';
import addUserVerificationResponse from './fixtures/add-user-verification-response.json';
import startVerificationResponse from './fixtures/start-verification-response.json';
import {
  EXTERNAL_USER_ID,
  USER_REF,
  buildProvider,
  bytes,
  errorBody,
  hostedOptions,
  p100Api,
} from './support';

// The ref a host stores (`p100:<externalUserId>`); bare refs: p100-qualified-refs.test.ts.
const ref = USER_REF;
const STATUS_PATH = `/v1/kyc/status/${EXTERNAL_USER_ID}`;
const KYC_FILES_PATH = `/v1/user/kyc-files/${EXTERNAL_USER_ID}`;
const retryOptions = { providerOptions: { p100: { ...hostedOptions, country: 'PL' } } };
const pair = (status: string, attemptStatus?: string | null, rejectionReason?: string) => ({
  status,
  ...(attemptStatus === undefined ? {} : { attemptStatus }),
  ...(rejectionReason === undefined ? {} : { rejectionReason }),
});
const lostAnswer = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const KYC_NOT_FOUND = errorBody('P445', 'kyc-not-found', 'KYC not found');

const file = (purpose: VerificationFile['purpose']): VerificationFile => ({
  purpose,
  fileName: `${purpose}.jpg`,
  contentType: 'image/jpeg',
  data: bytes(16),
});
const documentData: SubmitVerificationInput = {
  document: { type: 'passport' as const, number: 'X1' },
  providerOptions: { p100: { openAccountReason: 'DAILY_USE', incomeSource: 'INVESTMENTS' } },
};

function right<A>(result: Either<KycError, A>): A {
  if (result._tag === 'Left') throw new Error(`${result.left.kind}: ${result.left.message}`);
  return result.right;
}
function left<A>(result: Either<KycError, A>): KycError {
  if (result._tag === 'Right') throw new Error('expected an error');
  return result.left;
}

/** The calls the adapter made, as `METHOD /path-template`. */
function calls(observer: { events: ReadonlyArray<{ method: string; pathTemplate: string }> }) {
  return observer.events.map((event) => `${event.method} ${event.pathTemplate}`);
}
const READ = 'GET /v1/kyc/status/{externalUserId}';

afterEach(() => nock.cleanAll());

const REFUSED_STARTS: ReadonlyArray<[string, Record<string, unknown>, RegExp]> = [
  ['verified', pair('VERIFIED', 'SUCCESSFUL'), /already verified/],
  ['verified without an attempt', pair('VERIFIED'), /already verified/],
  ['an attempt being processed', pair('NOT_VERIFIED', 'VERIFICATION'), /being processed/],
  ['an attempt after the expiry being processed', pair('EXPIRED', 'VERIFICATION'), /being processed/],
  ['an attempt started and not finished', pair('NOT_VERIFIED', 'PENDING'), /replacePendingAttempt/],
  ['documents accepted, data due', pair('NOT_VERIFIED', 'SUCCESSFUL'), /document data/],
];

describe('retry: the pre-check refuses before POST /v1/kyc', () => {
  it.each(REFUSED_STARTS)('refuses %s: invalid_state, not sent, no start', async (_name, read, message) => {
    const { provider, observer } = buildProvider();
    p100Api().get(STATUS_PATH).reply(200, read);
    const start = p100Api().post('/v1/kyc').reply(201, startVerificationResponse);
    const error = left(await provider.retry(ref, retryOptions)());
    expect(error).toMatchObject({
      kind: 'invalid_state',
      outcome: 'not_sent',
      retryable: false,
      userRef: USER_REF,
    });
    expect(error.providerCode).toBeUndefined();
    expect(error.message).toMatch(message);
    expect(start.isDone()).toBe(false);
    expect(calls(observer)).toEqual([READ]);
  });

  it.each<[string, number, unknown]>([
    ['no verification yet (P445)', 404, KYC_NOT_FOUND],
    ['a rejected attempt', 200, pair('NOT_VERIFIED', 'REJECTED_BY_PROVIDER', 'NO_FACE_FOUND')],
    ['an expired verification', 200, pair('EXPIRED', 'SUCCESSFUL')],
    ['an expired verification without an attempt', 200, pair('EXPIRED')],
    ['an expired verification whose new attempt was rejected', 200, pair('EXPIRED', 'REJECTED_BY_PROVIDER')],
  ])('starts after %s', async (_name, status, body) => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(status, body as nock.Body);
    const start = p100Api().post('/v1/kyc').reply(201, startVerificationResponse);
    expect(right(await provider.retry(ref, retryOptions)()).state.nextAction.type).toBe('redirect');
    expect(start.isDone()).toBe(true);
    expect(calls(observer)).toEqual([READ, 'POST /v1/kyc']);
  });

  it('replaces a pending attempt only when asked (replacePendingAttempt: true)', async () => {
    const { provider, observer } = buildProvider();
    p100Api().get(STATUS_PATH).reply(200, pair('NOT_VERIFIED', 'PENDING'));
    const start = p100Api().post('/v1/kyc').reply(201, startVerificationResponse);
    const options = {
      providerOptions: { p100: { ...retryOptions.providerOptions.p100, replacePendingAttempt: true } },
    };
    expect(right(await provider.retry(ref, options)()).state.nextAction.type).toBe('redirect');
    expect(start.isDone()).toBe(true);
    expect(calls(observer)).toEqual([READ, 'POST /v1/kyc']);
  });

  it('an empty hosted submitVerification applies the same pre-check', async () => {
    const { provider, observer } = buildProvider();
    p100Api().get(STATUS_PATH).reply(200, pair('NOT_VERIFIED', 'VERIFICATION'));
    const start = p100Api().post('/v1/kyc').reply(201, startVerificationResponse);
    const error = left(await provider.submitVerification(ref, retryOptions)());
    expect([error.kind, error.outcome]).toEqual(['invalid_state', 'not_sent']);
    expect(start.isDone()).toBe(false);
    expect(calls(observer)).toEqual([READ]);
  });
});

describe('retry with kycMethod document_upload: no hosted flow unless asked', () => {
  it('after a denial asks for the files and document data, and starts nothing', async () => {
    const { provider, observer } = buildProvider({ kycMethod: 'document_upload' });
    expect(provider.capabilities.hostedFlow).toBe(false);
    p100Api()
      .get(STATUS_PATH)
      .reply(200, pair('NOT_VERIFIED', 'REJECTED_BY_PROVIDER', 'NO_FACE_FOUND'));
    const start = p100Api().post('/v1/kyc').reply(201, startVerificationResponse);
    const result = right(
      await provider.retry(ref, { providerOptions: { p100: { documentType: 'PASSPORT' } } })(),
    );
    expect(result).toMatchObject({
      userRef: USER_REF,
      attempts: {},
      state: {
        status: 'action_required',
        providerStatus: 'NOT_VERIFIED/REJECTED_BY_PROVIDER',
        reasonCodes: ['NO_FACE_FOUND'],
        nextAction: { type: 'submit_verification', missing: ['document_front', 'selfie', 'document_data'] },
      },
    });
    expect(start.isDone()).toBe(false);
    expect(calls(observer)).toEqual([READ]);
  });

  it('needs none of the hosted fields, and asks for P445 as getStatus does', async () => {
    const { provider } = buildProvider({ kycMethod: 'document_upload' });
    p100Api().get(STATUS_PATH).reply(404, KYC_NOT_FOUND);
    expect(right(await provider.retry(ref)()).state).toMatchObject({
      providerStatus: 'KYC_NOT_FOUND',
      nextAction: {
        type: 'submit_verification',
        missing: ['document_front', 'document_back', 'selfie', 'document_data'],
      },
    });
  });

  it('starts a hosted verification when the caller asks (startHostedVerification: true)', async () => {
    const { provider, observer } = buildProvider({ kycMethod: 'document_upload' });
    p100Api().get(STATUS_PATH).reply(200, pair('EXPIRED', 'SUCCESSFUL'));
    const start = p100Api().post('/v1/kyc').reply(201, startVerificationResponse);
    const options = {
      providerOptions: { p100: { ...retryOptions.providerOptions.p100, startHostedVerification: true } },
    };
    expect(right(await provider.retry(ref, options)()).state.nextAction.type).toBe('redirect');
    expect(start.isDone()).toBe(true);
    expect(calls(observer)).toEqual([READ, 'POST /v1/kyc']);
  });

  it('refuses as the hosted path does (verified) and checks the option type before any call', async () => {
    const { provider, observer } = buildProvider({ kycMethod: 'document_upload' });
    p100Api().get(STATUS_PATH).reply(200, pair('VERIFIED', 'SUCCESSFUL'));
    expect(left(await provider.retry(ref)())).toMatchObject({ kind: 'invalid_state', outcome: 'not_sent' });
    const bad = left(
      // @ts-expect-error the compile-time type refuses it too; the run-time check is what is tested
      await provider.retry(ref, { providerOptions: { p100: { startHostedVerification: 'yes' } } })(),
    );
    expect(bad.kind === 'validation' && bad.issues.map((issue) => issue.path)).toContain(
      'providerOptions.p100.startHostedVerification',
    );
    expect(calls(observer)).toEqual([READ]);
  });
});

describe('submitVerification with document data: read first, never a second submission while P100 is busy', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['verified', pair('VERIFIED', 'SUCCESSFUL'), /already verified/],
    ['the document data already received (attempt PENDING)', pair('NOT_VERIFIED', 'PENDING'), /in progress/],
    ['a review in progress (VERIFICATION)', pair('NOT_VERIFIED', 'VERIFICATION'), /in progress/],
  ])('refuses while P100 shows %s: no upload, no Add User Verification', async (_name, read, message) => {
    const { provider, observer } = buildProvider();
    p100Api().get(STATUS_PATH).reply(200, read);
    const verification = p100Api().post('/v1/user/verification').reply(201, addUserVerificationResponse);
    const upload = p100Api().post(KYC_FILES_PATH).reply(201, {});
    const error = left(
      await provider.submitVerification(ref, {
        ...documentData,
        files: [file('document_front'), file('selfie')],
      })(),
    );
    expect(error).toMatchObject({ kind: 'invalid_state', outcome: 'not_sent', userRef: USER_REF });
    expect(error.message).toMatch(message);
    expect([verification.isDone(), upload.isDone()]).toEqual([false, false]);
    expect(calls(observer)).toEqual([READ]);
  });

  it.each<[string, number, unknown]>([
    [
      'documents accepted (NOT_VERIFIED/SUCCESSFUL, Method B step 5)',
      200,
      pair('NOT_VERIFIED', 'SUCCESSFUL'),
    ],
    ['no verification yet (P445, Method A)', 404, KYC_NOT_FOUND],
    ['a rejected attempt (Method A, new files)', 200, pair('NOT_VERIFIED', 'REJECTED_BY_PROVIDER')],
  ])('sends it after %s', async (_name, status, body) => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(status, body as nock.Body);
    p100Api().post('/v1/user/verification').reply(201, addUserVerificationResponse);
    expect(right(await provider.submitVerification(ref, documentData)()).state).toMatchObject({
      status: 'in_review',
      providerStatus: 'VERIFICATION_SUBMITTED',
    });
    expect(calls(observer)).toEqual([READ, 'POST /v1/user/verification']);
  });

  it('files alone are not pre-read (P100 shows no uploads)', async () => {
    const { provider, observer } = buildProvider();
    p100Api().post(KYC_FILES_PATH).reply(201, {});
    right(
      await provider.submitVerification(ref, {
        document: { type: 'passport' },
        files: [file('document_front'), file('selfie')],
      })(),
    );
    expect(calls(observer)).toEqual(['POST /v1/user/kyc-files/{externalUserId}']);
  });

  it('a lost answer is resolved by a read: the data was received when P100 shows it in progress', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(200, pair('NOT_VERIFIED', 'SUCCESSFUL'))
      .post('/v1/user/verification')
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .reply(200, pair('NOT_VERIFIED', 'PENDING'));
    expect(right(await provider.submitVerification(ref, documentData)()).state).toMatchObject({
      status: 'in_review',
      providerStatus: 'VERIFICATION_SUBMITTED',
    });
    expect(calls(observer)).toEqual([READ, 'POST /v1/user/verification', READ]);
  });

  it('a lost answer with an unchanged read stays unknown and not retryable: the read cannot tell', async () => {
    const { provider } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(200, pair('NOT_VERIFIED', 'SUCCESSFUL'))
      .post('/v1/user/verification')
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .reply(200, pair('NOT_VERIFIED', 'SUCCESSFUL'));
    const error = left(await provider.submitVerification(ref, documentData)());
    expect(error).toMatchObject({ outcome: 'unknown', retryable: false, userRef: USER_REF });
    expect(error.message).toContain('KYC Verification Status');
  });

  it('P430 on Add User Verification is retry_limit_reached (its documented meaning there)', async () => {
    const { provider } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(200, pair('NOT_VERIFIED', 'REJECTED_BY_PROVIDER'))
      .post('/v1/user/verification')
      .reply(400, errorBody('P430', 'too-many-verifications', 'Too many verifications'));
    expect(left(await provider.submitVerification(ref, documentData)())).toMatchObject({
      kind: 'retry_limit_reached',
      providerCode: 'P430',
      retryable: false,
    });
  });
});
