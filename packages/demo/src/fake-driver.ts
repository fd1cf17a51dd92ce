/** Plays the end user against the in-memory fake provider. */
import type { KycEvent, PromiseKycWebhookHandler, UserRef, WebhookRequest } from '@kycport/core';
import type { FakeKycProvider } from '@kycport/testing';
import type { HostedFlowDriver } from './onboarding';

export function fakeDriver(fake: FakeKycProvider, webhooks: PromiseKycWebhookHandler): HostedFlowDriver {
  const pending: WebhookRequest[] = [];
  return {
    completeHostedFlow: async (ref: UserRef, outcome) => {
      // The fake hands back the signed webhook it "sends"; the host verifies it like a real delivery.
      pending.push(
        fake.control.completeHostedFlow(ref, outcome, outcome === 'denied' ? ['DOCUMENT_UNREADABLE'] : []),
      );
    },
    nextWebhook: async (): Promise<KycEvent> => {
      const request = pending.shift();
      if (!request) throw new Error('no webhook was sent');
      return webhooks.parseWebhook(request);
    },
  };
}
