/**
 * `POST /v1/user/verification` (Add User Verification): the document data that completes a hosted
 * capture (Method B step 5), or that sends uploaded KYC files to review (Method A). Source: P100's
 * Partner API docs (Add User Verification).
 */
import type { SimulatorRequest, SimulatorResponse } from '../simulator-server';
import { newVerification } from './p100-state';
import type { P100SimulatorContext, P100UserRecord } from './p100-state';
import { announceP100User } from './p100-webhooks';
import {
  Checks,
  DOCUMENT_TYPES,
  INCOME_SOURCES,
  OCCUPATIONS,
  OPEN_ACCOUNT_REASONS,
  jsonBody,
  notAnObject,
  p100Error,
  validationError,
} from './p100-wire';

type Checked =
  | { readonly error: SimulatorResponse }
  | { readonly externalUserId: string; readonly documentNumber: string };

function checkBody(body: Readonly<Record<string, unknown>>): Checked {
  const checks = new Checks(body);
  const externalUserId = checks.text('externalUserId', true, 128);
  checks.oneOf('documentType', DOCUMENT_TYPES, true);
  const documentNumber = checks.text('documentNumber', true, 64);
  checks.date('documentExpirationDate', false);
  checks.oneOf('openAccountReason', OPEN_ACCOUNT_REASONS, true);
  const incomeSource = checks.oneOf('incomeSource', INCOME_SOURCES, true);
  checks.oneOf('occupation', OCCUPATIONS, incomeSource === 'SALARY');
  checks.text('riskLvl', false, 40);
  if (checks.missing.length > 0)
    return { error: p100Error('P473', `Missing required parameters: ${checks.missing.join(', ')}`) };
  if (checks.invalid.length > 0 || externalUserId === undefined || documentNumber === undefined)
    return { error: validationError(checks.invalid) };
  return { externalUserId, documentNumber };
}

const ADDED: SimulatorResponse = {
  status: 201,
  body: { message: 'Verification documents to user added successfully' },
};

/** The document data of an accepted capture: processed as `documentDataProcessing` says. */
function processDocumentData(context: P100SimulatorContext, user: P100UserRecord): void {
  switch (context.documentDataProcessing) {
    case 'immediate':
      user.status = 'VERIFIED';
      announceP100User(context, user);
      return;
    case 'unchanged':
      user.processingDocumentData = true;
      return;
    case 'pending':
      // The same verification, now awaiting P100's processing (not a new start: no attempt counted).
      user.attempt = 'PENDING';
      user.processingDocumentData = true;
      return;
  }
}

/** What the data does for this user, given whether its document number belongs to someone else. */
function accept(
  context: P100SimulatorContext,
  user: P100UserRecord,
  numberTaken: boolean,
  store: () => void,
): SimulatorResponse {
  // Method B step 5: the hosted capture was accepted; the document data completes the verification
  // ("initiates the asynchronous KYC verification process"): what the read shows meanwhile is a variant.
  if (user.flow === 'hosted' && user.attempt === 'SUCCESSFUL' && user.status === 'NOT_VERIFIED') {
    if (numberTaken) return p100Error('P466');
    store();
    processDocumentData(context, user);
    return ADDED;
  }
  // Verified by the hosted flow without the data (requireDocumentData false): accepted once.
  if (user.status === 'VERIFIED') {
    if (numberTaken) return p100Error('P466');
    store();
    return ADDED;
  }
  if (user.kycFiles === 0) {
    // The last KYC expired or was rejected and nothing new was uploaded: start over.
    if (user.status === 'EXPIRED' || user.attempt === 'REJECTED_BY_PROVIDER') return p100Error('P446');
    return p100Error('P427');
  }
  if (user.attempts >= context.maxAttempts) return p100Error('P430');
  if (numberTaken) return p100Error('P466');
  // Method A: the uploaded files and this data go to review (completed with completeHostedFlow).
  store();
  user.attempts += 1;
  user.kycFiles = 0;
  newVerification(user, 'document_upload');
  return ADDED;
}

export function addUserVerification(
  context: P100SimulatorContext,
  request: SimulatorRequest,
): SimulatorResponse {
  const body = jsonBody(request);
  if (!body) return notAnObject();
  const checked = checkBody(body);
  if ('error' in checked) return checked.error;
  const { externalUserId, documentNumber } = checked;
  const user = context.users.get(externalUserId);
  if (!user) return p100Error('P412');
  if (user.status === 'VERIFIED' && user.documentDataSubmitted) return p100Error('P442');
  const owner = context.documentNumbers.get(documentNumber);
  const store = (): void => {
    context.documentNumbers.set(documentNumber, externalUserId);
    user.documentDataSubmitted = true;
  };
  return accept(context, user, owner !== undefined && owner !== externalUserId, store);
}
