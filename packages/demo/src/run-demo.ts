/**
 * The demo host app's work, separate from process concerns so tests can run it: open the tracker's
 * database (PGlite in memory, or the server in `KYC_DATABASE_URL`), then for each provider wire the
 * container from environment variables (a simulator's, by default), put a tracker over it, route
 * the webhook endpoint to the tracker, walk the onboarding and summarise.
 */
import * as E from 'fp-ts/Either';
import { KYC_TOKENS } from '@kycport/core';
import type { Environment, KycStore } from '@kycport/core';
import { closeKycContainer, createKycContainer, kycConfigFromEnv, resolveKyc } from '@kycport/container';
import { isSimulatedProvider, startSimulator } from '@kycport/simulators';
import type { ProviderSimulator } from '@kycport/simulators';
import { createPostgresKycStore } from '@kycport/store-postgres';
import type { FakeKycProvider } from '@kycport/testing';
import { openDemoDatabase } from './database';
import type { DemoDatabase } from './database';
import { demoApplicant, demoRetryOptions, demoSimulatorOptions } from './demo-applicant';
import { createDemoTracker } from './demo-tracker';
import { fakeDriver, personDriver, simulatorDriver } from './drivers';
import { walkOnboarding } from './onboarding';
import type { HostedFlowDriver, OnboardingSummary } from './onboarding';
import { consoleTimeline } from './timeline';
import { runSwitchScene } from './switch-scene';
import { startWebhookReceiver } from './webhook-receiver';
import type { WebhookReceiver } from './webhook-receiver';

export interface DemoOptions {
  /** The host's environment. `KYC_PROVIDER` picks one provider (default: plu, p100 and plaid in turn). */
  readonly env: Environment;
  readonly write: (line: string) => void;
  /**
   * The tracker's database, migrated, opened and closed by the caller (tests read the store after
   * the run). Default: `openDemoDatabase(env)`, closed at the end of the run.
   */
  readonly database?: DemoDatabase;
}

interface SceneContext {
  readonly env: Environment;
  readonly write: (line: string) => void;
  readonly store: KycStore;
  readonly receiver: WebhookReceiver;
}

/** `KYC_DEMO_SIMULATE=false` uses the environment as given (a real staging account) instead of simulators. */
function simulate(env: Environment): boolean {
  return !['0', 'false', 'no'].includes((env.KYC_DEMO_SIMULATE ?? 'true').toLowerCase());
}

async function summarise(summary: OnboardingSummary, store: KycStore): Promise<string> {
  const tracked = await store.get(summary.userRef);
  const again = summary.redelivery;
  const redelivery = again
    ? `; re-delivered webhook: ${again.outcome}${again.outcome === 'accepted' ? ` (${again.applied})` : ''}`
    : '';
  return (
    `== ${summary.provider}: ${summary.statuses.join(' -> ')}; store: ${tracked?.state.status ?? 'nothing'} ` +
    `(v${tracked?.version ?? 0}), ${summary.changeIds.length} changes to onStateChange${redelivery}`
  );
}

/** One provider: its simulator (or the environment as given), a tracker on the shared store, the onboarding. */
async function runProviderScene(provider: string, context: SceneContext): Promise<OnboardingSummary> {
  const { env, write, store, receiver } = context;
  let simulator: ProviderSimulator | undefined;
  let providerEnv: Environment = env;
  if (simulate(env) && isSimulatedProvider(provider)) {
    simulator = await startSimulator(provider, {
      webhookUrl: receiver.urlFor(provider),
      ...demoSimulatorOptions(provider),
    });
    providerEnv = { ...env, ...simulator.environment };
    write(`\n== ${provider}: simulator at ${simulator.baseUrl}, webhooks to ${receiver.urlFor(provider)}`);
  } else {
    write(
      `\n== ${provider}: ${provider === 'fake' ? 'in-memory fake provider' : 'configured from the environment'}, webhooks to ${receiver.urlFor(provider)}`,
    );
  }
  try {
    const config = kycConfigFromEnv({ ...providerEnv, KYC_PROVIDER: provider });
    if (E.isLeft(config)) throw new Error(`configuration error: ${config.left.message}`);
    const container = createKycContainer(config.right);
    const timeline = consoleTimeline(provider, write);
    const kyc = resolveKyc(container, KYC_TOKENS.KycProvider);
    const webhooks = resolveKyc(container, KYC_TOKENS.KycWebhookHandler);
    const demo = createDemoTracker({ kyc, webhooks, store, report: timeline });
    receiver.register(provider, demo.intake(provider));
    try {
      const driver: HostedFlowDriver = simulator
        ? simulatorDriver(simulator, receiver, provider)
        : provider === 'fake'
          ? fakeDriver(kyc as FakeKycProvider, receiver, provider)
          : personDriver(write);
      const summary = await walkOnboarding(
        demo,
        driver,
        demoApplicant(provider, `${Date.now()}`),
        timeline,
        demoRetryOptions(),
      );
      write(await summarise(summary, store));
      return summary;
    } finally {
      await demo.stop();
      closeKycContainer(container);
    }
  } finally {
    await simulator?.close();
  }
}

export async function runDemo(options: DemoOptions): Promise<ReadonlyArray<OnboardingSummary>> {
  const { env, write } = options;
  const providers = env.KYC_PROVIDER ? [env.KYC_PROVIDER] : ['plu', 'p100', 'plaid'];
  const database = options.database ?? (await openDemoDatabase(env));
  write(`tracker store: ${database.description}`);
  const summaries: OnboardingSummary[] = [];
  try {
    const store = createPostgresKycStore({ client: database.client });
    const receiver = await startWebhookReceiver(
      env.KYC_DEMO_WEBHOOK_PORT ? Number(env.KYC_DEMO_WEBHOOK_PORT) : 0,
    );
    try {
      for (const provider of providers) {
        summaries.push(await runProviderScene(provider, { env, write, store, receiver }));
      }
      // The full run (no KYC_PROVIDER, simulators) ends with the provider switch scene.
      if (!env.KYC_PROVIDER && simulate(env)) await runSwitchScene(receiver, store, write);
    } finally {
      await receiver.close();
    }
    if (receiver.rejected.length > 0)
      write(
        `\nrejected webhook deliveries: ${receiver.rejected.map((entry) => `${entry.provider}/${entry.kind}`).join(', ')}`,
      );
    if (receiver.retryLater.length > 0)
      write(`\nwebhook deliveries answered retry-later (re-delivered): ${receiver.retryLater.length}`);
  } finally {
    if (options.database === undefined) await database.close();
  }
  return summaries;
}
