/** DI service identifiers as typed tokens. The container package resolves them; core has no DI code. */
import type { KycAdapterDefinition } from './adapter-definition';
import type { KycProvider } from './kyc-provider';
import type { KycObserver } from './observer';
import type { PromiseKycProvider, PromiseKycWebhookHandler } from './promise-facade';
import type { KycWebhookHandler } from './webhook';

declare const tokenType: unique symbol;

/** A `Symbol.for` service identifier that remembers the type it resolves to. */
export type KycToken<T> = symbol & { readonly [tokenType]?: T };

function token<T>(name: string): KycToken<T> {
  return Symbol.for(`kycport.${name}`) as KycToken<T>;
}

/**
 * The DI tokens `@kycport/container` binds (`Symbol.for` keys, so two copies of this package
 * agree), each typed with what it resolves to: `resolveKyc(container,
 * KYC_TOKENS.PromiseKycProvider)`.
 */
export const KYC_TOKENS = {
  /** The configured adapter's `KycProvider` (TaskEither API). */
  KycProvider: token<KycProvider>('KycProvider'),
  /** The same provider with the Promise facade. */
  PromiseKycProvider: token<PromiseKycProvider>('PromiseKycProvider'),
  /** The configured adapter's webhook handler. */
  KycWebhookHandler: token<KycWebhookHandler>('KycWebhookHandler'),
  /** The same webhook handler with the Promise facade. */
  PromiseKycWebhookHandler: token<PromiseKycWebhookHandler>('PromiseKycWebhookHandler'),
  /** The validated adapter configuration (contains secrets: do not log it). */
  KycAdapterConfig: token<unknown>('KycAdapterConfig'),
  /** The definition of the configured adapter. */
  KycAdapterDefinition: token<KycAdapterDefinition<unknown>>('KycAdapterDefinition'),
  /** Optional: bind one before loading the module to observe provider calls. */
  KycObserver: token<KycObserver>('KycObserver'),
} as const;
