/**
 * Webhook intake and status tracking over any `KycProvider`: webhooks verified, deduplicated,
 * ordered and committed before answering, state changes delivered through an outbox, reconcile
 * sweeps for webhooks that never came. Ships the in-memory `KycStore`.
 *
 * @module @kycport/tracker
 */
export { createKycTracker } from './kyc-tracker';
export { createMemoryKycStore } from './memory-store';
export type { MemoryKycStore } from './memory-store';
export { backoffMs } from './outbox-drain';
export * from './tracker-types';
export * from './webhook-intake';
