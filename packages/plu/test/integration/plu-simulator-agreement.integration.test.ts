/**
 * The adapter accepts what the Plu simulator hands out: its settings and environment, and the
 * signed `user.kyc-event` deliveries of its state machine, parsed with the adapter's own handler.
 * These cases lived in the simulator's tests; they moved here because @kycport/simulators never
 * imports an adapter (the simulator's tests keep their own HMAC check of each delivery).
 */
import { createHmac } from 'node:crypto';
import type { KycEvent } from '@kycport/core';
import {
  PLU_SIMULATOR_API_KEY,
  PLU_SIMULATOR_DENIAL_REASON,
  PLU_SIMULATOR_WEBHOOK_SECRET,
  startPluSimulator,
  startWebhookRecorder,
} from '@kycport/simulators';
import type { PluSimulator, ReceivedWebhook, WebhookRecorder } from '@kycport/simulators';
import { createPluWebhookHandler, pluAdapter, pluBaseUrl } from '../../src';
import { LIST, call, createdUser } from './support';

let sim: PluSimulator;
let receiver: WebhookRecorder;
const clock = Date.parse('2026-05-01T10:00:00.000Z');
let counter = 0;
const email = (label: string) => `${label}-${(counter += 1)}@example.com`;

const handler = createPluWebhookHandler(PLU_SIMULATOR_WEBHOOK_SECRET);

async function parsed(index: number): Promise<KycEvent> {
  const delivery = receiver.received[index];
  if (!delivery) throw new Error(`no delivery ${index}`);
  const result = await handler.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody })();
  if (result._tag === 'Left') throw new Error(`rejected: ${result.left.message}`);
  return result.right;
}

function bodyOf(delivery: ReceivedWebhook): {
  event: string;
  timestamp: string;
  data: Record<string, unknown>;
} {
  return JSON.parse(delivery.rawBody) as { event: string; timestamp: string; data: Record<string, unknown> };
}

function listedStatusOf(answer: { json: unknown }, serviceId: string): string | undefined {
  const users = (answer.json as { data: { users: Array<{ serviceId: string; status: string }> } }).data.users;
  return users.find((user) => user.serviceId === serviceId)?.status;
}

beforeAll(async () => {
  receiver = await startWebhookRecorder('/webhooks/plu');
  sim = await startPluSimulator({ webhookUrl: receiver.url, now: () => clock });
});

afterAll(async () => {
  await sim.close();
  await receiver.close();
});

afterEach(async () => {
  await sim.webhooksIdle();
  receiver.received.length = 0;
  receiver.respond = () => 200;
  sim.clearFaults();
});

describe('settings', () => {
  it('gives adapter settings and environment the adapter accepts, pointing at /api on the simulator', () => {
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const config = pluAdapter.parseConfig(sim.adapterSettings);
    if (config._tag === 'Left') throw new Error(config.left.message);
    expect(pluBaseUrl(config.right)).toBe(`${sim.baseUrl}/api`);
    expect(config.right.apiKey).toBe(PLU_SIMULATOR_API_KEY);
    const fromEnv = pluAdapter.configFromEnv(sim.environment);
    expect(fromEnv._tag).toBe('Right');
    expect(sim.environment.KYC_PROVIDER).toBe('plu');
  });
});

describe('state machine and webhooks', () => {
  it('approves a user without a keyword, sending a signed user.kyc-event the adapter accepts', async () => {
    const ref = await createdUser(sim.baseUrl, email('plain'));
    await sim.completeHostedFlow(ref);
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0]!;
    const expected = createHmac('sha256', PLU_SIMULATOR_WEBHOOK_SECRET)
      .update(delivery.rawBody)
      .digest('hex');
    expect(delivery.headers['x-webhook-signature']).toBe(expected);
    expect(delivery.headers['content-type']).toBe('application/json');
    const body = bodyOf(delivery);
    expect(body.event).toBe('user.kyc-event');
    expect(Date.parse(body.timestamp)).toBe(clock);
    expect(body.data).toEqual({
      serviceId: ref,
      status: 'approved',
      email: expect.stringContaining('plain-'),
      firstName: 'Jane',
      lastName: 'Doe',
    });
    const event = await parsed(0);
    expect(event).toMatchObject({ userRef: ref, type: 'user.kyc-event', state: { status: 'approved' } });
    expect(listedStatusOf(await call(sim.baseUrl, 'GET', `${LIST}?limit=100`), ref)).toBe('approved');
  });

  it('denies a lastName ending in Denied with the documented reason codes', async () => {
    const ref = await createdUser(sim.baseUrl, email('denied'), 'DoeDenied');
    await sim.completeHostedFlow(ref);
    await sim.webhooksIdle();
    expect(bodyOf(receiver.received[0]!).data).toMatchObject({
      status: 'denied',
      reason: PLU_SIMULATOR_DENIAL_REASON,
    });
    const event = await parsed(0);
    expect(event).toMatchObject({
      stateIncluded: true,
      state: { status: 'denied', reasonCodes: ['WRONG_USER_REGION', 'REGULATIONS_VIOLATIONS'] },
    });
    expect(sim.users().find((user) => user.ref === ref)).toMatchObject({
      providerStatus: 'denied',
      state: 'denied',
      attempts: 1,
    });
  });

  it('asks for additional verification with a verificationLink, then approves the completed extra step', async () => {
    const ref = await createdUser(sim.baseUrl, email('needs'), 'DoeneedsVerification');
    await sim.completeHostedFlow(ref);
    await sim.webhooksIdle();
    const data = bodyOf(receiver.received[0]!).data;
    expect(data.status).toBe('needsVerification');
    expect(data.verificationLink).toMatch(/^https:\/\/.+inquiry-id=inq_/);
    expect(data).not.toHaveProperty('reason');
    const event = await parsed(0);
    expect(event).toMatchObject({
      state: { status: 'action_required', nextAction: { type: 'redirect', url: data.verificationLink } },
    });
    expect(listedStatusOf(await call(sim.baseUrl, 'GET', `${LIST}?limit=100`), ref)).toBe(
      'needsVerification',
    );
    await sim.completeHostedFlow(ref);
    await sim.webhooksIdle();
    expect(bodyOf(receiver.received[1]!).data.status).toBe('approved');
  });
});

describe('re-deliveries in another byte layout (issue 11)', () => {
  it('gives a failed delivery and its indented re-delivery the same exact dedupe key', async () => {
    const local = await startWebhookRecorder('/webhooks/plu');
    const alternating = await startPluSimulator({
      webhookUrl: local.url,
      webhookLayout: 'alternate',
      webhookRetryDelaysMs: [5],
      now: () => clock,
    });
    try {
      // The host fails the first attempt, so the simulator re-delivers the event indented.
      local.respond = () => (local.received.length === 1 ? 500 : 200);
      const ref = await createdUser(alternating.baseUrl, email('layouts'), 'DoeDenied');
      await alternating.completeHostedFlow(ref);
      await alternating.webhooksIdle();
      expect(local.received).toHaveLength(2);
      const [first, again] = local.received.map((delivery) => delivery.rawBody);
      expect(first).not.toBe(again);
      expect(JSON.parse(first!)).toEqual(JSON.parse(again!));
      const events = await Promise.all(
        local.received.map(async (delivery) => {
          const result = await handler.parseWebhook({
            headers: delivery.headers,
            rawBody: delivery.rawBody,
          })();
          if (result._tag === 'Left') throw new Error(`rejected: ${result.left.message}`);
          return result.right;
        }),
      );
      expect(events[1]?.dedupeKey).toBe(events[0]?.dedupeKey);
      expect(events.map((event) => event.dedupeKeyStrength)).toEqual(['exact', 'exact']);
    } finally {
      await alternating.close();
      await local.close();
    }
  });
});
