/**
 * P100 KYC status -> kycport `KycState`. `status` (GET) / `verificationStatus` (webhook) is the
 * user's verdict, `attemptStatus` the progress of the latest verification attempt
 * (https://partner-api-docs.p100.io/get-kyc-status-19688846e0,
 * https://partner-api-docs.p100.io/kyc-verification-status-19868999e0). Every documented pair is
 * mapped explicitly; an unknown value is core's `unknownProviderState` (`pending`, awaiting the
 * provider), visible in `providerStatus` and never `approved`. The file also holds the states of
 * calls that return no P100 status (kycport's own labels: `VERIFICATION_CREATED`, `USER_CREATED`...).
 */
import { assertNever, unknownProviderState } from '@kycport/core';
import type { KycState, NextAction } from '@kycport/core';
import type { P100KycMethod } from './p100-config';
import type { P100DocumentType } from './p100-options';

/**
 * The user verdicts P100 documents (`status` of a KYC status read, `verificationStatus` of a
 * webhook).
 */
export const P100_VERIFICATION_STATUSES = ['NOT_VERIFIED', 'VERIFIED', 'EXPIRED'] as const;
/** A user verdict P100 documents. */
export type P100VerificationStatus = (typeof P100_VERIFICATION_STATUSES)[number];

/** The states of the latest verification attempt P100 documents (`attemptStatus`). */
export const P100_ATTEMPT_STATUSES = [
  'PENDING',
  'VERIFICATION',
  'REJECTED_BY_PROVIDER',
  'SUCCESSFUL',
] as const;
/** A state of a verification attempt P100 documents. */
export type P100AttemptStatus = (typeof P100_ATTEMPT_STATUSES)[number];

/** `submit_verification.missing` item: the textual document data of Add User Verification. */
export const MISSING_DOCUMENT_DATA = 'document_data';
/** `submit_verification.missing` item (hosted method): a verification has to be started (P445). */
export const MISSING_HOSTED_VERIFICATION = 'hosted_verification';

function isVerificationStatus(value: string): value is P100VerificationStatus {
  return (P100_VERIFICATION_STATUSES as ReadonlyArray<string>).includes(value);
}

function isAttemptStatus(value: string): value is P100AttemptStatus {
  return (P100_ATTEMPT_STATUSES as ReadonlyArray<string>).includes(value);
}

const AWAIT: NextAction = { type: 'await_provider' };
const NONE: NextAction = { type: 'none' };

interface StatePart {
  readonly status: KycState['status'];
  readonly nextAction: NextAction;
}

function mapKnownPair(status: P100VerificationStatus, attempt: P100AttemptStatus): StatePart {
  switch (status) {
    case 'NOT_VERIFIED':
      switch (attempt) {
        // "initiated and is awaiting processing": the user may still be in the hosted capture.
        case 'PENDING':
          return { status: 'pending', nextAction: AWAIT };
        case 'VERIFICATION':
          return { status: 'in_review', nextAction: AWAIT };
        // A verdict; a new attempt can be started with `retry` (P430 once attempts run out).
        case 'REJECTED_BY_PROVIDER':
          return { status: 'denied', nextAction: NONE };
        // Documents accepted; P100 now waits for the textual document data (Add User Verification).
        case 'SUCCESSFUL':
          return {
            status: 'action_required',
            nextAction: { type: 'submit_verification', missing: [MISSING_DOCUMENT_DATA] },
          };
        default:
          return assertNever(attempt, 'P100 attemptStatus');
      }
    case 'VERIFIED':
      switch (attempt) {
        // "fully verified"; an attempt still shown as in flight does not undo the verdict.
        case 'SUCCESSFUL':
        case 'PENDING':
        case 'VERIFICATION':
          return { status: 'approved', nextAction: NONE };
        // Contradictory pair (undocumented): kycport does not approve on it and keeps it under review.
        case 'REJECTED_BY_PROVIDER':
          return { status: 'in_review', nextAction: AWAIT };
        default:
          return assertNever(attempt, 'P100 attemptStatus');
      }
    case 'EXPIRED':
      switch (attempt) {
        // A new attempt after the expiry is under way.
        case 'PENDING':
          return { status: 'pending', nextAction: AWAIT };
        case 'VERIFICATION':
          return { status: 'in_review', nextAction: AWAIT };
        case 'REJECTED_BY_PROVIDER':
          return { status: 'denied', nextAction: NONE };
        // The successful attempt is the one that expired: start a new one with `retry`.
        case 'SUCCESSFUL':
          return { status: 'expired', nextAction: NONE };
        default:
          return assertNever(attempt, 'P100 attemptStatus');
      }
    default:
      return assertNever(status, 'P100 status');
  }
}

/**
 * The verdict alone, when P100 shows no `attemptStatus` (absent, null or empty; the schema is not
 * documented). `VERIFIED` "successfully passed KYC and is considered fully verified" and `EXPIRED`
 * "required to complete the process again" are verdicts by themselves. `NOT_VERIFIED` is none, and
 * without an attempt there is no progress to show either: core's unknown rule (an assumption, see
 * docs/providers/p100.md); `undefined` for that and for unknown values.
 */
function mapVerdictOnly(status: string): StatePart | undefined {
  switch (status) {
    case 'VERIFIED':
      return { status: 'approved', nextAction: NONE };
    case 'EXPIRED':
      return { status: 'expired', nextAction: NONE };
    default:
      return undefined;
  }
}

/** Maps a (status, attemptStatus) pair, with `rejectionReason` as the reason code. */
export function p100KycState(
  status: string,
  attemptStatus: string | null | undefined,
  rejectionReason?: string | null,
): KycState {
  const attempt = attemptStatus ?? '';
  const providerStatus = attempt === '' ? status : `${status}/${attempt}`;
  const reasonCodes =
    typeof rejectionReason === 'string' && rejectionReason.trim() !== '' ? [rejectionReason] : [];
  const verdictOnly = attempt === '' ? mapVerdictOnly(status) : undefined;
  // Object.assign, not `{ ...state, key }`: on Node 20 a key added after a leading spread takes a
  // slow path of about a microsecond (docs/performance.md).
  if (verdictOnly !== undefined) return Object.assign({}, verdictOnly, { providerStatus, reasonCodes });
  if (!isVerificationStatus(status) || !isAttemptStatus(attempt)) {
    // Unknown or missing value: core's rule (pending, await the provider); a reason P100 gave is kept.
    return Object.assign(unknownProviderState(providerStatus), { reasonCodes });
  }
  return Object.assign({}, mapKnownPair(status, attempt), { providerStatus, reasonCodes });
}

/** Which KYC files each document type needs (older P100 docs; DRIVER_LICENSE is undocumented: treated like ID_CARD). */
export function requiredKycFilePurposes(
  documentType: P100DocumentType,
): ReadonlyArray<'document_front' | 'document_back' | 'selfie'> {
  switch (documentType) {
    case 'PASSPORT':
      return ['document_front', 'selfie'];
    case 'ID_CARD':
    case 'RESIDENCE_PERMIT':
    case 'DRIVER_LICENSE':
      return ['document_front', 'document_back', 'selfie'];
    default:
      return assertNever(documentType, 'P100 documentType');
  }
}

/** What the document upload method (Method A) still needs: the document's files, then its data. */
function documentUploadMissing(documentType: P100DocumentType | undefined): ReadonlyArray<string> {
  return [
    ...(documentType ? requiredKycFilePurposes(documentType) : ['document_front', 'document_back', 'selfie']),
    MISSING_DOCUMENT_DATA,
  ];
}

/**
 * The document upload method after a verdict that calls for new documents (`retry`): the state P100
 * showed, with the files and document data as the next action.
 */
export function documentsDueState(
  providerStatus: string,
  rejectionReason: string | null | undefined,
  documentType: P100DocumentType | undefined,
): KycState {
  return {
    status: 'action_required',
    providerStatus,
    reasonCodes:
      typeof rejectionReason === 'string' && rejectionReason.trim() !== '' ? [rejectionReason] : [],
    nextAction: { type: 'submit_verification', missing: documentUploadMissing(documentType) },
  };
}

/** "KYC not found" (P445) for an existing user: a state, not an error. */
export function kycNotFoundState(method: P100KycMethod, documentType?: P100DocumentType): KycState {
  return {
    status: 'action_required',
    providerStatus: 'KYC_NOT_FOUND',
    reasonCodes: ['P445'],
    nextAction: {
      type: 'submit_verification',
      missing: method === 'hosted' ? [MISSING_HOSTED_VERIFICATION] : documentUploadMissing(documentType),
    },
  };
}

/** A user created with the document upload method: the files and document data are due. */
export function userCreatedState(documentType: P100DocumentType | undefined): KycState {
  return {
    status: 'action_required',
    providerStatus: 'USER_CREATED',
    reasonCodes: [],
    nextAction: { type: 'submit_verification', missing: documentUploadMissing(documentType) },
  };
}

/** A hosted verification was started: the user's browser goes to the (checked) redirect. */
export function verificationCreatedState(redirect: Extract<NextAction, { type: 'redirect' }>): KycState {
  return {
    status: 'action_required',
    providerStatus: 'VERIFICATION_CREATED',
    reasonCodes: [],
    nextAction: redirect,
  };
}

/**
 * The state P100's KYC status read shows for a hosted verification whose URL existed only in an
 * answer kycport did not get: while the attempt is `PENDING` (the user has yet to capture), the
 * user must continue in the hosted flow but there is no URL to send them to, so `nextAction` is
 * `redirect_unavailable` with `reason`; any later attempt status needs no URL and maps as usual.
 */
export function redirectUnavailableState(
  status: string,
  attemptStatus: string | null | undefined,
  rejectionReason: string | null | undefined,
  reason: string,
): KycState {
  const state = p100KycState(status, attemptStatus, rejectionReason);
  return attemptStatus === 'PENDING' && status !== 'VERIFIED'
    ? { ...state, status: 'action_required', nextAction: { type: 'redirect_unavailable', reason } }
    : state;
}

/** The document data went to Add User Verification: P100 reviews. */
export const VERIFICATION_SUBMITTED_STATE: KycState = {
  status: 'in_review',
  providerStatus: 'VERIFICATION_SUBMITTED',
  reasonCodes: [],
  nextAction: AWAIT,
};

/** KYC files were uploaded without the document data: the data is still due. */
export const KYC_FILES_UPLOADED_STATE: KycState = {
  status: 'action_required',
  providerStatus: 'KYC_FILES_UPLOADED',
  reasonCodes: [],
  nextAction: { type: 'submit_verification', missing: [MISSING_DOCUMENT_DATA] },
};

/** Only a proof of address was uploaded; P211 (202) says one is already pending review. */
export function poaSubmittedState(pending: boolean): KycState {
  return {
    status: 'pending',
    providerStatus: pending ? 'POA_PENDING' : 'POA_SUBMITTED',
    reasonCodes: pending ? ['P211'] : [],
    nextAction: AWAIT,
  };
}
