/**
 * A NestJS host onboarding one user against the Plu simulator, end to end: the module provides the
 * tracker; the user is created, completes the hosted flow on the simulator, the simulator delivers
 * the signed webhook to `POST /webhooks/plu` (Nest's raw body, through `@kycport/nestjs`), and the
 * status is read back from the store.
 */
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as E from 'fp-ts/Either';
import { readUserRef } from '@kycport/core';
import type { KycAdapterDefinition, StateChange } from '@kycport/core';
import { KYC_NEST_TOKENS, KycModule } from '@kycport/nestjs';
import { pluAdapter } from '@kycport/plu';
import { startPluSimulator } from '@kycport/simulators';
import { createMemoryKycStore } from '@kycport/tracker';
import type { KycTracker } from '@kycport/tracker';

/** What one run did. */
export interface ExampleSummary {
  readonly webhookUrl: string;
  readonly created: string;
  readonly webhookAnswers: number[];
  readonly final: string;
  readonly changes: string[];
}

/** Runs the onboarding and shuts everything down. */
export async function runExample(log: (line: string) => void = console.log): Promise<ExampleSummary> {
  const sim = await startPluSimulator({});
  const changes: StateChange[] = [];
  const kyc = KycModule.forRoot({
    config: { provider: 'plu', plu: sim.adapterSettings },
    adapters: [pluAdapter as unknown as KycAdapterDefinition<unknown>],
    store: createMemoryKycStore(),
    tracker: { onStateChange: (change) => void changes.push(change) },
  });
  class AppModule {}
  Module({ imports: [kyc] })(AppModule);
  const app = await NestFactory.create(AppModule, { rawBody: true, logger: false });
  app.enableShutdownHooks();
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const webhookUrl = `http://127.0.0.1:${port}/webhooks/plu`;
    sim.setWebhookUrl(webhookUrl);
    log(`Nest host listening; webhooks at ${webhookUrl}`);
    const tracker = app.get<KycTracker>(KYC_NEST_TOKENS.KycTracker);
    const created = await tracker.createUser({
      applicant: {
        externalId: 'example-nest-1',
        name: { given: 'Jane', family: 'Doe' },
        email: 'jane@example.com',
        phone: '+14155555555',
        dateOfBirth: '1990-05-15',
        address: {
          line1: '1 Main St',
          city: 'San Francisco',
          region: 'CA',
          postalCode: '94105',
          country: 'US',
        },
        nationality: 'US',
        ipAddress: '203.0.113.42',
        termsAccepted: true,
      },
      providerOptions: { plu: { program: 'custodial', accountPurpose: 'personal use' } },
    })();
    if (E.isLeft(created)) throw new Error(`createUser failed: ${created.left.kind}`);
    const ref = created.right.userRef;
    log(`created ${ref}: ${created.right.state.status}`);
    await sim.completeHostedFlow(readUserRef(ref).id, 'approved');
    await sim.webhooksIdle();
    await tracker.drainOutbox()();
    const status = await tracker.getStatus(ref, { maxAgeMs: 60_000 })();
    if (E.isLeft(status)) throw new Error(`getStatus failed: ${status.left.kind}`);
    const webhookAnswers = sim.webhookDeliveries.flatMap((delivery) => delivery.attempts);
    log(
      `webhook answers: ${webhookAnswers.join(', ')}; status from ${status.right.from}: ${status.right.state.status}`,
    );
    return {
      webhookUrl,
      created: created.right.state.status,
      webhookAnswers,
      final: status.right.state.status,
      changes: changes.map((change) => `${change.previousStatus ?? '-'} -> ${change.state.status}`),
    };
  } finally {
    await app.close();
    await sim.close();
  }
}

if (require.main === module) {
  runExample().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
