/** The options of `KycModule.forRoot` / `forRootAsync`. */
import type { Environment, KycAdapterDefinition, KycObserver, KycStore } from '@kycport/core';
import type { ModuleMetadata, InjectionToken, OptionalFactoryDependency } from '@nestjs/common';
import type { BuildKycOptions, KycConfig } from '@kycport/container/config';
import type { KycTrackerOptions, StartOptions } from '@kycport/tracker';

/**
 * Where the configuration comes from, which adapters, the observer, and the tracker's store. Give
 * `config` (an object, as `createKycContainer` takes) or nothing: then `kycConfigFromEnv(env)`.
 */
export interface KycModuleOptions extends Pick<BuildKycOptions, 'httpAdapter'> {
  /** The configuration object; absent: read from `env` (`KYC_PROVIDER`, ...). */
  readonly config?: KycConfig;
  /** The environment `kycConfigFromEnv` reads when `config` is absent. Default `process.env`. */
  readonly env?: Environment;
  /** Adapter definitions handed over explicitly (`[pluAdapter]`), instead of loading by package name. */
  readonly adapters?: ReadonlyArray<KycAdapterDefinition<unknown>>;
  /** Observes every provider call. */
  readonly observer?: KycObserver;
  /** A store: the module then provides a tracker (`KYC_NEST_TOKENS.KycTracker`) and the controller uses it. */
  readonly store?: KycStore;
  /** The tracker's other options (`onStateChange`, `outbox`, `now`, ...). */
  readonly tracker?: Omit<KycTrackerOptions, 'kyc' | 'store' | 'webhooks'> & {
    /** Start the tracker's periodic drain (and sweeps) when the module starts; stopped on destroy. */
    readonly start?: StartOptions;
  };
}

/** How the webhook controller is mounted. */
export interface KycWebhookRouteOptions {
  /**
   * The controller's path: deliveries are `POST /<path>/:provider`. Default `webhooks`; `false`
   * mounts no controller (call `answerWebhook` from your own).
   */
  readonly webhookPath?: string | false;
  /** Register the module globally (its tokens injectable everywhere). Default false. */
  readonly global?: boolean;
}

/** `forRootAsync`: the options from a factory with injected dependencies. */
export interface KycModuleAsyncOptions extends KycWebhookRouteOptions {
  /** Modules exporting what `inject` names (e.g. `ConfigModule`). */
  readonly imports?: ModuleMetadata['imports'];
  /** Tokens handed to `useFactory`, in order. */
  readonly inject?: Array<InjectionToken | OptionalFactoryDependency>;
  /** Builds the options (may be async). */
  readonly useFactory: (...args: never[]) => KycModuleOptions | Promise<KycModuleOptions>;
}
