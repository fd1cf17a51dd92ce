import * as E from 'fp-ts/Either';
import { Container } from 'inversify';
import { KYC_TOKENS, KycException, isKycErrorOfKind, userRef } from '@kycport/core';
import type { KycAdapterDefinition, KycCallEvent } from '@kycport/core';
import {
  createKycContainer,
  kycConfigFromEnv,
  kycContainerModule,
  registerKycAdapter,
  resolveKyc,
  tryCreateKycContainer,
  unregisterKycAdapter,
} from '@kycport/container';
import { fakeKycAdapter } from '@kycport/testing';
import type { FakeKycProvider } from '@kycport/testing';

const applicant = {
  externalId: 'c-1',
  name: { given: 'Jane', family: 'Doe' },
  email: 'jane@example.com',
  termsAccepted: true,
};

describe('createKycContainer', () => {
  it('resolves the provider named by config, with its Promise facade and webhook handler', async () => {
    const container = createKycContainer({ provider: 'fake', fake: { maxAttempts: 2 } });
    const provider = resolveKyc(container, KYC_TOKENS.KycProvider);
    expect(provider.id).toBe('fake');
    expect(provider.capabilities.maxAttempts).toBe(2);
    expect(resolveKyc(container, KYC_TOKENS.KycWebhookHandler).provider).toBe('fake');
    expect(resolveKyc(container, KYC_TOKENS.KycProvider)).toBe(provider);
    const facade = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
    const created = await facade.createUser({ applicant });
    expect(created.state.status).toBe('action_required');
    const failure = await facade.getStatus(userRef('nobody')).catch((error: unknown) => error);
    expect(KycException.isInstance(failure) && failure.kind).toBe('not_found');
  });

  it('passes an observer to the adapter', async () => {
    const events: KycCallEvent[] = [];
    const container = createKycContainer(
      { provider: 'fake' },
      { observer: { onCall: (event) => events.push(event) } },
    );
    await resolveKyc(container, KYC_TOKENS.KycProvider).createUser({ applicant })();
    expect(events).toEqual([
      expect.objectContaining({ provider: 'fake', pathTemplate: 'createUser', outcome: 'success' }),
    ]);
  });

  it('throws a KycException with a config error naming the field when settings are invalid', () => {
    const attempt = () =>
      createKycContainer({ provider: 'fake', fake: { maxAttempts: 99, webhookSecret: 'whsec_do_not_echo' } });
    expect(attempt).toThrow(KycException);
    try {
      attempt();
    } catch (error) {
      if (!KycException.isInstance(error) || error.error.kind !== 'config') throw error;
      expect(error.error.issues).toEqual([
        { path: 'maxAttempts', message: 'expected an integer from 1 to 10' },
      ]);
      expect(JSON.stringify(error)).not.toContain('whsec_do_not_echo');
    }
  });

  it('reports an unknown provider as a config error listing the known ones', () => {
    const result = tryCreateKycContainer({ provider: 'acme' });
    expect(E.isLeft(result) && result.left).toMatchObject({ kind: 'config', issues: [{ path: 'provider' }] });
    expect(E.isLeft(result) && result.left.message).toContain('fake, p100, plaid, plu');
  });

  it('wires a registered third-party adapter the same way', () => {
    const custom: KycAdapterDefinition<{ label: string }> = {
      ...(fakeKycAdapter as unknown as KycAdapterDefinition<{ label: string }>),
      id: 'acme',
      parseConfig: (input) => E.right({ label: String((input as { label?: string }).label ?? 'none') }),
      create: () => fakeKycAdapter.create({}),
    };
    registerKycAdapter(custom);
    try {
      const container = createKycContainer({ provider: 'acme', acme: { label: 'x' } });
      expect(resolveKyc(container, KYC_TOKENS.KycAdapterConfig)).toEqual({ label: 'x' });
      expect(resolveKyc(container, KYC_TOKENS.KycProvider).id).toBe('fake');
    } finally {
      unregisterKycAdapter('acme');
    }
  });

  it("loads an adapter's ContainerModule into a host's own container", () => {
    const host = new Container();
    host.bind('host.greeting').toConstantValue('hello');
    host.load(kycContainerModule(fakeKycAdapter, {}));
    const provider = host.get<FakeKycProvider>(KYC_TOKENS.KycProvider);
    expect(provider.id).toBe('fake');
    expect(typeof provider.control.completeHostedFlow).toBe('function');
    expect(host.get('host.greeting')).toBe('hello');
  });
});

describe('kycConfigFromEnv', () => {
  it('builds the config from KYC_PROVIDER and the provider variables', () => {
    const result = kycConfigFromEnv({
      KYC_PROVIDER: 'fake',
      KYC_FAKE_MAX_ATTEMPTS: '4',
      KYC_FAKE_WEBHOOK_SECRET: 'whsec_env',
    });
    expect(result).toEqual(
      E.right({ provider: 'fake', fake: { maxAttempts: 4, webhookSecret: 'whsec_env' } }),
    );
    if (E.isLeft(result)) throw new Error('unexpected');
    expect(
      resolveKyc(createKycContainer(result.right), KYC_TOKENS.KycProvider).capabilities.maxAttempts,
    ).toBe(4);
  });

  it('names a missing KYC_PROVIDER', () => {
    const result = kycConfigFromEnv({});
    expect(E.isLeft(result) && result.left).toMatchObject({
      kind: 'config',
      issues: [{ path: 'KYC_PROVIDER', message: 'is required' }],
    });
  });

  it('names a bad variable without echoing its value', () => {
    const result = kycConfigFromEnv({ KYC_PROVIDER: 'fake', KYC_FAKE_MAX_ATTEMPTS: 'three-secret-ish' });
    if (E.isRight(result)) throw new Error('expected a config error');
    expect(isKycErrorOfKind(result.left, 'config')).toBe(true);
    expect(result.left.kind === 'config' && result.left.issues).toEqual([
      { path: 'KYC_FAKE_MAX_ATTEMPTS', message: 'must be a whole number' },
    ]);
    expect(JSON.stringify(result.left)).not.toContain('three-secret-ish');
  });

  it('names a variable that fails the codec by its variable name', () => {
    const result = kycConfigFromEnv({ KYC_PROVIDER: 'fake', KYC_FAKE_MAX_ATTEMPTS: '50' });
    expect(E.isLeft(result) && result.left.kind === 'config' && result.left.issues).toEqual([
      { path: 'KYC_FAKE_MAX_ATTEMPTS', message: 'expected an integer from 1 to 10' },
    ]);
  });

  it('reports an unknown KYC_PROVIDER by name', () => {
    const result = kycConfigFromEnv({ KYC_PROVIDER: 'nope' });
    expect(E.isLeft(result) && result.left).toMatchObject({
      kind: 'config',
      issues: [{ path: 'KYC_PROVIDER' }],
    });
  });
});
