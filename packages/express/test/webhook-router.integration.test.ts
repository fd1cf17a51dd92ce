/**
 * `kycWebhookRouter` in a real Express 5 app listening on loopback, with the Plu, P100 and Plaid
 * simulators delivering signed webhooks in three byte layouts (indented, alternate, compact):
 * authentic deliveries accepted once, re-deliveries without a second change, forgeries 401, a global
 * JSON parser in front a 500 configuration error that never reaches the tracker, a store outage 503
 * until the provider's re-delivery succeeds.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Express } from 'express';
import type { KycProviderWithWebhooks } from '@kycport/core';
import { startWebhookRecorder } from '@kycport/simulators';
import type { ProviderSimulator, ReceivedWebhook, WebhookRecorder } from '@kycport/simulators';
import { ALREADY_PARSED_MESSAGE, kycWebhookRouter } from '@kycport/express';
import type { WebhookLogEntry } from '@kycport/express';
import { CASES, applicant, bare, post, providerFor, trackedSetup, until } from '@kycport/integration-kit';

async function listen(app: Express): Promise<{ server: Server; base: string }> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server | undefined) =>
  new Promise<void>((resolve) => {
    if (server === undefined) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });

let counter = 0;

describe.each(CASES)(
  'kycWebhookRouter with the $id simulator ($layout bodies)',
  ({ id, layout, start, adapter }) => {
    let sim: ProviderSimulator;
    let kyc: KycProviderWithWebhooks;
    let setup: ReturnType<typeof trackedSetup>;
    let server: Server;
    let base: string;
    const log: WebhookLogEntry[] = [];
    let recorder: WebhookRecorder;

    beforeAll(async () => {
      sim = await start({ webhookLayout: layout, webhookRetryDelaysMs: [30, 30, 30, 30, 30, 30, 30, 30] });
      kyc = providerFor(adapter, sim);
      setup = trackedSetup(kyc);
      const app = express();
      // The documented order: the webhook router first, the host's JSON parser after it.
      app.use(kycWebhookRouter({ tracker: setup.counted, log: (entry) => log.push(entry) }));
      app.use(express.json());
      app.post('/echo', (request, response) => void response.json({ parsed: request.body as unknown }));
      ({ server, base } = await listen(app));
      sim.setWebhookUrl(`${base}/webhooks/${id}`);
      recorder = await startWebhookRecorder(`/webhooks/${id}`);
    });
    afterEach(async () => {
      await sim.webhooksIdle();
      setup.control.down = false;
      sim.setWebhookUrl(`${base}/webhooks/${id}`);
    });
    afterAll(async () => {
      await sim?.close();
      kyc?.close();
      await setup?.tracker.stop();
      await recorder?.close();
      await close(server);
    });

    /** Creates a user and completes its flow through the simulator; resolves once the webhooks are answered. */
    async function onboard(outcome: 'approved' | 'denied' = 'approved') {
      const created = await kyc.createUser(applicant(`${id}-express-${++counter}`))();
      if (created._tag === 'Left') throw new Error(created.left.message);
      const ref = created.right.userRef;
      const before = await setup.tracker.store.get(ref);
      await sim.completeHostedFlow(bare(ref), outcome);
      await sim.webhooksIdle();
      return { ref, before: before?.version ?? 0 };
    }

    it('accepts an authentic delivery once: one state change in the store and the outbox', async () => {
      const ingestsBefore = setup.calls.ingest;
      const { ref, before } = await onboard('approved');
      const deliveries = sim.webhookDeliveries.filter((delivery) => delivery.attempts.length > 0);
      expect(deliveries.at(-1)?.attempts).toEqual([200]);
      expect(setup.calls.ingest).toBeGreaterThan(ingestsBefore);
      const stored = await setup.tracker.store.get(ref);
      expect(stored?.state.status).toBe('approved');
      expect(stored?.version).toBe(before + 1);
      await until(() => setup.changes.some((change) => change.ref === ref));
      expect(setup.changes.filter((change) => change.ref === ref)).toHaveLength(1);
      expect(log.at(-1)).toEqual({
        provider: id,
        outcome: expect.stringMatching(/accepted|duplicate/),
        status: 200,
      });
      if (layout === 'indented') expect(deliveries.at(-1)?.rawBodies[0]).toContain('\n  ');
    });

    it('answers a re-delivery 200 without a second state change (other bytes with the alternate layout)', async () => {
      const { ref } = await onboard('approved');
      await until(() => setup.changes.some((change) => change.ref === ref));
      const version = (await setup.tracker.store.get(ref))?.version;
      const last = sim.webhookDeliveries.at(-1)!;
      const record = await sim.redeliverWebhook(last.id);
      expect(record.attempts.at(-1)).toBe(200);
      if (layout === 'alternate') expect(record.rawBodies.at(-1)).not.toBe(record.rawBodies[0]);
      expect((await setup.tracker.store.get(ref))?.version).toBe(version);
      await setup.tracker.idle();
      expect(setup.changes.filter((change) => change.ref === ref)).toHaveLength(1);
      // Plu's exact key makes it a duplicate; P100's and Plaid's weak keys are re-read: unchanged.
      expect(log.at(-1)).toEqual({
        provider: id,
        outcome: id === 'plu' ? 'duplicate' : 'accepted',
        status: 200,
      });
    });

    describe('with a delivery captured on the way', () => {
      let captured: ReceivedWebhook;
      let ref: string;
      beforeAll(async () => {
        sim.setWebhookUrl(recorder.url);
        recorder.received.length = 0;
        const created = await kyc.createUser(applicant(`${id}-express-${++counter}`))();
        if (created._tag === 'Left') throw new Error(created.left.message);
        ref = created.right.userRef;
        await sim.completeHostedFlow(bare(created.right.userRef), 'approved');
        await sim.webhooksIdle();
        captured = recorder.received.at(-1)!;
        sim.setWebhookUrl(`${base}/webhooks/${id}`);
      });

      it('answers a forged delivery 401 and records nothing', async () => {
        const before = setup.tracker.store.get(ref as never);
        // Plu and Plaid sign the body: a changed byte is a forgery. P100 sends a shared token: a wrong one.
        const tampered = JSON.stringify({ ...(JSON.parse(captured.rawBody) as object), forged: true });
        const forged =
          id === 'p100'
            ? {
                headers: { ...captured.headers, authorization: 'Bearer forged-token' },
                body: captured.rawBody,
              }
            : { headers: captured.headers, body: tampered };
        const withoutSignature = Object.fromEntries(
          Object.entries(captured.headers).filter(([name]) => name === 'content-type'),
        );
        expect((await post(`${base}/webhooks/${id}`, forged.headers, forged.body)).status).toBe(401);
        expect(await post(`${base}/webhooks/${id}`, withoutSignature, captured.rawBody)).toEqual({
          status: 401,
          body: { outcome: 'rejected', error: 'webhook_rejected' },
        });
        expect(await setup.tracker.store.get(ref as never)).toEqual(await before);
        expect(log.at(-1)).toEqual({ provider: id, outcome: 'rejected', status: 401 });
        // Another provider's path: its handler is not this one.
        const other = id === 'plu' ? 'plaid' : 'plu';
        expect((await post(`${base}/webhooks/${other}`, captured.headers, captured.rawBody)).status).toBe(
          401,
        );
      });

      it('takes the captured authentic delivery when posted as is (the capture is sound)', async () => {
        const answer = await post(`${base}/webhooks/${id}`, captured.headers, captured.rawBody);
        expect(answer.status).toBe(200);
        expect((await setup.tracker.store.get(ref as never))?.state.status).toBe('approved');
      });

      it('answers 500 configuration error behind a global express.json(), never calling the tracker', async () => {
        const misconfigured = express();
        misconfigured.use(express.json());
        const own = trackedSetup(kyc);
        const entries: WebhookLogEntry[] = [];
        misconfigured.use(kycWebhookRouter({ tracker: own.counted, log: (entry) => entries.push(entry) }));
        const host = await listen(misconfigured);
        try {
          const answer = await post(`${host.base}/webhooks/${id}`, captured.headers, captured.rawBody);
          expect(answer).toEqual({
            status: 500,
            body: {
              outcome: 'configuration_error',
              error: 'body_already_parsed',
              message: ALREADY_PARSED_MESSAGE,
            },
          });
          expect(own.calls.ingest).toBe(0);
          expect(entries).toEqual([{ provider: id, outcome: 'configuration_error', status: 500 }]);
          // The same through the simulator: every attempt is answered 500, nothing is recorded.
          sim.setWebhookUrl(`${host.base}/webhooks/${id}`);
          const { ref: other } = await onboard('approved');
          expect(sim.webhookDeliveries.at(-1)?.attempts.every((status) => status === 500)).toBe(true);
          expect(own.calls.ingest).toBe(0);
          expect(await own.tracker.store.get(other)).toBeUndefined();
        } finally {
          await own.tracker.stop();
          await close(host.server);
        }
      });
    });

    it('answers 503 while the store is down, and the provider re-delivery is applied once it is back', async () => {
      const created = await kyc.createUser(applicant(`${id}-express-${++counter}`))();
      if (created._tag === 'Left') throw new Error(created.left.message);
      const ref = created.right.userRef;
      setup.control.down = true;
      const deliveriesBefore = sim.webhookDeliveries.length;
      await sim.completeHostedFlow(bare(ref), 'approved');
      await until(() => (sim.webhookDeliveries[deliveriesBefore]?.attempts.length ?? 0) > 0);
      expect(sim.webhookDeliveries[deliveriesBefore]?.attempts[0]).toBe(503);
      expect(log.some((entry) => entry.outcome === 'retry_later' && entry.status === 503)).toBe(true);
      setup.control.down = false;
      await sim.webhooksIdle();
      expect(sim.webhookDeliveries[deliveriesBefore]?.delivered).toBe(true);
      expect((await setup.tracker.store.get(ref))?.state.status).toBe('approved');
    });

    it('leaves the host JSON parser of its other routes alone', async () => {
      const answer = await post(`${base}/echo`, { 'content-type': 'application/json' }, '{"a":1}');
      expect(answer).toEqual({ status: 200, body: { parsed: { a: 1 } } });
    });
  },
);
