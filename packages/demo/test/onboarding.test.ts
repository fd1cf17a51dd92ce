import { KYC_TOKENS } from '@kycport/core';
import { createKycContainer, resolveKyc } from '@kycport/container';
import type { FakeKycProvider } from '@kycport/testing';
import { fakeDriver } from '../src/fake-driver';
import { walkOnboarding } from '../src/onboarding';
import { consoleTimeline } from '../src/timeline';

describe('demo onboarding', () => {
  it('walks create -> denied -> retry -> approved on the fake provider and prints no personal data', async () => {
    const container = createKycContainer({ provider: 'fake' });
    const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
    const webhooks = resolveKyc(container, KYC_TOKENS.PromiseKycWebhookHandler);
    const lines: string[] = [];
    const summary = await walkOnboarding(
      kyc,
      fakeDriver(resolveKyc(container, KYC_TOKENS.KycProvider) as FakeKycProvider, webhooks),
      {
        applicant: {
          externalId: 'demo-test',
          name: { given: 'Jane', family: 'Doe' },
          email: 'jane.demo@example.com',
          termsAccepted: true,
        },
      },
      consoleTimeline('fake', (line) => lines.push(line)),
    );
    expect(summary.statuses).toEqual(['action_required', 'denied', 'action_required', 'approved']);
    expect(summary.finalStatus).toBe('approved');
    expect(lines.join('\n')).not.toContain('jane.demo@example.com');
    expect(lines.some((line) => line.includes('webhook fake.kyc-status verified'))).toBe(true);
  });
});
