export * from './kyc-router';
export * from './route-rules';
export * from './router-capabilities';
export * from './router-webhooks';
