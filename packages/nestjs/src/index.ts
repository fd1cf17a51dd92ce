/**
 * NestJS integration for kycport: `KycModule.forRoot` / `forRootAsync` providing the provider (Promise
 * and TaskEither), the webhook handler and the tracker under `KYC_NEST_TOKENS`, and a raw-body
 * webhook controller answering what the tracker says. Uses Nest's DI only: no inversify is loaded.
 *
 * @module @kycport/nestjs
 */
export { KycModule, buildKycFromOptions } from './kyc-module';
export type { KycModuleAsyncOptions, KycModuleOptions, KycWebhookRouteOptions } from './kyc-module-options';
export { KYC_NEST_TOKENS } from './tokens';
export { createKycWebhookController } from './webhook-controller';
export type { KycWebhookControllerInstance } from './webhook-controller';
export { RAW_BODY_MISSING, answerWebhook } from './webhook-intake';
export type { KycWebhookAnswer, RawBodyRequest } from './webhook-intake';
