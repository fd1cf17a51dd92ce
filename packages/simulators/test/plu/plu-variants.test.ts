/**
 * The Plu simulator's variants of what Plu's documents leave open (issue 12): the refusal answers of
 * retry-kyc and of a reused idempotency-key (Plu documents the rules and the 400, not the codes), a
 * page cap below the `limit` asked for and a missing `pagination.total` (Plu documents a default
 * limit of 50 and no maximum), and the webhook signature scheme (the current webhooks page names
 * only the `whsec_` secret). Signatures are checked here with node:crypto from each scheme's own
 * document, never with an adapter.
 */
import { createHmac } from 'node:crypto';
import {
  PLU_SIMULATOR_BASE64_WEBHOOK_SECRET,
  PLU_SIMULATOR_WEBHOOK_SECRET,
  startPluSimulator,
} from '../../src/plu';
import type { PluSimulator, PluSimulatorOptions } from '../../src/plu';
import { call, createdUser, startReceiver } from './support';
import type { Receiver } from './support';

const LIST = '/api/v1/partner/card/users';
const RETRY = (serviceId: string) => `/api/v2/partner/card/users/${serviceId}/retry-kyc`;
let counter = 0;
const email = (label: string) => `${label}-${(counter += 1)}@example.com`;

async function withSimulator(
  options: PluSimulatorOptions,
  run: (sim: PluSimulator) => Promise<void>,
): Promise<void> {
  const sim = await startPluSimulator(options);
  try {
    await run(sim);
  } finally {
    await sim.close();
  }
}

/** A denied user with all 3 retries used. */
async function cappedUser(sim: PluSimulator): Promise<string> {
  const ref = await createdUser(sim.baseUrl, email('capped'), 'DoeDenied');
  await sim.completeHostedFlow(ref);
  for (let retry = 0; retry < 3; retry += 1) {
    await call(sim.baseUrl, 'POST', RETRY(ref));
    await sim.completeHostedFlow(ref);
  }
  return ref;
}

describe('plu simulator variants: retry-kyc refusals (retryRefusal)', () => {
  it.each([
    [undefined, 'BAD_REQUEST', 'BAD_REQUEST'],
    ['generic-code', 'BAD_REQUEST', 'BAD_REQUEST'],
    ['distinct-codes', 'KYC_NOT_DENIED', 'KYC_RETRY_LIMIT_EXCEEDED'],
  ] as const)(
    '%s: a user not denied gets 400 %s, a capped user 400 %s',
    async (variant, notDenied, capped) => {
      await withSimulator({ retryRefusal: variant }, async (sim) => {
        const pending = await createdUser(sim.baseUrl, email('pending'));
        const first = await call(sim.baseUrl, 'POST', RETRY(pending));
        expect([first.status, first.json]).toEqual([
          400,
          expect.objectContaining({ status: 'error', message: notDenied }),
        ]);
        const ref = await cappedUser(sim);
        const fourth = await call(sim.baseUrl, 'POST', RETRY(ref));
        expect([fourth.status, fourth.json]).toEqual([
          400,
          expect.objectContaining({ status: 'error', message: capped }),
        ]);
        // The rule, whatever the answer: no 4th retry happened.
        expect(sim.users().find((user) => user.ref === ref)).toMatchObject({
          retryCount: 3,
          providerStatus: 'denied',
        });
      });
    },
  );

  it('bare-400: both refusals are a 400 with an empty body', async () => {
    await withSimulator({ retryRefusal: 'bare-400' }, async (sim) => {
      const pending = await createdUser(sim.baseUrl, email('pending'));
      expect(await call(sim.baseUrl, 'POST', RETRY(pending))).toMatchObject({ status: 400, text: '' });
      expect(await call(sim.baseUrl, 'POST', RETRY(await cappedUser(sim)))).toMatchObject({
        status: 400,
        text: '',
      });
    });
  });

  it('every variant keeps the documented USER_NOT_FOUND (400) for an unknown user', async () => {
    for (const retryRefusal of ['generic-code', 'distinct-codes', 'bare-400'] as const)
      await withSimulator({ retryRefusal }, async (sim) => {
        expect((await call(sim.baseUrl, 'POST', RETRY('kycsim-user-nobody'))).json).toMatchObject({
          message: 'USER_NOT_FOUND',
        });
      });
  });

  it('refuses unknown variant names when starting', async () => {
    await expect(startPluSimulator({ retryRefusal: 'code-c' as never })).rejects.toThrow('retryRefusal');
    await expect(startPluSimulator({ pageLimitCap: 0 })).rejects.toThrow('pageLimitCap');
  });
});

describe('plu simulator variants: a reused idempotency-key (keyReuseRefusal)', () => {
  it.each([
    ['generic-code', { status: 'error', message: 'BAD_REQUEST' }],
    ['named-code', { status: 'error', message: 'IDEMPOTENCY_KEY_REUSED' }],
  ] as const)('%s: 400 with %j', async (variant, body) => {
    await withSimulator({ keyReuseRefusal: variant }, async (sim) => {
      const key = 'b0d1a1f8-6a3e-4c55-9a30-7f1f0c2c0099';
      const ref = await createdUser(sim.baseUrl, email('key'));
      await sim.setUserState(ref, 'denied');
      expect((await call(sim.baseUrl, 'POST', RETRY(ref), { idempotencyKey: key })).status).toBe(200);
      await sim.setUserState(ref, 'denied');
      const again = await call(sim.baseUrl, 'POST', RETRY(ref), { idempotencyKey: key });
      expect([again.status, again.json]).toEqual([400, expect.objectContaining(body)]);
    });
  });

  it('bare-400: an empty 400', async () => {
    await withSimulator({ keyReuseRefusal: 'bare-400' }, async (sim) => {
      const key = 'b0d1a1f8-6a3e-4c55-9a30-7f1f0c2c0098';
      const ref = await createdUser(sim.baseUrl, email('key'));
      await sim.setUserState(ref, 'denied');
      await call(sim.baseUrl, 'POST', RETRY(ref), { idempotencyKey: key });
      await sim.setUserState(ref, 'denied');
      expect(await call(sim.baseUrl, 'POST', RETRY(ref), { idempotencyKey: key })).toMatchObject({
        status: 400,
        text: '',
      });
    });
  });
});

describe('plu simulator variants: paging (pageLimitCap, omitTotal)', () => {
  it('caps pages at pageLimitCap whatever limit asks, and leaves total out with omitTotal', async () => {
    await withSimulator({ pageLimitCap: 50, omitTotal: true }, async (sim) => {
      for (let index = 0; index < 60; index += 1) await createdUser(sim.baseUrl, email('page'));
      const first = await call(sim.baseUrl, 'GET', `${LIST}?skip=0&limit=100`);
      const page = (first.json as { data: { users: unknown[]; pagination: Record<string, unknown> } }).data;
      expect(page.users).toHaveLength(50);
      expect(page.pagination).toEqual({ skip: 0, limit: 50 });
      const second = await call(sim.baseUrl, 'GET', `${LIST}?skip=50&limit=100`);
      expect((second.json as { data: { users: unknown[] } }).data.users).toHaveLength(10);
      const past = await call(sim.baseUrl, 'GET', `${LIST}?skip=60&limit=100`);
      expect((past.json as { data: { users: unknown[] } }).data.users).toHaveLength(0);
    });
  });
});

describe('plu simulator variants: webhook signature schemes (signatureScheme)', () => {
  let receiver: Receiver;
  const clock = Date.parse('2026-05-01T10:00:00.000Z');
  const seconds = String(clock / 1000);
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(() => {
    receiver.received.length = 0;
  });

  async function delivered(options: PluSimulatorOptions) {
    let settings: Record<string, string> = {};
    await withSimulator({ ...options, webhookUrl: receiver.url, now: () => clock }, async (sim) => {
      settings = { ...sim.adapterSettings } as Record<string, string>;
      await sim.completeHostedFlow(await createdUser(sim.baseUrl, email('signed')));
      await sim.webhooksIdle();
    });
    const delivery = receiver.received[0];
    if (delivery === undefined) throw new Error('no delivery');
    return { headers: delivery.headers, rawBody: delivery.rawBody, settings };
  }

  it('x-webhook-signature (default): hex HMAC-SHA256 of the raw body, key = the secret as-is', async () => {
    const { headers, rawBody, settings } = await delivered({});
    expect(settings.webhookSecret).toBe(PLU_SIMULATOR_WEBHOOK_SECRET);
    expect(headers['x-webhook-signature']).toBe(
      createHmac('sha256', PLU_SIMULATOR_WEBHOOK_SECRET).update(rawBody).digest('hex'),
    );
  });

  it.each(['standard-webhooks', 'svix'] as const)(
    '%s: id, unix timestamp, v1,<base64> over id.timestamp.body with the base64-decoded secret',
    async (scheme) => {
      const { headers, rawBody, settings } = await delivered({ signatureScheme: scheme });
      const prefix = scheme === 'svix' ? 'svix' : 'webhook';
      expect(settings.webhookSecret).toBe(PLU_SIMULATOR_BASE64_WEBHOOK_SECRET);
      const key = Buffer.from(PLU_SIMULATOR_BASE64_WEBHOOK_SECRET.slice('whsec_'.length), 'base64');
      const id = headers[`${prefix}-id`] as string;
      expect(id).toMatch(/^msg_/);
      expect(headers[`${prefix}-timestamp`]).toBe(seconds);
      const expected = createHmac('sha256', key).update(`${id}.${seconds}.${rawBody}`).digest('base64');
      expect(headers[`${prefix}-signature`]).toBe(`v1,${expected}`);
      expect(headers).not.toHaveProperty('x-webhook-signature');
    },
  );

  it('timestamped: Plu-Signature t=<unix>,v1=<hex> over t.body, key = the secret as-is', async () => {
    const { headers, rawBody } = await delivered({ signatureScheme: 'timestamped' });
    const expected = createHmac('sha256', PLU_SIMULATOR_WEBHOOK_SECRET)
      .update(`${seconds}.${rawBody}`)
      .digest('hex');
    expect(headers['plu-signature']).toBe(`t=${seconds},v1=${expected}`);
  });
});
