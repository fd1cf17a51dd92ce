/**
 * The cheap read before a fee-bearing or counted call, and what it refuses (issue 12). Get KYC
 * Status (https://partner-api-docs.p100.io/get-kyc-status-19688846e0) is P100's only read; it
 * costs nothing, while `POST /v1/kyc` starts a verification ("Each successful KYC verification is
 * subject to a fee") and Add User Verification counts against P430 ("Too many verifications").
 *
 * A refusal is `invalid_state`, `outcome: 'not_sent'`, not retryable, naming the user: P100 saw
 * only the read. The read carries no attempt count, so no pre-check can refuse for the cap:
 * `retry_limit_reached` comes from P100's own P430 only.
 */
import * as E from 'fp-ts/Either';
import { kycError } from '@kycport/core';
import type { KycError, KycState, UserRef } from '@kycport/core';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100KycReading } from './p100-get-status';
import type { P100DocumentType } from './p100-options';
import { documentsDueState, kycNotFoundState } from './p100-status-mapping';

/** What the caller allows beyond the defaults (`providerOptions.p100`). */
export interface P100StartPermissions {
  /** Start although the latest attempt is `PENDING` (e.g. its URL was lost: `redirect_unavailable`). */
  readonly replacePendingAttempt?: boolean;
}

function refusal(ref: UserRef, message: string): KycError {
  return kycError('invalid_state', {
    provider: P100_PROVIDER_ID,
    message: `${P100_PROVIDER_ID}: ${message}`,
    userRef: ref,
    retryable: false,
    outcome: 'not_sent',
  });
}

/** `STATUS/ATTEMPT` of a reading, as `providerStatus` shows it. */
function label(reading: Extract<P100KycReading, { kind: 'pair' }>): string {
  const attempt = reading.data.attemptStatus ?? '';
  return attempt === '' ? reading.data.status : `${reading.data.status}/${attempt}`;
}

/**
 * Before a new hosted verification (`retry`, an empty hosted `submitVerification`) or before asking
 * for new documents (`retry` with the document upload method): a new attempt is what the user needs
 * only after none (P445), a rejection, an expiry, or a `NOT_VERIFIED` without an attempt. Unknown
 * values pass: P100 decides, and its refusal is mapped.
 */
export function checkBeforeNewAttempt(
  reading: P100KycReading,
  ref: UserRef,
  permissions: P100StartPermissions,
): E.Either<KycError, P100KycReading> {
  if (reading.kind === 'not_started') return E.right(reading);
  const shown = label(reading);
  const { status, attemptStatus } = reading.data;
  if (status === 'VERIFIED') {
    return E.left(
      refusal(
        ref,
        `the user is already verified (${shown}): no new verification is needed (P100 answers P442)`,
      ),
    );
  }
  if (attemptStatus === 'VERIFICATION') {
    return E.left(
      refusal(
        ref,
        `the latest attempt is being processed (${shown}): wait for its verdict (the KYC Verification Status webhook or getStatus)`,
      ),
    );
  }
  if (attemptStatus === 'PENDING' && permissions.replacePendingAttempt !== true) {
    return E.left(
      refusal(
        ref,
        `the latest attempt was started and is not finished (${shown}): the user can still complete it; to start another one anyway (e.g. its URL was lost), set providerOptions.p100.replacePendingAttempt: true`,
      ),
    );
  }
  if (status === 'NOT_VERIFIED' && attemptStatus === 'SUCCESSFUL') {
    return E.left(
      refusal(
        ref,
        `P100 accepted the documents of the latest attempt (${shown}): the document data is due, not a new verification: call submitVerification with the document`,
      ),
    );
  }
  return E.right(reading);
}

/**
 * Before Add User Verification: refused while P100 shows the user verified (P442 would follow) or an
 * attempt in progress (`PENDING`, `VERIFICATION`): a capture not yet accepted, or document data P100
 * has already received and is processing (the assumption of docs/providers/p100.md: it "initiates
 * the asynchronous KYC verification process", so the attempt shows as in progress until the verdict).
 */
export function checkBeforeDocumentData(
  reading: P100KycReading,
  ref: UserRef,
): E.Either<KycError, P100KycReading> {
  if (reading.kind === 'not_started') return E.right(reading);
  const shown = label(reading);
  const { status, attemptStatus } = reading.data;
  if (status === 'VERIFIED') {
    return E.left(
      refusal(
        ref,
        `the user is already verified (${shown}): the document data is not sent again (P100 answers P442)`,
      ),
    );
  }
  if (attemptStatus === 'PENDING' || attemptStatus === 'VERIFICATION') {
    return E.left(
      refusal(
        ref,
        `an attempt is in progress (${shown}): a capture not yet accepted, or document data P100 already received; nothing was sent: wait for the KYC Verification Status webhook or getStatus`,
      ),
    );
  }
  return E.right(reading);
}

/** Whether the reading after a lost Add User Verification shows that P100 received the data. */
export function p100DocumentDataTookEffect(before: P100KycReading, after: P100KycReading): boolean {
  if (after.kind !== 'pair') return false;
  const { status, attemptStatus } = after.data;
  const inProgress = attemptStatus === 'PENDING' || attemptStatus === 'VERIFICATION';
  const beforeSettled =
    before.kind === 'not_started' ||
    (before.data.status !== 'VERIFIED' &&
      before.data.attemptStatus !== 'PENDING' &&
      before.data.attemptStatus !== 'VERIFICATION');
  return beforeSettled && (inProgress || status === 'VERIFIED');
}

/** The document upload method's answer to `retry`: new files and data are due (nothing is sent). */
export function documentsDueAfterRead(
  reading: P100KycReading,
  documentType: P100DocumentType | undefined,
): KycState {
  if (reading.kind === 'not_started') return kycNotFoundState('document_upload', documentType);
  return documentsDueState(label(reading), reading.data.rejectionReason, documentType);
}
