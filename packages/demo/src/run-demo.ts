/**
 * The demo host app's work, separate from process concerns so tests can run it: for each provider,
 * wire the container from environment variables (a simulator's, by default), register the webhook
 * endpoint, walk the onboarding and summarise.
 */
import * as E from 'fp-ts/Either';
import { KYC_TOKENS } from '@kycport/core';
import type { Environment } from '@kycport/core';
import { closeKycContainer, createKycContainer, kycConfigFromEnv, resolveKyc } from '@kycport/container';
import { isSimulatedProvider, startSimulator } from '@kycport/simulators';
import type { FakeKycProvider } from '@kycport/testing';
import type { ProviderSimulator } from '@kycport/simulators';
import { demoApplicant, demoRetryOptions, demoSimulatorOptions } from './demo-applicant';
import { fakeDriver, personDriver, simulatorDriver } from './drivers';
import { walkOnboarding } from './onboarding';
import type { HostedFlowDriver, OnboardingSummary } from './onboarding';
import { consoleTimeline } from './timeline';
import { runSwitchScene } from './switch-scene';
import { startWebhookReceiver } from './webhook-receiver';

export interface DemoOptions {
  /** The host's environment. `KYC_PROVIDER` picks one provider (default: plu, p100 and plaid in turn). */
  readonly env: Environment;
  readonly write: (line: string) => void;
}

/** `KYC_DEMO_SIMULATE=false` uses the environment as given (a real staging account) instead of simulators. */
function simulate(env: Environment): boolean {
  return !['0', 'false', 'no'].includes((env.KYC_DEMO_SIMULATE ?? 'true').toLowerCase());
}

export async function runDemo(options: DemoOptions): Promise<ReadonlyArray<OnboardingSummary>> {
  const { env, write } = options;
  const providers = env.KYC_PROVIDER ? [env.KYC_PROVIDER] : ['plu', 'p100', 'plaid'];
  const receiver = await startWebhookReceiver(
    env.KYC_DEMO_WEBHOOK_PORT ? Number(env.KYC_DEMO_WEBHOOK_PORT) : 0,
  );
  const summaries: OnboardingSummary[] = [];
  try {
    for (const provider of providers) {
      let simulator: ProviderSimulator | undefined;
      let providerEnv: Environment = env;
      if (simulate(env) && isSimulatedProvider(provider)) {
        simulator = await startSimulator(provider, {
          webhookUrl: receiver.urlFor(provider),
          ...demoSimulatorOptions(provider),
        });
        providerEnv = { ...env, ...simulator.environment };
        write(
          `\n== ${provider}: simulator at ${simulator.baseUrl}, webhooks to ${receiver.urlFor(provider)}`,
        );
      } else {
        write(
          `\n== ${provider}: ${provider === 'fake' ? 'in-memory fake provider' : 'configured from the environment'}, webhooks to ${receiver.urlFor(provider)}`,
        );
      }
      try {
        const config = kycConfigFromEnv({ ...providerEnv, KYC_PROVIDER: provider });
        if (E.isLeft(config)) throw new Error(`configuration error: ${config.left.message}`);
        const container = createKycContainer(config.right);
        const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
        const timeline = consoleTimeline(provider, write);
        receiver.register(provider, resolveKyc(container, KYC_TOKENS.PromiseKycWebhookHandler), (event) =>
          timeline.event(event),
        );
        const driver: HostedFlowDriver = simulator
          ? simulatorDriver(simulator, receiver)
          : provider === 'fake'
            ? fakeDriver(
                resolveKyc(container, KYC_TOKENS.KycProvider) as FakeKycProvider,
                receiver.urlFor(provider),
                receiver,
              )
            : personDriver(receiver, write);
        const summary = await walkOnboarding(
          kyc,
          driver,
          demoApplicant(provider, `${Date.now()}`),
          timeline,
          demoRetryOptions(),
        );
        summaries.push(summary);
        write(`== ${provider}: ${summary.statuses.join(' -> ')}`);
        closeKycContainer(container);
      } finally {
        await simulator?.close();
      }
    }
    // The full run (no KYC_PROVIDER, simulators) ends with the provider switch scene.
    if (!env.KYC_PROVIDER && simulate(env)) await runSwitchScene(receiver, write);
  } finally {
    await receiver.close();
  }
  if (receiver.rejected.length > 0)
    write(
      `\nrejected webhook deliveries: ${receiver.rejected.map((entry) => `${entry.provider}/${entry.kind}`).join(', ')}`,
    );
  return summaries;
}
