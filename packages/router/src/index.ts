/**
 * Several KYC providers behind one `KycProvider`: provider-qualified refs reach their own
 * provider, new users are routed by rules, webhooks by provider, and `createUser` can fail over
 * when nothing was sent.
 *
 * @module @kycport/router
 */
export * from './kyc-router';
export * from './route-rules';
export * from './router-capabilities';
export * from './router-webhooks';
