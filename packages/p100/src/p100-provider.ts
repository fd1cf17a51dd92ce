/**
 * `createP100Provider`: the P100 Partner API behind kycport's `KycProvider` port.
 *
 * - createUser: Create User Account, then (hosted method) Creating KYC Verification, returning the
 *   redirect `{baseUrl}/v1/kyc/verification/{externalUserId}/{verificationId}` (built, never fetched).
 * - getStatus: Get KYC Status. retry: a new Creating KYC Verification. submitVerification: KYC
 *   files, proof-of-address files and/or Add User Verification (or, hosted method with neither,
 *   starts a verification).
 * The user reference is the host's `externalUserId`: every P100 call after creation keys on it.
 */
import {
  KycException,
  CreateUserInputCodec,
  RetryStrategyCodec,
  SubmitVerificationInputCodec,
  UserRefCodec,
} from '@kycport/core';
import {
  decodeInput,
  kycError,
  withLazyRaw,
  unsupported,
  userRef,
  validationError,
  withErrorContext,
} from '@kycport/core';
import type {
  CallOptions,
  CreateUserInput,
  CreateUserResult,
  KycCapabilities,
  KycError,
  KycIssue,
  KycObserver,
  KycProvider,
  KycResult,
  KycState,
  KycWebhookHandler,
  ProviderOptions,
  RetryOptions,
  RetryResult,
  StatusResult,
  SubmitVerificationInput,
  SubmitVerificationResult,
  UserRef,
  VerificationFile,
} from '@kycport/core';
import { createHttpClient } from '@kycport/http';
import type { HttpClientConfig } from '@kycport/http';
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import {
  P100AnyResponse,
  P100CreateUserResponse,
  P100KycStatusResponse,
  P100StartVerificationResponse,
} from './p100-api';
import type { P100StartVerificationRequest } from './p100-api';
import { P100_PROVIDER_ID, parseP100Config, resolveP100Config } from './p100-config';
import type { P100Config, ResolvedP100Config } from './p100-config';
import { mapP100Error, p100ErrorCode } from './p100-error';
import { P100ProviderOptions } from './p100-options';
import type { P100DocumentType } from './p100-options';
import {
  OPTIONS_PATH,
  addUserVerificationRequest,
  checkPoaFiles,
  createUserRequest,
  orderKycFiles,
  p100DocumentType,
  startVerificationRequest,
} from './p100-request-mapping';
import {
  MISSING_DOCUMENT_DATA,
  kycNotFoundState,
  mapP100KycStatus,
  requiredKycFilePurposes,
} from './p100-status-mapping';
import { createP100WebhookHandler } from './p100-webhooks';

const P100 = P100_PROVIDER_ID;
/** Keys redacted from `raw` on top of core's list. */
const P100_REDACTED_KEYS = ['wallet', 'additionalInfo'];

export const P100_PATHS = {
  createUser: '/v1/user/balances/crypto-and-fiat',
  startVerification: '/v1/kyc',
  verificationRedirect: '/v1/kyc/verification/{externalUserId}/{verificationId}',
  kycStatus: '/v1/kyc/status/{externalUserId}',
  kycFiles: '/v1/user/kyc-files/{externalUserId}',
  poaFiles: '/v1/user/poa-files/{externalUserId}',
  addUserVerification: '/v1/user/verification',
} as const;

export interface P100ProviderDependencies {
  readonly observer?: KycObserver;
  readonly transport?: Partial<
    Pick<HttpClientConfig, 'retry' | 'sleep' | 'random' | 'axiosAdapter' | 'axiosInstance'>
  >;
}

export type P100Provider = KycProvider & { readonly webhooks: KycWebhookHandler; close(): void };

const RETRY_STRATEGY_REASON =
  'P100 can only start a new hosted verification (POST /v1/kyc); use strategy auto';

export function p100Capabilities(config: ResolvedP100Config): KycCapabilities {
  return {
    operations: {
      createUser: { supported: true },
      getStatus: { supported: true },
      retry: { supported: true },
      submitVerification: { supported: true },
    },
    retryStrategies: ['auto'],
    // P100 caps attempts (P430 "Too many verifications") but does not document the number.
    hostedFlow: config.kycMethod === 'hosted',
    documentUpload: true,
    statusLookup: 'single_request',
    // The KYC Verification Status webhook carries the state; file, POA and user status webhooks do not.
    webhooks: { authentication: 'shared_token', carriesState: true },
  };
}

/** The browser URL of a hosted verification (P100 answers it with an HTML page that redirects to iDenfy). */
export function p100VerificationUrl(baseUrl: string, externalUserId: string, verificationId: string): string {
  return `${baseUrl}/v1/kyc/verification/${encodeURIComponent(externalUserId)}/${encodeURIComponent(verificationId)}`;
}

function verificationIdOf(response: P100StartVerificationResponse): string | undefined {
  const value = response.verificationId ?? response.id;
  return value === undefined || String(value).trim() === '' ? undefined : String(value);
}

function issuesError(issues: ReadonlyArray<KycIssue>): KycError {
  return validationError(P100, issues);
}

function decodeOptions(
  providerOptions: ProviderOptions | undefined,
): E.Either<KycError, P100ProviderOptions> {
  return decodeInput(P100, P100ProviderOptions, providerOptions?.[P100] ?? {}, OPTIONS_PATH);
}

function indexed(
  files: ReadonlyArray<VerificationFile>,
  poa: boolean,
): ReadonlyArray<{ file: VerificationFile; index: number }> {
  return files
    .map((file, index) => ({ file, index }))
    .filter(({ file }) => (file.purpose === 'proof_of_address') === poa);
}

function multipart(field: string, files: ReadonlyArray<VerificationFile>): FormData {
  const form = new FormData();
  // A copy into a plain ArrayBuffer-backed array: `Blob` does not take views of shared buffers.
  for (const file of files)
    form.append(field, new Blob([new Uint8Array(file.data)], { type: file.contentType }), file.fileName);
  return form;
}

export function createP100Provider(
  config: P100Config,
  dependencies: P100ProviderDependencies = {},
): P100Provider {
  const parsed = parseP100Config(config);
  if (E.isLeft(parsed)) throw new KycException(parsed.left);
  const settings = resolveP100Config(parsed.right);
  const capabilities = p100Capabilities(settings);
  const client = createHttpClient({
    provider: P100,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutMs,
    // Header name exactly as documented: "x-api-key (not X-API-Key)".
    authenticate: () => ({ 'x-api-key': settings.apiKey }),
    mapError: mapP100Error,
    observer: dependencies.observer,
    userAgent: '@kycport/p100',
    ...dependencies.transport,
  });

  const result = (ref: UserRef, state: KycState, raw: unknown): KycResult =>
    withLazyRaw({ provider: P100, userRef: ref, state }, raw, P100_REDACTED_KEYS);

  const validRef = (ref: UserRef): E.Either<KycError, UserRef> => decodeInput(P100, UserRefCodec, ref, 'ref');

  /** POST /v1/kyc and the redirect state. Not idempotent: each call creates a (fee-bearing) verification. */
  const startVerification = (ref: UserRef, body: P100StartVerificationRequest, options: CallOptions = {}) =>
    pipe(
      client.request({
        operation: 'startVerification',
        method: 'POST',
        pathTemplate: P100_PATHS.startVerification,
        body,
        idempotent: false,
        response: P100StartVerificationResponse,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
      }),
      TE.chainEitherK((response) => {
        const verificationId = verificationIdOf(response.data);
        if (verificationId === undefined) {
          return E.left<KycError, { state: KycState; raw: unknown }>(
            kycError('unexpected_response', {
              provider: P100,
              message: `${P100}: startVerification answered without a verificationId or id`,
              issues: [{ path: 'response.verificationId', message: 'expected verificationId or id' }],
              httpStatus: response.status,
              requestId: response.requestId,
              retryable: false,
            }),
          );
        }
        const state: KycState = {
          status: 'action_required',
          providerStatus: 'VERIFICATION_CREATED',
          reasonCodes: [],
          nextAction: { type: 'redirect', url: p100VerificationUrl(settings.baseUrl, ref, verificationId) },
        };
        return E.right({ state, raw: response.data });
      }),
      // The user exists even when starting the verification failed: keep the ref for `retry`.
      TE.mapLeft((error) => withErrorContext(error, { userRef: ref })),
    );

  const documentUploadState = (documentType: P100DocumentType | undefined): KycState => ({
    status: 'action_required',
    providerStatus: 'USER_CREATED',
    reasonCodes: [],
    nextAction: {
      type: 'submit_verification',
      missing: [
        ...(documentType
          ? requiredKycFilePurposes(documentType)
          : ['document_front', 'document_back', 'selfie']),
        MISSING_DOCUMENT_DATA,
      ],
    },
  });

  const createUser = (
    input: CreateUserInput,
    options: CallOptions = {},
  ): TE.TaskEither<KycError, CreateUserResult> =>
    pipe(
      TE.fromEither(decodeInput(P100, CreateUserInputCodec, input)),
      TE.chainEitherK((decoded) =>
        pipe(
          decodeOptions(decoded.providerOptions),
          E.chain((providerOptions) => {
            const user = createUserRequest(decoded.applicant, providerOptions);
            const start =
              settings.kycMethod === 'hosted'
                ? pipe(
                    startVerificationRequest(
                      decoded.applicant.externalId,
                      providerOptions,
                      decoded.applicant.address?.country,
                    ),
                    E.map((body) => body as P100StartVerificationRequest | undefined),
                  )
                : E.right(undefined);
            const issues = [...(E.isLeft(user) ? user.left : []), ...(E.isLeft(start) ? start.left : [])];
            if (E.isLeft(user) || E.isLeft(start)) return E.left(issuesError(issues));
            return E.right({ userBody: user.right, startBody: start.right, providerOptions });
          }),
        ),
      ),
      TE.chain(({ userBody, startBody, providerOptions }) =>
        pipe(
          client.request({
            operation: 'createUser',
            method: 'POST',
            pathTemplate: P100_PATHS.createUser,
            body: userBody,
            // externalUserId is unique at P100, so a resent create fails (P411) instead of duplicating, but
            // the first outcome would be lost: never resent automatically.
            idempotent: false,
            response: P100CreateUserResponse,
            signal: options.signal,
            timeoutMs: options.timeoutMs,
          }),
          TE.chain((created) => {
            const ref = userRef(userBody.externalUserId);
            if (startBody === undefined) {
              return TE.right(
                result(ref, documentUploadState(providerOptions.documentType), { user: created.data }),
              );
            }
            return pipe(
              startVerification(ref, startBody, options),
              TE.map(({ state, raw }) => result(ref, state, { user: created.data, verification: raw })),
            );
          }),
        ),
      ),
    );

  const getStatus = (ref: UserRef, options: CallOptions = {}): TE.TaskEither<KycError, StatusResult> =>
    pipe(
      TE.fromEither(validRef(ref)),
      TE.chain(() =>
        client.request({
          operation: 'getStatus',
          method: 'GET',
          pathTemplate: P100_PATHS.kycStatus,
          pathParams: { externalUserId: ref },
          idempotent: true,
          response: P100KycStatusResponse,
          signal: options.signal,
          timeoutMs: options.timeoutMs,
        }),
      ),
      TE.map((response) =>
        result(
          ref,
          mapP100KycStatus(response.data.status, response.data.attemptStatus, response.data.rejectionReason),
          response.data,
        ),
      ),
      // P445 "KYC not found" for an existing user: no verification yet. A state, not an error.
      TE.orElse((error) =>
        error.providerCode === 'P445'
          ? TE.right(result(ref, kycNotFoundState(settings.kycMethod), { errorCode: 'P445' }))
          : TE.left(error),
      ),
    );

  const retry = (ref: UserRef, options: RetryOptions = {}): TE.TaskEither<KycError, RetryResult> =>
    pipe(
      TE.fromEither(validRef(ref)),
      TE.chainEitherKW(() =>
        decodeInput(P100, RetryStrategyCodec, options.strategy ?? { kind: 'auto' }, 'strategy'),
      ),
      TE.chain((strategy) =>
        capabilities.retryStrategies.includes(strategy.kind)
          ? TE.right(strategy)
          : unsupported<typeof strategy>(P100, `retry with strategy ${strategy.kind}`, RETRY_STRATEGY_REASON),
      ),
      TE.chainEitherK(() =>
        pipe(
          decodeOptions(options.providerOptions),
          E.chain((providerOptions) =>
            E.mapLeft(issuesError)(startVerificationRequest(ref, providerOptions)),
          ),
        ),
      ),
      TE.chain((body) => startVerification(ref, body, options)),
      TE.map(({ state, raw }): RetryResult =>
        withLazyRaw({ provider: P100, userRef: ref, state, attempts: {} }, raw, P100_REDACTED_KEYS),
      ),
    );

  interface SubmitPlan {
    readonly kycFiles: ReadonlyArray<VerificationFile>;
    readonly poaFiles: ReadonlyArray<VerificationFile>;
    readonly verification?: ReturnType<typeof addUserVerificationRequest> extends E.Either<unknown, infer B>
      ? B
      : never;
    readonly start?: P100StartVerificationRequest;
  }

  const planSubmission = (ref: UserRef, input: unknown): E.Either<KycError, SubmitPlan> =>
    pipe(
      decodeInput(P100, SubmitVerificationInputCodec, input),
      E.chain((decoded) =>
        pipe(
          decodeOptions(decoded.providerOptions),
          E.chain((providerOptions): E.Either<KycError, SubmitPlan> => {
            const files = decoded.files ?? [];
            if (files.length === 0 && decoded.document === undefined) {
              if (settings.kycMethod === 'document_upload') {
                return E.left(
                  issuesError([{ path: 'files', message: 'files or document is required by p100' }]),
                );
              }
              // Hosted method with nothing to upload: start a hosted verification (as after P445).
              return pipe(
                startVerificationRequest(ref, providerOptions),
                E.bimap(issuesError, (start): SubmitPlan => ({ kycFiles: [], poaFiles: [], start })),
              );
            }
            const documentType = decoded.document
              ? p100DocumentType(decoded.document.type)
              : providerOptions.documentType;
            const kycIndexed = indexed(files, false);
            const poaIndexed = indexed(files, true);
            const kyc =
              kycIndexed.length > 0
                ? orderKycFiles(kycIndexed, documentType)
                : E.right<ReadonlyArray<KycIssue>, ReadonlyArray<VerificationFile>>([]);
            const poaIssues = checkPoaFiles(poaIndexed);
            // Document data goes to Add User Verification when it has a number, or when it is all that was given
            // (a missing number is then reported); `document: { type }` beside files only names the files' document.
            const sendsData =
              decoded.document !== undefined && (decoded.document.number !== undefined || files.length === 0);
            const verification =
              decoded.document && sendsData
                ? pipe(
                    addUserVerificationRequest(
                      ref,
                      decoded.document,
                      providerOptions,
                      settings.defaultRiskLevel,
                    ),
                    E.map((body) => body as SubmitPlan['verification']),
                  )
                : E.right(undefined);
            const issues = [
              ...(E.isLeft(kyc) ? kyc.left : []),
              ...poaIssues,
              ...(E.isLeft(verification) ? verification.left : []),
            ];
            if (issues.length > 0 || E.isLeft(kyc) || E.isLeft(verification))
              return E.left(issuesError(issues));
            return E.right({
              kycFiles: kyc.right,
              poaFiles: poaIndexed.map(({ file }) => file),
              verification: verification.right,
            });
          }),
        ),
      ),
    );

  const upload = (
    operation: string,
    pathTemplate: string,
    ref: UserRef,
    field: string,
    files: ReadonlyArray<VerificationFile>,
    options: CallOptions,
  ) =>
    client.request({
      operation,
      method: 'POST',
      pathTemplate,
      pathParams: { externalUserId: ref },
      body: multipart(field, files),
      idempotent: false,
      // P100 documents "201 Created" for uploads but not the body: accept one that is not JSON.
      tolerateNonJsonSuccess: true,
      response: P100AnyResponse,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });

  const submitVerification = (
    ref: UserRef,
    input: SubmitVerificationInput,
    options: CallOptions = {},
  ): TE.TaskEither<KycError, SubmitVerificationResult> =>
    pipe(
      TE.fromEither(validRef(ref)),
      TE.chainEitherK(() => planSubmission(ref, input)),
      TE.chain((plan): TE.TaskEither<KycError, SubmitVerificationResult> => {
        if (plan.start !== undefined) {
          return pipe(
            startVerification(ref, plan.start, options),
            TE.map(({ state, raw }) => result(ref, state, raw)),
          );
        }
        const raw: Record<string, unknown> = {};
        let poaPending = false;
        const steps: Array<() => TE.TaskEither<KycError, void>> = [];
        if (plan.kycFiles.length > 0) {
          steps.push(() =>
            pipe(
              upload(
                'uploadKycFiles',
                P100_PATHS.kycFiles,
                ref,
                settings.kycFilesField,
                plan.kycFiles,
                options,
              ),
              TE.map((response) => {
                raw.kycFiles = response.data ?? null;
              }),
            ),
          );
        }
        if (plan.poaFiles.length > 0) {
          steps.push(() =>
            pipe(
              upload('uploadPoaFiles', P100_PATHS.poaFiles, ref, 'files', plan.poaFiles, options),
              TE.map((response) => {
                // P211 "POA pending" arrives as HTTP 202: a state, not an error.
                poaPending = p100ErrorCode(response.data) === 'P211';
                raw.poaFiles = poaPending ? { errorCode: 'P211' } : (response.data ?? null);
              }),
            ),
          );
        }
        const verification = plan.verification;
        if (verification !== undefined) {
          steps.push(() =>
            pipe(
              client.request({
                operation: 'addUserVerification',
                method: 'POST',
                pathTemplate: P100_PATHS.addUserVerification,
                body: verification,
                idempotent: false,
                response: P100AnyResponse,
                signal: options.signal,
                timeoutMs: options.timeoutMs,
              }),
              TE.map((response) => {
                raw.verification = response.data ?? null;
              }),
            ),
          );
        }
        return pipe(
          steps.reduce<TE.TaskEither<KycError, void>>(
            (previous, step) => pipe(previous, TE.chain(step)),
            TE.right(undefined),
          ),
          TE.map(() => {
            const state: KycState =
              verification !== undefined
                ? {
                    status: 'in_review',
                    providerStatus: 'VERIFICATION_SUBMITTED',
                    reasonCodes: [],
                    nextAction: { type: 'await_provider' },
                  }
                : plan.kycFiles.length > 0
                  ? {
                      status: 'action_required',
                      providerStatus: 'KYC_FILES_UPLOADED',
                      reasonCodes: [],
                      nextAction: { type: 'submit_verification', missing: [MISSING_DOCUMENT_DATA] },
                    }
                  : {
                      status: 'pending',
                      providerStatus: poaPending ? 'POA_PENDING' : 'POA_SUBMITTED',
                      reasonCodes: poaPending ? ['P211'] : [],
                      nextAction: { type: 'await_provider' },
                    };
            return result(ref, state, raw);
          }),
        );
      }),
    );

  return {
    id: P100,
    capabilities,
    createUser,
    getStatus,
    retry,
    submitVerification,
    webhooks: createP100WebhookHandler(settings.webhookToken),
    close: () => client.close(),
  };
}
