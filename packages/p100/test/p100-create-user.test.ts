/**
 * createUser when an answer is lost (issue 11): the flow reads Get KYC Status for the
 * externalUserId and continues from what it shows; a repeat never creates a second user (P100
 * refuses a reused externalUserId with P411, which the flow resolves with the same read) and leads
 * to the verification.
 */
import nock from 'nock';
import type { Either } from 'fp-ts/Either';
import type { KycError } from '@kycport/core';
import createUserResponse from './fixtures/create-user-response.json';
import startVerificationResponse from './fixtures/start-verification-response.json';
import {
  BASE_URL,
  EXTERNAL_USER_ID,
  USER_REF,
  VERIFICATION_ID,
  buildProvider,
  errorBody,
  p100Api,
  validInput,
} from './support';

const CREATE_PATH = '/v1/user/balances/crypto-and-fiat';
const STATUS_PATH = `/v1/kyc/status/${EXTERNAL_USER_ID}`;
const REDIRECT_URL = `${BASE_URL}/v1/kyc/verification/${EXTERNAL_USER_ID}/${VERIFICATION_ID}`;

/** The connection breaks after the request was sent: the answer is lost. */
const lostAnswer = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const kycNotFound = errorBody('P445', undefined, 'KYC not found');

function right<A>(result: Either<KycError, A>): A {
  if (result._tag === 'Left') throw new Error(`${result.left.kind}: ${result.left.message}`);
  return result.right;
}
function left<A>(result: Either<KycError, A>): KycError {
  if (result._tag === 'Right') throw new Error('expected an error');
  return result.left;
}

afterEach(() => nock.cleanAll());

describe('createUser: the create answer is lost after P100 created the user', () => {
  it('reads the user (P445), starts the verification and names the user', async () => {
    const { provider, observer } = buildProvider();
    const scope = p100Api()
      .post(CREATE_PATH)
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .reply(404, kycNotFound)
      .post('/v1/kyc')
      .reply(201, startVerificationResponse);
    const result = right(await provider.createUser(validInput)());
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({
      userRef: USER_REF,
      state: { status: 'action_required', nextAction: { type: 'redirect', url: REDIRECT_URL } },
    });
    expect(observer.events.map((event) => `${event.method} ${event.pathTemplate}`)).toEqual([
      'POST /v1/user/balances/crypto-and-fiat',
      'GET /v1/kyc/status/{externalUserId}',
      'POST /v1/kyc',
    ]);
  });

  it('reconciles a 2xx create answer it cannot read the same way', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post(CREATE_PATH)
      .reply(200, '{"userId":')
      .get(STATUS_PATH)
      .reply(404, kycNotFound)
      .post('/v1/kyc')
      .reply(201, startVerificationResponse);
    expect(right(await provider.createUser(validInput)()).state.nextAction).toEqual({
      type: 'redirect',
      url: REDIRECT_URL,
    });
  });

  it('returns the state, with redirect_unavailable, when the verification already exists (PENDING)', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .post(CREATE_PATH)
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'PENDING' });
    const result = right(await provider.createUser(validInput)());
    expect(result.userRef).toBe(USER_REF);
    expect(result.state).toMatchObject({
      status: 'action_required',
      providerStatus: 'NOT_VERIFIED/PENDING',
      nextAction: { type: 'redirect_unavailable' },
    });
    // No second verification is started.
    expect(observer.events.filter((event) => event.pathTemplate === '/v1/kyc')).toHaveLength(0);
  });

  it('with the document upload method, asks for the files after finding the user', async () => {
    const { provider } = buildProvider({ kycMethod: 'document_upload' });
    p100Api().post(CREATE_PATH).replyWithError(lostAnswer()).get(STATUS_PATH).reply(404, kycNotFound);
    const result = right(await provider.createUser(validInput)());
    expect(result).toMatchObject({ userRef: USER_REF, state: { providerStatus: 'USER_CREATED' } });
  });

  it('says the outcome is unknown (safe to repeat) when P100 does not show the user (P412)', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post(CREATE_PATH)
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .reply(400, errorBody('P412', 'invalid-user', 'User does not exist'));
    const error = left(await provider.createUser(validInput)());
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', retryable: true });
    expect(error.userRef).toBeUndefined();
  });
});

describe('createUser: a repeat after a lost answer', () => {
  it('never creates a second user and leads to the verification (P411, then the read)', async () => {
    const { provider, observer } = buildProvider();
    // First call: the create landed, its answer was lost, and the read failed too.
    p100Api()
      .post(CREATE_PATH)
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .times(3)
      .reply(400, errorBody('P501', undefined, 'Service temporarily unavailable'));
    const first = left(await provider.createUser(validInput)());
    expect(first).toMatchObject({ outcome: 'unknown', retryable: true });

    // The repeat: P100 refuses the reused externalUserId; the flow reads the user and starts the verification.
    const scope = p100Api()
      .post(CREATE_PATH)
      .reply(400, errorBody('P411', 'user-exists', 'User exists'))
      .get(STATUS_PATH)
      .reply(404, kycNotFound)
      .post('/v1/kyc')
      .reply(201, startVerificationResponse);
    const repeated = right(await provider.createUser(validInput)());
    expect(scope.isDone()).toBe(true);
    expect(repeated).toMatchObject({
      userRef: USER_REF,
      state: { nextAction: { type: 'redirect', url: REDIRECT_URL } },
    });
    expect(observer.events.filter((event) => event.pathTemplate === CREATE_PATH)).toHaveLength(2);
  });

  it('after the user was created but the start failed, a repeated createUser starts it (no conflict)', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post(CREATE_PATH)
      .reply(200, createUserResponse)
      .post('/v1/kyc')
      .reply(400, errorBody('P501', undefined, 'Service temporarily unavailable'));
    expect(left(await provider.createUser(validInput)())).toMatchObject({ userRef: USER_REF });
    p100Api()
      .post(CREATE_PATH)
      .reply(400, errorBody('P411', 'user-exists', 'User exists'))
      .get(STATUS_PATH)
      .reply(404, kycNotFound)
      .post('/v1/kyc')
      .reply(201, startVerificationResponse);
    expect(right(await provider.createUser(validInput)()).state.nextAction.type).toBe('redirect');
  });

  it('P411 for a user whose verification exists: its state, naming the user, no new verification', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .post(CREATE_PATH)
      .reply(400, errorBody('P411', 'user-exists', 'User exists'))
      .get(STATUS_PATH)
      .reply(200, { status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' });
    const result = right(await provider.createUser(validInput)());
    expect(result).toMatchObject({ userRef: USER_REF, state: { status: 'approved' } });
    expect(observer.count()).toBe(2);
  });

  it('P411 and a read that fails: a conflict naming the user, safe to repeat', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post(CREATE_PATH)
      .reply(400, errorBody('P411', 'user-exists', 'User exists'))
      .get(STATUS_PATH)
      .times(3)
      .reply(400, errorBody('P500', undefined, 'Unknown exception'));
    expect(left(await provider.createUser(validInput)())).toMatchObject({
      kind: 'conflict',
      providerCode: 'P411',
      userRef: USER_REF,
      retryable: true,
      outcome: 'rejected',
    });
  });
});

describe('createUser: the start answer is lost after the user was created', () => {
  it('returns redirect_unavailable when the read shows the verification was started', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .post(CREATE_PATH)
      .reply(200, createUserResponse)
      .post('/v1/kyc')
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'PENDING' });
    const result = right(await provider.createUser(validInput)());
    expect(result.userRef).toBe(USER_REF);
    expect(result.state.status).toBe('action_required');
    expect(result.state.nextAction).toEqual({
      type: 'redirect_unavailable',
      reason: expect.stringContaining('verificationId') as unknown,
    });
    expect(observer.events.filter((event) => event.pathTemplate === '/v1/kyc')).toHaveLength(1);
  });

  it('is an unknown outcome, not retryable, naming the user, when the read shows no verification', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post(CREATE_PATH)
      .reply(200, createUserResponse)
      .post('/v1/kyc')
      .replyWithError(lostAnswer())
      .get(STATUS_PATH)
      .reply(404, kycNotFound);
    expect(left(await provider.createUser(validInput)())).toMatchObject({
      kind: 'network',
      outcome: 'unknown',
      retryable: false,
      userRef: USER_REF,
    });
  });
});

describe('createUser: refs', () => {
  it('refuses an externalId with a lone surrogate as validation, before any call', async () => {
    const { provider, observer } = buildProvider();
    const input = { ...validInput, applicant: { ...validInput.applicant, externalId: 'user-\uD800' } };
    const error = left(await provider.createUser(input)());
    expect(error).toMatchObject({ kind: 'validation', outcome: 'not_sent' });
    expect(error.kind === 'validation' && error.issues.map((issue) => issue.path)).toContain(
      'applicant.externalId',
    );
    expect(observer.count()).toBe(0);
  });
});
