/**
 * The shared contract over the router: the fake behind a router that also holds another fake.
 * Every call goes through the router's dispatch; the companion never receives one.
 */
import { routedHarness } from '@kycport/fixtures';
import { createFakeKycProvider, describeKycProviderContract, fakeContractHarness } from '@kycport/testing';

const companion = createFakeKycProvider({ id: 'companion' });

describeKycProviderContract('router (fake, with a second fake beside it)', () => ({
  ...routedHarness(fakeContractHarness(), [companion]),
  afterEach: () => {
    expect(companion.control.users()).toEqual([]);
  },
}));
