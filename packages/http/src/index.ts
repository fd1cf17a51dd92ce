/**
 * The axios transport kycport adapters share: keep-alive agents, deadlines, retries of safe
 * requests with backoff, io-ts decoding of answers, provider error mapping and redaction.
 *
 * @module @kycport/http
 */
export * from './http-client';
export { defaultRequestId, headerString } from './http-answer';
export * from './retry-policy';
export * from './version';
export * from './provider-error';
export * from './transport-failure';
export * from './webhook-crypto';
export { createLeanAxiosAdapter } from './lean-adapter';
export type { LeanAdapterAgents } from './lean-adapter';
