/**
 * The plugin's other answers, in a real Fastify app on loopback with Plu's simulator signing:
 * without a tracker (a plain handler, TaskEither or Promise), body limits, other parsers in front,
 * a tracker or logger that throws, and a property: any unsigned request is answered 401 and
 * records nothing, whatever its bytes and content type.
 */
import * as fc from 'fast-check';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { toPromiseWebhookHandler } from '@kycport/core';
import type { KycEvent, KycProviderWithWebhooks } from '@kycport/core';
import { startWebhookRecorder } from '@kycport/simulators';
import type { ProviderSimulator, ReceivedWebhook, WebhookRecorder } from '@kycport/simulators';
import { kycWebhooks } from '@kycport/fastify';
import type { KycWebhooksPluginOptions, WebhookLogEntry } from '@kycport/fastify';
import { CASES, applicant, bare, post, providerFor, trackedSetup } from '@kycport/integration-kit';

const plu = CASES.find((entry) => entry.id === 'plu')!;

let sim: ProviderSimulator;
let kyc: KycProviderWithWebhooks;
let recorder: WebhookRecorder;
let delivery: ReceivedWebhook;
const servers: FastifyInstance[] = [];

async function host(setup: (app: FastifyInstance) => Promise<void>): Promise<string> {
  const app = Fastify();
  await setup(app);
  servers.push(app);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const routed = (options: KycWebhooksPluginOptions) =>
  host(async (app) => {
    await app.register(kycWebhooks, options);
  });

beforeAll(async () => {
  recorder = await startWebhookRecorder('/webhooks/plu');
  sim = await plu.start({ webhookUrl: recorder.url });
  kyc = providerFor(plu.adapter, sim);
  const created = await kyc.createUser(applicant('fastify-unit-1'))();
  if (created._tag === 'Left') throw new Error(created.left.message);
  await sim.completeHostedFlow(bare(created.right.userRef), 'approved');
  await sim.webhooksIdle();
  delivery = recorder.received.at(-1)!;
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await sim?.close();
  await recorder?.close();
  kyc?.close();
});

describe('without a tracker (a plain webhook handler)', () => {
  it.each([
    ['TaskEither', () => kyc.webhooks],
    ['Promise', () => toPromiseWebhookHandler(kyc.webhooks)],
  ])('verifies with a %s handler: 200 and onEvent for authentic, 401 for forged', async (_, handler) => {
    const events: KycEvent[] = [];
    const base = await routed({ webhooks: handler(), onEvent: (event) => void events.push(event) });
    expect(await post(`${base}/webhooks/plu`, delivery.headers, delivery.rawBody)).toEqual({
      status: 200,
      body: { outcome: 'accepted' },
    });
    expect(events.map((event) => event.provider)).toEqual(['plu']);
    const forged = JSON.stringify({ ...(JSON.parse(delivery.rawBody) as object), forged: true });
    expect((await post(`${base}/webhooks/plu`, delivery.headers, forged)).status).toBe(401);
    expect((await post(`${base}/webhooks/plaid`, delivery.headers, delivery.rawBody)).status).toBe(401);
    expect(events).toHaveLength(1);
  });

  it('answers 503 when onEvent throws, so the provider re-delivers', async () => {
    const base = await routed({
      webhooks: kyc.webhooks,
      onEvent: async () => {
        throw new Error('host database down');
      },
    });
    expect(await post(`${base}/webhooks/plu`, delivery.headers, delivery.rawBody)).toEqual({
      status: 503,
      body: { outcome: 'retry_later', error: 'internal' },
    });
  });
});

describe('bodies', () => {
  it('answers 413 above the limit without calling the tracker', async () => {
    const setup = trackedSetup(kyc);
    const base = await routed({ tracker: setup.counted, bodyLimit: 64 });
    expect(await post(`${base}/webhooks/plu`, delivery.headers, delivery.rawBody)).toEqual({
      status: 413,
      body: { outcome: 'payload_too_large' },
    });
    expect(setup.calls.ingest).toBe(0);
  });

  it('verifies an empty body (401); the host JSON routes and the decorator stay visible', async () => {
    const setup = trackedSetup(kyc);
    let path = '';
    const base = await host(async (app) => {
      await app.register(kycWebhooks, { tracker: setup.counted, path: '/hooks/:provider' });
      app.post('/echo', async (request) => ({ parsed: request.body as unknown }));
      path = app.kycWebhooks.path;
      const answer = await app.kycWebhooks.handle({ provider: 'plu', headers: {}, rawBody: '{}' });
      expect(answer.status).toBe(401);
    });
    expect(path).toBe('/hooks/:provider');
    expect((await post(`${base}/hooks/plu`, {}, '')).status).toBe(401);
    expect(await post(`${base}/hooks/plu`, delivery.headers, delivery.rawBody)).toEqual({
      status: 200,
      body: { outcome: 'accepted' },
    });
    expect(await post(`${base}/echo`, { 'content-type': 'application/json' }, '{"a":1}')).toEqual({
      status: 200,
      body: { parsed: { a: 1 } },
    });
    // The plugin's catch-all parser does not leak: the host still refuses what it has no parser for.
    expect((await post(`${base}/echo`, { 'content-type': 'application/octet-stream' }, 'x')).status).toBe(
      415,
    );
  });
});

describe('never throws into Fastify', () => {
  it('answers 503 when the tracker throws, and ignores a logger that throws', async () => {
    const base = await routed({
      tracker: {
        ingestWebhook: () => () => Promise.reject(new Error('boom')),
      },
      log: () => {
        throw new Error('logger down');
      },
    });
    expect(await post(`${base}/webhooks/plu`, delivery.headers, delivery.rawBody)).toEqual({
      status: 503,
      body: { outcome: 'retry_later', error: 'internal' },
    });
  });

  it('answers any unsigned request 401 and records nothing, whatever its bytes and content type', async () => {
    const setup = trackedSetup(kyc);
    const entries: WebhookLogEntry[] = [];
    const base = await routed({ tracker: setup.counted, log: (entry) => entries.push(entry) });
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/octet-stream',
        ),
        fc.constantFrom('plu', 'p100', 'plaid', 'unknown-provider'),
        async (body, contentType, provider) => {
          const answer = await post(`${base}/webhooks/${provider}`, { 'content-type': contentType }, body);
          expect(answer).toEqual({ status: 401, body: { outcome: 'rejected', error: 'webhook_rejected' } });
        },
      ),
      { numRuns: 50 },
    );
    expect(setup.changes).toEqual([]);
    expect(new Set(entries.map((entry) => `${entry.outcome} ${entry.status}`))).toEqual(
      new Set(['rejected 401']),
    );
    // The log never carries a header or a body: only these three keys.
    for (const entry of entries) expect(Object.keys(entry).sort()).toEqual(['outcome', 'provider', 'status']);
  });
});
