import * as fc from 'fast-check';
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

  // Issue 12: the verdict alone decides when P100 shows no attempt (absent, null or empty).
  // VERIFIED: "successfully passed KYC and is considered fully verified"; EXPIRED: "required to
  // complete the process again" (the status table of the Get KYC Status / webhook pages).
  it.each<[string, string | null | undefined, KycState['status'], KycState['nextAction']]>([
    ['VERIFIED', undefined, 'approved', { type: 'none' }],
    ['VERIFIED', null, 'approved', { type: 'none' }],
    ['VERIFIED', '', 'approved', { type: 'none' }],
    ['EXPIRED', undefined, 'expired', { type: 'none' }],
    ['EXPIRED', null, 'expired', { type: 'none' }],
  ])('maps %s without an attemptStatus (%s) by the verdict alone: %s', (status, attempt, expected, next) => {
    expect(p100KycState(status, attempt)).toEqual({
      status: expected,
      providerStatus: status,
      reasonCodes: [],
      nextAction: next,
    });
  });

  it.each([
    ['SUSPENDED', 'SUCCESSFUL', 'SUSPENDED/SUCCESSFUL'],
    ['VERIFIED', 'MANUAL_REVIEW', 'VERIFIED/MANUAL_REVIEW'],
    // NOT_VERIFIED is no verdict, and without an attempt P100 shows no progress either (assumption).
    ['NOT_VERIFIED', undefined, 'NOT_VERIFIED'],
    ['NOT_VERIFIED', null, 'NOT_VERIFIED'],
    ['SUSPENDED', undefined, 'SUSPENDED'],
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

describe('p100KycState without an attemptStatus (property)', () => {
  it('approves only VERIFIED and expires only EXPIRED, for any status value', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom('VERIFIED', 'EXPIRED', 'NOT_VERIFIED'), fc.string()),
        fc.constantFrom(undefined, null, ''),
        (status, attempt) => {
          const state = p100KycState(status, attempt);
          expect(state.status === 'approved').toBe(status === 'VERIFIED');
          expect(state.status === 'expired').toBe(status === 'EXPIRED');
          expect(state.providerStatus).toBe(status);
        },
      ),
    );
  });
});
