export * from './http-client';
export * from './retry-policy';
export * from './version';
export * from './provider-error';
export * from './webhook-crypto';
