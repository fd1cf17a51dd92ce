/**
 * The kycport domain: the applicant, the normalized KYC state, the `KycProvider` and webhook ports,
 * typed errors as values, codecs, DI tokens and the Promise facade. Depends on fp-ts and io-ts only.
 *
 * @module @kycport/core
 */
export * from './adapter-definition';
export * from './applicant';
export * from './codecs';
export * from './errors';
export * from './kyc-provider';
export * from './kyc-state';
export * from './kyc-store';
export * from './kyc-store-rules';
export * from './observer';
export * from './promise-facade';
export * from './redirect';
export * from './provider-id';
export * from './qualified-provider';
export * from './qualified-ref';
export * from './redact';
export * from './tokens';
export * from './unsupported';
export * from './user-ref';
export * from './validation';
export * from './webhook';
