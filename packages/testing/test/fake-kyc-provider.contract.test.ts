import { describeKycProviderContract, fakeContractHarness } from '@kycport/testing';

describeKycProviderContract('fake', () => fakeContractHarness());
