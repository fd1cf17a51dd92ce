import * as E from 'fp-ts/Either';
import { KYC_TOKENS } from '@kycport/core';
import type { KycProvider } from '@kycport/core';
// The container is not a dependency of this package; jest's module mapper resolves it from the workspace
// so this test can pin that KYC_PROVIDER=p100 loads `p100Adapter` by its export name.
import { createKycContainer, kycConfigFromEnv, resolveKyc } from '@kycport/container';
import { p100Adapter } from '../src';

describe('p100Adapter', () => {
  it('lists its environment variables, marking the key and webhook token secret', () => {
    const secret = p100Adapter.environmentVariables
      .filter((variable) => variable.secret)
      .map((variable) => variable.name);
    expect(p100Adapter.id).toBe('p100');
    expect(secret).toEqual(['P100_API_KEY', 'P100_WEBHOOK_TOKEN']);
  });

  it('creates a provider and its webhook handler', () => {
    const config = p100Adapter.parseConfig({ apiKey: 'key', kycMethod: 'document_upload' });
    if (E.isLeft(config)) throw new Error(config.left.message);
    const { provider, webhooks } = p100Adapter.create(config.right);
    expect([provider.id, webhooks.provider, provider.capabilities.hostedFlow]).toEqual([
      'p100',
      'p100',
      false,
    ]);
    (provider as KycProvider & { close(): void }).close();
  });

  it('is wired by the container with KYC_PROVIDER=p100', () => {
    const config = kycConfigFromEnv({
      KYC_PROVIDER: 'p100',
      P100_API_KEY: 'key',
      P100_ENVIRONMENT: 'production',
    });
    if (E.isLeft(config)) throw new Error(config.left.message);
    const container = createKycContainer(config.right);
    const provider = resolveKyc(container, KYC_TOKENS.KycProvider);
    expect(provider.id).toBe('p100');
    expect(provider.capabilities.retryStrategies).toEqual(['auto']);
    (provider as KycProvider & { close(): void }).close();
  });
});
