/** `forRootAsync` with an injected dependency, the env path, and a bad configuration failing the bootstrap. */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { defineKycAdapter, isKycError } from '@kycport/core';
import type { KycAdapter, KycAdapterDependencies, PromiseKycProvider } from '@kycport/core';
import { createFakeKycProvider, FakeConfig, fakeKycAdapter } from '@kycport/testing';
import { KYC_NEST_TOKENS, KycModule, buildKycFromOptions } from '@kycport/nestjs';

const SETTINGS = Symbol('settings');
class SettingsModule {}
Module({
  providers: [{ provide: SETTINGS, useValue: { KYC_PROVIDER: 'fake' } }],
  exports: [SETTINGS],
})(SettingsModule);

describe('KycModule.forRootAsync', () => {
  it('builds from a factory with injected settings; no controller when webhookPath is false', async () => {
    const root = KycModule.forRootAsync({
      imports: [SettingsModule],
      inject: [SETTINGS],
      useFactory: (env: Record<string, string>) => ({ env, adapters: [fakeKycAdapter as never] }),
      webhookPath: false,
    });
    const app = await NestFactory.create(root, { logger: false });
    await app.init();
    const kyc = app.get<PromiseKycProvider>(KYC_NEST_TOKENS.PromiseKycProvider);
    expect(kyc.id).toBe('fake');
    expect(app.get(KYC_NEST_TOKENS.KycTracker)).toBeNull();
    const adapter = app.get<KycAdapter>(KYC_NEST_TOKENS.KycAdapter);
    const close = jest.spyOn(adapter, 'close');
    await app.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('a bad configuration fails the bootstrap with a config error naming the variable', async () => {
    const root = KycModule.forRoot({ env: { KYC_PROVIDER: 'nope' } });
    const failure = await NestFactory.create(root, { logger: false, abortOnError: false }).catch(
      (e: unknown) => e,
    );
    expect(isKycError((failure as { error?: unknown }).error)).toBe(true);
    expect(String((failure as Error).message)).toContain('KYC_PROVIDER');
  });
});

describe('buildKycFromOptions', () => {
  it('hands httpAdapter to the adapter it builds (the stock axios adapter, selectable by configuration)', () => {
    const seen: KycAdapterDependencies[] = [];
    const recording = defineKycAdapter({
      id: 'recording',
      configCodec: FakeConfig,
      environmentVariables: [],
      create: (config: FakeConfig, dependencies: KycAdapterDependencies) => {
        seen.push(dependencies);
        return createFakeKycProvider(config);
      },
    });
    const adapters = [recording as never];
    buildKycFromOptions({ config: { provider: 'recording' }, adapters, httpAdapter: 'axios' }).close();
    buildKycFromOptions({ config: { provider: 'recording' }, adapters }).close();
    expect(seen.map((dependencies) => dependencies.transport)).toEqual([{ httpAdapter: 'axios' }, undefined]);
  });
});
