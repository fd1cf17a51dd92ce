/**
 * The configuration half of `@kycport/container`, with no inversify: resolve a configuration
 * (object or environment variables), find adapters, and build the adapter or router it names.
 * Hosts with their own DI (NestJS, hand wiring) import this subpath; it never loads inversify.
 *
 * @module @kycport/container/config
 */
export * from './adapter-registry';
export * from './build-kyc';
export * from './kyc-config';
export * from './routing-config';
