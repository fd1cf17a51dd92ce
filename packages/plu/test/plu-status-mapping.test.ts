import { unknownProviderState } from '@kycport/core';
import { pluKycState, pluReasonCodes } from '../src';
import { pluRetryState } from '../src/plu-status-mapping';
import { cleanNockAfterEach } from './plu-test-support';

cleanNockAfterEach();

describe('plu status mapping', () => {
  it('maps approved to approved with nothing left to do', () => {
    expect(pluKycState('approved')).toEqual({
      status: 'approved',
      providerStatus: 'approved',
      reasonCodes: [],
      nextAction: { type: 'none' },
    });
  });

  it('maps the listed pending_kyc to pending, awaiting the provider', () => {
    expect(pluKycState('pending_kyc')).toMatchObject({
      status: 'pending',
      providerStatus: 'pending_kyc',
      nextAction: { type: 'await_provider' },
    });
  });

  it('maps denied to denied with the comma-separated reason codes, trimmed', () => {
    expect(pluKycState('denied', { reason: 'WRONG_USER_REGION, REGULATIONS_VIOLATIONS' })).toMatchObject({
      status: 'denied',
      reasonCodes: ['WRONG_USER_REGION', 'REGULATIONS_VIOLATIONS'],
    });
    expect(pluReasonCodes(' A ,, B,')).toEqual(['A', 'B']);
  });

  it('maps needsVerification to a redirect to the verification link', () => {
    expect(
      pluKycState('needsVerification', { verificationLink: 'https://kyc.getplu.com/verify?userId=e55' }),
    ).toMatchObject({
      status: 'action_required',
      nextAction: { type: 'redirect', url: 'https://kyc.getplu.com/verify?userId=e55' },
    });
  });

  it('sends nobody to a verification link that is missing or not https', () => {
    expect(pluKycState('needsVerification').nextAction).toEqual({ type: 'contact_support' });
    expect(pluKycState('needsVerification', { verificationLink: 'javascript:alert(1)' }).nextAction).toEqual({
      type: 'contact_support',
    });
  });

  it('maps the legacy manualReview to in_review', () => {
    expect(pluKycState('manualReview').status).toBe('in_review');
  });

  it('keeps unknown values visible and never maps them to approved', () => {
    for (const value of ['APPROVED', 'approved ', 'kyc_approved', 'active', '']) {
      const state = pluKycState(value);
      expect([value, state.status, state.providerStatus]).toEqual([value, 'pending', value]);
    }
  });

  it('applies the one rule for unknown statuses, keeping a reason Plu sent with it', () => {
    expect(pluKycState('kyc_on_hold')).toEqual(unknownProviderState('kyc_on_hold'));
    expect(pluKycState('kyc_on_hold', { attempt: 2 })).toEqual(unknownProviderState('kyc_on_hold', 2));
    expect(pluKycState('kyc_on_hold', { reason: 'A, B' })).toEqual({
      ...unknownProviderState('kyc_on_hold'),
      reasonCodes: ['A', 'B'],
    });
  });

  describe('retry responses', () => {
    it('counts the first attempt plus retries and the retries left out of 3', () => {
      expect(pluRetryState({ applicationStatus: 'pending', retryCount: 1 }).attempts).toEqual({
        count: 2,
        remaining: 2,
      });
      expect(pluRetryState({ applicationStatus: 'pending', retryCount: 3 }).attempts).toEqual({
        count: 4,
        remaining: 0,
      });
      expect(pluRetryState({ applicationStatus: 'pending' }).attempts).toEqual({});
    });

    it('prefers the verification URL (the user must act) over the application status', () => {
      const { state } = pluRetryState({
        applicationStatus: 'pending',
        verificationUrl: 'https://withpersona.com/verify?inquiry-id=inq_1',
        retryCount: 2,
      });
      expect(state).toMatchObject({
        status: 'action_required',
        providerStatus: 'pending',
        attempt: 3,
        nextAction: { type: 'redirect' },
      });
    });

    it('maps an automated retry to pending, awaiting the provider', () => {
      expect(pluRetryState({ applicationStatus: 'pending', retryCount: 1 }).state).toMatchObject({
        status: 'pending',
        attempt: 2,
        nextAction: { type: 'await_provider' },
      });
    });

    it('labels a retry that returns neither field instead of inventing a status', () => {
      expect(pluRetryState({}).state).toMatchObject({ status: 'pending', providerStatus: 'retry_initiated' });
    });
  });
});
