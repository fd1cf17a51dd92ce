/**
 * inversify wiring for kycport: builds a container around the adapter that configuration or
 * environment variables name, one provider or several behind the router. The configuration half
 * alone, without inversify, is `@kycport/container/config`.
 *
 * @module @kycport/container
 */
export * from './adapter-registry';
export * from './build-kyc';
export * from './kyc-config';
export * from './kyc-container';
export * from './routing-config';
