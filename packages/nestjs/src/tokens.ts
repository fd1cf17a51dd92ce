/** The injection tokens `KycModule` provides: core's `KYC_TOKENS` symbols, plus the tracker's. */
import { KYC_TOKENS } from '@kycport/core';
import type { KycAdapter, KycToken } from '@kycport/core';
import type { KycTracker } from '@kycport/tracker';
import type { KycModuleOptions } from './kyc-module-options';

/**
 * What `KycModule` provides, by token: `@Inject(KYC_NEST_TOKENS.PromiseKycProvider)`. The provider
 * and webhook tokens are core's `KYC_TOKENS` symbols (`Symbol.for`), so code written against the
 * inversify container resolves the same names.
 */
export const KYC_NEST_TOKENS = {
  /** The configured provider or router (TaskEither API). */
  KycProvider: KYC_TOKENS.KycProvider,
  /** The same provider with the Promise facade. */
  PromiseKycProvider: KYC_TOKENS.PromiseKycProvider,
  /** The configured webhook handler (the router's with several providers). */
  KycWebhookHandler: KYC_TOKENS.KycWebhookHandler,
  /** The same webhook handler with the Promise facade. */
  PromiseKycWebhookHandler: KYC_TOKENS.PromiseKycWebhookHandler,
  /** The tracker over the provider; provided when `store` is given (else resolves to `null`). */
  KycTracker: Symbol.for('kycport.KycTracker') as KycToken<KycTracker | null>,
  /** The built adapter (`{ provider, webhooks, close }`); closed when the module is destroyed. */
  KycAdapter: Symbol.for('kycport.nestjs.KycAdapter') as KycToken<KycAdapter>,
  /** The module's resolved options (`forRoot`'s object or `forRootAsync`'s factory result). */
  KycModuleOptions: Symbol.for('kycport.nestjs.KycModuleOptions') as KycToken<KycModuleOptions>,
} as const;
