/**
 * The `IdentityVerification` object as Plaid returns it for an attempt: the identity data, the
 * steps summary and, for each step the attempt finished, its sandbox result (data source check,
 * documents, SMS, risk). https://plaid.com/docs/api/products/identity-verification/#identity_verificationget
 */
import { LESLIE_KNOPE, plaidConventionalOutcome } from './plaid-attempts';
import type { Attempt } from './plaid-attempts';
import type { RequestUser } from './plaid-wire';

const done = (value: string): boolean =>
  !['waiting_for_prerequisite', 'active', 'skipped', 'not_applicable', 'expired', 'canceled'].includes(value);
const outcomeOf = (value: string): 'success' | 'failed' =>
  value === 'success' || value === 'manually_approved' ? 'success' : 'failed';

function userData(user: RequestUser): Record<string, unknown> {
  return {
    ...(user.phone_number !== undefined ? { phone_number: user.phone_number } : {}),
    date_of_birth: user.date_of_birth ?? null,
    ip_address: user.ip_address ?? null,
    email_address: user.email_address ?? null,
    name: user.name ? { given_name: user.name.given_name, family_name: user.name.family_name } : null,
    address: user.address
      ? {
          street: user.address.street ?? null,
          street2: user.address.street2 ?? null,
          city: user.address.city ?? null,
          region: user.address.region ?? null,
          postal_code: user.address.postal_code ?? null,
          country: user.address.country,
        }
      : null,
    id_number: user.id_number ? { value: user.id_number.value, type: user.id_number.type } : null,
  };
}

function kycCheck(attempt: Attempt): Record<string, unknown> | null {
  const value = attempt.steps.kyc_check;
  if (!done(value)) return null;
  const status = outcomeOf(value);
  const dataSource = plaidConventionalOutcome(attempt.user);
  const matches = (field: 'date_of_birth' | 'phone_number' | 'id_number'): string => {
    if (attempt.user[field] === undefined) return 'no_input';
    if (status === 'success') return 'match';
    return dataSource.failingStep === 'kyc_check' ? 'no_match' : 'match';
  };
  return {
    status,
    address: {
      summary:
        attempt.user.address?.street !== undefined
          ? status === 'success'
            ? 'match'
            : 'no_match'
          : 'no_input',
      po_box: 'no',
      type: 'residential',
    },
    name: { summary: attempt.user.name ? (status === 'success' ? 'match' : 'no_match') : 'no_input' },
    date_of_birth: { summary: matches('date_of_birth') },
    id_number: { summary: matches('id_number') },
    phone_number: {
      summary: matches('phone_number'),
      area_code: attempt.user.phone_number ? 'match' : 'no_input',
    },
  };
}

/** Sandbox reads every document as genuine and allows 3 document attempts before failing the step. */
function documentaryVerification(attempt: Attempt, baseUrl: string): Record<string, unknown> | null {
  const value = attempt.steps.documentary_verification;
  if (!done(value)) return null;
  const status = outcomeOf(value);
  const count = status === 'success' ? 1 : 3;
  const documents = Array.from({ length: count }, (_, index) => {
    const images = `${baseUrl}/verifications/${attempt.id}/documents/${index + 1}`;
    return {
      status: status === 'success' ? 'success' : 'failed',
      attempt: index + 1,
      images: {
        original_front: `${images}/original_front.jpeg`,
        original_back: `${images}/original_back.jpeg`,
        cropped_front: `${images}/cropped_front.jpeg`,
        cropped_back: `${images}/cropped_back.jpeg`,
        face: `${images}/face.jpeg`,
      },
      extracted_data: {
        id_number: 'AB123456',
        category: 'drivers_license',
        expiration_date: '2030-05-29',
        issue_date: '2020-05-29',
        issuing_country: 'US',
        issuing_region: 'IN',
        date_of_birth: attempt.user.date_of_birth ?? null,
        address: null,
        name: attempt.user.name
          ? { given_name: attempt.user.name.given_name, family_name: attempt.user.name.family_name }
          : null,
      },
      analysis: {
        authenticity: 'match',
        image_quality: 'high',
        extracted_data: {
          name: status === 'success' ? 'match' : 'no_match',
          date_of_birth: status === 'success' ? 'match' : 'no_match',
          expiration_date: 'not_expired',
          issuing_country: 'match',
        },
        fraud_analysis_details: null,
        image_quality_details: null,
        aamva_verification: null,
      },
      redacted_at: null,
    };
  });
  return { status, documents };
}

function verifySms(attempt: Attempt): Record<string, unknown> | null {
  const value = attempt.steps.verify_sms;
  if (!done(value)) return null;
  return {
    status: outcomeOf(value),
    verifications: [
      {
        status: outcomeOf(value),
        attempt: 1,
        phone_number: attempt.user.phone_number ?? LESLIE_KNOPE.phone_number,
        delivery_attempt_count: 1,
        solve_attempt_count: 1,
        initially_sent_at: attempt.updatedAt,
        last_sent_at: attempt.updatedAt,
        redacted_at: null,
      },
    ],
  };
}

function riskCheck(attempt: Attempt): Record<string, unknown> | null {
  const value = attempt.steps.risk_check;
  if (!done(value)) return null;
  return {
    status: outcomeOf(value),
    behavior: null,
    email: null,
    phone: null,
    devices: [],
    identity_abuse_signals: null,
    facial_duplicates: [],
    trust_index_score: null,
  };
}

/** The `IdentityVerification` object (list item); `get`/`create`/`retry` add `request_id`. */
export function attemptView(attempt: Attempt, templateId: string, baseUrl: string): Record<string, unknown> {
  const screened = !['waiting_for_prerequisite', 'skipped', 'not_applicable', 'active'].includes(
    attempt.steps.watchlist_screening,
  );
  return {
    id: attempt.id,
    client_user_id: attempt.clientUserId,
    created_at: attempt.createdAt,
    completed_at: attempt.completedAt,
    previous_attempt_id: attempt.previousAttemptId,
    shareable_url:
      attempt.shareKey === null ? null : `${baseUrl}/verify/${attempt.id}?key=${attempt.shareKey}`,
    template: { id: templateId, version: 1 },
    user: userData(attempt.user),
    status: attempt.status,
    steps: { ...attempt.steps },
    documentary_verification: documentaryVerification(attempt, baseUrl),
    selfie_check: null,
    kyc_check: kycCheck(attempt),
    risk_check: riskCheck(attempt),
    verify_sms: verifySms(attempt),
    watchlist_screening_id: screened ? `scr_${attempt.id.slice(4)}` : null,
    beacon_user_id: null,
    user_id: attempt.userId,
    redacted_at: null,
  };
}
