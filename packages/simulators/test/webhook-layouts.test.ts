/**
 * Webhook bodies in more than one byte layout: the same event, signed over the bytes actually sent,
 * compact or indented (`webhookLayout`), and alternating between re-deliveries with `alternate`,
 * so a receiver that re-serializes the body before checking the signature, or dedupes on the bytes,
 * fails. Signatures are checked here with node:crypto (the adapters accept them: their own tests).
 */
import { createHash, createHmac, createPublicKey, verify } from 'node:crypto';
import { createWebhookDeliverer, webhookRawBody } from '../src';
import { P100_SIMULATOR_WEBHOOK_TOKEN, startP100Simulator } from '../src/p100';
import { startPlaidSimulator } from '../src/plaid';
import { PLU_SIMULATOR_WEBHOOK_SECRET, startPluSimulator } from '../src/plu';
import { startWebhookRecorder } from '../src/webhook-recorder';
import type { ReceivedWebhook, WebhookRecorder } from '../src/webhook-recorder';
import { call as p100Call, createUserBody as p100UserBody, startVerificationBody } from './p100/support';
import { createBody as plaidCreateBody, post as plaidPost } from './plaid/support';
import { createdUser as pluCreatedUser } from './plu/support';

let receiver: WebhookRecorder;
beforeAll(async () => {
  receiver = await startWebhookRecorder('/hooks');
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.received.length = 0;
  receiver.respond = () => 200;
});

const isIndented = (raw: string) => raw.includes('\n  "');
/** Fails the first `count` deliveries with 500. */
function failFirst(count: number): void {
  let left = count;
  receiver.respond = () => (left-- > 0 ? 500 : 200);
}

describe('webhookRawBody', () => {
  it('lays the same content out compact, indented, or alternating by attempt', () => {
    const body = { event: 'x', data: { id: 1 } };
    expect(webhookRawBody(body, 'compact', 1)).toBe('{"event":"x","data":{"id":1}}');
    expect(webhookRawBody(body, 'indented', 0)).toBe(JSON.stringify(body, null, 2));
    expect([0, 1, 2, 3].map((attempt) => isIndented(webhookRawBody(body, 'alternate', attempt)))).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('the deliverer signs each attempt over its own bytes and records them', async () => {
    failFirst(1);
    const deliverer = createWebhookDeliverer({
      url: receiver.url,
      sign: (raw) => ({ 'x-signature': createHash('sha256').update(raw).digest('hex') }),
      retryDelaysMs: [5],
      layout: 'alternate',
    });
    const record = deliverer.deliver({ event: 'y', n: 2 });
    await deliverer.idle();
    deliverer.close();
    expect(record.attempts).toEqual([500, 200]);
    expect(record.rawBodies).toEqual(receiver.received.map((delivery) => delivery.rawBody));
    for (const delivery of receiver.received) {
      expect(delivery.headers['x-signature']).toBe(
        createHash('sha256').update(delivery.rawBody).digest('hex'),
      );
    }
  });
});

/** The received bodies: different bytes, the same JSON. */
function expectSameEventOtherBytes(deliveries: ReadonlyArray<ReceivedWebhook>): void {
  expect(deliveries).toHaveLength(2);
  const [first, second] = deliveries as [ReceivedWebhook, ReceivedWebhook];
  expect(first.rawBody).not.toBe(second.rawBody);
  expect(JSON.parse(second.rawBody)).toEqual(JSON.parse(first.rawBody));
  expect([isIndented(first.rawBody), isIndented(second.rawBody)]).toEqual([false, true]);
}

describe('plu: X-Webhook-Signature over the bytes sent', () => {
  it('alternates the layout between re-deliveries of one event, each correctly signed', async () => {
    const sim = await startPluSimulator({
      webhookUrl: receiver.url,
      webhookLayout: 'alternate',
      webhookRetryDelaysMs: [5],
    });
    try {
      const ref = await pluCreatedUser(sim.baseUrl, 'layout-alternate@example.com');
      failFirst(1);
      await sim.completeHostedFlow(ref, 'approved');
      await sim.webhooksIdle();
      expectSameEventOtherBytes(receiver.received);
      for (const delivery of receiver.received) {
        const expected = createHmac('sha256', PLU_SIMULATOR_WEBHOOK_SECRET)
          .update(delivery.rawBody)
          .digest('hex');
        expect(delivery.headers['x-webhook-signature']).toBe(expected);
      }
    } finally {
      await sim.close();
    }
  });

  it('sends indented bodies with webhookLayout indented, and switches layout over the control API', async () => {
    const sim = await startPluSimulator({ webhookUrl: receiver.url, webhookLayout: 'indented' });
    try {
      await sim.completeHostedFlow(await pluCreatedUser(sim.baseUrl, 'layout-indented@example.com'));
      await sim.webhooksIdle();
      const put = (layout: unknown) =>
        fetch(`${sim.baseUrl}/__control/webhook-layout`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ layout }),
        });
      expect((await put('sideways')).status).toBe(400);
      expect((await put('compact')).status).toBe(200);
      await sim.completeHostedFlow(await pluCreatedUser(sim.baseUrl, 'layout-compact@example.com'));
      await sim.webhooksIdle();
      expect(receiver.received.map((delivery) => isIndented(delivery.rawBody))).toEqual([true, false]);
    } finally {
      await sim.close();
    }
  });
});

describe('p100: the same event redelivered in the other layout', () => {
  it('redeliverWebhook (and POST /__control/webhooks/{id}/redeliver) sends a recorded event again', async () => {
    const sim = await startP100Simulator({ webhookUrl: receiver.url, webhookLayout: 'alternate' });
    try {
      const id = 'layout-p100';
      expect(
        (await p100Call(sim.baseUrl, 'POST', '/v1/user/balances/crypto-and-fiat', p100UserBody(id))).status,
      ).toBe(201);
      expect((await p100Call(sim.baseUrl, 'POST', '/v1/kyc', startVerificationBody(id))).status).toBe(201);
      await sim.completeHostedFlow(id, 'denied');
      await sim.webhooksIdle();
      const record = sim.webhookDeliveries[0];
      if (record === undefined) throw new Error('no delivery');
      receiver.received.length = 0;
      await sim.redeliverWebhook(record.id);
      const overHttp = await fetch(`${sim.baseUrl}/__control/webhooks/${record.id}/redeliver`, {
        method: 'POST',
      });
      expect(overHttp.status).toBe(200);
      await sim.webhooksIdle();
      expect(record.attempts).toEqual([200, 200, 200]);
      expect(record.rawBodies.map(isIndented)).toEqual([false, true, false]);
      expect(receiver.received.map((delivery) => delivery.headers.authorization)).toEqual([
        P100_SIMULATOR_WEBHOOK_TOKEN,
        P100_SIMULATOR_WEBHOOK_TOKEN,
      ]);
      await expect(sim.redeliverWebhook(9_999)).rejects.toMatchObject({ status: 404 });
      expect(
        (await fetch(`${sim.baseUrl}/__control/webhooks/9999/redeliver`, { method: 'POST' })).status,
      ).toBe(404);
    } finally {
      await sim.close();
    }
  });
});

/** Verifies Plaid's `Plaid-Verification` ES256 JWT against the simulator's key; returns its claims. */
function plaidClaims(token: string, jwk: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } as never,
    format: 'jwk',
  });
  const valid = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  expect(valid).toBe(true);
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('plaid: request_body_sha256 over the bytes sent', () => {
  it('signs each layout of the same event with the hash of its own bytes', async () => {
    const sim = await startPlaidSimulator({ webhookUrl: receiver.url, webhookRetryDelaysMs: [5] });
    try {
      sim.setWebhookLayout('alternate');
      expect(
        (await plaidPost(sim.baseUrl, '/identity_verification/create', plaidCreateBody('layout-plaid')))
          .status,
      ).toBe(200);
      failFirst(1);
      await sim.setUserState('layout-plaid', 'success');
      await sim.webhooksIdle();
      expectSameEventOtherBytes(receiver.received);
      for (const delivery of receiver.received) {
        const claims = plaidClaims(String(delivery.headers['plaid-verification']), sim.webhookKey);
        expect(claims.request_body_sha256).toBe(createHash('sha256').update(delivery.rawBody).digest('hex'));
      }
    } finally {
      await sim.close();
    }
  });
});
