// A CommonJS host, as a `require` user writes one: configuration from the environment
// (KYC_PROVIDER and the provider's variables), then create -> getStatus through the Promise facade.
// installed-packages.test.ts installs the packed tarballs next to it and runs it against a simulator.
const { KYC_TOKENS, KycException } = require('@kycport/core');
const { closeKycContainer, createKycContainerFromEnv, resolveKyc } = require('@kycport/container');

const input = {
  applicant: {
    externalId: `host-${process.env.HOST_NAME ?? 'cjs'}`,
    name: { given: 'Jane', family: 'Doe' },
    email: `jane.doe+${process.env.HOST_NAME ?? 'cjs'}@example.com`,
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

async function main() {
  const container = createKycContainerFromEnv(process.env);
  try {
    const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
    const created = await kyc.createUser(input);
    const status = await kyc.getStatus(created.userRef);
    return {
      provider: kyc.id,
      userRef: created.userRef,
      created: created.state.status,
      next: created.state.nextAction.type,
      status: status.state.status,
    };
  } finally {
    closeKycContainer(container);
  }
}

main().then(
  (result) => console.log(JSON.stringify({ host: process.env.HOST_NAME ?? 'cjs', ...result })),
  (error) => {
    const kind = KycException.isInstance(error) ? error.error.kind : 'thrown';
    console.log(
      JSON.stringify({ host: process.env.HOST_NAME ?? 'cjs', error: { kind, message: error.message } }),
    );
    process.exitCode = 1;
  },
);
