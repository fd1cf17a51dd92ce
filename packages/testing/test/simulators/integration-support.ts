/** Shared helpers of the simulator integration tests (not a test file). */
import { KYC_TOKENS } from '@kycport/core';
import type { KycError, KycProvider } from '@kycport/core';
import { createKycContainer, resolveKyc } from '@kycport/container';
import type { Either } from 'fp-ts/Either';
import { countingObserver } from '../../src';
import type { ProviderSimulator, SimulatedProviderId } from '../../src/simulators';

/** The adapter for `provider`, wired through the container against the simulator, with a call counter. */
export function wireThroughContainer(
  provider: SimulatedProviderId,
  sim: Pick<ProviderSimulator, 'adapterSettings'>,
  overrides: Record<string, unknown> = {},
) {
  const observer = countingObserver();
  const container = createKycContainer(
    { provider, [provider]: { ...sim.adapterSettings, ...overrides } },
    { observer },
  );
  const port = resolveKyc(container, KYC_TOKENS.KycProvider);
  const webhooks = resolveKyc(container, KYC_TOKENS.KycWebhookHandler);
  return {
    provider: port,
    webhooks,
    observer,
    close: () => (port as KycProvider & { close?: () => void }).close?.(),
  };
}

export function right<T>(result: Either<KycError, T>): T {
  if (result._tag === 'Left')
    throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

export function left<T>(result: Either<KycError, T>): KycError {
  if (result._tag === 'Right') throw new Error('expected a KycError');
  return result.left;
}
