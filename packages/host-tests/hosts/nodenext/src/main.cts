// A TypeScript host under `module: nodenext`, compiled as CommonJS (.cts -> .cjs), the shape of most
// NestJS apps: create -> getStatus against the simulator.
import { KYC_TOKENS, KycException } from '@kycport/core';
import type { CreateUserInput } from '@kycport/core';
import { closeKycContainer, createKycContainerFromEnv, resolveKyc } from '@kycport/container';

const input: CreateUserInput = {
  applicant: {
    externalId: 'host-nodenext-cjs',
    name: { given: 'Jane', family: 'Doe' },
    email: 'jane.doe+nodenext-cjs@example.com',
    phone: '+14155555555',
    dateOfBirth: '1990-05-15',
    address: {
      line1: '123 Main Street',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
    ipAddress: '203.0.113.42',
    termsAccepted: true,
  },
  providerOptions: { plu: { program: 'custodial', accountPurpose: 'personal use' } },
};

async function main(): Promise<Record<string, unknown>> {
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
  (result) => console.log(JSON.stringify({ host: 'nodenext-cjs', ...result })),
  (error: unknown) => {
    const kind = KycException.isInstance(error) ? error.error.kind : 'thrown';
    console.log(JSON.stringify({ host: 'nodenext-cjs', error: { kind, message: String(error) } }));
    process.exitCode = 1;
  },
);
