// An ES module host: named imports from the (CommonJS) packages through Node's ESM loader, top-level
// await, configuration from the environment, then create -> getStatus through the Promise facade.
// installed-packages.test.ts installs the packed tarballs next to it and runs it against a simulator.
import { KYC_TOKENS, KycException } from '@kycport/core';
import { closeKycContainer, createKycContainerFromEnv, resolveKyc } from '@kycport/container';

const input = {
  applicant: {
    externalId: 'host-esm',
    name: { given: 'Jane', family: 'Doe' },
    email: 'jane.doe+esm@example.com',
    phone: '+14155555555',
    dateOfBirth: '1990-05-15',
    address: {
      line1: '123 Main Street',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
    nationality: 'US',
    ipAddress: '203.0.113.42',
    termsAccepted: true,
  },
  providerOptions: {
    plu: { program: 'custodial', accountPurpose: 'personal use' },
    p100: {
      documentType: 'ID_CARD',
      incomeSource: 'SALARY',
      occupation: 'IT',
      additionalInfo: 'Engineer',
      openAccountReason: 'DAILY_USE',
    },
  },
};

const container = createKycContainerFromEnv(process.env);
try {
  const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
  const created = await kyc.createUser(input);
  const status = await kyc.getStatus(created.userRef);
  console.log(
    JSON.stringify({
      host: 'esm',
      provider: kyc.id,
      userRef: created.userRef,
      created: created.state.status,
      next: created.state.nextAction.type,
      status: status.state.status,
    }),
  );
} catch (error) {
  const kind = KycException.isInstance(error) ? error.error.kind : 'thrown';
  console.log(JSON.stringify({ host: 'esm', error: { kind, message: error.message } }));
  process.exitCode = 1;
} finally {
  closeKycContainer(container);
}
