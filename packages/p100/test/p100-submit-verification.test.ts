/**
 * submitVerification after a lost answer or a partial failure (issue 11): a repeat is reported as
 * safe only when it is; the hosted start reads the KYC status before and after, like retry.
 */
import nock from 'nock';
import type { Either } from 'fp-ts/Either';
import type { KycError, SubmitVerificationInput, VerificationFile } from '@kycport/core';
import addUserVerificationResponse from './fixtures/add-user-verification-response.json';
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
const POA_FILES_PATH = `/v1/user/poa-files/${EXTERNAL_USER_ID}`;
const lostAnswer = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

const file = (purpose: VerificationFile['purpose'], contentType = 'image/jpeg'): VerificationFile => ({
  purpose,
  fileName: `${purpose}.jpg`,
  contentType,
  data: bytes(16),
});
const passportFiles = [file('document_front'), file('selfie')];
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

/** Issue 12: with document data, Get KYC Status is read first; a rejected attempt lets it through. */
const readFirst = () =>
  p100Api().get(STATUS_PATH).reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'REJECTED_BY_PROVIDER' });

afterEach(() => nock.cleanAll());

describe('submitVerification: uploads', () => {
  it('a lost answer on an upload is an unknown outcome, not retryable, naming the user', async () => {
    const { provider, observer } = buildProvider();
    readFirst();
    p100Api().post(KYC_FILES_PATH).replyWithError(lostAnswer());
    const error = left(await provider.submitVerification(ref, { files: passportFiles, ...documentData })());
    expect(error).toMatchObject({
      kind: 'network',
      outcome: 'unknown',
      retryable: false,
      userRef: USER_REF,
    });
    expect(error.message).toContain('Add KYC File');
    expect(observer.count()).toBe(2);
  });

  it('a lost answer on Add User Verification (counted against P430) is not retryable', async () => {
    const { provider } = buildProvider();
    readFirst();
    p100Api().post('/v1/user/verification').replyWithError(lostAnswer());
    // The read after cannot tell (unchanged): see p100-pre-checks.test.ts for the one that can.
    readFirst();
    expect(left(await provider.submitVerification(ref, documentData)())).toMatchObject({
      outcome: 'unknown',
      retryable: false,
      userRef: USER_REF,
    });
  });

  it('after an upload succeeded, a later rejected step is not retryable and names what was done', async () => {
    const { provider } = buildProvider();
    readFirst();
    p100Api()
      .post(KYC_FILES_PATH)
      .reply(201)
      .post(POA_FILES_PATH)
      .reply(400, errorBody('P501', undefined, 'Service temporarily unavailable'));
    const error = left(
      await provider.submitVerification(ref, {
        files: [...passportFiles, file('proof_of_address', 'application/pdf')],
        ...documentData,
      })(),
    );
    expect(error).toMatchObject({
      kind: 'provider_unavailable',
      providerCode: 'P501',
      outcome: 'rejected',
      retryable: false,
      userRef: USER_REF,
    });
    expect(error.message).toContain('Add KYC File succeeded');
  });

  it('a first step P100 rejects stays as the transport made it (P501: retryable)', async () => {
    const { provider } = buildProvider();
    readFirst();
    p100Api()
      .post('/v1/user/verification')
      .reply(400, errorBody('P501', undefined, 'Service temporarily unavailable'));
    expect(left(await provider.submitVerification(ref, documentData)())).toMatchObject({
      kind: 'provider_unavailable',
      outcome: 'rejected',
      retryable: true,
    });
  });

  it('still succeeds with every step answered', async () => {
    const { provider } = buildProvider();
    readFirst();
    p100Api()
      .post(KYC_FILES_PATH)
      .reply(201)
      .post('/v1/user/verification')
      .reply(201, addUserVerificationResponse);
    expect(
      right(await provider.submitVerification(ref, { files: passportFiles, ...documentData })()).state.status,
    ).toBe('in_review');
  });
});

describe('submitVerification: the hosted start', () => {
  const hostedInput = { providerOptions: { p100: { ...hostedOptions, country: 'PL' } } };

  it('reads before and after a lost start and returns the started attempt without sending again', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(404, errorBody('P445', undefined, 'KYC not found'))
      .post('/v1/kyc')
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'PENDING' });
    const result = right(await provider.submitVerification(ref, hostedInput)());
    expect(result.state.nextAction.type).toBe('redirect_unavailable');
    expect(observer.events.filter((event) => event.pathTemplate === '/v1/kyc')).toHaveLength(1);
  });

  it('refuses null options as validation, before any call', async () => {
    const { provider, observer } = buildProvider();
    const error = left(await provider.submitVerification(ref, hostedInput, null as never)());
    expect(error).toMatchObject({ kind: 'validation', outcome: 'not_sent' });
    expect(observer.count()).toBe(0);
  });
});
