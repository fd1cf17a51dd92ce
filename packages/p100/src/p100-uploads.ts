/**
 * submitVerification's requests, in order: Add KYC File, Add POA File, Add User Verification (for
 * whatever the plan contains), with the error of a failed step saying what the call did.
 *
 * When the plan includes the document data, Get KYC Status is read first (issue 12) and nothing is
 * sent while P100 shows the user verified or an attempt in progress (`checkBeforeDocumentData`):
 * Add User Verification counts against P430, and a second one for data P100 is already processing
 * is what P442/P466 answer. A lost answer of Add User Verification is resolved with a second read
 * (`p100DocumentDataTookEffect`); where the read cannot tell, the error is unknown and not retryable.
 * https://partner-api-docs.p100.io/add-user-verification-19651255e0
 */
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { kycErrorOfKind } from '@kycport/core';
import type {
  CallOptions,
  KycError,
  KycState,
  SubmitVerificationResult,
  UserRef,
  VerificationFile,
} from '@kycport/core';
import { outcomeUnknown } from '@kycport/http';
import type { HttpClient } from '@kycport/http';
import { P100_ENDPOINTS, p100Result } from './p100-api';
import type { P100AddUserVerificationRequest } from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100Settings } from './p100-config';
import { p100ErrorCode } from './p100-error';
import { readP100Kyc } from './p100-get-status';
import type { P100KycReading } from './p100-get-status';
import { checkBeforeDocumentData, p100DocumentDataTookEffect } from './p100-pre-checks';
import {
  KYC_FILES_UPLOADED_STATE,
  VERIFICATION_SUBMITTED_STATE,
  poaSubmittedState,
} from './p100-status-mapping';

/** The uploads of one submitVerification call. */
export interface P100UploadPlan {
  readonly kind: 'upload';
  /** In upload order: front, back, selfie. */
  readonly kycFiles: ReadonlyArray<VerificationFile>;
  readonly poaFiles: ReadonlyArray<VerificationFile>;
  readonly verification?: P100AddUserVerificationRequest;
}

function multipart(field: string, files: ReadonlyArray<VerificationFile>): FormData {
  const form = new FormData();
  // A copy into a plain ArrayBuffer-backed array: `Blob` does not take views of shared buffers.
  for (const file of files)
    form.append(field, new Blob([new Uint8Array(file.data)], { type: file.contentType }), file.fileName);
  return form;
}

/** What each step is called in messages. */
const STEP_LABELS = {
  kycFiles: 'Add KYC File',
  poaFiles: 'Add POA File',
  verification: 'Add User Verification',
} as const;
type UploadStep = keyof typeof STEP_LABELS;

/**
 * A step's error as the port reports it. Alone and answered, it stands as the transport made it.
 * After earlier steps succeeded, repeating the same call would send those again (P100 does not
 * document what a second upload does), so it is not retryable and the message names what was done.
 * With an unknown outcome it is never retryable, and P100's KYC status cannot tell either: it
 * shows no uploads, and document data only once P100 has finished with it.
 */
function uploadStepError(
  error: KycError,
  failed: UploadStep,
  done: ReadonlyArray<UploadStep>,
  ref: UserRef,
): KycError {
  const unknown = error.outcome === 'unknown';
  if (done.length === 0 && !unknown) return error;
  const doneText =
    done.length === 0 ? '' : `${done.map((name) => STEP_LABELS[name]).join(' and ')} succeeded, then `;
  const advice = unknown
    ? `P100 may have received it, and its KYC status does not show it: do not send it again before P100's webhook (KYC File Added for files, KYC Verification Status for document data); a getStatus asking for document_data does not tell whether P100 has it`
    : 'repeat submitVerification with only what is left';
  return kycErrorOfKind(error.kind, {
    provider: P100_PROVIDER_ID,
    message: `${P100_PROVIDER_ID}: submitVerification: ${doneText}${STEP_LABELS[failed]} failed (${error.kind}${error.providerCode ? `, code ${error.providerCode}` : ''}); ${advice}`,
    retryable: done.length === 0 ? error.retryable : false,
    outcome: error.outcome,
    httpStatus: error.httpStatus,
    providerCode: error.providerCode,
    requestId: error.requestId,
    issues: 'issues' in error ? error.issues : undefined,
    retryAfterMs: 'retryAfterMs' in error ? error.retryAfterMs : undefined,
    userRef: ref,
  });
}

/** Runs a step when it has something to send; `undefined` when skipped, the answer (or null) when sent. */
function step<A>(
  send: boolean,
  call: () => TE.TaskEither<KycError, { readonly data: A }>,
  onError: (error: KycError) => KycError,
): TE.TaskEither<KycError, A | null | undefined> {
  return send
    ? pipe(
        call(),
        TE.bimap(onError, ({ data }) => data ?? null),
      )
    : TE.right(undefined);
}

/** The steps already sent, from their answers (`undefined`: skipped). */
function sent(answers: Partial<Record<UploadStep, unknown>>): ReadonlyArray<UploadStep> {
  return (Object.keys(STEP_LABELS) as UploadStep[]).filter((name) => answers[name] !== undefined);
}

/** The uploads, then the document data, in that order; the first failure stops the sequence. */
function sendUploads(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  plan: P100UploadPlan,
  options: CallOptions,
  before: P100KycReading | undefined,
): TE.TaskEither<KycError, SubmitVerificationResult> {
  const pathParams = { externalUserId: ref };
  const { kycFiles, poaFiles, verification } = plan;
  const failed = (name: UploadStep, done: ReadonlyArray<UploadStep>) => (error: KycError) =>
    uploadStepError(error, name, done, ref);
  return pipe(
    TE.Do,
    TE.bind('kycFiles', () =>
      step(
        kycFiles.length > 0,
        () =>
          client.call(
            P100_ENDPOINTS.uploadKycFiles,
            { pathParams, body: multipart(settings.kycFilesField, kycFiles) },
            options,
          ),
        failed('kycFiles', []),
      ),
    ),
    TE.bind('poaFiles', (answers) =>
      step(
        poaFiles.length > 0,
        () =>
          client.call(
            P100_ENDPOINTS.uploadPoaFiles,
            { pathParams, body: multipart('files', poaFiles) },
            options,
          ),
        failed('poaFiles', sent(answers)),
      ),
    ),
    TE.bind('verification', (answers) =>
      pipe(
        step(
          verification !== undefined,
          () => client.call(P100_ENDPOINTS.addUserVerification, { body: verification }, options),
          (error) => error,
        ),
        TE.orElse((error) =>
          reconcileDocumentData(client, ref, before, error, options, failed('verification', sent(answers))),
        ),
      ),
    ),
    TE.map((answers) => {
      // P211 "POA pending" arrives as HTTP 202: a state, not an error.
      const poaPending = p100ErrorCode(answers.poaFiles) === 'P211';
      const state: KycState =
        verification !== undefined
          ? VERIFICATION_SUBMITTED_STATE
          : kycFiles.length > 0
            ? KYC_FILES_UPLOADED_STATE
            : poaSubmittedState(poaPending);
      const raw = {
        ...(answers.kycFiles === undefined ? {} : { kycFiles: answers.kycFiles }),
        ...(answers.poaFiles === undefined
          ? {}
          : { poaFiles: poaPending ? { errorCode: 'P211' } : answers.poaFiles }),
        ...(answers.verification === undefined ? {} : { verification: answers.verification }),
      };
      return p100Result(ref, state, raw);
    }),
  );
}

/**
 * Add User Verification failed. A lost answer (no status at all) is resolved with a read: a settled
 * state before and an attempt in progress (or VERIFIED) after means P100 received the data (the
 * result is as if it had answered). Anything else keeps the step's error (`uploadStepError`).
 */
function reconcileDocumentData(
  client: HttpClient,
  ref: UserRef,
  before: P100KycReading | undefined,
  error: KycError,
  options: CallOptions,
  asStepError: (error: KycError) => KycError,
): TE.TaskEither<KycError, unknown> {
  if (before === undefined || !outcomeUnknown(error) || error.httpStatus !== undefined) {
    return TE.left(asStepError(error));
  }
  return pipe(
    readP100Kyc(client, ref, options),
    TE.fold(
      () => TE.left(asStepError(error)),
      (after) =>
        p100DocumentDataTookEffect(before, after) && after.kind === 'pair'
          ? TE.right<KycError, unknown>({ reconciled: true, kycStatus: after.data })
          : TE.left(asStepError(error)),
    ),
  );
}

/** The uploads; with document data, the read and its check come first (a refusal sends nothing). */
export function runUploads(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  plan: P100UploadPlan,
  options: CallOptions,
): TE.TaskEither<KycError, SubmitVerificationResult> {
  if (plan.verification === undefined) return sendUploads(client, settings, ref, plan, options, undefined);
  return pipe(
    readP100Kyc(client, ref, options),
    TE.chainEitherK((reading) => checkBeforeDocumentData(reading, ref)),
    TE.chain((before) => sendUploads(client, settings, ref, plan, options, before)),
  );
}
