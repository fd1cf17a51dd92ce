/**
 * submitVerification: what the input contains decides the calls, made in this order: Add KYC File
 * (one multipart request), Add POA File (multipart), Add User Verification. With the hosted method
 * and nothing to upload, it starts a hosted verification instead (e.g. after P445).
 *
 * The plan is made first, with every check P100's docs let us make locally (files per document
 * type, POA types and sizes, the document data's fields), so a bad input makes no request at all.
 * The requests are in `p100-uploads.ts` (with document data, a status read and its check first);
 * the hosted start reads and checks first, as retry.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { SubmitVerificationInputCodec, UserRefCodec, decodeInput, validationError } from '@kycport/core';
import type {
  CallOptions,
  KycError,
  KycIssue,
  SubmitVerificationInput,
  SubmitVerificationResult,
  UserRef,
  VerificationFile,
} from '@kycport/core';
import type { HttpClient } from '@kycport/http';
import { p100Result } from './p100-api';
import type { P100AddUserVerificationRequest, P100StartVerificationRequest } from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100Settings } from './p100-config';
import { P100_OPTIONS_PATH, decodeP100ProviderOptions } from './p100-options';
import type { P100DocumentType, P100ProviderOptions } from './p100-options';
import type { P100StartPermissions } from './p100-pre-checks';
import {
  p100CallOptions,
  p100DocumentType,
  toP100AddUserVerificationRequest,
  toP100StartVerificationRequest,
} from './p100-request-mapping';
import { readThenStartP100Verification } from './p100-start-verification';
import { requiredKycFilePurposes } from './p100-status-mapping';
import { runUploads } from './p100-uploads';
import type { P100UploadPlan } from './p100-uploads';

/** What one submitVerification call does. */
export type P100SubmissionPlan =
  /** Hosted method, nothing to upload: start a hosted verification (after the same check as retry). */
  | {
      readonly kind: 'start';
      readonly start: P100StartVerificationRequest;
      readonly permissions: P100StartPermissions;
    }
  | P100UploadPlan;

type IndexedFile = { readonly file: VerificationFile; readonly index: number };

/** Add POA File limits (https://partner-api-docs.p100.io/add-poa-file-19651252e0). */
export const POA_MAX_FILES = 3;
/** "max 5MB each", read as 5 MiB. */
export const POA_MAX_FILE_BYTES = 5 * 1024 * 1024;
export const POA_CONTENT_TYPES: ReadonlyArray<string> = [
  'image/jpeg',
  'image/png',
  'image/jpg',
  'application/pdf',
];

function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Checks the proof-of-address files locally so P426 (type) and P440 (size) never need a request. */
export function checkPoaFiles(files: ReadonlyArray<IndexedFile>): ReadonlyArray<KycIssue> {
  const issues: KycIssue[] = [];
  if (files.length > POA_MAX_FILES) {
    issues.push({
      path: 'files',
      message: `p100 accepts at most ${POA_MAX_FILES} proof_of_address files per upload`,
    });
  }
  for (const { file, index } of files) {
    if (!POA_CONTENT_TYPES.includes(mediaType(file.contentType))) {
      issues.push({
        path: `files.${index}.contentType`,
        message: `must be one of ${POA_CONTENT_TYPES.join(', ')} (P426)`,
      });
    }
    if (file.data.byteLength === 0)
      issues.push({ path: `files.${index}.data`, message: 'must not be empty' });
    if (file.data.byteLength > POA_MAX_FILE_BYTES) {
      issues.push({ path: `files.${index}.data`, message: 'must be at most 5 MB (P440)' });
    }
  }
  return issues;
}

/**
 * Checks the KYC document files against what the document type needs (ID_CARD and
 * RESIDENCE_PERMIT: front, back and selfie; PASSPORT: document and selfie) and returns them in
 * upload order (front, back, selfie). P100 documents no type or size limits for these.
 */
export function orderKycFiles(
  files: ReadonlyArray<IndexedFile>,
  documentType: P100DocumentType | undefined,
): E.Either<ReadonlyArray<KycIssue>, ReadonlyArray<VerificationFile>> {
  if (!documentType) {
    return E.left([
      {
        path: 'document.type',
        message: `is required by p100 to upload KYC files (or set ${P100_OPTIONS_PATH}.documentType)`,
      },
    ]);
  }
  const needed = requiredKycFilePurposes(documentType);
  const issues: KycIssue[] = [];
  for (const { file, index } of files) {
    if (file.data.byteLength === 0)
      issues.push({ path: `files.${index}.data`, message: 'must not be empty' });
    if (!(needed as ReadonlyArray<string>).includes(file.purpose)) {
      issues.push({
        path: `files.${index}.purpose`,
        message: `is not used by p100 for ${documentType} (expected ${needed.join(', ')})`,
      });
    } else if (files.filter((other) => other.file.purpose === file.purpose).length > 1) {
      issues.push({ path: `files.${index}.purpose`, message: 'appears more than once' });
    }
  }
  for (const purpose of needed) {
    if (!files.some(({ file }) => file.purpose === purpose)) {
      issues.push({
        path: 'files',
        message: `${documentType} needs a ${purpose} file (all KYC files are uploaded at once)`,
      });
    }
  }
  if (issues.length > 0) return E.left(issues);
  return E.right(
    needed
      .map((purpose) => files.find(({ file }) => file.purpose === purpose)?.file)
      .filter((file): file is VerificationFile => file !== undefined),
  );
}

/** The files of one kind (proof of address or not), with their index in the input for issue paths. */
function indexed(files: ReadonlyArray<VerificationFile>, poa: boolean): ReadonlyArray<IndexedFile> {
  return files
    .map((file, index) => ({ file, index }))
    .filter(({ file }) => (file.purpose === 'proof_of_address') === poa);
}

/** Files and/or document data: checks everything, reports every issue at once. */
function planUploads(
  settings: P100Settings,
  ref: UserRef,
  input: SubmitVerificationInput,
  options: P100ProviderOptions,
): E.Either<ReadonlyArray<KycIssue>, P100SubmissionPlan> {
  const files = input.files ?? [];
  const documentType = input.document ? p100DocumentType(input.document.type) : options.documentType;
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
    input.document !== undefined && (input.document.number !== undefined || files.length === 0);
  const verification =
    input.document && sendsData
      ? pipe(
          toP100AddUserVerificationRequest(ref, input.document, options, settings.defaultRiskLevel),
          E.map((body): P100AddUserVerificationRequest | undefined => body),
        )
      : E.right(undefined);
  const issues = [
    ...(E.isLeft(kyc) ? kyc.left : []),
    ...poaIssues,
    ...(E.isLeft(verification) ? verification.left : []),
  ];
  if (issues.length > 0 || E.isLeft(kyc) || E.isLeft(verification)) return E.left(issues);
  return E.right({
    kind: 'upload',
    kycFiles: kyc.right,
    poaFiles: poaIndexed.map(({ file }) => file),
    verification: verification.right,
  });
}

/** Nothing to upload: the hosted method starts a verification; the document upload method needs input. */
function planHostedStart(
  settings: P100Settings,
  ref: UserRef,
  options: P100ProviderOptions,
): E.Either<ReadonlyArray<KycIssue>, P100SubmissionPlan> {
  if (settings.kycMethod === 'document_upload') {
    return E.left([{ path: 'files', message: 'files or document is required by p100' }]);
  }
  return pipe(
    toP100StartVerificationRequest(ref, options),
    E.map((start): P100SubmissionPlan => ({ kind: 'start', start, permissions: options })),
  );
}

/** Decodes the input and plans the calls; no request is made. */
export function planP100Submission(
  settings: P100Settings,
  ref: UserRef,
  input: unknown,
): E.Either<KycError, P100SubmissionPlan> {
  return pipe(
    E.Do,
    E.bind('decoded', () => decodeInput(P100_PROVIDER_ID, SubmitVerificationInputCodec, input)),
    E.bindW('options', ({ decoded }) => decodeP100ProviderOptions(decoded.providerOptions)),
    E.chainW(({ decoded, options }) =>
      pipe(
        (decoded.files ?? []).length === 0 && decoded.document === undefined
          ? planHostedStart(settings, ref, options)
          : planUploads(settings, ref, decoded, options),
        E.mapLeft((issues) => validationError(P100_PROVIDER_ID, issues)),
      ),
    ),
  );
}

export function submitP100Verification(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  input: SubmitVerificationInput,
  options?: CallOptions,
): TE.TaskEither<KycError, SubmitVerificationResult> {
  return pipe(
    TE.fromEither(decodeInput(P100_PROVIDER_ID, UserRefCodec, ref, 'ref')),
    TE.chainEitherKW(() => planP100Submission(settings, ref, input)),
    TE.bindTo('plan'),
    TE.bindW('callOptions', () => TE.fromEither(p100CallOptions(options))),
    TE.chain(({ plan, callOptions }) =>
      plan.kind === 'start'
        ? pipe(
            readThenStartP100Verification(client, settings, ref, plan.start, callOptions, plan.permissions),
            TE.map(({ state, raw }) => p100Result(ref, state, raw)),
          )
        : runUploads(client, settings, ref, plan, callOptions),
    ),
  );
}
