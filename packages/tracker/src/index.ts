export { createKycTracker } from './kyc-tracker';
export { createMemoryKycStore } from './memory-store';
export type { MemoryKycStore } from './memory-store';
export { backoffMs } from './outbox-drain';
export * from './tracker-types';
