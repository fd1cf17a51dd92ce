import * as E from 'fp-ts/Either';
import { KycException } from '@kycport/core';
import type { KycProvider } from '@kycport/core';
import { createP100Provider, p100Adapter } from '../src';
import type { P100Config } from '../src';

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

  it('validates a configuration once: createProvider throws a config KycException, create takes a validated one as is', () => {
    const invalid = { apiKey: '' } as P100Config;
    let thrown: unknown;
    try {
      createP100Provider(invalid);
    } catch (error) {
      thrown = error;
    }
    expect(thrown instanceof KycException && thrown.error.kind).toBe('config');
    // `create` is only handed what parseConfig or configFromEnv returned: it does not decode again.
    expect(() => p100Adapter.create(invalid).close()).not.toThrow();
  });
});
