import nock from 'nock';
import type { Either } from 'fp-ts/Either';
import { userRef } from '@kycport/core';
import type { KycError, SubmitVerificationInput, VerificationFile } from '@kycport/core';
import createUserRequestFixture from './fixtures/create-user-request.json';
import createUserResponse from './fixtures/create-user-response.json';
import legacyCreateUserResponse from './fixtures/create-user-response-legacy.json';
import startVerificationResponse from './fixtures/start-verification-response.json';
import kycStatusResponse from './fixtures/kyc-status-response.json';
import addUserVerificationRequestFixture from './fixtures/add-user-verification-request.json';
import addUserVerificationResponse from './fixtures/add-user-verification-response.json';
import {
  API_KEY,
  BASE_URL,
  EXTERNAL_USER_ID,
  USER_REF,
  VERIFICATION_ID,
  buildProvider,
  bytes,
  errorBody,
  hostedOptions,
  inputFor,
  p100Api,
  validInput,
} from './support';

// The ref a host stores (`p100:<externalUserId>`); bare refs: p100-qualified-refs.test.ts.
const ref = USER_REF;
const redirectUrl = `${BASE_URL}/v1/kyc/verification/${EXTERNAL_USER_ID}/${VERIFICATION_ID}`;
const statusPath = `/v1/kyc/status/${EXTERNAL_USER_ID}`;
const expectedStart = {
  externalUserId: EXTERNAL_USER_ID,
  documentType: 'ID_CARD',
  country: 'PL',
  incomeSource: 'SALARY',
  openAccountReason: 'INVESTMENTS_OR_CRYPTOCURRENCIE',
  occupation: 'IT',
  additionalInfo: 'I am a programmer',
};

function right<A>(result: Either<KycError, A>): A {
  if (result._tag === 'Left') throw new Error(`${result.left.kind}: ${result.left.message}`);
  return result.right;
}
function left<A>(result: Either<KycError, A>): KycError {
  if (result._tag === 'Right') throw new Error('expected an error');
  return result.left;
}
function file(purpose: VerificationFile['purpose'], contentType = 'image/jpeg', size = 16): VerificationFile {
  return {
    purpose,
    fileName: `${purpose}.${contentType.endsWith('pdf') ? 'pdf' : 'jpg'}`,
    contentType,
    data: bytes(size),
  };
}

afterEach(() => nock.cleanAll());
// nock's interceptor is process-global: release it so the next test file in this jest worker can install its own.

describe('createUser (hosted method, Method B)', () => {
  it('creates the user, starts the verification and returns the redirect (built, never fetched)', async () => {
    const { provider, observer } = buildProvider();
    const scope = p100Api()
      .post('/v1/user/balances/crypto-and-fiat', createUserRequestFixture)
      .reply(200, createUserResponse)
      .post('/v1/kyc', expectedStart)
      .reply(201, startVerificationResponse);
    const result = right(await provider.createUser(validInput)());
    expect(scope.isDone()).toBe(true);
    expect(result).toEqual({
      provider: 'p100',
      userRef: USER_REF,
      state: {
        status: 'action_required',
        providerStatus: 'VERIFICATION_CREATED',
        reasonCodes: [],
        nextAction: { type: 'redirect', url: redirectUrl },
      },
      raw: { user: createUserResponse, verification: startVerificationResponse },
    });
    expect(observer.events.map((event) => `${event.method} ${event.pathTemplate}`)).toEqual([
      'POST /v1/user/balances/crypto-and-fiat',
      'POST /v1/kyc',
    ]);
  });

  it('decodes the old response generation (userId + poaRequired + balances) and redacts wallets and IBANs', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post('/v1/user/balances/crypto-and-fiat')
      .reply(200, legacyCreateUserResponse)
      .post('/v1/kyc')
      .reply(201, startVerificationResponse);
    const result = right(await provider.createUser(validInput)());
    expect(result.state.status).toBe('action_required');
    const raw = result.raw as { user: typeof legacyCreateUserResponse };
    expect(raw.user.userId).toBe(legacyCreateUserResponse.userId);
    expect(raw.user.balances.fiatBalances[0]?.iban).toBeNull();
    expect(raw.user.poaRequired).toBe(false);
  });

  it('decodes the new generation with only userId required and finds the verification id under `id`', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post('/v1/user/balances/crypto-and-fiat')
      .reply(200, { userId: 'u-1' })
      .post('/v1/kyc')
      .reply(200, { id: 42, status: 'CREATED' });
    const result = right(await provider.createUser(validInput)());
    expect(result.state.nextAction).toEqual({
      type: 'redirect',
      url: `${BASE_URL}/v1/kyc/verification/${EXTERNAL_USER_ID}/42`,
    });
  });

  it('reports a create response without userId as unexpected_response', async () => {
    const { provider } = buildProvider();
    p100Api().post('/v1/user/balances/crypto-and-fiat').reply(200, { poaRequiredForExtended: false });
    const error = left(await provider.createUser(validInput)());
    expect(error.kind).toBe('unexpected_response');
    expect(error.userRef).toBeUndefined();
  });

  it('keeps the user when starting the verification fails: the error carries userRef and retry starts it', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .post('/v1/user/balances/crypto-and-fiat')
      .reply(200, createUserResponse)
      .post('/v1/kyc')
      .reply(400, errorBody('P501', undefined, 'Service temporarily unavailable'));
    const error = left(await provider.createUser(validInput)());
    expect(error).toMatchObject({
      kind: 'provider_unavailable',
      providerCode: 'P501',
      retryable: true,
      userRef: USER_REF,
    });
    // POST /v1/kyc creates a verification: never resent automatically.
    expect(observer.count()).toBe(2);

    const scope = p100Api()
      .get(statusPath)
      .reply(404, errorBody('P445', undefined, 'KYC not found'))
      .post('/v1/kyc', expectedStart)
      .reply(201, startVerificationResponse);
    const retried = right(
      await provider.retry(error.userRef ?? ref, {
        strategy: { kind: 'auto' },
        providerOptions: { p100: { ...hostedOptions, country: 'PL' } },
      })(),
    );
    expect(scope.isDone()).toBe(true);
    expect(retried).toMatchObject({
      userRef: USER_REF,
      attempts: {},
      state: { status: 'action_required', nextAction: { type: 'redirect', url: redirectUrl } },
    });
  });

  it('keeps the user when the verification response has no id (unexpected_response with userRef)', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post('/v1/user/balances/crypto-and-fiat')
      .reply(200, createUserResponse)
      .post('/v1/kyc')
      .reply(201, {});
    const error = left(await provider.createUser(validInput)());
    expect(error).toMatchObject({ kind: 'unexpected_response', userRef: USER_REF });
  });

  it('validates every enum and income-source rule before any call, including the create call', async () => {
    const { provider, observer } = buildProvider();
    const badEnum = left(
      await provider.createUser(inputFor('u-2', { p100: { ...hostedOptions, incomeSource: 'LOTTERY' } }))(),
    );
    expect(badEnum.kind === 'validation' && badEnum.issues.map((issue) => issue.path)).toEqual([
      'providerOptions.p100.incomeSource',
    ]);
    const missingTaxId = left(
      await provider.createUser(
        inputFor('u-2', { p100: { ...hostedOptions, incomeSource: 'BUSINESS_ACTIVITY' } }),
      )(),
    );
    expect(missingTaxId.kind === 'validation' && missingTaxId.issues.map((issue) => issue.path)).toEqual([
      'providerOptions.p100.taxId',
    ]);
    const noOptions = left(await provider.createUser(inputFor('u-2', {}))());
    expect(noOptions.kind === 'validation' && noOptions.issues.map((issue) => issue.path)).toEqual([
      'providerOptions.p100.documentType',
      'providerOptions.p100.incomeSource',
      'providerOptions.p100.openAccountReason',
    ]);
    expect(observer.count()).toBe(0);
  });

  it('keeps P411 as conflict when the KYC status read does not find the user (P412)', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post('/v1/user/balances/crypto-and-fiat')
      .reply(400, errorBody('P411', 'user-exists', 'User exists'))
      .get(statusPath)
      .reply(400, errorBody('P412', 'invalid-user', 'User does not exist'));
    expect(left(await provider.createUser(validInput)())).toMatchObject({
      kind: 'conflict',
      providerCode: 'P411',
      httpStatus: 400,
    });
  });

  it.each([
    ['Access Denied. xo1', 'unauthorized', 'xo1'],
    ['Access Denied. xo2', 'unauthorized', 'xo2'],
    ['Access Denied. xo3', 'forbidden', 'xo3'],
  ])('maps the plain-text 401 %j to %s', async (text, kind, code) => {
    const { provider } = buildProvider();
    nock(BASE_URL)
      .post('/v1/user/balances/crypto-and-fiat')
      .reply(401, text, { 'content-type': 'text/plain' });
    const error = left(await provider.createUser(validInput)());
    expect([error.kind, error.providerCode, error.retryable]).toEqual([kind, code, false]);
    expect(JSON.stringify(error)).not.toContain(API_KEY);
  });
});

describe('createUser (document upload method, Method A)', () => {
  it('creates the user only and asks for the files and document data', async () => {
    const { provider, observer } = buildProvider({ kycMethod: 'document_upload' });
    p100Api().post('/v1/user/balances/crypto-and-fiat').reply(200, createUserResponse);
    const result = right(
      await provider.createUser(
        inputFor(EXTERNAL_USER_ID, { p100: { birthCountry: 'PL', documentType: 'PASSPORT' } }),
      )(),
    );
    expect(result.state).toEqual({
      status: 'action_required',
      providerStatus: 'USER_CREATED',
      reasonCodes: [],
      nextAction: { type: 'submit_verification', missing: ['document_front', 'selfie', 'document_data'] },
    });
    expect(observer.count()).toBe(1);
    expect(provider.capabilities.hostedFlow).toBe(false);
  });
});

describe('getStatus', () => {
  it('reads GET /v1/kyc/status/{externalUserId} (documented example)', async () => {
    const { provider } = buildProvider();
    p100Api().get(`/v1/kyc/status/${EXTERNAL_USER_ID}`).reply(200, kycStatusResponse);
    const result = right(await provider.getStatus(ref)());
    expect(result.state).toEqual({
      status: 'pending',
      providerStatus: 'NOT_VERIFIED/PENDING',
      reasonCodes: [],
      nextAction: { type: 'await_provider' },
    });
    expect(result.raw).toEqual(kycStatusResponse);
  });

  it('asks for document data after NOT_VERIFIED + SUCCESSFUL', async () => {
    const { provider } = buildProvider();
    p100Api()
      .get(`/v1/kyc/status/${EXTERNAL_USER_ID}`)
      .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' });
    expect(right(await provider.getStatus(ref)()).state.nextAction).toEqual({
      type: 'submit_verification',
      missing: ['document_data'],
    });
  });

  it("maps a status P100 added later to core's unknownProviderState (pending, await_provider), keeping it visible", async () => {
    const { provider } = buildProvider();
    p100Api()
      .get(`/v1/kyc/status/${EXTERNAL_USER_ID}`)
      .reply(200, { status: 'SUSPENDED', attemptStatus: 'SUCCESSFUL' });
    expect(right(await provider.getStatus(ref)()).state).toEqual({
      status: 'pending',
      providerStatus: 'SUSPENDED/SUCCESSFUL',
      reasonCodes: [],
      nextAction: { type: 'await_provider' },
    });
  });

  it('retries P500 arriving as 400 on the idempotent GET, then succeeds', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(`/v1/kyc/status/${EXTERNAL_USER_ID}`)
      .reply(400, errorBody('P500', undefined, 'Unknown exception'))
      .get(`/v1/kyc/status/${EXTERNAL_USER_ID}`)
      .reply(200, { status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' });
    expect(right(await provider.getStatus(ref)()).state.status).toBe('approved');
    expect(observer.events.map((event) => [event.outcome, event.willRetry])).toEqual([
      ['error', true],
      ['success', false],
    ]);
  });

  it('returns a retryable provider_unavailable after P501 on every attempt', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(`/v1/kyc/status/${EXTERNAL_USER_ID}`)
      .times(3)
      .reply(400, errorBody('P501', undefined, 'Service temporarily unavailable'));
    expect(left(await provider.getStatus(ref)())).toMatchObject({
      kind: 'provider_unavailable',
      retryable: true,
      providerCode: 'P501',
      httpStatus: 400,
    });
    expect(observer.count()).toBe(3);
  });

  it('treats P445 "KYC not found" (404) for an existing user as a state, not an error', async () => {
    const { provider } = buildProvider();
    p100Api()
      .get(`/v1/kyc/status/${EXTERNAL_USER_ID}`)
      .reply(404, errorBody('P445', 'kyc-not-found', 'KYC not found'));
    const result = right(await provider.getStatus(ref)());
    expect(result.state).toEqual({
      status: 'action_required',
      providerStatus: 'KYC_NOT_FOUND',
      reasonCodes: ['P445'],
      nextAction: { type: 'submit_verification', missing: ['hosted_verification'] },
    });
  });

  it('maps P412 to not_found and P459 to invalid_state', async () => {
    const { provider } = buildProvider();
    p100Api()
      .get(`/v1/kyc/status/${EXTERNAL_USER_ID}`)
      .reply(400, errorBody('P412', 'invalid-user', 'User does not exist'))
      .get(`/v1/kyc/status/${EXTERNAL_USER_ID}`)
      .reply(400, errorBody('P459', undefined, 'User not verified'));
    expect(left(await provider.getStatus(ref)())).toMatchObject({ kind: 'not_found', providerCode: 'P412' });
    expect(left(await provider.getStatus(ref)())).toMatchObject({
      kind: 'invalid_state',
      providerCode: 'P459',
    });
  });

  it('escapes the ref in the path', async () => {
    const { provider } = buildProvider();
    const scope = p100Api().get('/v1/kyc/status/a%2Fb').reply(200, kycStatusResponse);
    right(await provider.getStatus(userRef('a/b'))());
    expect(scope.isDone()).toBe(true);
  });
});

describe('retry', () => {
  const retryOptions = { providerOptions: { p100: { ...hostedOptions, country: 'PL' } } };

  it('maps P430 to retry_limit_reached and P442 to invalid_state with a clear message', async () => {
    const { provider } = buildProvider();
    p100Api()
      .get(statusPath)
      .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'REJECTED_BY_PROVIDER' })
      .post('/v1/kyc')
      .reply(400, errorBody('P430', 'too-many-verifications', 'Too many verifications'))
      // P100 verified the user between the read and the start (a verified read is refused locally).
      .get(statusPath)
      .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'REJECTED_BY_PROVIDER' })
      .post('/v1/kyc')
      .reply(400, errorBody('P442', 'user-already-verified', 'User already verified'));
    expect(left(await provider.retry(ref, retryOptions)())).toMatchObject({
      kind: 'retry_limit_reached',
      providerCode: 'P430',
      retryable: false,
    });
    const verified = left(await provider.retry(ref, retryOptions)());
    expect(verified).toMatchObject({ kind: 'invalid_state', providerCode: 'P442' });
    expect(verified.message).toContain('already verified');
  });

  it('refuses restart, resume and custom before any call', async () => {
    const { provider, observer } = buildProvider();
    for (const strategy of [{ kind: 'restart' }, { kind: 'resume' }] as const) {
      expect(left(await provider.retry(ref, { ...retryOptions, strategy })())).toMatchObject({
        kind: 'unsupported',
      });
    }
    expect(observer.count()).toBe(0);
  });

  it('needs the /v1/kyc fields in providerOptions.p100 (the adapter keeps no state)', async () => {
    const { provider, observer } = buildProvider();
    const error = left(await provider.retry(ref)());
    expect(error.kind === 'validation' && error.issues.map((issue) => issue.path)).toContain(
      'providerOptions.p100.country',
    );
    expect(observer.count()).toBe(0);
  });
});

describe('submitVerification', () => {
  it('uploads ID card files as one multipart request (field files, front, back, selfie) and asks for document data', async () => {
    const { provider } = buildProvider({ kycMethod: 'document_upload' });
    let body = '';
    const scope = p100Api()
      .post(`/v1/user/kyc-files/${EXTERNAL_USER_ID}`, (received: unknown) => {
        body = String(received);
        return true;
      })
      .reply(201, '');
    const result = right(
      await provider.submitVerification(ref, {
        document: { type: 'id_card' },
        files: [file('selfie'), file('document_back'), file('document_front')],
      })(),
    );
    expect(scope.isDone()).toBe(true);
    const names = [...body.matchAll(/name="([^"]+)"; filename="([^"]+)"/g)].map(
      (match) => `${match[1]}:${match[2]}`,
    );
    expect(names).toEqual(['files:document_front.jpg', 'files:document_back.jpg', 'files:selfie.jpg']);
    expect(result.state).toEqual({
      status: 'action_required',
      providerStatus: 'KYC_FILES_UPLOADED',
      reasonCodes: [],
      nextAction: { type: 'submit_verification', missing: ['document_data'] },
    });
  });

  it('uses the configured multipart field name for KYC files', async () => {
    const { provider } = buildProvider({ kycFilesField: 'file' });
    let body = '';
    p100Api()
      .post(
        `/v1/user/kyc-files/${EXTERNAL_USER_ID}`,
        (received: unknown) => ((body = String(received)), true),
      )
      .reply(201);
    right(
      await provider.submitVerification(ref, {
        files: [file('document_front'), file('selfie')],
        providerOptions: { p100: { documentType: 'PASSPORT' } },
      })(),
    );
    expect(body).toContain('name="file"; filename="document_front.jpg"');
  });

  it('sends the document data to Add User Verification (documented example) and awaits the provider', async () => {
    const { provider } = buildProvider();
    // Issue 12: read first; Method B step 5 (documents accepted) lets the data through.
    p100Api().get(statusPath).reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' });
    const scope = p100Api()
      .post('/v1/user/verification', {
        ...addUserVerificationRequestFixture,
        externalUserId: EXTERNAL_USER_ID,
      })
      .reply(201, addUserVerificationResponse);
    const result = right(
      await provider.submitVerification(ref, {
        document: { type: 'id_card', number: '6I12UQ171A', expirationDate: '2030-06-11' },
        providerOptions: {
          p100: { openAccountReason: 'DAILY_USE', incomeSource: 'SALARY', occupation: 'IT', riskLvl: 'LOW' },
        },
      })(),
    );
    expect(scope.isDone()).toBe(true);
    expect(result.state).toEqual({
      status: 'in_review',
      providerStatus: 'VERIFICATION_SUBMITTED',
      reasonCodes: [],
      nextAction: { type: 'await_provider' },
    });
    expect(JSON.stringify(result.raw)).not.toContain('6I12UQ171A');
  });

  it('uploads files, then proof of address, then document data in one call', async () => {
    const { provider, observer } = buildProvider();
    p100Api()
      .get(statusPath)
      .reply(404, errorBody('P445', undefined, 'KYC not found'))
      .post(`/v1/user/kyc-files/${EXTERNAL_USER_ID}`)
      .reply(201)
      .post(`/v1/user/poa-files/${EXTERNAL_USER_ID}`, (received: unknown) =>
        String(received).includes('name="files"; filename="proof_of_address.pdf"'),
      )
      .reply(201)
      .post('/v1/user/verification')
      .reply(201, addUserVerificationResponse);
    right(
      await provider.submitVerification(ref, {
        document: { type: 'passport', number: 'X1' },
        files: [file('document_front'), file('selfie'), file('proof_of_address', 'application/pdf')],
        providerOptions: { p100: { openAccountReason: 'DAILY_USE', incomeSource: 'INVESTMENTS' } },
      })(),
    );
    expect(observer.events.map((event) => event.pathTemplate)).toEqual([
      '/v1/kyc/status/{externalUserId}',
      '/v1/user/kyc-files/{externalUserId}',
      '/v1/user/poa-files/{externalUserId}',
      '/v1/user/verification',
    ]);
  });

  it('treats P211 arriving as 202 on Add POA File as a pending state', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post(`/v1/user/poa-files/${EXTERNAL_USER_ID}`)
      .reply(202, errorBody('P211', 'poa-pending', 'POA pending'));
    const result = right(
      await provider.submitVerification(ref, { files: [file('proof_of_address', 'image/png')] })(),
    );
    expect(result.state).toEqual({
      status: 'pending',
      providerStatus: 'POA_PENDING',
      reasonCodes: ['P211'],
      nextAction: { type: 'await_provider' },
    });
  });

  it.each([
    ['a wrong POA type (P426)', [file('proof_of_address', 'image/gif')], 'files.0.contentType'],
    [
      'a POA file over 5 MB (P440)',
      [file('proof_of_address', 'application/pdf', 5 * 1024 * 1024 + 1)],
      'files.0.data',
    ],
    ['four POA files', [1, 2, 3, 4].map(() => file('proof_of_address', 'image/png')), 'files'],
    ['an ID card without its back', [file('document_front'), file('selfie')], 'files'],
    [
      'an empty file',
      [file('document_front'), file('document_back', 'image/jpeg', 0), file('selfie')],
      'files.1.data',
    ],
  ])('rejects %s locally, with no request made', async (_name, files, path) => {
    const { provider, observer } = buildProvider();
    const error = left(
      await provider.submitVerification(ref, {
        document: { type: 'id_card', number: 'X1' },
        files,
        providerOptions: { p100: { openAccountReason: 'DAILY_USE', incomeSource: 'OTHER' } },
      })(),
    );
    expect(error.kind === 'validation' && error.issues.map((issue) => issue.path)).toContain(path);
    expect(observer.count()).toBe(0);
  });

  it('maps P427 (missing KYC files, 404) to invalid_state and P466 to conflict', async () => {
    const { provider } = buildProvider();
    const input: SubmitVerificationInput = {
      document: { type: 'passport' as const, number: 'X1' },
      providerOptions: { p100: { openAccountReason: 'DAILY_USE', incomeSource: 'OTHER' } },
    };
    p100Api()
      .get(statusPath)
      .reply(404, errorBody('P445', undefined, 'KYC not found'))
      .post('/v1/user/verification')
      .reply(404, errorBody('P427', undefined, 'Missing KYC files'))
      .get(statusPath)
      .reply(404, errorBody('P445', undefined, 'KYC not found'))
      .post('/v1/user/verification')
      .reply(400, errorBody('P466', undefined, 'User exists with this document number'));
    expect(left(await provider.submitVerification(ref, input)())).toMatchObject({
      kind: 'invalid_state',
      providerCode: 'P427',
      httpStatus: 404,
    });
    expect(left(await provider.submitVerification(ref, input)())).toMatchObject({
      kind: 'conflict',
      providerCode: 'P466',
    });
  });

  it('starts a hosted verification when given neither files nor document (hosted method, e.g. after P445)', async () => {
    const { provider } = buildProvider();
    const scope = p100Api()
      .get(statusPath)
      .reply(404, errorBody('P445', undefined, 'KYC not found'))
      .post('/v1/kyc', expectedStart)
      .reply(201, startVerificationResponse);
    const result = right(
      await provider.submitVerification(ref, {
        providerOptions: { p100: { ...hostedOptions, country: 'PL' } },
      })(),
    );
    expect(scope.isDone()).toBe(true);
    expect(result.state.nextAction).toEqual({ type: 'redirect', url: redirectUrl });
  });

  it('needs files or a document with the document upload method', async () => {
    const { provider } = buildProvider({ kycMethod: 'document_upload' });
    const error = left(await provider.submitVerification(ref, {})());
    expect(error.kind === 'validation' && error.issues).toEqual([
      { path: 'files', message: 'files or document is required by p100' },
    ]);
  });
});

describe('construction', () => {
  it('throws a config KycException for an invalid configuration and closes cleanly', () => {
    expect(() => buildProvider({ apiKey: '' })).toThrow('[config]');
    const { provider } = buildProvider();
    expect(() => provider.close()).not.toThrow();
  });
});
