/**
 * `KycModule` in a real Nest app (platform-express, 127.0.0.1:0) with the Plu simulator delivering
 * signed webhooks to `POST /webhooks/plu` in several byte layouts: authentic accepted once (the
 * store and its outbox show one change), duplicate without a second change, forged 401, an app
 * without `rawBody: true` answered 500 (the tracker never called), the store gone answered 503.
 */
import * as E from 'fp-ts/Either';
import type { INestApplication } from '@nestjs/common';
import { readUserRef } from '@kycport/core';
import type { PromiseKycProvider, UserRef } from '@kycport/core';
import { pluAdapter } from '@kycport/plu';
import { startPluSimulator, startWebhookRecorder } from '@kycport/simulators';
import type { ProviderSimulator, WebhookLayout, WebhookRecorder } from '@kycport/simulators';
import { createMemoryKycStore } from '@kycport/tracker';
import type { KycTracker, MemoryKycStore } from '@kycport/tracker';
import { KYC_NEST_TOKENS, KycModule, RAW_BODY_MISSING } from '@kycport/nestjs';
import { applicant, faultyStore, post } from '@kycport/integration-kit';
import { listen } from './support';

let sim: ProviderSimulator;
let recorder: WebhookRecorder;
let memory: MemoryKycStore;
let faulty: ReturnType<typeof faultyStore>;
let app: INestApplication;
let url: string;
let tracker: KycTracker;
let counter = 0;

beforeAll(async () => {
  recorder = await startWebhookRecorder('/webhooks/plu');
  sim = await startPluSimulator({ webhookRetryDelaysMs: [20, 20] });
  memory = createMemoryKycStore();
  faulty = faultyStore(memory);
  const module = KycModule.forRoot({
    config: { provider: 'plu', plu: sim.adapterSettings },
    adapters: [pluAdapter as never],
    store: faulty.store,
    tracker: { outbox: { drainAfterApply: false } },
  });
  ({ app, url } = await listen(module, true));
  sim.setWebhookUrl(`${url}/webhooks/plu`);
  tracker = app.get<KycTracker>(KYC_NEST_TOKENS.KycTracker);
});
afterEach(async () => {
  await sim.webhooksIdle();
  faulty.control.down = false;
  sim.setWebhookLayout('compact');
  sim.setWebhookUrl(`${url}/webhooks/plu`);
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
  await recorder?.close();
});

async function onboard(): Promise<UserRef> {
  const created = await tracker.createUser(applicant(`nest-${(counter += 1)}`))();
  if (E.isLeft(created)) throw new Error(created.left.message);
  return created.right.userRef;
}

const statusOf = async (ref: UserRef) => (await memory.get(ref))?.state.status;

describe('KycModule in a Nest app', () => {
  it('provides the ports under KYC_NEST_TOKENS', () => {
    const kyc = app.get<PromiseKycProvider>(KYC_NEST_TOKENS.PromiseKycProvider);
    expect(kyc.id).toBe('plu');
    expect(app.get(KYC_NEST_TOKENS.KycWebhookHandler).provider).toBe('plu');
  });

  it.each<WebhookLayout>(['compact', 'indented', 'alternate'])(
    '%s bytes: an authentic delivery is applied once; a re-delivery changes nothing',
    async (layout) => {
      sim.setWebhookLayout(layout);
      const ref = await onboard();
      const before = memory.size().outbox;
      await sim.completeHostedFlow(readUserRef(ref).id, 'approved');
      await sim.webhooksIdle();
      const deliveries = sim.webhookDeliveries.filter((delivery) =>
        delivery.rawBodies.some((b) => b.includes(readUserRef(ref).id)),
      );
      expect(deliveries.length).toBeGreaterThan(0);
      expect(deliveries.every((delivery) => delivery.attempts[0] === 200)).toBe(true);
      expect(await statusOf(ref)).toBe('approved');
      const changes = memory.size().outbox - before;
      expect(changes).toBeGreaterThanOrEqual(1);
      const version = (await memory.get(ref))?.version;
      for (const delivery of deliveries) await sim.redeliverWebhook(delivery.id);
      await sim.webhooksIdle();
      const again = sim.webhookDeliveries.filter((delivery) => deliveries.some((d) => d.id === delivery.id));
      expect(again.every((delivery) => delivery.attempts.at(-1) === 200)).toBe(true);
      if (layout === 'alternate') expect(again.some((d) => d.rawBodies[0] !== d.rawBodies.at(-1))).toBe(true);
      expect(memory.size().outbox - before).toBe(changes);
      expect((await memory.get(ref))?.version).toBe(version);
    },
  );

  it('a forged delivery is answered 401 and changes nothing', async () => {
    sim.setWebhookUrl(recorder.url);
    const ref = await onboard();
    await sim.completeHostedFlow(readUserRef(ref).id, 'approved');
    await sim.webhooksIdle();
    const [delivery] = recorder.received.splice(0);
    expect(delivery).toBeDefined();
    const forged = delivery!.rawBody.replace('approved', 'declined').replace('"', ' "');
    const answer = await post(`${url}/webhooks/plu`, delivery!.headers, forged);
    expect(answer).toEqual({ status: 401, body: { outcome: 'rejected' } });
    expect(await statusOf(ref)).not.toBe('approved');
    const authentic = await post(`${url}/webhooks/plu`, delivery!.headers, delivery!.rawBody);
    expect(authentic.status).toBe(200);
    expect(await statusOf(ref)).toBe('approved');
  });

  it('the store gone: answered 503 until it is back, then the re-delivery is applied', async () => {
    const ref = await onboard();
    faulty.control.down = true;
    await sim.completeHostedFlow(readUserRef(ref).id, 'approved');
    await sim.webhooksIdle();
    const failed = sim.webhookDeliveries.filter((d) =>
      d.rawBodies.some((b) => b.includes(readUserRef(ref).id)),
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.flatMap((d) => d.attempts)).toEqual(expect.arrayContaining([503]));
    expect(failed.every((d) => !d.delivered)).toBe(true);
    faulty.control.down = false;
    expect(await statusOf(ref)).not.toBe('approved');
    for (const delivery of failed) await sim.redeliverWebhook(delivery.id);
    await sim.webhooksIdle();
    expect(await statusOf(ref)).toBe('approved');
  });

  it('an unknown provider in the path is answered 404', async () => {
    const answer = await post(`${url}/webhooks/nope`, { 'content-type': 'application/json' }, '{}');
    expect(answer.status).toBe(404);
  });
});

describe('a Nest app created without rawBody: true', () => {
  it('answers the documented 500 configuration error and never calls the tracker', async () => {
    const store = faultyStore(createMemoryKycStore());
    const module = KycModule.forRoot({
      config: { provider: 'plu', plu: sim.adapterSettings },
      adapters: [pluAdapter as never],
      store: store.store,
    });
    const host = await listen(module, false);
    try {
      sim.setWebhookUrl(recorder.url);
      const ref = await onboard();
      await sim.completeHostedFlow(readUserRef(ref).id, 'approved');
      await sim.webhooksIdle();
      const [delivery] = recorder.received.splice(0);
      const answer = await post(`${host.url}/webhooks/plu`, delivery!.headers, delivery!.rawBody);
      expect(answer).toEqual({
        status: 500,
        body: { outcome: 'configuration_error', message: RAW_BODY_MISSING },
      });
      expect(store.control.applies).toBe(0);
    } finally {
      await host.app.close();
    }
  });
});
