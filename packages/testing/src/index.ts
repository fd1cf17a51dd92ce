export * from './contract/describe-kyc-provider-contract';
export * from './contract/harness';
export * from './fake/fake-adapter';
export * from './fake/fake-kyc-provider';
