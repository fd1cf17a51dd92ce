/** Who plays the end user: the fake's control, a simulator's control API, or a person (real providers). */
import { readUserRef } from '@kycport/core';
import type { FakeKycProvider } from '@kycport/testing';
import type { ProviderSimulator } from '@kycport/simulators';
import type { HostedFlowDriver } from './onboarding';
import type { WebhookReceiver } from './webhook-receiver';

const WEBHOOK_TIMEOUT_MS = 15_000;

async function post(url: string, delivery: { headers: unknown; rawBody: unknown }): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: delivery.headers as Record<string, string>,
    body: delivery.rawBody as string,
  });
  await response.arrayBuffer();
}

/** The in-memory fake: its control hands back the signed webhook, which the host's endpoint receives. */
export function fakeDriver(fake: FakeKycProvider, receiver: WebhookReceiver, path: string): HostedFlowDriver {
  let last: { headers: unknown; rawBody: unknown } | undefined;
  return {
    completeHostedFlow: async (ref, outcome) => {
      last = fake.control.completeHostedFlow(
        ref,
        outcome,
        outcome === 'denied' ? ['DOCUMENT_UNREADABLE'] : [],
      );
      await post(receiver.urlFor(path), last);
    },
    settleTimeoutMs: WEBHOOK_TIMEOUT_MS,
    redeliverLast: async () => {
      if (last === undefined) return undefined;
      await post(receiver.urlFor(path), last);
      return receiver.answers(path).at(-1);
    },
  };
}

/** A provider simulator: the control API completes the hosted flow; the simulator delivers signed webhooks. */
export function simulatorDriver(
  simulator: ProviderSimulator,
  receiver: WebhookReceiver,
  path: string,
): HostedFlowDriver {
  return {
    // The simulator knows the provider's own id; the host holds the qualified ref.
    completeHostedFlow: (ref, outcome) => simulator.completeHostedFlow(readUserRef(ref).id, outcome),
    settleTimeoutMs: WEBHOOK_TIMEOUT_MS,
    webhooksIdle: () => simulator.webhooksIdle(),
    redeliverLast: async () => {
      const last = simulator.webhookDeliveries.at(-1);
      if (last === undefined) return undefined;
      // Resolves once the endpoint answered it (and so once the tracker committed or refused it).
      await simulator.redeliverWebhook(last.id);
      return receiver.answers(path).at(-1);
    },
  };
}

/** A real provider's staging: a person completes the flow in a browser; the provider sends the webhooks. */
export function personDriver(write: (line: string) => void, timeoutMs = 15 * 60_000): HostedFlowDriver {
  return {
    completeHostedFlow: async (_ref, outcome, redirectUrl) => {
      write(
        `  -> open ${redirectUrl ?? 'the provider hosted flow'} and complete it so that it is ${outcome} ` +
          "(the provider must be able to reach this machine's webhook endpoint)",
      );
    },
    settleTimeoutMs: timeoutMs,
  };
}
