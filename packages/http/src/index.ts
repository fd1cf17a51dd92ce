export * from './http-client';
export { defaultRequestId, headerString } from './http-answer';
export * from './retry-policy';
export * from './version';
export * from './provider-error';
export * from './transport-failure';
export * from './webhook-crypto';
