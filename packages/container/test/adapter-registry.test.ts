/** The container's lists come from one registry, and closing never builds an adapter. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { KYC_TOKENS, defineKycAdapter } from '@kycport/core';
import {
  BUILT_IN_ADAPTERS,
  closeKycContainer,
  createKycContainer,
  kycConfigFromEnv,
  knownAdapterIds,
  registerKycAdapter,
  resolveKyc,
  unregisterKycAdapter,
} from '@kycport/container';
import { createFakeKycProvider, FakeConfig } from '@kycport/testing';

/** A definition counting how often it is built and closed. */
function countingAdapter(id: string) {
  const counts = { created: 0, closed: 0 };
  const definition = defineKycAdapter({
    id,
    configCodec: FakeConfig,
    environmentVariables: [],
    create: (config: FakeConfig) => {
      counts.created += 1;
      const fake = createFakeKycProvider(config);
      return { ...fake, close: () => void (counts.closed += 1) };
    },
  });
  return { definition, counts };
}

describe('adapter registry', () => {
  afterEach(() => unregisterKycAdapter('acme'));

  it('lists every built-in adapter, and a registered one as soon as it is registered', () => {
    expect(knownAdapterIds()).toEqual([...Object.keys(BUILT_IN_ADAPTERS)].sort());
    registerKycAdapter(countingAdapter('acme').definition);
    expect(knownAdapterIds()).toContain('acme');
  });

  it('names the accepted ids, from the registry, when KYC_PROVIDER is missing', () => {
    registerKycAdapter(countingAdapter('acme').definition);
    const result = kycConfigFromEnv({});
    expect(E.isLeft(result) && result.left.message).toContain(knownAdapterIds().join(', '));
    expect(E.isLeft(result) && result.left.message).toContain('acme');
  });

  it('declares every built-in adapter package as an optional peer dependency of the container', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    for (const { packageName } of Object.values(BUILT_IN_ADAPTERS)) {
      expect(manifest.peerDependencies[packageName]).toBeDefined();
      expect(manifest.peerDependenciesMeta[packageName]?.optional).toBe(true);
    }
  });
});

describe('closeKycContainer', () => {
  afterEach(() => unregisterKycAdapter('acme'));

  it('does not build an adapter that was never resolved', () => {
    const { definition, counts } = countingAdapter('acme');
    registerKycAdapter(definition);
    closeKycContainer(createKycContainer({ provider: 'acme' }));
    expect(counts).toEqual({ created: 0, closed: 0 });
  });

  it('closes the adapter the container built, once', () => {
    const { definition, counts } = countingAdapter('acme');
    registerKycAdapter(definition);
    const container = createKycContainer({ provider: 'acme' });
    resolveKyc(container, KYC_TOKENS.KycProvider);
    resolveKyc(container, KYC_TOKENS.KycWebhookHandler);
    closeKycContainer(container);
    expect(counts).toEqual({ created: 1, closed: 1 });
  });
});
