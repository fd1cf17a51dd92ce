/** The shared contract suite against the P100 adapter, with nock fixtures from P100's documented examples. */
import nock from 'nock';
import { userRef } from '@kycport/core';
import type { ProviderOptions, SubmitVerificationInput, WebhookRequest } from '@kycport/core';
import { countingObserver, describeKycProviderContract } from '@kycport/testing';
import { createP100Provider } from '../src';
import createUserResponse from './fixtures/create-user-response.json';
import legacyCreateUserResponse from './fixtures/create-user-response-legacy.json';
import startVerificationResponse from './fixtures/start-verification-response.json';
import kycStatusResponse from './fixtures/kyc-status-response.json';
import addUserVerificationResponse from './fixtures/add-user-verification-response.json';
import kycStatusWebhook from './fixtures/webhook-kyc-verification-status.json';
import p412 from './fixtures/error-p412.json';
import p403 from './fixtures/error-p403.json';
import {
  API_KEY,
  BASE_URL,
  EXTERNAL_USER_ID,
  USER_REF,
  WEBHOOK_TOKEN,
  bytes,
  errorBody,
  hostedOptions,
  p100Api,
  p100Ref,
  validInput,
} from './support';

// The ref a host stores (`p100:<externalUserId>`); bare refs: p100-qualified-refs.test.ts.
const ref = USER_REF;
const statusPath = `/v1/kyc/status/${EXTERNAL_USER_ID}`;
const retryOptions = {
  strategy: { kind: 'auto' as const },
  providerOptions: { p100: { ...hostedOptions, country: 'PL' } },
};
const documentData = {
  document: { type: 'id_card' as const, number: '6I12UQ171A', expirationDate: '2030-06-11' },
  providerOptions: {
    p100: { openAccountReason: 'DAILY_USE', incomeSource: 'SALARY', occupation: 'IT', riskLvl: 'LOW' },
  },
} satisfies SubmitVerificationInput;

function webhook(body: unknown, authorization?: string): WebhookRequest {
  return {
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    rawBody: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

describeKycProviderContract('p100', () => {
  const observer = countingObserver();
  const provider = createP100Provider(
    { apiKey: API_KEY, environment: 'staging', webhookToken: WEBHOOK_TOKEN },
    { observer, transport: { sleep: async () => undefined } },
  );
  const status = (body: Record<string, string>) => () => {
    p100Api().get(statusPath).reply(200, body);
    return { ref };
  };
  return {
    provider,
    webhooks: provider.webhooks,
    callCount: () => observer.count(),
    validInput,
    someRef: ref,
    secrets: [API_KEY, WEBHOOK_TOKEN],
    successes: [
      {
        name: 'create user and start the hosted verification',
        operation: 'createUser',
        arrange: () => {
          p100Api()
            .post('/v1/user/balances/crypto-and-fiat')
            .reply(200, createUserResponse)
            .post('/v1/kyc')
            .reply(201, startVerificationResponse);
          return {};
        },
        expectedStatus: 'action_required',
        check: (result) => expect(result).toMatchObject({ state: { nextAction: { type: 'redirect' } } }),
      },
      {
        name: 'create user (old response generation)',
        operation: 'createUser',
        arrange: () => {
          p100Api()
            .post('/v1/user/balances/crypto-and-fiat')
            .reply(200, legacyCreateUserResponse)
            .post('/v1/kyc')
            .reply(201, startVerificationResponse);
          return {};
        },
        expectedStatus: 'action_required',
      },
      {
        name: 'status pending (documented example)',
        operation: 'getStatus',
        arrange: status(kycStatusResponse),
        expectedStatus: 'pending',
      },
      {
        name: 'status approved',
        operation: 'getStatus',
        arrange: status({ status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' }),
        expectedStatus: 'approved',
      },
      {
        name: 'status denied with reason',
        operation: 'getStatus',
        arrange: status({
          status: 'NOT_VERIFIED',
          attemptStatus: 'REJECTED_BY_PROVIDER',
          rejectionReason: 'NO_FACE_FOUND',
        }),
        expectedStatus: 'denied',
        check: (result) => expect(result).toMatchObject({ state: { reasonCodes: ['NO_FACE_FOUND'] } }),
      },
      {
        name: 'status expired',
        operation: 'getStatus',
        arrange: status({ status: 'EXPIRED', attemptStatus: 'SUCCESSFUL' }),
        expectedStatus: 'expired',
      },
      {
        name: 'status documents accepted: document data due',
        operation: 'getStatus',
        arrange: status({ status: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' }),
        expectedStatus: 'action_required',
      },
      {
        name: 'status KYC not found (P445) is a state',
        operation: 'getStatus',
        arrange: () => {
          p100Api()
            .get(statusPath)
            .reply(404, errorBody('P445', undefined, 'KYC not found'));
          return { ref };
        },
        expectedStatus: 'action_required',
      },
      {
        name: 'retry starts a new verification (after reading the KYC status)',
        operation: 'retry',
        arrange: () => {
          p100Api()
            .get(statusPath)
            .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'REJECTED_BY_PROVIDER' })
            .post('/v1/kyc')
            .reply(201, startVerificationResponse);
          return { ref };
        },
        options: retryOptions,
        expectedStatus: 'action_required',
      },
      {
        name: 'createUser repeated for a user P100 has (P411): reads it and starts the verification',
        operation: 'createUser',
        arrange: () => {
          p100Api()
            .post('/v1/user/balances/crypto-and-fiat')
            .reply(400, errorBody('P411', 'user-exists', 'User exists'))
            .get(statusPath)
            .reply(404, errorBody('P445', undefined, 'KYC not found'))
            .post('/v1/kyc')
            .reply(201, startVerificationResponse);
          return {};
        },
        expectedStatus: 'action_required',
        check: (result) =>
          expect(result).toMatchObject({ userRef: ref, state: { nextAction: { type: 'redirect' } } }),
      },
      {
        name: 'submit document data',
        operation: 'submitVerification',
        arrange: () => {
          // Issue 12: the status read first (documents accepted: Method B step 5).
          p100Api()
            .get(statusPath)
            .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' })
            .post('/v1/user/verification')
            .reply(201, addUserVerificationResponse);
          return { ref };
        },
        input: documentData,
        expectedStatus: 'in_review',
      },
      {
        name: 'submit passport files',
        operation: 'submitVerification',
        arrange: () => {
          p100Api().post(`/v1/user/kyc-files/${EXTERNAL_USER_ID}`).reply(201);
          return { ref };
        },
        input: {
          document: { type: 'passport' },
          files: [
            {
              purpose: 'document_front',
              fileName: 'passport.jpg',
              contentType: 'image/jpeg',
              data: bytes(32),
            },
            { purpose: 'selfie', fileName: 'selfie.jpg', contentType: 'image/jpeg', data: bytes(32) },
          ],
        },
        expectedStatus: 'action_required',
      },
    ],
    failures: [
      {
        name: 'unknown user (P412)',
        operation: 'getStatus',
        arrange: () => {
          p100Api().get(statusPath).reply(400, p412);
          return { ref };
        },
        expectedKind: 'not_found',
        expectedCode: 'P412',
      },
      {
        name: 'P500 arriving as 400 on every attempt',
        operation: 'getStatus',
        arrange: () => {
          p100Api()
            .get(statusPath)
            .times(3)
            .reply(400, errorBody('P500', undefined, 'Unknown exception'));
          return { ref };
        },
        expectedKind: 'provider_unavailable',
        expectedCode: 'P500',
        expectedRetryable: true,
      },
      {
        name: 'P501 on create user',
        operation: 'createUser',
        arrange: () => {
          p100Api()
            .post('/v1/user/balances/crypto-and-fiat')
            .reply(400, errorBody('P501', undefined, 'Service temporarily unavailable'));
          return {};
        },
        expectedKind: 'provider_unavailable',
        expectedCode: 'P501',
        expectedRetryable: true,
      },
      {
        name: 'duplicate externalUserId (P411) that the KYC status read does not find (P412)',
        operation: 'createUser',
        arrange: () => {
          p100Api()
            .post('/v1/user/balances/crypto-and-fiat')
            .reply(400, errorBody('P411', 'user-exists', 'User exists'))
            .get(statusPath)
            .reply(400, p412);
          return {};
        },
        expectedKind: 'conflict',
        expectedCode: 'P411',
      },
      {
        name: 'validation (P403, no errorName)',
        operation: 'createUser',
        arrange: () => {
          p100Api().post('/v1/user/balances/crypto-and-fiat').reply(400, p403);
          return {};
        },
        expectedKind: 'validation',
        expectedCode: 'P403',
      },
      {
        name: 'missing API key (xo1)',
        operation: 'getStatus',
        arrange: () => {
          nock(BASE_URL).get(statusPath).reply(401, 'Access Denied. xo1');
          return { ref };
        },
        expectedKind: 'unauthorized',
        expectedCode: 'xo1',
      },
      {
        name: 'wrong API key (xo2)',
        operation: 'getStatus',
        arrange: () => {
          nock(BASE_URL).get(statusPath).reply(401, 'Access Denied. xo2');
          return { ref };
        },
        expectedKind: 'unauthorized',
        expectedCode: 'xo2',
      },
      {
        name: 'IP not on the allowlist (xo3)',
        operation: 'getStatus',
        arrange: () => {
          nock(BASE_URL).get(statusPath).reply(401, 'Access Denied. xo3');
          return { ref };
        },
        expectedKind: 'forbidden',
        expectedCode: 'xo3',
      },
      {
        name: 'too many verifications (P430)',
        operation: 'retry',
        arrange: () => {
          p100Api()
            .get(statusPath)
            .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'REJECTED_BY_PROVIDER' })
            .post('/v1/kyc')
            .reply(400, errorBody('P430', undefined, 'Too many verifications'));
          return { ref };
        },
        options: retryOptions,
        expectedKind: 'retry_limit_reached',
        expectedCode: 'P430',
      },
      {
        name: 'already verified (P442)',
        operation: 'retry',
        arrange: () => {
          // Verified between the read and the start: P100's P442 (a verified read is refused locally).
          p100Api()
            .get(statusPath)
            .reply(200, { status: 'NOT_VERIFIED', attemptStatus: 'REJECTED_BY_PROVIDER' })
            .post('/v1/kyc')
            .reply(400, errorBody('P442', undefined, 'User already verified'));
          return { ref };
        },
        options: retryOptions,
        expectedKind: 'invalid_state',
        expectedCode: 'P442',
      },
      {
        name: 'KYC not valid or expired (P446)',
        operation: 'submitVerification',
        arrange: () => {
          p100Api()
            .get(statusPath)
            .reply(200, { status: 'EXPIRED', attemptStatus: 'SUCCESSFUL' })
            .post('/v1/user/verification')
            .reply(400, errorBody('P446', undefined, 'KYC is not valid or expired'));
          return { ref };
        },
        input: documentData,
        expectedKind: 'invalid_state',
        expectedCode: 'P446',
      },
      {
        name: 'missing KYC files (P427 as 404)',
        operation: 'submitVerification',
        arrange: () => {
          p100Api()
            .get(statusPath)
            .reply(200, { status: 'EXPIRED', attemptStatus: 'SUCCESSFUL' })
            .post('/v1/user/verification')
            .reply(404, errorBody('P427', undefined, 'Missing KYC files'));
          return { ref };
        },
        input: documentData,
        expectedKind: 'invalid_state',
        expectedCode: 'P427',
      },
      {
        name: 'POA already verified (P447)',
        operation: 'submitVerification',
        arrange: () => {
          p100Api()
            .post(`/v1/user/poa-files/${EXTERNAL_USER_ID}`)
            .reply(400, errorBody('P447', undefined, 'POA already verified'));
          return { ref };
        },
        input: {
          files: [
            {
              purpose: 'proof_of_address',
              fileName: 'bill.pdf',
              contentType: 'application/pdf',
              data: bytes(64),
            },
          ],
        },
        expectedKind: 'invalid_state',
        expectedCode: 'P447',
      },
    ],
    invalidInputs: [
      {
        name: 'bad phone',
        operation: 'createUser',
        input: { ...validInput, applicant: { ...validInput.applicant, phone: '601-233-456' } },
        expectedPath: 'applicant.phone',
      },
      {
        name: 'terms not accepted',
        operation: 'createUser',
        input: { ...validInput, applicant: { ...validInput.applicant, termsAccepted: false } },
        expectedPath: 'applicant.termsAccepted',
      },
      {
        name: 'missing externalId',
        operation: 'createUser',
        input: { ...validInput, applicant: { ...validInput.applicant, externalId: '' } },
        expectedPath: 'applicant.externalId',
      },
      {
        name: 'missing nationality (citizenship is mandatory)',
        operation: 'createUser',
        input: { ...validInput, applicant: { ...validInput.applicant, nationality: undefined } },
        expectedPath: 'applicant.nationality',
      },
      {
        name: 'unknown openAccountReason',
        operation: 'createUser',
        // As an untyped caller passes it: the typed `providerOptions` refuses 'FUN' at compile time.
        input: {
          ...validInput,
          providerOptions: { p100: { ...hostedOptions, openAccountReason: 'FUN' } } as ProviderOptions,
        },
        expectedPath: 'providerOptions.p100.openAccountReason',
      },
      {
        name: 'SALARY without occupation',
        operation: 'createUser',
        input: { ...validInput, providerOptions: { p100: { ...hostedOptions, occupation: undefined } } },
        expectedPath: 'providerOptions.p100.occupation',
      },
      { name: 'blank ref', operation: 'getStatus', ref: userRef(' '), expectedPath: 'ref' },
      {
        name: 'retry without the verification fields',
        operation: 'retry',
        ref,
        options: { strategy: { kind: 'auto' } },
        expectedPath: 'providerOptions.p100.documentType',
      },
      {
        name: 'POA file of a wrong type',
        operation: 'submitVerification',
        ref,
        input: {
          files: [
            { purpose: 'proof_of_address', fileName: 'bill.gif', contentType: 'image/gif', data: bytes(8) },
          ],
        },
        expectedPath: 'files.0.contentType',
      },
      {
        name: 'bad expiration date',
        operation: 'submitVerification',
        ref,
        input: { ...documentData, document: { ...documentData.document, expirationDate: '2030-02-30' } },
        expectedPath: 'document.expirationDate',
      },
    ],
    webhookScenarios: {
      authentic: () => ({
        request: webhook(kycStatusWebhook, WEBHOOK_TOKEN),
        expectedRef: p100Ref(kycStatusWebhook.externalUserId),
      }),
      rejected: [
        { name: 'forged token', request: () => webhook(kycStatusWebhook, 'not-the-token') },
        { name: 'missing Authorization', request: () => webhook(kycStatusWebhook) },
        { name: 'authentic but not JSON', request: () => webhook('not json', WEBHOOK_TOKEN) },
        {
          name: 'authentic but malformed',
          request: () => webhook({ hello: 'world' }, `Bearer ${WEBHOOK_TOKEN}`),
        },
      ],
    },
    afterEach: () => {
      nock.cleanAll();
    },
    close: () => {
      provider.close();
    },
  };
});
