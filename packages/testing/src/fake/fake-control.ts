/** The fake's control: play the end user's hosted flow, script failures, sign events, reset. */
import { randomUUID } from 'node:crypto';
import type { FakeKycControl } from './fake-kyc-provider';
import type { FakeOutcome } from './fake-options';
import type { FakeContext } from './fake-state';
import { signFakeWebhook } from './fake-webhooks';

export function createFakeControl(context: FakeContext): FakeKycControl {
  return {
    completeHostedFlow: (ref, outcome, reasonCodes) => {
      const user = context.users.get(ref);
      if (!user) throw new Error('fake: no user with this reference');
      const next: FakeOutcome = outcome ?? user.outcomes.shift() ?? 'approved';
      user.status = next;
      user.providerStatus = next;
      user.reasonCodes = next === 'denied' ? [...(reasonCodes ?? ['FAKE_DENIAL'])] : [];
      return signFakeWebhook(context, {
        event: 'fake.kyc-status',
        eventId: randomUUID(),
        occurredAt: new Date().toISOString(),
        data: { ref: user.ref, status: user.status, attempt: user.attempt, reasonCodes: user.reasonCodes },
      });
    },
    failNext: (operation, error) => {
      context.failures.set(operation, error);
    },
    signWebhook: (body) => signFakeWebhook(context, body),
    users: () =>
      [...context.users.values()].map((user) => ({
        ref: user.ref,
        status: user.status,
        attempt: user.attempt,
      })),
    reset: () => {
      context.users.clear();
      context.failures.clear();
    },
  };
}
