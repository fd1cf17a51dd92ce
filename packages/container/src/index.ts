export * from './adapter-registry';
export * from './kyc-config';
export * from './kyc-container';
export * from './routing-config';
