/**
 * Issue 13: P100 built through `createP100Provider` hands hosts provider-qualified refs
 * (`p100:<externalUserId>`) in results, errors naming the user and webhook events; it accepts its
 * own qualified ref and a bare ref stored before (legacy), sending the bare externalUserId on the
 * wire; another provider's ref is a `validation` error naming that provider, and P100 sees no
 * request. Its webhook handler names the header its deliveries carry the token in.
 */
import nock from 'nock';
import type { Either } from 'fp-ts/Either';
import { getHeader, userRef } from '@kycport/core';
import type { KycError, SubmitVerificationInput, UserRef, WebhookRequest } from '@kycport/core';
import { P100_WEBHOOK_SIGNATURE_HEADERS, createP100WebhookHandler, p100Adapter } from '../src';
import createUserResponse from './fixtures/create-user-response.json';
import startVerificationResponse from './fixtures/start-verification-response.json';
import addUserVerificationResponse from './fixtures/add-user-verification-response.json';
import kycStatusWebhook from './fixtures/webhook-kyc-verification-status.json';
import fileAddedWebhook from './fixtures/webhook-kyc-file-added.json';
import userStatusWebhook from './fixtures/webhook-user-status.json';
import {
  API_KEY,
  BASE_URL,
  EXTERNAL_USER_ID,
  USER_REF,
  WEBHOOK_TOKEN,
  buildProvider,
  bytes,
  errorBody,
  hostedOptions,
  p100Api,
  p100Ref,
  validInput,
} from './support';

const BARE_REF = userRef(EXTERNAL_USER_ID);
const STATUS_PATH = `/v1/kyc/status/${EXTERNAL_USER_ID}`;
const retryOptions = {
  strategy: { kind: 'auto' as const },
  providerOptions: { p100: { ...hostedOptions, country: 'PL' } },
};
const documentData: SubmitVerificationInput = {
  document: { type: 'id_card' as const, number: '6I12UQ171A', expirationDate: '2030-06-11' },
  providerOptions: { p100: { openAccountReason: 'DAILY_USE', incomeSource: 'SALARY', occupation: 'IT' } },
};
const passportFiles: SubmitVerificationInput = {
  files: [
    { purpose: 'document_front' as const, fileName: 'front.jpg', contentType: 'image/jpeg', data: bytes(16) },
    { purpose: 'selfie' as const, fileName: 'selfie.jpg', contentType: 'image/jpeg', data: bytes(16) },
  ],
  providerOptions: { p100: { documentType: 'PASSPORT' } },
};
const denied = { status: 'NOT_VERIFIED', attemptStatus: 'REJECTED_BY_PROVIDER' };

function right<A>(result: Either<KycError, A>): A {
  if (result._tag === 'Left') throw new Error(`${result.left.kind}: ${result.left.message}`);
  return result.right;
}
function left<A>(result: Either<KycError, A>): KycError {
  if (result._tag === 'Right') throw new Error('expected an error');
  return result.left;
}
function delivery(body: unknown, authorization?: string): WebhookRequest {
  return {
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { Authorization: authorization }),
    },
    rawBody: JSON.stringify(body),
  };
}

afterEach(() => nock.cleanAll());

describe('p100: results and errors naming the user carry p100:<externalUserId>', () => {
  it('createUser returns the qualified ref (the string the host stores)', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post('/v1/user/balances/crypto-and-fiat')
      .reply(200, createUserResponse)
      .post('/v1/kyc')
      .reply(201, startVerificationResponse);
    const result = right(await provider.createUser(validInput)());
    expect(result.userRef).toBe(`p100:${EXTERNAL_USER_ID}`);
    expect(result.userRef).toBe(USER_REF);
  });

  it('createUser: the user is kept when the start fails, and the error names the qualified ref', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post('/v1/user/balances/crypto-and-fiat')
      .reply(200, createUserResponse)
      .post('/v1/kyc')
      .reply(400, errorBody('P501', undefined, 'Service temporarily unavailable'));
    const error = left(await provider.createUser(validInput)());
    expect(error).toMatchObject({ kind: 'provider_unavailable', userRef: USER_REF });
  });

  it('getStatus, retry and submitVerification return the qualified ref', async () => {
    const { provider } = buildProvider();
    p100Api()
      .get(STATUS_PATH)
      .reply(200, denied)
      .get(STATUS_PATH)
      .reply(200, denied)
      .post('/v1/kyc')
      .reply(201, startVerificationResponse)
      .get(STATUS_PATH)
      .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' })
      .post('/v1/user/verification')
      .reply(201, addUserVerificationResponse);
    expect(right(await provider.getStatus(USER_REF)()).userRef).toBe(USER_REF);
    expect(right(await provider.retry(USER_REF, retryOptions)()).userRef).toBe(USER_REF);
    expect(right(await provider.submitVerification(USER_REF, documentData)()).userRef).toBe(USER_REF);
  });

  it('a refusal by the status read (retry while verified) names the qualified ref', async () => {
    const { provider } = buildProvider();
    p100Api().get(STATUS_PATH).reply(200, { status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' });
    const error = left(await provider.retry(USER_REF, retryOptions)());
    expect(error).toMatchObject({ kind: 'invalid_state', outcome: 'not_sent', userRef: USER_REF });
  });

  it('a lost upload answer names the qualified ref', async () => {
    const { provider } = buildProvider();
    p100Api()
      .post(`/v1/user/kyc-files/${EXTERNAL_USER_ID}`)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const error = left(await provider.submitVerification(USER_REF, passportFiles)());
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', userRef: USER_REF });
  });

  it('has no bulk read (statusLookup single_request): getStatuses is absent', () => {
    const { provider } = buildProvider();
    expect(provider.getStatuses).toBeUndefined();
    expect(provider.capabilities.bulkStatus).toBeUndefined();
  });
});

describe.each<[string, UserRef]>([
  ['its own qualified ref', USER_REF],
  ['a bare (legacy) ref', BARE_REF],
])('p100 accepts %s and sends the bare externalUserId', (_name, ref) => {
  it('getStatus reads /v1/kyc/status/{externalUserId}, answering with the qualified ref', async () => {
    const { provider } = buildProvider();
    const scope = p100Api().get(STATUS_PATH).reply(200, denied);
    const result = right(await provider.getStatus(ref)());
    expect(scope.isDone()).toBe(true);
    expect(result.userRef).toBe(USER_REF);
  });

  it('retry reads the status and starts with the bare externalUserId in the body', async () => {
    const { provider } = buildProvider();
    const scope = p100Api()
      .get(STATUS_PATH)
      .reply(200, denied)
      .post('/v1/kyc', (body: { externalUserId?: unknown }) => body.externalUserId === EXTERNAL_USER_ID)
      .reply(201, startVerificationResponse);
    const result = right(await provider.retry(ref, retryOptions)());
    expect(scope.isDone()).toBe(true);
    expect(result.userRef).toBe(USER_REF);
    expect(result.state.nextAction).toMatchObject({
      type: 'redirect',
      url: expect.stringContaining(`/v1/kyc/verification/${EXTERNAL_USER_ID}/`),
    });
  });

  it('submitVerification uploads to /v1/user/kyc-files/{externalUserId}', async () => {
    const { provider } = buildProvider();
    const scope = p100Api().post(`/v1/user/kyc-files/${EXTERNAL_USER_ID}`).reply(201);
    const result = right(await provider.submitVerification(ref, passportFiles)());
    expect(scope.isDone()).toBe(true);
    expect(result.userRef).toBe(USER_REF);
  });

  it('submitVerification sends the bare externalUserId to Add User Verification', async () => {
    const { provider } = buildProvider();
    const scope = p100Api()
      .get(STATUS_PATH)
      .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' })
      .post(
        '/v1/user/verification',
        (body: { externalUserId?: unknown }) => body.externalUserId === EXTERNAL_USER_ID,
      )
      .reply(201, addUserVerificationResponse);
    expect(right(await provider.submitVerification(ref, documentData)()).userRef).toBe(USER_REF);
    expect(scope.isDone()).toBe(true);
  });
});

describe('p100: a qualified ref whose id holds the separator', () => {
  it('sends everything after the first `:` verbatim (encoded in the path) and hands the same ref back', async () => {
    const { provider } = buildProvider();
    const scope = p100Api().get('/v1/kyc/status/order%3A42').reply(200, denied);
    const result = right(await provider.getStatus(p100Ref('order:42'))());
    expect(scope.isDone()).toBe(true);
    expect(result.userRef).toBe('p100:order:42');
  });
});

describe.each(['plu', 'plaid', 'fake'])("p100 refuses a ref of provider '%s' before any request", (other) => {
  const foreign = userRef(`${other}:${EXTERNAL_USER_ID}`);
  const calls: ReadonlyArray<[string, (provider: ReturnType<typeof buildProvider>['provider']) => unknown]> =
    [
      ['getStatus', (provider) => provider.getStatus(foreign)()],
      ['retry', (provider) => provider.retry(foreign, retryOptions)()],
      ['submitVerification (files)', (provider) => provider.submitVerification(foreign, passportFiles)()],
      ['submitVerification (data)', (provider) => provider.submitVerification(foreign, documentData)()],
    ];

  it.each(calls)('%s: validation error naming that provider; P100 sees nothing', async (_name, call) => {
    const { provider, observer } = buildProvider();
    // A scope that must not be called: any read or write to P100.
    const scope = nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY } })
      .get(/.*/)
      .reply(200, denied)
      .post(/.*/)
      .reply(201, startVerificationResponse);
    const error = left((await call(provider)) as Either<KycError, unknown>);
    expect(error).toMatchObject({
      kind: 'validation',
      provider: 'p100',
      outcome: 'not_sent',
      retryable: false,
    });
    expect(error.kind === 'validation' && error.issues).toEqual([
      { path: 'ref', message: expect.stringContaining(`"${other}"`) },
    ]);
    expect(error.message).toContain(`"${other}"`);
    // The ref itself is never echoed.
    expect(JSON.stringify(error)).not.toContain(EXTERNAL_USER_ID);
    expect(scope.isDone()).toBe(false);
    expect(scope.pendingMocks()).toHaveLength(2);
    expect(observer.count()).toBe(0);
  });
});

describe('p100: webhook events carry p100:<externalUserId>', () => {
  it.each([
    ['KYC Verification Status', kycStatusWebhook, 'kyc.verification_status'],
    ['KYC File Added', fileAddedWebhook, 'kyc.file_added'],
    ['POA Verification Status', { ...fileAddedWebhook, status: 'APPROVED' }, 'poa.verification_status'],
    ['user status', userStatusWebhook, 'user.status'],
  ])('%s', async (_name, body, type) => {
    const { provider } = buildProvider();
    const result = right(await provider.webhooks.parseWebhook(delivery(body, WEBHOOK_TOKEN))());
    expect(result).toMatchObject({ provider: 'p100', type, userRef: p100Ref(body.externalUserId) });
    expect(result.userRef).toBe(`p100:${body.externalUserId}`);
  });

  it('the webhooks of p100Adapter.create carry qualified refs too', async () => {
    const { webhooks, close } = p100Adapter.create({
      apiKey: API_KEY,
      environment: 'staging',
      webhookToken: WEBHOOK_TOKEN,
    });
    try {
      const event = right(await webhooks.parseWebhook(delivery(kycStatusWebhook, WEBHOOK_TOKEN))());
      expect(event.userRef).toBe(p100Ref(kycStatusWebhook.externalUserId));
    } finally {
      close();
    }
  });
});

describe('p100: signatureHeaders', () => {
  it('names the header the token comes in, lower case, on the built and the bare handler', () => {
    const { provider } = buildProvider();
    expect(P100_WEBHOOK_SIGNATURE_HEADERS).toEqual(['authorization']);
    expect(provider.webhooks.signatureHeaders).toEqual(['authorization']);
    expect(createP100WebhookHandler(WEBHOOK_TOKEN).signatureHeaders).toEqual(['authorization']);
    // Without a token configured the deliveries are still recognised as P100's (then refused as config).
    expect(createP100WebhookHandler(undefined).signatureHeaders).toEqual(['authorization']);
    for (const name of P100_WEBHOOK_SIGNATURE_HEADERS) expect(name).toBe(name.toLowerCase());
  });

  it('an accepted delivery carries one of them; one without them has none and is refused', async () => {
    const { provider } = buildProvider();
    const names = provider.webhooks.signatureHeaders ?? [];
    for (const authorization of [WEBHOOK_TOKEN, `Bearer ${WEBHOOK_TOKEN}`]) {
      const signed = delivery(kycStatusWebhook, authorization);
      right(await provider.webhooks.parseWebhook(signed)());
      expect(names.some((name) => getHeader(signed.headers, name) !== undefined)).toBe(true);
    }
    const unsigned = delivery(kycStatusWebhook);
    expect(names.some((name) => getHeader(unsigned.headers, name) !== undefined)).toBe(false);
    expect(left(await provider.webhooks.parseWebhook(unsigned)())).toMatchObject({
      kind: 'webhook_rejected',
    });
  });
});
