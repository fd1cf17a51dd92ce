import { describeKycStoreContract } from '@kycport/testing';
import { createMemoryKycStore } from '@kycport/tracker';

describeKycStoreContract('createMemoryKycStore', async () => ({ store: createMemoryKycStore() }));
