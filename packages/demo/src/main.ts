/**
 * The demo host app. It wires kycport from the environment like a real back end would
 * (`KYC_PROVIDER` and that provider's variables) and walks one onboarding, printing a timeline.
 *
 *   pnpm demo                      # the in-memory fake provider
 *   KYC_PROVIDER=fake pnpm demo
 */
import 'reflect-metadata';
import * as E from 'fp-ts/Either';
import { KYC_TOKENS, KycException } from '@kycport/core';
import type { CreateUserInput } from '@kycport/core';
import { createKycContainer, kycConfigFromEnv, resolveKyc } from '@kycport/container';
import type { FakeKycProvider } from '@kycport/testing';
import { fakeDriver } from './fake-driver';
import { walkOnboarding } from './onboarding';
import { consoleTimeline } from './timeline';

function applicantFor(provider: string): CreateUserInput {
  return {
    applicant: {
      externalId: `demo-${provider}-${Date.now()}`,
      name: { given: 'Jane', family: 'Doe' },
      email: `jane.${Date.now()}@example.com`,
      phone: '+14155555555',
      dateOfBirth: '1990-05-15',
      address: {
        line1: '123 Main Street',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      nationality: 'US',
      ipAddress: '203.0.113.42',
      termsAccepted: true,
    },
  };
}

async function main(): Promise<number> {
  const env = { KYC_PROVIDER: 'fake', ...process.env };
  const config = kycConfigFromEnv(env);
  if (E.isLeft(config)) {
    console.error(`configuration error: ${config.left.message}`);
    return 2;
  }
  const container = createKycContainer(config.right);
  const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
  const webhooks = resolveKyc(container, KYC_TOKENS.PromiseKycWebhookHandler);
  const timeline = consoleTimeline(kyc.id);
  const driver = fakeDriver(resolveKyc(container, KYC_TOKENS.KycProvider) as FakeKycProvider, webhooks);
  const summary = await walkOnboarding(kyc, driver, applicantFor(kyc.id), timeline);
  console.log(`\n${summary.provider}: ${summary.statuses.join(' -> ')}`);
  return summary.finalStatus === 'approved' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      KycException.isInstance(error) ? `kycport error: [${error.kind}] ${error.error.message}` : error,
    );
    process.exitCode = 1;
  },
);
