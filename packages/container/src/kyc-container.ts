/**
 * inversify wiring. Bindings are factories (no decorators), so the library never needs
 * `reflect-metadata` itself; a host that uses decorators imports it once at its entry point.
 *
 * Uses inversify 8 (see docs/architecture.md: "inversify 8, ES modules and jest").
 */
import { Container, ContainerModule } from 'inversify';
import type { ContainerModuleLoadOptions } from 'inversify';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { KYC_TOKENS, KycException, toPromiseProvider, toPromiseWebhookHandler } from '@kycport/core';
import type {
  ConfigError,
  Environment,
  KycAdapter,
  KycAdapterDefinition,
  KycObserver,
  KycToken,
} from '@kycport/core';
import { ROUTER_ID, createKycRouter } from '@kycport/router';
import type { KycRouter } from '@kycport/router';
import { buildKycAdapter, buildKycRouter } from './build-kyc';
import { kycConfigFromEnv, resolveKycConfig } from './kyc-config';
import type { BuildKycOptions } from './build-kyc';
import type { KycAdapterSource } from './adapter-registry';
import type { KycConfig, ResolvedKycConfig } from './kyc-config';

const ADAPTER = Symbol.for('kycport.KycAdapter');
/** Holds the adapter once the container built it, so closing never builds one just to close it. */
const BUILT = Symbol.for('kycport.KycAdapter.built');

interface BuiltAdapter {
  adapter?: KycAdapter;
}

/**
 * A `ContainerModule` binding every `KYC_TOKENS` entry to one adapter. Host apps with their own
 * container load it directly: `container.load(kycContainerModule(pluAdapter, settings))`.
 * Bind `KYC_TOKENS.KycObserver` first to observe provider calls.
 */
export function kycContainerModule<Config>(
  definition: KycAdapterDefinition<Config>,
  settings: Config,
  build: Pick<BuildKycOptions, 'httpAdapter'> = {},
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(KYC_TOKENS.KycAdapterDefinition).toConstantValue(definition as KycAdapterDefinition<unknown>);
    bind(KYC_TOKENS.KycAdapterConfig).toConstantValue(settings);
    const built: BuiltAdapter = {};
    bind<BuiltAdapter>(BUILT).toConstantValue(built);
    bind<KycAdapter>(ADAPTER)
      .toDynamicValue((context) => {
        const observer = context.get<KycObserver>(KYC_TOKENS.KycObserver, { optional: true });
        built.adapter = buildKycAdapter(definition, settings, {
          ...build,
          ...(observer ? { observer } : {}),
        });
        return built.adapter;
      })
      .inSingletonScope();
    bindPorts(bind);
  });
}

/** The port tokens, all resolving through the one built adapter (or router). */
function bindPorts(bind: ContainerModuleLoadOptions['bind']): void {
  bind(KYC_TOKENS.KycProvider)
    .toDynamicValue((context) => context.get<KycAdapter>(ADAPTER).provider)
    .inSingletonScope();
  bind(KYC_TOKENS.KycWebhookHandler)
    .toDynamicValue((context) => context.get<KycAdapter>(ADAPTER).webhooks)
    .inSingletonScope();
  bind(KYC_TOKENS.PromiseKycProvider)
    .toDynamicValue((context) => toPromiseProvider(context.get<KycAdapter>(ADAPTER).provider))
    .inSingletonScope();
  bind(KYC_TOKENS.PromiseKycWebhookHandler)
    .toDynamicValue((context) => toPromiseWebhookHandler(context.get<KycAdapter>(ADAPTER).webhooks))
    .inSingletonScope();
}

/**
 * How `createKycContainer` builds the container. `adapters` hands over adapter definitions
 * (`{ adapters: [pluAdapter] }`) instead of loading `@kycport/<id>` by name: the path for bundled
 * hosts, and a way to see every provider's option types at compile time.
 */
export interface KycContainerOptions extends KycAdapterSource, Pick<BuildKycOptions, 'httpAdapter'> {
  /** Load into this container instead of a new one. */
  readonly container?: Container;
  /** Observes every provider call (bound as `KYC_TOKENS.KycObserver`). */
  readonly observer?: KycObserver;
}

/**
 * A `ContainerModule` for several providers behind one router: `KYC_TOKENS.KycProvider` is the
 * router (a `KycProvider` itself; `resolveKycRouter` gives its routing methods), and the webhook
 * handler routes each delivery to its provider.
 */
export function kycRouterModule(
  resolved: ResolvedKycConfig,
  build: Pick<BuildKycOptions, 'httpAdapter'> = {},
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const built: BuiltAdapter = {};
    bind<BuiltAdapter>(BUILT).toConstantValue(built);
    bind<KycAdapter>(ADAPTER)
      .toDynamicValue((context) => {
        const observer = context.get<KycObserver>(KYC_TOKENS.KycObserver, { optional: true });
        built.adapter = buildKycRouter(resolved, { ...build, ...(observer ? { observer } : {}) });
        return built.adapter;
      })
      .inSingletonScope();
    bindPorts(bind);
  });
}

/** Like `createKycContainer`, with a bad configuration as a value. */
export function tryCreateKycContainer(
  config: KycConfig,
  options: KycContainerOptions = {},
): E.Either<ConfigError, Container> {
  return pipe(
    resolveKycConfig(config, options),
    E.map((resolved) => {
      const container = options.container ?? new Container();
      if (options.observer) container.bind(KYC_TOKENS.KycObserver).toConstantValue(options.observer);
      const build = options.httpAdapter ? { httpAdapter: options.httpAdapter } : {};
      container.load(
        resolved.adapters.length === 1
          ? kycContainerModule(resolved.definition, resolved.settings, build)
          : kycRouterModule(resolved, build),
      );
      return container;
    }),
  );
}

/**
 * A container where `KYC_TOKENS.KycProvider` (and the webhook handler, and their Promise facades)
 * resolve to the adapter named by `config.provider`. Throws a `KycException` holding a `config`
 * error when the configuration is invalid.
 */
export function createKycContainer(config: KycConfig, options: KycContainerOptions = {}): Container {
  const result = tryCreateKycContainer(config, options);
  if (E.isLeft(result)) throw new KycException(result.left);
  return result.right;
}

/**
 * Reads the configuration from environment variables (`kycConfigFromEnv`) and builds the container:
 * the one call a Promise host needs, no fp-ts. Throws a `KycException` holding a `config` error
 * that names the bad variable (never its value).
 */
export function createKycContainerFromEnv(
  env: Environment = process.env,
  options: KycContainerOptions = {},
): Container {
  const config = kycConfigFromEnv(env, options);
  if (E.isLeft(config)) throw new KycException(config.left);
  return createKycContainer(config.right, options);
}

/** Closes the adapter a container created (its keep-alive sockets), if one was created. */
export function closeKycContainer(container: Container): void {
  if (!container.isBound(BUILT)) return;
  container.get<BuiltAdapter>(BUILT).adapter?.close();
}

/**
 * The container's provider as a router, for its routing methods (`capabilitiesOf`, `providerOf`,
 * `webhooks.detectProvider`). With one provider configured, a router over that one provider.
 */
export function resolveKycRouter(container: Container): KycRouter {
  const adapter = container.get<KycAdapter>(ADAPTER);
  const provider = adapter.provider as Partial<KycRouter>;
  if (provider.id === ROUTER_ID && typeof provider.providerOf === 'function') return provider as KycRouter;
  return createKycRouter({
    providers: [{ ...adapter.provider, webhooks: adapter.webhooks, close: () => adapter.close() }],
  });
}

/** Typed resolution of a `KYC_TOKENS` entry. */
export function resolveKyc<T>(container: Container, token: KycToken<T>): T {
  return container.get<T>(token);
}
