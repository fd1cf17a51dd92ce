import * as E from 'fp-ts/Either';
import { unknownProviderState } from '@kycport/core';
import type { KycState } from '@kycport/core';
import { blocksIncompleteRetry } from '../src/plaid-attempts';
import { PLAID_NO_SHAREABLE_URL_REASON, failedSteps, plaidKycState } from '../src/plaid-status-mapping';
import { ACTIVE_STEPS } from './plaid-test-kit';

/** The state, for attempts whose shareable URL (if any) is safe: `plaidKycState` returns an Either. */
function stateOf(...args: Parameters<typeof plaidKycState>): KycState {
  const result = plaidKycState(...args);
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
}

const ok = {
  accept_tos: 'success',
  verify_sms: 'success',
  kyc_check: 'success',
  documentary_verification: 'success',
  selfie_check: 'success',
  watchlist_screening: 'success',
  risk_check: 'success',
};

describe('Plaid status mapping', () => {
  it('maps active with a shareable URL to action_required + redirect', () => {
    expect(
      stateOf({
        status: 'active',
        steps: ACTIVE_STEPS,
        shareable_url: 'https://flow.plaid.com/verify/x',
      }),
    ).toEqual({
      status: 'action_required',
      providerStatus: 'active',
      reasonCodes: [],
      nextAction: { type: 'redirect', url: 'https://flow.plaid.com/verify/x' },
    });
  });

  // Issue 12: `action_required` with `await_provider` gave the host nothing to act on.
  it.each([null, undefined, ''])(
    'maps active without a shareable URL (%p) to action_required + redirect_unavailable naming Link',
    (shareableUrl) => {
      const state = stateOf({ status: 'active', steps: ACTIVE_STEPS, shareable_url: shareableUrl });
      expect(state).toMatchObject({ status: 'action_required', reasonCodes: [] });
      expect(state.nextAction).toEqual({
        type: 'redirect_unavailable',
        reason: PLAID_NO_SHAREABLE_URL_REASON,
      });
      expect(PLAID_NO_SHAREABLE_URL_REASON).toMatch(/Plaid Link/);
      expect(PLAID_NO_SHAREABLE_URL_REASON).toMatch(/isShareable/);
    },
  );

  it.each([
    ['success', 'approved', 'none'],
    ['failed', 'denied', 'none'],
    ['expired', 'expired', 'none'],
    ['canceled', 'canceled', 'none'],
    ['pending_review', 'in_review', 'await_provider'],
  ])('maps %s to %s (%s)', (providerStatus, status, next) => {
    const state = stateOf({ status: providerStatus, steps: ok }, 3);
    expect(state).toMatchObject({ status, providerStatus, attempt: 3, nextAction: { type: next } });
  });

  it('keeps an unknown status visible, not final and never approved', () => {
    const state = stateOf({ status: 'on_hold', steps: ok });
    expect(state).toEqual({
      status: 'pending',
      providerStatus: 'on_hold',
      reasonCodes: [],
      nextAction: { type: 'await_provider' },
    });
    // Core's one rule for unknown statuses; Plaid adds the failed steps it still reports.
    expect(state).toEqual(unknownProviderState('on_hold'));
    expect(stateOf({ status: 'on_hold', steps: { ...ok, kyc_check: 'failed' } }, 2)).toEqual({
      ...unknownProviderState('on_hold', 2),
      reasonCodes: ['kyc_check'],
    });
  });

  it('surfaces failed and manually rejected steps as reason codes, in flow order, including new step names', () => {
    const steps = {
      ...ok,
      risk_check: 'failed',
      kyc_check: 'manually_rejected',
      selfie_check: 'failed',
      zz_new_step: 'failed',
      verify_sms: 'novel',
    };
    expect(failedSteps(steps)).toEqual(['kyc_check', 'selfie_check', 'risk_check', 'zz_new_step']);
    expect(stateOf({ status: 'failed', steps }).reasonCodes).toEqual([
      'kyc_check',
      'selfie_check',
      'risk_check',
      'zz_new_step',
    ]);
  });

  it('names the screening step that is pending review', () => {
    expect(
      stateOf({ status: 'pending_review', steps: { ...ok, watchlist_screening: 'pending_review' } })
        .reasonCodes,
    ).toEqual(['watchlist_screening']);
  });

  it('reports when Plaid forbids the incomplete strategy (failed screening or risk check)', () => {
    expect(blocksIncompleteRetry({ ...ok, watchlist_screening: 'failed' })).toBe(true);
    expect(blocksIncompleteRetry({ ...ok, risk_check: 'manually_rejected' })).toBe(true);
    expect(blocksIncompleteRetry({ ...ok, kyc_check: 'failed' })).toBe(false);
  });

  it('hands out shareable_url only through redirectTo: https, or an allowed origin', () => {
    const active = (url: string) => ({ status: 'active', steps: ACTIVE_STEPS, shareable_url: url });
    const hostile = plaidKycState(active('javascript:alert(1)'));
    expect(E.isLeft(hostile) && hostile.left).toMatchObject({
      kind: 'unexpected_response',
      issues: [{ path: 'response.shareable_url' }],
    });
    expect(E.isLeft(plaidKycState(active('http://127.0.0.1:4010/verify/x')))).toBe(true);
    const policy = { allowedOrigins: ['http://127.0.0.1:4010'] };
    expect(plaidKycState(active('http://127.0.0.1:4010/verify/x'), 1, policy)).toEqual(
      E.right(
        expect.objectContaining({ nextAction: { type: 'redirect', url: 'http://127.0.0.1:4010/verify/x' } }),
      ),
    );
    expect(stateOf(active('')).nextAction).toMatchObject({ type: 'redirect_unavailable' });
  });
});
