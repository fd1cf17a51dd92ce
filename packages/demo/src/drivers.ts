/** Who plays the end user: the fake's control, a simulator's control API, or a person (real providers). */
import { readUserRef } from '@kycport/core';
import type { KycEvent, UserRef } from '@kycport/core';
import type { FakeKycProvider } from '@kycport/testing';
import type { ProviderSimulator } from '@kycport/simulators';
import type { HostedFlowDriver } from './onboarding';
import type { WebhookReceiver } from './webhook-receiver';
import { settlesAttempt } from './webhook-receiver';

const WEBHOOK_TIMEOUT_MS = 15_000;

const settling = (ref: UserRef) => (event: KycEvent) => event.userRef === ref && settlesAttempt(event);

/** The in-memory fake: its control hands back the signed webhook, which the host's endpoint receives. */
export function fakeDriver(
  fake: FakeKycProvider,
  receiverUrl: string,
  receiver: WebhookReceiver,
): HostedFlowDriver {
  return {
    completeHostedFlow: async (ref, outcome) => {
      const delivery = fake.control.completeHostedFlow(
        ref,
        outcome,
        outcome === 'denied' ? ['DOCUMENT_UNREADABLE'] : [],
      );
      await fetch(receiverUrl, {
        method: 'POST',
        headers: delivery.headers as Record<string, string>,
        body: delivery.rawBody as string,
      });
    },
    nextWebhook: (ref) => receiver.waitFor(settling(ref), WEBHOOK_TIMEOUT_MS),
  };
}

/** A provider simulator: the control API completes the hosted flow; the simulator delivers signed webhooks. */
export function simulatorDriver(simulator: ProviderSimulator, receiver: WebhookReceiver): HostedFlowDriver {
  return {
    // The simulator knows the provider's own id; the host holds the qualified ref.
    completeHostedFlow: (ref, outcome) => simulator.completeHostedFlow(readUserRef(ref).id, outcome),
    nextWebhook: (ref) => receiver.waitFor(settling(ref), WEBHOOK_TIMEOUT_MS),
  };
}

/** A real provider's staging: a person completes the flow in a browser; the provider sends the webhooks. */
export function personDriver(
  receiver: WebhookReceiver,
  write: (line: string) => void,
  timeoutMs = 15 * 60_000,
): HostedFlowDriver {
  return {
    completeHostedFlow: async (_ref, outcome, redirectUrl) => {
      write(
        `  -> open ${redirectUrl ?? 'the provider hosted flow'} and complete it so that it is ${outcome} ` +
          "(the provider must be able to reach this machine's webhook endpoint)",
      );
    },
    nextWebhook: (ref) => receiver.waitFor(settling(ref), timeoutMs),
  };
}
