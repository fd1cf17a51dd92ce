import type { KycState } from '@kycport/core';
import { P100_ATTEMPT_STATUSES, P100_VERIFICATION_STATUSES, p100KycState } from '../src';
import { kycNotFoundState } from '../src/p100-status-mapping';

const DOCUMENT_DATA = { type: 'submit_verification', missing: ['document_data'] };

describe('p100KycState', () => {
  it.each<[string, string, KycState['status'], KycState['nextAction']]>([
    ['NOT_VERIFIED', 'PENDING', 'pending', { type: 'await_provider' }],
    ['NOT_VERIFIED', 'VERIFICATION', 'in_review', { type: 'await_provider' }],
    ['NOT_VERIFIED', 'REJECTED_BY_PROVIDER', 'denied', { type: 'none' }],
    ['NOT_VERIFIED', 'SUCCESSFUL', 'action_required', DOCUMENT_DATA as KycState['nextAction']],
    ['VERIFIED', 'PENDING', 'approved', { type: 'none' }],
    ['VERIFIED', 'VERIFICATION', 'approved', { type: 'none' }],
    ['VERIFIED', 'REJECTED_BY_PROVIDER', 'in_review', { type: 'await_provider' }],
    ['VERIFIED', 'SUCCESSFUL', 'approved', { type: 'none' }],
    ['EXPIRED', 'PENDING', 'pending', { type: 'await_provider' }],
    ['EXPIRED', 'VERIFICATION', 'in_review', { type: 'await_provider' }],
    ['EXPIRED', 'REJECTED_BY_PROVIDER', 'denied', { type: 'none' }],
    ['EXPIRED', 'SUCCESSFUL', 'expired', { type: 'none' }],
  ])('maps %s + %s to %s', (status, attempt, expected, nextAction) => {
    const state = p100KycState(status, attempt);
    expect(state).toEqual({
      status: expected,
      providerStatus: `${status}/${attempt}`,
      reasonCodes: [],
      nextAction,
    });
  });

  it('covers every documented (status, attemptStatus) pair (3 x 4)', () => {
    const pairs = P100_VERIFICATION_STATUSES.flatMap((status) =>
      P100_ATTEMPT_STATUSES.map((attempt) => p100KycState(status, attempt)),
    );
    expect(pairs).toHaveLength(12);
    for (const state of pairs) expect(state.providerStatus).not.toBe('');
  });

  it('keeps rejectionReason as the reason code', () => {
    expect(p100KycState('NOT_VERIFIED', 'REJECTED_BY_PROVIDER', 'NO_FACE_FOUND').reasonCodes).toEqual([
      'NO_FACE_FOUND',
    ]);
    expect(p100KycState('NOT_VERIFIED', 'PENDING', null).reasonCodes).toEqual([]);
  });

  it.each([
    ['SUSPENDED', 'SUCCESSFUL', 'SUSPENDED/SUCCESSFUL'],
    ['VERIFIED', 'MANUAL_REVIEW', 'VERIFIED/MANUAL_REVIEW'],
    ['VERIFIED', undefined, 'VERIFIED'],
    ['VERIFIED', null, 'VERIFIED'],
  ])(
    "maps unknown or missing values to core's unknownProviderState: pending, visible, never approved (%s + %s)",
    (status, attempt, providerStatus) => {
      expect(p100KycState(status, attempt)).toEqual({
        status: 'pending',
        providerStatus,
        reasonCodes: [],
        nextAction: { type: 'await_provider' },
      });
    },
  );
});

describe('kycNotFoundState (P445 for an existing user)', () => {
  it('asks the host to start a hosted verification with the hosted method', () => {
    expect(kycNotFoundState('hosted')).toEqual({
      status: 'action_required',
      providerStatus: 'KYC_NOT_FOUND',
      reasonCodes: ['P445'],
      nextAction: { type: 'submit_verification', missing: ['hosted_verification'] },
    });
  });

  it('asks for the files and document data with the document upload method', () => {
    expect(kycNotFoundState('document_upload', 'PASSPORT').nextAction).toEqual({
      type: 'submit_verification',
      missing: ['document_front', 'selfie', 'document_data'],
    });
  });
});
