// An ES module host using the built packages (run by built-output.test.ts after `pnpm build`).
import 'reflect-metadata';
import { KYC_TOKENS, isKycError } from '@kycport/core';
import { createKycContainer, resolveKyc } from '@kycport/container';

const container = createKycContainer({ provider: 'fake' });
const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
const created = await kyc.createUser({
  applicant: {
    externalId: 'esm-1',
    name: { given: 'Jane', family: 'Doe' },
    email: 'jane@example.com',
    termsAccepted: true,
  },
});
console.log(
  JSON.stringify({ format: 'esm', provider: kyc.id, status: created.state.status, guard: typeof isKycError }),
);
