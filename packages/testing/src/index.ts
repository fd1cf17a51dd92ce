/**
 * The kycport testing kit: the adapter and store contract suites, an in-memory fake provider
 * and jest helpers for host tests.
 *
 * @module @kycport/testing
 */
export { describeKycProviderContract } from './contract/describe-kyc-provider-contract';
export { expectNoLeak, personalDataOf } from './contract/contract-assertions';
export * from './contract/harness';
export * from './fake/fake-adapter';
export * from './fake/fake-contract-harness';
export * from './fake/fake-kyc-provider';
export * from './store/describe-kyc-store-contract';
