export { describeKycProviderContract } from './contract/describe-kyc-provider-contract';
export { expectNoLeak, personalDataOf } from './contract/contract-assertions';
export * from './contract/harness';
export * from './fake/fake-adapter';
export * from './fake/fake-contract-harness';
export * from './fake/fake-kyc-provider';
export * from './store/describe-kyc-store-contract';
