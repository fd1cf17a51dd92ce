/**
 * `KycModule`: kycport in Nest's own DI. The configuration is resolved and built by
 * `@kycport/container/config` (no inversify); the providers are factories under
 * `KYC_NEST_TOKENS`; the adapter is closed (and the tracker stopped) when the module is destroyed.
 */
import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnModuleDestroy, OnModuleInit, Provider } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { KycException, toPromiseProvider, toPromiseWebhookHandler } from '@kycport/core';
import type { KycAdapter } from '@kycport/core';
import { kycConfigFromEnv, tryBuildKyc } from '@kycport/container/config';
import { createKycTracker } from '@kycport/tracker';
import type { KycTracker } from '@kycport/tracker';
import { createKycWebhookController } from './webhook-controller';
import { KYC_NEST_TOKENS } from './tokens';
import type { KycModuleAsyncOptions, KycModuleOptions, KycWebhookRouteOptions } from './kyc-module-options';

/**
 * Builds the adapter (or the router) the options name: `config`, else the environment. Throws a
 * `KycException` holding the `config` error (it names the field or variable, never a value), which
 * fails the Nest bootstrap.
 */
export function buildKycFromOptions(options: KycModuleOptions): KycAdapter {
  const source = { ...(options.adapters ? { adapters: options.adapters } : {}) };
  const built = pipe(
    options.config ? E.right(options.config) : kycConfigFromEnv(options.env ?? process.env, source),
    E.chain((config) =>
      tryBuildKyc(config, {
        ...source,
        ...(options.observer ? { observer: options.observer } : {}),
        ...(options.httpAdapter ? { httpAdapter: options.httpAdapter } : {}),
      }),
    ),
  );
  if (E.isLeft(built)) throw new KycException(built.left);
  return built.right;
}

function trackerFor(options: KycModuleOptions, adapter: KycAdapter): KycTracker | null {
  if (!options.store) return null;
  const settings = { ...options.tracker };
  delete settings.start;
  return createKycTracker({
    ...settings,
    kyc: adapter.provider,
    webhooks: adapter.webhooks,
    store: options.store,
  });
}

/** Starts the tracker's timers when asked; on destroy stops them and closes the adapter. */
class KycLifecycle implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly options: KycModuleOptions,
    private readonly adapter: KycAdapter,
    private readonly tracker: KycTracker | null,
  ) {}

  onModuleInit(): void {
    const start = this.options.tracker?.start;
    if (this.tracker && start) this.tracker.start(start);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.tracker) await this.tracker.stop();
    this.adapter.close();
  }
}
Inject(KYC_NEST_TOKENS.KycModuleOptions)(KycLifecycle, undefined, 0);
Inject(KYC_NEST_TOKENS.KycAdapter)(KycLifecycle, undefined, 1);
Inject(KYC_NEST_TOKENS.KycTracker)(KycLifecycle, undefined, 2);

const EXPORTED = [
  KYC_NEST_TOKENS.KycProvider,
  KYC_NEST_TOKENS.PromiseKycProvider,
  KYC_NEST_TOKENS.KycWebhookHandler,
  KYC_NEST_TOKENS.PromiseKycWebhookHandler,
  KYC_NEST_TOKENS.KycTracker,
  KYC_NEST_TOKENS.KycAdapter,
];

function portProviders(): Provider[] {
  const inject = [KYC_NEST_TOKENS.KycAdapter];
  return [
    {
      provide: KYC_NEST_TOKENS.KycAdapter,
      useFactory: buildKycFromOptions,
      inject: [KYC_NEST_TOKENS.KycModuleOptions],
    },
    { provide: KYC_NEST_TOKENS.KycProvider, useFactory: (a: KycAdapter) => a.provider, inject },
    {
      provide: KYC_NEST_TOKENS.PromiseKycProvider,
      useFactory: (a: KycAdapter) => toPromiseProvider(a.provider),
      inject,
    },
    { provide: KYC_NEST_TOKENS.KycWebhookHandler, useFactory: (a: KycAdapter) => a.webhooks, inject },
    {
      provide: KYC_NEST_TOKENS.PromiseKycWebhookHandler,
      useFactory: (a: KycAdapter) => toPromiseWebhookHandler(a.webhooks),
      inject,
    },
    {
      provide: KYC_NEST_TOKENS.KycTracker,
      useFactory: trackerFor,
      inject: [KYC_NEST_TOKENS.KycModuleOptions, KYC_NEST_TOKENS.KycAdapter],
    },
    KycLifecycle,
  ];
}

function dynamicModule(
  options: Provider,
  route: KycWebhookRouteOptions,
  imports: DynamicModule['imports'],
): DynamicModule {
  const path = route.webhookPath ?? 'webhooks';
  return {
    module: KycModule,
    global: route.global ?? false,
    imports: imports ?? [],
    controllers: path === false ? [] : [createKycWebhookController(path)],
    providers: [options, ...portProviders()],
    exports: [...EXPORTED, KYC_NEST_TOKENS.KycModuleOptions],
  };
}

/**
 * kycport as a Nest module. `KycModule.forRoot({ config })` (or `{}` to read the environment), or
 * `forRootAsync({ imports, inject, useFactory })`; inject the ports with `KYC_NEST_TOKENS`. Mounts
 * `POST /webhooks/:provider` unless `webhookPath: false`; the app must be created with
 * `rawBody: true`.
 */
export class KycModule {
  /** The module from an options object. */
  static forRoot(options: KycModuleOptions & KycWebhookRouteOptions = {}): DynamicModule {
    return dynamicModule({ provide: KYC_NEST_TOKENS.KycModuleOptions, useValue: options }, options, []);
  }

  /** The module from a factory with injected dependencies (`ConfigService`, ...). */
  static forRootAsync(options: KycModuleAsyncOptions): DynamicModule {
    return dynamicModule(
      {
        provide: KYC_NEST_TOKENS.KycModuleOptions,
        useFactory: options.useFactory,
        inject: options.inject ?? [],
      },
      options,
      options.imports,
    );
  }
}
Module({})(KycModule);
